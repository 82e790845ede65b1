"""A set's questions are cached per process under (set id, revision): every edit path bumps the
revision, so the quiz (and the grader) reflect the edit at once; the cache is bounded."""

from __future__ import annotations

import copy

import pytest
from helpers import csrf_from, small_bank
from sqlalchemy import insert, select, update

from quizapp.extensions import db
from quizapp.models import Question, QuestionSet
from quizapp.services import (
    answer_keys,
    attempts,
    catalogue,
    editing,
    question_cache,
    teaching,
)

WHO, VISITORS, TOWN, TRUST = "q-mayor00001", "q-visitors01", "q-town000001", "q-trust00001"


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


def _set(status: str = "published") -> QuestionSet:
    return catalogue.import_bank(small_bank(), status=status).question_set


def _fresh(set_id: int) -> QuestionSet:
    """The set as a new request reads it (its current revision)."""
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(QuestionSet, set_id)


def _quiz(set_id: int) -> list:
    return catalogue.quiz_questions(_fresh(set_id))


def _question(set_id: int, uid: str) -> Question:
    return db.session.scalar(select(Question).where(Question.set_id == set_id, Question.uid == uid))


def _warm(set_id: int) -> tuple[int, list]:
    """Fill the cache for the set's current revision; (revision, quiz)."""
    quiz = _quiz(set_id)
    assert catalogue.quiz_questions(_fresh(set_id)) == quiz  # served from the cache
    return _fresh(set_id).revision, quiz


def test_the_cache_reads_a_set_once_per_revision(ctx):
    set_id = _set().id
    before = question_cache.stats()["loads"]
    for _ in range(5):
        _quiz(set_id)
    assert question_cache.stats()["loads"] == before + 1


def test_editing_a_prompt_shows_in_the_quiz_and_is_graded_against(ctx):
    set_id = _set().id
    revision, quiz = _warm(set_id)
    question = _question(set_id, WHO)
    editing.edit_question(
        question, {"prompt": "Who opened the harbour festival?", "answer": "Zed Quorn"}
    )
    assert _fresh(set_id).revision > revision
    shown = {q.uid: q.prompt for q in _quiz(set_id)}
    assert shown[WHO] == "Who opened the harbour festival?"
    qset = _fresh(set_id)
    attempt, _ = attempts.submit_quiz(
        qset, [q.id for q in _quiz(set_id)], {WHO: "Zed Quorn"}, user=None, guest_name="Ann"
    )
    assert attempt.score == 1


def test_disabling_a_question_takes_it_out_of_the_quiz(ctx):
    set_id = _set().id
    _warm(set_id)
    editing.edit_question(_question(set_id, TOWN), {"enabled": False})
    assert TOWN not in [q.uid for q in _quiz(set_id)]


def test_set_enabled_changes_the_quiz(ctx):
    set_id = _set().id
    _warm(set_id)
    qset = _fresh(set_id)
    editing.set_enabled(qset, [_question(set_id, TRUST).id], False)
    assert TRUST not in [q.uid for q in _quiz(set_id)]
    editing.set_enabled(_fresh(set_id), [_question(set_id, TRUST).id], True)
    assert TRUST in [q.uid for q in _quiz(set_id)]


def test_moving_a_question_changes_the_quiz_order(ctx):
    set_id = _set().id
    _revision, quiz = _warm(set_id)
    assert [q.uid for q in quiz][:2] == [WHO, VISITORS]
    editing.move_question(_fresh(set_id), _question(set_id, VISITORS).id, -1)
    assert [q.uid for q in _quiz(set_id)][:2] == [VISITORS, WHO]


def test_adding_a_question_puts_it_in_the_quiz(ctx):
    set_id = _set().id
    _warm(set_id)
    editing.add_question(
        _fresh(set_id),
        {
            "category": "what",
            "format": "short_answer",
            "prompt": "What was held in the harbour at night?",
            "answer": "a lantern regatta",
        },
    )
    assert "What was held in the harbour at night?" in [q.prompt for q in _quiz(set_id)]


def test_importing_more_questions_into_a_draft_puts_them_in_the_quiz(ctx):
    set_id = _set(status="draft").id
    _warm(set_id)
    bank = small_bank()
    extra = copy.deepcopy(bank["questions"][0])
    extra["id"], extra["prompt"] = "q-extra00001", "Who was the mayor at the festival?"
    bank["questions"].append(extra)
    catalogue.import_bank(bank, status="draft")
    assert "q-extra00001" in [q.uid for q in _quiz(set_id)]


