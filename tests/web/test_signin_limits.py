"""Sign-in limits as OWASP ASVS 5.0 §6.3 has them (issue 19, rows 5, 6, 7, 10, 13 and 14):
growing delays per (account, address) rather than a lock-out, per-address limits a school
behind one NAT stays under, a limit on correct sign-ins and on live tokens per account, no 500
when sign-ins to one account race, the request log naming a token's user, and X-Forwarded-For
believed only from a trusted proxy.

Time passing is simulated by moving the recorded hits back (`pass_time`): no test sleeps.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest
from helpers import PASSWORD, csrf_from

ATTACKER = "203.0.113.66"
OWNER = "192.0.2.7"
SCHOOL = "198.51.100.20"
SUCCESS = {"api": 200, "html": 302}


def sign_in(app, email: str, password: str, address: str, channel: str = "api", headers=None):
    """One sign-in from a fresh client at `address` (the connection's peer); the response."""
    client = app.test_client()
    env = {"REMOTE_ADDR": address}
    headers = headers or {}
    if channel == "api":
        body = {"email": email, "password": password}
        return client.post("/api/v1/auth/token", json=body, environ_base=env, headers=headers)
    token = csrf_from(client.get("/login", environ_base=env).get_data(as_text=True))
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post("/login", data=data, environ_base=env, headers=headers)


def pass_time(app, seconds: float) -> None:
    """As if `seconds` had gone by since every hit the limits recorded."""
    from quizapp.extensions import db
    from quizapp.models import RateLimitHit

    with app.app_context():
        for row in db.session.scalars(db.select(RateLimitHit)):
            row.at = row.at - timedelta(seconds=seconds)
        db.session.commit()


def retry_after(response) -> int:
    assert response.status_code == 429, response.get_data(as_text=True)[:300]
    return int(response.headers["Retry-After"])


# -- row 5: anyone could lock any account ---------------------------------------------------------


@pytest.mark.parametrize("channel", ["html", "api"])
def test_wrong_passwords_from_another_address_never_lock_the_owner_out(app, factory, channel):
    _, victim = factory.user()
    # The attacker's guesses, with a different X-Forwarded-For each time (not trusted here).
    statuses = [
        sign_in(
            app, victim, f"guess {i}", ATTACKER, channel, {"X-Forwarded-For": f"10.0.0.{i}"}
        ).status_code
        for i in range(100)
    ]
    assert statuses[:5] == [401] * 5  # then the delays start
    assert statuses.count(429) >= 90
    # Each delay run out (time passed, not slept): each guess is checked and fails, and the
    # delay doubles to its cap, so the check below cannot outlast it however slow the machine
    # (the loop above, on a slow PostgreSQL run, could end just as a short delay ran out).
    for _ in range(6):
        pass_time(app, 31)
        assert sign_in(app, victim, "another guess", ATTACKER, channel).status_code == 401
    assert sign_in(app, victim, PASSWORD, OWNER, channel).status_code == SUCCESS[channel]
    # The attacker's address is held back even with the right password.
    assert 1 <= retry_after(sign_in(app, victim, PASSWORD, ATTACKER, channel)) <= 30


def test_the_delays_double_up_to_the_cap_and_then_the_password_works(app, factory):
    _, email = factory.user()
    for i in range(5):
        assert sign_in(app, email, f"typo {i}", OWNER).status_code == 401
    waits = []
    for i in range(8):
        wait = retry_after(sign_in(app, email, PASSWORD, OWNER))
        waits.append(wait)
        pass_time(app, wait)
        assert sign_in(app, email, f"another typo {i}", OWNER).status_code == 401
    assert waits == [1, 2, 4, 8, 16, 30, 30, 30]
    pass_time(app, retry_after(sign_in(app, email, PASSWORD, OWNER)))
    assert sign_in(app, email, PASSWORD, OWNER).status_code == 200
    # A success clears the count: the next typo is answered at once.
    assert sign_in(app, email, "one more typo", OWNER).status_code == 401


def test_failures_are_forgotten_after_the_window(app, factory):
    _, email = factory.user()
    for i in range(7):
        sign_in(app, email, f"typo {i}", OWNER)
    assert sign_in(app, email, PASSWORD, OWNER).status_code == 429
    pass_time(app, app.config["LOGIN_WINDOW_SECONDS"] + 1)
    assert sign_in(app, email, "typo again", OWNER).status_code == 401


def test_an_unknown_email_is_answered_like_a_known_one(app, factory):
    _, email = factory.user()

    def run(address: str, who: str) -> list[tuple[int, str | None]]:
        return [
            (r.status_code, r.headers.get("Retry-After"))
            for r in (sign_in(app, who, f"guess {i}", address) for i in range(8))
        ]

    assert run("192.0.2.1", email) == run("192.0.2.2", "nobody@example.com")


# -- row 6: one address's failures blocked every sign-in from it ---------------------------------


def test_a_school_behind_one_address_signs_in_after_many_failures_from_it(app, factory):
    students = [factory.user()[1] for _ in range(16)]
    # 55 failures from the school's one address: a student guessing at 11 classmates' accounts.
    for email in students[:11]:
        for i in range(5):
            assert sign_in(app, email, f"guess {i}", SCHOOL).status_code == 401
    # Those 11 accounts are delayed from the school's address; the other 5 are not at all, and
    # 160 correct sign-ins in all go through (after the delay for the guessed-at accounts).
    outcomes = []
    for round_ in range(10):
        for index, email in enumerate(students):
            response = sign_in(app, email, PASSWORD, SCHOOL, "html" if index % 4 == 0 else "api")
            if response.status_code == 429:
                assert round_ == 0 and index < 11
                pass_time(app, int(response.headers["Retry-After"]))
                response = sign_in(app, email, PASSWORD, SCHOOL)
            outcomes.append(response.status_code)
    assert len(outcomes) == 160 and set(outcomes) <= {200, 302}


def test_checked_sign_ins_per_address_are_capped(app, factory):
    app.config["LOGIN_LIMIT_PER_CLIENT"] = 6
    emails = [factory.user()[1] for _ in range(4)]
    for email in emails[:3]:
        assert sign_in(app, email, PASSWORD, SCHOOL).status_code == 200
        assert sign_in(app, email, "wrong", SCHOOL).status_code == 401
    blocked = sign_in(app, emails[3], PASSWORD, SCHOOL)
    assert 1 <= retry_after(blocked) <= app.config["LOGIN_WINDOW_SECONDS"]
    assert sign_in(app, emails[3], PASSWORD, OWNER).status_code == 200  # elsewhere: fine
    pass_time(app, retry_after(blocked))
    assert sign_in(app, emails[3], PASSWORD, SCHOOL).status_code == 200


def test_a_guesser_on_many_addresses_slows_only_addresses_the_owner_never_used(app, factory):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = 10
    _, email = factory.user()
    assert sign_in(app, email, PASSWORD, OWNER).status_code == 200  # the owner's usual address
    # 10 failures from 2 addresses, then an 11th from a third: past the account's threshold.
    for n, i in [(n, i) for n in range(2) for i in range(5)] + [(2, 0)]:
        assert sign_in(app, email, f"guess {i}", f"203.0.113.{n}").status_code == 401
    # Now a fourth address waits, though it never failed; so would the owner on a new network.
    assert retry_after(sign_in(app, email, "guess 9", "203.0.113.3")) == 1
    assert sign_in(app, email, PASSWORD, OWNER).status_code == 200
    elsewhere = sign_in(app, email, PASSWORD, "192.0.2.99")  # the owner on a new network
    wait = retry_after(elsewhere)
    assert wait <= app.config["LOGIN_MAX_DELAY_SECONDS"]
    pass_time(app, wait)
    assert sign_in(app, email, PASSWORD, "192.0.2.99").status_code == 200


# -- row 7: correct sign-ins were never limited, nor live tokens ----------------------------------


@pytest.mark.parametrize("channel", ["html", "api"])
def test_correct_sign_ins_per_account_are_limited(app, factory, channel):
    app.config["LOGIN_SUCCESS_LIMIT"] = 3
    _, email = factory.user()
    _, other = factory.user()
    for _ in range(3):
        assert sign_in(app, email, PASSWORD, SCHOOL, channel).status_code == SUCCESS[channel]
    refused = sign_in(app, email, PASSWORD, OWNER, channel)
    assert 1 <= retry_after(refused) <= app.config["LOGIN_SUCCESS_WINDOW_SECONDS"]
    assert "signed in to many times" in refused.get_data(as_text=True)
    assert sign_in(app, other, PASSWORD, SCHOOL, channel).status_code == SUCCESS[channel]
    pass_time(app, retry_after(refused))
    assert sign_in(app, email, PASSWORD, SCHOOL, channel).status_code == SUCCESS[channel]


def test_an_account_keeps_only_its_newest_tokens(app, factory):
    app.config["MAX_API_TOKENS"] = 3
    _, email = factory.user()
    tokens = [sign_in(app, email, PASSWORD, OWNER).get_json()["token"] for _ in range(5)]
    client = app.test_client()
    statuses = [
        client.get("/api/v1/sets", headers={"Authorization": f"Bearer {t}"}).status_code
        for t in tokens
    ]
    assert statuses == [401, 401, 200, 200, 200]


# -- row 10: concurrent correct sign-ins to one account gave 500s --------------------------------


def test_concurrent_correct_sign_ins_to_one_account_never_fail_with_5xx_errors(app, factory):
    """24 clients released together, 3 times, signing in to one account (web and API) from
    one address and from their own: every answer is a success, 429 or 503, never a 500."""
    app.config["LOGIN_SUCCESS_LIMIT"] = 10**6
    _, email = factory.user()
    statuses: list[int] = []
    lock = threading.Lock()

    def run(i: int, barrier: threading.Barrier) -> None:
        address = SCHOOL if i % 2 else f"192.0.2.{100 + i}"
        barrier.wait()
        status = sign_in(app, email, PASSWORD, address, "html" if i % 3 == 0 else "api")
        with lock:
            statuses.append(status.status_code)

    for _ in range(3):
        barrier = threading.Barrier(24)
        threads = [threading.Thread(target=run, args=(i, barrier)) for i in range(24)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(statuses) == 72
    assert set(statuses) <= {200, 302, 429, 503}, sorted(set(statuses))
    assert statuses.count(200) + statuses.count(302) >= 3


# -- row 13: Bearer requests logged no user -------------------------------------------------------


def test_the_request_log_names_the_user_of_a_bearer_token(app, factory, caplog):
    user_id, email = factory.user()
    token = sign_in(app, email, PASSWORD, OWNER).get_json()["token"]
    caplog.set_level(logging.INFO, logger="quizapp.request")
    response = app.test_client().get("/api/v1/sets", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    (line,) = [r for r in caplog.records if r.name == "quizapp.request"]
    assert line.path == "/api/v1/sets" and line.user_id == user_id


# -- row 14: X-Forwarded-For from anyone chose the address the limits count ----------------------


@pytest.fixture
def proxied(app):
    """The same database as `app`, served as `QUIZAPP_BEHIND_PROXY=1` does (trusting the
    loopback's X-Forwarded-For)."""
    from quizapp import create_app
    from quizapp.extensions import db

    second = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PASSWORD_TIME_COST": 1,
            "PASSWORD_MEMORY_KIB": 64,
            "PROXY_FIX": True,
        }
    )
    yield second
    with second.app_context():
        db.session.remove()
        db.engine.dispose()


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(proxied, factory):
    _, email = factory.user()
    # Straight at the app's port: every made-up X-Forwarded-For is the same client.
    spoofed = [
        sign_in(proxied, email, f"guess {i}", ATTACKER, headers={"X-Forwarded-For": f"10.1.{i}.1"})
        for i in range(6)
    ]
    assert [r.status_code for r in spoofed] == [401] * 5 + [429]
    # Through the proxy (the loopback), the address it gives is the client's.
    via_proxy = {"X-Forwarded-For": OWNER}
    assert sign_in(proxied, email, PASSWORD, "127.0.0.1", headers=via_proxy).status_code == 200
    for i in range(5):
        hops = {"X-Forwarded-For": "203.0.113.77"}
        assert sign_in(proxied, email, f"guess {i}", "127.0.0.1", headers=hops).status_code == 401
    assert sign_in(proxied, email, PASSWORD, "127.0.0.1", headers=via_proxy).status_code == 200


def test_trusted_proxies_are_read_from_the_environment(tmp_path, monkeypatch):
    from quizapp import create_app
    from quizapp.server import TrustedProxyFix

    monkeypatch.setenv("QUIZAPP_INSTANCE", str(tmp_path))
    monkeypatch.setenv("QUIZAPP_TRUSTED_PROXIES", "10.0.0.5, 10.1.0.0/16")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    fix = app.wsgi_app
    assert isinstance(fix, TrustedProxyFix)
    assert fix.trusts("10.0.0.5") and fix.trusts("10.1.2.3") and fix.trusts("::ffff:10.0.0.5")
    assert not fix.trusts("127.0.0.1") and not fix.trusts("10.0.0.6") and not fix.trusts("x")
    monkeypatch.setenv("QUIZAPP_TRUSTED_PROXIES", "10.0.0.5, proxy.example")
    with pytest.raises(RuntimeError, match="proxy.example"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
