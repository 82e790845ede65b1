"""Flashcards: the study service (quiz to flashcards, sessions, limits, settings, stats) and the
web routes under /study."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from helpers import csrf_from, small_bank

# The small bank's questions (bank ids) and right answers.
WHO, COUNT, WHERE, TRUST = "q-mayor00001", "q-visitors01", "q-town000001", "q-trust00001"
RIGHT = {WHO: "Quintessa Vorbeck", COUNT: "4500", WHERE: "Zanthorpe", TRUST: "Glimmerstone Trust"}
WRONG = {WHO: "Nobody", COUNT: "12", WHERE: "Ashby", TRUST: "The council"}
PROMPTS = {
    WHO: "Who opened the festival on Saturday?",
    COUNT: "About how many visitors came to the harbour?",
    WHERE: "Where is the harbour the visitors came to?",
    TRUST: "The _____ paid for the fireworks.",
}


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def world(app, factory):
    """A published small set open for study before a quiz (study aid) and a student:
    (set id, student id, student email, {uid: id})."""
    set_id = factory.bank_set(study_access="study_aid")
    user_id, email = factory.user()
    return set_id, user_id, email, _ids(app, set_id)


def _ids(app, set_id: int) -> dict[str, int]:
    from quizapp.extensions import db
    from quizapp.models import Question

    with app.app_context():
        rows = db.session.query(Question.uid, Question.id).filter_by(set_id=set_id).all()
        return dict(rows)


def _quiz(user_id, set_id, answers, mode="quiz"):
    """Submit a quiz through the service, as the web and the API do. A "retry" holds only
    questions answered before; "practice" answers just the questions given, one by one."""
    from quizapp.extensions import db
    from quizapp.models import QuestionSet, User
    from quizapp.services import attempts, catalogue

    qset = db.session.get(QuestionSet, set_id)
    user = db.session.get(User, user_id) if user_id else None
    questions = catalogue.enabled_questions(qset)
    if mode in ("retry", "practice"):
        questions = [q for q in questions if q.uid in answers]
    if mode == "practice":
        attempt = attempts.start_practice(qset, [q.id for q in questions], user=user)
        for question in questions:
            attempts.answer_practice(attempt.id, question.id, answers[question.uid])
        return attempt
    return attempts.submit_quiz(
        qset,
        [q.id for q in questions],
        answers,
        user=user,
        guest_name=None if user else "Guest",
        mode=mode,
    )[0]


def _card(user_id, question_id):
    from quizapp.extensions import db
    from quizapp.models import Card

    db.session.expire_all()
    return db.session.query(Card).filter_by(user_id=user_id, question_id=question_id).one_or_none()


def _logs(user_id, question_id=None):
    from quizapp.extensions import db
    from quizapp.models import ReviewLog

    query = db.session.query(ReviewLog).filter_by(user_id=user_id)
    if question_id is not None:
        query = query.filter_by(question_id=question_id)
    return query.order_by(ReviewLog.id).all()


def _mixed(ids):
    """WHO and COUNT right, WHERE and TRUST wrong."""
    return {WHO: RIGHT[WHO], COUNT: RIGHT[COUNT], WHERE: WRONG[WHERE], TRUST: WRONG[TRUST]}


# -- quiz to flashcards --------------------------------------------------------------------------


def test_quiz_wrong_answers_are_due_at_once_and_right_ones_reviewed_good(ctx, world):
    from quizapp.services import study

    set_id, user_id, _, ids = world
    attempt = _quiz(user_id, set_id, _mixed(ids))
    now = study.utcnow()
    due = study.due_cards(user_id, now=now)
    assert [c.question_id for c in due] == [ids[WHERE], ids[TRUST]]
    for uid in (WHERE, TRUST):
        card = _card(user_id, ids[uid])
        assert card.due == attempt.submitted_at and card.last_review is None
        assert card.reps == 0 and card.source == "quiz"
        assert _logs(user_id, ids[uid]) == []
    for uid in (WHO, COUNT):
        card = _card(user_id, ids[uid])
        assert card.due > now and card.reps == 1
        [log] = _logs(user_id, ids[uid])
        assert (log.rating, log.source, log.state) == (3, "quiz", 0)
        assert log.due == card.due and log.reviewed_at == attempt.submitted_at
        assert log.interval_seconds == 600  # Good on a new card: the 10-minute learning step


def test_quiz_on_existing_cards_wrong_is_again_right_only_when_due(ctx, world):
    from quizapp.services import study

    set_id, user_id, _, ids = world
    _quiz(user_id, set_id, RIGHT)  # four cards, each reviewed Good, due in 10 minutes
    before = {uid: _card(user_id, ids[uid]).due for uid in RIGHT}
    _quiz(user_id, set_id, _mixed(ids))  # minutes later: nothing is due yet
    for uid in (WHO, COUNT):  # right, not due: left alone
        assert _card(user_id, ids[uid]).due == before[uid]
        assert len(_logs(user_id, ids[uid])) == 1
    for uid in (WHERE, TRUST):  # wrong: rated Again
        assert [log.rating for log in _logs(user_id, ids[uid])] == [3, 1]
        assert _card(user_id, ids[uid]).due <= study.utcnow() + timedelta(minutes=1)
    # Once a card is due, a right answer counts as Good.
    card = _card(user_id, ids[WHO])
    card.due = study.utcnow() - timedelta(minutes=1)
    from quizapp.extensions import db

    db.session.commit()
    _quiz(user_id, set_id, {WHO: RIGHT[WHO]}, mode="retry")
    assert [log.rating for log in _logs(user_id, ids[WHO])] == [3, 3]
    assert _logs(user_id, ids[WHO])[-1].state == 1  # reviewed in its learning steps


def test_guests_have_no_cards(ctx, world):
    from quizapp.extensions import db
    from quizapp.models import Card

    set_id, _, _, _ = world
    _quiz(None, set_id, WRONG)
    assert db.session.query(Card).count() == 0


def test_claimed_guest_quiz_makes_cards(ctx, world):
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services import attempts

    set_id, user_id, _, ids = world
    attempt = _quiz(None, set_id, _mixed(ids))
    assert attempts.claim_guest_attempts(db.session.get(User, user_id), [attempt.id]) == 1
    assert _card(user_id, ids[WHERE]).last_review is None
    assert [log.rating for log in _logs(user_id, ids[WHO])] == [3]
    # Claiming again (a replayed cookie) claims nothing and reviews nothing twice.
    assert attempts.claim_guest_attempts(db.session.get(User, user_id), [attempt.id]) == 0
    assert len(_logs(user_id)) == 2


def test_practice_answers_feed_flashcards_as_they_are_given(ctx, world):
    from quizapp.extensions import db
    from quizapp.models import QuestionSet, User
    from quizapp.services import attempts

    set_id, user_id, _, ids = world
    qset = db.session.get(QuestionSet, set_id)
    attempt = attempts.start_practice(
        qset, [ids[WHO], ids[TRUST]], user=db.session.get(User, user_id)
    )
    attempts.answer_practice(attempt.id, ids[TRUST], "wrong")
    assert _card(user_id, ids[TRUST]).last_review is None
    assert _card(user_id, ids[WHO]) is None
    attempts.answer_practice(attempt.id, ids[WHO], "Vorbeck")
    assert [log.source for log in _logs(user_id, ids[WHO])] == ["quiz"]


# -- sessions ------------------------------------------------------------------------------------


def test_students_schedules_are_separate(ctx, world, factory):
    from quizapp.services import study

    set_id, alice, _, ids = world
    bob, _ = factory.user()
    _quiz(alice, set_id, WRONG)
    assert len(study.due_cards(alice)) == 4
    assert study.due_cards(bob) == []
    item = study.next_item(bob, set_id)
    assert item.is_new and item.question.id == ids[WHO]
    study.record_review(bob, ids[WHO], 4)
    assert _card(alice, ids[WHO]).reps == 0 and len(_logs(alice)) == 0
    assert _card(bob, ids[WHO]).reps == 1 and [log.rating for log in _logs(bob)] == [4]


def test_session_shows_due_oldest_first_then_new_in_set_order(ctx, world):
    from quizapp.services import study

    set_id, user_id, _, ids = world
    now = study.utcnow()
    study.record_review(user_id, ids[TRUST], 1, now=now - timedelta(hours=2))
    study.record_review(user_id, ids[COUNT], 1, now=now - timedelta(hours=3))
    order = []
    for _ in range(4):
        item = study.next_item(user_id, set_id, now)
        order.append((item.question.id, item.is_new))
        study.record_review(user_id, item.question.id, 4, reps=item.reps, now=now)
    assert order == [
        (ids[COUNT], False),
        (ids[TRUST], False),
        (ids[WHO], True),
        (ids[WHERE], True),
    ]
    assert study.next_item(user_id, set_id, now) is None


def test_daily_new_limit_counts_cards_introduced_today_utc(ctx, world):
    from quizapp.services import study

    set_id, user_id, _, ids = world
    study.save_settings(user_id, 0.9, 2)
    day = datetime(2026, 5, 4, 23, 0, tzinfo=UTC)
    seen = []
    while (item := study.next_item(user_id, set_id, day)) is not None and not item.ahead:
        seen.append(item.question.id)
        study.record_review(user_id, item.question.id, 4, reps=item.reps, now=day)
    assert seen == [ids[WHO], ids[COUNT]]
    assert study.progress(user_id, set_id, day).new == 0
    # Past midnight UTC two more are offered.
    tomorrow = day + timedelta(hours=1, minutes=30)
    assert study.progress(user_id, set_id, tomorrow).new == 2
    assert study.next_item(user_id, set_id, tomorrow).question.id == ids[WHERE]
    # Quiz-made cards don't use up the limit.
    study.save_settings(user_id, 0.9, 0)
    assert study.new_questions(user_id, set_id, tomorrow) == []


def test_progress_counts_due_new_and_done_today(ctx, world):
    from quizapp.services import study

    set_id, user_id, _, ids = world
    _quiz(user_id, set_id, {WHO: "wrong"}, mode="practice")
    progress = study.progress(user_id, set_id)
    assert (progress.due, progress.new, progress.done_today) == (1, 3, 0)
    study.record_review(user_id, ids[WHO], 3, reps=0)
    progress = study.progress(user_id, set_id)
    assert (progress.due, progress.new, progress.done_today) == (0, 3, 1)
    assert progress.next_due is not None


def test_learning_card_comes_early_when_nothing_else_is_left(ctx, world):
    from quizapp.services import study

    set_id, user_id, _, ids = world
    study.save_settings(user_id, 0.9, 1)
    now = study.utcnow()
    study.record_review(user_id, ids[WHO], 1, now=now)  # Again: due in a minute
    item = study.next_item(user_id, set_id, now)
    assert item.ahead and item.question.id == ids[WHO]
    study.record_review(user_id, ids[WHO], 4, reps=item.reps, now=now)  # graduates: days away
    assert study.next_item(user_id, set_id, now) is None


def test_everything_due_spans_sets_and_offers_new_cards_of_started_sets(ctx, world, factory, app):
    from quizapp.services import study

    set_id, user_id, _, ids = world
    other = factory.bank_set(small_bank("Second festival", "cd" * 32), study_access="study_aid")
    untouched = factory.bank_set(small_bank("Third festival", "ef" * 32), study_access="study_aid")
    other_ids = _ids(app, other)
    _quiz(user_id, set_id, {WHO: "wrong"}, mode="practice")
    _quiz(user_id, other, {TRUST: "wrong"}, mode="practice")
    due = study.due_cards(user_id)
    assert {c.question_id for c in due} == {ids[WHO], other_ids[TRUST]}
    new = {q.set_id for q in study.new_questions(user_id)}
    assert new == {set_id, other} and untouched not in new


def test_withdrawn_sets_and_disabled_questions_are_not_studied(ctx, world):
    from quizapp.extensions import db
    from quizapp.models import Question, QuestionSet
    from quizapp.services import NotFound, study

    set_id, user_id, _, ids = world
    _quiz(user_id, set_id, WRONG)
    db.session.get(Question, ids[WHO]).enabled = False
    db.session.commit()
    assert ids[WHO] not in {c.question_id for c in study.due_cards(user_id)}
    db.session.get(QuestionSet, set_id).status = "draft"
    db.session.commit()
    assert study.due_cards(user_id) == [] and study.next_item(user_id) is None
    with pytest.raises(NotFound):
        study.record_review(user_id, ids[WHERE], 3)


def test_stale_rating_form_records_nothing(ctx, world):
    from quizapp.services import study

    set_id, user_id, _, ids = world
    first = study.record_review(user_id, ids[WHO], 3, reps=0)
    again = study.record_review(user_id, ids[WHO], 3, reps=0)
    assert first.recorded and not again.recorded
    assert len(_logs(user_id, ids[WHO])) == 1 and _card(user_id, ids[WHO]).reps == 1


def test_retention_setting_moves_intervals_the_expected_way(ctx, world):
    from quizapp.services import study

    set_id, user_id, _, ids = world
    now = study.utcnow()
    study.record_review(user_id, ids[WHO], 3, now=now)
    study.record_review(user_id, ids[WHO], 3, now=now + timedelta(minutes=10))
    later = _card(user_id, ids[WHO]).due  # in the review state, due now
    item = study.item_for(user_id, ids[WHO])

    def good(retention):
        study.save_settings(user_id, retention, 20)
        return study.intervals(user_id, item, later)[2]

    shown = {r: good(r) for r in (0.8, 0.9, 0.97)}
    assert shown[0.97].interval < shown[0.9].interval < shown[0.8].interval
    assert all(b.name == "Good" and b.interval.days >= 1 for b in shown.values())
    # What the Good button says is what a Good records (fuzz included).
    recorded = study.record_review(user_id, ids[WHO], 3, reps=item.reps, now=later)
    assert recorded.interval == shown[0.97].interval


def test_review_log_rows_record_state_rating_and_schedule(ctx, world):
    from quizapp.services import study

    set_id, user_id, _, ids = world
    now = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    study.record_review(user_id, ids[WHO], 3, now=now, duration_ms=4200)
    study.record_review(user_id, ids[WHO], 3, now=now + timedelta(minutes=10))
    card = _card(user_id, ids[WHO])
    review_at = card.due
    study.record_review(user_id, ids[WHO], 1, now=review_at)
    logs = _logs(user_id, ids[WHO])
    assert [(log.rating, log.state, log.source) for log in logs] == [
        (3, 0, "study"),
        (3, 1, "study"),
        (1, 2, "study"),
    ]
    assert logs[0].duration_ms == 4200 and logs[1].duration_ms is None
    assert logs[1].interval_seconds >= 86400  # graduated: a day or more
    assert logs[2].due == review_at + timedelta(minutes=10)  # relearning step
    assert _card(user_id, ids[WHO]).state == 3


@pytest.mark.parametrize("bad", [0, 5, "3", True, None, 2.5])
def test_service_refuses_bad_ratings(ctx, world, bad):
    from quizapp.services import Invalid, study

    _, user_id, _, ids = world
    with pytest.raises(Invalid, match="rating"):
        study.record_review(user_id, ids[WHO], bad)


@pytest.mark.parametrize(("retention", "per_day"), [(0.5, 20), (1.0, 20), (0.9, -1), (0.9, 501)])
def test_settings_out_of_range_are_refused(ctx, world, retention, per_day):
    from quizapp.services import Invalid, study

    _, user_id, _, _ = world
    with pytest.raises(Invalid):
        study.save_settings(user_id, retention, per_day)
    assert study.settings_for(user_id) == study.Settings(0.9, 20)


def test_stats_count_reviews_due_days_and_retention(ctx, world):
    from quizapp.services import study
    from quizapp.services.study import stats as study_stats

    _, user_id, _, ids = world
    now = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
    start = now - timedelta(days=20)
    for uid in (WHO, COUNT, WHERE):
        study.record_review(user_id, ids[uid], 4, now=start)  # straight to the review state
    for uid, rating in ((WHO, 3), (COUNT, 1)):
        study.record_review(user_id, ids[uid], rating, now=now - timedelta(hours=1))
    data = study_stats.stats(user_id, now)
    assert data.cards == 3 and data.reviews == 5
    assert data.per_day[-1].by_rating == {3: 1, 1: 1}
    assert data.per_day[-21].by_rating == {4: 3}
    assert (data.overall.passed, data.overall.total) == (1, 2)
    assert data.weeks[-1].percent == 50.0
    # Today: COUNT (relearning, 10 minutes) and WHERE (overdue); WHO is weeks away.
    assert data.due_per_day[0] == (now.date(), 2)
    assert sum(n for _, n in data.due_per_day) == 2 and len(data.due_per_day) == 14


# -- web routes ----------------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, auth, world):
    auth.login(world[2])
    return world


def _reveal(client, url):
    page = client.get(url).get_data(as_text=True)
    link = re.search(r'href="([^"]*\?reveal=\d+)"', page)
    assert link, "no Show answer link"
    return page, client.get(link.group(1).replace("&amp;", "&"))


def _rating_form(html):
    return {
        "csrf_token": csrf_from(html),
        "question_id": re.search(r'name="question_id" value="(\d+)"', html).group(1),
        "reps": re.search(r'name="reps" value="(\d+)"', html).group(1),
        **({"set": m.group(1)} if (m := re.search(r'name="set" value="(\d+)"', html)) else {}),
    }


@pytest.mark.parametrize(
    "path", ["/study/", "/study/review", "/study/sets/{set_id}", "/study/settings", "/study/stats"]
)
def test_guest_is_sent_to_sign_in(client, world, path):
    response = client.get(path.format(set_id=world[0]))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_nav_and_set_page_link_to_flashcards(client, signed_in):
    set_id = signed_in[0]
    page = client.get(f"/sets/{set_id}").get_data(as_text=True)
    assert f'href="/study/sets/{set_id}"' in page and "Study flashcards" in page
    assert 'href="/study/"' in page and ">Flashcards</a>" in page


def test_study_a_set_front_then_answer_then_rate(app, client, signed_in):
    set_id, user_id, _, ids = signed_in
    front, back = _reveal(client, f"/study/sets/{set_id}")
    assert PROMPTS[WHO] in front
    for secret in ("Quintessa", "explained-zq1", "Mayor Quintessa"):
        assert secret not in front  # nothing of the answer before it is asked for
    assert "study.js" in front and "<script>" not in front
    assert '<strong data-count="new">4</strong>' in front
    html = back.get_data(as_text=True)
    assert back.status_code == 200
    assert "Quintessa Vorbeck" in html and "explained-zq1" in html
    assert "<mark>Quintessa Vorbeck</mark>" in html  # the source sentence, answer marked
    assert 'aria-live="polite"' in html
    labels = re.findall(r'aria-label="(\w+): next review in ([^"(]+) \(key (\d)\)"', html)
    assert [(name, key) for name, _, key in labels] == [
        ("Again", "1"),
        ("Hard", "2"),
        ("Good", "3"),
        ("Easy", "4"),
    ]
    assert "· 10m" in html and "· 1m" in html
    response = client.post("/study/reviews", data={**_rating_form(html), "rating": "3"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/study/sets/{set_id}"
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Good: next review in 10 minutes." in after
    assert PROMPTS[COUNT] in after  # the next card
    assert '<strong data-count="done">1</strong>' in after
    assert '<strong data-count="new">3</strong>' in after


def test_review_everything_due_after_a_quiz(client, signed_in):
    set_id, user_id, _, ids = signed_in
    from helpers import hidden

    quiz = client.get(f"/sets/{set_id}/quiz").get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(quiz),
        "submission_key": hidden(quiz, "submission_key"),
        "confirm_blank": "1",
    }
    assert client.post(f"/sets/{set_id}/quiz", data=data).status_code == 303  # all blank
    page = client.get("/study/review").get_data(as_text=True)
    assert "everything due" in page and '<strong data-count="due">4</strong>' in page
    assert "From your quiz" in page and "Harbour festival" in page
    home = client.get("/study/").get_data(as_text=True)
    assert "Harbour festival" in home and "Review everything due" in home


def test_double_submitted_rating_records_one_review(app, client, signed_in):
    set_id, user_id, _, ids = signed_in
    _, back = _reveal(client, f"/study/sets/{set_id}")
    form = {**_rating_form(back.get_data(as_text=True)), "rating": "4"}
    first = client.post("/study/reviews", data=form)
    second = client.post("/study/reviews", data=form)
    assert first.status_code == second.status_code == 303
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "already rated" in page
    with app.app_context():
        assert len(_logs(user_id)) == 1


def test_rating_without_csrf_token_is_refused(app, client, signed_in):
    set_id, user_id, _, _ = signed_in
    _, back = _reveal(client, f"/study/sets/{set_id}")
    form = {**_rating_form(back.get_data(as_text=True)), "rating": "3"}
    form.pop("csrf_token")
    response = client.post("/study/reviews", data=form)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    with app.app_context():
        assert _logs(user_id) == []


@pytest.mark.parametrize(
    ("change", "status", "text"),
    [
        ({"rating": "5"}, 400, "Choose a rating"),
        ({"rating": ""}, 400, "Choose a rating"),
        ({"rating": "3", "question_id": "abc"}, 400, "not a number"),
        ({"rating": "3", "reps": ""}, 400, "not a number"),
        ({"rating": "3", "question_id": "999999"}, 404, "No such question"),
        ({"rating": "3", "set": "999999"}, 404, "No such question set"),
    ],
)
def test_bad_rating_forms_get_a_clear_4xx_page(app, client, signed_in, change, status, text):
    set_id, user_id, _, _ = signed_in
    _, back = _reveal(client, f"/study/sets/{set_id}")
    response = client.post(
        "/study/reviews", data={**_rating_form(back.get_data(as_text=True)), **change}
    )
    assert response.status_code == status
    assert text in response.get_data(as_text=True)
    with app.app_context():
        assert _logs(user_id) == []


def test_draft_set_cannot_be_studied(client, factory, signed_in, app):
    draft = factory.bank_set(small_bank("Secret draft", "cd" * 32), status="draft")
    draft_question = next(iter(_ids(app, draft).values()))
    assert client.get(f"/study/sets/{draft}").status_code == 404
    assert client.get(f"/study/review?reveal={draft_question}").status_code == 404
    page = client.get("/study/").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "question_id": draft_question, "reps": "0"}
    assert client.post("/study/reviews", data={**form, "rating": "3"}).status_code == 404


def test_reveal_of_another_sets_card_in_a_set_session_is_404(client, factory, signed_in, app):
    other = factory.bank_set(small_bank("Second festival", "cd" * 32), study_access="study_aid")
    other_question = next(iter(_ids(app, other).values()))
    set_id = signed_in[0]
    assert client.get(f"/study/sets/{set_id}?reveal={other_question}").status_code == 404
    assert client.get(f"/study/sets/{set_id}?reveal=x1").status_code == 404


def test_edited_question_keeps_its_card_and_shows_the_new_wording(app, client, signed_in):
    from quizapp.extensions import db
    from quizapp.models import Question

    set_id, user_id, _, ids = signed_in
    with app.app_context():
        _quiz(user_id, set_id, {WHO: "wrong"}, mode="practice")
        question = db.session.get(Question, ids[WHO])
        question.prompt = "Which mayor <b>opened</b> the festival?"
        question.version += 1
        db.session.commit()
    page = client.get(f"/study/sets/{set_id}").get_data(as_text=True)
    assert "Which mayor &lt;b&gt;opened&lt;/b&gt; the festival?" in page
    assert "<b>opened</b>" not in page


def test_settings_form_validates_with_clear_messages(app, client, signed_in):
    from quizapp.services import study

    page = client.get("/study/settings").get_data(as_text=True)
    assert 'value="0.90"' in page and 'value="20"' in page
    token = csrf_from(page)
    bad = client.post(
        "/study/settings",
        data={"csrf_token": token, "desired_retention": "1.5", "new_per_day": "lots"},
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "from 0.70 to 0.99" in html and "whole number from 0 to 500" in html
    assert 'aria-invalid="true"' in html
    for retention, expected in (("85%", 0.85), ("0,95", 0.95), ("0.7", 0.7)):
        ok = client.post(
            "/study/settings",
            data={"csrf_token": token, "desired_retention": retention, "new_per_day": "5"},
        )
        assert ok.status_code == 303
        with app.app_context():
            assert study.settings_for(signed_in[1]) == study.Settings(expected, 5)
    for retention in ("0.69", "100", "nan", "inf", "", "0x1"):
        response = client.post(
            "/study/settings",
            data={"csrf_token": token, "desired_retention": retention, "new_per_day": "5"},
        )
        assert response.status_code == 400, retention


def test_stats_page_has_charts_and_a_text_summary(app, client, signed_in):
    set_id, user_id, _, ids = signed_in
    with app.app_context():
        _quiz(user_id, set_id, _mixed(ids))
    html = client.get("/study/stats").get_data(as_text=True)
    assert html.count('role="img"') >= 2
    assert "You have 4 flashcards and made 2 reviews" in html
    assert "Reviews by rating" in html
    # Two due now, two in ten minutes: today or (just before midnight UTC) tomorrow.
    found = re.search(r"(\d+) cards? (?:is|are) due today and (\d+) more", html)
    assert found and int(found.group(1)) + int(found.group(2)) == 4


def test_all_done_page_says_when_to_come_back(app, client, signed_in):
    from quizapp.services import study

    set_id, user_id, _, ids = signed_in
    with app.app_context():
        for question_id in ids.values():
            study.record_review(user_id, question_id, 4)
    page = client.get(f"/study/sets/{set_id}").get_data(as_text=True)
    assert "All done for now" in page and "The next card is due" in page
    assert "You have started every card of this set." in page
    assert "No new cards left for today" not in page


def test_all_done_because_of_the_daily_limit_says_so(app, client, signed_in):
    from quizapp.services import study

    set_id, user_id, _, _ids = signed_in
    with app.app_context():
        study.save_settings(user_id, 0.9, 0)
    page = client.get(f"/study/sets/{set_id}").get_data(as_text=True)
    assert "No new cards left for today" in page
    assert "You have started every card" not in page
