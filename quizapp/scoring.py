"""Pure answer grading for bank questions (contracts.md section 2). Standard library only.

Multiple choice is exact: the given text must equal the answer after stripping surrounding
whitespace and Unicode NFC normalisation ("nikol pashinyan" is not the choice "Nikol
Pashinyan"). Typed answers (cloze, short_answer, numeric) ignore case, accents, punctuation,
spacing and a leading article, accept `accepted_answers`, compare numbers by value, accept a
person's surname alone and forgive one typo in answers of five letters or more without digits.

A unit after a number may be omitted (not for dates) but must otherwise be the expected one,
compared in one spelling (quizapp.units): "2 hrs", "2h" and "2 hours" are the same, as are
"295 km" and "295 kilometres"; "5 ceasefires" is not "5 ceasefire violations". Time in
seconds, minutes, hours, days or weeks is converted when the expected unit is one of those
too ("120 minutes" is "2 hours", "1 day" is "24 hours", within the tolerance); months and
years, whose length varies, never are.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from quizapp.answers import normalise, surname_matches
from quizapp.numbers import parse_number, split_quantity
from quizapp.units import convert, split_glued, unit_words

MAX_ANSWER_CHARS = 500
FORMATS = ("multiple_choice", "cloze", "short_answer", "numeric")
REASONS = ("blank", "exact", "accepted", "surname", "typo", "number", "wrong", "not_a_choice")
_KEYS = ("format", "category", "answer", "accepted_answers", "choices", "numeric")
_EPSILON = 1e-12  # relative: float rounding only, so 1,300,000,001 is not 1.3 billion
_TYPO_MIN_LETTERS = 5
_MINUS_RE = re.compile(r"\s*[-−–]\s*\d")  # a leading minus, possibly spaced from its number
# A "who" answer containing one of these names an organisation, never a person.
_ORG_WORDS = frozenset(
    "union council ministry party committee agency university court bank army forces group "
    "news company inc ltd corporation corp association institute department office government "
    "parliament assembly commission service services police school museum federation league "
    "network times post press club team foundation authority board bureau organisation "
    "organization alliance coalition movement front church hospital airlines airways fund "
    "nations republic kingdom state states senate congress navy guard brigade society".split()
)
_PARTICLES = frozenset("al bin ibn de da di del della der den van von la le du dos das y".split())


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
        not all(isinstance(c, str) for c in choices) or _nfc(answer) not in map(_nfc, choices)
    ):
        raise ValueError("multiple_choice question needs a list of string choices with the answer")
    numeric = question["numeric"]
    if numeric is None and fmt != "numeric":
        return
    if not isinstance(numeric, Mapping) or not _is_number(numeric.get("value")):
        raise ValueError("question numeric must be a mapping with a finite number 'value'")
    tolerance = numeric.get("tolerance") or 0
    if not _is_number(tolerance) or tolerance < 0:
        raise ValueError("question numeric tolerance must be a finite number >= 0")
    if not isinstance(numeric.get("unit"), str | None):
        raise ValueError("question numeric unit must be a string or null")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _key(text: str) -> str:
    """Comparable form: answers.normalise with spacing removed, keeping a minus sign (also one
    typed apart from its number, "- 5", which normalise reads as a dash)."""
    folded = normalise(text).replace(" ", "")
    if _MINUS_RE.match(text) and not folded.startswith("-"):
        folded = "-" + folded
    return folded


def _unit(text: str) -> tuple[str, ...]:
    """Canonical unit words: "Hrs." -> ("hour",), "%" -> ("percent",)."""
    return unit_words(normalise(text.replace("%", " percent ")).split())


def _quantity(text: str) -> tuple[float, tuple[str, ...]] | None:
    """(value, unit words) when `text` is a number optionally followed by a unit ("24hrs")."""
    found = split_quantity(split_glued(text))
    return None if found is None else (found[0].value, _unit(found[1]))


def _unit_ok(given: tuple[str, ...], known: set[tuple[str, ...]], when: bool) -> bool:
    """An omitted unit is fine (not for dates: "5" is not "5 March"); a different one is not."""
    if not given:
        return not (when and known)
    if not known:
        return len(given) == 1  # no unit to check against: as answers.texts_match
    return any(given in (unit, unit[-1:]) for unit in known)


def _close(value: float, target: float, tolerance: float) -> bool:
    return abs(value - target) <= tolerance + _EPSILON * max(1.0, abs(target))


def _number_matches(
    mine: tuple[float, tuple[str, ...]],
    targets: list[tuple[float, tuple[str, ...]]],
    tolerance: float,
    when: bool,
) -> bool:
    """True when the given quantity equals a target's value: converted into the target's time
    unit when both have one ("120 minutes" for "2 hours"), else with an acceptable unit."""
    value, unit = mine
    known = {u for _, u in targets if u}
    unit_ok = _unit_ok(unit, known, when)
    for target, target_unit in targets:
        converted = convert(value, unit, target_unit)
        if converted is not None:
            if _close(converted, target, tolerance):
                return True
        elif unit_ok and _close(value, target, tolerance):
            return True
    return False


def _is_person(question: Mapping[str, Any]) -> bool:
    """A "who" answer of 2-4 capitalised words, none an organisation word, or whose surname
    alone is an accepted answer."""
    words = question["answer"].split()
    if question["category"] != "who" or not 2 <= len(words) <= 4:
        return False
    if _key(words[-1]) in {_key(a) for a in question["accepted_answers"]}:
        return True
    for word in words:
        bare = word.strip(".,;:()'\"").casefold()
        head = bare.replace("'", "-").split("-")[0]
        if bare in _ORG_WORDS or any(c.isdigit() for c in bare):
            return False
        if not (word[:1].isupper() or bare in _PARTICLES or head in _PARTICLES):
            return False
    return True


def _one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance exactly 1, in linear time."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) != len(b):
        return a[i:] == b[i + 1 :] if len(a) < len(b) else a[i + 1 :] == b[i:]
    swapped = a[i : i + 2] == b[i : i + 2][::-1]
    return a[i + 1 :] == b[i + 1 :] or (swapped and a[i + 2 :] == b[i + 2 :])


def _grade_typed(question: Mapping[str, Any], given: str) -> str:
    answer, accepted = question["answer"], question["accepted_answers"]
    key = _key(given)
    if _nfc(given) == _nfc(answer) or (key and key == _key(answer)):
        return "exact"
    if key and key in {_key(a) for a in accepted}:
        return "accepted"
    numeric = question["numeric"]
    tolerance = (numeric.get("tolerance") or 0) if numeric else 0
    targets = [q for q in map(_quantity, [answer, *accepted]) if q is not None]
    if question["format"] == "numeric":
        targets.append((float(numeric["value"]), _unit(numeric.get("unit") or "")))
    mine = _quantity(given)
    if mine is not None and _number_matches(
        mine, targets, tolerance, question["category"] == "when"
    ):
        return "number"
    person = _is_person(question)
    if person and surname_matches(given, answer):
        return "surname"
    if any(c.isdigit() for c in key) or parse_number(given) is not None:
        return "wrong"
    for text in [answer, *accepted, *([answer.split()[-1]] if person else [])]:
        target = _key(text)
        if (
            sum(c.isalpha() for c in target) >= _TYPO_MIN_LETTERS
            and not any(c.isdigit() for c in target)
            and parse_number(text) is None
            and _one_edit(key, target)
        ):
            return "typo"
    return "wrong"


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
        mine = _nfc(text)
        if mine == _nfc(question["answer"]):
            return Grade(True, "exact", text)
        in_choices = mine in {_nfc(c) for c in question["choices"]}
        return Grade(False, "wrong" if in_choices else "not_a_choice", text)
    reason = _grade_typed(question, text)
    return Grade(reason != "wrong", reason, text)


def total(grades: Iterable[Grade]) -> tuple[int, int]:
    """(score, max_score): one point per correctly answered question, one possible per grade."""
    results = [bool(g.correct) for g in grades]
    return sum(results), len(results)


def expected_answer(question: Mapping[str, Any]) -> str:
    """The right answer as shown to the student (the `answer` field); ValueError if malformed."""
    _check(question)
    return question["answer"]
