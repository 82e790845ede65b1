"""Flashcards: which card comes next, reviews (studied or answered in a quiz), settings.

Rules (README "Flashcards"): a card belongs to a (student, question row) the student may take; a
session shows the cards due now, then new cards up to the daily limit (UTC days); a quiz answer
feeds the student's cards. The details are in the modules that apply them.

Modules: ``settings`` (desired retention, new cards per day), ``queue`` (what may be studied,
due and new cards, the daily limit, progress, the next card), ``reviews`` (rating a card, the
rating buttons, quiz to flashcards), ``stats`` (reviews per day, cards coming due, retention).
This package re-exports the public names of the first three, as one service ``study``.
"""

from __future__ import annotations

from ...models import utcnow
from .queue import (
    LEARN_AHEAD,
    Progress,
    StudyItem,
    card_sets,
    cards_query,
    day_start,
    due_cards,
    item_for,
    new_left_today,
    new_questions,
    next_item,
    progress,
    question_by_uid,
    studyable_question,
)
from .reviews import (
    MAX_DURATION_MS,
    AnswerSide,
    Button,
    ReviewResult,
    answer_side,
    intervals,
    record_answers,
    record_claimed,
    record_review,
)
from .settings import (
    DEFAULT_NEW_PER_DAY,
    MAX_NEW_PER_DAY,
    Settings,
    save_settings,
    settings_for,
)

__all__ = [
    "DEFAULT_NEW_PER_DAY",
    "LEARN_AHEAD",
    "MAX_DURATION_MS",
    "MAX_NEW_PER_DAY",
    "AnswerSide",
    "Button",
    "Progress",
    "ReviewResult",
    "Settings",
    "StudyItem",
    "answer_side",
    "card_sets",
    "cards_query",
    "day_start",
    "due_cards",
    "intervals",
    "item_for",
    "new_left_today",
    "new_questions",
    "next_item",
    "progress",
    "question_by_uid",
    "record_answers",
    "record_claimed",
    "record_review",
    "save_settings",
    "settings_for",
    "studyable_question",
    "utcnow",
]
