"""One GIFT question's answer block turned into a bank question: multiple choice, short
answer or cloze, numerical, true/false (converted) — or skipped with a warning (essay,
matching, multiple-answer)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..common import IMPORTED_SCORE, Collector, format_number, guess_category, number_value
from .pieces import Block, Span, parse_field
from .syntax import GAP, WS

_WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def _number(text: str) -> float | None:
    try:
        value = float(text.strip(WS))
    except ValueError:
        return None
    return value if value - value == 0 else None  # not inf or nan


@dataclass
class QuestionReader:
    """One question being read (its title, text and general feedback already cut out):
    :meth:`answers` reads its answer block and adds the question to ``reader``, or records a
    problem or a warning there."""

    reader: Collector
    block: Block
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

    def answers(self, inner: Span) -> None:
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
    def _items(inner: Span, separators: str) -> list[tuple[str, Span]]:
        """(separator, item) pairs; text before the first separator is an item too."""
        cuts = [i for i, char in enumerate(inner.mask) if char in separators]
        items = []
        head = inner.cut(0, cuts[0] if cuts else None)
        if head.raw.strip(WS):
            items.append(("", head))
        for n, at in enumerate(cuts):
            end = cuts[n + 1] if n + 1 < len(cuts) else None
            items.append((inner.mask[at], inner.cut(at + 1, end)))
        return items

    @staticmethod
    def _weight(item: Span, default: float) -> tuple[float, Span]:
        item = item.strip()
        match = _WEIGHT.match(item.mask)
        if not match:
            return default, item
        return float(match.group(1)), item.cut(match.end())

    def multiple_choice(self, inner: Span) -> None:
        choices: list[tuple[str, float, int]] = []
        for separator, item in self._items(inner, "~="):
            if separator == "=":  # as in Moodle: "=" is 100%, no weight after it
                weight, body = 100.0, item.strip()
            else:
                weight, body = self._weight(item, 0.0)
            text = parse_field(body.before("#").raw, self.qformat)[0]
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

    def short_answer(self, inner: Span) -> None:
        right: list[str] = []
        partial = False
        for _, item in self._items(inner, "="):
            weight, body = self._weight(item, 100.0)
            text = parse_field(body.before("#").raw, self.qformat, html=False)[0]
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

    def numerical(self, inner: Span) -> None:
        inner = inner.before("~")  # "~" starts feedback for any wrong answer
        found: list[tuple[float, float]] = []
        dropped = False
        items = [item for _, item in self._items(inner, "=") if item.raw.strip(WS)]
        if not items:
            self.problem(inner.offset, "numerical question has no answer")
            return
        for item in items:
            weight, body = self._weight(item, 100.0)
            text = parse_field(body.before("#").raw, html=False)[0]
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
        self.problem(offset, f"numerical answer {bad.strip(WS)!r} is not a number")
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
