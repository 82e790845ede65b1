"""Gold files: annotated articles (``corpus/wikinews/*.json``) and their facts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

GOLD_TYPES = ("who", "where", "how_many", "when")


@dataclass(frozen=True)
class GoldFact:
    """One annotated fact: a question a teacher would ask and its accepted answers."""

    type: str
    question: str
    answer: str
    answer_aliases: tuple[str, ...] = ()
    sentence: str = ""


@dataclass(frozen=True)
class GoldArticle:
    """An annotated article (``corpus/wikinews/*.json``); ``name`` is the file stem."""

    id: str
    name: str
    title: str
    text: str
    published: str | None = None
    facts: tuple[GoldFact, ...] = ()
    path: str = ""


def load_gold(path: str | Path) -> GoldArticle:
    """Read one gold article file. Raises ``ValueError`` naming the file if it is malformed."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read gold file: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise ValueError(f"{path}: a gold file is a JSON object with a 'text' string")
    facts = []
    for index, raw in enumerate(data.get("facts") or []):
        if not isinstance(raw, dict) or raw.get("type") not in GOLD_TYPES:
            raise ValueError(f"{path}: facts[{index}]: needs a type in {', '.join(GOLD_TYPES)}")
        if not isinstance(raw.get("answer"), str) or not raw["answer"].strip():
            raise ValueError(f"{path}: facts[{index}]: needs a non-empty answer")
        aliases = tuple(str(a) for a in raw.get("answer_aliases") or ())
        question, sentence = str(raw.get("question") or ""), str(raw.get("sentence") or "")
        facts.append(GoldFact(raw["type"], question, raw["answer"], aliases, sentence))
    return GoldArticle(
        id=str(data.get("id") or path.stem),
        name=path.stem,
        title=str(data.get("title") or ""),
        text=data["text"],
        published=data.get("published"),
        facts=tuple(facts),
        path=str(path),
    )
