"""CSV: one row per question, for spreadsheets (Excel, LibreOffice Calc, Google Sheets).

Written as RFC 4180 CSV: comma-separated, every cell quoted only when it must be, CRLF row ends,
a header row with :data:`COLUMNS`. The exported bytes are UTF-8 *with* a byte-order mark, which
is what makes Excel read them as UTF-8 when the file is double-clicked (LibreOffice and Python
accept the mark too; the importer drops it). Cells may hold line breaks (quoted).

Lists (``accepted_answers``, ``choices``) are one cell, items joined by ``" | "``; inside an
item a literal ``|`` is written ``\\|`` and a backslash ``\\\\`` (any other backslash is kept as
typed). Items are trimmed on import and empty ones dropped.

Formula injection (OWASP "CSV Injection"): a cell that starts with ``= + - @``, a tab or a
carriage return — or with apostrophes followed by one of those — gets one more ``'`` in front,
so a spreadsheet shows it as text instead of running it. The importer removes exactly that one
``'`` (from a cell that starts with ``'`` followed by apostrophes and one of those characters),
so every text survives the round trip.

Import: the header names the columns in any order (case, spaces and hyphens ignored; a comma,
semicolon or tab delimiter is detected from it). ``prompt`` and ``answer`` are required; an empty
``id`` gets the stable hash id, an empty ``category`` is guessed from the prompt, an empty
``format`` is inferred (choices → multiple_choice, numeric_value → numeric, a ``_____`` gap →
cloze, else short_answer). For multiple choice the choices may leave out the answer (it is added).
Unknown columns are ignored with a warning. Problems are reported as ``line N: …`` with N the
line the row starts on (the header is line 1).
"""

from __future__ import annotations

import csv
import io
import re

from quizapp.vocabulary import CATEGORIES, FIELDS, NUMERIC_FIELDS, OPTIONAL_FIELDS
from quizapp.vocabulary import FORMATS as QUESTION_FORMATS

from .common import (
    ID_PATTERN,
    IMPORTED_SCORE,
    MAX_PROBLEMS,
    Collector,
    check_text,
    format_number,
    guess_category,
    number_value,
)

# The bank's fields (vocabulary.FIELDS) as cells, in their order: the parts of `numeric` and of
# `source_span` in cells of their own.
_SPREAD = {
    "numeric": tuple(f"numeric_{part}" for part in NUMERIC_FIELDS),
    "source_span": ("source_start", "source_end"),
}
COLUMNS = tuple(
    column for name in (*FIELDS, *OPTIONAL_FIELDS) for column in _SPREAD.get(name, (name,))
)
REQUIRED = ("prompt", "answer")
SEPARATOR = " | "
GAP = "_____"
_DANGEROUS = re.compile(r"'*[=+\-@\t\r]")  # what a spreadsheet may run as a formula
_PROTECTED = re.compile(r"'+[=+\-@\t\r]")  # …and what the exporter made of it
_ALIASES = {"question": "prompt", "type": "format", "feedback": "explanation"}
_THOUSANDS = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"-?\d+,\d+")

# -- cells -------------------------------------------------------------------------------------


def protect(cell: str) -> str:
    """``cell`` with a leading ``'`` when a spreadsheet could take it for a formula."""
    return "'" + cell if _DANGEROUS.match(cell) else cell


def unprotect(cell: str) -> str:
    """Undo :func:`protect` exactly."""
    return cell[1:] if _PROTECTED.match(cell) else cell


def join_list(items: list[str]) -> str:
    """One cell for a list: items escaped (``\\\\`` and ``\\|``) and joined by ``" | "``."""
    return SEPARATOR.join(item.replace("\\", "\\\\").replace("|", "\\|") for item in items)


def split_list(cell: str) -> list[str]:
    """The items of a list cell (see :func:`join_list`), trimmed, empty ones dropped."""
    items, current = [], []
    i = 0
    while i < len(cell):
        char = cell[i]
        if char == "\\" and i + 1 < len(cell) and cell[i + 1] in "\\|":
            current.append(cell[i + 1])
            i += 2
            continue
        if char == "|":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    items.append("".join(current))
    # the spaces around " | " go; other white space (a no-break space) is the item's own
    return [item.strip(" \t") for item in items if item.strip()]


