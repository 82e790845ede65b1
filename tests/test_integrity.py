"""Integrity: the answer key never reaches a student before they submit; security headers,
cookies, no state change on GET, and malformed or oversized forms get a clear 4xx."""

from __future__ import annotations

import io
import re

import pytest
from conftest import PASSWORD, csrf_from, hidden, small_bank

from quizapp.extensions import db
from quizapp.models import Attempt, Response

SECRETS = (
    "Quintessa",
    "Vorbeck",
    "4,500",
    "4500",
    "Glimmerstone",
    "explained-zq",
    *{q["source_sentence"] for q in small_bank()["questions"]},
)


def _assert_no_secrets(body: str, where: str) -> None:
    leaked = [secret for secret in SECRETS if secret in body]
    assert not leaked, f"{where} leaks {leaked}"


def _fields(html: str) -> list[str]:
    return sorted(set(re.findall(r'name="(q\d+)"', html)))


def _count(app, model) -> int:
    with app.app_context():
        return db.session.query(model).count()


def _practice_url(client, set_id: int, guest_name: str | None) -> str:
    page = client.get(f"/sets/{set_id}").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "submission_key": hidden(page, "submission_key")}
    if guest_name:
        data["guest_name"] = guest_name
    response = client.post(f"/sets/{set_id}/practice", data=data)
    assert response.status_code == 303
    return response.headers["Location"]


# -- the answer key stays on the server ------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "student"])
def test_pages_before_submitting_leak_no_answers(client, factory, auth, who):
    set_id = factory.bank_set()
    if who == "student":
        auth.login(factory.user()[1])
    for path in ("/", "/?q=harbour", f"/sets/{set_id}", f"/sets/{set_id}/quiz"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_no_secrets(response.get_data(as_text=True), f"{who} {path}")


@pytest.mark.parametrize("who", ["anonymous", "student"])
def test_api_before_submitting_leaks_no_answers(client, factory, auth, who):
    set_id = factory.bank_set()
    if who == "student":
        auth.login(factory.user()[1])
    for path in ("/api/v1/sets", f"/api/v1/sets/{set_id}"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_no_secrets(response.get_data(as_text=True), f"{who} {path}")


def test_api_via_bearer_leaks_no_answers(client, factory):
    set_id = factory.bank_set()
    _, email = factory.user()
    token = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    for path in ("/api/v1/sets", f"/api/v1/sets/{set_id}"):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        _assert_no_secrets(response.get_data(as_text=True), f"bearer {path}")


@pytest.mark.parametrize("who", ["guest", "student"])
def test_practice_question_pages_leak_no_answers(client, factory, auth, who):
    set_id = factory.bank_set()
    if who == "student":
        auth.login(factory.user()[1])
    url = _practice_url(client, set_id, "Robin" if who == "guest" else None)
    for number in range(4):
        html = client.get(url).get_data(as_text=True)
        assert f"{number} of 4 answered" in html
        _assert_no_secrets(html, f"practice question {number + 1}")
        data = {"csrf_token": csrf_from(html), "question_id": hidden(html, "question_id")}
        assert client.post(url, data={**data, "answer": "no idea"}).status_code == 303


# -- headers and cookies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/", "/login", "/sets/1", "/sets/1/quiz", "/nowhere", "/api/v1/sets", "/api/v1/sets/999"],
)
def test_security_headers_on_every_kind_of_response(client, factory, path):
    factory.bank_set()
    response = client.get(path)
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp or "frame-ancestors 'self'" in csp
    assert "script-src 'self'" in csp
    assert response.headers.get("X-Content-Type-Options") == "nosniff"


def test_error_pages_carry_security_headers(client):
    for response in (client.delete("/"), client.post("/api/v1/auth/token", data="x")):
        assert response.status_code in (400, 405)
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_httponly_and_samesite_lax(client, factory, auth):
    _, email = factory.user()
    response = auth.login(email)
    assert response.status_code == 302
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies
    for cookie in cookies:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


# -- no state change on GET ------------------------------------------------------------------


def test_get_logout_is_405_and_keeps_the_session(client, factory, auth):
    _, email = factory.user()
    auth.login(email)
    assert client.get("/logout").status_code == 405
    assert client.get("/history").status_code == 200


def test_get_on_post_only_routes_changes_nothing(app, client, factory, auth):
    set_id = factory.bank_set()
    auth.login(factory.user()[1])
    url = _practice_url(client, set_id, None)
    attempt_id = url.rstrip("/").rsplit("/", 1)[1]
    assert client.get(f"/sets/{set_id}/practice").status_code == 405
    assert client.get(f"/practice/{attempt_id}/finish").status_code == 405
    with app.app_context():
        assert db.session.get(Attempt, int(attempt_id)).state == "in_progress"
        assert db.session.query(Attempt).count() == 1


# -- malformed and oversized forms -----------------------------------------------------------


@pytest.fixture
def quiz_form(client, factory, auth):
    """(set id, quiz page HTML, form data) for a signed-in student."""
    set_id = factory.bank_set()
    auth.login(factory.user()[1])
    html = client.get(f"/sets/{set_id}/quiz").get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(html),
        "submission_key": hidden(html, "submission_key"),
        "confirm_blank": "1",
    }
    return set_id, html, data


