"""The services called directly (inside an app context): imports, attempts, practice,
accounts, the catalogue, and the SQLite set-up they rely on."""

from __future__ import annotations

import copy
import json
import os
import threading
from datetime import UTC, datetime, timedelta

import pytest
from flask import current_app
from helpers import PASSWORD, small_bank
from sqlalchemy import func, select, text

from quizapp.extensions import db
from quizapp.models import (
    ApiToken,
    Attempt,
    Card,
    Question,
    QuestionRevision,
    QuestionSet,
    RateLimitCount,
    Response,
    User,
)
from quizapp.services import Invalid, NotFound, accounts, attempts, catalogue, results

UIDS = ["q-mayor00001", "q-visitors01", "q-town000001", "q-trust00001"]
WHO, COUNT, WHERE, TRUST = UIDS


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _quiz(set_id: int) -> tuple[QuestionSet, list[int]]:
    qset = db.session.get(QuestionSet, set_id)
    return qset, [q.id for q in catalogue.quiz_questions(qset)]


def _settings() -> accounts.AccountSettings:
    """The app's settings, read when called (tests change app.config)."""
    return accounts.AccountSettings.from_config(current_app.config)


def _student(email: str = "pupil@example.com") -> User:
    return accounts.create_user(email, PASSWORD, "student", settings=_settings())


def _extra_question() -> dict:
    question = copy.deepcopy(small_bank()["questions"][3])
    question.update(id="q-extra00001", prompt="Who else paid? _____", answer="Borrowdale Fund")
    return question


# -- import_bank -----------------------------------------------------------------------------


def test_import_creates_set_with_questions_in_order_and_revisions(ctx):
    result = catalogue.import_bank(small_bank())
    assert result.created and result.added == 4
    questions = result.question_set.questions
    assert [q.uid for q in questions] == UIDS
    assert [q.position for q in questions] == [0, 1, 2, 3]
    revisions = db.session.scalars(select(QuestionRevision).order_by(QuestionRevision.id)).all()
    assert [(r.question_id, r.version) for r in revisions] == [(q.id, 1) for q in questions]
    assert revisions[0].content["answer"] == "Quintessa Vorbeck"


def test_import_keeps_a_banks_alternates_turned_off_after_its_list(ctx):
    bank = small_bank()
    spare = {**bank["questions"].pop(), "id": "q-spare"}
    bank["alternates"] = [spare]
    result = catalogue.import_bank(bank)
    questions = result.question_set.questions
    assert [q.uid for q in questions] == UIDS[:3] + ["q-spare"]
    assert [q.enabled for q in questions] == [True, True, True, False]
    # the quiz takes what is turned on; the teacher may turn the alternate on
    assert "q-spare" not in [q.uid for q in catalogue.enabled_questions(result.question_set)]


def test_import_again_adds_nothing(ctx):
    first = catalogue.import_bank(small_bank())
    again = catalogue.import_bank(small_bank())
    assert (again.created, again.added) == (False, 0)
    assert again.question_set.id == first.question_set.id
    assert (_count(Question), _count(QuestionRevision), _count(QuestionSet)) == (4, 4, 1)


def test_import_with_one_new_question_adds_exactly_one(ctx):
    catalogue.import_bank(small_bank())
    bank = small_bank()
    bank["questions"].append(_extra_question())
    result = catalogue.import_bank(bank)
    assert (result.created, result.added) == (False, 1)
    assert [q.uid for q in result.question_set.questions] == [*UIDS, "q-extra00001"]
    assert result.question_set.questions[-1].position == 4


@pytest.mark.parametrize(
    "bank",
    [
        {"format": "nope"},
        {**small_bank(), "questions": [{"id": "q-1", "prompt": "incomplete"}]},
        {**small_bank(), "questions": [{**small_bank()["questions"][2], "choices": ["A", "B"]}]},
    ],
    ids=["wrong-format", "incomplete-question", "answer-not-a-choice"],
)
def test_import_of_invalid_bank_raises_invalid(ctx, bank):
    with pytest.raises(Invalid):
        catalogue.import_bank(bank)
    assert _count(QuestionSet) == 0


def test_import_dir_loads_good_file_and_reports_bad_one(ctx, tmp_path):
    (tmp_path / "a_good.json").write_text(json.dumps(small_bank()), encoding="utf-8")
    (tmp_path / "b_bad.json").write_text('{"format": "quizapp-bank", ', encoding="utf-8")
    found = {path.name: result for path, result in catalogue.import_bank_dir(tmp_path)}
    assert found["a_good.json"].added == 4
    assert isinstance(found["b_bad.json"], str) and "b_bad.json" in found["b_bad.json"]
    assert _count(Question) == 4


