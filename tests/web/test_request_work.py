"""Work saved per request without changing what a request does (issue 16, bench/load.py): a
transaction that only read ends with COMMIT, one that wrote never does; an unchanged session
cookie is re-signed at most once per REFRESH_AFTER; the quiz page's pieces kept per set
revision give the page a fresh render gives."""

from __future__ import annotations

import re

import pytest
from helpers import bearer, csrf_from, hidden, quiz_field_names, signed_in, small_bank
from sqlalchemy import event, func, insert, select


def _ends(app) -> list[str]:
    """How each database transaction ended ("commit" / "rollback"), appended as they end."""
    from quizapp.extensions import db

    ended: list[str] = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "commit", lambda _conn: ended.append("commit"))
    event.listen(engine, "rollback", lambda _conn: ended.append("rollback"))
    return ended


def test_a_page_that_only_read_ends_its_transaction_with_commit(app, client, factory, auth):
    set_id = factory.bank_set()
    signed_in(factory, auth)
    client.get(f"/sets/{set_id}/quiz")  # caches warm
    ended = _ends(app)
    assert client.get(f"/sets/{set_id}/quiz").status_code == 200
    assert ended == ["commit"]


def test_end_reads_leaves_a_transaction_that_wrote_to_be_rolled_back(app):
    from quizapp.database import end_reads
    from quizapp.extensions import db
    from quizapp.models import RateLimitHit, utcnow

    with app.test_request_context():
        db.session.execute(insert(RateLimitHit).values(key="k", at=utcnow()))
        end_reads()  # wrote: left alone
        assert db.session().in_transaction()
        db.session.remove()  # the request's end: a rollback
        assert db.session.scalar(select(func.count(RateLimitHit.id))) == 0
        db.session.remove()


def test_end_reads_keeps_unflushed_changes_out_and_the_loaded_rows_loaded(app, factory):
    from quizapp.database import end_reads
    from quizapp.extensions import db
    from quizapp.models import QuestionSet, User

    set_id = factory.bank_set()
    user_id, _email = factory.user()
    with app.test_request_context():
        qset = db.session.get(QuestionSet, set_id)
        user = db.session.get(User, user_id)
        user.display_name = "Changed"  # not flushed: the transaction is left alone
        end_reads()
        assert db.session().in_transaction()
        db.session.rollback()
        qset = db.session.get(QuestionSet, set_id)
        end_reads()  # read only: committed, and the set stays readable once the session ends
        assert not db.session().in_transaction()
        db.session.remove()
        assert qset.title  # no DetachedInstanceError: nothing was expired
    with app.app_context():
        assert db.session.get(User, user_id).display_name != "Changed"


def _session_cookies(response) -> list[str]:
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]


def test_an_unchanged_session_cookie_is_re_signed_only_once_it_is_old(
    app, client, factory, auth, monkeypatch
):
    from quizapp import sessions

    signed_in(factory, auth)  # a permanent session
    client.get("/")  # shows the "Signed in" message: the session changes, so it is saved
    assert not _session_cookies(client.get("/"))  # unchanged and just signed: left as it is
    monkeypatch.setattr(sessions, "REFRESH_AFTER", 0)
    assert _session_cookies(client.get("/"))  # as old as the refresh interval: signed again
    assert client.get("/history").status_code == 200  # the re-signed cookie still signs in


def test_a_changed_session_is_saved_at_once(app, client, factory):
    set_id = factory.bank_set()
    first = client.get(f"/sets/{set_id}/quiz")  # a guest gets a guest id: the session changes
    assert _session_cookies(first)
    html = first.get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(html),
        "submission_key": hidden(html, "submission_key"),
        "guest_name": "Gail",
        "confirm_blank": "1",
    }
    response = client.post(f"/sets/{set_id}/quiz", data=data)
    assert response.status_code == 303
    assert _session_cookies(response)  # the guest's attempt remembered in the session


