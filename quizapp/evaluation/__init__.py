"""Measuring question banks against the gold facts of annotated articles (contracts §3).

Pure: the standard library, :mod:`quizapp.answers` and :mod:`quizapp.numbers`.
:func:`evaluate_dir` is what ``quizapp evaluate GOLD_DIR [--banks DIR]`` runs.

Modules: :mod:`.gold` (gold files), :mod:`.checks` (coverage, structural defects, wh-questions,
duplicates), :mod:`.quiz_faults` (what a reader sees wrong in the default quiz: give-aways, too
many questions from one sentence, fragments, pronouns, bad wrong options), :mod:`.report`
(tallies, the summary and its bars, text and JSON output) and :mod:`.runner` (evaluating a bank
and a directory of gold files).
"""

from __future__ import annotations

from .checks import (
    BAD_CHOICES,
    EMPTY_PROMPT,
    LEAKS_ANSWER,
    NO_GAP,
    NO_NUMBER,
    NOT_IN_ARTICLE,
    SHORT_PROMPT,
    duplicates,
    fact_covered,
    is_wh_question,
    structural_defects,
)
from .gold import GOLD_TYPES, GoldArticle, GoldFact, load_gold
from .quiz_faults import (
    BAD_OPTION,
    FAULT_KINDS,
    FRAGMENT,
    GIVES_AWAY,
    PRONOUN,
    SAME_SENTENCE,
    find_quiz_faults,
)
from .report import (
    BARS,
    ArticleReport,
    Bars,
    Summary,
    Tally,
    format_report,
    report_to_dict,
    summarise,
)
from .runner import evaluate_bank, evaluate_dir

__all__ = [
    "BAD_CHOICES",
    "BAD_OPTION",
    "BARS",
    "EMPTY_PROMPT",
    "FAULT_KINDS",
    "FRAGMENT",
    "GIVES_AWAY",
    "GOLD_TYPES",
    "LEAKS_ANSWER",
    "NOT_IN_ARTICLE",
    "NO_GAP",
    "NO_NUMBER",
    "PRONOUN",
    "SAME_SENTENCE",
    "SHORT_PROMPT",
    "ArticleReport",
    "Bars",
    "GoldArticle",
    "GoldFact",
    "Summary",
    "Tally",
    "duplicates",
    "evaluate_bank",
    "evaluate_dir",
    "fact_covered",
    "find_quiz_faults",
    "format_report",
    "is_wh_question",
    "load_gold",
    "report_to_dict",
    "structural_defects",
    "summarise",
]