# -- submit_quiz -----------------------------------------------------------------------------


def _submit(set_id: int, answers: dict, user=None, **kwargs):
    qset, ids = _quiz(set_id)
    return attempts.submit_quiz(qset, ids, answers, user=user, **kwargs)


def test_submit_scores_from_responses_one_per_question(ctx):
    set_id = catalogue.import_bank(small_bank()).question_set.id
    user = _student()
    attempt, created = _submit(set_id, {WHO: "Vorbeck", COUNT: "4500", WHERE: "Ashby"}, user)
    assert created and attempt.state == "graded" and attempt.submitted_at is not None
    responses = db.session.scalars(select(Response).where(Response.attempt_id == attempt.id))
    by_uid = {r.question.uid: r for r in responses}
    assert sorted(by_uid) == sorted(UIDS)
    assert [by_uid[u].correct for u in UIDS] == [True, True, False, False]
    assert by_uid[TRUST].reason == "blank" and by_uid[TRUST].given == ""
    assert (attempt.score, attempt.max_score) == (sum(r.correct for r in by_uid.values()), 4)


@pytest.mark.parametrize("failing", ["count_submission", "record_answers", "count_hits"])
def test_a_failure_mid_submit_leaves_nothing_half_applied(ctx, monkeypatch, failing):
    """reliability.md: the rate-limit count, the attempt, its responses, its score, the class
    counters and the flashcards change in one transaction: a failure at any step after the
    attempt's INSERT leaves none of them."""
    set_id = catalogue.import_bank(small_bank()).question_set.id
    user = _student()
    owner = {"count_submission": attempts, "record_answers": attempts.study}
    owner = owner.get(failing, attempts.limits)
    original = getattr(owner, failing)

    def flaky(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(owner, failing, flaky)
    with pytest.raises(RuntimeError):
        _submit(set_id, {WHO: "Vorbeck"}, user, submission_key="fault-1", client="10.0.0.9")
    db.session.rollback()
    assert _count(Attempt) == 0 and _count(Response) == 0
    assert _count(RateLimitCount) == 0 and _count(Card) == 0
    monkeypatch.setattr(owner, failing, original)
    attempt, created = _submit(set_id, {WHO: "Vorbeck"}, user, submission_key="fault-1")
    assert created and (attempt.score, attempt.max_score) == (1, 4)


def test_submit_blank_answers_count_wrong(ctx):
    set_id = catalogue.import_bank(small_bank()).question_set.id
    attempt, _ = _submit(set_id, {u: "   " for u in UIDS}, _student())
    assert (attempt.score, attempt.max_score) == (0, 4)


def test_submit_with_unknown_question_id_is_invalid(ctx):
    set_id = catalogue.import_bank(small_bank()).question_set.id
    with pytest.raises(Invalid):
        _submit(set_id, {"q-nosuchthing": "x"}, _student())
    assert _count(Attempt) == 0


@pytest.mark.parametrize("name", [None, "", "   ", "x" * 81])
def test_guest_without_a_valid_name_is_invalid(ctx, name):
    set_id = catalogue.import_bank(small_bank()).question_set.id
    with pytest.raises(Invalid):
        _submit(set_id, {}, None, guest_name=name)
    assert _count(Attempt) == 0


def test_guest_with_a_name_submits(ctx):
    set_id = catalogue.import_bank(small_bank()).question_set.id
    attempt, created = _submit(set_id, {WHERE: "Zanthorpe"}, None, guest_name="  Robin  Hood ")
    assert created and attempt.guest_name == "Robin Hood" and attempt.user_id is None
    assert attempt.score == 1


def test_same_submission_key_returns_the_same_attempt(ctx):
    set_id = catalogue.import_bank(small_bank()).question_set.id
    user = _student()
    first, created = _submit(set_id, {WHERE: "Zanthorpe"}, user, submission_key="k1")
    again, created_again = _submit(set_id, {}, user, submission_key="k1")
    assert (created, created_again) == (True, False)
    assert again.id == first.id and again.score == 1
    assert _count(Attempt) == 1


# -- concurrent submissions with one key ----------------------------------------------------

THREADS = 12


def _race(app, set_id: int, user_id: int, key: str) -> tuple[list[int], list[BaseException]]:
    barrier = threading.Barrier(THREADS)
    ids: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def submit() -> None:
        try:
            with app.app_context():
                user = db.session.get(User, user_id)
                qset, question_ids = _quiz(set_id)
                barrier.wait(timeout=10)
                attempt, _ = attempts.submit_quiz(
                    qset, question_ids, {WHERE: "Zanthorpe"}, user=user, submission_key=key
                )
                with lock:
                    ids.append(attempt.id)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return ids, errors


def test_one_students_simultaneous_quizzes_all_land_and_share_their_flashcards(app):
    """Different keys, one student, released together: every quiz is stored and each question
    has one flashcard (on PostgreSQL the card inserts used to clash and fail a submission)."""
    from quizapp.models import Card

    with app.app_context():
        set_id = catalogue.import_bank(small_bank()).question_set.id
        user_id = _student().id
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def submit(n: int) -> None:
        try:
            with app.app_context():
                user = db.session.get(User, user_id)
                qset, question_ids = _quiz(set_id)
                barrier.wait(timeout=10)
                attempts.submit_quiz(
                    qset, question_ids, {WHERE: "Ashby"}, user=user, submission_key=f"tab-{n}"
                )
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with app.app_context():
        assert _count(Attempt) == THREADS
        cards = db.session.scalars(select(Card).where(Card.user_id == user_id)).all()
        assert len(cards) == 4 and len({c.question_id for c in cards}) == 4


def test_concurrent_submissions_with_one_key_make_one_attempt(app):
    with app.app_context():
        set_id = catalogue.import_bank(small_bank()).question_set.id
        user_id = _student().id
    for round_number in range(5):
        key = f"race-{round_number}"
        ids, errors = _race(app, set_id, user_id, key)
        assert errors == []
        assert len(ids) == THREADS and len(set(ids)) == 1
        with app.app_context():
            rows = db.session.scalars(select(Attempt).where(Attempt.submission_key == key)).all()
            assert [a.id for a in rows] == ids[:1]
            assert _count(Response) == 4 * (round_number + 1)


# -- editing a question after students answered it ------------------------------------------


def _edit_answer(uid: str, new_answer: str) -> None:
    """What a teacher's edit does: a new version of the question and its snapshot."""
    question = db.session.scalar(select(Question).where(Question.uid == uid))
    question.version += 1
    question.answer = new_answer
    question.accepted_answers = []
    db.session.add(
        QuestionRevision(
            question_id=question.id, version=question.version, content=question.content()
        )
    )
    db.session.commit()


def test_old_attempt_keeps_the_version_it_answered(ctx):
    set_id = catalogue.import_bank(small_bank()).question_set.id
    user = _student()
    old, _ = _submit(set_id, {WHO: "Vorbeck"}, user)
    _edit_answer(WHO, "Ottoline Brisk")
    item = results.results(old)[0]
    assert (item.question_id, item.expected, item.correct) == (WHO, "Quintessa Vorbeck", True)
    db.session.refresh(old)
    assert old.score == 1


def test_new_attempt_is_graded_with_the_edited_key(ctx):
    set_id = catalogue.import_bank(small_bank()).question_set.id
    user = _student()
    _submit(set_id, {WHO: "Vorbeck"}, user)
    _edit_answer(WHO, "Ottoline Brisk")
    right, _ = _submit(set_id, {WHO: "Ottoline Brisk"}, user)
    wrong, _ = _submit(set_id, {WHO: "Vorbeck"}, user)
    assert results.results(right)[0].expected == "Ottoline Brisk"
    assert (right.score, wrong.score) == (1, 0)
    versions = db.session.scalars(
        select(Response.question_version).where(Response.attempt_id == right.id)
    ).all()
    assert sorted(versions) == [1, 1, 1, 2]


# -- practice --------------------------------------------------------------------------------


def _practice(set_id: int, user):
    qset, ids = _quiz(set_id)
    return attempts.start_practice(qset, ids, user=user), ids


def test_practice_asks_questions_in_order_and_grades_after_the_last(ctx):
    set_id = catalogue.import_bank(small_bank()).question_set.id
    attempt, ids = _practice(set_id, _student())
    given = {WHO: "Vorbeck", COUNT: "4,500", WHERE: "Ashby", TRUST: "Glimmerstone Trust"}
    for question_id in ids:
        question = attempts.next_question(attempt)
        assert question.id == question_id
        assert attempt.state == "in_progress"
        attempts.answer_practice(attempt.id, question.id, given[question.uid])
    assert attempts.next_question(attempt) is None
    db.session.refresh(attempt)
    assert (attempt.state, attempt.score, attempt.max_score) == ("graded", 3, 4)


def test_practice_answer_is_idempotent_per_question(ctx):
    set_id = catalogue.import_bank(small_bank()).question_set.id
    attempt, ids = _practice(set_id, _student())
    first = attempts.answer_practice(attempt.id, ids[0], "Vorbeck")
    again = attempts.answer_practice(attempt.id, ids[0], "something else")
    assert again.id == first.id and again.given == "Vorbeck" and again.correct
    assert results.answered_count(attempt) == 1
    assert attempts.next_question(attempt).id == ids[1]


def test_finish_practice_early_scores_only_answered(ctx):
    set_id = catalogue.import_bank(small_bank()).question_set.id
    attempt, ids = _practice(set_id, _student())
    attempts.answer_practice(attempt.id, ids[0], "Vorbeck")
    attempts.answer_practice(attempt.id, ids[1], "12")
    finished = attempts.finish_practice(attempt.id)
    assert (finished.state, finished.score, finished.max_score) == ("graded", 1, 2)
    assert finished.question_ids == ids[:2]
    assert [item.question_id for item in results.results(finished)] == [WHO, COUNT]


def test_finished_practice_takes_no_more_answers(ctx):
    set_id = catalogue.import_bank(small_bank()).question_set.id
    attempt, ids = _practice(set_id, _student())
    attempts.answer_practice(attempt.id, ids[0], "Vorbeck")
    attempts.finish_practice(attempt.id)
    with pytest.raises(NotFound):
        attempts.answer_practice(attempt.id, ids[2], "Zanthorpe")


# -- accounts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "password", "role"),
    [
        ("not-an-email", PASSWORD, "student"),
        ("a@b", PASSWORD, "student"),
        ("", PASSWORD, "student"),
        ("ok@example.com", "short", "student"),
        ("ok@example.com", "", "student"),
        ("ok@example.com", PASSWORD, "admin"),
        ("ok@example.com", PASSWORD, ""),
    ],
)
def test_create_user_rejects_bad_input(ctx, email, password, role):
    with pytest.raises(Invalid):
        accounts.create_user(email, password, role, settings=_settings())
    assert _count(User) == 0


