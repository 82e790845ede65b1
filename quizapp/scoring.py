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

from quizapp.answers import accepts, is_finite_number, nfc

MAX_ANSWER_CHARS = 500
FORMATS = ("multiple_choice", "cloze", "short_answer", "numeric")
REASONS = ("blank", "exact", "accepted", "surname", "typo", "number", "wrong", "not_a_choice")
_KEYS = ("format", "category", "answer", "accepted_answers", "choices", "numeric")


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer: whether it is right, why, and the answer as graded."""

    correct: bool
    reason: str  # one of REASONS
    given: str  # whitespace-stripped, capped at MAX_ANSWER_CHARS


def _check(question: Mapping[str, Any]) -> None:
    """Raise ValueError unless `question` is a well-formed bank question."""
    if not isinstance(question, Mapping):
        raise ValueError(f"question must be a mapping, not {type(question).__name__}")
    missing = [key for key in _KEYS if key not in question]
    if missing:
        raise ValueError(f"question is missing key(s): {', '.join(missing)}")
    fmt, answer, accepted = question["format"], question["answer"], question["accepted_answers"]
    if fmt not in FORMATS:
        raise ValueError(f"question format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if not isinstance(answer, str) or not answer.strip():
        raise ValueError("question answer must be a non-empty string")
    if not isinstance(accepted, list | tuple) or not all(isinstance(a, str) for a in accepted):
        raise ValueError("question accepted_answers must be a list of strings")
    choices = question["choices"] if isinstance(question["choices"], list | tuple) else [None]
    if fmt == "multiple_choice" and (
        not all(isinstance(c, str) for c in choices) or nfc(answer) not in map(nfc, choices)
    ):
        raise ValueError("multiple_choice question needs a list of string choices with the answer")
    numeric = question["numeric"]
    if numeric is None and fmt != "numeric":
        return
    if not isinstance(numeric, Mapping) or not is_finite_number(numeric.get("value")):
        raise ValueError("question numeric must be a mapping with a finite number 'value'")
    tolerance = numeric.get("tolerance") or 0
    if not is_finite_number(tolerance) or tolerance < 0:
        raise ValueError("question numeric tolerance must be a finite number >= 0")
    if not isinstance(numeric.get("unit"), str | None):
        raise ValueError("question numeric unit must be a string or null")


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
