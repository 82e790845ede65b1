"""What the importers and exporters of :mod:`quizapp.interchange` share: the error, the
checks of input text, question ids, category guessing, numbers as text, the collector of what
an importer found. Pure: the standard library and quizapp's pure modules only."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from quizapp.answers import normalise
from quizapp.banks import BANK_FORMAT, BANK_VERSION
from quizapp.banks import validate_bank as _validate_bank
from quizapp.numbers import parse_number
from quizapp.vocabulary import CATEGORIES
from quizapp.vocabulary import FORMATS as QUESTION_FORMATS

# How many problems an InterchangeError quotes before "and N more".
MAX_PROBLEMS = 20
# What a question id may look like when it comes from a file (it ends up in URLs and forms).
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
IMPORTED_SCORE = 1.0  # no generator estimate: the same score a teacher-written question gets


class InterchangeError(ValueError):
    """A file that cannot be imported (or a bank that cannot be exported).

    ``str()`` is one line quoting up to :data:`MAX_PROBLEMS` problems, each starting with
    ``line N:`` where a line is known; ``.problems`` holds them all.
    """

    def __init__(self, problems: str | Iterable[str]) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        shown = "; ".join(self.problems[:MAX_PROBLEMS])
        more = len(self.problems) - MAX_PROBLEMS
        super().__init__(shown + (f" (and {more} more)" if more > 0 else ""))


def decode_text(data: bytes, name: str = "file") -> str:
    """UTF-8 text of an uploaded or read file (a byte-order mark is dropped).

    Raises :class:`InterchangeError` naming ``name`` for an empty file, a binary file or bytes
    that are not UTF-8 (a spreadsheet saved as "CSV" in a legacy encoding, say).
    """
    if not data.strip():
        raise InterchangeError(f"{name}: the file is empty")
    if b"\x00" in data:
        raise InterchangeError(f"{name}: this is a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InterchangeError(
            f"{name}: not UTF-8 text (bad byte at offset {exc.start}); "
            "save it as UTF-8 (in Excel: 'CSV UTF-8')"
        ) from exc


# -- helpers shared by the importers ------------------------------------------------------------


def check_text(text: str, kind: str) -> str:
    """``text`` without a byte-order mark and with ``\\n`` line ends; InterchangeError if it is
    empty, only whitespace or binary."""
    if not isinstance(text, str):
        raise InterchangeError(f"expected {kind} text, got {type(text).__name__}")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InterchangeError(f"the file is empty: expected {kind} text")
    if "\x00" in text:
        raise InterchangeError(f"this is a binary file, not {kind} text")
    return text


def stable_id(prompt: str, answer: str, category: str, fmt: str, sentence: str = "") -> str:
    """The id of an imported question without one: the same hash the generator and the
    teacher's editor use (normalised sentence — or prompt when there is none —, answer,
    category and format), so importing the same file twice gives the same ids."""
    key = "\x1f".join((normalise(sentence or prompt), normalise(answer), category, fmt))
    return "q-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


_PLACE_NOUNS = (
    r"(?:city|cities|country|countries|town|village|place|region|state|province|capital"
    r"|continent|island|county|district|nation|port|harbour|harbor|venue|location)"
)
_TIME_NOUNS = r"(?:year|date|day|month|decade|century|time|season|week)"
_CUES = (
    ("how_many", re.compile(r"\bhow (?:many|much)\b")),
    ("who", re.compile(r"\b(?:who|whom|whose)\b")),
    ("where", re.compile(rf"\bwhere\b|\b(?:which|what) {_PLACE_NOUNS}\b")),
    ("when", re.compile(rf"\bwhen\b|\b(?:which|what) {_TIME_NOUNS}\b|\bhow long ago\b")),
)
_YEAR = re.compile(r"(?:1[0-9]|20)\d\d")


def guess_category(prompt: str, answer: str, fmt: str) -> str:
    """The category of a question that does not state one.

    The earliest wh-cue of the prompt decides (who → who, where / which city → where,
    how many / how much → how_many, when / what year → when); without one, a year answer
    means when and a number means how_many; otherwise what. Numeric questions are how_many
    unless the prompt asks when.
    """
    text = " ".join(prompt.casefold().split())
    found = [(m.start(), name) for name, rx in _CUES if (m := rx.search(text))]
    category = min(found)[1] if found else None
    if category is None:
        if _YEAR.fullmatch(answer.strip()):
            category = "when"
        elif parse_number(answer) is not None:
            category = "how_many"
        else:
            category = "what"
    if fmt == "numeric" and category != "when":
        return "how_many"
    return category


def number_value(value: float) -> int | float:
    """An int when the value is whole (as banks store numbers), else the float."""
    return int(value) if float(value).is_integer() else float(value)


def format_number(value: float) -> str:
    """Plain text of a number: "4500", "2.5", "-0.25" (never an exponent for whole numbers)."""
    value = number_value(value)
    return str(value) if isinstance(value, int) else repr(value)


class Collector:
    """What an importer has found so far: questions (with the line each starts at), problems
    and warnings; gives each question its id."""

    def __init__(self, warnings: list[str] | None) -> None:
        self.warnings: list[str] = [] if warnings is None else warnings
        self._first_warning = len(self.warnings)
        self.problems: list[str] = []
        self.questions: list[dict] = []
        self.lines: list[int] = []
        self.seen: dict[str, int] = {}  # id -> line
        self.contents: dict[str, int] = {}  # question without its id -> line

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"line {line}: {message}")

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(f"line {line}: {message}")

    def add(self, question: dict, line: int, wanted: str | None = None) -> None:
        """Append ``question`` (its ``id`` is set here) unless it is an exact repeat.

        ``wanted`` is the id the file gives; one that is not id-like or already taken is
        replaced by :func:`stable_id` (a repeated fact gets ``-2``, ``-3`` … after it).
        """
        qid = wanted if wanted and ID_PATTERN.fullmatch(wanted) else None
        if qid is not None and qid in self.seen:
            self.warn(line, f"id {qid!r} already used at line {self.seen[qid]}; a new id given")
            qid = None
        content = json.dumps({**question, "id": ""}, sort_keys=True)
        if qid is None:
            if content in self.contents:
                self.warn(line, f"the same question as at line {self.contents[content]}; skipped")
                return
            base = stable_id(
                question["prompt"],
                question["answer"],
                question["category"],
                question["format"],
                question["source_sentence"],
            )
            qid, count = base, 1
            while qid in self.seen:
                count += 1
                qid = f"{base}-{count}"
        self.seen[qid] = line
        self.contents.setdefault(content, line)
        self.questions.append({**question, "id": qid})
        self.lines.append(line)

    def bank(self, title: str, kind: str, *, source: Any = None, generator: Any = None) -> dict:
        """The valid bank of what was found. Raises :class:`InterchangeError` listing the
        problems, or saying that no question was found (and what was skipped), or naming the
        line of each question :func:`quizapp.banks.validate_bank` refuses."""
        if self.problems:
            raise InterchangeError(self.problems)
        if not self.questions:
            skipped = self.warnings[self._first_warning :][:MAX_PROBLEMS]
            detail = f" ({'; '.join(skipped)})" if skipped else ""
            raise InterchangeError(f"no questions found in the {kind} text{detail}")
        bank = {
            "format": BANK_FORMAT,
            "version": BANK_VERSION,
            "title": title,
            "source": source
            if isinstance(source, dict)
            else {"title": title, "url": None, "published": None, "licence": None, "sha256": ""},
            "generator": generator
            if isinstance(generator, dict)
            else {"name": "quizapp", "imported_from": kind},
            "questions": self.questions,
        }
        problems = []
        for problem in _validate_bank(bank):
            match = _WHERE.match(problem)
            if match and int(match.group(1)) < len(self.lines):
                i = int(match.group(1))
                where = f"line {self.lines[i]} (question {self.questions[i]['id']!r})"
                problem = f"{where}: {problem[match.end() :]}"
            problems.append(problem)
        if problems:
            raise InterchangeError(problems)
        return bank


_WHERE = re.compile(r"^questions\[(\d+)\]: ")


def _is_iso_time(value: Any) -> bool:
    try:
        datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def metadata_fields(meta: Any, where: str, warnings: list[str]) -> dict:
    """The usable quizapp fields of a metadata object (a GIFT comment); wrong types are
    dropped with a warning rather than failing the import."""
    if not isinstance(meta, dict):
        warnings.append(f"{where}: quizapp comment is not a JSON object; ignored")
        return {}
    checks = {
        "category": lambda v: v in CATEGORIES,
        "format": lambda v: v in QUESTION_FORMATS,
        "source_sentence": lambda v: isinstance(v, str),
        "source_span": lambda v: (
            isinstance(v, list)
            and len(v) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in v)
            and v[0] <= v[1]
        ),
        "score": lambda v: isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1,
        "updated_at": _is_iso_time,
        "answer": lambda v: isinstance(v, str) and v.strip() != "",
        "accepted_answers": lambda v: isinstance(v, list) and all(isinstance(a, str) for a in v),
        "value": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "unit": lambda v: v is None or isinstance(v, str),
    }
    out = {}
    for key, value in meta.items():
        check = checks.get(key)
        if check is None:
            continue
        if check(value):
            out[key] = value
        else:
            warnings.append(f"{where}: quizapp comment has an unusable {key!r}; ignored")
    return out