def test_create_user_rejects_duplicate_email_case_insensitively(ctx):
    accounts.create_user("Ada@Example.com", PASSWORD, settings=_settings())
    with pytest.raises(Invalid, match="already exists"):
        accounts.create_user("  ada@EXAMPLE.COM ", PASSWORD, settings=_settings())
    assert _count(User) == 1


def test_stored_password_hash_is_argon2id(ctx):
    user = _student()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_default_config_hashes_with_rfc9106_parameters(tmp_path, monkeypatch):
    from quizapp import create_app

    monkeypatch.setenv("QUIZAPP_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'default.sqlite'}"}
    )
    with app.app_context():
        db.create_all()
        encoded = accounts.create_user(
            "slow@example.com", PASSWORD, settings=_settings()
        ).password_hash
        db.engine.dispose()
    assert encoded.startswith("$argon2id$")
    assert "m=65536,t=3," in encoded


def test_a_hash_made_under_weaker_settings_is_upgraded_at_sign_in(app, ctx):
    user = accounts.create_user(
        "old@example.com", PASSWORD, settings=_settings()
    )  # the fixture's cheap settings
    weak = user.password_hash
    app.config.update(PASSWORD_TIME_COST=2, PASSWORD_MEMORY_KIB=128)
    assert accounts.authenticate("old@example.com", PASSWORD + "x", settings=_settings()) is None
    assert db.session.get(User, user.id).password_hash == weak  # a wrong password changes nothing
    assert accounts.authenticate("old@example.com", PASSWORD, settings=_settings()).id == user.id
    upgraded = db.session.get(User, user.id).password_hash
    assert upgraded != weak and "m=128,t=2," in upgraded
    assert accounts.authenticate("old@example.com", PASSWORD, settings=_settings()).id == user.id
    assert db.session.get(User, user.id).password_hash == upgraded  # once only


