"""The question-bank file format (contracts §2): write, read and validate bank JSON.

Pure: the standard library only. A bank is written canonically (fixed key order, two-space
indent, UTF-8 kept as is, a final newline) so that regenerating a bank reproduces its file byte
for byte and diffs of ``question_banks/`` stay readable.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from quizapp.generation.models import CATEGORIES, FORMATS, MAX_CHARS, Bank

BANK_FORMAT = "quizapp-bank"
BANK_VERSION = 1
CLOZE_GAP = "_____"

BANK_KEYS = ("format", "version", "title", "source", "generator", "questions", "alternates")
SOURCE_KEYS = ("title", "url", "published", "licence", "sha256")
QUESTION_KEYS = (
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
OPTIONAL_QUESTION_KEYS = ("updated_at",)
NUMERIC_KEYS = ("value", "tolerance", "unit")

# How many problems a BankError message quotes before "and N more".
_MAX_QUOTED = 3


class BankError(ValueError):
    """A bank file that cannot be read, parsed or validated; ``str()`` is one readable line."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems: list[str] = list(problems or [])


# -- writing -------------------------------------------------------------------------------


def _ordered(data: dict, keys: tuple[str, ...]) -> dict:
    """``data`` with ``keys`` first in that order, then any extension keys as they came."""
    out = {key: data[key] for key in keys if key in data}
    out.update((key, value) for key, value in data.items() if key not in out)
    return out


def _canonical(data: dict) -> dict:
    bank = _ordered(data, BANK_KEYS)
    if isinstance(bank.get("source"), dict):
        bank["source"] = _ordered(bank["source"], SOURCE_KEYS)
    for key in ("questions", "alternates"):
        if isinstance(bank.get(key), list | tuple):
            questions = []
            for question in bank[key]:
                if isinstance(question, dict):
                    question = _ordered(question, QUESTION_KEYS + OPTIONAL_QUESTION_KEYS)
                    if isinstance(question.get("numeric"), dict):
                        question["numeric"] = _ordered(question["numeric"], NUMERIC_KEYS)
                questions.append(question)
            bank[key] = questions
    return bank


