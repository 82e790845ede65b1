"""Measuring question banks against the gold facts of annotated articles (contracts §3).

Pure: the standard library, :mod:`quizapp.answers` and :mod:`quizapp.numbers`.
:func:`evaluate_dir` is what ``quizapp evaluate GOLD_DIR [--banks DIR]`` runs.

Modules: :mod:`.gold` (gold files), :mod:`.checks` (coverage, structural defects, wh-questions,
duplicates), :mod:`.report` (tallies, the summary and its bars, text and JSON output) and
:mod:`.runner` (evaluating a bank and a directory of gold files).
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
from .report import ArticleReport, Summary, Tally, format_report, report_to_dict, summarise
from .runner import evaluate_bank, evaluate_dir

__all__ = [
    "BAD_CHOICES",
    "EMPTY_PROMPT",
    "GOLD_TYPES",
    "LEAKS_ANSWER",
    "NOT_IN_ARTICLE",
    "NO_GAP",
    "NO_NUMBER",
    "SHORT_PROMPT",
    "ArticleReport",
    "GoldArticle",
    "GoldFact",
    "Summary",
    "Tally",
    "duplicates",
    "evaluate_bank",
    "evaluate_dir",
    "fact_covered",
    "format_report",
    "is_wh_question",
    "load_gold",
    "report_to_dict",
    "structural_defects",
    "summarise",
]