def test_authenticate_right_wrong_and_unknown(ctx):
    user = accounts.create_user("ada@example.com", PASSWORD, settings=_settings())
    assert accounts.authenticate("ADA@example.com ", PASSWORD, settings=_settings()).id == user.id
    assert accounts.authenticate("ada@example.com", PASSWORD + "!", settings=_settings()) is None
    assert accounts.authenticate("nobody@example.com", PASSWORD, settings=_settings()) is None
    assert accounts.authenticate("", "", settings=_settings()) is None


def test_end_sessions_invalidates_the_old_session_id(ctx):
    user = _student()
    old_id = user.get_id()
    assert accounts.load_session_user(old_id).id == user.id
    accounts.end_sessions(user)
    assert accounts.load_session_user(old_id) is None
    fresh = db.session.get(User, user.id)
    assert accounts.load_session_user(fresh.get_id()).id == user.id


@pytest.mark.parametrize("session_id", ["", "abc", "1", "1.", "999.deadbeef", ".x"])
def test_load_session_user_refuses_malformed_ids(ctx, session_id):
    _student()
    assert accounts.load_session_user(session_id) is None


def test_issued_token_identifies_its_user(ctx):
    user = _student()
    token, expires = accounts.issue_token(user)
    assert accounts.user_for_token(token).id == user.id
    assert expires > datetime.now(UTC) + timedelta(days=29)
    assert db.session.scalar(select(ApiToken.token_hash)) != token


