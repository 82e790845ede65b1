"""Writing a bank as GIFT: :func:`dumps_gift` (the layout is described in the package
docstring, :mod:`quizapp.interchange.gift`)."""

from __future__ import annotations

import json
from typing import Any

from ..common import format_number
from .syntax import BANK_PREFIX, MARKER, META_PREFIX, WS, escape


def _text(text: str) -> str:
    """An escaped answer or feedback text; one that starts like a format marker gets
    ``[plain]`` first so that Moodle (and we) keep the marker-like start as text."""
    escaped = escape(text)
    return "[plain]" + escaped if MARKER.match(escaped) else escaped


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
        for choice in (c for c in question["choices"] if c.strip(WS)):
            if choice == question["answer"]:
                lines.append("\t=" + _text(choice))
            else:  # a choice that starts like "%50%" must not read as a weight
                lines.append("\t~" + ("%0%" if choice.startswith("%") else "") + _text(choice))
    else:
        lines.append(head + "{")
        answers = [question["answer"], *question["accepted_answers"]]
        for answer in (a for a in answers if a.strip(WS)):
            lines.append("\t=" + ("%100%" if answer.startswith("%") else "") + _text(answer))
    if question["explanation"].strip(WS):
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
