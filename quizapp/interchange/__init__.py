"""Question-bank interchange: Moodle GIFT, Moodle XML and CSV (plus quizapp's own JSON and,
for export, Anki decks).

Pure: the standard library, genanki (through quizapp.anki) and quizapp's pure modules only (no
Flask, no models, no database).
:data:`FILE_FORMATS` is the one table of the file formats (name, extension, media type, reader,
writer) that the command line, the web views and the exchange service read. Export takes a bank
dict (contracts §2) and returns bytes; import takes text and returns a bank dict that passes
:func:`quizapp.banks.validate_bank`, or raises :class:`InterchangeError` whose message lists the
problems with their line numbers. Importers also report what they had to skip or change (a
matching question, a true/false question turned into a short answer) by appending to an
optional ``warnings`` list.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from quizapp import anki
from quizapp.banks import BankError, dumps_bank, loads_bank
from quizapp.banks import validate_bank as _validate_bank

from .common import (
    ID_PATTERN,
    IMPORTED_SCORE,
    MAX_PROBLEMS,
    Collector,
    InterchangeError,
    check_text,
    decode_text,
    format_number,
    guess_category,
    metadata_fields,
    number_value,
    stable_id,
)
from .csv_format import dumps_csv, parse_csv
from .gift import dumps_gift, parse_gift
from .moodle_xml import dumps_moodle_xml

# A bank to write, with the key that names its Anki deck when its source has no sha256
# (None: the deck is named by the bank's title).
Keyed = tuple[dict, "str | None"]
Reader = Callable[[str, str, str, "list[str] | None"], dict]  # text, title, name, warnings


@dataclass(frozen=True)
class FileFormat:
    """One file format a set can be written as (and perhaps read from)."""

    name: str  # in URLs, on the command line, in the API
    extension: str  # without the dot
    media_type: str
    title: str  # what people call it ("Moodle GIFT")
    write: Callable[[Sequence[Keyed]], bytes]  # raises InterchangeError or AnkiExportError
    read: Reader | None = None  # raises InterchangeError
    one_bank: bool = True  # a file holds one set (an Anki package holds a deck per set)
    read_extensions: tuple[str, ...] = field(default=())  # besides ``extension``, for reading

    @property
    def label(self) -> str:
        """The export menu's wording: "Moodle GIFT (.gift)"."""
        return f"{self.title} (.{self.extension})"


def _exportable(bank: dict) -> dict:
    """``bank`` with a question whose ``source_span`` is None (one a teacher wrote in the app)
    given ``[0, 0]``; InterchangeError unless the result validates."""
    if isinstance(bank, dict) and isinstance(bank.get("questions"), list):
        questions = [
            {**q, "source_span": [0, 0]}
            if isinstance(q, dict) and q.get("source_span") is None
            else q
            for q in bank["questions"]
        ]
        bank = {**bank, "questions": questions}
    problems = _validate_bank(bank)
    if problems:
        raise InterchangeError([f"bank is not valid: {p}" for p in problems])
    return bank


def _one_bank(name: str, dump: Callable[[dict], bytes]) -> Callable[[Sequence[Keyed]], bytes]:
    def write(banks: Sequence[Keyed]) -> bytes:
        if len(banks) != 1:
            raise InterchangeError(
                f"A {name} file holds one set; export several as .apkg or one by one."
            )
        return dump(_exportable(banks[0][0]))

    return write


def _write_apkg(banks: Sequence[Keyed]) -> bytes:
    return anki.apkg_bytes([anki.deck_for_bank(bank, key) for bank, key in banks])


def _text_reader(parse: Callable[..., dict]) -> Reader:
    """A reader of a text format whose parser takes the bank's title and the warnings list."""
    return lambda text, title, name, warnings: parse(text, title=title, warnings=warnings)


def _read_json(text: str, title: str, name: str, warnings: list[str] | None) -> dict:
    try:
        return loads_bank(text, name=name)
    except BankError as exc:
        raise InterchangeError(str(exc)) from exc


