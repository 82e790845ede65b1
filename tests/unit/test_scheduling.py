"""quizapp.scheduling: the pure FSRS wrapper (no Flask, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from hypothesis import given
from hypothesis import strategies as st

from quizapp import scheduling
from quizapp.scheduling import AGAIN, EASY, GOOD, HARD, RATINGS

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _reviewed(ratings, retention=0.9, start=NOW, seed=None):
    """A card after `ratings`, each given when the card came due; and the time of the last."""
    card, at = scheduling.new_card(start), start
    for n, rating in enumerate(ratings):
        at = max(at, card.due)
        card = scheduling.review(
            card, rating, at, retention=retention, fuzz_seed=None if seed is None else f"{seed}{n}"
        )
    return card, at


def _graduated(retention=0.9):
    """A card in the review state (Good, Good), at the time it comes due."""
    card, _ = _reviewed([GOOD, GOOD], retention)
    assert card.state == scheduling.REVIEW
    return card, card.due


def test_new_card_intervals_are_ordered_again_hard_good_easy():
    shown = scheduling.preview(scheduling.new_card(NOW), NOW)
    assert shown[AGAIN] < shown[HARD] < shown[GOOD] < shown[EASY]
    # FSRS 6 defaults: learning steps of 1 and 10 minutes; Easy graduates at once.
    assert shown[AGAIN] == timedelta(minutes=1)
    assert shown[HARD] == timedelta(minutes=5, seconds=30)
    assert shown[GOOD] == timedelta(minutes=10)
    assert shown[EASY] == timedelta(days=8)


def test_reviewed_card_intervals_are_ordered_again_hard_good_easy():
    card, at = _graduated()
    shown = scheduling.preview(card, at)
    assert shown[AGAIN] < shown[HARD] < shown[GOOD] < shown[EASY]
    assert shown[AGAIN] == timedelta(minutes=10)  # relearning step
    assert shown[HARD] >= timedelta(days=1)


def test_wrapper_matches_fsrs_itself_without_fuzz():
    scheduler = Scheduler(desired_retention=0.9, enable_fuzzing=False)
    theirs = FsrsCard(card_id=1, due=NOW)
    ours = scheduling.new_card(NOW)
    at = NOW
    for rating in (GOOD, GOOD, AGAIN, GOOD, EASY, HARD):
        at = max(at, ours.due)
        theirs, _ = scheduler.review_card(theirs, Rating(rating), at)
        ours = scheduling.review(ours, rating, at)
        assert (ours.state, ours.step, ours.due) == (int(theirs.state), theirs.step, theirs.due)
        assert ours.stability == pytest.approx(theirs.stability)
        assert ours.difficulty == pytest.approx(theirs.difficulty)
    assert theirs.state == State.Review


@pytest.mark.parametrize("rating", [GOOD, EASY, HARD])
def test_higher_retention_gives_shorter_intervals(rating):
    lower, at = _graduated(0.8)
    higher, at_higher = _graduated(0.95)
    # The same history; only the retention differs.
    low = scheduling.preview(lower, at, retention=0.8)[rating]
    high = scheduling.preview(higher, at_higher, retention=0.95)[rating]
    assert high < low


def test_easy_on_a_new_card_shrinks_as_retention_rises():
    days = [
        scheduling.preview(scheduling.new_card(NOW), NOW, retention=r)[EASY].days
        for r in (0.7, 0.8, 0.9, 0.95, 0.99)
    ]
    assert days == sorted(days, reverse=True) and days[0] > days[-1]


def test_fuzz_is_deterministic_per_seed_and_within_fsrs_range():
    card, at = _graduated()
    plain = scheduling.preview(card, at)[GOOD].days
    fuzzed = {scheduling.preview(card, at, fuzz_seed=f"7:{n}:2")[GOOD].days for n in range(200)}
    again = {scheduling.preview(card, at, fuzz_seed=f"7:{n}:2")[GOOD].days for n in range(200)}
    assert fuzzed == again
    assert len(fuzzed) > 1, "fuzz should spread the interval"
    spread = 1 + 0.15 * (min(plain, 7) - 2.5) + 0.1 * max(min(plain, 20) - 7, 0)
    assert min(fuzzed) >= round(plain - spread) and max(fuzzed) <= round(plain + spread)


def test_short_intervals_are_never_fuzzed():
    shown = scheduling.preview(scheduling.new_card(NOW), NOW, fuzz_seed="x")
    assert shown[AGAIN] == timedelta(minutes=1) and shown[GOOD] == timedelta(minutes=10)


@pytest.mark.parametrize("bad", [0, 5, -1, "3", 3.0, True, None, [3]])
def test_bad_ratings_are_refused(bad):
    with pytest.raises(ValueError, match="rating"):
        scheduling.review(scheduling.new_card(NOW), bad, NOW)


@pytest.mark.parametrize("bad", [0.69, 0.995, 1.0, 0.0, float("nan")])
def test_retention_outside_the_range_is_refused(bad):
    with pytest.raises(ValueError, match="retention"):
        scheduling.review(scheduling.new_card(NOW), GOOD, NOW, retention=bad)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        scheduling.review(scheduling.new_card(NOW), GOOD, NOW.replace(tzinfo=None))


@pytest.mark.parametrize(
    ("interval", "short", "words"),
    [
        (timedelta(seconds=20), "1m", "1 minute"),
        (timedelta(minutes=10), "10m", "10 minutes"),
        (timedelta(minutes=5, seconds=30), "6m", "6 minutes"),
        (timedelta(hours=3), "3h", "3 hours"),
        (timedelta(days=1), "1d", "1 day"),
        (timedelta(days=12), "12d", "12 days"),
        (timedelta(days=64), "2.1mo", "2.1 months"),
        (timedelta(days=800), "2.2y", "2.2 years"),
    ],
)
def test_interval_labels(interval, short, words):
    assert scheduling.short_interval(interval) == short
    assert scheduling.long_interval(interval) == words


def test_interval_days_and_iso():
    assert scheduling.interval_days(timedelta(minutes=10)) == 0.0069
    assert scheduling.interval_days(timedelta(days=3)) == 3.0
    assert scheduling.iso(NOW) == "2026-03-02T09:30:00+00:00"


@given(st.lists(st.sampled_from(RATINGS), max_size=12), st.sampled_from([0.7, 0.85, 0.9, 0.97]))
def test_any_history_keeps_the_card_sane_and_the_buttons_ordered(ratings, retention):
    card, at = _reviewed(ratings, retention)
    assert card.state in (scheduling.LEARNING, scheduling.REVIEW, scheduling.RELEARNING)
    assert card.due > at or not ratings
    if ratings:
        assert card.stability > 0 and 1 <= card.difficulty <= 10
    shown = scheduling.preview(card, max(at, card.due), retention=retention)
    assert shown[AGAIN] < shown[HARD] <= shown[GOOD] <= shown[EASY]
    assert shown[AGAIN] <= timedelta(minutes=10)


def test_fuzz_never_reorders_the_ratings() -> None:
    """Every rating's interval is fuzzed from one draw: hard <= good <= easy on every card
    (independent draws made Hard longer than Good on 15 of these 4,050 cards)."""
    import itertools
    from datetime import UTC, datetime

    from quizapp import scheduling

    start = datetime(2026, 1, 1, tzinfo=UTC)
    inverted = []
    for ratings in itertools.product((2, 3, 4), repeat=4):
        for student, question in itertools.product(range(1, 6), range(1, 11)):
            card, at = scheduling.new_card(start), start
            for reps, rating in enumerate(ratings):
                seed = f"{student}:{question}:{reps}"
                card = scheduling.review(card, rating, at, fuzz_seed=seed)
                at = card.due
            seed = f"{student}:{question}:{len(ratings)}"
            shown = scheduling.preview(card, at, fuzz_seed=seed)
            if not shown[2] <= shown[3] <= shown[4]:
                inverted.append((ratings, student, question))
    assert inverted == []
