"""Password hashing with argon2id (ASVS 11.4.2). Pure: no Flask, no database."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
MAX_LENGTH = 1024
# The 8,354 passwords of 8 or more characters among the 20,000 most common (Django's list),
# shipped in the package: see the file's header for where it comes from.
COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common_passwords.txt"


def hasher(time_cost: int = 3, memory_kib: int = 65536) -> PasswordHasher:
    """An argon2id hasher: t = 3 and 64 MiB as RFC 9106's second recommended profile, on one
    lane (parallelism 1, above OWASP's minimum of 19 MiB, t = 2, p = 1), so a sign-in hashes on
    one core and leaves the others to the pages (bench/signin_load.py). Hashes made with other
    parameters still verify and are rehashed at the next sign-in."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1, type=Type.ID)


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


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower case."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def password_problem(password: str) -> str | None:
    """Why `password` is not acceptable, or None (ASVS 5.0 §6.2: a length of 8 or more and
    not a common password; no composition rules). Common passwords are compared ignoring case
    and surrounding spaces."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if password.strip().lower() in common_passwords():
        return (
            "That password is on the list of the most common passwords, which are the first "
            "ones guessed. Choose another: a few unrelated words work well."
        )
    return None
