"""Pure answer grading for bank questions (contracts.md section 2). Standard library only.

Multiple choice is exact: the given text must equal the answer after stripping surrounding
whitespace and Unicode NFC normalisation ("nikol pashinyan" is not the choice "Nikol
Pashinyan"). Typed answers (cloze, short_answer, numeric) are judged by quizapp.answers.match,
the one answer matcher, which the evaluator's gold-fact coverage uses too: it ignores case,
accents, punctuation, spacing and a leading article, accepts `accepted_answers`, compares numbers
by value (units in one spelling, time units converted), accepts a person's surname alone and
forgives one typo in answers of five letters or more without digits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from quizapp.answers import accepts, nfc
from quizapp.vocabulary import FORMATS as FORMATS
from quizapp.vocabulary import MAX_ANSWER_CHARS, answer_key_problems

REASONS = ("blank", "exact", "accepted", "surname", "typo", "number", "wrong", "not_a_choice")


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer: whether it is right, why, and the answer as graded."""

    correct: bool
    reason: str  # one of REASONS
    given: str  # whitespace-stripped, capped at MAX_ANSWER_CHARS


def _check(question: Mapping[str, Any]) -> None:
    """Raise ValueError unless `question` has a well-formed answer key (the vocabulary's rules)."""
    if not isinstance(question, Mapping):
        raise ValueError(f"question must be a mapping, not {type(question).__name__}")
    problems = answer_key_problems(question)
    if problems:
        raise ValueError(f"malformed question: {'; '.join(problems)}")


def grade(question: Mapping[str, Any], given: str | None) -> Grade:
    """Grade `given` against `question` (a bank question mapping).

    Returns a Grade whose reason is "blank" (None or only whitespace), "exact", "accepted",
    "number", "surname" or "typo" (all correct), "wrong", or "not_a_choice" (multiple choice
    only). Any string is graded; it is stripped and capped at MAX_ANSWER_CHARS first.
    Raises ValueError for a malformed question and TypeError when `given` is not a str or None.
    """
    _check(question)
    if given is not None and not isinstance(given, str):
        raise TypeError(f"given answer must be a str or None, not {type(given).__name__}")
    text = (given or "").strip()[:MAX_ANSWER_CHARS].rstrip()
    if not text:
        return Grade(False, "blank", text)
    if question["format"] == "multiple_choice":
        mine = nfc(text)
        if mine == nfc(question["answer"]):
            return Grade(True, "exact", text)
        in_choices = mine in {nfc(c) for c in question["choices"]}
        return Grade(False, "wrong" if in_choices else "not_a_choice", text)
    reason = accepts(question, text)
    return Grade(reason is not None, reason or "wrong", text)


def total(grades: Iterable[Grade]) -> tuple[int, int]:
    """(score, max_score): one point per correctly answered question, one possible per grade."""
    results = [bool(g.correct) for g in grades]
    return sum(results), len(results)


def expected_answer(question: Mapping[str, Any]) -> str:
    """The right answer as shown to the student (the `answer` field); ValueError if malformed."""
    _check(question)
    return question["answer"]