@pytest.mark.parametrize("token", ["", "garbage", "x" * 201, "\udcff"])
def test_garbage_token_identifies_nobody(ctx, token):
    accounts.issue_token(_student())
    assert accounts.user_for_token(token) is None


# -- catalogue -------------------------------------------------------------------------------


def _titled(*titles: str) -> dict[str, int]:
    return {
        title: catalogue.import_bank(small_bank(title, f"{n:064x}")).question_set.id
        for n, title in enumerate(titles, start=1)
    }


def _found(search: str) -> set[str]:
    return {s.question_set.title for s in catalogue.published_sets(search)}


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("HARBOUR", {"Harbour news"}),
        ("harbour NEWS", {"Harbour news"}),
        ("100%", {"A 100% effort"}),
        ("%", {"A 100% effort"}),
        ("snake_case", {"snake_case tips"}),
        ("_", {"snake_case tips"}),
        ("", {"Harbour news", "A 100% effort", "A 1000 effort", "snake_case tips", "snakeXcase"}),
        ("volcano", set()),
    ],
)
def test_published_sets_search_is_literal_and_case_insensitive(ctx, search, expected):
    _titled("Harbour news", "A 100% effort", "A 1000 effort", "snake_case tips", "snakeXcase")
    assert _found(search) == expected


def test_published_sets_hide_drafts_and_count_questions(ctx):
    catalogue.import_bank(small_bank())
    catalogue.import_bank(small_bank("Secret draft", "cd" * 32), status="draft")
    [summary] = catalogue.published_sets()
    assert (summary.question_set.title, summary.question_count) == ("Harbour festival", 4)
    assert summary.best_percent is None


def test_best_percent_by_set(ctx):
    sets = _titled("First", "Second")
    user, other = _student(), _student("other@example.com")
    _submit(sets["First"], {WHERE: "Zanthorpe"}, user)
    _submit(sets["First"], {WHERE: "Zanthorpe", WHO: "Vorbeck", COUNT: "4500"}, user)
    _submit(sets["Second"], {}, user)
    _submit(sets["First"], {u: "x" for u in UIDS} | {WHERE: "Zanthorpe"}, other)
    assert catalogue.best_percent_by_set(user) == {sets["First"]: 75.0, sets["Second"]: 0.0}
    assert catalogue.best_percent_by_set(other) == {sets["First"]: 25.0}
    best = {s.question_set.id: s.best_percent for s in catalogue.published_sets(user=user)}
    assert best == {sets["First"]: 75.0, sets["Second"]: 0.0}


# -- SQLite set-up ---------------------------------------------------------------------------


@pytest.mark.skipif(
    bool(os.environ.get("QUIZAPP_TEST_DATABASE_URL")), reason="SQLite's own settings"
)
def test_sqlite_connections_are_set_up_for_a_web_server(ctx):
    pragma = lambda name: db.session.execute(text(f"PRAGMA {name}")).scalar()  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") >= 5000


def test_sign_in_limit_holds_when_guesses_arrive_together(app):
    """30 wrong passwords released together against a limit of 10: at most 10 are checked."""
    from quizapp.services.limits import TooManyRequests

    app.config["LOGIN_FREE_FAILURES"] = 10
    with app.app_context():
        email = _student().email
    barrier = threading.Barrier(30)
    outcomes: list[str] = []

    def guess() -> None:
        with app.app_context():
            barrier.wait()
            try:
                user = accounts.sign_in(
                    email, "wrong password", "203.0.113.9", settings=_settings()
                )
                outcomes.append("checked" if user is None else "signed in")
            except TooManyRequests:
                outcomes.append("429")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=guess) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 30
    assert outcomes.count("checked") <= 10 and outcomes.count("signed in") == 0
    assert outcomes.count("429") >= 20
