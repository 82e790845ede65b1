"""A practice session follows its set's state (issue 19, row #11): it stops when the set goes
back to draft, is archived or requires sign-in, and never serves a disabled question."""

from __future__ import annotations

import pytest
from helpers import (
    count_rows,
    csrf_from,
    practice_form,
    signed_in,
    small_bank,
    start_practice,
)
from helpers import (
    set_columns as _change,
)


def _post(client, path: str, data: dict | None = None, page: str = "/", **kw):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kw)


def _set(app, set_id: int):
    from quizapp.extensions import db
    from quizapp.models import QuestionSet

    return db.session.get(QuestionSet, set_id)


def _status(app, set_id: int, status: str) -> None:
    from quizapp.services import teaching

    with app.app_context():
        teaching.update_set(_set(app, set_id), status=status)


def _start_practice(client, set_id: int, guest_name: str | None = None):
    return start_practice(client, set_id, guest_name)[0]


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_practice_stops_when_its_set_goes_back_to_draft_or_is_archived(
    app, client, factory, auth, status
):
    from quizapp.models import Response

    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    signed_in(factory, auth)
    url = _start_practice(client, set_id).headers["Location"]
    attempt_id = int(url.rsplit("/", 1)[1])
    form = practice_form(client, url)
    _status(app, set_id, status)
    # the teacher changes a key while the set is a draft
    from quizapp.extensions import db
    from quizapp.models import Question
    from quizapp.services import editing

    with app.app_context():
        question = db.session.get(Question, int(form["question_id"]))
        editing.edit_question(question, {"answer": "Drafted Newanswer"})
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert ("back to draft" if status == "draft" else "archived") in html
    assert 'name="question_id"' not in html and "Drafted Newanswer" not in html
    assert "Stop and see the result" in html
    # an answer sent anyway is not graded, and no key is shown
    answered = client.post(url, data={**form, "answer": "Drafted Newanswer", "submit": "Check"})
    assert answered.status_code == 409
    assert "Drafted Newanswer" not in answered.get_data(as_text=True)
    assert count_rows(app, Response, attempt_id=attempt_id) == 0
    # published again, the session goes on with the published questions
    _status(app, set_id, "published")
    assert 'name="question_id"' in client.get(url).get_data(as_text=True)


def test_practice_never_serves_a_disabled_question(app, client, factory, auth):
    from quizapp.extensions import db
    from quizapp.models import Attempt, Question
    from quizapp.services import Conflict, attempts, editing

    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    signed_in(factory, auth)
    url = _start_practice(client, set_id).headers["Location"]
    attempt_id = int(url.rsplit("/", 1)[1])
    with app.app_context():
        order = db.session.get(Attempt, attempt_id).question_ids
        editing.set_enabled(_set(app, set_id), [order[0], order[2]], False)
    served = []
    for _ in range(4):
        form = practice_form(client, url)
        served.append(int(form["question_id"]))
        client.post(url, data={**form, "dont_know": "1"})
        html = client.get(url).get_data(as_text=True)
        if 'name="question_id"' not in html:
            break
    assert served == [order[1], order[3]]
    # the disabled ones are never graded either, and the page does not loop
    with app.app_context():
        with pytest.raises(Conflict):
            attempts.answer_practice(attempt_id, order[0], "Vorbeck")
        assert db.session.get(Question, order[0]).enabled is False
    page = client.get(url)
    assert page.status_code == 200
    assert "withdrawn the questions left" in page.get_data(as_text=True)
    finish = _post(client, f"{url}/finish", page=url)
    assert finish.status_code == 303
    result = client.get(finish.headers["Location"]).get_data(as_text=True)
    assert "0 / 2" in result or "0 of 2" in result


def test_a_guest_practice_session_stops_once_the_set_requires_sign_in(app, client, factory):
    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    url = _start_practice(client, set_id, guest_name="Robin").headers["Location"]
    assert 'name="question_id"' in client.get(url).get_data(as_text=True)
    _change(app, set_id, require_signin=True)
    html = client.get(url).get_data(as_text=True)
    assert "asks you to sign in" in html and 'name="question_id"' not in html