# -- export ------------------------------------------------------------------------------------


def _row(question: dict) -> list[str]:
    numeric = question.get("numeric") or {}
    span = question.get("source_span") or ["", ""]
    values = {
        "id": question["id"],
        "category": question["category"],
        "format": question["format"],
        "prompt": question["prompt"],
        "answer": question["answer"],
        "accepted_answers": join_list(question["accepted_answers"]),
        "choices": join_list(question["choices"] or []),
        "numeric_value": format_number(numeric["value"]) if numeric else "",
        "numeric_tolerance": format_number(numeric["tolerance"]) if numeric else "",
        "numeric_unit": (numeric.get("unit") or "") if numeric else "",
        "explanation": question["explanation"],
        "source_sentence": question["source_sentence"],
        "source_start": str(span[0]),
        "source_end": str(span[1]),
        "score": format_number(question["score"]),
        "updated_at": question.get("updated_at") or "",
    }
    return [protect(values[column]) for column in COLUMNS]


def dumps_csv(bank: dict) -> str:
    """CSV text of a valid ``bank`` (no byte-order mark: ``export_bank`` adds it)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(_row(question) for question in bank["questions"])
    return out.getvalue()


# -- import ------------------------------------------------------------------------------------


def _delimiter(text: str) -> str:
    """The delimiter of the header line: the one of , ; tab that splits it most."""
    header = text.split("\n", 1)[0]
    counts = {d: len(next(csv.reader([header], delimiter=d))) for d in (",", ";", "\t")}
    best = max(counts.values())
    return next(d for d in (",", ";", "\t") if counts[d] == best)


def _column(name: str) -> str:
    key = re.sub(r"[\s\-]+", "_", name.strip().lower())
    return _ALIASES.get(key, key)


def _number(text: str) -> float | None:
    """A number cell: "4500", "-2.5", "4,500" (thousands) or "2,5" (a decimal comma)."""
    text = text.strip().replace(" ", "").replace("_", "")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    elif _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value - value == 0 else None


class _Rows(Collector):
    """Turns CSV rows into bank questions."""

    def header(self, row: list[str]) -> dict[str, int] | None:
        columns: dict[str, int] = {}
        for index, name in enumerate(row):
            key = _column(unprotect(name))
            if not key:
                continue
            if key not in COLUMNS:
                self.warn(1, f"column {name.strip()!r} is not a quizapp column; ignored")
            elif key in columns:
                self.problem(1, f"column {key!r} appears twice")
            else:
                columns[key] = index
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            names = " or ".join(repr(c) for c in missing)
            self.problem(
                1,
                f"the header has no {names} column (the first row must name the columns: "
                f"at least {' and '.join(REQUIRED)}; all: {', '.join(COLUMNS)})",
            )
            return None
        return columns

    def row(self, line: int, cells: dict[str, str]) -> None:
        before = len(self.problems)
        bad = self.problem

        def text(column: str) -> str:
            return cells.get(column, "").strip()

        prompt, answer = cells.get("prompt", ""), cells.get("answer", "")
        for column, value in (("prompt", prompt), ("answer", answer)):
            if not value.strip():
                bad(line, f"column {column!r} is empty")
        accepted = split_list(cells.get("accepted_answers", ""))
        choices = split_list(cells.get("choices", "")) or None
        numeric = self.numeric(line, cells)
        fmt = text("format").lower().replace(" ", "_").replace("-", "_")
        if not fmt:
            fmt = (
                "multiple_choice"
                if choices
                else "numeric"
                if numeric
                else "cloze"
                if GAP in prompt
                else "short_answer"
            )
        elif fmt not in QUESTION_FORMATS:
            bad(line, f"column 'format' must be one of {', '.join(QUESTION_FORMATS)}, not {fmt!r}")
        category = text("category").lower().replace(" ", "_").replace("-", "_")
        if category and category not in CATEGORIES:
            bad(line, f"column 'category' must be one of {', '.join(CATEGORIES)}, not {category!r}")
        qid = text("id")
        if qid and not ID_PATTERN.fullmatch(qid):
            bad(
                line,
                f"id {qid!r} may hold only letters, digits, '_', '.' and '-' "
                "(at most 64, starting with a letter or digit); leave it empty for a generated id",
            )
        if qid in self.seen:
            bad(line, f"id {qid!r} is already used at line {self.seen[qid]}")
        if fmt == "multiple_choice":
            if not choices:
                bad(line, "a multiple_choice question needs its choices (column 'choices')")
            elif answer.strip() and answer not in choices:
                # "Paris " or "paris" in the answer cell is the choice "Paris", not a fifth one
                typed = answer.strip(" \t").casefold()  # spaces typed around it, not others
                same = [c for c in choices if c.casefold() == typed]
                if same:
                    answer = same[0]
                else:
                    choices = [*choices, answer]
        elif fmt == "numeric" and numeric is None and not cells.get("numeric_value", "").strip():
            bad(line, "a numeric question needs column 'numeric_value'")
        if fmt != "multiple_choice" and choices:
            self.warn(line, f"choices ignored: a {fmt} question has none")
            choices = None
        span = self.span(line, cells)
        score = self.score(line, text("score"))
        if len(self.problems) > before:
            return
        question = {
            "id": "",
            "category": category or guess_category(prompt, answer, fmt),
            "format": fmt,
            "prompt": prompt,
            "answer": answer,
            "accepted_answers": accepted,
            "choices": choices,
            "numeric": numeric,
            "explanation": cells.get("explanation", ""),
            "source_sentence": cells.get("source_sentence", ""),
            "source_span": span,
            "score": score,
        }
        if text("updated_at"):
            question["updated_at"] = text("updated_at")
        self.add(question, line, qid or None)

    def numeric(self, line: int, cells: dict[str, str]) -> dict | None:
        raw = cells.get("numeric_value", "").strip()
        if not raw:
            return None
        value = _number(raw)
        if value is None:
            self.problem(line, f"numeric_value {raw!r} is not a number")
            return None
        tolerance_text = cells.get("numeric_tolerance", "").strip() or "0"
        tolerance = _number(tolerance_text)
        if tolerance is None or tolerance < 0:
            self.problem(line, f"numeric_tolerance {tolerance_text!r} is not a number >= 0")
            return None
        unit = cells.get("numeric_unit", "").strip() or None
        return {"value": number_value(value), "tolerance": number_value(tolerance), "unit": unit}

    def span(self, line: int, cells: dict[str, str]) -> list[int]:
        ends = [cells.get("source_start", "").strip(), cells.get("source_end", "").strip()]
        if not any(ends):
            return [0, 0]
        if not all(e.isdigit() for e in ends) or int(ends[0]) > int(ends[1]):
            self.problem(
                line,
                f"source_start/source_end {ends[0]!r}/{ends[1]!r} are not offsets start <= end",
            )
            return [0, 0]
        return [int(ends[0]), int(ends[1])]

    def score(self, line: int, text: str) -> float:
        if not text:
            return IMPORTED_SCORE
        value = _number(text)
        if value is None or not 0 <= value <= 1:
            self.problem(line, f"score {text!r} is not a number between 0 and 1")
            return IMPORTED_SCORE
        return number_value(value)


def parse_csv(text: str, *, title: str, warnings: list[str] | None = None) -> dict:
    """A valid bank titled ``title`` from CSV ``text`` (a header row, then one question a row).

    Warnings (ignored columns or choices) are appended to ``warnings`` when given. Raises
    :class:`InterchangeError` listing problems as ``line N: …``, for an empty or binary text
    and when no row holds a question.
    """
    text = check_text(text, "CSV")
    rows = _Rows(warnings)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    columns: dict[str, int] | None = None
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                columns = rows.header(cells)
                if columns is None:
                    break
                continue
            values = {name: unprotect(cells[i]) for name, i in columns.items() if i < len(cells)}
            rows.row(start, values)
            if len(rows.problems) > 5 * MAX_PROBLEMS:
                break
    except csv.Error as exc:
        rows.problem(line, f"not readable as CSV: {exc}")
    return rows.bank(title, "CSV")
