"""Reading GIFT: :func:`parse_gift` splits the text into blocks, checks each block's syntax
(title, answer block, text after it) and hands the answer block to
:class:`~quizapp.interchange.gift.answers.QuestionReader`."""

from __future__ import annotations

import json
from typing import Any

from ..common import MAX_PROBLEMS, Collector, check_text, metadata_fields
from .answers import QuestionReader
from .pieces import Block, Span, parse_field
from .syntax import BANK_PREFIX, GAP, META_PREFIX, WS, mask, unescape


class _Reader(Collector):
    """Turns GIFT blocks into bank questions, collecting problems and warnings."""

    def __init__(self, warnings: list[str] | None) -> None:
        super().__init__(warnings)
        self.bank_meta: Any = None

    # blocks

    def blocks(self, text: str) -> list[Block]:
        blocks: list[Block] = []
        current: Block | None = None
        for number, line in enumerate(text.split("\n"), 1):
            stripped = line.strip(WS)
            if not stripped:
                current = None
                continue
            if current is None:
                current = Block(number, "")
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
        return [block for block in blocks if block.text.strip(WS)]

    def json(self, text: str, number: int) -> Any:
        try:
            return json.loads(text)
        except ValueError:
            self.warnings.append(f"line {number}: unreadable quizapp comment ignored")
            return None

    # one question

    def read(self, block: Block) -> None:
        whole = Span(block.text, mask(block.text), 0)
        span = whole.strip()

        def line(offset: int) -> int:
            return block.start + block.text.count("\n", 0, offset)

        if span.raw.startswith("$CATEGORY:"):
            if "\n" in span.raw.strip(WS):  # Moodle reads the whole block as the category
                self.warn(block.first, "text after a $CATEGORY line needs a blank line; ignored")
            return
        title = None
        if span.mask.startswith("::"):
            end = span.find("::", 2)
            if end < 0:
                self.problem(line(span.offset), "question title '::' is not closed with '::'")
                return
            title = unescape(span.raw[2:end]).strip(WS)
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
        gap = bool(after.raw.strip(WS))
        prompt, qformat = parse_field(before.raw + (GAP + after.raw if gap else ""))
        if not prompt:
            self.problem(line(span.offset), "the question text is empty")
            return
        inner = span.cut(opening + 1, closing)
        explanation = ""
        feedback_at = inner.mask.rfind("####")
        if feedback_at >= 0:
            explanation = parse_field(inner.raw[feedback_at + 4 :], qformat)[0]
            inner = inner.cut(0, feedback_at)
        meta = {}
        if block.meta is not None:
            meta = metadata_fields(block.meta, f"line {block.meta_line}", self.warnings)
        context = QuestionReader(self, block, line, title, prompt, qformat, explanation, meta)
        context.answers(inner.strip())


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
