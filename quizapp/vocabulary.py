"""The question vocabulary: formats, categories, their labels, the fields of a question and
their limits, and the validation of a question dict (contracts §2).

Pure: the standard library only. The database constraints (``models``), the grader
(``scoring``), the bank file format (``banks``), the generator (``generation.models``), the
teacher's forms and the templates (through Jinja globals set in ``views.hooks``) read their
lists here; nothing else spells them out.

Adding a question format takes:

1. a :class:`Kind` row in :data:`FORMAT_KINDS` here (its name, label and place in the teacher's
   menu) and, when the format has fields of its own, their rules in :func:`question_problems`;
2. a migration: the ``questions.format`` CHECK constraint lists :data:`FORMATS`;
3. its grader in ``scoring.grade`` (or ``answers.accepts``, which typed formats share);
4. its renderers: the answer field of the quiz form (``forms._answer_field``), the teacher's
   question form (``teacher_forms``), and the exporters that treat it apart (GIFT, Moodle XML,
   CSV, Anki) — each falls back to a typed answer for a format it does not know.

A category needs only its :data:`CATEGORY_KINDS` row and a migration.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Kind:
    """One format or category: its name in bank JSON and the database, and how people see it."""

    name: str
    label: str  # shown to students and teachers ("Fill in the blank")
    menu_label: str = ""  # the teacher's menu when it says more than the label
    menu_rank: int = 0  # place in the teacher's menu (lowest first; ties keep this order)

    @property
    def menu(self) -> str:
        return self.menu_label or self.label


FORMAT_KINDS = (
    Kind("multiple_choice", "Multiple choice", menu_rank=0),
    Kind("cloze", "Fill in the blank", "Fill in the blank (cloze)", menu_rank=2),
    Kind("short_answer", "Short answer", menu_rank=1),
    Kind("numeric", "Number", menu_rank=3),
)
CATEGORY_KINDS = (
    Kind("who", "Who"),
    Kind("where", "Where"),
    Kind("how_many", "How many"),
    Kind("when", "When"),
    Kind("what", "What"),
)

FORMATS: tuple[str, ...] = tuple(kind.name for kind in FORMAT_KINDS)
CATEGORIES: tuple[str, ...] = tuple(kind.name for kind in CATEGORY_KINDS)
FORMAT_LABELS: dict[str, str] = {kind.name: kind.label for kind in FORMAT_KINDS}
CATEGORY_LABELS: dict[str, str] = {kind.name: kind.label for kind in CATEGORY_KINDS}


def menu(kinds: tuple[Kind, ...]) -> list[tuple[str, str]]:
    """(name, menu label) pairs in the order of the teacher's menu."""
    ordered = sorted(kinds, key=lambda kind: kind.menu_rank)
    return [(kind.name, kind.menu) for kind in ordered]


# -- fields and limits ---------------------------------------------------------------------------

# The keys of a question in bank JSON, in the order a bank file writes them (contracts §2).
FIELDS = (
    "id",
    "category",
    "format",
    "prompt",
    "answer",
    "accepted_answers",
    "choices",
    "numeric",
    "explanation",
    "source_sentence",
    "source_span",
    "score",
)
OPTIONAL_FIELDS = ("updated_at",)
NUMERIC_FIELDS = ("value", "tolerance", "unit")
# What a grader reads of a question: its answer key.
KEY_FIELDS = ("format", "category", "answer", "accepted_answers", "choices", "numeric")
STRING_FIELDS = ("id", "prompt", "answer", "explanation", "source_sentence")

CLOZE_GAP = "_____"  # where a cloze prompt's answer goes
MAX_ID = 64  # a question id (the database column)
# The longest texts a teacher's edit may store, per field.
LIMITS = {"prompt": 1000, "answer": 300, "explanation": 2000, "source_sentence": 2000}
MAX_CHOICES = 8  # choices of a multiple-choice question, the answer among them
MIN_CHOICES = 4  # distinct choices a multiple-choice question in a bank needs
MAX_ACCEPTED = 20  # accepted answers besides the answer
MAX_OPTION = 300  # characters of one choice or accepted answer
MAX_UNIT = 80  # characters of a numeric question's unit
MAX_ANSWER_CHARS = 500  # characters of a student's answer that are graded


# -- validation ----------------------------------------------------------------------------------


def is_number(value: Any) -> bool:
    """An int or float (not a bool), finite."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def kind_of(value: Any) -> str:
    """A JSON-ish name for the type of ``value``, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def _numeric_problems(numeric: Any, strict: bool) -> list[str]:
    if not isinstance(numeric, Mapping):
        return [f"numeric: expected an object or null, got {kind_of(numeric)}"]
    required = NUMERIC_FIELDS if strict else ("value",)
    problems = [f"numeric: missing key '{key}'" for key in required if key not in numeric]
    if "value" in numeric and not is_number(numeric["value"]):
        problems.append(f"numeric.value: expected a number, got {kind_of(numeric['value'])}")
    if "tolerance" in numeric:
        tol = numeric["tolerance"]
        if not strict and tol is None:
            tol = 0  # a grader reads no tolerance as none
        if not is_number(tol) or tol < 0:
            problems.append(f"numeric.tolerance: expected a number >= 0, got {tol!r}")
    if "unit" in numeric and numeric["unit"] is not None and not isinstance(numeric["unit"], str):
        problems.append(f"numeric.unit: expected a string or null, got {kind_of(numeric['unit'])}")
    return problems


