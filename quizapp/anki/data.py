"""The plain data the exporter takes and returns, and its one error (no genanki here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


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


def deck_for_bank(bank: Mapping, fallback_key: str | None = None) -> DeckSource:
    """What the exporter needs of a bank (contracts §2). The deck's identity is the article's
    sha256 when known (the same article gives the same deck from the web and from the command
    line), else `fallback_key`, else the title."""
    source = bank.get("source") or {}
    key = source.get("sha256") or fallback_key or f"quizapp-bank:{bank['title']}"
    return DeckSource(
        key=key,
        title=bank["title"],
        questions=bank["questions"],
        article_title=source.get("title"),
        source_url=source.get("url"),
    )


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