def test_overlong_answer_is_refused_with_a_message(app, client, quiz_form):
    set_id, html, data = quiz_form
    who = _fields(html)[0]
    response = client.post(f"/sets/{set_id}/quiz", data={**data, who: "x" * 600})
    assert response.status_code == 400
    assert "At most 500 characters." in response.get_data(as_text=True)
    assert _count(app, Attempt) == 0


def test_garbage_field_names_are_ignored(app, client, quiz_form):
    set_id, _, data = quiz_form
    junk = {"q999999": "Zanthorpe", "answers[]": "x", "<script>": "1", "q": "", "\u00e9\u00e9": "y"}
    response = client.post(f"/sets/{set_id}/quiz", data={**data, **junk})
    assert response.status_code == 303
    with app.app_context():
        [attempt] = db.session.query(Attempt).all()
        assert (attempt.score, attempt.max_score) == (0, 4)


def test_answer_that_is_not_a_choice_is_stored_as_wrong(app, client, quiz_form):
    set_id, html, data = quiz_form
    where = _fields(html)[2]
    response = client.post(f"/sets/{set_id}/quiz", data={**data, where: "Atlantis"})
    assert response.status_code == 303
    with app.app_context():
        reasons = {(r.given, r.correct, r.reason) for r in db.session.query(Response)}
        assert ("Atlantis", False, "not_a_choice") in reasons


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": b"--xx\r\nnonsense without headers", "content_type": "multipart/form-data"},
        {"data": b"--xx\r\ngarbage\r\n--xx--", "content_type": "multipart/form-data; boundary=xx"},
        {"data": b"\x00\xff\xfe" * 50, "content_type": "application/x-www-form-urlencoded"},
        {"data": {"junk": (io.BytesIO(b"\x00\xff" * 100), "junk.bin")}},
    ],
    ids=["no-boundary", "bad-parts", "binary-urlencoded", "stray-file"],
)
def test_multipart_junk_is_a_clear_4xx(app, client, quiz_form, kwargs):
    set_id, _, _ = quiz_form
    response = client.post(f"/sets/{set_id}/quiz", **kwargs)
    assert 400 <= response.status_code < 500
    assert "Traceback" not in response.get_data(as_text=True)
    assert _count(app, Attempt) == 0


@pytest.mark.parametrize("path", ["/login", "/register"])
@pytest.mark.parametrize("with_token", [True, False])
def test_auth_forms_with_missing_fields_are_4xx(client, path, with_token):
    data = {"csrf_token": csrf_from(client.get(path).get_data(as_text=True))} if with_token else {}
    response = client.post(path, data=data)
    assert 400 <= response.status_code < 500


def test_register_with_only_some_fields_is_4xx(client):
    token = csrf_from(client.get("/register").get_data(as_text=True))
    response = client.post("/register", data={"csrf_token": token, "email": "a@example.com"})
    assert response.status_code == 400
    assert client.get("/history").status_code == 302  # nobody signed in


@pytest.mark.parametrize("path", ["/login", "/sets/1/quiz"])
def test_body_over_the_limit_is_a_413_page(app, client, factory, path):
    factory.bank_set()
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post(path, data={"email": "x" * 4096, "guest_name": "y"})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "too large" in html and "Traceback" not in html


def test_api_body_over_the_limit_is_a_413_json(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/api/v1/auth/token", json={"email": "x" * 4096, "password": "y"})
    assert response.status_code == 413
    assert response.is_json and response.get_json()["error"]


def test_413_message_states_the_real_limit(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    html = client.post("/login", data={"email": "x" * 4096}).get_data(as_text=True)
    assert "too large" in html
    assert "limit is 0 MB" not in html  # 1024 bytes is not "0 MB"
