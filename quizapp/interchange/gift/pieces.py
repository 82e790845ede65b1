"""The pieces the GIFT reader cuts a text into: blocks of lines, spans of a block (raw text
and its escape mask), and fields (a text with its ``[format]`` marker, escapes and HTML
resolved)."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from .syntax import MARKERS, WS, unescape


@dataclass
class Block:
    """Lines of a GIFT text between blank lines: a question, a ``$CATEGORY`` or comments."""

    start: int  # line number of its first line
    text: str  # its lines, trimmed, joined by "\n" (comment lines left empty)
    meta: Any = None
    meta_line: int = 0
    first: int = 0  # line number of its first line that is not a comment


@dataclass(frozen=True)
class Span:
    """A piece of a question block: its raw text, its mask and where it starts."""

    raw: str
    mask: str
    offset: int

    def cut(self, start: int, end: int | None = None) -> Span:
        end = len(self.raw) if end is None else end
        return Span(self.raw[start:end], self.mask[start:end], self.offset + start)

    def strip(self) -> Span:
        lead = len(self.raw) - len(self.raw.lstrip(WS))
        return self.cut(lead, max(lead, len(self.raw.rstrip(WS))))

    def find(self, needle: str, start: int = 0) -> int:
        return self.mask.find(needle, start)

    def before(self, needle: str) -> Span:
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


def parse_field(raw: str, default: str = "moodle", *, html: bool = True) -> tuple[str, str]:
    """(text, format) of a GIFT text: a leading ``[format]`` marker removed, escapes undone,
    trimmed; HTML turned into plain text when ``html`` and the format is html."""
    text = raw.strip(WS)
    fmt = default
    if text.startswith("["):
        end = text.find("]")
        if end > 0 and text[1:end] in MARKERS:
            fmt, text = text[1:end], text[end + 1 :]
    text = unescape(text).strip(WS)
    if html and fmt == "html":
        text = html_to_text(text)
    return text, fmt
