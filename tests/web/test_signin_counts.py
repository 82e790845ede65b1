"""Sign-in failures counted per account, per client and across processes, in the HTML and API
channels; a success clears the account's count."""

from __future__ import annotations

import pytest
from helpers import PASSWORD, csrf_from


def _app_config(app, **extra) -> dict:
    keys = (
        "TESTING",
        "SECRET_KEY",
        "SQLALCHEMY_DATABASE_URI",
        "QUESTION_BANKS",
        "PASSWORD_TIME_COST",
        "PASSWORD_MEMORY_KIB",
    )
    return {**{key: app.config[key] for key in keys}, **extra}


def _sign_in(app, channel: str, email: str, password: str):
    """One sign-in attempt from a fresh browser (HTML) or API client; the response."""
    client = app.test_client()
    if channel == "api":
        return client.post("/api/v1/auth/token", json={"email": email, "password": password})
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


SUCCESS = {"api": 200, "html": 302}


@pytest.mark.parametrize("channel", ["html", "api"])
def test_sign_in_limit_per_account(app, factory, channel):
    # Failures delay that account from that address only (issue 19: growing delays per
    # account and address, tests/web/test_signin_limits.py); other accounts are not slowed.
    app.config["LOGIN_FREE_FAILURES"] = 3
    _, email = factory.user()
    _, other = factory.user()
    for _ in range(3):
        assert _sign_in(app, channel, email, "wrong password!").status_code == 401
    blocked = _sign_in(app, channel, email, PASSWORD)
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    if channel == "api":
        assert blocked.is_json and blocked.get_json()["error"]
    assert _sign_in(app, channel, other, PASSWORD).status_code == SUCCESS[channel]


@pytest.mark.parametrize("channel", ["html", "api"])
def test_success_clears_the_account_count(app, factory, channel):
    app.config["LOGIN_FREE_FAILURES"] = 3
    _, email = factory.user()
    for _ in range(2):
        assert _sign_in(app, channel, email, "wrong password!").status_code == 401
    assert _sign_in(app, channel, email, PASSWORD).status_code == SUCCESS[channel]
    for _ in range(3):
        assert _sign_in(app, channel, email, "wrong password!").status_code == 401
    assert _sign_in(app, channel, email, PASSWORD).status_code == 429


def test_sign_in_failures_count_across_processes(app, factory):
    from quizapp import create_app
    from quizapp.extensions import db

    app.config["LOGIN_FREE_FAILURES"] = 3
    _, email = factory.user()
    second = create_app(_app_config(app, LOGIN_FREE_FAILURES=3))
    try:
        assert _sign_in(second, "api", email, PASSWORD).status_code == 200
        for _ in range(3):
            assert _sign_in(app, "api", email, "wrong password!").status_code == 401
        assert _sign_in(second, "api", email, PASSWORD).status_code == 429
        assert _sign_in(second, "html", email, PASSWORD).status_code == 429
    finally:
        with second.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("channel", ["html", "api"])
def test_sign_in_limit_per_client(app, factory, channel):
    app.config["LOGIN_LIMIT_PER_CLIENT"] = 4
    emails = [factory.user()[1] for _ in range(5)]
    for email in emails[:4]:
        assert _sign_in(app, channel, email, "wrong password!").status_code == 401
    blocked = _sign_in(app, channel, emails[4], PASSWORD)
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers
