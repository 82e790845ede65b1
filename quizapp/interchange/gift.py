"""Moodle GIFT: write a bank as GIFT, read GIFT files (ours and teachers' Moodle exports).

Export, one block per question (Moodle's syntax; https://docs.moodle.org/en/GIFT_format)::

    // quizapp: {"category": "who", "format": "short_answer", "source_sentence": "…", …}
    ::q-mayor00001::[plain]Who opened the festival on Saturday?{
        =Quintessa Vorbeck
        =Vorbeck
        ####Mayor Quintessa Vorbeck opened it.
    }

The question id is the ``::title::``; texts are ``[plain]`` (shown as typed, never as HTML) with
``\\ ~ = # { } :`` escaped by a backslash and newlines written as ``\\n``. Multiple choice is
``{=right ~wrong …}``, short answer and cloze ``{=answer =accepted …}`` (a cloze keeps its
``_____`` in the text), numeric ``{#value:tolerance}``; the explanation is the general feedback
``####…``. What GIFT has no field for (category, format, source sentence and span, score,
updated_at; a numeric question's answer text, unit and accepted answers; a multiple-choice
question's accepted answers) rides in the ``// quizapp:`` JSON comment above the question,
which Moodle ignores and :func:`parse_gift` reads back. A ``// quizapp-bank:`` comment at the
top carries the bank's source and generator.

Import follows Moodle's own parser (question/format/gift/format.php): blank lines separate
questions, ``//`` lines are comments, ``$CATEGORY:`` is ignored, ``::title::`` becomes the id
when it looks like one (letters, digits, ``_ . -``, at most 64), ``[html]`` / ``[moodle]`` /
``[plain]`` / ``[markdown]`` markers are removed (HTML is turned into plain text), per-answer
feedback ``#…`` is dropped and only 100% answers are right. Conversions, each with a warning:
true/false → short answer "True"/"False" (quizapp's multiple choice needs four choices), as is
multiple choice with fewer than four distinct choices or with more than one 100% choice (every
100% choice becomes an accepted answer). Skipped, with a warning: matching, essay, description
and multiple-answer questions (no single 100% choice). Syntax errors raise InterchangeError.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from . import (
    IMPORTED_SCORE,
    MAX_PROBLEMS,
    Collector,
    check_text,
    format_number,
    guess_category,
    metadata_fields,
    number_value,
)

META_PREFIX = "// quizapp:"
BANK_PREFIX = "// quizapp-bank:"
GAP = "_____"
_WS = " \t\n\r\x0b"  # what PHP's trim() strips (Moodle trims lines and texts)
_ESCAPABLE = "\\~=#{}:n"
_MARKERS = ("html", "moodle", "plain", "markdown")
_MARKER = re.compile(r"\[(?:html|moodle|plain|markdown)\]")
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}

# -- export ----------------------------------------------------------------------------------


def escape(text: str) -> str:
    """``text`` with GIFT's special characters escaped and line breaks written as ``\\n``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for char in text:
        if char == "\\" or char in "~=#{}:":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        else:
            out.append(char)
    return "".join(out)


def _text(text: str) -> str:
    """An escaped answer or feedback text; one that starts like a format marker gets
    ``[plain]`` first so that Moodle (and we) keep the marker-like start as text."""
    escaped = escape(text)
    return "[plain]" + escaped if _MARKER.match(escaped) else escaped


def _comment(prefix: str, data: dict) -> str:
    """A one-line JSON comment (characters some editors break lines at are escaped too)."""
    body = json.dumps(data, ensure_ascii=False)
    for char in ("\x85", "\u2028", "\u2029"):
        body = body.replace(char, f"\\u{ord(char):04x}")
    return f"{prefix} {body}"


def _metadata(question: dict) -> dict:
    fmt = question["format"]
    meta: dict[str, Any] = {"category": question["category"], "format": fmt}
    for key in ("source_sentence", "source_span", "score", "updated_at"):
        if key in question:
            meta[key] = question[key]
    if fmt in ("multiple_choice", "numeric"):
        meta["answer"] = question["answer"]
        meta["accepted_answers"] = question["accepted_answers"]
    if fmt == "numeric":
        meta["value"] = question["numeric"]["value"]
        meta["unit"] = question["numeric"]["unit"]
    return meta


