"""Settings read from the environment; no logic beyond defaults."""

from __future__ import annotations

import copy
import os

# Sessions last a school term at most; a quiz page left open for hours still submits
# (the CSRF token is tied to the session, not to a 1-hour clock: reliability.md).
SESSION_DAYS = 31


# The limits an operator may change through QUIZAPP_<KEY> (e.g. QUIZAPP_SUBMIT_LIMIT_PER_USER).
LIMITS = (
    "LOGIN_LIMIT_PER_ACCOUNT",
    "LOGIN_LIMIT_PER_CLIENT",
    "LOGIN_WINDOW_SECONDS",
    "LOGIN_FREE_FAILURES",
    "LOGIN_MAX_DELAY_SECONDS",
    "LOGIN_SUCCESS_LIMIT",
    "LOGIN_SUCCESS_WINDOW_SECONDS",
    "MAX_API_TOKENS",
    "PASSWORD_HASH_QUEUE",
    "PASSWORD_HASH_SLOTS",
    "REGISTER_LIMIT_PER_CLIENT",
    "SUBMIT_LIMIT_PER_USER",
    "SUBMIT_LIMIT_PER_CLIENT",
    "SUBMIT_WINDOW_SECONDS",
    "GUEST_ATTEMPTS_PER_SET",
    "GUEST_WINDOW_SECONDS",
    "GENERATION_CPU_SECONDS",
    "GENERATION_MEMORY_MB",
    "GENERATION_WALL_SECONDS",
    "GENERATION_MAX_TOKENS",
    "MAX_GENERATIONS",
    "GENERATION_WAIT_SECONDS",
)


