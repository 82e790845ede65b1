"""Read an article from anything a teacher has into plain text plus metadata.

Inputs: a ``.txt``, ``.md`` or ``.html``/``.htm`` file, a ``.json`` record with a ``text`` key
(the ``shared/corpus/wikinews`` format), or standard input (``-``).  Input that cannot be read as
an article raises :class:`ArticleError`, whose message is one line naming the input and the reason.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, BinaryIO

MAX_BYTES = 2_000_000  # size cap for one article
KINDS = ("txt", "md", "html", "json")
STDIN_NAME = "<stdin>"

_EXTENSIONS = dict(
    [(".txt", "txt"), (".text", "txt"), (".md", "md"), (".markdown", "md"), (".html", "html")]
    + [(".htm", "html"), (".xhtml", "html"), (".json", "json")]
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\x0c\r") + b"\x7f"
# Attribution lines of pull quotes ("—Łukasz Szumowski on …"). A plain hyphen is not one: in a
# .txt file "- item" is a list item and keeps its text.
_CAPTION_DASHES = ("\u2014", "\u2013", "\u2015")  # em dash, en dash, horizontal bar
_OS_ERRORS = {
    FileNotFoundError: "file not found",
    IsADirectoryError: "a directory, not a file",
    PermissionError: "permission denied (cannot read the file)",
}
_URL = re.compile(r"https?://\S+", re.IGNORECASE)


class ArticleError(ValueError):
    """Input that cannot be read as an article; str() is one clear line naming the input and the
    reason.  Attributes: ``name`` (the file name or ``"<stdin>"``) and ``reason``."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        line = re.sub(r"[\x00-\x1f\x7f\x85\u2028\u2029]", lambda m: ascii(m[0])[1:-1], name)
        super().__init__(f"{line}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.name, self.reason))


@dataclass(frozen=True)
class Article:
    """An article as read: its text, where body paragraphs are in it, and metadata."""

    text: str  # the article text as read (.html/.md: the extracted plain text); offsets refer here
    name: str  # file name as given, or "<stdin>"
    title: str | None
    published: str | None  # ISO date "YYYY-MM-DD"
    url: str | None
    licence: str | None
    paragraphs: tuple[tuple[int, int], ...]  # (start, end) offsets of the body paragraphs in text

    @property
    def sha256(self) -> str:
        """Hex SHA-256 digest of the text as read, UTF-8 encoded."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


# --- datelines -------------------------------------------------------------------------------

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


def _iso_date(value: object) -> str | None:
    """An ISO date from a metadata value ("2019-01-12", "2019-01-12T10:00:00Z", "May 3, 2020")."""
    if not isinstance(value, str):
        return None
    match = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value)
    return find_dateline(match[1] if match else value)


def _is_hashtags(line: str) -> bool:
    words = line.split()
    return bool(words) and all(re.fullmatch(r"#\w[\w-]*[.,;:!?\u2026]*", w) for w in words)


def _segment(text: str) -> tuple[tuple[tuple[int, int], ...], str | None]:
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


# --- bytes to text ---------------------------------------------------------------------------


def _too_large(name: str, size: int | None) -> ArticleError:
    told = f"{size:,} bytes" if size else f"more than {MAX_BYTES:,} bytes"
    return ArticleError(name, f"file too large ({told}; the limit is {MAX_BYTES:,} bytes)")


def _decode(data: bytes, name: str) -> str:
    """UTF-8 bytes to text with newlines normalised to "\\n"; ArticleError for anything else."""
    if not data:
        raise ArticleError(name, "empty file, no text")
    if len(data) > MAX_BYTES:
        raise _too_large(name, len(data))
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):  # byte-order marks
        raise ArticleError(name, "UTF-16/UTF-32 text, not UTF-8 (save it as UTF-8)")
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    data = data[bom:]
    if b"\x00" in data:
        sample = data[:4096]
        if max(sample[0::2].count(0), sample[1::2].count(0)) * 3 > len(sample):
            raise ArticleError(name, "looks like UTF-16 text, not UTF-8 (save it as UTF-8)")
        raise ArticleError(name, "binary data, not text (contains NUL bytes)")
    if (len(data) - len(data.translate(None, _CONTROL_BYTES))) * 10 > len(data):
        raise ArticleError(name, "binary data, not text (many control characters)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            data.decode("cp1252")
            guess = "probably Latin-1/Windows-1252"
        except UnicodeDecodeError:
            guess = "another encoding"
        byte, offset = data[exc.start], exc.start + bom
        reason = f"not UTF-8 text (invalid byte 0x{byte:02x} at offset {offset}; {guess}"
        raise ArticleError(name, reason + " - save it as UTF-8)") from None
    if not text.strip():
        raise ArticleError(name, "only whitespace, no text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- formats ---------------------------------------------------------------------------------


def _clean(value: object) -> str | None:
    """A metadata string stripped and made encodable, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    return " ".join(value.split()).encode("utf-8", "replace").decode("utf-8")


def _first_url(*values: object) -> str | None:
    """The first value that is an http(s) URL."""
    return next((u for u in map(_clean, values) if u and _URL.fullmatch(u)), None)


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "true/false"}
    return "null" if value is None else names.get(type(value), "a number")


