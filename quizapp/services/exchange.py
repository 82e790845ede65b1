"""Sets in and out of the formats teachers already use: quizapp bank JSON, Moodle GIFT, Moodle
XML, CSV and Anki decks (export); bank JSON, GIFT and CSV (import). The file formats themselves
are pure modules (quizapp.banks, quizapp.interchange, quizapp.anki); this module turns sets
into their plain data and back."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from sqlalchemy import select

from .. import anki, interchange
from ..anki import deck_for_bank
from ..banks import BANK_FORMAT, BANK_VERSION
from ..extensions import db
from ..models import Question, QuestionSet, User
from . import Invalid, NotFound
from .catalogue import ImportResult, import_bank

MAX_IMPORT_BYTES = 2_000_000
FILE_FORMATS = interchange.FILE_FORMATS


def slug(title: str) -> str:
    """A file-name and tag friendly form of a title: lower case, ASCII letters, digits, dashes."""
    text = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")
    return text[:60].rstrip("-") or "set"


def deck_key(qset: QuestionSet) -> str:
    """The set's stable key in exported decks and files: a re-export updates, never doubles."""
    return f"quizapp-set:{qset.id}"


def set_as_bank(qset: QuestionSet, *, enabled_only: bool = True) -> dict[str, Any]:
    """The set in the bank format (contracts §2), questions in the set's order, each with its
    `updated_at` when it was edited."""
    query = select(Question).where(Question.set_id == qset.id)
    if enabled_only:
        query = query.where(Question.enabled.is_(True))
    questions = db.session.scalars(query.order_by(Question.position, Question.id)).all()
    source: dict[str, Any] = {
        "title": qset.source_title or qset.title,
        "url": qset.source_url,
        "published": qset.source_published,
        "licence": qset.source_licence,
    }
    digest = qset.source_sha256 or (
        hashlib.sha256(qset.article_text.encode("utf-8")).hexdigest() if qset.article_text else None
    )
    if digest:
        source["sha256"] = digest
    return {
        "format": BANK_FORMAT,
        "version": BANK_VERSION,
        "title": qset.title,
        "source": source,
        "generator": qset.generator or {"name": "quizapp"},
        "questions": [q.content() for q in questions],
    }


def set_bank(set_id: int) -> tuple[dict[str, Any], str]:
    """The set `set_id` in the bank format (its enabled questions, as `set_as_bank`) and its
    Anki deck key. Raises NotFound when there is no such set (the database's own errors, for
    one not made yet or out of reach, are left to the caller)."""
    qset = db.session.get(QuestionSet, set_id)
    if qset is None:
        raise NotFound(f"No question set {set_id}.")
    return set_as_bank(qset), deck_key(qset)


def deck_source(qset: QuestionSet) -> anki.DeckSource:
    """The Anki deck of a set (its enabled questions)."""
    return deck_for_bank(set_as_bank(qset), deck_key(qset))


def bank_from_file(path: str | Path, warnings: list[str] | None = None) -> dict[str, Any]:
    """A bank from a file on disk: quizapp JSON, GIFT (.gift/.txt) or CSV. Raises Invalid with
    the file's name and its problems (line numbers where the format has lines)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Invalid(f"{path}: cannot read ({exc.strerror or exc})") from None
    return parse_upload(str(path), data, display_name=str(path), warnings=warnings)


def import_file(
    path: str | Path,
    *,
    owner: User | None = None,
    status: str = "published",
    warnings: list[str] | None = None,
) -> ImportResult:
    """Import a bank file (quizapp JSON, GIFT or CSV) as a set of `owner` (shared when None)
    with `status`, idempotent by question id (see catalogue.import_bank); questions skipped or
    converted are told in `warnings`. Raises Invalid with the file's problems, nothing written
    (the session is rolled back)."""
    bank = bank_from_file(path, warnings)
    try:
        return import_bank(bank, owner=owner, status=status)
    except Invalid:
        db.session.rollback()
        raise


@dataclass
class Download:
    body: bytes
    mimetype: str
    filename: str


def export_set(qset: QuestionSet, fmt: str) -> Download:
    """The set's enabled questions as a file of format `fmt` (json, gift, moodle-xml, csv,
    apkg), every answer key included: the caller checks who may have them (the set's teacher;
    the Anki deck also whoever `answer_keys.require_study` lets through). Raises Invalid for an
    unknown format or a set without enabled questions."""
    file_format = _file_format(fmt)
    bank = set_as_bank(qset)
    if not bank["questions"]:
        raise Invalid("This set has no enabled questions to export.")
    body = export_banks([(bank, deck_key(qset))], fmt)
    return Download(body, file_format.media_type, f"{slug(qset.title)}.{file_format.extension}")


def _file_format(fmt: str) -> interchange.FileFormat:
    if fmt not in FILE_FORMATS:
        raise Invalid(f"Unknown format {fmt!r}; choose one of {', '.join(FILE_FORMATS)}.")
    return FILE_FORMATS[fmt]


def export_banks(banks: list[tuple[dict[str, Any], str | None]], fmt: str) -> bytes:
    """Banks (each with a fallback deck key) as one file: an Anki package holds a deck per
    bank; the other formats take one bank. Raises Invalid."""
    file_format = _file_format(fmt)
    try:
        return file_format.write(banks)
    except (anki.AnkiExportError, interchange.InterchangeError) as exc:
        raise Invalid(str(exc)) from None


def parse_upload(
    filename: str,
    data: bytes,
    title: str = "",
    *,
    display_name: str | None = None,
    warnings: list[str] | None = None,
) -> dict[str, Any]:
    """A bank from an uploaded file (.json, .gift/.txt, .csv). Questions skipped or converted
    (a matching question, a true/false one) are told in `warnings`. Raises Invalid with the
    file's problems, each with its line number where the format has lines."""
    name = display_name or PurePath(filename or "upload").name[:200]
    if len(data) > MAX_IMPORT_BYTES:
        raise Invalid(f"{name}: too large (the limit is {MAX_IMPORT_BYTES:,} bytes).")
    stem = PurePath(filename or "upload").stem or "Imported questions"
    try:
        fmt = interchange.format_for_path(filename or "upload")
        text = interchange.decode_text(data, name)
        bank = interchange.import_text(text, fmt, title=title or stem, name=name, warnings=warnings)
    except interchange.InterchangeError as exc:
        message = str(exc)
        raise Invalid(message if message.startswith(name) else f"{name}: {message}") from None
    if title:
        bank["title"] = title
    if not bank["source"].get("sha256"):
        # GIFT and CSV carry no article: the file itself is the set's identity, so the same
        # file again finds its set, and two files that share a title stay two sets
        bank["source"]["sha256"] = hashlib.sha256(data).hexdigest()
    return bank


def import_upload(
    owner: User, filename: str, data: bytes, *, title: str = ""
) -> tuple[ImportResult, list[str]]:
    """Import an uploaded file as a draft set of `owner` (idempotent by question id: the same
    file twice adds nothing): (result, warnings about skipped or converted questions).
    Raises Invalid."""
    warnings: list[str] = []
    bank = parse_upload(filename, data, title, warnings=warnings)
    if not bank["questions"]:
        raise Invalid(f"{filename}: no questions found in the file.")
    return import_bank(bank, owner=owner, status="draft"), warnings
