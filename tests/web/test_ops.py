"""Running in production: /healthz, a 503 (never a 500) while the database is away, structured
logs with request ids, settings from the environment, and quiz submission limits."""

from __future__ import annotations

import json
import logging
import re

import pytest
from helpers import PASSWORD, csrf_from, hidden, small_bank

from quizapp import config, create_app
from quizapp.logs import JsonFormatter, logging_config

# --- /healthz ------------------------------------------------------------------------------------


def test_healthz_says_ok_while_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert "Set-Cookie" not in response.headers


@pytest.fixture
def app_without_database(tmp_path):
    """An app whose database cannot be opened (its folder does not exist)."""
    url = f"sqlite:///{tmp_path / 'missing' / 'quizapp.sqlite'}"
    return create_app({"TESTING": True, "SECRET_KEY": "s" * 32, "SQLALCHEMY_DATABASE_URI": url})


def test_healthz_is_503_when_the_database_does_not_answer(app_without_database):
    response = app_without_database.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
    assert response.headers["Retry-After"] == "5"


@pytest.mark.parametrize("path", ["/", "/sets/1", "/j/ABCDEF", "/api/v1/sets"])
def test_pages_are_503_with_a_message_when_the_database_is_away(app_without_database, path):
    response = app_without_database.test_client().get(path)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "sqlite" not in body.lower()
    if path.startswith("/api/"):
        assert "database is restarting" in response.get_json()["error"]
    else:
        assert "never counted twice" in body


def test_a_submission_while_the_database_is_away_is_a_503(app_without_database):
    client = app_without_database.test_client()
    response = client.post("/sets/1/quiz", data={"submission_key": "k" * 32, "guest_name": "A"})
    assert response.status_code == 503


# --- logs ----------------------------------------------------------------------------------------


def test_every_request_is_one_log_record_with_its_fields(client, caplog):
    with caplog.at_level(logging.INFO, logger="quizapp.request"):
        response = client.get("/healthz", headers={"X-Request-ID": "lb-1234.abc"})
        client.get("/no/such/page")
    records = [r for r in caplog.records if r.name == "quizapp.request"]
    assert [(r.method, r.path, r.status) for r in records] == [
        ("GET", "/healthz", 200),
        ("GET", "/no/such/page", 404),
    ]
    assert response.headers["X-Request-ID"] == records[0].request_id == "lb-1234.abc"
    assert records[0].ms >= 0 and records[0].remote == "127.0.0.1"


@pytest.mark.parametrize("given", ["", "x" * 65, "a b", "<script>", "é"])
def test_a_request_id_that_is_not_sane_is_replaced(client, given):
    response = client.get("/healthz", headers={"X-Request-ID": given})
    assert response.headers["X-Request-ID"] != given
    assert len(response.headers["X-Request-ID"]) == 32


def test_the_request_line_names_the_signed_in_user(client, factory, auth, caplog):
    user_id, email = factory.user()
    auth.login(email)
    with caplog.at_level(logging.INFO, logger="quizapp.request"):
        client.get("/history")
    (record,) = [r for r in caplog.records if r.name == "quizapp.request"]
    assert record.user_id == user_id


def test_the_request_line_reads_no_user_from_the_database(app, factory):
    """The log line is written after the commit has expired the signed-in user, maybe with the
    database gone meanwhile (found by bench/load.py restarting PostgreSQL: a 500 after a stored
    submission): the id is read without a query, from a user expired and detached."""
    from quizapp.extensions import db
    from quizapp.logs import _user_id
    from quizapp.models import User

    user_id, _email = factory.user()
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expire(user)
        db.session.expunge(user)
        assert _user_id(user) == user_id
        assert _user_id(None) is None
        assert _user_id(app.login_manager.anonymous_user()) is None


def test_json_lines_carry_the_fields_and_the_traceback():
    formatter = JsonFormatter()
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("quizapp", logging.ERROR, __file__, 1, "Failed %s", ("x",), None)
        record.exc_info = sys.exc_info()
    record.request_id = "r1"
    line = formatter.format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "error" and data["message"] == "Failed x"
    assert data["request_id"] == "r1" and data["time"].endswith("Z")
    assert "ValueError: boom" in data["exc"]