def _question_lines(question: dict) -> list[str]:
    fmt = question["format"]
    head = f"::{escape(question['id'])}::[plain]{escape(question['prompt'])}"
    lines = [_comment(META_PREFIX, _metadata(question))]
    if fmt == "numeric":
        numeric = question["numeric"]
        lines.append(head + "{#")
        lines.append(f"\t={format_number(numeric['value'])}:{format_number(numeric['tolerance'])}")
    elif fmt == "multiple_choice":
        lines.append(head + "{")
        for choice in (c for c in question["choices"] if c.strip(_WS)):
            if choice == question["answer"]:
                lines.append("\t=" + _text(choice))
            else:  # a choice that starts like "%50%" must not read as a weight
                lines.append("\t~" + ("%0%" if choice.startswith("%") else "") + _text(choice))
    else:
        lines.append(head + "{")
        answers = [question["answer"], *question["accepted_answers"]]
        for answer in (a for a in answers if a.strip(_WS)):
            lines.append("\t=" + ("%100%" if answer.startswith("%") else "") + _text(answer))
    if question["explanation"].strip(_WS):
        lines.append("\t####" + _text(question["explanation"]))
    lines.append("}")
    return lines


def dumps_gift(bank: dict) -> str:
    """GIFT text of a valid ``bank``: a header comment, a ``$CATEGORY`` named after the bank,
    then one block per question, blocks separated by a blank line; newline-ended."""
    header = {key: bank[key] for key in ("title", "source", "generator") if key in bank}
    category = " ".join(bank["title"].split()).replace("/", "//") or "quizapp"
    lines = [
        _comment(BANK_PREFIX, header),
        "// Written by quizapp. The '// quizapp:' comments keep what GIFT has no field for;",
        "// Moodle ignores them and quizapp reads them back on import.",
        "",
        f"$CATEGORY: $course$/top/{category}",
        "",
    ]
    for question in bank["questions"]:
        lines.extend(_question_lines(question))
        lines.append("")
    return "\n".join(lines)


# -- import: text pieces -----------------------------------------------------------------------


def _mask(raw: str) -> str:
    """``raw`` with every escape pair replaced by two NULs (same length), so searching the mask
    for ``{``, ``~``, ``=`` … finds only unescaped ones. Input never holds NULs (refused)."""
    out = list(raw)
    i = 0
    while i < len(raw) - 1:
        if raw[i] == "\\" and raw[i + 1] in _ESCAPABLE:
            out[i] = out[i + 1] = "\0"
            i += 2
        else:
            i += 1
    return "".join(out)


def unescape(raw: str) -> str:
    """Undo GIFT escapes: ``\\\\ \\~ \\= \\# \\{ \\} \\:`` and ``\\n`` (a line break); any
    other backslash stays, as in Moodle."""
    out = []
    i = 0
    while i < len(raw):
        if raw[i] == "\\" and i + 1 < len(raw) and raw[i + 1] in _ESCAPABLE:
            out.append("\n" if raw[i + 1] == "n" else raw[i + 1])
            i += 2
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


@dataclass(frozen=True)
class _Span:
    """A piece of a question block: its raw text, its mask and where it starts."""

    raw: str
    mask: str
    offset: int

    def cut(self, start: int, end: int | None = None) -> _Span:
        end = len(self.raw) if end is None else end
        return _Span(self.raw[start:end], self.mask[start:end], self.offset + start)

    def strip(self) -> _Span:
        lead = len(self.raw) - len(self.raw.lstrip(_WS))
        return self.cut(lead, max(lead, len(self.raw.rstrip(_WS))))

    def find(self, needle: str, start: int = 0) -> int:
        return self.mask.find(needle, start)

    def before(self, needle: str) -> _Span:
        """The part before the first unescaped ``needle`` (all of it if there is none)."""
        at = self.find(needle)
        return self if at < 0 else self.cut(0, at)


