"""Accounts: registration, sign-in, sessions and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from ..database import begin_write
from ..extensions import db
from ..models import ROLES, ApiToken, User, utcnow
from ..passwords import (
    hash_password,
    hasher,
    needs_rehash,
    password_problem,
    verify_password,
)
from . import Invalid, limits
from .attempts import clean_text

# At most two password hashings at a time per process: each takes 64 MiB and most of a core,
# so a flood of sign-ins or registrations cannot starve the other requests.
_HASHING = threading.BoundedSemaphore(2)
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MAX_NAME = 80


def _hasher():
    config = current_app.config
    return hasher(config["PASSWORD_TIME_COST"], config["PASSWORD_MEMORY_KIB"])


def normalise_email(email: str) -> str:
    """Lower case, no surrounding spaces, no control characters (PostgreSQL refuses NUL)."""
    return "".join(c for c in email if c.isprintable()).strip().lower()


def create_user(
    email: str, password: str, role: str = "student", display_name: str | None = None
) -> User:
    """Create an account. Raises Invalid for a malformed or taken email, a weak password,
    an unknown role or an overlong name."""
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
    with _HASHING:
        password_hash = hash_password(password, _hasher())
    begin_write()
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        db.session.rollback()
        raise Invalid("An account with this email already exists.")
    user = User(email=email, password_hash=password_hash, role=role, display_name=name)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Invalid("An account with this email already exists.") from None
    return user


# Verifying against this when the email is unknown keeps both answers equally slow.
_DUMMY: dict[tuple[int, int], str] = {}


def authenticate(email: str, password: str) -> User | None:
    """The user with these credentials, or None."""
    ph = _hasher()
    user = db.session.scalar(select(User).where(User.email == normalise_email(email or "")))
    with _HASHING:
        if user is None:
            key = (ph.time_cost, ph.memory_cost)
            if key not in _DUMMY:
                _DUMMY[key] = hash_password(secrets.token_hex(16), ph)
            verify_password(_DUMMY[key], password or "", ph)
            return None
        if not verify_password(user.password_hash, password or "", ph):
            return None
        # A hash stored under older (weaker) settings is upgraded now that the password is known.
        stale = needs_rehash(user.password_hash, ph)
        new_hash = hash_password(password, ph) if stale else None
    if new_hash is not None:
        begin_write()
        db.session.execute(update(User).where(User.id == user.id).values(password_hash=new_hash))
        db.session.commit()
    return user


def sign_in(email: str, password: str, client: str) -> User | None:
    """`authenticate` behind rate limits on attempts, per account and per client address
    (config LOGIN_LIMIT_PER_ACCOUNT / LOGIN_LIMIT_PER_CLIENT within LOGIN_WINDOW_SECONDS).
    Raises limits.TooManyRequests once a limit is passed; a success takes its own hit back
    and clears the account's count, so only failures add up."""
    config = current_app.config
    account_key = f"login:account:{normalise_email(email or '')[:150]}"
    hits = limits.hit(
        {
            account_key: config["LOGIN_LIMIT_PER_ACCOUNT"],
            f"login:client:{client[:100]}": config["LOGIN_LIMIT_PER_CLIENT"],
        },
        config["LOGIN_WINDOW_SECONDS"],
    )
    user = authenticate(email, password)
    if user is not None:
        limits.forget(hits, clear_key=account_key)
    return user


def register(email: str, password: str, display_name: str | None, client: str) -> User:
    """A student account made from the web form: `create_user` behind a per-client limit
    (REGISTER_LIMIT_PER_CLIENT an hour). Raises Invalid or limits.TooManyRequests."""
    limits.hit(
        {f"register:client:{client[:100]}": current_app.config["REGISTER_LIMIT_PER_CLIENT"]},
        3600,
    )
    return create_user(email, password, "student", display_name)


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's loader: "<user id>.<nonce>"; a stale nonce (signed out) loads nobody."""
    user_id, _, nonce = (session_id or "").partition(".")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not secrets.compare_digest(user.session_nonce, nonce):
        return None
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session cookie of `user` (sign-out)."""
    begin_write()
    user = db.session.get(User, user.id)
    user.session_nonce = secrets.token_hex(8)
    db.session.commit()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


TOKEN_LIFETIME = timedelta(days=30)


def issue_token(user: User) -> tuple[str, datetime]:
    """A new API bearer token for `user` and when it expires (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    expires = utcnow() + TOKEN_LIFETIME
    begin_write()
    db.session.execute(delete(ApiToken).where(ApiToken.expires_at < utcnow()))
    db.session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token), expires_at=expires))
    db.session.commit()
    return token, expires


def user_for_token(token: str) -> User | None:
    """The user a bearer token belongs to while it has not expired, or None."""
    if not token or len(token) > 200:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
    if row is None or row.expires_at <= utcnow():
        return None
    return row.user


def revoke_token(token: str) -> bool:
    """Delete a bearer token; True when it existed."""
    begin_write()
    gone = db.session.execute(
        delete(ApiToken).where(ApiToken.token_hash == _token_hash(token or ""))
    ).rowcount
    db.session.commit()
    return bool(gone)
