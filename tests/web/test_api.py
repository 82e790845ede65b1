"""The student JSON API, /api/v1 (contracts §5): tokens, sets, attempts, idempotency, CSRF."""

from __future__ import annotations

import json

import pytest
from helpers import PASSWORD, bearer, small_bank
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# The small bank's questions (bank ids) and its secrets (never sent before submitting).
WHO, COUNT, WHERE, TRUST = "q-mayor00001", "q-visitors01", "q-town000001", "q-trust00001"
SECRETS = ("Quintessa", "Vorbeck", "4,500", "4500", "Glimmerstone", "explained-zq")
FORBIDDEN_KEYS = {"answer", "accepted_answers", "explanation", "source_sentence", "numeric"}


@pytest.fixture
def student(client, factory):
    """(set id, bearer headers of a student) with the small bank published."""
    set_id = factory.bank_set()
    _, email = factory.user()
    return set_id, bearer(client, email)


def _attempt_count(app) -> int:
    from quizapp.extensions import db
    from quizapp.models import Attempt

    with app.app_context():
        return db.session.query(Attempt).count()


def _keys(value) -> set[str]:
    """Every object key anywhere in a JSON value."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _assert_json_error(response, status: int) -> None:
    assert response.status_code == status
    assert response.is_json
    body = response.get_json()
    assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"]


# -- POST /auth/token ------------------------------------------------------------------------


def test_token_is_issued_for_good_credentials(client, factory):
    _, email = factory.user()
    response = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200
    token = response.get_json()["token"]
    assert isinstance(token, str) and len(token) >= 32


@pytest.mark.parametrize(
    "body",
    [
        {"email": "student1@example.com", "password": "wrong password"},
        {"email": "nobody@example.com", "password": PASSWORD},
        {"email": "STUDENT1@example.com", "password": PASSWORD.upper()},
    ],
)
def test_token_refused_for_bad_credentials(client, factory, body):
    factory.user()
    response = client.post("/api/v1/auth/token", json=body)
    _assert_json_error(response, 401)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": "email=a@b.c&password=x", "content_type": "application/x-www-form-urlencoded"},
        {"data": "{not json", "content_type": "application/json"},
        {"json": ["student1@example.com", PASSWORD]},
        {"json": "student1@example.com"},
        {"json": None},
        {"json": {"email": "student1@example.com"}},
        {"json": {"password": PASSWORD}},
        {"json": {"email": 5, "password": PASSWORD}},
        {"json": {"email": "student1@example.com", "password": ["x"]}},
        {"json": {"email": None, "password": None}},
    ],
)
def test_token_rejects_malformed_bodies(client, factory, kwargs):
    factory.user()
    _assert_json_error(client.post("/api/v1/auth/token", **kwargs), 400)


# -- GET /sets, /sets/<id> -------------------------------------------------------------------


def test_sets_lists_published_sets_only(client, factory, student):
    set_id, headers = student
    factory.bank_set(small_bank("Secret draft", "cd" * 32), status="draft")
    response = client.get("/api/v1/sets", headers=headers)
    assert response.status_code == 200
    assert response.get_json() == [{"id": set_id, "title": "Harbour festival", "question_count": 4}]


def test_teacher_sees_own_draft_in_sets(client, factory):
    teacher_id, email = factory.user("teacher")
    draft_id = factory.bank_set(owner_id=teacher_id, status="draft")
    other_id, _ = factory.user("teacher")
    factory.bank_set(small_bank("Other draft", "ef" * 32), owner_id=other_id, status="draft")
    listed = client.get("/api/v1/sets", headers=bearer(client, email)).get_json()
    assert [s["id"] for s in listed] == [draft_id]


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer ", "bearer " + "x" * 500])
def test_invalid_bearer_token_is_401_with_challenge(client, header):
    response = client.get("/api/v1/sets", headers={"Authorization": header})
    _assert_json_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_set_json_has_questions_without_answer_key(client, student):
    set_id, headers = student
    response = client.get(f"/api/v1/sets/{set_id}", headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    questions = body["questions"]
    assert [q["id"] for q in questions] == [WHO, COUNT, WHERE, TRUST]
    for question in questions:
        assert {"id", "category", "format", "prompt"} <= set(question)
        assert ("choices" in question) == (question["format"] == "multiple_choice")
    assert questions[2]["choices"] == ["Ashby", "Zanthorpe", "Kelmore", "Dunmarch"]
    assert not _keys(body) & FORBIDDEN_KEYS


def test_set_json_raw_body_leaks_nothing(client, student):
    set_id, headers = student
    raw = client.get(f"/api/v1/sets/{set_id}", headers=headers).get_data(as_text=True)
    for secret in SECRETS:
        assert secret not in raw
    for question in small_bank()["questions"]:
        assert question["source_sentence"] not in raw
    assert raw.count("Zanthorpe") == 1  # only as one of the four choices


def test_draft_and_unknown_sets_are_404(client, factory, student):
    _, headers = student
    teacher_id, _ = factory.user("teacher")
    draft_id = factory.bank_set(small_bank("Draft", "cd" * 32), owner_id=teacher_id, status="draft")
    for set_id in (draft_id, 9999):
        _assert_json_error(client.get(f"/api/v1/sets/{set_id}", headers=headers), 404)


# -- POST /sets/<id>/attempts ----------------------------------------------------------------

MIXED = {WHO: "vorbeck", COUNT: "4 500", WHERE: "Zanthorpe", TRUST: ""}


def test_attempt_is_graded_and_returned(client, student):
    set_id, headers = student
    response = client.post(
        f"/api/v1/sets/{set_id}/attempts", headers=headers, json={"answers": MIXED}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert isinstance(body["attempt_id"], int)
    assert (body["score"], body["max_score"]) == (3, 4)
    results = {r["question_id"]: r for r in body["results"]}
    assert [r["question_id"] for r in body["results"]] == [WHO, COUNT, WHERE, TRUST]
    assert [results[q]["correct"] for q in (WHO, COUNT, WHERE, TRUST)] == [True, True, True, False]
    assert results[WHO]["given"] == "vorbeck"
    assert results[WHO]["expected"] == "Quintessa Vorbeck"
    assert results[TRUST]["expected"] == "Glimmerstone Trust"
    assert "explained-zq4" in results[TRUST]["explanation"]


def test_attempt_with_missing_answers_counts_them_wrong(client, student):
    set_id, headers = student
    body = client.post(
        f"/api/v1/sets/{set_id}/attempts", headers=headers, json={"answers": {}}
    ).get_json()
    assert (body["score"], body["max_score"]) == (0, 4)


def test_attempt_without_credentials_is_401(app, client, factory):
    set_id = factory.bank_set()
    response = client.post(f"/api/v1/sets/{set_id}/attempts", json={"answers": MIXED})
    _assert_json_error(response, 401)
    assert _attempt_count(app) == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": "answers=x", "content_type": "application/x-www-form-urlencoded"},
        {"data": "{broken", "content_type": "application/json"},
        {"json": [MIXED]},
        {"json": {}},
        {"json": {"answers": "Zanthorpe"}},
        {"json": {"answers": [["q-town000001", "Zanthorpe"]]}},
        {"json": {"answers": {WHERE: ["Zanthorpe"]}}},
        {"json": {"answers": {WHERE: {"text": "Zanthorpe"}}}},
        {"json": {"answers": {WHERE: True}}},
        {"json": {"answers": {"q-nosuchthing": "x"}}},
        {"json": {"answers": {}, "questions": WHO}},
        {"json": {"answers": {}, "questions": {"id": WHO}}},
        {"json": {"answers": {}, "questions": [1, 2]}},
        {"json": {"answers": {}, "questions": ["q-nosuchthing"]}},
    ],
)
def test_attempt_rejects_malformed_bodies(app, client, student, kwargs):
    set_id, headers = student
    response = client.post(f"/api/v1/sets/{set_id}/attempts", headers=headers, **kwargs)
    _assert_json_error(response, 400)
    assert _attempt_count(app) == 0


def test_attempt_on_chosen_questions_only(client, student):
    """A retry of a question the first quiz got wrong."""
    set_id, headers = student
    first = client.post(f"/api/v1/sets/{set_id}/attempts", headers=headers, json={"answers": {}})
    assert first.status_code == 201
    body = client.post(
        f"/api/v1/sets/{set_id}/attempts",
        headers=headers,
        json={"answers": {TRUST: "glimmerstone trust"}, "questions": [TRUST]},
    ).get_json()
    assert (body["score"], body["max_score"]) == (1, 1)


def _post_with_key(client, set_id, headers, key, answers=MIXED):
    return client.post(
        f"/api/v1/sets/{set_id}/attempts",
        headers={**headers, "Idempotency-Key": key},
        json={"answers": answers},
    )


def test_same_idempotency_key_replays_the_first_attempt(app, client, student):
    set_id, headers = student
    first = _post_with_key(client, set_id, headers, "key-1")
    second = _post_with_key(client, set_id, headers, "key-1", answers={})
    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.get_json() == first.get_json()
    assert _attempt_count(app) == 1


def test_different_idempotency_keys_make_two_attempts(app, client, student):
    set_id, headers = student
    first = _post_with_key(client, set_id, headers, "key-1").get_json()
    second = _post_with_key(client, set_id, headers, "key-2").get_json()
    assert first["attempt_id"] != second["attempt_id"]
    assert _attempt_count(app) == 2


def test_overlong_idempotency_key_is_400(app, client, student):
    set_id, headers = student
    _assert_json_error(_post_with_key(client, set_id, headers, "k" * 101), 400)
    assert _attempt_count(app) == 0
    assert _post_with_key(client, set_id, headers, "k" * 100).status_code == 201


def test_idempotency_key_reused_for_another_set_is_409(app, client, factory, student):
    set_id, headers = student
    other_id = factory.bank_set(small_bank("Second set", "cd" * 32))
    assert _post_with_key(client, set_id, headers, "key-1").status_code == 201
    _assert_json_error(_post_with_key(client, other_id, headers, "key-1"), 409)
    assert _attempt_count(app) == 1


def test_idempotency_keys_are_per_user(app, client, factory, student):
    set_id, headers = student
    _, other_email = factory.user()
    first = _post_with_key(client, set_id, headers, "shared").get_json()
    second = _post_with_key(client, set_id, bearer(client, other_email), "shared")
    assert second.status_code == 201 and "Idempotent-Replayed" not in second.headers
    assert second.get_json()["attempt_id"] != first["attempt_id"]


# -- cookie authentication needs the CSRF header ---------------------------------------------


def test_cookie_post_without_csrf_header_is_refused(app, client, factory, auth):
    set_id = factory.bank_set()
    _, email = factory.user()
    auth.login(email)
    response = client.post(f"/api/v1/sets/{set_id}/attempts", json={"answers": MIXED})
    _assert_json_error(response, 400)
    assert _attempt_count(app) == 0


def test_cookie_post_with_csrf_header_is_accepted(app, client, factory, auth):
    set_id = factory.bank_set()
    _, email = factory.user()
    auth.login(email)
    token = client.get("/api/v1/csrf-token").get_json()["csrf_token"]
    response = client.post(
        f"/api/v1/sets/{set_id}/attempts",
        json={"answers": MIXED},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201
    assert _attempt_count(app) == 1


def test_cookie_post_with_forged_csrf_header_is_refused(app, client, factory, auth):
    set_id = factory.bank_set()
    _, email = factory.user()
    auth.login(email)
    response = client.post(
        f"/api/v1/sets/{set_id}/attempts",
        json={"answers": MIXED},
        headers={"X-CSRFToken": "forged.token.value"},
    )
    _assert_json_error(response, 400)
    assert _attempt_count(app) == 0


# -- GET /attempts/<id> ----------------------------------------------------------------------


def _submitted(client, set_id, headers) -> dict:
    response = client.post(
        f"/api/v1/sets/{set_id}/attempts", headers=headers, json={"answers": MIXED}
    )
    assert response.status_code == 201
    return response.get_json()


def test_owner_reads_the_stored_attempt(client, student):
    set_id, headers = student
    posted = _submitted(client, set_id, headers)
    response = client.get(f"/api/v1/attempts/{posted['attempt_id']}", headers=headers)
    assert response.status_code == 200
    assert response.get_json() == posted


def test_other_student_gets_404_for_an_attempt(client, factory, student):
    set_id, headers = student
    attempt_id = _submitted(client, set_id, headers)["attempt_id"]
    _, other = factory.user()
    response = client.get(f"/api/v1/attempts/{attempt_id}", headers=bearer(client, other))
    _assert_json_error(response, 404)


def test_anonymous_gets_401_for_an_attempt(client, student):
    set_id, headers = student
    attempt_id = _submitted(client, set_id, headers)["attempt_id"]
    response = client.get(f"/api/v1/attempts/{attempt_id}")
    _assert_json_error(response, 401)
    assert "WWW-Authenticate" in response.headers


def test_sets_teacher_reads_a_students_attempt(client, factory):
    teacher_id, teacher_email = factory.user("teacher")
    set_id = factory.bank_set(owner_id=teacher_id, status="published")
    _, student_email = factory.user()
    posted = _submitted(client, set_id, bearer(client, student_email))
    response = client.get(
        f"/api/v1/attempts/{posted['attempt_id']}", headers=bearer(client, teacher_email)
    )
    assert response.status_code == 200
    assert response.get_json() == posted


def test_other_teacher_gets_404_for_an_attempt(client, factory, student):
    set_id, headers = student
    attempt_id = _submitted(client, set_id, headers)["attempt_id"]
    _, teacher_email = factory.user("teacher")
    response = client.get(f"/api/v1/attempts/{attempt_id}", headers=bearer(client, teacher_email))
    _assert_json_error(response, 404)


def test_unknown_attempt_is_404(client, student):
    _, headers = student
    _assert_json_error(client.get("/api/v1/attempts/9999", headers=headers), 404)


# -- errors are JSON -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/sets/1/nope", "/api/v2/sets"])
def test_unknown_api_route_is_404_json(client, path):
    _assert_json_error(client.get(path), 404)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", "/api/v1/sets"),
        ("put", "/api/v1/sets"),
        ("get", "/api/v1/auth/token"),
        ("post", "/api/v1/attempts/1"),
        ("delete", "/api/v1/sets/1/attempts"),
    ],
)
def test_wrong_method_is_405_json(client, factory, method, path):
    factory.bank_set()
    response = getattr(client, method)(path)
    _assert_json_error(response, 405)
    assert response.headers.get("Allow")


# -- fuzzing: no body makes a 500 ------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from([WHO, COUNT, WHERE, TRUST, "answers", "questions", "email", "password"]),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.text(max_size=10) | st.sampled_from(["answers", "questions", "email", "password"]),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)
ANSWERS_BODIES = JSON_VALUES | st.fixed_dictionaries(
    {"answers": st.dictionaries(st.sampled_from([WHO, COUNT, WHERE, TRUST]), JSON_VALUES)},
    optional={"questions": JSON_VALUES},
)
FUZZ = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _assert_no_server_error(response) -> None:
    assert response.status_code < 500
    assert response.is_json
    json.loads(response.get_data(as_text=True))


@FUZZ
@given(body=ANSWERS_BODIES)
def test_fuzzed_attempt_bodies_never_500(client, student, body):
    set_id, headers = student
    response = client.post(f"/api/v1/sets/{set_id}/attempts", headers=headers, json=body)
    _assert_no_server_error(response)


@FUZZ
@given(body=JSON_VALUES)
def test_fuzzed_token_bodies_never_500(client, student, body):
    _assert_no_server_error(client.post("/api/v1/auth/token", json=body))
