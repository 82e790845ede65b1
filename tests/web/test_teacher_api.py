"""The teacher routes of the JSON API (contracts §5): create a set from text, change its status
and title, edit a question (attempts keep their version), read its statistics."""

from __future__ import annotations

import pytest
from helpers import bearer, small_bank
from test_teacher import ARTICLE


@pytest.fixture
def teacher(client, factory):
    user_id, email = factory.user("teacher")
    return user_id, bearer(client, email)


@pytest.fixture
def student(client, factory):
    user_id, email = factory.user("student")
    return user_id, bearer(client, email)


def _error(response, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]
    return body["error"]


def test_create_a_set_from_text(client, teacher):
    _, headers = teacher
    response = client.post(
        "/api/v1/sets", json={"title": "Festival", "text": ARTICLE}, headers=headers
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "draft" and body["title"] == "Festival"
    assert len(body["questions"]) >= 4
    first = body["questions"][0]
    assert {"id", "category", "format", "prompt", "answer", "accepted_answers"} <= set(first)
    # the same article again: that set, not a second one
    again = client.post(
        "/api/v1/sets", json={"title": "Festival", "text": ARTICLE}, headers=headers
    )
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]
    # students cannot take the draft
    assert body["id"] not in [s["id"] for s in client.get("/api/v1/sets").get_json()]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"title": "x", "text": ""}, "non-empty"),
        ({"title": "x", "text": "   "}, "non-empty"),
        ({"title": "x"}, "non-empty"),
        ({"title": 5, "text": ARTICLE}, "'title' must be a string"),
        ({"title": "x", "text": "word " * 50_000}, "too large"),
        ({"title": "x", "text": "Nothing here at all."}, "No questions could be made"),
        ({"title": "x", "text": ARTICLE, "source_url": "javascript:alert(1)"}, "http"),
    ],
)
def test_create_refuses_bad_text_with_a_clear_400(client, teacher, body, message):
    _, headers = teacher
    assert message in _error(client.post("/api/v1/sets", json=body, headers=headers), 400)


def test_create_refuses_a_body_over_the_request_limit_with_400(client, teacher):
    _, headers = teacher
    huge = {"title": "x", "text": "word " * 1_000_000}  # 5 MB
    assert "too large" in _error(client.post("/api/v1/sets", json=huge, headers=headers), 400)


def test_students_and_strangers_cannot_create_sets(client, student):
    _, headers = student
    _error(client.post("/api/v1/sets", json={"title": "x", "text": ARTICLE}, headers=headers), 403)
    _error(client.post("/api/v1/sets", json={"title": "x", "text": ARTICLE}), 401)


def test_publish_rename_and_archive(client, factory, teacher):
    owner, headers = teacher
    set_id = factory.bank_set(small_bank(), owner_id=owner, status="draft")
    response = client.patch(f"/api/v1/sets/{set_id}", json={"status": "published"}, headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "published" and len(body["join_code"]) == 6
    assert set_id in [s["id"] for s in client.get("/api/v1/sets").get_json()]
    renamed = client.patch(f"/api/v1/sets/{set_id}", json={"title": "Renamed"}, headers=headers)
    assert renamed.get_json()["title"] == "Renamed"
    client.patch(f"/api/v1/sets/{set_id}", json={"status": "archived"}, headers=headers)
    assert set_id not in [s["id"] for s in client.get("/api/v1/sets").get_json()]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"status": "open"}, "Status must be one of"),
        ({"status": 3}, "'status' must be one of"),
        ({"title": ""}, "needs a title"),
        ({"colour": "red"}, "Unknown field"),
        ({}, "Give 'status'"),
    ],
)
def test_bad_set_changes_are_400(client, factory, teacher, body, message):
    owner, headers = teacher
    set_id = factory.bank_set(small_bank(), owner_id=owner, status="draft")
    assert message in _error(
        client.patch(f"/api/v1/sets/{set_id}", json=body, headers=headers), 400
    )


def test_edit_a_question_keeps_answered_versions(client, factory, teacher, student):
    owner, headers = teacher
    _, student_headers = student
    set_id = factory.bank_set(small_bank(), owner_id=owner)
    attempt = client.post(
        f"/api/v1/sets/{set_id}/attempts",
        json={"answers": {"q-town000001": "Zanthorpe"}},
        headers=student_headers,
    ).get_json()
    edited = client.patch(
        f"/api/v1/sets/{set_id}/questions/q-town000001",
        json={"answer": "Kelmore", "explanation": "Moved to Kelmore."},
        headers=headers,
    )
    assert edited.status_code == 200
    body = edited.get_json()
    assert body["answer"] == "Kelmore" and body["version"] == 2 and "updated_at" in body
    assert sorted(body["choices"]) == ["Ashby", "Dunmarch", "Kelmore", "Zanthorpe"]
    # the attempt already made keeps the version it answered
    stored = client.get(f"/api/v1/attempts/{attempt['attempt_id']}", headers=student_headers)
    town = next(r for r in stored.get_json()["results"] if r["question_id"] == "q-town000001")
    assert (town["correct"], town["expected"]) == (True, "Zanthorpe")
    again = client.post(
        f"/api/v1/sets/{set_id}/attempts",
        json={"answers": {"q-town000001": "Zanthorpe"}},
        headers=student_headers,
    ).get_json()
    town = next(r for r in again["results"] if r["question_id"] == "q-town000001")
    assert (town["correct"], town["expected"]) == (False, "Kelmore")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"choices": ["A", "B", "C", "D"]}, "must be one of the choices"),
        ({"prompt": ""}, "needs a prompt"),
        ({"enabled": "no"}, "'enabled' must be true or false"),
        ({"answer": 4}, "'answer' must be a string"),
        ({"accepted_answers": "Kelmore"}, "must be a list"),
        ({"secret": 1}, "Unknown field"),
    ],
)
def test_bad_question_edits_are_400(client, factory, teacher, body, message):
    owner, headers = teacher
    set_id = factory.bank_set(small_bank(), owner_id=owner)
    url = f"/api/v1/sets/{set_id}/questions/q-town000001"
    assert message in _error(client.patch(url, json=body, headers=headers), 400)


