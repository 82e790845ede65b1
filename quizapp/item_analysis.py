"""Item analysis of a quiz (classical test theory, as Moodle's quiz statistics report it).

Pure: plain data in, plain data out. An attempt is a mapping of question key → (correct, given
answer); the total score of an attempt is its number of right answers.

- Facility: the share of the attempts that answered the question that got it right.
- Discrimination: the corrected item–total correlation, i.e. the Pearson correlation between
  the item's 0/1 score and the score on the *rest* of the attempt (the total minus this item),
  over the attempts that answered the item. None with fewer than 2 such attempts or when either
  side does not vary (everybody right, or everybody with the same rest score).
- Flags: negative discrimination (strong students get it wrong more often than weak ones: a
  wrong key or an ambiguous prompt) and facility under 0.2 (almost nobody gets it right).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

LOW_FACILITY = 0.2
MIN_ATTEMPTS = 2

Attempt = Mapping[Hashable, tuple[bool, str]]


@dataclass
class AnswerCount:
    given: str  # as most often written ("" for a blank)
    count: int
    correct: bool


@dataclass
class ItemStats:
    key: Hashable
    answered: int
    right: int
    facility: float | None
    discrimination: float | None
    answers: list[AnswerCount] = field(default_factory=list)

    @property
    def flags(self) -> list[str]:
        """Why a teacher should look at this question again (empty when nothing stands out)."""
        found = []
        if self.discrimination is not None and self.discrimination < 0:
            found.append("negative discrimination")
        if self.facility is not None and self.facility < LOW_FACILITY:
            found.append(f"facility under {LOW_FACILITY:g}")
        return found


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's correlation of two equally long samples; None when either does not vary or
    there are fewer than 2 pairs."""
    if len(xs) != len(ys):
        raise ValueError("samples of different lengths")
    n = len(xs)
    if n < MIN_ATTEMPTS:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def _answer_key(given: str) -> str:
    return " ".join(given.split()).casefold()


def _distribution(rows: Iterable[tuple[bool, str, int]]) -> list[AnswerCount]:
    """Answers given, grouped case- and space-insensitively: wrong ones first, most chosen first;
    then the right ones. `rows`: (correct, given, how many times) in the order first given (a
    tie between spellings goes to the one given first)."""
    counts: Counter[tuple[str, bool]] = Counter()
    spellings: dict[tuple[str, bool], Counter[str]] = {}
    for correct, given, times in rows:
        group = (_answer_key(given), bool(correct))
        counts[group] += times
        spellings.setdefault(group, Counter())[" ".join(given.split())] += times
    found = [
        AnswerCount(spellings[group].most_common(1)[0][0], count, group[1])
        for group, count in counts.items()
    ]
    found.sort(key=lambda a: (a.correct, -a.count, a.given.casefold()))
    return found


def analyse(attempts: Sequence[Attempt], keys: Sequence[Hashable] | None = None) -> list[ItemStats]:
    """Statistics per question over `attempts`, in the order of `keys` (default: first seen).

    Raises ValueError when an attempt maps a question to something other than (bool, str).
    """
    totals = []
    for attempt in attempts:
        total = 0
        for value in attempt.values():
            if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str)):
                raise ValueError(f"expected (correct, given) pairs, got {value!r}")
            total += bool(value[0])
        totals.append(total)
    order: list[Hashable] = list(keys) if keys is not None else []
    if keys is None:
        seen = set()
        for attempt in attempts:
            for key in attempt:
                if key not in seen:
                    seen.add(key)
                    order.append(key)
    stats = []
    for key in order:
        items, rests, rows = [], [], []
        for attempt, total in zip(attempts, totals, strict=True):
            if key not in attempt:
                continue
            correct, given = attempt[key]
            items.append(1.0 if correct else 0.0)
            rests.append(float(total - bool(correct)))
            rows.append((bool(correct), given, 1))
        right = int(sum(items))
        stats.append(
            ItemStats(
                key=key,
                answered=len(items),
                right=right,
                facility=right / len(items) if items else None,
                discrimination=pearson(items, rests),
                answers=_distribution(rows),
            )
        )
    return stats


def item_from_sums(
    key: Hashable,
    answered: int,
    right: int,
    total_sum: int,
    total_squares: int,
    right_total_sum: int,
    answers: Iterable[tuple[bool, str, int]] = (),
) -> ItemStats:
    """The statistics `analyse` gives for one question, from sums over the attempts that
    answered it (what a database computes without sending every attempt): `answered` attempts,
    `right` of them right, the sum of their totals, of their totals squared, and of the totals
    of the attempts that got it right; `answers`: (correct, given, count) in the order first
    given. The sums are exact integers, so the correlation is as exact as `pearson`'s."""
    # x: the item's 0/1 score; y = total - x, the rest of the attempt.
    n, sx = answered, right
    sy = total_sum - right
    syy = total_squares - 2 * right_total_sum + right
    sxy = right_total_sum - right
    discrimination = None
    if n >= MIN_ATTEMPTS:
        var_x, var_y = n * sx - sx * sx, n * syy - sy * sy  # n² × the variances, exact
        if var_x > 0 and var_y > 0:
            r = (n * sxy - sx * sy) / math.sqrt(var_x * var_y)
            discrimination = max(-1.0, min(1.0, r))
    return ItemStats(
        key=key,
        answered=n,
        right=right,
        facility=right / n if n else None,
        discrimination=discrimination,
        answers=_distribution(answers),
    )


def score_histogram(
    percents: Sequence[float], bins: int = 10, counts: Sequence[int] | None = None
) -> list[tuple[str, int]]:
    """How many attempts fall in each band of the score: "0–9%", …, "90–100%". `counts`: how
    many attempts scored each of `percents` (default: one each)."""
    if bins < 1:
        raise ValueError("bins must be at least 1")
    if counts is not None and len(counts) != len(percents):
        raise ValueError("percents and counts of different lengths")
    width = 100 / bins
    totals = [0] * bins
    for i, percent in enumerate(percents):
        index = min(int(max(0.0, percent) // width), bins - 1)
        totals[index] += 1 if counts is None else counts[i]
    labels = []
    for i in range(bins):
        low, high = round(i * width), round((i + 1) * width)
        labels.append(f"{low}–{high}%" if i == bins - 1 else f"{low}–{high - 1}%")
    return list(zip(labels, totals, strict=True))
