"""GIFT's lexical rules, shared by the writer and the reader: the quizapp comment prefixes,
the cloze gap, the whitespace Moodle trims, the format markers and backslash escapes."""

from __future__ import annotations

import re

from quizapp.vocabulary import CLOZE_GAP

META_PREFIX = "// quizapp:"
BANK_PREFIX = "// quizapp-bank:"
GAP = CLOZE_GAP
WS = " \t\n\r\x0b"  # what PHP's trim() strips (Moodle trims lines and texts)
ESCAPABLE = "\\~=#{}:n"
MARKERS = ("html", "moodle", "plain", "markdown")
MARKER = re.compile(r"\[(?:html|moodle|plain|markdown)\]")


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


def unescape(raw: str) -> str:
    """Undo GIFT escapes: ``\\\\ \\~ \\= \\# \\{ \\} \\:`` and ``\\n`` (a line break); any
    other backslash stays, as in Moodle."""
    out = []
    i = 0
    while i < len(raw):
        if raw[i] == "\\" and i + 1 < len(raw) and raw[i + 1] in ESCAPABLE:
            out.append("\n" if raw[i + 1] == "n" else raw[i + 1])
            i += 2
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


def mask(raw: str) -> str:
    """``raw`` with every escape pair replaced by two NULs (same length), so searching the mask
    for ``{``, ``~``, ``=`` … finds only unescaped ones. Input never holds NULs (refused)."""
    out = list(raw)
    i = 0
    while i < len(raw) - 1:
        if raw[i] == "\\" and raw[i + 1] in ESCAPABLE:
            out[i] = out[i + 1] = "\0"
            i += 2
        else:
            i += 1
    return "".join(out)