def test_disable_a_question_and_unknown_questions_are_404(client, factory, teacher):
    owner, headers = teacher
    set_id = factory.bank_set(small_bank(), owner_id=owner)
    url = f"/api/v1/sets/{set_id}/questions/q-town000001"
    assert (
        client.patch(url, json={"enabled": False}, headers=headers).get_json()["enabled"] is False
    )
    assert client.get(f"/api/v1/sets/{set_id}").get_json()["question_count"] == 3
    _error(client.patch(f"/api/v1/sets/{set_id}/questions/nope", json={}, headers=headers), 404)


def test_stats_shape_and_null_discrimination_under_two_attempts(client, factory, teacher, student):
    owner, headers = teacher
    _, student_headers = student
    set_id = factory.bank_set(small_bank(), owner_id=owner)
    empty = client.get(f"/api/v1/sets/{set_id}/stats", headers=headers).get_json()
    assert empty == {
        "attempts": 0,
        "mean_score": None,
        "mean_percent": None,
        "counted": "all",
        "guests": True,
        "guest_attempts": 0,
        "questions": [],
    }
    client.post(
        f"/api/v1/sets/{set_id}/attempts",
        json={"answers": {"q-town000001": "Ashby", "q-mayor00001": "Vorbeck"}},
        headers=student_headers,
    )
    stats = client.get(f"/api/v1/sets/{set_id}/stats", headers=headers).get_json()
    assert stats["attempts"] == 1 and stats["mean_score"] == 1
    town = next(q for q in stats["questions"] if q["id"] == "q-town000001")
    assert town["facility"] == 0 and town["discrimination"] is None
    assert town["answers"] == {"Ashby": 1}
    _error(client.get(f"/api/v1/sets/{set_id}/stats", headers=student_headers), 403)
    _error(client.get(f"/api/v1/sets/{set_id}/stats?attempts=some", headers=headers), 400)


def test_stats_answers_add_up_across_versions_of_the_key(client, factory, teacher):
    owner, headers = teacher
    set_id = factory.bank_set(small_bank(), owner_id=owner)
    students = [bearer(client, factory.user("student")[1]) for _ in range(3)]
    url = f"/api/v1/sets/{set_id}/attempts"
    body = {"answers": {"q-town000001": "Zanthorpe"}}
    client.post(url, json=body, headers=students[0])  # right under version 1
    client.patch(
        f"/api/v1/sets/{set_id}/questions/q-town000001", json={"answer": "Kelmore"}, headers=headers
    )
    for student_headers in students[1:]:
        client.post(url, json=body, headers=student_headers)  # wrong under version 2
    stats = client.get(f"/api/v1/sets/{set_id}/stats", headers=headers).get_json()
    town = next(q for q in stats["questions"] if q["id"] == "q-town000001")
    assert town["answers"] == {"Zanthorpe": 3}
    assert town["answered"] == 3


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"unit": 5}, "The unit must be text"),
        ({"unit": "u" * 81}, "at most 80"),
        ({"choices": ["1", "2", "3", "4500"]}, "Choices belong to multiple-choice"),
    ],
)
def test_numeric_question_edits_that_would_lose_data_are_400(
    client, factory, teacher, body, message
):
    owner, headers = teacher
    set_id = factory.bank_set(small_bank(), owner_id=owner)
    url = f"/api/v1/sets/{set_id}/questions/q-visitors01"
    assert message in _error(client.patch(url, json=body, headers=headers), 400)
    unchanged = client.patch(url, json={}, headers=headers).get_json()
    assert unchanged["numeric"]["unit"] == "visitors" and unchanged["version"] == 1


def test_stats_of_the_current_versions_leave_earlier_answers_out(client, factory, teacher):
    owner, headers = teacher
    set_id = factory.bank_set(small_bank(), owner_id=owner)
    students = [bearer(client, factory.user("student")[1]) for _ in range(3)]
    url = f"/api/v1/sets/{set_id}/attempts"
    client.post(url, json={"answers": {"q-town000001": "Ashby"}}, headers=students[0])
    client.patch(
        f"/api/v1/sets/{set_id}/questions/q-town000001", json={"answer": "Ashby"}, headers=headers
    )  # the key was wrong: the teacher fixes it
    for student_headers in students[1:]:
        client.post(url, json={"answers": {"q-town000001": "Ashby"}}, headers=student_headers)
    stats = f"/api/v1/sets/{set_id}/stats"
    every = client.get(stats, headers=headers).get_json()
    current = client.get(stats + "?versions=current", headers=headers).get_json()

    def town(body):
        return next(q for q in body["questions"] if q["id"] == "q-town000001")

    assert (town(every)["answered"], town(every)["facility"]) == (3, pytest.approx(2 / 3))
    assert (town(current)["answered"], town(current)["facility"]) == (2, 1.0)
    assert current["attempts"] == every["attempts"] == 3  # scores stay as graded
    _error(client.get(stats + "?versions=latest", headers=headers), 400)
