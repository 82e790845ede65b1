"""Stable ids and names: deck ids, note GUIDs, deck names and tags (no randomness, no clock)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import genanki

from .fields import as_text

DECK_PREFIX = "quizapp::"


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


def category_tag(category: object) -> str:
    """An Anki-safe tag for a category ("" for none)."""
    return re.sub(r"[^\w-]+", "-", as_text(category).casefold()).strip("-")