def _positive_int(name: str, raw: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        value = 0
    if value < 1:
        raise RuntimeError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return value


# Every setting's default, written once: `from_environment` starts from a copy, and the
# services' settings dataclasses take their fields' defaults from here (quizapp.settings).
DEFAULTS: dict = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": SESSION_DAYS * 24 * 3600,
    "WTF_CSRF_TIME_LIMIT": None,
    # Articles are capped at 2 MB (quizapp.articles); a form carrying one stays under this.
    "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
    "MAX_FORM_MEMORY_SIZE": 4 * 1024 * 1024,
    # Pooled connections are checked after being idle only (database._ping_if_idle).
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    # argon2id, RFC 9106's second recommended profile (t=3, m=64 MiB, p=4): ASVS 11.4.2.
    "PASSWORD_TIME_COST": 3,
    "PASSWORD_MEMORY_KIB": 65536,
    "QUIZ_LENGTH": 20,
    # Sign-in limits (services.limits.SignInGate): after LOGIN_FREE_FAILURES failures of
    # one account from one address, each further try waits 1, 2, 4 … seconds, at most
    # LOGIN_MAX_DELAY_SECONDS; past LOGIN_LIMIT_PER_ACCOUNT failures of an account from all
    # addresses, so do addresses it was never signed in from; an address gets at most
    # LOGIN_LIMIT_PER_CLIENT checked sign-ins (right or wrong); failures are forgotten after
    # LOGIN_WINDOW_SECONDS. An account takes LOGIN_SUCCESS_LIMIT correct sign-ins (web or
    # API token) per LOGIN_SUCCESS_WINDOW_SECONDS and keeps MAX_API_TOKENS live tokens.
    "LOGIN_FREE_FAILURES": 5,
    "LOGIN_MAX_DELAY_SECONDS": 30,
    "LOGIN_LIMIT_PER_ACCOUNT": 100,
    "LOGIN_LIMIT_PER_CLIENT": 1000,
    "LOGIN_WINDOW_SECONDS": 15 * 60,
    "LOGIN_SUCCESS_LIMIT": 30,
    "LOGIN_SUCCESS_WINDOW_SECONDS": 10 * 60,
    "MAX_API_TOKENS": 20,
    # Sign-ins (and other password hashings) that may wait for the one hashing thread of a
    # worker process; more get 503 with Retry-After: 1 (services.accounts._Hashing). At
    # most PASSWORD_HASH_SLOTS hashings run at once on the machine (each uses 4 threads).
    "PASSWORD_HASH_QUEUE": 2,
    "PASSWORD_HASH_SLOTS": max(1, (os.cpu_count() or 1) // 4),
    "REGISTER_LIMIT_PER_CLIENT": 20,  # accounts an hour from one address
    # Quiz submissions (web and API) per signed-in user and per client address in the
    # window (429 after). A class behind one school address stays far below the second.
    "SUBMIT_LIMIT_PER_USER": 30,
    "SUBMIT_LIMIT_PER_CLIENT": 600,
    "SUBMIT_WINDOW_SECONDS": 60,
    # Guest (no account) attempts at one set from one address in the window (429 after): a
    # visitor cannot flood a class's results; signed-in students are not counted here.
    "GUEST_ATTEMPTS_PER_SET": 10,
    "GUEST_WINDOW_SECONDS": 3600,
    # One generation (article to questions: quizapp.services.generation_runner) runs in a
    # process of its own with at most this much CPU time, memory beyond the loaded spaCy
    # model, and time on the clock; an article of more words and punctuation marks than
    # GENERATION_MAX_TOKENS is refused before parsing (a 200 KB news article has ~38,000).
    "GENERATION_CPU_SECONDS": 15,
    "GENERATION_MEMORY_MB": 500,
    "GENERATION_WALL_SECONDS": 60,
    "GENERATION_MAX_TOKENS": 50_000,
    # Generations at once, in each worker process and on the whole server (lock files in
    # GENERATION_SLOTS, default instance/generation-slots); a request waits this long for
    # a slot, then gets 503 with Retry-After.
    "MAX_GENERATIONS": 2,
    "GENERATION_WAIT_SECONDS": 20,
    # Logs: one JSON object per line ("json") or plain text ("text"); `quizapp serve` only.
    "LOG_FORMAT": "json",
}


def from_environment() -> dict:
    """The configuration keys `create_app` takes from the process environment."""
    config = copy.deepcopy(DEFAULTS)
    for key in LIMITS:
        raw = os.environ.get(f"QUIZAPP_{key}")
        if raw is not None:
            config[key] = _positive_int(f"QUIZAPP_{key}", raw)
    # Where generation jobs wait for the worker (quizapp.tasks): sqlite:///<path> (default: the
    # instance folder's queue.sqlite) or redis://… for several app servers.
    if os.environ.get("QUIZAPP_QUEUE"):
        config["QUEUE"] = os.environ["QUIZAPP_QUEUE"].strip()
    if os.environ.get("QUIZAPP_LOG_FORMAT"):
        config["LOG_FORMAT"] = os.environ["QUIZAPP_LOG_FORMAT"].strip().lower()
    if os.environ.get("SECRET_KEY"):
        config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    # Behind a reverse proxy: trust its X-Forwarded-For / -Proto (one hop), so rate limits see
    # the real client address rather than the proxy's, but only from the proxy's own address
    # (QUIZAPP_TRUSTED_PROXIES, default this machine): anyone else reaching the app's port
    # cannot choose the address the limits count (quizapp.server.TrustedProxyFix).
    trusted = os.environ.get("QUIZAPP_TRUSTED_PROXIES", "").strip()
    behind = os.environ.get("QUIZAPP_BEHIND_PROXY", "").lower() in {"1", "true", "yes"}
    config["PROXY_FIX"] = behind or bool(trusted)
    config["TRUSTED_PROXIES"] = [p.strip() for p in trusted.split(",") if p.strip()] or [
        "127.0.0.1",
        "::1",
    ]
    if os.environ.get("QUIZAPP_SECURE_COOKIES", "").lower() in {"1", "true", "yes"}:
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
    return config
