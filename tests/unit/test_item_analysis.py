"""Item analysis: facility, corrected item–total discrimination, answer distributions, flags."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.item_analysis import analyse, pearson, score_histogram


def _attempt(*marks: int, given: str = "x") -> dict:
    return {f"q{i}": (bool(m), given if m else f"wrong{i}") for i, m in enumerate(marks, 1)}


def test_facility_is_the_share_right():
    attempts = [_attempt(1, 0), _attempt(1, 1), _attempt(0, 1), _attempt(1, 0)]
    q1, q2 = analyse(attempts)
    assert (q1.answered, q1.right, q1.facility) == (4, 3, 0.75)
    assert q2.facility == 0.5


def test_discrimination_matches_a_hand_computed_corrected_correlation():
    # Item 1 against the rest (items 2 and 3): rest scores 2, 1, 1, 0 for item scores 1, 1, 0, 0.
    attempts = [_attempt(1, 1, 1), _attempt(1, 1, 0), _attempt(0, 0, 1), _attempt(0, 0, 0)]
    item = analyse(attempts)[0]
    xs, ys = [1, 1, 0, 0], [2, 1, 1, 0]
    mx, my = sum(xs) / 4, sum(ys) / 4
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    expected = cov / math.sqrt(sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys))
    assert item.discrimination == pytest.approx(expected)
    assert item.discrimination == pytest.approx(0.7071, abs=1e-4)


def test_the_item_itself_is_left_out_of_the_total():
    # Uncorrected, item 1 would correlate with a total that contains it; corrected, the rest
    # (item 2) is exactly opposite, so the correlation is -1.
    attempts = [_attempt(1, 0), _attempt(0, 1), _attempt(1, 0), _attempt(0, 1)]
    assert analyse(attempts)[0].discrimination == pytest.approx(-1.0)
    assert "negative discrimination" in analyse(attempts)[0].flags


def test_a_question_everyone_gets_right_has_no_discrimination():
    attempts = [_attempt(1, 1), _attempt(1, 0), _attempt(1, 1)]
    item = analyse(attempts)[0]
    assert item.facility == 1.0 and item.discrimination is None and item.flags == []


def test_under_two_attempts_there_is_no_discrimination():
    assert analyse([_attempt(1, 0)])[0].discrimination is None


def test_low_facility_is_flagged():
    attempts = [_attempt(0, 1)] * 9 + [_attempt(1, 1)]
    assert analyse(attempts)[0].flags == ["facility under 0.2"]
    attempts = [_attempt(0, 1)] * 8 + [_attempt(1, 1)] * 2
    assert "facility under 0.2" not in analyse(attempts)[0].flags  # exactly 0.2 is not under


def test_questions_not_asked_in_an_attempt_are_left_out_of_its_counts():
    attempts = [{"a": (True, "x")}, {"a": (False, "y"), "b": (True, "z")}]
    a, b = analyse(attempts)
    assert (a.answered, b.answered) == (2, 1)


def test_answer_distribution_lists_wrong_answers_first_most_chosen_first():
    rows = [("Paris", True)] * 5 + [("Lyon", False)] * 2 + [("nice", False)] * 3
    rows += [("  NICE ", False), ("", False)]
    attempts = [{"q": (right, given)} for given, right in rows]
    (item,) = analyse(attempts)
    shown = [(a.given, a.count, a.correct) for a in item.answers]
    assert shown == [("nice", 4, False), ("Lyon", 2, False), ("", 1, False), ("Paris", 5, True)]


def test_keys_give_the_order_and_may_name_unanswered_questions():
    stats = analyse([{"b": (True, "x")}], keys=["a", "b"])
    assert [s.key for s in stats] == ["a", "b"]
    assert stats[0].answered == 0 and stats[0].facility is None


def test_bad_attempt_data_is_refused():
    with pytest.raises(ValueError):
        analyse([{"q": True}])


def test_pearson_of_constant_or_short_samples_is_none():
    assert pearson([1, 1, 1], [1, 2, 3]) is None
    assert pearson([1], [2]) is None
    with pytest.raises(ValueError):
        pearson([1, 2], [1])


@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans()), min_size=0, max_size=40))
def test_statistics_stay_in_range(rows):
    attempts = [_attempt(*map(int, row)) for row in rows]
    for item in analyse(attempts):
        assert item.facility is None or 0 <= item.facility <= 1
        assert item.discrimination is None or -1 <= item.discrimination <= 1
        assert sum(a.count for a in item.answers) == item.answered


def test_score_histogram_bins_every_score_once():
    rng = random.Random(4)
    scores = [rng.uniform(0, 100) for _ in range(200)] + [0, 100, 99.99, 10, 9.99]
    bins = score_histogram(scores)
    assert len(bins) == 10 and sum(n for _, n in bins) == len(scores)
    assert bins[0][0] == "0–9%" and bins[-1][0] == "90–100%"
    assert dict(score_histogram([100, 100, 0]))["90–100%"] == 2
    assert dict(score_histogram([10]))["10–19%"] == 1
    with pytest.raises(ValueError):
        score_histogram([], bins=0)
