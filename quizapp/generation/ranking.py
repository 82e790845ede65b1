"""Ranking: a quality estimate per question, then an order whose first 20 make a good quiz.

The estimate prefers what teachers keep (generator.md): facts from the first paragraphs, real
wh-questions over cloze items, definitions of people by their role, numbers and dates before
names and names before places, salient answers that are not the article's main subject, short
clean sentences. The order then keeps one question per fact, at most two per sentence and a
mix of categories and formats in the default quiz.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from ..answers import normalise
from .facts import Fact
from .models import Question

QUIZ_SIZE = 20
CATEGORY_WEIGHT = {"how_many": 1.0, "who": 0.95, "when": 0.85, "where": 0.85, "what": 0.6}
KIND_WEIGHT = {"weekday": 0.55, "time": 0.8, "organisation": 0.9, "place": 0.85}
MAX_PER_CATEGORY = 8
MAX_PER_SENTENCE = 2
MAX_CLOZE = 7
UNBOUND_STARTS = {"he", "she", "it", "they", "his", "her", "its", "their", "this", "these", "those"}


@dataclass(frozen=True)
class Draft:
    question: Question
    fact: Fact
    paragraph: int
    is_wh: bool
    definition: bool = False
    mentions: int = 1
    main_subject: bool = False


def estimate(d: Draft) -> float:
    """The generator's quality estimate of one question, in [0, 1]."""
    q = d.question
    score = 0.55 if d.is_wh else 0.36
    if d.definition:
        score += 0.12
    if q.format == "multiple_choice":
        score += 0.05
    score *= CATEGORY_WEIGHT.get(q.category, 0.6)
    score *= KIND_WEIGHT.get(d.fact.kind, 1.0)
    score *= 1.0 - 0.25 * min(d.paragraph / 15, 1.0)
    n = len(q.source_sentence.split())
    if n > 35:
        score *= 0.9
    if d.fact.category in ("who", "where"):
        if d.main_subject:
            score *= 0.8
        elif d.mentions >= 2:
            score *= 1.05
    if d.fact.category == "how_many" and d.fact.unit:
        score *= 1.08
    if q.format == "cloze" and d.fact.kind in ("person", "organisation") and " " not in q.answer:
        score *= 0.85
    first = q.prompt.split(" ", 1)[0].lower()
    if q.format == "cloze" and first in UNBOUND_STARTS:
        score *= 0.75  # "Her mother is …": the blank leans on an earlier sentence
    if len(q.prompt.split()) > 22:
        score *= 0.93
    return max(0.0, min(1.0, score + 0.3))


def _fact_key(q: Question) -> tuple[str, str]:
    return (q.category, normalise(q.answer))


def order_questions(drafts: list[Draft]) -> list[Question]:
    """Drop duplicates, score, and order best first with a varied default quiz."""
    scored = sorted(
        ((estimate(d), d) for d in drafts),
        key=lambda p: (-p[0], p[1].question.source_span[0], p[1].question.id),
    )
    seen_prompts: set[str] = set()
    seen_facts: set[tuple[str, str, str]] = set()
    unique: list[tuple[float, Draft]] = []
    for s, d in scored:
        q = d.question
        prompt = normalise(q.prompt)
        fact = (q.category, normalise(q.answer), normalise(q.source_sentence))
        if prompt in seen_prompts or fact in seen_facts:
            continue
        seen_prompts.add(prompt)
        seen_facts.add(fact)
        unique.append((s, d))
    quiz: list[tuple[float, Draft]] = []
    per_cat: Counter = Counter()
    per_sent: Counter = Counter()
    answers: set[tuple[str, str]] = set()

    def fits(d: Draft, max_per_category: int, max_cloze: int, varied: bool) -> bool:
        q = d.question
        return (
            len(quiz) < QUIZ_SIZE
            and per_cat[q.category] < max_per_category
            and (not varied or per_sent[q.source_sentence] < MAX_PER_SENTENCE)
            and (not varied or _fact_key(q) not in answers)
            and (d.is_wh or sum(not x.is_wh for _, x in quiz) < max_cloze)
        )

    # First the varied quiz; if it is short, real questions held back by the category cap,
    # then real questions of any kind, before any further cloze item; then the best left.
    for max_per_category, max_cloze, varied in (
        (MAX_PER_CATEGORY, MAX_CLOZE, True),
        (QUIZ_SIZE, 0, True),
        (QUIZ_SIZE, 0, False),
        (QUIZ_SIZE, QUIZ_SIZE, False),
    ):
        for s, d in unique:
            if any(d is x for _, x in quiz) or not fits(d, max_per_category, max_cloze, varied):
                continue
            quiz.append((s, d))
            per_cat[d.question.category] += 1
            per_sent[d.question.source_sentence] += 1
            answers.add(_fact_key(d.question))
    picked = {id(d) for _, d in quiz}
    rest = [(s, d) for s, d in unique if id(d) not in picked]
    ordered = quiz + rest
    out: list[Question] = []
    ceiling = 1.0
    for s, d in ordered:
        ceiling = min(ceiling, s)  # the list is sorted by score: the quiz's picks set the bar
        out.append(replace(d.question, score=round(ceiling, 4)))
    return out
