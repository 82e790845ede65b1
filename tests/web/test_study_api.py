"""The flashcard API (contracts §5): GET /api/v1/study/due, POST /api/v1/study/reviews."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from helpers import bearer, small_bank

WHO, COUNT, WHERE, TRUST = "q-mayor00001", "q-visitors01", "q-town000001", "q-trust00001"


@pytest.fixture
def student(app, client, factory):
    """(set id, bearer headers, {bank id: its API id}) with the small bank published. The
    API's question ids are the bank ids, as in /sets/<id>."""
    set_id = factory.bank_set(study_access="study_aid")
    _, email = factory.user()
    ids = {uid: uid for uid in (WHO, COUNT, WHERE, TRUST)}
    return set_id, bearer(client, email), ids


def _error(response, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()
    assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"]
    return body["error"]


def _logs(app) -> int:
    from quizapp.extensions import db
    from quizapp.models import ReviewLog

    with app.app_context():
        return db.session.query(ReviewLog).count()


def test_no_credentials_is_401(client, student):
    set_id, _, ids = student
    _error(client.get("/api/v1/study/due"), 401)
    _error(client.get(f"/api/v1/study/due?set={set_id}"), 401)
    response = client.post("/api/v1/study/reviews", json={"question_id": ids[WHO], "rating": 3})
    _error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    bad = {"Authorization": "Bearer not-a-token"}
    _error(client.get("/api/v1/study/due", headers=bad), 401)


def test_due_is_empty_then_lists_wrong_quiz_answers_oldest_first(app, client, student):
    set_id, headers, ids = student
    response = client.get("/api/v1/study/due", headers=headers)
    assert response.status_code == 200 and response.get_json() == []
    answers = {WHO: "Quintessa Vorbeck", COUNT: "12", WHERE: "Ashby", TRUST: ""}
    attempt = client.post(
        f"/api/v1/sets/{set_id}/attempts", json={"answers": answers}, headers=headers
    )
    assert attempt.status_code == 201
    due = client.get("/api/v1/study/due", headers=headers).get_json()
    assert [item["question_id"] for item in due] == [ids[COUNT], ids[WHERE], ids[TRUST]]
    for item in due:
        assert {"question_id", "prompt", "due"} <= set(item)
        assert isinstance(item["question_id"], str) and isinstance(item["prompt"], str)
        when = datetime.fromisoformat(item["due"])
        assert when.utcoffset() == timedelta(0)
        assert item["set_id"] == set_id
        assert not ({"answer", "explanation", "accepted_answers"} & set(item))
    assert [item["due"] for item in due] == sorted(item["due"] for item in due)
    # The bank ids match those of GET /sets/<id>.
    listed = {
        q["id"]
        for q in client.get(f"/api/v1/sets/{set_id}", headers=headers).get_json()["questions"]
    }
    assert {item["question_id"] for item in due} <= listed


def test_due_of_one_set_and_new_cards_on_request(client, factory, student):
    set_id, headers, ids = student
    other = factory.bank_set(small_bank("Second festival", "cd" * 32))
    client.post(f"/api/v1/sets/{other}/attempts", json={"answers": {}}, headers=headers)
    assert len(client.get("/api/v1/study/due", headers=headers).get_json()) == 4
    assert client.get(f"/api/v1/study/due?set={set_id}", headers=headers).get_json() == []
    new = client.get(f"/api/v1/study/due?set={set_id}&new=1", headers=headers).get_json()
    assert [(item["question_id"], item["due"], item["new"]) for item in new] == [
        (ids[uid], None, True) for uid in (WHO, COUNT, WHERE, TRUST)
    ]


@pytest.mark.parametrize(("query", "status"), [("abc", 400), ("-1", 400), ("99999", 404)])
def test_due_with_a_bad_or_unknown_set(client, student, query, status):
    _error(client.get(f"/api/v1/study/due?set={query}", headers=student[1]), status)


def test_due_of_a_draft_set_is_404(client, factory, student):
    draft = factory.bank_set(small_bank("Secret draft", "cd" * 32), status="draft")
    _error(client.get(f"/api/v1/study/due?set={draft}", headers=student[1]), 404)


def test_review_is_scheduled_by_fsrs(app, client, student):
    _, headers, ids = student
    intervals = {}
    for rating, uid in zip((1, 2, 3, 4), (WHO, COUNT, WHERE, TRUST), strict=True):
        response = client.post(
            "/api/v1/study/reviews",
            json={"question_id": ids[uid], "rating": rating},
            headers=headers,
        )
        assert response.status_code == 201
        body = response.get_json()
        assert {"question_id", "due", "interval_days"} <= set(body)
        assert body["question_id"] == ids[uid]
        assert datetime.fromisoformat(body["due"]).utcoffset() == timedelta(0)
        intervals[rating] = body["interval_days"]
    # New cards: 1 minute, 5.5 minutes, 10 minutes, then days.
    assert intervals[1] < intervals[2] < intervals[3] < 1 <= intervals[4]
    assert intervals[3] == pytest.approx(10 / 1440, abs=1e-4)
    assert _logs(app) == 4


def test_each_post_is_a_review(app, client, student):
    _, headers, ids = student
    body = {"question_id": ids[WHO], "rating": 3, "duration_ms": 3500}
    first = client.post("/api/v1/study/reviews", json=body, headers=headers).get_json()
    second = client.post("/api/v1/study/reviews", json=body, headers=headers).get_json()
    assert first["state"] == "learning" and second["state"] == "review"
    assert second["interval_days"] >= 1
    assert _logs(app) == 2


OK = "a valid question id"


@pytest.mark.parametrize(
    "body",
    [
        {"question_id": None, "rating": 3},
        {"rating": 3},
        {"question_id": 1, "rating": 3},
        {"question_id": True, "rating": 3},
        {"question_id": "", "rating": 3},
        {"question_id": "q" * 65, "rating": 3},
        {"question_id": OK, "rating": 3, "set_id": "1"},
        {"question_id": OK, "rating": 3, "set_id": 0},
        {"question_id": OK, "rating": 0},
        {"question_id": OK, "rating": 5},
        {"question_id": OK, "rating": "3"},
        {"question_id": OK, "rating": 3.0},
        {"question_id": OK, "rating": True},
        {"question_id": OK, "rating": None},
        {"question_id": OK},
        {"question_id": OK, "rating": 3, "duration_ms": -1},
        {"question_id": OK, "rating": 3, "duration_ms": "fast"},
    ],
)
def test_bad_review_bodies_are_400(app, client, student, body):
    _, headers, ids = student
    body = {k: ids[WHO] if v == OK else v for k, v in body.items()}
    _error(client.post("/api/v1/study/reviews", json=body, headers=headers), 400)
    assert _logs(app) == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": "rating=3", "content_type": "application/x-www-form-urlencoded"},
        {"data": "[1, 2]", "content_type": "application/json"},
        {"data": "{not json", "content_type": "application/json"},
    ],
)
def test_review_body_must_be_a_json_object(client, student, kwargs):
    _error(client.post("/api/v1/study/reviews", headers=student[1], **kwargs), 400)


