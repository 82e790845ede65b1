"""Flashcard statistics: reviews per day, cards coming due, retention (all in UTC days)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from ... import scheduling
from ...extensions import db
from ...models import Card, ReviewLog, utcnow
from .queue import cards_query, day_start

REVIEW_DAYS = 30
DUE_DAYS = 14
RETENTION_WEEKS = 8


@dataclass
class DayReviews:
    day: date
    by_rating: dict[int, int] = field(default_factory=dict)  # rating -> reviews

    @property
    def total(self) -> int:
        return sum(self.by_rating.values())


@dataclass
class Retention:
    """Reviews of cards in the review state (not learning or relearning) and how many of
    them were not rated Again."""

    label: str
    passed: int
    total: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.passed / self.total if self.total else None


@dataclass
class Stats:
    cards: int
    reviews: int  # in the last REVIEW_DAYS days
    per_day: list[DayReviews]  # REVIEW_DAYS days, oldest first
    due_per_day: list[tuple[date, int]]  # DUE_DAYS days from today; today counts overdue
    weeks: list[Retention]  # RETENTION_WEEKS weeks, oldest first
    overall: Retention  # the last REVIEW_DAYS days


def stats(user_id: int, now: datetime | None = None) -> Stats:
    """A student's flashcard statistics."""
    now = now or utcnow()
    today = day_start(now)
    first_week = today - timedelta(days=today.weekday() + 7 * (RETENTION_WEEKS - 1))
    since = min(first_week, today - timedelta(days=REVIEW_DAYS - 1))
    logs = db.session.execute(
        select(ReviewLog.reviewed_at, ReviewLog.rating, ReviewLog.state).where(
            ReviewLog.user_id == user_id, ReviewLog.reviewed_at >= since
        )
    ).all()

    days = [DayReviews((today - timedelta(days=n)).date()) for n in range(REVIEW_DAYS - 1, -1, -1)]
    by_day = {d.day: d for d in days}
    weeks = [
        Retention(f"Week of {(first_week + timedelta(weeks=n)):%d %b}", 0, 0)
        for n in range(RETENTION_WEEKS)
    ]
    overall = Retention(f"Last {REVIEW_DAYS} days", 0, 0)
    month_start = today - timedelta(days=REVIEW_DAYS - 1)
    for reviewed_at, rating, state in logs:
        reviewed_at = reviewed_at.astimezone(UTC)
        day = by_day.get(reviewed_at.date())
        if day is not None:
            day.by_rating[rating] = day.by_rating.get(rating, 0) + 1
        if state != scheduling.REVIEW:
            continue
        passed = rating != scheduling.AGAIN
        week = (reviewed_at - first_week).days // 7
        if 0 <= week < RETENTION_WEEKS:
            weeks[week].total += 1
            weeks[week].passed += passed
        if reviewed_at >= month_start:
            overall.total += 1
            overall.passed += passed

    horizon = today + timedelta(days=DUE_DAYS)
    dues = db.session.scalars(
        cards_query(user_id, None).with_only_columns(Card.due).where(Card.due < horizon)
    ).all()
    due_counts = [0] * DUE_DAYS
    for due in dues:
        due_counts[max(0, (due.astimezone(UTC) - today).days)] += 1
    cards = db.session.scalar(
        select(func.count()).select_from(cards_query(user_id, None).subquery())
    )
    return Stats(
        cards=cards,
        reviews=sum(d.total for d in days),
        per_day=days,
        due_per_day=[((today + timedelta(days=n)).date(), due_counts[n]) for n in range(DUE_DAYS)],
        weeks=weeks,
        overall=overall,
    )
