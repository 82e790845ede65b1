"""Markdown to plain text: block markers and inline markup removed, the first heading as title."""

from __future__ import annotations

import re

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


def from_markdown(text: str) -> tuple[str, dict[str, str | None]]:
    meta: dict[str, str | None] = {}
    lines = text.split("\n")
    out: list[str] = []
    fence = ""
    for line in lines:
        stripped = line.strip()
        if fence:
            fence = "" if stripped.startswith(fence) else fence
            out.append(line.rstrip() if fence else "")
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            out.append("")
        elif _MD_SKIP_LINE.fullmatch(stripped):
            out.append("")  # reference definition, comment, rule or setext underline
        elif re.fullmatch(r"=+", stripped) and out and out[-1]:
            meta.setdefault("title", out[-1])  # setext level-1 heading
        else:
            block = _MD_BLOCK.match(stripped)
            heading, stripped = block[1], stripped[block.end() :]
            closed = stripped.rstrip("#")  # optional closing sequence of an ATX heading
            if heading and (not closed or closed[-1].isspace()):
                stripped = closed
            stripped = _md_inline(stripped)
            if heading == "#" and stripped:
                meta.setdefault("title", stripped)
            out.append(stripped)
    return "\n".join(out).strip("\n"), meta
