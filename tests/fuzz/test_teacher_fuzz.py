"""Every teacher form and JSON route answers random input with a page or a 4xx, never a 5xx
(Hypothesis, 100 examples each), and NUL bytes never reach the database."""

from __future__ import annotations

import pytest
from helpers import csrf_from, small_bank
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=300, max_size=600),
    st.sampled_from(
        ["", " ", "0", "-1", "1e999", "NaN", "<script>alert(1)</script>", "\x00", "_____"]
    ),
    st.sampled_from(["multiple_choice", "numeric", "cloze", "short_answer", "who", "how_many"]),
)
JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
QUESTION_FIELDS = [
    "format", "category", "prompt", "answer", "accepted", "wrong_options", "tolerance", "unit",
    "explanation", "source_sentence", "version", "suggest", "round",
]  # fmt: skip


def _form(fields: list[str]):
    names = st.one_of(st.sampled_from(fields), st.text(min_size=1, max_size=12))
    return st.dictionaries(names, TEXT, max_size=len(fields) + 2)


@pytest.fixture
def own_set(client, factory, auth):
    user_id, email = factory.user("teacher")
    auth.login(email)
    return factory.bank_set(small_bank(), owner_id=user_id, status="draft")


def _post(client, path: str, data: dict):
    token = csrf_from(client.get("/teach/").get_data(as_text=True))
    response = client.post(path, data={**data, "csrf_token": token})
    assert response.status_code < 500, (path, data)
    assert "Traceback" not in response.get_data(as_text=True)
    return response


def _question_id(app, set_id: int, index: int = 2) -> int:
    from quizapp.extensions import db
    from quizapp.models import Question

    with app.app_context():
        ids = db.session.scalars(
            db.select(Question.id).where(Question.set_id == set_id).order_by(Question.position)
        ).all()
        return ids[index]


@FUZZ
@given(data=_form(QUESTION_FIELDS), index=st.integers(0, 3))
def test_question_edit_form_never_500(app, client, own_set, data, index):
    qid = _question_id(app, own_set, index)
    _post(client, f"/teach/sets/{own_set}/questions/{qid}", data)


@FUZZ
@given(data=_form(QUESTION_FIELDS))
def test_add_question_form_never_500(client, own_set, data):
    _post(client, f"/teach/sets/{own_set}/questions/new", data)


@FUZZ
@given(
    details=_form(["title", "source_url", "published"]),
    status=_form(["status"]),
    bulk=_form(["action", "question"]),
    move=_form(["direction"]),
)
def test_set_forms_never_500(app, client, own_set, details, status, bulk, move):
    _post(client, f"/teach/sets/{own_set}", details)
    _post(client, f"/teach/sets/{own_set}/questions/bulk", bulk)
    qid = _question_id(app, own_set)
    _post(client, f"/teach/sets/{own_set}/questions/{qid}/move", move)
    _post(client, f"/teach/sets/{own_set}/questions/{qid}/toggle", move)
    if status.get("status") != "delete":
        _post(client, f"/teach/sets/{own_set}/status", status)


@FUZZ
@given(data=_form(["title", "text", "source_url", "published"]))
def test_new_set_form_never_500(client, own_set, data):
    _post(client, "/teach/sets/new", data)


@FUZZ
@given(body=JSON_VALUE, set_body=JSON_VALUE)
def test_teacher_json_routes_never_500(client, own_set, body, set_body):
    token = csrf_from(client.get("/teach/").get_data(as_text=True))
    headers = {"X-CSRFToken": token}
    for method, url, payload in (
        ("PATCH", f"/api/v1/sets/{own_set}/questions/q-town000001", body),
        ("PATCH", f"/api/v1/sets/{own_set}", set_body),
        ("POST", "/api/v1/sets", body),
    ):
        response = client.open(url, method=method, json=payload, headers=headers)
        assert response.status_code < 500, (method, url, payload)
        assert set(response.get_json()) >= ({"error"} if response.status_code >= 400 else set())


def test_nul_bytes_in_teacher_input_are_dropped_or_refused(app, client, own_set):
    from quizapp.extensions import db
    from quizapp.models import Question, QuestionSet

    qid = _question_id(app, own_set)
    response = _post(
        client,
        f"/teach/sets/{own_set}/questions/{qid}",
        {
            "format": "short_answer",
            "category": "where",
            "prompt": "Where\x00 is it?",
            "answer": "Zan\x00thorpe",
            "explanation": "x\x00",
        },
    )
    assert response.status_code == 303
    _post(client, f"/teach/sets/{own_set}", {"title": "T\x00itle", "source_url": "http://a\x00b"})
    refused = _post(client, "/teach/sets/new", {"text": "Some\x00 text. " * 20})
    assert refused.status_code == 400 and "binary data" in refused.get_data(as_text=True)
    with app.app_context():
        question = db.session.get(Question, qid)
        assert (question.prompt, question.answer) == ("Where is it?", "Zanthorpe")
        assert "\x00" not in db.session.get(QuestionSet, own_set).title
