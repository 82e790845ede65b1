"""Building the ``.apkg`` package in memory and writing it to a path or a file object."""

from __future__ import annotations

import io
import itertools
import os
import sqlite3
import tempfile
import threading
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import genanki

from .data import AnkiExportError, DeckSource, DeckSummary, ExportSummary
from .fields import article_field, as_text, note_fields
from .naming import category_tag, deck_id, deck_name, note_guid, slug
from .note_types import new_note_types


def _mtime(updated_at: object, default: int) -> int:
    """``updated_at`` (ISO 8601; naive means UTC) as epoch seconds, else ``default``."""
    if not isinstance(updated_at, str) or not updated_at.strip():
        return default
    try:
        moment = datetime.fromisoformat(updated_at.strip())
    except ValueError:
        return default
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


class _Note(genanki.Note):
    """A note whose ``mod`` is its own last-modified time rather than the package timestamp.

    genanki writes ``int(timestamp)`` (the package's) as the note's and cards' ``mod`` in
    ``Note.write_to_db``; passing our own time there is the narrowest hook. Two per-note costs
    are dropped as well, because they cannot find anything in our notes: every note has exactly
    one card (each template needs only the first field, never empty; a cloze has only ``c1``),
    and every field is escaped by construction, so genanki's scan for invalid HTML tags is
    skipped (tests/unit/test_anki.py runs that scan over every field instead).
    """

    def __init__(self, *, mtime: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.mtime = mtime

    @property
    def cards(self) -> list[genanki.Card]:
        return [genanki.Card(0)]

    def _check_invalid_html_tags_in_fields(self) -> None:
        pass

    def write_to_db(self, cursor, timestamp, deck_id, id_gen) -> None:
        super().write_to_db(cursor, self.mtime, deck_id, id_gen)


def _required(q: object, title: str, index: int) -> tuple[str, str, str]:
    """(id, prompt, answer) of a question; AnkiExportError when one is missing."""
    where = f"set {title!r}, question {index + 1}"
    if not isinstance(q, Mapping):
        raise AnkiExportError(f"{where}: expected an object, got {type(q).__name__}")
    qid, prompt, answer = as_text(q.get("id")), as_text(q.get("prompt")), as_text(q.get("answer"))
    if not qid:
        raise AnkiExportError(f"{where}: no id")
    if not prompt or not answer:
        raise AnkiExportError(f"{where} ({qid}): no {'prompt' if not prompt else 'answer'}")
    return qid, prompt, answer


def _build(decks: Sequence[DeckSource], now: datetime | None) -> tuple[bytes, ExportSummary]:
    if isinstance(decks, DeckSource):
        decks = [decks]
    if not decks:
        raise AnkiExportError("nothing to export: no question sets given")
    stamp = (now or datetime.now(UTC)).timestamp()
    note_types, tags = new_note_types(), {}
    package_decks, summaries, seen_ids, seen_names, seen_keys = [], [], set(), Counter(), set()
    for source in decks:
        if not isinstance(source, DeckSource):
            raise AnkiExportError(f"expected a DeckSource, got {type(source).__name__}")
        if source.key in seen_keys:
            raise AnkiExportError(f"two sets share the key {source.key!r}")
        seen_keys.add(source.key)
        name = deck_name(source.title)
        seen_names[name] += 1
        if seen_names[name] > 1:  # Anki matches decks by name: keep same-titled sets apart
            name = f"{name} ({seen_names[name]})"
        questions = list(source.questions or ())
        if not questions:
            raise AnkiExportError(f"set {source.title!r} has no questions")
        deck = genanki.Deck(deck_id(source.key), name, _description(source))
        set_slug, article = (
            slug(as_text(source.title)),
            article_field(source.article_title, source.source_url),
        )
        kinds, duplicates = Counter(), 0
        for index, q in enumerate(questions):
            qid, prompt, answer = _required(q, source.title, index)
            if qid in seen_ids:
                duplicates += 1
                continue
            seen_ids.add(qid)
            kind, values = note_fields(q, prompt, answer, article)
            kinds[kind] += 1
            category = as_text(q.get("category"))
            if category not in tags:
                tags[category] = category_tag(category)
            note = _Note(
                mtime=_mtime(q.get("updated_at"), int(stamp)),
                model=note_types[kind],
                fields=values,
                tags=["quizapp", tags[category], set_slug]
                if tags[category]
                else ["quizapp", set_slug],
                guid=note_guid(qid),
            )
            deck.add_note(note)
        package_decks.append(deck)
        summaries.append(
            DeckSummary(name, deck.deck_id, sum(kinds.values()), dict(kinds), duplicates)
        )
    data = _package(genanki.Package(package_decks), stamp)
    return data, ExportSummary(tuple(summaries), len(data))


def _description(source: DeckSource) -> str:
    article = article_field(source.article_title, source.source_url)
    return f"Questions generated by quizapp from {article}." if article else ""


def _package(package: genanki.Package, stamp: float) -> bytes:
    """The .apkg bytes: genanki's own ``write_to_db`` into an in-memory SQLite database (its
    ``write_to_file`` leaves a temp file behind), zipped in memory."""
    ids = itertools.count(int(stamp * 1000))
    if hasattr(sqlite3.Connection, "serialize"):
        conn = sqlite3.connect(":memory:")
        try:
            conn.execute("PRAGMA temp_store = MEMORY")
            package.write_to_db(conn.cursor(), stamp, ids)
            conn.commit()
            collection = conn.serialize()
        finally:
            conn.close()
    else:  # pragma: no cover - SQLite built without serialize: a temp dir that always goes
        with tempfile.TemporaryDirectory(prefix="quizapp-anki-") as tmp:
            path = os.path.join(tmp, "collection.anki2")
            conn = sqlite3.connect(path)
            try:
                package.write_to_db(conn.cursor(), stamp, ids)
                conn.commit()
            finally:
                conn.close()
            collection = Path(path).read_bytes()
    # Entries dated by the export time: the same data and `now` give the same bytes.
    date = datetime.fromtimestamp(max(stamp, 315_532_800), UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(zipfile.ZipInfo("collection.anki2", date), collection, zipfile.ZIP_DEFLATED, 1)
        zf.writestr(zipfile.ZipInfo("media", date), "{}")
    return buffer.getvalue()


def apkg_bytes(decks: Sequence[DeckSource], *, now: datetime | None = None) -> bytes:
    """The ``.apkg`` package of ``decks`` as bytes. Raises AnkiExportError (see write_apkg)."""
    return _build(decks, now)[0]


def write_apkg(
    decks: Sequence[DeckSource],
    out: str | os.PathLike | BinaryIO,
    *,
    now: datetime | None = None,
) -> ExportSummary:
    """Write the ``.apkg`` package of ``decks`` to a path or a binary file object.

    ``now`` (default: the current time; naive means local time, as in ``datetime.timestamp``)
    is the export time: the "last modified" of questions without a valid ``updated_at``, and
    the base of the package's note and card ids. The package is built in memory first, so bad
    data never leaves a partial file; a path is replaced only once the package is complete.
    Returns the notes written per deck.
    Raises AnkiExportError for no sets, an empty set, a question without id, prompt or answer,
    two sets with the same key, or an output that cannot be written.
    """
    data, summary = _build(decks, now)
    if hasattr(out, "write"):
        try:
            out.write(data)
        except OSError as exc:
            raise AnkiExportError(f"cannot write the package: {exc}") from exc
        return summary
    # Written beside the target, then renamed over it: a failed write never leaves half a
    # package, nor destroys the previous one.
    path = Path(os.fspath(out))
    part = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.part")
    try:
        with open(part, "wb") as fh:
            fh.write(data)
        os.replace(part, path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise AnkiExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return summary
