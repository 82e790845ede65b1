"""Accounts: registration, sign-in, sessions and API tokens."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ..database import begin_write, get_by_id
from ..extensions import db
from ..models import ROLES, ApiToken, User, utcnow
from ..passwords import (
    hash_password,
    hasher,
    needs_rehash,
    password_problem,
    verify_password,
)
from ..settings import Settings, group, setting
from . import Invalid, limits
from .attempts import clean_text

T = TypeVar("T")


@dataclass(frozen=True)
class AccountSettings(Settings):
    """What accounts need of the settings (config.py): the argon2 cost, the hashing queue and
    machine-wide slots, the sign-in limits, the accounts an address may register an hour and
    the live API tokens an account keeps. The views build it with
    `from_config(current_app.config)`; services never read the app's config."""

    time_cost: int = setting("PASSWORD_TIME_COST")
    memory_kib: int = setting("PASSWORD_MEMORY_KIB")
    hash_queue: int = setting("PASSWORD_HASH_QUEUE")
    hash_slots: int = setting("PASSWORD_HASH_SLOTS")
    # set by `quizapp serve` (server.py)
    hash_slots_dir: str | None = setting("PASSWORD_HASH_SLOTS_DIR", default=None)
    sign_in: limits.SignInPolicy = group(limits.SignInPolicy)
    register_per_client: int = setting("REGISTER_LIMIT_PER_CLIENT")
    max_api_tokens: int = setting("MAX_API_TOKENS")


DEFAULTS = AccountSettings()


def _lowest_priority() -> None:
    # Linux: nice applies per thread, and argon2's lane threads inherit it from this one.
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    except (AttributeError, OSError):  # pragma: no cover - other systems: normal priority
        pass


def _in_slot(folder: Path, slots: int, call: Callable[..., T], *args) -> T:
    """`call(*args)` holding one of `slots` lock files in `folder` (fcntl.flock, released by
    the kernel if the process dies): at most `slots` hashings at once on the machine, whatever
    the number of worker processes, since each uses 4 threads and 64 MiB of memory bandwidth
    that CPU priority does not share out."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = -1
    for number in range(slots):
        fd = os.open(folder / f"slot-{number}", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            os.close(fd)
            fd = -1
    if fd < 0:  # all taken: wait for one
        fd = os.open(folder / f"slot-{os.getpid() % slots}", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        return call(*args)
    finally:
        os.close(fd)  # closing releases the lock


class _Hashing:
    """Password hashing, one at a time per process (and PASSWORD_HASH_SLOTS at a time on the
    machine: `_in_slot`), in a thread of the lowest CPU priority (each hashing takes 64 MiB and
    both cores for ~0.1 s): pages keep their speed while sign-ins queue. At most `waiting` more
    requests of the process wait for it; beyond that a request gets `limits.Busy` (503,
    Retry-After: 1) at once instead of holding a server thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._in_flight = 0
        self._pool: ThreadPoolExecutor | None = None
        self._pid = 0

    def check(self, waiting: int) -> None:
        """Raise limits.Busy now if a hashing asked for now would be refused (a cheap early
        answer: a sign-in then records nothing)."""
        if self._in_flight > waiting:
            raise limits.Busy("Many people are signing in right now. Try again in a moment.", 1)

    def run(self, waiting: int, call: Callable[..., T], *args) -> T:
        with self._lock:
            self.check(waiting)
            self._in_flight += 1
            if self._pool is None or self._pid != os.getpid():  # none yet, or forked
                self._pool = ThreadPoolExecutor(1, "hashing", initializer=_lowest_priority)
                self._pid = os.getpid()
            pool = self._pool
        try:
            return pool.submit(call, *args).result()
        finally:
            with self._lock:
                self._in_flight -= 1


_HASHING = _Hashing()


def _hashed(settings: AccountSettings, call: Callable[..., T], *args) -> T:
    folder = settings.hash_slots_dir  # set by `quizapp serve` (server.py)
    if folder is None:  # one process (a command, the tests): its own limit is enough
        return _HASHING.run(settings.hash_queue, call, *args)
    slots = settings.hash_slots
    return _HASHING.run(settings.hash_queue, _in_slot, Path(folder), slots, call, *args)


_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MAX_NAME = 80


def _hasher(settings: AccountSettings):
    return hasher(settings.time_cost, settings.memory_kib)


