"""Malformed and oversized forms get a clear 4xx (or are stored as wrong), never a 500."""

from __future__ import annotations

import io
import re

import pytest
from helpers import count_rows, csrf_from, hidden

from quizapp.extensions import db
from quizapp.models import Attempt, Response


def _fields(html: str) -> list[str]:
    return sorted(set(re.findall(r'name="(q\d+)"', html)))


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
    assert count_rows(app, Attempt) == 0


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
    assert count_rows(app, Attempt) == 0


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