class _TextOnly(HTMLParser):
    _BLOCKS = {"p", "div", "li", "tr", "ul", "ol", "table", "blockquote", "pre", "h1", "h2"}
    _BLOCKS |= {"h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag == "br" or tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, ``<br>`` and block ends
    as line breaks, runs of spaces collapsed."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _field(raw: str, default: str = "moodle", *, html: bool = True) -> tuple[str, str]:
    """(text, format) of a GIFT text: a leading ``[format]`` marker removed, escapes undone,
    trimmed; HTML turned into plain text when ``html`` and the format is html."""
    text = raw.strip(_WS)
    fmt = default
    if text.startswith("["):
        end = text.find("]")
        if end > 0 and text[1:end] in _MARKERS:
            fmt, text = text[1:end], text[end + 1 :]
    text = unescape(text).strip(_WS)
    if html and fmt == "html":
        text = html_to_text(text)
    return text, fmt


def _number(text: str) -> float | None:
    try:
        value = float(text.strip(_WS))
    except ValueError:
        return None
    return value if value - value == 0 else None  # not inf or nan


# -- import: questions -------------------------------------------------------------------------


@dataclass
class _Block:
    start: int  # line number of its first line
    text: str  # its lines, trimmed, joined by "\n" (comment lines left empty)
    meta: Any = None
    meta_line: int = 0
    first: int = 0  # line number of its first line that is not a comment


class _Reader(Collector):
    """Turns GIFT blocks into bank questions, collecting problems and warnings."""

    def __init__(self, warnings: list[str] | None) -> None:
        super().__init__(warnings)
        self.bank_meta: Any = None

    # blocks

    def blocks(self, text: str) -> list[_Block]:
        blocks: list[_Block] = []
        current: _Block | None = None
        for number, line in enumerate(text.split("\n"), 1):
            stripped = line.strip(_WS)
            if not stripped:
                current = None
                continue
            if current is None:
                current = _Block(number, "")
                blocks.append(current)
            else:
                current.text += "\n"
            if stripped.startswith(BANK_PREFIX):
                self.bank_meta = self.json(stripped[len(BANK_PREFIX) :], number)
            elif stripped.startswith(META_PREFIX):
                current.meta = self.json(stripped[len(META_PREFIX) :], number)
                current.meta_line = number
            elif not stripped.startswith("//"):
                current.text += stripped
                current.first = current.first or number
        return [block for block in blocks if block.text.strip(_WS)]

    def json(self, text: str, number: int) -> Any:
        try:
            return json.loads(text)
        except ValueError:
            self.warnings.append(f"line {number}: unreadable quizapp comment ignored")
            return None

    # one question

    def read(self, block: _Block) -> None:
        whole = _Span(block.text, _mask(block.text), 0)
        span = whole.strip()

        def line(offset: int) -> int:
            return block.start + block.text.count("\n", 0, offset)

        if span.raw.startswith("$CATEGORY:"):
            if "\n" in span.raw.strip(_WS):  # Moodle reads the whole block as the category
                self.warn(block.first, "text after a $CATEGORY line needs a blank line; ignored")
            return
        title = None
        if span.mask.startswith("::"):
            end = span.find("::", 2)
            if end < 0:
                self.problem(line(span.offset), "question title '::' is not closed with '::'")
                return
            title = unescape(span.raw[2:end]).strip(_WS)
            span = span.cut(end + 2)
        opening, closing = span.find("{"), span.find("}")
        if opening < 0 and closing < 0:
            self.warn(block.first, "no answer block {…} (a description); skipped")
            return
        if opening < 0 or 0 <= closing < opening:
            self.problem(line(span.offset + closing), "'}' without a matching '{'")
            return
        if closing < 0:
            self.problem(
                line(span.offset + opening),
                f"unclosed '{{' (question started at line {block.first})",
            )
            return
        nested = span.find("{", opening + 1)
        if 0 <= nested < closing:
            self.problem(
                line(span.offset + nested),
                f"'{{' inside the answer block opened at line {line(span.offset + opening)} "
                "(escape it as \\{)",
            )
            return
        after = span.cut(closing + 1)
        for char in "{}":
            extra = after.find(char)
            if extra >= 0:
                self.problem(
                    line(after.offset + extra),
                    f"unexpected '{char}' after the answer block; separate questions with a "
                    f"blank line (or escape it as \\{char})",
                )
                return
        before = span.cut(0, opening)
        gap = bool(after.raw.strip(_WS))
        prompt, qformat = _field(before.raw + (GAP + after.raw if gap else ""))
        if not prompt:
            self.problem(line(span.offset), "the question text is empty")
            return
        inner = span.cut(opening + 1, closing)
        explanation = ""
        feedback_at = inner.mask.rfind("####")
        if feedback_at >= 0:
            explanation = _field(inner.raw[feedback_at + 4 :], qformat)[0]
            inner = inner.cut(0, feedback_at)
        meta = {}
        if block.meta is not None:
            meta = metadata_fields(block.meta, f"line {block.meta_line}", self.warnings)
        context = _Question(self, block, line, title, prompt, qformat, explanation, meta)
        context.answers(inner.strip())


@dataclass
class _Question:
    reader: _Reader
    block: _Block
    line: Callable[[int], int]
    title: str | None
    prompt: str
    qformat: str
    explanation: str
    meta: dict

    def problem(self, offset: int, message: str) -> None:
        self.reader.problem(self.line(offset), message)

    def warn(self, message: str) -> None:
        self.reader.warn(self.block.first, message)

    def answers(self, inner: _Span) -> None:
        text = inner.mask
        fmt = self.meta.get("format")
        if not text:
            self.warn("essay question (empty answer block); skipped")
        elif text[0] == "#":
            self.numerical(inner.cut(1))
        elif "~" in text:
            self.multiple_choice(inner)
        elif "=" in text and "->" in text and fmt not in ("short_answer", "cloze"):
            self.warn("matching question; skipped (quizapp has no matching questions)")
        elif inner.before("#").strip().raw in _TRUE_FALSE:
            self.true_false(_TRUE_FALSE[inner.before("#").strip().raw])
        else:
            self.short_answer(inner)

    @staticmethod
    def _items(inner: _Span, separators: str) -> list[tuple[str, _Span]]:
        """(separator, item) pairs; text before the first separator is an item too."""
        cuts = [i for i, char in enumerate(inner.mask) if char in separators]
        items = []
        head = inner.cut(0, cuts[0] if cuts else None)
        if head.raw.strip(_WS):
            items.append(("", head))
        for n, at in enumerate(cuts):
            end = cuts[n + 1] if n + 1 < len(cuts) else None
            items.append((inner.mask[at], inner.cut(at + 1, end)))
        return items

    @staticmethod
    def _weight(item: _Span, default: float) -> tuple[float, _Span]:
        item = item.strip()
        match = _WEIGHT.match(item.mask)
        if not match:
            return default, item
        return float(match.group(1)), item.cut(match.end())

    def multiple_choice(self, inner: _Span) -> None:
        choices: list[tuple[str, float, int]] = []
        for separator, item in self._items(inner, "~="):
            if separator == "=":  # as in Moodle: "=" is 100%, no weight after it
                weight, body = 100.0, item.strip()
            else:
                weight, body = self._weight(item, 0.0)
            text = _field(body.before("#").raw, self.qformat)[0]
            if not text:
                self.problem(item.offset, "empty choice")
                return
            choices.append((text, weight, item.offset))
        if len(choices) < 2:
            self.problem(inner.offset, "multiple choice needs at least two choices")
            return
        right = [text for text, weight, _ in choices if abs(weight - 100) < 1e-9]
        if not right:
            if any(weight > 0 for _, weight, _ in choices):
                self.warn("multiple-answer question (no single 100% choice); skipped")
            else:
                self.problem(inner.offset, "multiple choice has no right answer (mark it with '=')")
            return
        if any(0 < weight < 100 for _, weight, _ in choices):
            self.warn("partial-credit choices count as wrong (only 100% choices are right)")
        texts = list(dict.fromkeys(text for text, _, _ in choices))
        distinct = len({t.strip().casefold() for t in texts})  # as validate_bank counts
        if len(right) > 1 or distinct < 4:
            why = (
                "more than one 100% choice"
                if len(right) > 1
                else f"only {distinct} distinct choices (quizapp needs 4)"
            )
            fmt = "cloze" if GAP in self.prompt else "short_answer"
            self.warn(f"multiple choice with {why}: imported as {fmt.replace('_', ' ')}")
            self.add(fmt, right[0], right[1:])
            return
        same = self.meta.get("answer") == right[0]
        accepted = self.meta.get("accepted_answers", []) if same else []
        self.add("multiple_choice", right[0], accepted, choices=texts)

    def short_answer(self, inner: _Span) -> None:
        right: list[str] = []
        partial = False
        for _, item in self._items(inner, "="):
            weight, body = self._weight(item, 100.0)
            text = _field(body.before("#").raw, self.qformat, html=False)[0]
            if not text:
                self.problem(item.offset, "empty answer")
                return
            if abs(weight - 100) < 1e-9:
                right.append(text)
            else:
                partial = True
        if not right:
            self.problem(inner.offset, "short answer has no fully (100%) right answer")
            return
        if partial:
            self.warn("partial-credit answers dropped (only 100% answers are accepted)")
        wanted = self.meta.get("format")
        fmt = "cloze" if GAP in self.prompt and wanted in ("cloze", None) else "short_answer"
        self.add(fmt, right[0], right[1:])

    def numerical(self, inner: _Span) -> None:
        inner = inner.before("~")  # "~" starts feedback for any wrong answer
        found: list[tuple[float, float]] = []
        dropped = False
        items = [item for _, item in self._items(inner, "=") if item.raw.strip(_WS)]
        if not items:
            self.problem(inner.offset, "numerical question has no answer")
            return
        for item in items:
            weight, body = self._weight(item, 100.0)
            text = _field(body.before("#").raw, html=False)[0]
            parsed = self._range(text, item.offset)
            if parsed is None:
                return
            if abs(weight - 100) < 1e-9:
                found.append(parsed)
            else:
                dropped = True
        if not found:
            self.problem(inner.offset, "numerical question has no fully (100%) right answer")
            return
        (value, tolerance), extra = found[0], found[1:]
        if dropped or any(tol for _, tol in extra):
            self.warn("partial-credit answers and extra ranges dropped")
        meta = self.meta
        same = "value" in meta and abs(float(meta["value"]) - value) < 1e-9
        answer = meta["answer"] if same and "answer" in meta else format_number(value)
        accepted = list(meta.get("accepted_answers", [])) if same else []
        accepted += [s for v, tol in extra if not tol and (s := format_number(v)) not in accepted]
        numeric = {
            "value": number_value(value),
            "tolerance": number_value(tolerance),
            "unit": meta.get("unit"),
        }
        self.add("numeric", answer, accepted, numeric=numeric)

    def _range(self, text: str, offset: int) -> tuple[float, float] | None:
        if text.find("..") > 0:
            low_text, high_text = text.split("..", 1)
            low, high = _number(low_text), _number(high_text)
            bad = low_text if low is None else high_text if high is None else None
            if bad is None and high < low:
                self.problem(offset, f"numerical range {text!r} ends below its start")
                return None
            if bad is None:
                return (low + high) / 2, (high - low) / 2
        elif text.find(":") > 0:
            value_text, tol_text = text.split(":", 1)
            value, tolerance = _number(value_text), _number(tol_text)
            bad = value_text if value is None else tol_text if tolerance is None else None
            if bad is None and tolerance < 0:
                self.problem(offset, f"numerical tolerance {tol_text.strip()!r} is negative")
                return None
            if bad is None:
                return value, tolerance
        else:
            value, bad = _number(text), text
            if value is not None:
                return value, 0.0
        self.problem(offset, f"numerical answer {bad.strip(_WS)!r} is not a number")
        return None

    def true_false(self, value: bool) -> None:
        answer = "True" if value else "False"
        self.warn(
            f"true/false question imported as a short answer {answer!r} "
            "(quizapp's multiple choice needs four choices)"
        )
        self.prompt = f"{self.prompt} (True or false?)"
        self.add("short_answer", answer, [answer[0]])

    def add(
        self,
        fmt: str,
        answer: str,
        accepted: list[str],
        *,
        choices: list[str] | None = None,
        numeric: dict | None = None,
    ) -> None:
        meta = self.meta
        question = {
            "id": "",
            "category": meta.get("category") or guess_category(self.prompt, answer, fmt),
            "format": fmt,
            "prompt": self.prompt,
            "answer": answer,
            "accepted_answers": list(accepted),
            "choices": choices,
            "numeric": numeric,
            "explanation": self.explanation,
            "source_sentence": meta.get("source_sentence", ""),
            "source_span": meta.get("source_span", [0, 0]),
            "score": meta.get("score", IMPORTED_SCORE),
        }
        if "updated_at" in meta:
            question["updated_at"] = meta["updated_at"]
        self.reader.add(question, self.block.first, self.title)


def parse_gift(text: str, *, title: str, warnings: list[str] | None = None) -> dict:
    """A valid bank titled ``title`` from GIFT ``text``.

    Questions skipped or converted are reported in ``warnings`` (appended to, when given).
    Raises :class:`InterchangeError` listing syntax problems as ``line N: …`` (up to
    ``MAX_PROBLEMS`` quoted), for an empty or binary text, and when no question is left.
    """
    text = check_text(text, "GIFT")
    reader = _Reader(warnings)
    for block in reader.blocks(text):
        reader.read(block)
        if len(reader.problems) > 5 * MAX_PROBLEMS:
            break
    header = reader.bank_meta if isinstance(reader.bank_meta, dict) else {}
    return reader.bank(
        title, "GIFT", source=header.get("source"), generator=header.get("generator")
    )
