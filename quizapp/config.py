"""Settings read from the environment; no logic beyond defaults."""

from __future__ import annotations

import os

# Sessions last a school term at most; a quiz page left open for hours still submits
# (the CSRF token is tied to the session, not to a 1-hour clock: reliability.md).
SESSION_DAYS = 31


# The limits an operator may change through QUIZAPP_<KEY> (e.g. QUIZAPP_SUBMIT_LIMIT_PER_USER).
LIMITS = (
    "LOGIN_LIMIT_PER_ACCOUNT",
    "LOGIN_LIMIT_PER_CLIENT",
    "LOGIN_WINDOW_SECONDS",
    "REGISTER_LIMIT_PER_CLIENT",
    "SUBMIT_LIMIT_PER_USER",
    "SUBMIT_LIMIT_PER_CLIENT",
    "SUBMIT_WINDOW_SECONDS",
)


def _positive_int(name: str, raw: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        value = 0
    if value < 1:
        raise RuntimeError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return value


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
        # Quiz submissions (web and API) per signed-in user and per client address in the
        # window (429 after). A class behind one school address stays far below the second.
        "SUBMIT_LIMIT_PER_USER": 30,
        "SUBMIT_LIMIT_PER_CLIENT": 600,
        "SUBMIT_WINDOW_SECONDS": 60,
        # Logs: one JSON object per line ("json") or plain text ("text"); `quizapp serve` only.
        "LOG_FORMAT": "json",
    }
    for key in LIMITS:
        raw = os.environ.get(f"QUIZAPP_{key}")
        if raw is not None:
            config[key] = _positive_int(f"QUIZAPP_{key}", raw)
    if os.environ.get("QUIZAPP_LOG_FORMAT"):
        config["LOG_FORMAT"] = os.environ["QUIZAPP_LOG_FORMAT"].strip().lower()
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