def test_the_quiz_page_from_kept_pieces_is_the_page_rendered_afresh(
    app, client, factory, auth, monkeypatch
):
    """With one submission key (so one choice order), the page from the pieces kept per set
    revision, both as they are first made and as they are read back, is the page rendered
    afresh; another key orders the same choices its own way."""
    from quizapp.services import question_cache
    from quizapp.views import student

    set_id = factory.bank_set()
    signed_in(factory, auth)
    client.get("/")  # the "Signed in" message shown
    keys = iter(["a" * 32, "a" * 32, "a" * 32, "b" * 32])
    monkeypatch.setattr(student.secrets, "token_hex", lambda _n=16: next(keys))
    first = _page(client, set_id)  # pieces made
    kept = _page(client, set_id)  # pieces read back
    monkeypatch.setattr(question_cache.SetQuestions, "remembered", lambda _s, _k, make: make())
    fresh = _page(client, set_id)
    assert first == kept == fresh
    assert 'name="q' in fresh and "question--unanswered" not in fresh
    other = _page(client, set_id)
    assert quiz_field_names(other) == quiz_field_names(fresh)
    assert _radios(other) != _radios(fresh) and sorted(_radios(other)) == sorted(_radios(fresh))


def _page(client, set_id: int) -> str:
    """The quiz page without its CSRF tokens' values: Flask-WTF signs them with the second
    they are made in, so two renderings a second apart differ there and nowhere else."""
    html = client.get(f"/sets/{set_id}/quiz").get_data(as_text=True)
    return re.sub(r'<input[^>]*name="csrf_token"[^>]*>', "<csrf_token>", html)  # every form's


def _radios(html: str) -> list[str]:
    return re.findall(r'type="radio" value="([^"]*)"', html)


def _statements(app) -> list[str]:
    """Every SQL statement sent from now on, appended as it is sent."""
    from quizapp.extensions import db

    sent: list[str] = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda _c, _cu, sql, *_a: sent.append(sql))
    return sent


def test_an_api_submission_answers_from_what_it_stored_as_a_read_back_would(app, client, factory):
    """The API's answer to a new submission is made from the responses just stored, not read
    back: the same JSON as GET /attempts/<id> gives (right, wrong and blank answers, expected
    answers and explanations), and no SELECT of responses after the commit."""

    bank = small_bank()
    set_id = factory.bank_set(bank)
    _user_id, email = factory.user()
    headers = bearer(client, email)
    ids = [
        q["id"]
        for q in client.get(f"/api/v1/sets/{set_id}", headers=headers).get_json()["questions"]
    ]
    keys = {q["id"]: q["answer"] for q in bank["questions"]}
    answers = {
        uid: keys[uid] if i % 3 == 0 else ("wrong" if i % 3 == 1 else None)
        for i, uid in enumerate(ids)
    }
    sent = _statements(app)
    response = client.post(
        f"/api/v1/sets/{set_id}/attempts",
        json={"answers": answers},
        headers={**headers, "Idempotency-Key": "k1"},
    )
    assert response.status_code == 201
    assert not [sql for sql in sent if sql.startswith("SELECT") and "FROM responses" in sql]
    stored = response.get_json()
    read_back = client.get(f"/api/v1/attempts/{stored['attempt_id']}", headers=headers)
    assert stored == read_back.get_json()
    assert [r["question_id"] for r in stored["results"]] == ids
    assert {r["correct"] for r in stored["results"]} == {True, False}
    assert all(r["expected"] for r in stored["results"])
    # The same key again: the first attempt, read back (Idempotent-Replayed).
    again = client.post(
        f"/api/v1/sets/{set_id}/attempts",
        json={"answers": answers},
        headers={**headers, "Idempotency-Key": "k1"},
    )
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == stored


def test_what_a_submission_kept_is_dropped_when_the_session_reads_again(app, factory):
    from quizapp.database import just_committed
    from quizapp.extensions import db
    from quizapp.models import QuestionSet
    from quizapp.services import attempts, results

    set_id = factory.bank_set()
    with app.app_context():
        qset = db.session.get(QuestionSet, set_id)
        questions = list(qset.questions)
        attempt, created = attempts.submit_quiz(
            qset,
            [q.id for q in questions],
            {questions[0].uid: questions[0].answer},
            user=None,
            guest_name="Gail",
        )
        assert created and attempt.id in just_committed()["results"]
        kept = results.results(attempt)
        db.session.execute(select(func.count()).select_from(QuestionSet))  # a new transaction
        assert just_committed() == {}
        read = results.results(attempt)  # read back from the database
        assert kept == read and kept[0].correct and not kept[1].correct