def _from_json(text: str, name: str) -> tuple[str, dict[str, str | None]]:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleError(
            name, f"invalid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except ValueError:  # int() refusing a huge number
        raise ArticleError(name, "invalid JSON (a number is too long)") from None
    except RecursionError:
        raise ArticleError(name, "invalid JSON (nested too deeply)") from None
    if not isinstance(record, dict):
        raise ArticleError(name, f'JSON is {_json_type(record)}, not an object with a "text" key')
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        what = "empty" if isinstance(body, str) else _json_type(body) if "text" in record else ""
        reason = f'"text" is {what}' if what else 'no "text" key'
        raise ArticleError(name, f'JSON record needs a non-empty string "text" ({reason})')
    try:
        body.encode("utf-8")
    except UnicodeEncodeError:
        raise ArticleError(name, 'JSON "text" is not valid Unicode (lone surrogate)') from None
    meta = {key: _clean(record.get(key)) for key in ("title", "licence", "license")}
    meta["licence"] = meta["licence"] or meta.pop("license")
    meta["published"] = _iso_date(record.get("published"))
    meta["url"] = _first_url(record.get("source"), record.get("url"))
    return body.replace("\r\n", "\n").replace("\r", "\n"), meta


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


def _from_markdown(text: str) -> tuple[str, dict[str, str | None]]:
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


_SKIP = frozenset("script style noscript template nav footer svg iframe canvas".split())
_BLOCKS = frozenset(
    "address article aside blockquote body br caption dd details div dl dt figcaption figure form"
    " h1 h2 h3 h4 h5 h6 header hr li main ol p pre section summary table td th tr ul".split()
)
_DATE_META = (
    "article:published_time datepublished date dc.date dc.date.issued dcterms.date pubdate"
    " publish-date og:published_time <time>".split()
)


class _HTMLText(HTMLParser):
    """Collects block-separated text, the title, the first <h1> and date/URL metadata."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.buffer: list[str] = []
        self.skip = 0
        self.title: list[str] | None = None
        self.h1: list[str] | None = None
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP or self.skip:
            self.skip += tag in _SKIP
            return
        if self.title is not None and tag in _BLOCKS:  # an unclosed <title>
            self.handle_endtag("title")
        attr = {key.lower(): value or "" for key, value in attrs}
        if tag == "meta" and attr.get("content"):
            key = attr.get("property") or attr.get("name") or attr.get("itemprop") or ""
            self.meta.setdefault(key.lower(), attr["content"])
        elif tag == "link" and "canonical" in attr.get("rel", "").lower().split():
            self.meta.setdefault("<canonical>", attr.get("href", ""))
        elif tag == "time" and attr.get("datetime"):
            self.meta.setdefault("<time>", attr["datetime"])
        elif tag == "title" and "<title>" not in self.meta:
            self.title = []
        elif tag == "h1" and "<h1>" not in self.meta:
            self.h1 = []
        if tag in _BLOCKS:
            self._flush(paragraph=tag != "br")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP or self.skip:
            self.skip -= self.skip > 0 and tag in _SKIP
            return
        if tag == "title" and self.title is not None:
            self.meta.setdefault("<title>", "".join(self.title))
            self.title = None
        elif tag == "h1" and self.h1 is not None:
            self.meta.setdefault("<h1>", "".join(self.h1))
            self.h1 = None
        if tag in _BLOCKS and tag != "br":
            self._flush(paragraph=True)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.title is not None:
            self.title.append(data)
            return
        self.buffer.append(data)
        if self.h1 is not None:
            self.h1.append(data)

    def _flush(self, paragraph: bool) -> None:
        line = " ".join("".join(self.buffer).split())
        self.buffer = []
        if line:
            self.lines.append(line)
        if paragraph and self.lines and self.lines[-1]:
            self.lines.append("")


def _defuse(html: str) -> str:
    """Drop comments and escape each "<" that no ">" closes before the next "<".

    html.parser rescans an unterminated tag or comment to the end of the input at every "<",
    which takes hours on a crafted 2 MB upload; after this it runs in linear time.
    """
    parts, pos = [], 0
    while (start := html.find("<!--", pos)) >= 0:
        parts.append(html[pos:start])
        end = html.find("-->", start + 4)
        pos = len(html) if end < 0 else end + 3
    parts.append(html[pos:])
    return re.sub(r"<(?=[^<>]*(?:<|\Z))", "&lt;", "".join(parts))


def _from_html(text: str, name: str) -> tuple[str, dict[str, str | None]]:
    parser = _HTMLText()
    try:
        parser.feed(_defuse(text))
        parser.close()
        parser._flush(paragraph=True)
    except Exception as exc:  # html.parser is lenient; this is a last resort for odd input
        raise ArticleError(name, f"cannot parse HTML ({exc})") from None
    found = parser.meta
    titles = [_clean(found.get(key)) for key in ("<h1>", "og:title", "<title>")]
    meta = {
        "title": next(filter(None, titles), None),
        "published": next(filter(None, (_iso_date(found.get(k)) for k in _DATE_META)), None),
        "url": _first_url(found.get("<canonical>"), found.get("og:url")),
        "licence": _clean(found.get("license") or found.get("dcterms.license")),
    }
    return "\n".join(parser.lines).strip("\n"), meta


# --- entry points ----------------------------------------------------------------------------


def parse_article(data: bytes, name: str, kind: str | None = None) -> Article:
    """Read an article from bytes (a file's content or an upload).

    ``kind`` is one of ``"txt"``, ``"md"``, ``"html"``, ``"json"``, or None to guess it from the
    extension of ``name`` (unknown extensions are read as plain text).  Raises ArticleError for
    input that is not a readable article; ValueError for an unknown ``kind``.
    """
    kind = kind or _EXTENSIONS.get(os.path.splitext(name)[1].lower(), "txt")
    if kind not in KINDS:
        raise ValueError(f"unknown article kind {kind!r}; expected one of {KINDS}")
    text = _decode(bytes(data), name)
    meta: dict[str, str | None] = {}
    if kind == "json":
        text, meta = _from_json(text, name)
    elif kind == "md":
        text, meta = _from_markdown(text)
    elif kind == "html":
        text, meta = _from_html(text, name)
    if not text.strip():
        what = {"md": "Markdown", "html": "HTML"}[kind]
        raise ArticleError(name, f"no text left after removing the {what} markup")
    paragraphs, dateline = _segment(text)
    if not paragraphs:
        raise ArticleError(name, "no article text (only datelines, hashtags or captions)")
    published = meta.get("published") or dateline
    return Article(
        text, name, meta.get("title"), published, meta.get("url"), meta.get("licence"), paragraphs
    )


def read_article(source: str | os.PathLike[str], *, stdin: BinaryIO | None = None) -> Article:
    """Read an article from a file path, or from standard input when ``source`` is ``"-"``.

    ``stdin`` defaults to ``sys.stdin.buffer``.  The format follows the file extension
    (``.txt``, ``.md``, ``.html``/``.htm``, ``.json``; anything else is plain text; stdin is plain
    text).  Raises ArticleError for a missing or unreadable file or bad content.
    """
    name = os.fsdecode(source)
    if name == "-":
        stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise ArticleError(STDIN_NAME, "no standard input to read")
        try:
            data = stream.read(MAX_BYTES + 1)
        except (OSError, ValueError) as exc:
            raise ArticleError(STDIN_NAME, f"cannot read standard input ({exc})") from None
        if isinstance(data, str):  # a text stream was passed; get its bytes back
            data = data.encode("utf-8", "surrogateescape")
        if len(data) > MAX_BYTES:
            raise _too_large(STDIN_NAME, None)
        return parse_article(data, STDIN_NAME, "txt")
    try:
        with open(name, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise _too_large(name, os.fstat(handle.fileno()).st_size)
    except OSError as exc:
        reason = _OS_ERRORS.get(type(exc), f"cannot read file ({exc.strerror or exc})")
        raise ArticleError(name, reason) from None
    return parse_article(data, name)
