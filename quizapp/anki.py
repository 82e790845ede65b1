"""Anki deck export: question sets in, an ``.apkg`` package out (pure: no Flask, no database).

Public API (plain data in, bytes out)::

    write_apkg(decks, out, *, now=None) -> ExportSummary   # out: a path or a binary file object
    apkg_bytes(decks, *, now=None) -> bytes
    deck_id(key) -> int          # stable deck id of a set key
    note_guid(question_id) -> str  # stable note GUID of a question id

``decks`` is a sequence of :class:`DeckSource`, one per question set; each becomes the deck
``quizapp::<set title>`` in one package. Questions are bank-format dicts (contracts §2).

Note types (fixed ids, so a re-import never adds a second copy) per question ``format``:
``multiple_choice`` → multiple choice (lettered choices; the back gives letter and text),
``cloze`` → Anki's cloze type (``{{c1::answer}}`` in the source sentence), ``short_answer`` and
``numeric`` → type-in (``{{type:Answer}}``), anything else → question and answer. A multiple
choice question without usable choices becomes type-in; a cloze whose answer is not in its source
sentence is made from the prompt's blank instead (question and answer when it has none).
Changing a question's format changes its note type: Anki then keeps the old note (it reports a
conflict); delete it in Anki and import again.

Re-imports update notes in place: a note's GUID is derived from the question id only, and its
"last modified" time (Anki's ``mod``, which decides whether an import overwrites a note) is the
question's ``updated_at`` when present and valid, else the export time (``now``, default: the
current time). The note types carry a fixed modification time too, so a rebuild never resets
styling a learner changed. Every field is HTML-escaped. Nothing is written to the temp dir:
the collection is built in an in-memory SQLite database.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import genanki

__all__ = [
    "AnkiExportError",
    "DeckSource",
    "DeckSummary",
    "ExportSummary",
    "apkg_bytes",
    "cloze_text",
    "deck_id",
    "deck_name",
    "escape",
    "note_guid",
    "slug",
    "write_apkg",
]

DECK_PREFIX = "quizapp::"


class AnkiExportError(ValueError):
    """Nothing to export, an unusable question, or an output that cannot be written."""


@dataclass(frozen=True)
class DeckSource:
    """One question set: ``key`` is its stable identity (e.g. the article's sha256 or
    ``"set:<title>"``) from which the deck id derives; ``questions`` are bank-format dicts."""

    key: str
    title: str
    questions: Sequence[Mapping]
    article_title: str | None = None
    source_url: str | None = None


@dataclass(frozen=True)
class DeckSummary:
    name: str
    deck_id: int
    notes: int
    note_types: Mapping[str, int] = field(default_factory=dict)  # "qa", "multiple_choice", …
    duplicates: int = 0  # questions whose id was already exported in this package (skipped)


@dataclass(frozen=True)
class ExportSummary:
    decks: tuple[DeckSummary, ...]
    size: int  # bytes of the package

    @property
    def notes(self) -> int:
        return sum(d.notes for d in self.decks)


# -- note types ------------------------------------------------------------------------------

# Fixed ids (genanki's suggested range 2**30..2**31): never random, so a re-import reuses them.
QA_MODEL_ID = 1_618_033_988
MULTIPLE_CHOICE_MODEL_ID = 1_414_213_562
CLOZE_MODEL_ID = 1_732_050_807
TYPE_IN_MODEL_ID = 1_259_921_049
# The note types' "last modified" (2026-01-01 UTC). Anki updates a note type on import only
# when this is newer than its copy: bump it whenever the templates or the CSS below change.
MODEL_MTIME = 1_767_225_600

CSS = """\
.card {
  --fg: #1f2328; --muted: #59636e; --accent: #0b5cad; --rule: #d1d9e0; --quote: #f3f5f7;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px; line-height: 1.45; text-align: left; color: var(--fg);
  background-color: #ffffff; max-width: 40em; margin: 0 auto; padding: 0.75em;
  overflow-wrap: anywhere;
}
.nightMode .card, .card.nightMode, .night_mode .card, .card.night_mode {
  --fg: #e6edf3; --muted: #9aa5b1; --accent: #6cb6ff; --rule: #3d444d; --quote: #262c36;
  background-color: #1c2128;
}
.prompt { font-weight: 600; }
.unit, .accepted, .article { color: var(--muted); font-size: 0.85em; }
.unit::before { content: "Unit: "; }
.accepted::before { content: "Also accepted: "; }
.answer, .cloze { color: var(--accent); font-weight: 700; }
ol.choices { list-style: none; padding-left: 0; }
ol.choices li { margin: 0.35em 0; }
.letter { font-weight: 700; }
.explanation { margin-top: 0.75em; }
.source { margin: 0.75em 0 0; padding: 0.5em 0.75em; border-left: 3px solid var(--rule);
  background-color: var(--quote); }
