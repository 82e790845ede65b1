"""Reading an article: from a path or standard input, bytes decoded, then by format to text."""

from __future__ import annotations

import os
import sys
from typing import BinaryIO

from .datelines import segment
from .headlines import take_headline
from .html import from_html
from .json_record import from_json
from .markdown import from_markdown
from .model import Article, ArticleError

MAX_BYTES = 2_000_000  # size cap for one article
KINDS = ("txt", "md", "html", "json")
STDIN_NAME = "<stdin>"

_EXTENSIONS = dict(
    [(".txt", "txt"), (".text", "txt"), (".md", "md"), (".markdown", "md"), (".html", "html")]
    + [(".htm", "html"), (".xhtml", "html"), (".json", "json")]
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\x0c\r") + b"\x7f"
_OS_ERRORS = {
    FileNotFoundError: "file not found",
    IsADirectoryError: "a directory, not a file",
    PermissionError: "permission denied (cannot read the file)",
}


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
        text, meta = from_json(text, name)
    elif kind == "md":
        text, meta = from_markdown(text)
    elif kind == "html":
        text, meta = from_html(text, name)
    if not text.strip():
        what = {"md": "Markdown", "html": "HTML"}[kind]
        raise ArticleError(name, f"no text left after removing the {what} markup")
    paragraphs, dateline = segment(text)
    if not paragraphs:
        raise ArticleError(name, "no article text (only datelines, hashtags or captions)")
    # The headline is the title, not a paragraph: a question about it would be trivial.
    paragraphs, title, headline_date = take_headline(text, paragraphs, meta.get("title"))
    published = meta.get("published") or headline_date or dateline
    return Article(text, name, title, published, meta.get("url"), meta.get("licence"), paragraphs)


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