def _choice_problems(question: Mapping[str, Any], strict: bool) -> list[str]:
    choices = question.get("choices")
    multiple = question.get("format") == "multiple_choice"
    if not strict and not multiple:
        return []  # a grader never reads the choices of another format
    if choices is None:
        return ["multiple_choice needs a list of choices"] if multiple else []
    if not isinstance(choices, list | tuple) or not all(isinstance(c, str) for c in choices):
        return ["choices: expected a list of strings or null"]
    if not multiple:
        return []
    answer = question.get("answer")
    if not strict:
        if isinstance(answer, str) and _nfc(answer) not in map(_nfc, choices):
            return ["multiple_choice needs the answer among its choices"]
        return []
    problems = []
    if list(choices).count(answer) != 1:
        problems.append("multiple_choice needs the answer exactly once in choices")
    distinct = len({c.strip().casefold() for c in choices})
    if distinct < MIN_CHOICES:
        problems.append(
            f"multiple_choice needs at least {MIN_CHOICES} distinct choices, has {distinct}"
        )
    return problems


def _span_problems(span: Any) -> list[str]:
    if not (isinstance(span, list) and len(span) == 2 and all(is_int(x) for x in span)):
        return [f"source_span: expected two integers [start, end], got {span!r}"]
    start, end = span
    if not 0 <= start <= end:
        return [f"source_span: need 0 <= start <= end, got [{start}, {end}]"]
    return []


def _time_problems(value: Any) -> list[str]:
    if not isinstance(value, str):
        return [f"updated_at: expected an ISO 8601 string, got {kind_of(value)}"]
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return [f"updated_at: {value!r} is not an ISO 8601 time"]
    return []


def _problems(question: Any, fields: tuple[str, ...], strict: bool) -> list[str]:
    if not isinstance(question, Mapping):
        return [f"expected an object, got {kind_of(question)}"]
    problems = [f"missing key '{key}'" for key in fields if key not in question]
    for key in STRING_FIELDS:
        if key in fields and key in question and not isinstance(question[key], str):
            problems.append(f"{key}: expected a string, got {kind_of(question[key])}")
    for key in ("id", "prompt", "answer"):
        if key in fields and isinstance(question.get(key), str) and not question[key].strip():
            problems.append(f"{key}: must not be empty")
    qid = question.get("id")
    if "id" in fields and isinstance(qid, str) and len(qid) > MAX_ID:
        problems.append(f"id: at most {MAX_ID} characters, got {len(qid)}")
    if "category" in question and question["category"] not in CATEGORIES:
        problems.append(f"category: {question['category']!r} is not one of {', '.join(CATEGORIES)}")
    fmt = question.get("format")
    if "format" in question and fmt not in FORMATS:
        problems.append(f"format: {fmt!r} is not one of {', '.join(FORMATS)}")
    accepted = question.get("accepted_answers", [])
    if not isinstance(accepted, list | tuple) or not all(isinstance(a, str) for a in accepted):
        problems.append("accepted_answers: expected a list of strings")
    if "choices" in question:
        problems.extend(_choice_problems(question, strict))
    numeric = question.get("numeric")
    if numeric is not None:
        problems.extend(_numeric_problems(numeric, strict))
    elif fmt == "numeric" and "numeric" in question:
        problems.append('numeric format needs "numeric": {"value", "tolerance", "unit"}')
    prompt = question.get("prompt")
    if "prompt" in fields and fmt == "cloze" and isinstance(prompt, str):
        if CLOZE_GAP not in prompt:
            problems.append(f'cloze prompt must contain the gap "{CLOZE_GAP}"')
    if "source_span" in fields and "source_span" in question:
        problems.extend(_span_problems(question["source_span"]))
    if "score" in fields and "score" in question:
        score = question["score"]
        if not is_number(score) or not 0 <= score <= 1:
            problems.append(f"score: expected a number in [0, 1], got {score!r}")
    if strict and "updated_at" in question:
        problems.extend(_time_problems(question["updated_at"]))
    return problems


def question_problems(question: Any) -> list[str]:
    """Every problem of ``question`` as a question of a bank file (contracts §2): all of
    :data:`FIELDS` present and well-typed, a known format and category, a multiple-choice
    answer exactly once among at least :data:`MIN_CHOICES` distinct choices, a numeric key with
    all of :data:`NUMERIC_FIELDS`, a cloze gap. An empty list means valid."""
    return _problems(question, FIELDS, strict=True)


def answer_key_problems(question: Any) -> list[str]:
    """Every problem of ``question``'s answer key (:data:`KEY_FIELDS`) for grading: the rules
    of :func:`question_problems` for those fields, except that a multiple-choice answer need
    only be among its choices (after Unicode NFC), and a numeric key needs only its value."""
    return _problems(question, KEY_FIELDS, strict=False)
