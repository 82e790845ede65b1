"""Issue 16, "every list is paginated": the home page (published sets) and the teacher's My
sets show PER_PAGE rows a page, with keyboard-usable page links that keep the search."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta


def _sets(app, count: int, owner_id: int | None = None, status: str = "published") -> None:
    from sqlalchemy import insert

    from quizapp.extensions import db
    from quizapp.models import QuestionSet

    start = datetime(2026, 1, 1, tzinfo=UTC)
    with app.app_context():
        db.session.execute(
            insert(QuestionSet),
            [
                {
                    "owner_id": owner_id,
                    "title": f"{'Harbour' if n % 2 else 'Market'} news {n:04}",
                    "status": status,
                    "source_published": f"2026-01-{1 + n % 28:02}",
                    "created_at": start + timedelta(minutes=n),
                }
                for n in range(count)
            ],
        )
        db.session.commit()


def _titles(html: str) -> list[str]:
    return re.findall(r"(?:Harbour|Market) news \d{4}", html)


def test_home_page_lists_published_sets_a_page_at_a_time(app, client):
    _sets(app, 120)
    first = client.get("/").get_data(as_text=True)
    assert len(_titles(first)) == 50
    assert "Quizzes 1–50 of 120 · page 1 of 3" in first
    assert 'rel="next"' in first and 'href="/?page=2"' in first
    assert 'aria-current="page" href="/?page=1"' in first
    last = client.get("/?page=3").get_data(as_text=True)
    assert len(_titles(last)) == 20
    seen = set(_titles(first)) | set(_titles(client.get("/?page=2").get_data(as_text=True)))
    assert len(seen | set(_titles(last))) == 120  # every set once
    # past the last page: the last; not a number: the first; never an error
    assert _titles(client.get("/?page=99").get_data(as_text=True)) == _titles(last)
    assert _titles(client.get("/?page=x").get_data(as_text=True)) == _titles(first)


def test_home_page_search_is_paged_and_kept_in_the_links(app, client):
    _sets(app, 120)
    html = client.get("/?q=harbour").get_data(as_text=True)
    assert "60 sets match" in html
    assert len(_titles(html)) == 50 and all(t.startswith("Harbour") for t in _titles(html))
    assert 'href="/?page=2&amp;q=harbour"' in html
    second = client.get("/?q=harbour&page=2").get_data(as_text=True)
    assert len(_titles(second)) == 10


def test_my_sets_are_paged(app, client, factory, auth):
    teacher_id, email = factory.user("teacher")
    _sets(app, 55, owner_id=teacher_id, status="draft")
    assert auth.login(email).status_code == 302
    first = client.get("/teach/").get_data(as_text=True)
    assert len(_titles(first)) == 50
    assert "Sets 1–50 of 55 · page 1 of 2" in first
    assert "news 0054" in first  # newest first
    second = client.get("/teach/?page=2").get_data(as_text=True)
    assert len(_titles(second)) == 5 and "news 0000" in second


def test_my_sets_show_attempts_and_mean_from_the_counters(app, client, factory, auth):
    from helpers import small_bank

    from quizapp.extensions import db
    from quizapp.models import QuestionSet
    from quizapp.services import attempts, class_stats

    teacher_id, email = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    with app.app_context():
        qset = db.session.get(QuestionSet, set_id)
        ids = [q.id for q in qset.questions]
        for answer in ("Zanthorpe", "Ashby", "Zanthorpe"):
            attempts.submit_quiz(qset, ids, {"q-town000001": answer}, user=None, guest_name="G")
        owner = qset.owner
        [row] = class_stats.dashboard(owner).items
        assert row.attempts == 3
        assert row.mean_percent == (100.0 / len(ids)) * 2 / 3