def normalise_email(email: str) -> str:
    """Lower case, no surrounding spaces, no control characters (PostgreSQL refuses NUL)."""
    return "".join(c for c in email if c.isprintable()).strip().lower()


class EmailTaken(Invalid):
    """An account with this email exists already."""


def create_user(
    email: str,
    password: str,
    role: str = "student",
    display_name: str | None = None,
    *,
    settings: AccountSettings = DEFAULTS,
) -> User:
    """Create an account. Raises Invalid for a malformed email, a weak password (too short,
    too long or a common one), an unknown role or an overlong name, EmailTaken for a taken
    email, and limits.Busy when the server is hashing all it may."""
    email = normalise_email(email or "")
    if not _EMAIL.match(email) or len(email) > 254:
        raise Invalid("Enter a valid email address.")
    if role not in ROLES:
        raise Invalid(f"Unknown role {role!r}; use one of: {', '.join(ROLES)}.")
    problem = password_problem(password or "")
    if problem:
        raise Invalid(problem)
    name = clean_text(display_name or email.split("@")[0])
    if not name or len(name) > MAX_NAME:
        raise Invalid(f"Give a name of 1 to {MAX_NAME} characters.")
    # Hashed before looking the email up, so a taken email answers as slowly as a new one.
    password_hash = _hashed(settings, hash_password, password, _hasher(settings))
    begin_write()
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        db.session.rollback()
        raise EmailTaken("An account with this email already exists.")
    user = User(email=email, password_hash=password_hash, role=role, display_name=name)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise EmailTaken("An account with this email already exists.") from None
    return user


# Verifying against this when the email is unknown keeps both answers equally slow.
_DUMMY: dict[tuple[int, int], str] = {}


def _verify(encoded: str | None, password: str, ph) -> tuple[bool, str | None]:
    """(matches, a new hash when the stored one was made under other settings); runs in the
    hashing thread, so it takes plain values, never a database row."""
    if encoded is None:
        key = (ph.time_cost, ph.memory_cost)
        if key not in _DUMMY:
            _DUMMY[key] = hash_password(secrets.token_hex(16), ph)
        verify_password(_DUMMY[key], password, ph)
        return False, None
    if not verify_password(encoded, password, ph):
        return False, None
    # A hash stored under older (weaker) settings is upgraded now that the password is known.
    return True, hash_password(password, ph) if needs_rehash(encoded, ph) else None


