"""What a generation found in its article besides the questions, as plain JSON-ready data.

The teacher's "Suggest wrong options" and "New wrong options" draw names from the article (other
people for a person, parties for a party, …). Those names and what the article says around them
are worked out once, by the generation (`build_bank`), and kept with the set; a suggestion
restores them here instead of parsing the article again, so a click costs milliseconds whatever
the article's size.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict
from typing import Any

from .entities import NameInfo, NameTable
from .fine_types import MentionContext
from .gazetteer import Gazetteer, load_gazetteer

FINDINGS_VERSION = 1


def to_findings(names: NameTable, context: MentionContext) -> dict[str, Any]:
    """The name table and the mention context of one article, as JSON-ready data."""
    return {
        "version": FINDINGS_VERSION,
        "names": [asdict(info) for info in names.infos.values()],
        "nouns": {key: dict(counts) for key, counts in context.nouns.items() if counts},
        "locative": dict(context.locative),
        "embedded": dict(context.embedded),
        "mentions": dict(context.mentions),
        "titles": {key: sorted(words) for key, words in context.titles.items() if words},
        "aliases": sorted(context.aliases),
    }


def from_findings(
    data: Any, gazetteer: Gazetteer | None = None
) -> tuple[NameTable, MentionContext] | None:
    """The name table and mention context stored by `to_findings`, or None for data that is
    not findings of this version (the caller then works without the article's names)."""
    if not isinstance(data, dict) or data.get("version") != FINDINGS_VERSION:
        return None
    try:
        infos = [NameInfo(**record) for record in data["names"]]
        names = NameTable([], gazetteer or load_gazetteer())
        names.infos = {info.key: info for info in infos}
        context = MentionContext([])
        context.nouns = defaultdict(
            Counter, {key: Counter(counts) for key, counts in data["nouns"].items()}
        )
        context.locative = Counter(data["locative"])
        context.embedded = Counter(data["embedded"])
        context.mentions = Counter(data["mentions"])
        context.titles = defaultdict(set, {k: set(v) for k, v in data["titles"].items()})
        context.aliases = set(data["aliases"])
    except (KeyError, TypeError, AttributeError, ValueError):
        return None
    return names, context
