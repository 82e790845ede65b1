"""The question-bank file format (contracts §2): write, read and validate bank JSON.

Pure: the standard library only. A bank is written canonically (fixed key order, two-space
indent, UTF-8 kept as is, a final newline) so that regenerating a bank reproduces its file byte
for byte and diffs of ``question_banks/`` stay readable.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from quizapp.generation.models import MAX_CHARS, Bank
from quizapp.vocabulary import CLOZE_GAP as CLOZE_GAP
from quizapp.vocabulary import FIELDS, OPTIONAL_FIELDS, question_problems
from quizapp.vocabulary import NUMERIC_FIELDS as NUMERIC_KEYS
from quizapp.vocabulary import is_int as _is_int
from quizapp.vocabulary import kind_of as _kind

BANK_FORMAT = "quizapp-bank"
BANK_VERSION = 1

BANK_KEYS = ("format", "version", "title", "source", "generator", "questions", "alternates")
SOURCE_KEYS = ("title", "url", "published", "licence", "sha256")
QUESTION_KEYS = FIELDS  # the vocabulary's fields, in the order a bank file writes them
OPTIONAL_QUESTION_KEYS = OPTIONAL_FIELDS

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


def validate_question(question: Any) -> list[str]:
    """Every problem of one question in the bank format (contracts §2); empty when valid.
    The rules are the question vocabulary's (:func:`quizapp.vocabulary.question_problems`)."""
    return question_problems(question)


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
        problems.extend(f"{where}: {problem}" for problem in question_problems(question))
        qid = question.get("id") if isinstance(question, dict) else None
        if isinstance(qid, str):
            if qid in first_seen:
                problems.append(f"{where}: duplicate id {qid!r} (first at {first_seen[qid]})")
            else:
                first_seen[qid] = where
    return problems
