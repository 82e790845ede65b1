"""My results is paged (issue 16): a page costs the same whatever the number of attempts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from quizapp.extensions import db
from quizapp.models import Attempt, Question


def _attempts(app, user_id: int, set_id: int, n: int) -> list[int]:
    """`n` graded attempts of the user, one a minute: their ids, oldest first."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with app.app_context():
        qids = [q.id for q in db.session.query(Question).filter_by(set_id=set_id)]
        rows = [
            Attempt(
                set_id=set_id,
                user_id=user_id,
                mode="quiz" if k % 3 else "retry",
                state="graded",
                question_ids=qids,
                score=k % (len(qids) + 1),
                max_score=len(qids),
                started_at=start + timedelta(minutes=k),
                submitted_at=start + timedelta(minutes=k, seconds=30),
            )
            for k in range(n)
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [a.id for a in rows]


def _listed(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/attempts/(\d+)"', html)]


def test_my_results_lists_fifty_a_page_newest_first_and_every_attempt_once(
    app, client, auth, factory
):
    user_id, email = factory.user()
    set_id = factory.bank_set()
    ids = _attempts(app, user_id, set_id, 57)
    auth.login(email)
    first = client.get("/history")
    assert first.status_code == 200
    page_1 = _listed(first.get_data(as_text=True))
    page_2 = _listed(client.get("/history?page=2").get_data(as_text=True))
    assert len(page_1) == 50 and len(page_2) == 7
    assert page_1 + page_2 == ids[::-1]  # newest first, each once
    assert "Attempts 1–50 of 57" in first.get_data(as_text=True)
    # past the end: the last page; not a number: the first
    assert _listed(client.get("/history?page=999").get_data(as_text=True)) == page_2
    assert _listed(client.get("/history?page=x").get_data(as_text=True)) == page_1


def test_the_scores_chart_shows_the_last_fifty_quizzes(app, client, auth, factory):
    from quizapp.models import User
    from quizapp.services import results

    user_id, email = factory.user()
    set_id = factory.bank_set()
    ids = _attempts(app, user_id, set_id, 120)
    with app.app_context():
        recent = results.recent_quizzes(db.session.get(User, user_id))
        assert len(recent) == 50
        assert all(a.mode == "quiz" for a in recent)
        quiz_ids = [i for k, i in enumerate(ids) if k % 3]
        assert [a.id for a in recent] == quiz_ids[-50:]  # oldest first
    auth.login(email)
    assert client.get("/history").status_code == 200
