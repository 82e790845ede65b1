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

Modules: ``data`` (the plain data in and out, the error), ``note_types`` (fixed ids, CSS,
templates, the genanki note types), ``naming`` (deck ids, note GUIDs, deck names, tags),
``fields`` (escaping, cloze text, the fields of a note), ``package`` (building and writing the
package).
"""

from __future__ import annotations

from .data import AnkiExportError, DeckSource, DeckSummary, ExportSummary, deck_for_bank
from .fields import cloze_text, escape
from .naming import DECK_PREFIX as DECK_PREFIX
from .naming import deck_id, deck_name, note_guid, slug
from .note_types import CLOZE_MODEL_ID as CLOZE_MODEL_ID
from .note_types import CSS as CSS
from .note_types import MODEL_MTIME as MODEL_MTIME
from .note_types import MULTIPLE_CHOICE_MODEL_ID as MULTIPLE_CHOICE_MODEL_ID
from .note_types import QA_MODEL_ID as QA_MODEL_ID
from .note_types import TYPE_IN_MODEL_ID as TYPE_IN_MODEL_ID
from .package import apkg_bytes, write_apkg

# ``X as X`` above: re-exported as before the split (the note types' fixed ids and modification
# time, their CSS, the deck name prefix) but, as before, not part of ``import *``.
__all__ = [
    "AnkiExportError",
    "DeckSource",
    "DeckSummary",
    "ExportSummary",
    "apkg_bytes",
    "cloze_text",
    "deck_for_bank",
    "deck_id",
    "deck_name",
    "escape",
    "note_guid",
    "slug",
    "write_apkg",
]