hr#answer { border: 0; border-top: 1px solid var(--rule); }
a { color: var(--accent); }
#typeans { width: 100%; box-sizing: border-box; font-size: 1em; padding: 0.3em; }
@media (max-width: 480px) { .card { font-size: 18px; padding: 0.5em; } }
"""


def _sections(*names: str) -> str:
    """Template parts shown only when their field is not empty."""
    return "".join(
        f'{{{{#{n}}}}}<div class="{n.lower()}">{{{{{n}}}}}</div>{{{{/{n}}}}}' for n in names
    )


_PROMPT = '<div class="prompt">{{Prompt}}</div>'
_ANSWER = '<hr id="answer"><div class="answer">{{Answer}}</div>'
_TYPED = _PROMPT + _sections("Unit")
_CLOZE = '<div class="prompt">{{cloze:Text}}</div>'
_SPECS = {  # kind: (id, name, fields, front, back)
    "qa": (
        QA_MODEL_ID,
        "quizapp: question and answer",
        "Prompt Answer Explanation Source Article",
        _PROMPT,
        "{{FrontSide}}" + _ANSWER + _sections("Explanation", "Source", "Article"),
    ),
    "multiple_choice": (
        MULTIPLE_CHOICE_MODEL_ID,
        "quizapp: multiple choice",
        "Prompt Choices Answer Explanation Source Article",
        _PROMPT + "{{Choices}}",
        "{{FrontSide}}" + _ANSWER + _sections("Explanation", "Source", "Article"),
    ),
    "type_in": (
        TYPE_IN_MODEL_ID,
        "quizapp: type the answer",
        "Prompt Answer Accepted Unit Explanation Source Article",
        _TYPED + "{{type:Answer}}",
        _TYPED
        + '<hr id="answer">{{type:Answer}}'
        + _sections("Accepted", "Explanation", "Source", "Article"),
    ),
    "cloze": (
        CLOZE_MODEL_ID,
        "quizapp: cloze",
        "Text Explanation Article",
        _CLOZE,
        _CLOZE + _sections("Explanation", "Article"),
    ),
}


class _Model(genanki.Model):
    """A note type written with MODEL_MTIME as its ``mod`` instead of the export time, so an
    unchanged note type never looks newer to Anki than the copy a learner may have restyled."""

    def to_json(self, timestamp, deck_id):
        return super().to_json(MODEL_MTIME, deck_id)


def _note_types() -> dict[str, genanki.Model]:
    """Fresh note types per export (genanki mutates them while writing)."""
    return {
        kind: _Model(
            model_id,
            name,
            fields=[{"name": f} for f in fields.split()],
            templates=[
                {"name": "Cloze" if kind == "cloze" else "Card 1", "qfmt": front, "afmt": back}
            ],
            css=CSS,
            model_type=genanki.Model.CLOZE if kind == "cloze" else genanki.Model.FRONT_BACK,
        )
        for kind, (model_id, name, fields, front, back) in _SPECS.items()
    }


# -- pure helpers ------------------------------------------------------------------------------


def deck_id(key: str) -> int:
    """A stable deck id for a set key: a hash, never random or time-based, within 2**31..2**53
    (JavaScript-safe, away from Anki's default deck 1)."""
    digest = hashlib.sha256(f"quizapp-deck:{key}".encode()).digest()
    return (1 << 31) + int.from_bytes(digest[:8], "big") % ((1 << 53) - (1 << 31))


def note_guid(question_id: str) -> str:
    """The note GUID of a question: derived from its id alone, so edits keep the note."""
    return genanki.guid_for(f"quizapp-question:{question_id}")


def slug(title: str) -> str:
    """An Anki-safe tag for a set title: lowercase words joined by ``-`` (no spaces)."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return re.sub(r"[\W_]+", "-", folded).strip("-") or "untitled"


def deck_name(title: str) -> str:
    """``quizapp::<title>``; ``::`` inside the title would nest decks, so it becomes ``:``."""
    clean = " ".join(str(title or "").split()).replace("::", ":").strip(": ")
    return DECK_PREFIX + (clean or "Untitled set")


def escape(value: object) -> str:
    """HTML-escape a field value (None → ""): ``& < >`` and ``[`` (Anki's ``[sound:…]``),
    and newlines become ``<br>``."""
    text = value if type(value) is str else _text(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # "[sound:x.mp3]" in plain text would be played by Anki: keep it text
    text = text.replace("[", "&#91;") if "[" in text else text
    return text.replace("\r\n", "\n").replace("\n", "<br>") if "\n" in text else text


_CLOZE_SAFE = str.maketrans({"{": "&#123;", "}": "&#125;"})
_BLANK = re.compile(r"_{3,}")


def cloze_text(sentence: str, answer: str, prompt: str | None = None) -> str | None:
    """The escaped sentence with the answer as ``{{c1::…}}``, or None when it is not found.

    Whole-word matches are preferred to others, exact case to any case. When the answer occurs
    more than once, the blank (``_____``) in ``prompt`` picks the occurrence whose context
    matches the prompt's best. Braces become entities so the text can never open another cloze.
    """
    if not sentence or not answer:
        return None
    starts = _occurrences(sentence, answer)
    if not starts:
        return None
    start = starts[0]
    blank = _BLANK.search(prompt or "")
    if blank and len(starts) > 1:
        head, tail = prompt[: blank.start()], prompt[blank.end() :]
        start = max(
            starts,
            key=lambda at: (
                _common(head[::-1], sentence[:at][::-1])
                + _common(tail, sentence[at + len(answer) :])
            ),
        )
    end = start + len(answer)
    before, hidden, after = (
        escape(s).translate(_CLOZE_SAFE)
        for s in (sentence[:start], sentence[start:end], sentence[end:])
    )
    # "::" inside the hidden text would start a hint.
    return f"{before}{{{{c1::{hidden.replace(':', '&#58;')}}}}}{after}"


def _cloze_in_prompt(prompt: str, answer: str) -> str | None:
    """The escaped prompt with its first blank (``_____``) as ``{{c1::answer}}``; None without
    a blank."""
    blank = _BLANK.search(prompt or "")
    if blank is None or not answer:
        return None
    before, hidden, after = (
        escape(s).translate(_CLOZE_SAFE)
        for s in (prompt[: blank.start()], answer, prompt[blank.end() :])
    )
    return f"{before}{{{{c1::{hidden.replace(':', '&#58;')}}}}}{after}"


def _occurrences(sentence: str, answer: str) -> list[int]:
    """Where the answer starts in the sentence, by the first rule that finds it: whole word in
    the same case, whole word in any case, then anywhere likewise (str.find before any regex:
    compiling a pattern per question would be most of the export time)."""
    exact, at = [], sentence.find(answer)
    while at >= 0:
        exact.append(at)
        at = sentence.find(answer, at + 1)
    end = len(answer)
    words = [a for a in exact if _edge(sentence, a - 1) and _edge(sentence, a + end)]
    if words:
        return words
    word = re.escape(answer)
    found = [m.start() for m in re.finditer(rf"(?<!\w){word}(?!\w)", sentence, re.IGNORECASE)]
    return found or exact or [m.start() for m in re.finditer(word, sentence, re.IGNORECASE)]


def _edge(text: str, index: int) -> bool:
    """Whether text[index] is outside the text or not a word character (as regex ``\\w``)."""
    return not 0 <= index < len(text) or not (text[index].isalnum() or text[index] == "_")


def _common(a: str, b: str) -> int:
    """Length of the common prefix of a and b."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _text(value: object) -> str:
    if type(value) is str:
        return value.strip()
    return "" if value is None else str(value).strip()


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


def _article(title: str | None, url: str | None) -> str:
    text = escape(_text(title) or _text(url))
    url = _text(url)
    if text and re.match(r"https?://", url, re.IGNORECASE):
        return f'<a href="{html.escape(url, quote=True)}">{text}</a>'
    return text


class _Note(genanki.Note):
    """A note whose ``mod`` is its own last-modified time rather than the package timestamp.

    genanki writes ``int(timestamp)`` (the package's) as the note's and cards' ``mod`` in
    ``Note.write_to_db``; passing our own time there is the narrowest hook. Two per-note costs
    are dropped as well, because they cannot find anything in our notes: every note has exactly
    one card (each template needs only the first field, never empty; a cloze has only ``c1``),
    and every field is escaped by construction, so genanki's scan for invalid HTML tags is
    skipped (tests/test_anki.py runs that scan over every field instead).
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


# -- building notes --------------------------------------------------------------------------


def _fields(q: Mapping, prompt: str, answer: str, article: str) -> tuple[str, list[str]]:
    """The note type a question gets (see the module docstring) and its escaped field values."""
    fmt = q.get("format")
    source = _text(q.get("source_sentence"))
    explanation = _text(q.get("explanation"))
    # The generator often explains with the source sentence itself: show it once.
    explanation = escape(explanation) if explanation != source else ""
    if fmt == "cloze":
        # the answer edited away from its sentence: the prompt's blank holds it, so the note
        # stays a cloze (another note type would make Anki keep the old note as a conflict)
        text = cloze_text(source, answer, prompt) or _cloze_in_prompt(prompt, answer)
        if text:
            return "cloze", [text, explanation, article]
    back = [explanation, escape(source), article]
    if fmt == "multiple_choice":
        choices = q.get("choices")
        texts = [_text(c) for c in choices] if isinstance(choices, list | tuple) else []
        if answer in texts and len(set(texts)) >= 2:
            items = "".join(
                f'<li><span class="letter">{_letter(i)}.</span> {escape(c)}</li>'
                for i, c in enumerate(texts)
            )
            shown = f'<span class="letter">{_letter(texts.index(answer))}.</span> {escape(answer)}'
            return "multiple_choice", [
                escape(prompt),
                f'<ol class="choices">{items}</ol>',
                shown,
                *back,
            ]
    if fmt in ("multiple_choice", "short_answer", "numeric"):
        accepted = q.get("accepted_answers")
        others = [_text(a) for a in accepted] if isinstance(accepted, list | tuple) else []
        others = [a for a in dict.fromkeys(others) if a and a != answer]
        numeric = q.get("numeric")
        unit = _text(numeric.get("unit")) if isinstance(numeric, Mapping) else ""
        return "type_in", [
            escape(prompt),
            escape(answer),
            escape(", ".join(others)),
            escape(unit),
            *back,
        ]
    return "qa", [escape(prompt), escape(answer), *back]


def _letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else str(index + 1)


def _required(q: object, title: str, index: int) -> tuple[str, str, str]:
    """(id, prompt, answer) of a question; AnkiExportError when one is missing."""
    where = f"set {title!r}, question {index + 1}"
    if not isinstance(q, Mapping):
        raise AnkiExportError(f"{where}: expected an object, got {type(q).__name__}")
    qid, prompt, answer = _text(q.get("id")), _text(q.get("prompt")), _text(q.get("answer"))
    if not qid:
        raise AnkiExportError(f"{where}: no id")
    if not prompt or not answer:
        raise AnkiExportError(f"{where} ({qid}): no {'prompt' if not prompt else 'answer'}")
    return qid, prompt, answer


def _category_tag(category: object) -> str:
    return re.sub(r"[^\w-]+", "-", _text(category).casefold()).strip("-")


def _build(decks: Sequence[DeckSource], now: datetime | None) -> tuple[bytes, ExportSummary]:
    if isinstance(decks, DeckSource):
        decks = [decks]
    if not decks:
        raise AnkiExportError("nothing to export: no question sets given")
    stamp = (now or datetime.now(UTC)).timestamp()
    note_types, tags = _note_types(), {}
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
            slug(_text(source.title)),
            _article(source.article_title, source.source_url),
        )
        kinds, duplicates = Counter(), 0
        for index, q in enumerate(questions):
            qid, prompt, answer = _required(q, source.title, index)
            if qid in seen_ids:
                duplicates += 1
                continue
            seen_ids.add(qid)
            kind, values = _fields(q, prompt, answer, article)
            kinds[kind] += 1
            category = _text(q.get("category"))
            if category not in tags:
                tags[category] = _category_tag(category)
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
    article = _article(source.article_title, source.source_url)
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


# -- public entry points ---------------------------------------------------------------------


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
