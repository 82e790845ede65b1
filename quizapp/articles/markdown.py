"""Markdown to plain text: block markers and inline markup removed, the first heading as title."""

from __future__ import annotations

import re

from .datelines import find_dateline
from .metadata import iso_date

# Every pattern stops at the next delimiter it cannot contain, so a line is scanned in linear time.
_MD_INLINE = [
    (re.compile(r"(?<!`)(`+)([^`]+)\1(?!`)"), r"\2"),  # inline code
    (re.compile(r"!\[[^\[\]]*\](?:\([^()\[\]]*\)|\[[^\[\]]*\])"), ""),  # images
    (re.compile(r"\[([^\[\]]+)\](?:\([^()\[\]]*\)|\[[^\[\]]*\])"), r"\1"),  # links
    (re.compile(r"<((?:https?|mailto):[^<>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"(?<![\w*])\*(?=[^\s*])([^*]+?)(?<=[^\s*])\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"(?<![\w_])_(?=[^\s_])([^_]+?)(?<=[^\s_])_(?![\w_])"), r"\1"),
    (re.compile(r"(\*\*|__)(?=[^\s*_])([^*_]+?)(?<=[^\s*_])\1"), r"\2"),  # strong
    (re.compile(r"~~(?=[^\s~])([^~]+?)(?<=[^\s~])~~"), r"\1"),  # strikethrough
]
_MD_MARKS = re.compile(r"[\\`*_\[<~]")
_ESCAPED = 0xF0000  # escaped punctuation is parked in a private-use plane while rules run


def _md_inline(line: str) -> str:
    if not _MD_MARKS.search(line):
        return line.strip()
    line = re.sub(r"\\([!-/:-@\[-`{-~])", lambda m: chr(_ESCAPED + ord(m[1])), line)
    for pattern, replacement in _MD_INLINE:
        line = pattern.sub(replacement, line)
    return re.sub("[\U000f0021-\U000f007e]", lambda m: chr(ord(m[0]) - _ESCAPED), line).strip()


_MD_SKIP_LINE = re.compile(r"\[[^\]]+\]:\s*\S.*|<!--.*-->|(?:[-*_]\s*){3,}")
_MD_BLOCK = re.compile(
    r"(?:>\s?)*(?:(#{1,6})(?:\s+|$))?(?:(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?)?"
)


_FRONT_KEY = re.compile(r"(title|date|published)\s*:\s*(.*)", re.IGNORECASE)


def _front_matter(lines: list[str]) -> tuple[int, dict[str, str]]:
    """The number of lines a leading YAML front matter block takes, and its title and date."""
    if not lines or lines[0].strip() != "---":
        return 0, {}
    for end, line in enumerate(lines[1:40], 1):
        if line.strip() in ("---", "..."):
            found: dict[str, str] = {}
            for entry in lines[1:end]:
                match = _FRONT_KEY.fullmatch(entry.strip())
                if match and match[2].strip().strip("\"'"):
                    key = "title" if match[1].lower() == "title" else "published"
                    found.setdefault(key, match[2].strip().strip("\"'"))
            return end + 1, found
    return 0, {}


def from_markdown(text: str) -> tuple[str, dict[str, str | None]]:
    """Markdown to plain text, one line per source line.  The title is the front matter's
    ``title``, else the first level-1 or level-2 heading (ATX or setext) that comes before any
    body text; a heading after the body has begun is a line of the text."""
    lines = text.split("\n")
    skip, front = _front_matter(lines)
    meta: dict[str, str | None] = {
        "title": front.get("title"),
        "published": iso_date(front.get("published")),
    }
    out: list[str] = [""] * skip
    fence = ""
    body_seen = False  # a line of body text (not a heading or dateline) has been written
    for line in lines[skip:]:
        stripped = line.strip()
        if fence:
            fence = "" if stripped.startswith(fence) else fence
            out.append(line.rstrip() if fence else "")
            body_seen = True
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            out.append("")
        elif re.fullmatch(r"=+|-+", stripped) and out and out[-1]:
            # setext underline: the line above is a heading (level 1 with "=", 2 with "-")
            if not meta["title"] and _first_content(out) == len(out) - 1:
                meta["title"] = out[-1]
            out.append("")
        elif _MD_SKIP_LINE.fullmatch(stripped):
            out.append("")  # reference definition, comment or rule
        else:
            block = _MD_BLOCK.match(stripped)
            heading, stripped = block[1], stripped[block.end() :]
            closed = stripped.rstrip("#")  # optional closing sequence of an ATX heading
            if heading and (not closed or closed[-1].isspace()):
                stripped = closed
            stripped = _md_inline(stripped)
            if heading in ("#", "##") and stripped and not body_seen and not meta["title"]:
                meta["title"] = stripped
            elif stripped and not heading and not find_dateline(stripped):
                body_seen = True
            out.append(stripped)
    return "\n".join(out).strip("\n"), meta


def _first_content(out: list[str]) -> int:
    """Index of the first line of ``out`` that is neither empty nor a dateline."""
    return next((i for i, line in enumerate(out) if line and not find_dateline(line)), -1)