def dumps_bank(bank: Bank | dict) -> str:
    """Return the canonical JSON text of ``bank`` (a :class:`Bank` or its dict), newline-ended.

    Keys follow the order of contracts §2 whatever order the dict has; unknown (extension) keys
    are kept after the known ones. Raises :class:`BankError` for values JSON cannot hold
    (NaN, infinity, arbitrary objects).
    """
    data = bank.to_dict() if isinstance(bank, Bank) else bank
    if not isinstance(data, dict):
        raise BankError(f"a bank must be a dict or a Bank, not {type(data).__name__}")
    try:
        text = json.dumps(_canonical(data), ensure_ascii=False, indent=2, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise BankError(f"bank cannot be written as JSON: {exc}") from exc
    return text + "\n"


def write_bank(bank: Bank | dict, path: str | os.PathLike[str]) -> Path:
    """Write ``bank`` canonically to ``path`` (UTF-8), atomically; return the path.

    The text goes to a temporary file in the same folder that then replaces ``path``, so a
    reader never sees half a bank. Raises :class:`BankError` if the bank cannot be serialised
    and ``OSError`` if the folder is not writable.
    """
    target = Path(path)
    text = dumps_bank(bank)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


# -- reading -------------------------------------------------------------------------------


def loads_bank(text: str, name: str = "<bank>") -> dict:
    """Parse and validate bank JSON ``text``; ``name`` labels error messages.

    Raises :class:`BankError` (one line: the name, then the JSON position or the first few
    validation problems; all problems are in ``.problems``).
    """
    if not text.strip():
        raise BankError(f"{name}: empty file, expected bank JSON")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BankError(
            f"{name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    problems = validate_bank(data)
    if problems:
        quoted = "; ".join(problems[:_MAX_QUOTED])
        more = len(problems) - _MAX_QUOTED
        suffix = f" (and {more} more)" if more > 0 else ""
        raise BankError(f"{name}: not a valid question bank: {quoted}{suffix}", problems)
    return data


def load_bank(path: str | os.PathLike[str]) -> dict:
    """Read, parse and validate the bank file at ``path``; return its dict.

    Raises :class:`BankError` naming the file for a missing or unreadable file, bytes that are
    not UTF-8, invalid JSON (with line and column) or a bank that fails :func:`validate_bank`.
    """
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError as exc:
        raise BankError(f"{name}: is a directory, not a bank file") from exc
    except OSError as exc:
        raise BankError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BankError(f"{name}: not UTF-8 text (bad byte at offset {exc.start})") from exc
    return loads_bank(text, name)


# -- validation ----------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value: Any) -> str:
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


# MAX_CHARS (generation.models): what the database stores; a longer value is refused here.


def _too_long(where: str, value: Any, key: str) -> list[str]:
    limit = MAX_CHARS[key]
    if isinstance(value, str) and len(value) > limit:
        return [f"{where}: at most {limit} characters, got {len(value)}"]
    return []


def _check_source(source: Any) -> list[str]:
    if not isinstance(source, dict):
        return [f"source: expected an object, got {_kind(source)}"]
    problems = []
    for key in ("title", "url", "published", "licence"):
        if key in source and source[key] is not None and not isinstance(source[key], str):
            problems.append(f"source.{key}: expected a string or null, got {_kind(source[key])}")
    if "sha256" in source and not isinstance(source["sha256"], str):
        problems.append(f"source.sha256: expected a string, got {_kind(source['sha256'])}")
    for key in ("title", "url", "published", "licence", "sha256"):
        problems.extend(_too_long(f"source.{key}", source.get(key), key))
    return problems


def _check_numeric(numeric: Any) -> list[str]:
    if not isinstance(numeric, dict):
        return [f"numeric: expected an object or null, got {_kind(numeric)}"]
    problems = [f"numeric: missing key '{key}'" for key in NUMERIC_KEYS if key not in numeric]
    if "value" in numeric and not _is_number(numeric["value"]):
        problems.append(f"numeric.value: expected a number, got {_kind(numeric['value'])}")
    if "tolerance" in numeric:
        tol = numeric["tolerance"]
        if not _is_number(tol) or tol < 0:
            problems.append(f"numeric.tolerance: expected a number >= 0, got {tol!r}")
    if "unit" in numeric and numeric["unit"] is not None and not isinstance(numeric["unit"], str):
        problems.append(f"numeric.unit: expected a string or null, got {_kind(numeric['unit'])}")
    return problems


def _check_choices(question: dict) -> list[str]:
    choices = question.get("choices")
    if choices is None:
        if question.get("format") == "multiple_choice":
            return ["multiple_choice needs a list of choices"]
        return []
    if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
        return ["choices: expected a list of strings or null"]
    if question.get("format") != "multiple_choice":
        return []
    problems = []
    if choices.count(question.get("answer")) != 1:
        problems.append("multiple_choice needs the answer exactly once in choices")
    distinct = len({c.strip().casefold() for c in choices})
    if distinct < 4:
        problems.append(f"multiple_choice needs at least 4 distinct choices, has {distinct}")
    return problems


def _check_span(span: Any) -> list[str]:
    if not (isinstance(span, list) and len(span) == 2 and all(_is_int(x) for x in span)):
        return [f"source_span: expected two integers [start, end], got {span!r}"]
    start, end = span
    if not 0 <= start <= end:
        return [f"source_span: need 0 <= start <= end, got [{start}, {end}]"]
    return []


_STRING_KEYS = ("id", "prompt", "answer", "explanation", "source_sentence")


def _check_question(question: Any) -> list[str]:
    """Problems of one question, without the ``questions[i]:`` prefix."""
    if not isinstance(question, dict):
        return [f"expected an object, got {_kind(question)}"]
    missing = [key for key in QUESTION_KEYS if key not in question]
    problems = [f"missing key '{key}'" for key in missing]
    for key in _STRING_KEYS:
        if key in question and not isinstance(question[key], str):
            problems.append(f"{key}: expected a string, got {_kind(question[key])}")
    for key in ("id", "prompt", "answer"):
        if isinstance(question.get(key), str) and not question[key].strip():
            problems.append(f"{key}: must not be empty")
    problems.extend(_too_long("id", question.get("id"), "id"))
    if "category" in question and question["category"] not in CATEGORIES:
        problems.append(f"category: {question['category']!r} is not one of {', '.join(CATEGORIES)}")
    fmt = question.get("format")
    if "format" in question and fmt not in FORMATS:
        problems.append(f"format: {fmt!r} is not one of {', '.join(FORMATS)}")
    accepted = question.get("accepted_answers", [])
    if not isinstance(accepted, list) or not all(isinstance(a, str) for a in accepted):
        problems.append("accepted_answers: expected a list of strings")
    if "choices" in question:
        problems.extend(_check_choices(question))
    numeric = question.get("numeric")
    if numeric is not None:
        problems.extend(_check_numeric(numeric))
    elif fmt == "numeric" and "numeric" in question:
        problems.append('numeric format needs "numeric": {"value", "tolerance", "unit"}')
    prompt = question.get("prompt")
    if fmt == "cloze" and isinstance(prompt, str) and CLOZE_GAP not in prompt:
        problems.append(f'cloze prompt must contain the gap "{CLOZE_GAP}"')
    if "source_span" in question:
        problems.extend(_check_span(question["source_span"]))
    if "score" in question:
        score = question["score"]
        if not _is_number(score) or not 0 <= score <= 1:
            problems.append(f"score: expected a number in [0, 1], got {score!r}")
    if "updated_at" in question:
        problems.extend(_check_time(question["updated_at"]))
    return problems


def validate_question(question: Any) -> list[str]:
    """Every problem of one question in the bank format (contracts §2); empty when valid."""
    return _check_question(question)


def _check_time(value: Any) -> list[str]:
    if not isinstance(value, str):
        return [f"updated_at: expected an ISO 8601 string, got {_kind(value)}"]
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return [f"updated_at: {value!r} is not an ISO 8601 time"]
    return []


def validate_bank(data: Any) -> list[str]:
    """Return every problem of ``data`` as a bank (contracts §2); an empty list means valid.

    Each message names where the problem is, e.g.
    ``"questions[3]: multiple_choice needs the answer exactly once in choices"``.
    """
    if not isinstance(data, dict):
        return [f"bank: expected a JSON object, got {_kind(data)}"]
    problems = []
    if data.get("format") != BANK_FORMAT:
        problems.append(f"format: expected {BANK_FORMAT!r}, got {data.get('format')!r}")
    version = data.get("version")
    if not _is_int(version) or version != BANK_VERSION:
        problems.append(f"version: expected {BANK_VERSION}, got {version!r}")
    if not isinstance(data.get("title"), str):
        problems.append(f"title: expected a string, got {_kind(data.get('title'))}")
    problems.extend(_too_long("title", data.get("title"), "title"))
    problems.extend(_check_source(data.get("source")))
    if "generator" in data and not isinstance(data["generator"], dict):
        problems.append(f"generator: expected an object, got {_kind(data['generator'])}")
    questions = data.get("questions")
    if not isinstance(questions, list):
        problems.append(f"questions: expected a list, got {_kind(questions)}")
        return problems
    alternates = data.get("alternates", [])
    if not isinstance(alternates, list):
        problems.append(f"alternates: expected a list, got {_kind(alternates)}")
        alternates = []
    first_seen: dict[str, str] = {}
    listed = [("questions", q) for q in questions] + [("alternates", q) for q in alternates]
    counters = {"questions": 0, "alternates": 0}
    for key, question in listed:
        where = f"{key}[{counters[key]}]"
        counters[key] += 1
        problems.extend(f"{where}: {problem}" for problem in _check_question(question))
        qid = question.get("id") if isinstance(question, dict) else None
        if isinstance(qid, str):
            if qid in first_seen:
                problems.append(f"{where}: duplicate id {qid!r} (first at {first_seen[qid]})")
            else:
                first_seen[qid] = where
    return problems
