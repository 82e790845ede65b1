"""Choosing the quiz as a whole: the bank's first 20 questions are the default quiz everywhere.

Candidates come in best first. They are dealt into blocks of 20 (the default quiz, then the
next quiz's worth, and so on); a candidate joins the current block only if, within the block,
- no prompt shows another question's answer (either way round),
- no fact is asked twice,
- its sentence has given fewer than two questions, and no cloze yet if it is a cloze,
- its category has fewer than eight questions and the block fewer than seven cloze items
  (both caps lifted when the block would otherwise stay short).
A candidate that fits nowhere waits for the next block. Once a block comes out short, the rest
(and the demoted, trivial candidates) are alternates: left out of the bank's list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Generic, TypeVar

from ..answers import normalise
from ..quizzes import MAX_CLOZE_PER_SENTENCE, MAX_PER_SENTENCE, answer_forms, shows_name_part

QUIZ_SIZE = 20
MAX_PER_CATEGORY = 8
MAX_CLOZE = 7
# Blocks dealt with care; past them (huge inputs only) the rest keeps its ranked order, so the
# cost stays linear.
MAX_BLOCKS = 6
CLASH_WEIGHT = 3

T = TypeVar("T")


@dataclass(frozen=True)
class Candidate(Generic[T]):
    """One question to place: its bank dict view and the caller's own item."""

    item: T
    prompt: str
    answer: str
    accepted: tuple[str, ...]
    category: str
    cloze: bool
    sentence: str

    @property
    def fact(self) -> tuple[str, str]:
        return (self.category, normalise(self.answer))

    @cached_property
    def facts(self) -> frozenset[tuple[str, str]]:
        """The fact and, for a name, the same fact by its other accepted names ("Van Gogh"
        keyed with "Vincent van Gogh" accepted asks what "Vincent van Gogh" already does)."""
        if self.category not in ("who", "where"):
            return frozenset({self.fact})
        return frozenset({self.fact} | {(self.category, normalise(a)) for a in self.accepted if a})


def _same_name(a: Candidate, b: Candidate) -> bool:
    """Two who-questions keyed with one person's full name and a shorter form of it ("Vincent
    van Gogh", "Van Gogh"): one fact asked twice."""
    if a.category != "who" or b.category != "who":
        return False
    short, full = sorted((normalise(a.answer), normalise(b.answer)), key=len)
    return name_ends(short, full)


def name_ends(short: str, full: str) -> bool:
    """`short` (normalised) is the last word or words of the longer name `full`: "van gogh" of
    "vincent van gogh"."""
    return bool(short) and short != full and f" {full}".endswith(f" {short}")


class _Shown:
    """A candidate's normalised prompt and answer forms, for give-away checks."""

    def __init__(self, c: Candidate) -> None:
        self.raw = c.prompt
        self.prompt = f" {normalise(c.prompt)} "
        self.answers = [f" {a} " for a in answer_forms(c.answer, c.accepted)]
        self.answer = c.answer

    def shows(self, other: _Shown) -> bool:
        # also as a possessive: "Nikol Pashinyan's country" shows "Nikol Pashinyan"; or a word
        # of the other's name ("Bardanes" shows "Bardanes Tourkos")
        return any(
            a in self.prompt or f"{a.rstrip()}s " in self.prompt for a in other.answers
        ) or shows_name_part(self.raw, other.answer)