def test_changing_a_sets_settings_bumps_its_revision(ctx):
    set_id = _set().id
    revision, _ = _warm(set_id)
    answer_keys.save_settings(_fresh(set_id), require_signin=True)
    after_settings = _fresh(set_id).revision
    assert after_settings > revision
    teaching.update_set(_fresh(set_id), title="Harbour festival, revised")
    assert _fresh(set_id).revision > after_settings


def test_an_orm_change_to_any_question_field_bumps_the_revision(ctx):
    """The hook (not each service) bumps: a change made anywhere through the session counts,
    e.g. the new wrong options `regenerate_distractors` stores through `edit_question`."""
    set_id = _set().id
    revision, _ = _warm(set_id)
    question = _question(set_id, TOWN)
    question.choices = ["Ashby", "Zanthorpe", "Kelmore", "Brackwell"]
    db.session.commit()
    assert _fresh(set_id).revision == revision + 1
    town = next(q for q in _quiz(set_id) if q.uid == TOWN)
    assert "Brackwell" in town.choices
    # Reading, or setting a field to the value it has, bumps nothing.
    question = _question(set_id, TOWN)
    question.enabled = question.enabled
    db.session.commit()
    assert _fresh(set_id).revision == revision + 1


def test_core_statements_on_questions_bump_the_revision(ctx):
    """A bulk insert (as a generation job stores a set) and an UPDATE through the session."""
    set_id = _set(status="draft").id
    revision, _ = _warm(set_id)
    row = catalogue.question_from_bank(
        {**small_bank()["questions"][0], "id": "q-bulk000001", "prompt": "Bulk?"}, set_id, 10
    )
    values = {c.key: getattr(row, c.key) for c in Question.__table__.columns if c.key != "id"}
    db.session.execute(insert(Question), [values])
    db.session.commit()
    assert _fresh(set_id).revision == revision + 1
    assert "q-bulk000001" in [q.uid for q in _quiz(set_id)]
    db.session.execute(
        update(Question).where(Question.uid == "q-bulk000001").values(prompt="Bulk, changed?")
    )
    db.session.commit()
    assert _fresh(set_id).revision == revision + 2
    assert "Bulk, changed?" in [q.prompt for q in _quiz(set_id)]


def test_other_sets_keep_their_revision(ctx):
    first = _set().id
    second = catalogue.import_bank(small_bank("Other", "cd" * 32)).question_set.id
    revision = _fresh(second).revision
    editing.edit_question(_question(first, WHO), {"prompt": "Who opened it, then?"})
    assert _fresh(second).revision == revision


def test_the_cache_is_bounded(ctx, monkeypatch):
    monkeypatch.setattr(question_cache, "MAX_SETS", 2)
    ids = [
        catalogue.import_bank(small_bank(f"Set {n}", f"{n:02d}" * 32)).question_set.id
        for n in range(4)
    ]
    for set_id in ids:
        _quiz(set_id)
    assert question_cache.stats()["sets"] == 2
    # A new revision replaces the set's older one instead of adding to it.
    editing.edit_question(_question(ids[-1], WHO), {"prompt": "Who opened it at last?"})
    _quiz(ids[-1])
    assert question_cache.stats()["sets"] == 2
    assert question_cache.stats()["questions"] == 8


def test_the_quiz_page_shows_a_teachers_edit(app, client, factory, auth):
    """Through the web: a student's quiz page, the teacher turns a question off, the next
    quiz page (same process, cache warm) leaves it out, and a quiz submitted with it is
    refused."""
    teacher_id, teacher_email = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), owner_id=teacher_id)
    prompt = "Who opened the festival on Saturday?"
    page = client.get(f"/sets/{set_id}/quiz").text
    assert prompt in page
    with app.app_context():
        question_id = db.session.scalar(select(Question.id).where(Question.uid == WHO))
    assert f'name="q{question_id}"' in page
    auth.login(teacher_email)
    token = csrf_from(client.get(f"/teach/sets/{set_id}").text)
    turned = client.post(
        f"/teach/sets/{set_id}/questions/{question_id}/toggle",
        data={"csrf_token": token, "enabled": "0"},
    )
    assert turned.status_code in (302, 303), turned.status_code
    page = client.get(f"/sets/{set_id}/quiz").text
    assert prompt not in page and f'name="q{question_id}"' not in page