def test_an_unhandled_error_is_logged_with_its_traceback_but_not_shown(app, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/explode")
    def explode():
        raise KeyError("secret-internal-name")

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/explode")
    assert response.status_code == 500
    assert "secret-internal-name" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert any(r.exc_info and "secret-internal-name" in str(r.exc_info[1]) for r in caplog.records)


def test_log_formats():
    assert logging_config("json")["formatters"]["main"]["()"].endswith("JsonFormatter")
    assert "format" in logging_config("text")["formatters"]["main"]
    with pytest.raises(ValueError, match="json or text"):
        logging_config("xml")


# --- settings from the environment ---------------------------------------------------------------


def test_limits_can_be_set_from_the_environment(monkeypatch):
    monkeypatch.setenv("QUIZAPP_SUBMIT_LIMIT_PER_USER", " 7 ")
    monkeypatch.setenv("QUIZAPP_LOG_FORMAT", "TEXT")
    settings = config.from_environment()
    assert settings["SUBMIT_LIMIT_PER_USER"] == 7
    assert settings["LOG_FORMAT"] == "text"


@pytest.mark.parametrize("raw", ["", "0", "-3", "ten", "1.5"])
def test_a_bad_limit_in_the_environment_is_a_clear_error(monkeypatch, raw):
    monkeypatch.setenv("QUIZAPP_LOGIN_LIMIT_PER_ACCOUNT", raw)
    with pytest.raises(RuntimeError, match="QUIZAPP_LOGIN_LIMIT_PER_ACCOUNT must be a whole"):
        config.from_environment()


# --- quiz submission limits ----------------------------------------------------------------------


@pytest.fixture
def limited(app, factory):
    app.config.update(SUBMIT_LIMIT_PER_USER=3, SUBMIT_LIMIT_PER_CLIENT=5)
    return factory.bank_set(small_bank())


def _submit(client, set_id: int, **extra):
    page = client.get(f"/sets/{set_id}/quiz").get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(page),
        "submission_key": hidden(page, "submission_key"),
        "confirm_blank": "y",
        **extra,
    }
    return client.post(f"/sets/{set_id}/quiz", data=data), data


def test_a_student_over_the_submission_limit_gets_429_and_keeps_the_answers(
    app, client, factory, auth, limited
):
    _user_id, email = factory.user()
    auth.login(email)
    statuses = [_submit(client, limited)[0].status_code for _ in range(3)]
    assert statuses == [303, 303, 303]
    page = client.get(f"/sets/{limited}/quiz").get_data(as_text=True)
    box = re.search(r'<input[^>]*type="text"[^>]*name="(q\d+)"', page) or re.search(
        r'name="(q\d+)"[^>]*type="text"', page
    )
    response, data = _submit(client, limited, **{box.group(1): "Quintessa Vorbeck"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) == 60
    page = response.get_data(as_text=True)
    assert "Too many attempts. Wait a minute" in page
    assert 'value="Quintessa Vorbeck"' in page
    assert hidden(page, "submission_key") == data["submission_key"]


def test_a_repeated_submission_is_never_limited(app, client, factory, auth, limited):
    _user_id, email = factory.user()
    auth.login(email)
    first, data = _submit(client, limited)
    for _ in range(4):
        assert _submit(client, limited)[0].status_code in (303, 429)
    again = client.post(f"/sets/{limited}/quiz", data=data)
    assert again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]


def test_guests_from_one_address_share_the_client_limit(app, client, limited):
    statuses = [_submit(client, limited, guest_name="G")[0].status_code for _ in range(6)]
    assert statuses == [303] * 5 + [429]


def test_the_api_answers_429_with_retry_after(app, client, factory, limited):
    _user_id, email = factory.user()
    token = client.post(
        "/api/v1/auth/token", json={"email": email, "password": "correct horse battery"}
    ).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    statuses = []
    for i in range(4):
        response = client.post(
            f"/api/v1/sets/{limited}/attempts",
            json={"answers": {}},
            headers={**headers, "Idempotency-Key": f"k{i}"},
        )
        statuses.append(response.status_code)
    assert statuses == [201, 201, 201, 429]
    assert response.headers["Retry-After"] == "60"
    assert "Too many attempts" in response.get_json()["error"]
    replay = client.post(
        f"/api/v1/sets/{limited}/attempts",
        json={"answers": {}},
        headers={**headers, "Idempotency-Key": "k0"},
    )
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"


