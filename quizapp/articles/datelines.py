"""Datelines, hashtag lines and captions: finding the body paragraphs of an article's text."""

from __future__ import annotations

import datetime as _dt
import re

# Attribution lines of pull quotes ("—Łukasz Szumowski on …"). A plain hyphen is not one: in a
# .txt file "- item" is a list item and keeps its text.
_CAPTION_DASHES = ("\u2014", "\u2013", "\u2015")  # em dash, en dash, horizontal bar

_MONTHS = "january february march april may june july august september october november december"
_MONTH_NUMBER = {m: i for i, m in enumerate(_MONTHS.split(), 1)}
_MONTH_NUMBER |= {m[:3]: i for m, i in _MONTH_NUMBER.items()} | {"sept": 9}
_MON = "(?P<mon>" + "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True)) + r")\.?"
_PREFIX = r"(?:(?:published|posted)(?:\s+on)?:?\s+)?"
_WDAY = _PREFIX + r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_ZONE = r"(?:\s*(?:z|utc|gmt|[a-z]{3,4}|[+-]\d{2}(?::?\d{2})?))?"
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?" + _ZONE + ")?"
_DATELINES = [
    re.compile(
        _PREFIX + r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
        r"(?:(?:t|\s+)\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?" + _ZONE + ")?",
        re.IGNORECASE,
    ),
    re.compile(_WDAY + _MON + r"\s+" + _DAY + r",?\s+(?P<y>\d{4})" + _TIME, re.IGNORECASE),
    re.compile(
        _WDAY + _DAY + r"\s+(?:of\s+)?" + _MON + r",?\s+(?P<y>\d{4})" + _TIME, re.IGNORECASE
    ),
]


def find_dateline(line: str) -> str | None:
    """Return the ISO date ("YYYY-MM-DD") if ``line`` is only a dateline or timestamp, else None.

    Recognised: ``2023-09-21``, ``2023-09-21 20:19:11``, ``2023-09-21T20:19:11Z``,
    ``Monday, January 14, 2019``, ``January 14, 2019``, ``14 January 2019`` (optionally with a
    weekday, a time of day, a "Published:" prefix and surrounding whitespace such as a
    non-breaking space).
    """
    text = line.strip()
    for pattern in _DATELINES:
        match = pattern.fullmatch(text)
        if match:
            parts = match.groupdict()
            month = int(parts["m"]) if parts.get("m") else _MONTH_NUMBER[parts["mon"].lower()]
            try:
                return _dt.date(int(parts["y"]), month, int(parts["d"])).isoformat()
            except ValueError:
                return None
    return None


def _is_hashtags(line: str) -> bool:
    words = line.split()
    return bool(words) and all(re.fullmatch(r"#\w[\w-]*[.,;:!?\u2026]*", w) for w in words)


def segment(text: str) -> tuple[tuple[tuple[int, int], ...], str | None]:
    """Body paragraph spans of ``text`` and the date of a leading or trailing dateline."""
    lines: list[tuple[int, int]] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + len(raw) - len(raw.lstrip())
            lines.append((start, start + len(stripped)))
        pos += len(raw) + 1
    lo, hi, leading, trailing = 0, len(lines), None, None
    while lo < hi and (date := find_dateline(text[slice(*lines[lo])])):
        leading, lo = leading or date, lo + 1
    while hi > lo:
        line = text[slice(*lines[hi - 1])]
        date = find_dateline(line)
        if not date and not _is_hashtags(line):
            break
        trailing, hi = trailing or date, hi - 1
    body = tuple(
        (s, e)
        for s, e in lines[lo:hi]
        if not _is_hashtags(text[s:e]) and not text.startswith(_CAPTION_DASHES, s)
    )
    return body, leading or trailing
