"""Settings read from the environment; no logic beyond defaults."""

from __future__ import annotations

import os

# Sessions last a school term at most; a quiz page left open for hours still submits
# (the CSRF token is tied to the session, not to a 1-hour clock: reliability.md).
SESSION_DAYS = 31


def from_environment() -> dict:
    """The configuration keys `create_app` takes from the process environment."""
    config: dict = {
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": SESSION_DAYS * 24 * 3600,
        "WTF_CSRF_TIME_LIMIT": None,
        # Articles are capped at 2 MB (quizapp.articles); a form carrying one stays under this.
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 4 * 1024 * 1024,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # argon2id, RFC 9106's second recommended profile (t=3, m=64 MiB, p=4): ASVS 11.4.2.
        "PASSWORD_TIME_COST": 3,
        "PASSWORD_MEMORY_KIB": 65536,
        "QUIZ_LENGTH": 20,
        # Failed sign-ins allowed per account and per client address in the window (429 after).
        "LOGIN_LIMIT_PER_ACCOUNT": 10,
        "LOGIN_LIMIT_PER_CLIENT": 50,
        "LOGIN_WINDOW_SECONDS": 15 * 60,
        "REGISTER_LIMIT_PER_CLIENT": 20,  # accounts an hour from one address
    }
    if os.environ.get("SECRET_KEY"):
        config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    # Behind a reverse proxy: trust its X-Forwarded-For / -Proto (one hop), so rate limits see
    # the real client address rather than the proxy's.
    config["PROXY_FIX"] = os.environ.get("QUIZAPP_BEHIND_PROXY", "").lower() in {"1", "true", "yes"}
    if os.environ.get("QUIZAPP_SECURE_COOKIES", "").lower() in {"1", "true", "yes"}:
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
    return config
