"""One write per submission (issue 16): a signed-in web submission is at most 12 SQL statements
in one write transaction (the rate-limit count, the attempt, its responses and score, the class
counters and the flashcards), and what it stores is all there."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from helpers import csrf_from
from sqlalchemy import event, func, select

from quizapp.extensions import db
from quizapp.models import (
    RATE_SLOTS,
    Attempt,
    Card,
    Question,
    RateLimitCount,
    Response,
    ReviewLog,
    utcnow,
)
from quizapp.services import limits

WRITES = ("INSERT", "UPDATE", "DELETE")


class Statements:
    """Statements and transactions seen by the engine (either dialect); a transaction is a
    write transaction when it ran an INSERT, UPDATE or DELETE."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.statements: list[str] = []
        self.transactions: list[list[str]] = []

    def __enter__(self):
        event.listen(self.engine, "begin", self._begin)
        event.listen(self.engine, "before_cursor_execute", self._statement)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "begin", self._begin)
        event.remove(self.engine, "before_cursor_execute", self._statement)

    def _begin(self, _conn) -> None:
        self.transactions.append([])

    def _statement(self, _conn, _cursor, statement, *_args) -> None:
        if statement.startswith("BEGIN"):  # SQLite's own BEGIN (quizapp.database)
            return
        self.statements.append(statement)
        if self.transactions:
            self.transactions[-1].append(statement)

    @property
    def writing(self) -> list[list[str]]:
        return [t for t in self.transactions if any(s.lstrip().startswith(WRITES) for s in t)]


@pytest.fixture
def signed_in(app, client, factory, auth):
    set_id = factory.seed_set()
    _user_id, email = factory.user()
    auth.login(email)
    return set_id


def _form(app, client, set_id: int, right: bool) -> dict:
    page = client.get(f"/sets/{set_id}/quiz").text
    names = sorted(set(re.findall(r'name="(q\d+)"', page)))
    with app.app_context():
        keys = dict(
            db.session.execute(
                select(Question.id, Question.answer).where(Question.set_id == set_id)
            ).all()
        )
    data = {"csrf_token": csrf_from(page), "confirm_blank": "1"}
    for name in names:
        data[name] = keys[int(name[1:])] if right else "certainly not this"
    return data


def _hits_counted() -> int:
    """The rate limits' hits counted, all keys (the slots of every `RateLimitCount`)."""
    slots = [getattr(RateLimitCount, f"s{i}") for i in range(RATE_SLOTS)]
    return db.session.scalar(select(func.coalesce(func.sum(sum(slots[1:], slots[0])), 0)))


def _counts(app) -> dict:
    with app.app_context():
        counts = {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Attempt, Response, Card, ReviewLog)
        }
        return {**counts, "hits": _hits_counted()}


@pytest.mark.parametrize("second", ["all wrong (cards rated Again)", "all right"])
def test_a_signed_in_submission_is_one_write_transaction_of_at_most_12_statements(
    app, client, signed_in, monkeypatch, second
):
    monkeypatch.setattr(limits, "_last_purge", time.monotonic())  # a purge is not due
    set_id = signed_in
    with app.app_context():
        engine = db.engine
    # (PostgreSQL may add one; the rate-limit count's row lock serialises it as SQLite's write
    # lock does.)
    most = 12 + (engine.dialect.name == "postgresql")
    # The first quiz makes the student's cards (right answers reviewed "Good"); the second
    # reviews them again (wrong: Again) or leaves them (right, not due yet).
    for key, right in (("first", True), ("second", second == "all right")):
        data = {**_form(app, client, set_id, right), "submission_key": key}
        before = _counts(app)
        with Statements(engine) as seen:
            response = client.post(f"/sets/{set_id}/quiz", data=data)
        assert response.status_code == 303, response.status_code
        assert len(seen.statements) <= most, "\n".join(seen.statements)
        assert len(seen.writing) == 1, seen.transactions
        after = _counts(app)
        asked = after["Response"] - before["Response"]
        assert after["Attempt"] == before["Attempt"] + 1 and asked > 0
        assert after["hits"] == before["hits"] + 2  # the user and the address
        assert after["Card"] == asked  # one card per question asked, made once
    if second != "all right":
        assert after["ReviewLog"] == 2 * asked  # Good, then Again, for each card


def test_a_repeated_submission_writes_nothing(app, client, signed_in, monkeypatch):
    monkeypatch.setattr(limits, "_last_purge", time.monotonic())
    data = {**_form(app, client, signed_in, True), "submission_key": "once"}
    first = client.post(f"/sets/{signed_in}/quiz", data=data)
    before = _counts(app)
    with app.app_context():
        engine = db.engine
    with Statements(engine) as seen:
        again = client.post(f"/sets/{signed_in}/quiz", data=data)
    assert again.headers["Location"] == first.headers["Location"]
    assert _counts(app) == before  # not counted against the limit either
    assert len(seen.statements) <= 6, "\n".join(seen.statements)


def test_old_rate_limit_hits_are_purged_when_a_purge_is_due(app, client, signed_in, monkeypatch):
    with app.app_context():
        slots = {f"s{i}": 1 for i in range(RATE_SLOTS)}
        old = utcnow() - timedelta(days=2)
        db.session.add(RateLimitCount(key="submit:user:old", bucket=1, at=old, **slots))
        db.session.commit()
    monkeypatch.setattr(limits, "_last_purge", time.monotonic())
    data = {**_form(app, client, signed_in, True), "submission_key": "a"}
    client.post(f"/sets/{signed_in}/quiz", data=data)
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(RateLimitCount.key.endswith(":old")))
    monkeypatch.setattr(limits, "_last_purge", time.monotonic() - limits.PURGE_EVERY)
    data = {**_form(app, client, signed_in, True), "submission_key": "b"}
    client.post(f"/sets/{signed_in}/quiz", data=data)
    with app.app_context():
        assert not db.session.scalar(
            select(func.count()).where(RateLimitCount.key.endswith(":old"))
        )
