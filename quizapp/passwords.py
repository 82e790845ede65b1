"""Password hashing with argon2id (ASVS 11.4.2). Pure: no Flask, no database."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
MAX_LENGTH = 1024


def hasher(time_cost: int = 3, memory_kib: int = 65536) -> PasswordHasher:
    """An argon2id hasher; the defaults are RFC 9106's second recommended profile."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=4, type=Type.ID)


def hash_password(password: str, ph: PasswordHasher) -> str:
    """The encoded hash of `password` (salt and parameters included)."""
    return ph.hash(password)


def verify_password(encoded: str, password: str, ph: PasswordHasher) -> bool:
    """True when `password` matches; False for a wrong password or an unreadable hash."""
    try:
        return ph.verify(encoded, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(encoded: str, ph: PasswordHasher) -> bool:
    """True when `encoded` was made with other parameters than `ph`'s (weaker or older)."""
    try:
        return ph.check_needs_rehash(encoded)
    except InvalidHashError:
        return True


def password_problem(password: str) -> str | None:
    """Why `password` is not acceptable, or None (ASVS: length, not composition rules)."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    return None
