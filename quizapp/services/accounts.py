"""Accounts: registration, sign-in, sessions and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..database import begin_write
from ..extensions import db
from ..models import ROLES, ApiToken, User
from ..passwords import hash_password, hasher, password_problem, verify_password
from . import Invalid

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MAX_NAME = 80


def _hasher():
    config = current_app.config
    return hasher(config["PASSWORD_TIME_COST"], config["PASSWORD_MEMORY_KIB"])


def normalise_email(email: str) -> str:
    return email.strip().lower()


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
    name = " ".join((display_name or email.split("@")[0]).split())
    if not name or len(name) > MAX_NAME:
        raise Invalid(f"Give a name of 1 to {MAX_NAME} characters.")
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
    if user is None:
        key = (ph.time_cost, ph.memory_cost)
        if key not in _DUMMY:
            _DUMMY[key] = hash_password(secrets.token_hex(16), ph)
        verify_password(_DUMMY[key], password or "", ph)
        return None
    if not verify_password(user.password_hash, password or "", ph):
        return None
    return user


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


def issue_token(user: User) -> str:
    """A new API bearer token for `user` (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    begin_write()
    db.session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token)))
    db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    """The user a bearer token belongs to, or None."""
    if not token or len(token) > 200:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
    return row.user if row else None


def user_count() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0