def authenticate(email: str, password: str, *, settings: AccountSettings = DEFAULTS) -> User | None:
    """The user with these credentials, or None. Raises limits.Busy (see `_Hashing`)."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email or "")))
    encoded = user.password_hash if user is not None else None
    matches, new_hash = _hashed(settings, _verify, encoded, password or "", _hasher(settings))
    if not matches:
        return None
    if new_hash is not None:
        begin_write()
        db.session.execute(update(User).where(User.id == user.id).values(password_hash=new_hash))
        db.session.commit()
    return user


def sign_in(
    email: str, password: str, client: str, *, settings: AccountSettings = DEFAULTS
) -> User | None:
    """`authenticate` behind the sign-in limits (limits.SignInGate: growing delays per account
    and address, a cap per address, a soft cap per account, and a cap on correct sign-ins per
    account). Raises limits.TooManyRequests (429) or limits.Busy (503), both with a
    retry_after; an unknown email is treated exactly like a known one."""
    _HASHING.check(settings.hash_queue)
    gate = limits.SignInGate(normalise_email(email or "")[:254], client or "", settings.sign_in)
    gate.open()
    try:
        user = authenticate(email, password, settings=settings)
    except limits.Busy:
        gate.cancel()
        raise
    if user is None:
        gate.failed()
    else:
        gate.succeeded()
    return user


def register(
    email: str,
    password: str,
    display_name: str | None,
    client: str,
    *,
    settings: AccountSettings = DEFAULTS,
) -> User | None:
    """A student account made from the web form: `create_user` behind a per-client limit
    (REGISTER_LIMIT_PER_CLIENT an hour). Returns None, having changed nothing, when the email
    has an account already: the page must not tell (ASVS 6.3.8, no account enumeration).
    Raises Invalid, limits.TooManyRequests or limits.Busy."""
    limits.hit({f"register:client:{client[:100]}": settings.register_per_client}, 3600)
    try:
        return create_user(email, password, "student", display_name, settings=settings)
    except EmailTaken:
        return None


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's loader: "<user id>.<nonce>"; a stale nonce (signed out) loads nobody."""
    user_id, _, nonce = (session_id or "").partition(".")
    if not user_id.isdigit():
        return None
    user = get_by_id(User, int(user_id))
    if user is None or not secrets.compare_digest(user.session_nonce, nonce):
        return None
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session cookie of `user` (sign-out); API tokens stay valid."""
    begin_write()
    user = db.session.get(User, user.id)
    user.session_nonce = secrets.token_hex(8)
    db.session.commit()


def sign_out_everywhere(user: User) -> int:
    """Invalidate every session of `user`, this one included, and revoke all their API tokens;
    how many tokens were revoked."""
    begin_write()
    row = db.session.get(User, user.id)
    row.session_nonce = secrets.token_hex(8)
    revoked = db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id)).rowcount
    db.session.commit()
    return revoked


def set_password(user: User, new_password: str, *, settings: AccountSettings = DEFAULTS) -> int:
    """Give `user` a new password (checked as at registration), end all their sessions and
    revoke all their API tokens; how many tokens were revoked. Raises Invalid for a weak
    password and limits.Busy."""
    problem = password_problem(new_password or "")
    if problem:
        raise Invalid(problem)
    password_hash = _hashed(settings, hash_password, new_password, _hasher(settings))
    begin_write()
    row = db.session.get(User, user.id)
    row.password_hash = password_hash
    row.session_nonce = secrets.token_hex(8)
    revoked = db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id)).rowcount
    db.session.commit()
    return revoked


def change_password(
    user: User,
    current: str,
    new_password: str,
    client: str,
    *,
    settings: AccountSettings = DEFAULTS,
) -> int:
    """A signed-in user's change of password, proven with the current one (which goes through
    the sign-in limits, so a borrowed session cannot guess it). Ends every session of the user
    (the caller signs this one in again) and revokes all their API tokens; how many were
    revoked. Raises Invalid for a wrong current password or a weak new one, or a repeat of the
    current one; limits.TooManyRequests and limits.Busy."""
    problem = password_problem(new_password or "")
    if problem:
        raise Invalid(problem)
    if current == new_password:
        raise Invalid("The new password is the same as the current one.")
    if sign_in(user.email, current or "", client, settings=settings) is None:
        raise Invalid("The current password is not right.")
    return set_password(user, new_password, settings=settings)


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email or "")))


def teacher_by_email(email: str) -> User | None:
    """The teacher account with this email (any case, spaces around ignored); None when there
    is none, or the account is a student's."""
    user = user_by_email(email)
    return user if user is not None and user.is_teacher else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


TOKEN_LIFETIME = timedelta(days=30)


def issue_token(user: User, *, keep: int = DEFAULTS.max_api_tokens) -> tuple[str, datetime]:
    """A new API bearer token for `user` and when it expires (only its hash is stored). An
    account keeps at most MAX_API_TOKENS live tokens: the oldest beyond are revoked."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    expires = now + TOKEN_LIFETIME
    begin_write()
    db.session.execute(delete(ApiToken).where(ApiToken.expires_at < now))
    db.session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token), expires_at=expires))
    db.session.flush()
    live = db.session.scalar(select(func.count(ApiToken.id)).where(ApiToken.user_id == user.id))
    if live > keep:
        oldest = (
            select(ApiToken.id)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.id)
            .limit(live - keep)
        )
        db.session.execute(delete(ApiToken).where(ApiToken.id.in_(oldest.scalar_subquery())))
    db.session.commit()
    return token, expires


def live_tokens(user: User) -> int:
    """How many API tokens of `user` still work."""
    return db.session.scalar(
        select(func.count(ApiToken.id)).where(
            ApiToken.user_id == user.id, ApiToken.expires_at > utcnow()
        )
    )


def user_for_token(token: str) -> User | None:
    """The user a bearer token belongs to while it has not expired, or None."""
    if not token or len(token) > 200:
        return None
    # One query for the token and its user (every API request runs it).
    row = db.session.execute(
        select(User, ApiToken.expires_at)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == _token_hash(token))
    ).first()
    if row is None or row.expires_at <= utcnow():
        return None
    return row.User


def revoke_token(token: str) -> bool:
    """Delete a bearer token; True when it existed."""
    begin_write()
    gone = db.session.execute(
        delete(ApiToken).where(ApiToken.token_hash == _token_hash(token or ""))
    ).rowcount
    db.session.commit()
    return bool(gone)
