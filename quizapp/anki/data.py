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