class _Block:
    def __init__(self) -> None:
        self.members: list[Candidate] = []
        self.per_category: Counter[str] = Counter()
        self.per_sentence: Counter[str] = Counter()
        self.cloze_per_sentence: Counter[str] = Counter()
        self.facts: set[tuple[str, str]] = set()
        self.shown: list[_Shown] = []

    def fits(self, c: Candidate, shown: _Shown, capped: bool) -> bool:
        if len(self.members) >= QUIZ_SIZE:
            return False
        if c.facts & self.facts or any(_same_name(c, m) for m in self.members):
            return False
        if self.per_sentence[c.sentence] >= MAX_PER_SENTENCE:
            return False
        if c.cloze and self.cloze_per_sentence[c.sentence] >= MAX_CLOZE_PER_SENTENCE:
            return False
        if self.per_sentence[c.sentence] and (c.cloze or self.cloze_per_sentence[c.sentence]):
            return False  # a cloze shows its whole sentence: the other question's answer too
        if capped and self.per_category[c.category] >= MAX_PER_CATEGORY:
            return False
        if capped and c.cloze and sum(m.cloze for m in self.members) >= MAX_CLOZE:
            return False
        return not any(shown.shows(m) or m.shows(shown) for m in self.shown)

    def add(self, c: Candidate, shown: _Shown) -> None:
        self.members.append(c)
        self.per_category[c.category] += 1
        self.per_sentence[c.sentence] += 1
        self.cloze_per_sentence[c.sentence] += c.cloze
        self.facts |= c.facts
        self.shown.append(shown)


def _clashes(pending: list[Candidate], shown: dict[int, _Shown]) -> list[int]:
    """For each candidate, how many others it clashes with (either shows the other's answer,
    or both ask one fact)."""
    views = [shown[id(c)] for c in pending]
    degree = [0] * len(pending)
    for i, a in enumerate(pending):
        for j in range(i + 1, len(pending)):
            b = pending[j]
            if (
                a.facts & b.facts
                or _same_name(a, b)
                or views[i].shows(views[j])
                or views[j].shows(views[i])
            ):
                degree[i] += 1
                degree[j] += 1
    return degree


def _deal(
    pending: list[Candidate], shown: dict[int, _Shown]
) -> tuple[list[Candidate], list[Candidate]]:
    """One block from `pending` (best first): the block, and what is left in order.

    The block is an independent set of the clash graph (give-aways and repeated facts), found
    greedily: a candidate that clashes with many others is tried later than its rank alone
    would put it (each clash counts as CLASH_WEIGHT places), so a question about the name that
    every other prompt mentions does not crowd out the questions that mention it."""
    block = _Block()
    degree = _clashes(pending, shown)
    trial = sorted(range(len(pending)), key=lambda n: (n + CLASH_WEIGHT * degree[n], n))
    ordered = [pending[n] for n in trial]
    for capped in (True, False):
        for c in ordered:
            if len(block.members) >= QUIZ_SIZE:
                break
            if any(c is m for m in block.members):
                continue
            if block.fits(c, shown[id(c)], capped):
                block.add(c, shown[id(c)])
    taken = {id(m) for m in block.members}
    # Inside the block, the best-ranked first: the caller's order is kept.
    order = {id(c): n for n, c in enumerate(pending)}
    members = sorted(block.members, key=lambda c: order[id(c)])
    return members, [c for c in pending if id(c) not in taken]


def compose(
    sound: Sequence[Candidate[T]], demoted: Sequence[Candidate[T]] = ()
) -> tuple[list[T], list[T]]:
    """The caller's items in bank order, and the alternates left out of the bank.

    Sound candidates are dealt into blocks of up to 20, each a quiz by the rules above. The
    bank lists the blocks up to and including the first one that comes out short: what is
    left then clashes with a listed question (shows its answer, or is shown by it, or asks
    its fact again) and would make a reader of the bank meet the same fact twice. Those, and
    the demoted candidates, are the alternates, even when nothing else is left: blind readers
    failed the trivial questions that short banks fell back on (read 20), and a teacher finds
    them set aside on the review page, turned off."""
    listed: list[T] = []
    spare: list[T] = []
    listing = True
    head, tail = (
        list(sound[: QUIZ_SIZE * MAX_BLOCKS * 3]),
        list(sound[QUIZ_SIZE * MAX_BLOCKS * 3 :]),
    )
    shown = {id(c): _Shown(c) for c in head}
    for _ in range(MAX_BLOCKS):
        if not head:
            break
        block, head = _deal(head, shown)
        (listed if listing else spare).extend(c.item for c in block)
        if len(block) < QUIZ_SIZE:
            listing = False
    (listed if listing else spare).extend(c.item for c in head + tail)
    spare.extend(c.item for c in demoted)
    return listed, spare