def test_unknown_draft_or_disabled_questions_are_404(app, client, factory, student):
    from quizapp.extensions import db
    from quizapp.models import Question

    set_id, headers, ids = student
    draft = factory.bank_set(small_bank("Secret draft", "cd" * 32), status="draft")
    with app.app_context():
        db.session.execute(
            db.update(Question)
            .where(Question.set_id == set_id, Question.uid == TRUST)
            .values(enabled=False)
        )
        db.session.commit()
    for body in (
        {"question_id": "q-nothing"},
        {"question_id": WHO, "set_id": draft},  # the draft's copy of a published question
        {"question_id": TRUST},
        {"question_id": WHO, "set_id": 999999},
    ):
        response = client.post("/api/v1/study/reviews", json={**body, "rating": 3}, headers=headers)
        assert "No such question" in _error(response, 404)
    assert _logs(app) == 0


def test_cookie_session_needs_the_csrf_header(app, client, factory, auth, student):
    _, _, ids = student
    _, email = factory.user()
    auth.login(email)
    body = {"question_id": ids[WHO], "rating": 3}
    _error(client.post("/api/v1/study/reviews", json=body), 400)
    assert client.get("/api/v1/study/due").status_code == 200
    token = client.get("/api/v1/csrf-token").get_json()["csrf_token"]
    response = client.post("/api/v1/study/reviews", json=body, headers={"X-CSRFToken": token})
    assert response.status_code == 201
    assert _logs(app) == 1


def test_schedules_are_per_user(app, client, factory, student):
    set_id, alice, ids = student
    _, email = factory.user()
    bob = bearer(client, email)
    client.post(f"/api/v1/sets/{set_id}/attempts", json={"answers": {}}, headers=alice)
    assert len(client.get("/api/v1/study/due", headers=alice).get_json()) == 4
    assert client.get("/api/v1/study/due", headers=bob).get_json() == []


def test_a_bank_id_in_two_sets_needs_the_set_unless_one_card_is_due(client, factory, student):
    set_id, headers, _ = student
    # the same bank ids, open for study before a quiz
    other = factory.bank_set(small_bank("Second festival", "cd" * 32), study_access="study_aid")
    body = {"question_id": WHO, "rating": 3}
    response = client.post("/api/v1/study/reviews", json=body, headers=headers)
    assert "give 'set_id'" in _error(response, 400)
    chosen = client.post(
        "/api/v1/study/reviews", json={**body, "set_id": other}, headers=headers
    ).get_json()
    assert chosen["set_id"] == other
    # that card is not due now (10 minutes): the id alone is still ambiguous, never a guess
    again = client.post("/api/v1/study/reviews", json=body, headers=headers)
    assert "give 'set_id'" in _error(again, 400)
    # a wrong quiz answer in the first set makes that card due: the id alone goes there
    client.post(f"/api/v1/sets/{set_id}/attempts", json={"answers": {}}, headers=headers)
    due = client.get("/api/v1/study/due", headers=headers).get_json()
    assert [i["set_id"] for i in due if i["question_id"] == WHO] == [set_id]
    reviewed = client.post("/api/v1/study/reviews", json=body, headers=headers)
    assert reviewed.status_code == 201 and reviewed.get_json()["set_id"] == set_id
