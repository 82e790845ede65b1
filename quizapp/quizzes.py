"""Choosing a quiz's questions from a set's ranked list. Pure: plain mappings in, indexes out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .answers import normalise

MIN_ANSWER_CHARS = 3  # "US" or "5" inside a prompt is too common to count as a give-away


def _answers(question: Mapping[str, Any]) -> set[str]:
    forms = [question.get("answer") or "", *(question.get("accepted_answers") or [])]
    found = {normalise(form) for form in forms}
    return {form for form in found if len(form) >= MIN_ANSWER_CHARS}


def _contains(text: str, phrase: str) -> bool:
    """Whole-word containment of one normalised phrase in a normalised text."""
    return f" {phrase} " in f" {text} "


def gives_away(asker: Mapping[str, Any], asked: Mapping[str, Any]) -> bool:
    """True when `asker`'s prompt holds the answer to `asked` (either spelling)."""
    prompt = normalise(asker.get("prompt") or "")
    return any(_contains(prompt, answer) for answer in _answers(asked))


def choose(questions: Sequence[Mapping[str, Any]], length: int) -> list[int]:
    """Indexes of up to `length` questions, best first, such that no chosen question's prompt
    gives away another chosen question's answer (question-rubric.md: such a question fails).
    Questions are taken in their ranked order; one that would give away (or be given away by)
    a question already chosen is left out, so an article with few compatible questions gives a
    shorter quiz rather than one that answers itself."""
    chosen: list[int] = []
    for index, question in enumerate(questions):
        if len(chosen) == length:
            break
        if not any(
            gives_away(question, questions[i]) or gives_away(questions[i], question) for i in chosen
        ):
            chosen.append(index)
    return chosen