def test_the_quiz_pages_hidden_fields_are_what_wtforms_writes(app, client, factory, auth):
    from quizapp.forms import QuizFormBase

    set_id = factory.bank_set()
    signed_in(factory, auth)
    html = client.get(f"/sets/{set_id}/quiz").get_data(as_text=True)
    key, token = hidden(html, "submission_key"), csrf_from(html)
    with app.test_request_context():
        form = QuizFormBase(meta={"csrf": False})
        form.submission_key.data, form.retry.data = key, ""
        assert str(form.submission_key()) in html
        assert str(form.retry()) in html
    assert f'<input id="csrf_token" name="csrf_token" type="hidden" value="{token}">' in html
    html = html.replace("<", "\n<")
    assert len(re.findall(r'name="(csrf_token|submission_key|retry)"', html)) == 4  # + sign-out


def test_a_header_a_response_set_itself_is_kept(app, client):
    def own_headers():
        return "ok", 200, {"X-Frame-Options": "SAMEORIGIN", "Cache-Control": "private"}

    app.add_url_rule("/_own_headers", "own_headers", own_headers)
    own = client.get("/_own_headers")
    assert own.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert own.headers.getlist("Cache-Control") == ["private"]
    assert own.headers.getlist("X-Content-Type-Options") == ["nosniff"]  # the rest added
    response = client.get("/static/css/app.css")
    response.close()
    assert response.headers["X-Frame-Options"] == "DENY"
    assert (
        "Cache-Control" not in response.headers
        or "no-store" not in response.headers["Cache-Control"]
    )
    page = client.get("/login")
    assert page.headers.getlist("Cache-Control") == ["no-store"]
    assert page.headers.getlist("X-Frame-Options") == ["DENY"]


def test_get_by_id_is_the_sessions_get(app, factory):
    from quizapp.database import get_by_id
    from quizapp.extensions import db
    from quizapp.models import QuestionSet, User

    set_id = factory.bank_set()
    user_id, email = factory.user()
    with app.app_context():
        user = get_by_id(User, user_id)
        assert user.email == email and get_by_id(User, user_id) is user is db.session.get(
            User, user_id
        )
        assert get_by_id(QuestionSet, set_id).id == set_id
        assert get_by_id(QuestionSet, set_id + 1000) is None
        user.display_name = "Changed"  # held by the session: the session's own object
        assert get_by_id(User, user_id).display_name == "Changed"


# --- pooled connections: checked when they sat idle, not on every request --------------------


def _pooled_backend_ended(app, client):
    """A request leaves a connection in the pool; then the server ends its session behind the
    pool's back (what a PostgreSQL restart or an idle timeout does)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from quizapp.extensions import db

    assert client.get("/").status_code == 200
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite's connections are files: never pinged")
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        db.session.remove()
        outside = create_engine(db.engine.url, poolclass=NullPool)  # not one of the pool's
    with outside.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        other.commit()
    outside.dispose()
    return pid


@pytest.mark.parametrize(("idle_after", "status"), [(0.0, 200), (3600.0, 503)])
def test_an_idle_pooled_connection_is_pinged_and_replaced(
    app, client, monkeypatch, idle_after, status
):
    """Checked out after PING_AFTER_IDLE, a dead connection is found by the ping and replaced:
    the request succeeds. One in steady use is not pinged (no round trip per request); had it
    died, its request would get the 503 the database's absence gives."""
    from quizapp import database

    _pooled_backend_ended(app, client)
    monkeypatch.setattr(database, "PING_AFTER_IDLE", idle_after)
    assert client.get("/").status_code == status
    assert client.get("/").status_code == 200  # either way the pool has a live one now