def test_a_signed_in_student_gets_the_503_page_when_the_database_drops_mid_request(
    app, client, factory, auth, monkeypatch
):
    """The user was loaded, then the connection died (a PostgreSQL restart): the 503 page must
    not touch the user again (its row can no longer be loaded)."""
    from sqlalchemy.exc import OperationalError

    from quizapp.services import catalogue

    set_id = factory.bank_set(small_bank())
    _user_id, email = factory.user("teacher")
    auth.login(email)
    page = client.get(f"/sets/{set_id}/quiz").get_data(as_text=True)

    def dropped(*_args, **_kwargs):
        from quizapp.extensions import db

        db.session.expire_all()  # what a failed transaction leaves behind
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(catalogue, "set_to_take", dropped)
    response = client.post(
        f"/sets/{set_id}/quiz",
        data={"csrf_token": csrf_from(page), "submission_key": hidden(page, "submission_key")},
    )
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "never counted twice" in body and "Signed in as" not in body


def test_an_api_submission_is_503_when_the_database_drops_mid_request(
    app, client, factory, monkeypatch, caplog
):
    """Found by bench/load.py restarting PostgreSQL: the API's caller, loaded by its token, was
    read again for the request's log line after the 503 handler had dropped the session (a
    500)."""
    from sqlalchemy.exc import OperationalError

    from quizapp.services import catalogue

    set_id = factory.bank_set(small_bank())
    _user_id, email = factory.user("student")
    token = client.post(
        "/api/v1/auth/token", json={"email": email, "password": PASSWORD}
    ).get_json()["token"]

    def dropped(*_args, **_kwargs):
        from quizapp.extensions import db

        db.session.expire_all()  # what a failed transaction leaves behind
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(catalogue, "set_to_take", dropped)
    caplog.set_level(logging.INFO, logger="quizapp.request")  # the log line reads the caller
    response = client.post(
        f"/api/v1/sets/{set_id}/attempts",
        json={"answers": {}},
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "k1"},
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert [r.status for r in caplog.records if r.name == "quizapp.request"] == [503]


def test_a_database_gone_as_the_request_ends_does_not_make_it_a_500(
    app, client, factory, auth, monkeypatch
):
    """Found by bench/load.py restarting PostgreSQL: the page was drawn, then the rollback that
    ends the request's session failed (the server was shutting down), and the request became a
    500. The answer stands; the session is dropped, and the next request works."""
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    set_id = factory.bank_set(small_bank())
    _user_id, email = factory.user()
    auth.login(email)
    real = Session.close
    failures = []

    def shutting_down(session):
        if not failures:
            failures.append(session)
            raise OperationalError("ROLLBACK", {}, Exception("terminating connection"))
        return real(session)

    monkeypatch.setattr(Session, "close", shutting_down)
    assert client.get(f"/sets/{set_id}/quiz").status_code == 200
    assert failures
    monkeypatch.setattr(Session, "close", real)
    assert client.get(f"/sets/{set_id}/quiz").status_code == 200


def test_the_503_page_when_the_signed_in_user_cannot_be_loaded(app, client, factory, auth):
    from sqlalchemy.exc import OperationalError

    _user_id, email = factory.user()
    auth.login(email)

    def refused(_session_id):
        raise OperationalError("SELECT users", {}, Exception("connection refused"))

    app.login_manager.user_loader(refused)
    response = client.get("/history")
    assert response.status_code == 503
    assert "never counted twice" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    ["/attempts/2147483648", "/sets/2147483648", "/api/v1/sets/2147483648", "/practice/9999999999"],
)
def test_ids_beyond_an_integer_column_are_404(client, path):
    """Found by the route fuzz on PostgreSQL: 2**31 reached the database and failed there."""
    assert client.get(path).status_code in (401, 404)


@pytest.mark.parametrize("target", ["/\n", "/%0A", "/x%0D%0ASet-Cookie:%20a=b", "/%09"])
def test_sign_in_never_follows_a_next_with_control_characters(client, factory, target):
    """Found by the route fuzz: `next=/%0A` reached the Location header and gave a 500."""
    _user_id, email = factory.user()
    page = client.get(f"/login?next={target}").get_data(as_text=True)
    response = client.post(
        f"/login?next={target}",
        data={"email": email, "password": "correct horse battery", "csrf_token": csrf_from(page)},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    "path", ["/api/v1/sets/1/questions/%00", "/j/%00", "/teach/sets/1/export/%00"]
)
def test_a_nul_in_a_path_is_404(client, path):
    """Found by the route fuzz on PostgreSQL: a NUL in <qid> reached the query and gave a 500."""
    assert client.get(path).status_code in (404, 405)
    assert client.patch(path, json={}).status_code in (404, 405)
