"""Guests (issue 19, row #8): a set can require sign-in, guest attempts are limited per address
and set, and class results can leave guests out."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import PASSWORD, count_rows, csrf_from, hidden, small_bank, start_practice
from helpers import set_columns as _change


def _set(app, set_id: int):
    from quizapp.extensions import db
    from quizapp.models import QuestionSet

    return db.session.get(QuestionSet, set_id)


def _quiz_form(client, set_id: int) -> dict:
    page = client.get(f"/sets/{set_id}/quiz")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return {
        "csrf_token": csrf_from(html),
        "submission_key": hidden(html, "submission_key"),
        "confirm_blank": "1",
    }


def _start_practice(client, set_id: int, guest_name: str | None = None):
    return start_practice(client, set_id, guest_name)[0]


def _next(response) -> tuple[str, str]:
    """(path, next) of a redirect to the sign-in page."""
    where = urlsplit(response.headers["Location"])
    return where.path, parse_qs(where.query)["next"][0]


def test_a_set_that_requires_sign_in_sends_guests_to_sign_in(app, client, factory, auth):
    from quizapp.models import Attempt

    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    form = _quiz_form(client, set_id)  # a guest's quiz page, opened before the change
    _change(app, set_id, require_signin=True)

    for path in (f"/sets/{set_id}", f"/sets/{set_id}/quiz"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert _next(response) == ("/login", path)
    login = client.get(f"/sets/{set_id}/quiz", follow_redirects=True).get_data(as_text=True)
    assert "Your teacher asks you to sign in to take" in login
    # the submission route and practice: nothing stored
    response = client.post(f"/sets/{set_id}/quiz", data={**form, "guest_name": "Robin"})
    assert response.status_code == 303 and _next(response) == ("/login", f"/sets/{set_id}")
    response = client.post(
        f"/sets/{set_id}/practice",
        data={"csrf_token": form["csrf_token"], "guest_name": "Robin", "submission_key": "k1"},
    )
    assert response.status_code == 303 and _next(response) == ("/login", f"/sets/{set_id}")
    assert count_rows(app, Attempt, set_id=set_id) == 0
    # the API: a clear 401
    response = client.get(f"/api/v1/sets/{set_id}")
    assert response.status_code == 401
    assert "sign in" in response.get_json()["error"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    # the service refuses a guest whichever view calls it
    from quizapp.services import SignInRequired, attempts

    with app.app_context():
        qset = _set(app, set_id)
        ids = [q.id for q in qset.questions]
        with pytest.raises(SignInRequired):
            attempts.submit_quiz(qset, ids, {}, user=None, guest_name="Robin")
        with pytest.raises(SignInRequired):
            attempts.start_practice(qset, ids, user=None, guest_name="Robin")
    # a signed-in student takes it, and lands back on the quiz after signing in
    _user_id, email = factory.user()
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        f"/login?next=/sets/{set_id}/quiz",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_from(page)},
    )
    assert response.headers["Location"] == f"/sets/{set_id}/quiz"
    response = client.post(f"/sets/{set_id}/quiz", data=_quiz_form(client, set_id))
    assert response.status_code == 303 and "/attempts/" in response.headers["Location"]


def test_a_set_open_to_guests_stays_open(app, client, factory):
    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    assert client.get(f"/sets/{set_id}/quiz").status_code == 200
    assert client.get(f"/api/v1/sets/{set_id}").status_code == 200


def test_guest_attempts_are_limited_per_address_and_set(app, factory):
    from quizapp.models import Attempt

    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    other_set = factory.bank_set(small_bank("Other", "cd" * 32), teacher_id)
    limit = 10  # GUEST_ATTEMPTS_PER_SET in GUEST_WINDOW_SECONDS (an hour), checked below

    def guest(address: str):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        return client

    flooder = guest("203.0.113.7")
    for _ in range(limit):
        form = {**_quiz_form(flooder, set_id), "guest_name": "Flood"}
        assert flooder.post(f"/sets/{set_id}/quiz", data=form).status_code == 303
    form = {**_quiz_form(flooder, set_id), "guest_name": "Flood"}
    refused = flooder.post(f"/sets/{set_id}/quiz", data=form)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    text = refused.get_data(as_text=True)
    assert "guest attempts at this set" in text and "sign in to go on" in text
    # a practice session is a guest attempt too: a clear 429 page
    practice = _start_practice(flooder, set_id, guest_name="Flood")
    assert practice.status_code == 429
    assert "guest attempts at this set" in practice.get_data(as_text=True)
    assert count_rows(app, Attempt, set_id=set_id) == limit
    # the same address at another set, another address, a signed-in student: not limited
    form = {**_quiz_form(flooder, other_set), "guest_name": "Flood"}
    assert flooder.post(f"/sets/{other_set}/quiz", data=form).status_code == 303
    neighbour = guest("203.0.113.8")
    form = {**_quiz_form(neighbour, set_id), "guest_name": "Kim"}
    assert neighbour.post(f"/sets/{set_id}/quiz", data=form).status_code == 303
    student = guest("203.0.113.7")
    _user_id, email = factory.user()
    page = student.get("/login").get_data(as_text=True)
    student.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_from(page)}
    )
    assert student.post(f"/sets/{set_id}/quiz", data=_quiz_form(student, set_id)).status_code == 303
    assert (app.config["GUEST_ATTEMPTS_PER_SET"], app.config["GUEST_WINDOW_SECONDS"]) == (
        limit,
        3600,
    )


def _results_world(app, factory):
    """A published set: one student answering everything right, five guests answering nothing."""
    teacher_id, teacher_email = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    student_id, _ = factory.user("student", "Sam Student")
    factory.attempt(set_id, "right", user_id=student_id)
    for n in range(5):
        factory.attempt(set_id, guest_name=f"Guest {n}")
    return set_id, teacher_email


def test_class_results_can_leave_guests_out(app, client, factory, auth):
    set_id, teacher_email = _results_world(app, factory)
    assert auth.login(teacher_email).status_code == 302
    # by default guests count (as before), and the page says how many
    everyone = client.get(f"/teach/sets/{set_id}/stats").get_data(as_text=True)
    assert "6 attempts · mean 17%" in everyone
    assert "5 of these by guests" in everyone
    assert f"/teach/sets/{set_id}/stats?attempts=all&amp;versions=all&amp;guests=0" in everyone
    students = client.get(f"/teach/sets/{set_id}/stats?guests=0").get_data(as_text=True)
    assert "1 attempt · mean 100%" in students
    assert "Guest 0" not in students and "Sam Student" in students
    assert f"/teach/sets/{set_id}/results.csv?guests=0" in students
    # the CSV
    rows = list(csv.reader(io.StringIO(client.get(f"/teach/sets/{set_id}/results.csv").text)))
    assert len(rows) == 1 + 6
    rows = list(
        csv.reader(io.StringIO(client.get(f"/teach/sets/{set_id}/results.csv?guests=0").text))
    )
    assert [row[0] for row in rows[1:]] == ["Sam Student"]
    # the API
    stats = client.get(f"/api/v1/sets/{set_id}/stats").get_json()
    assert (stats["attempts"], stats["guests"], stats["guest_attempts"]) == (6, True, 5)
    stats = client.get(f"/api/v1/sets/{set_id}/stats?guests=0").get_json()
    assert (stats["attempts"], stats["mean_percent"], stats["guests"]) == (1, 100.0, False)
    assert all(q["facility"] == 1.0 for q in stats["questions"])
    assert client.get(f"/api/v1/sets/{set_id}/stats?guests=no").status_code == 400
