"""Flashcard scheduling: a thin, pure wrapper over FSRS (PyPI `fsrs`, version 6).

No Flask, no models: a card's scheduling state goes in and out as a plain `CardState`, so the
services store it in any row they like and the tests run without a database.

Fuzz (FSRS spreads review intervals of 3 days and more by a few days, so that cards learnt
together don't stay together) is drawn from a seed the caller gives (the student, the question
and the number of reviews so far) instead of the process-wide random generator: the interval a
rating button shows is then exactly the one that rating records, and tests are deterministic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import FUZZ_RANGES

AGAIN, HARD, GOOD, EASY = (int(r) for r in (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy))
RATINGS = (AGAIN, HARD, GOOD, EASY)
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}

LEARNING, REVIEW, RELEARNING = (int(s) for s in (State.Learning, State.Review, State.Relearning))
STATE_NAMES = {LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}
NEW = 0  # a card never reviewed (FSRS 6 has no state of its own for it)

MIN_RETENTION, MAX_RETENTION, DEFAULT_RETENTION = 0.70, 0.99, 0.9
MAX_INTERVAL_DAYS = 36500


@dataclass(frozen=True)
class CardState:
    """What FSRS knows of one card. `state` is LEARNING, REVIEW or RELEARNING; `step` the
    learning step (None in REVIEW); stability and difficulty are None before the first review."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None

    @property
    def reviewed(self) -> bool:
        return self.last_review is not None


def new_card(due: datetime) -> CardState:
    """A card not reviewed yet, due at `due`."""
    return CardState(LEARNING, 0, None, None, _utc(due), None)


def check_rating(value: object) -> int:
    """The rating as an int 1–4; ValueError for anything else (a bool or "3" included)."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in RATINGS:
        raise ValueError("The rating must be 1 (again), 2 (hard), 3 (good) or 4 (easy).")
    return value


def check_retention(value: float) -> float:
    """`value` if it is a desired retention this app allows; ValueError otherwise."""
    if not (MIN_RETENTION <= value <= MAX_RETENTION):
        raise ValueError(
            f"The desired retention is a number from {MIN_RETENTION:.2f} to {MAX_RETENTION:.2f}."
        )
    return value


def review(
    card: CardState,
    rating: int,
    at: datetime,
    *,
    retention: float = DEFAULT_RETENTION,
    fuzz_seed: str | None = None,
) -> CardState:
    """The card after a review rated `rating` at time `at`. Without a `fuzz_seed` the interval
    is not fuzzed. Raises ValueError for a bad rating or retention."""
    scheduler = _scheduler(check_retention(float(retention)))
    at = _utc(at)
    before = Card(
        card_id=1,  # an explicit id: without one fsrs sleeps a millisecond to make one up
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due),
        last_review=_utc(card.last_review) if card.last_review else None,
    )
    after, _log = scheduler.review_card(before, Rating(check_rating(rating)), at)
    due = after.due
    if fuzz_seed is not None and after.state == State.Review:
        due = at + _fuzzed(after.due - at, fuzz_seed)
    return CardState(
        int(after.state), after.step, after.stability, after.difficulty, due, after.last_review
    )


def preview(
    card: CardState,
    at: datetime,
    *,
    retention: float = DEFAULT_RETENTION,
    fuzz_seed: str | None = None,
) -> dict[int, timedelta]:
    """{rating: the interval it would give} for the four ratings (what the buttons show)."""
    return {
        rating: review(card, rating, at, retention=retention, fuzz_seed=fuzz_seed).due - _utc(at)
        for rating in RATINGS
    }


def interval_days(interval: timedelta) -> float:
    """An interval in days, to four decimals (ten minutes is 0.0069)."""
    return round(interval.total_seconds() / 86400, 4)


def short_interval(interval: timedelta) -> str:
    """Anki-style: "1m", "10m", "3h", "4d", "2.1mo", "1.3y"."""
    value, unit = _unit(interval)
    return f"{_number(value)}{_SHORT_UNITS[unit]}"


def long_interval(interval: timedelta) -> str:
    """In words, for screen readers: "1 minute", "10 minutes", "3 days", "2.1 months"."""
    value, unit = _unit(interval)
    return f"{_number(value)} {unit}{'' if value == 1 else 's'}"


_SHORT_UNITS = {"minute": "m", "hour": "h", "day": "d", "month": "mo", "year": "y"}


def _unit(interval: timedelta) -> tuple[float, str]:
    seconds = max(interval.total_seconds(), 0.0)
    minutes, days = seconds / 60, seconds / 86400
    if minutes < 59.5:
        return max(1, round(minutes)), "minute"
    if days < 0.9995:
        return round(minutes / 60), "hour"
    if days < 29.5:
        return round(days), "day"
    if days < 364.5:
        return round(days / 30.4375, 1), "month"
    return round(days / 365.25, 1), "year"


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _fuzzed(interval: timedelta, seed: str) -> timedelta:
    """FSRS's fuzz (same ranges as `Scheduler._get_fuzzed_interval`) drawn from `seed`."""
    days = interval.days
    if days < 2.5:
        return interval
    delta = 1.0
    for spread in FUZZ_RANGES:
        delta += spread["factor"] * max(min(float(days), spread["end"]) - spread["start"], 0.0)
    high = min(round(days + delta), MAX_INTERVAL_DAYS)
    low = min(max(2, round(days - delta)), high)
    # One draw in [0, 1) placed at the same relative spot of every rating's range: a longer
    # interval before fuzz stays at least as long after it (Hard never beats Good).
    share = random.Random(seed).random()
    return timedelta(days=min(high, low + int(share * (high - low + 1))))


@lru_cache(maxsize=64)
def _scheduler(retention: float) -> Scheduler:
    # Fuzz is ours (above); FSRS's own draws from the global random generator.
    return Scheduler(
        desired_retention=retention, maximum_interval=MAX_INTERVAL_DAYS, enable_fuzzing=False
    )


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC ("2026-11-27T21:59:00+00:00"), whatever zone the database gave."""
    return _utc(moment).isoformat()


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: give a timezone-aware UTC time")
    return moment.astimezone(UTC)