FILE_FORMATS: dict[str, FileFormat] = {
    f.name: f
    for f in (
        FileFormat(
            "json",
            "json",
            "application/json",
            "quizapp bank",
            _one_bank("json", lambda bank: dumps_bank(bank).encode("utf-8")),
            _read_json,
        ),
        FileFormat(
            "gift",
            "gift",
            "text/plain; charset=utf-8",
            "Moodle GIFT",
            _one_bank("gift", lambda bank: dumps_gift(bank).encode("utf-8")),
            _text_reader(parse_gift),
            read_extensions=("txt",),  # Moodle names its GIFT exports *.txt
        ),
        FileFormat(
            "moodle-xml",
            "xml",
            "application/xml",
            "Moodle XML",
            _one_bank("moodle-xml", dumps_moodle_xml),
        ),
        FileFormat(
            "csv",
            "csv",
            "text/csv; charset=utf-8",
            "Spreadsheet",
            # with a byte-order mark, so Excel reads it as UTF-8
            _one_bank("csv", lambda bank: dumps_csv(bank).encode("utf-8-sig")),
            _text_reader(parse_csv),
        ),
        FileFormat(
            "apkg", "apkg", "application/octet-stream", "Anki deck", _write_apkg, one_bank=False
        ),
    )
}
# The formats of one bank per file, name -> extension with its dot.
FORMATS = {f.name: f".{f.extension}" for f in FILE_FORMATS.values() if f.one_bank}


# -- choosing a format -----------------------------------------------------------------------


def format_for_path(path: str | os.PathLike[str], *, packages: bool = False) -> str:
    """The format name for ``path`` from its extension (``.txt`` counts as GIFT, as Moodle
    writes it): a bank file's format, or with ``packages`` an Anki package's too. Raises
    :class:`InterchangeError` for any other extension."""
    ext = os.path.splitext(os.fspath(path))[1].lower().lstrip(".")
    known = [f for f in FILE_FORMATS.values() if f.one_bank or packages]
    for fmt in known:
        if ext and ext in (fmt.extension, *fmt.read_extensions):
            return fmt.name
    names = ", ".join(f".{f.extension} ({f.name})" for f in known)
    raise InterchangeError(
        f"cannot tell the format of {os.fspath(path)!r} from its extension; "
        f"use one of {names} or name the format"
    )


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InterchangeError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return fmt


# -- dispatchers -------------------------------------------------------------------------------


def export_bank(bank: dict, fmt: str) -> bytes:
    """The file contents of ``bank`` in format ``fmt`` (a key of :data:`FORMATS`).

    GIFT is UTF-8 without a byte-order mark; CSV is UTF-8 *with* one (so Excel reads it as
    UTF-8); Moodle XML carries its own declaration. A question whose ``source_span`` is None
    (one a teacher wrote in the app) is written with ``[0, 0]``. Raises
    :class:`InterchangeError` for an unknown format or a bank that does not validate.
    """
    return FILE_FORMATS[_check_format(fmt)].write([(bank, None)])


def import_text(
    text: str, fmt: str, title: str, *, name: str = "", warnings: list[str] | None = None
) -> dict:
    """Parse ``text`` in format ``fmt`` into a valid bank titled ``title``.

    ``title`` is ignored for JSON (the bank has its own); ``name`` (default: ``title``) names
    the file in its messages. Moodle XML cannot be imported. Warnings (questions skipped or
    converted) are appended to ``warnings`` when given. Raises :class:`InterchangeError`
    listing the problems with line numbers.
    """
    read = FILE_FORMATS[_check_format(fmt)].read
    if read is None:
        readable = ", ".join(f.title for f in FILE_FORMATS.values() if f.read is not None)
        raise InterchangeError(
            f"{FILE_FORMATS[fmt].title} can be exported but not imported; import {readable}"
        )
    return read(text, title, name or title, warnings)


def import_bytes(data: bytes, fmt: str, title: str, *, warnings: list[str] | None = None) -> dict:
    """:func:`decode_text` then :func:`import_text`; for uploads. Raises InterchangeError."""
    return import_text(decode_text(data), fmt, title, warnings=warnings)


__all__ = [
    "FILE_FORMATS",
    "FORMATS",
    "ID_PATTERN",
    "IMPORTED_SCORE",
    "MAX_PROBLEMS",
    "Collector",
    "FileFormat",
    "InterchangeError",
    "check_text",
    "decode_text",
    "export_bank",
    "format_for_path",
    "format_number",
    "guess_category",
    "import_bytes",
    "import_text",
    "metadata_fields",
    "number_value",
    "stable_id",
]
