"""Plain data produced by the generator: questions and the bank that holds them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from quizapp.answers import normalise
from quizapp.vocabulary import CATEGORIES as CATEGORIES
from quizapp.vocabulary import FORMATS as FORMATS
from quizapp.vocabulary import MAX_ID

# The longest strings a bank may hold (what quizapp/models.py stores); banks.validate_bank
# refuses longer ones, build_bank shortens or drops them.
MAX_CHARS = {"id": MAX_ID, "title": 300, "url": 2000, "published": 40, "licence": 200, "sha256": 64}


@dataclass(frozen=True)
class Numeric:
    """The typed-number key of a numeric question."""

    value: float
    tolerance: float = 0
    unit: str | None = None

    def to_dict(self) -> dict:
        value: float | int = int(self.value) if float(self.value).is_integer() else self.value
        tol: float | int = (
            int(self.tolerance) if float(self.tolerance).is_integer() else self.tolerance
        )
        return {"value": value, "tolerance": tol, "unit": self.unit}


@dataclass(frozen=True)
class Question:
    """One question of a bank, in the shape of contracts §2."""

    id: str
    category: str
    format: str
    prompt: str
    answer: str
    accepted_answers: tuple[str, ...] = ()
    choices: tuple[str, ...] | None = None
    numeric: Numeric | None = None
    explanation: str = ""
    source_sentence: str = ""
    source_span: tuple[int, int] = (0, 0)
    score: float = 0.0

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "category": self.category,
            "format": self.format,
            "prompt": self.prompt,
            "answer": self.answer,
            "accepted_answers": list(self.accepted_answers),
            "choices": list(self.choices) if self.choices is not None else None,
            "numeric": self.numeric.to_dict() if self.numeric is not None else None,
            "explanation": self.explanation,
            "source_sentence": self.source_sentence,
            "source_span": list(self.source_span),
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Source:
    title: str | None = None
    url: str | None = None
    published: str | None = None
    licence: str | None = None
    sha256: str = ""

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "url": self.url,
            "published": self.published,
            "licence": self.licence,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class Bank:
    """A question bank for one article (contracts §2); questions best first."""

    title: str
    source: Source
    generator: dict = field(default_factory=dict)
    questions: tuple[Question, ...] = ()
    # Sound questions left out of the bank's list: each gives away a listed question's answer
    # (or asks its fact again) or is trivial. A teacher can turn one on instead of another.
    alternates: tuple[Question, ...] = ()
    # What the generation found besides the questions (generation/findings.py): kept with a
    # set for wrong-option suggestions; not part of the bank file.
    findings: dict | None = field(default=None, compare=False, repr=False)

    @property
    def held(self) -> tuple[Question, ...]:
        """Every question the bank holds: its list, then its alternates."""
        return self.questions + self.alternates

    def to_dict(self) -> dict:
        data = {
            "format": "quizapp-bank",
            "version": 1,
            "title": self.title,
            "source": self.source.to_dict(),
            "generator": dict(self.generator),
            "questions": [q.to_dict() for q in self.questions],
        }
        if self.alternates:
            data["alternates"] = [q.to_dict() for q in self.alternates]
        return data


def question_id(sentence: str, answer: str, category: str, fmt: str) -> str:
    """Stable id: a hash of the normalised sentence, answer, category and format.

    Not of the prompt: an improved phrasing keeps the id (Anki GUIDs rely on it).
    """
    key = "\x1f".join((normalise(sentence), normalise(answer), category, fmt))
    return "q-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
