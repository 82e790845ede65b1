"""Checks on bank questions: gold-fact coverage, structural defects, wh-questions, duplicates."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from quizapp import answers, numbers
from quizapp.banks import CLOZE_GAP

from .gold import GoldFact

# Defect names reported by structural_defects().
EMPTY_PROMPT = "empty prompt"
SHORT_PROMPT = "prompt under 3 words"
LEAKS_ANSWER = "prompt leaks the answer"
NO_GAP = "cloze prompt without gap"
NOT_IN_ARTICLE = "answer not in the article"
NO_NUMBER = "how_many answer without a number"
BAD_CHOICES = "multiple choice without one key and 3 distinct distractors"

_WH_WORDS = frozenset("who whom whose what which where when why how".split())
# Words that may stand before the wh-word: prepositions and qualifiers ("For about how many",
# "According to which", "More than how many", "As of what date").
_LEADERS = frozenset(
    "about according after against among around as at before behind between by during for from "
    "in inside into near of off on onto out outside over per since than through to towards under "
    "until upon with within approximately roughly nearly almost exactly just only more less fewer "
    "least most".split()
)
_AUXILIARIES = frozenset(
    "is are was were be been am do does did has have had will would can could may "
    "might must shall should".split()
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_POSSESSIVE = re.compile(r"(?<=\w)['’]s?(?!\w)")
_NUMBER_START = re.compile(r"(?<![\w.,])(?:\d|[^\W\d_]+)")
_normalised = lru_cache(maxsize=32)(answers.normalise)  # article texts are normalised often


def fact_covered(fact: GoldFact, questions: Iterable[dict]) -> bool:
    """Whether a question of the fact's category covers the fact, judged by the grader's own
    matcher (``answers.accepts``) both ways, whatever the question's format (contracts §3): the
    question would accept the gold answer or an alias typed by a student, or the fact, asked as a
    question (its answer as the key, its aliases accepted), would accept one of the question's
    answers ("June 2014" holds the fact "2014"). A surname that stands beside a full name among
    the question's answers is not used on its own: "Shinawatra" keyed with "Thaksin Shinawatra"
    does not cover "Yingluck Shinawatra"."""
    targets = [fact.answer, *fact.answer_aliases]
    as_question = {
        "category": fact.type,
        "answer": fact.answer,
        "accepted_answers": list(fact.answer_aliases),
    }
    for question in questions:
        if question.get("category") != fact.type:
            continue
        if any(answers.accepts(question, target) for target in targets):
            return True
        if any(answers.accepts(as_question, text) for text in _question_answers(question)):
            return True
    return False


def _question_answers(question: dict) -> list[str]:
    """A question's answer and accepted answers, less surnames of its other (full) names."""
    texts = [question.get("answer"), *(question.get("accepted_answers") or [])]
    texts = [text for text in texts if isinstance(text, str)]
    return [t for t in texts if not any(answers.surname_matches(t, other) for other in texts)]


def _contains_words(haystack: str, needle: str) -> bool:
    """Whether normalised ``needle`` occurs as whole words in normalised ``haystack``, also as a
    possessive ("Niger" in "Niger's president")."""
    needle = f" {answers.normalise(needle)} "
    forms = (haystack, _POSSESSIVE.sub("", haystack))
    return needle != "  " and any(needle in f" {_normalised(form)} " for form in forms)


def _has_number(text: str) -> bool:
    """Whether a number (digits or words: "6", "six", "a dozen") occurs in ``text``."""
    return any(ch.isdigit() for ch in text) or any(
        numbers.parse_number(text[m.start() :]) is not None for m in _WORD.finditer(text)
    )


@lru_cache(maxsize=16)
def _numbers_in(text: str) -> frozenset[float]:
    """The values of all numbers written in ``text``, in digits or words."""
    found = (
        numbers.parse_number(text[m.start() : m.start() + 80]) for m in _NUMBER_START.finditer(text)
    )
    return frozenset(value for value in found if value is not None)


def _in_article(answer: str, article_text: str) -> bool:
    if _contains_words(article_text, answer):
        return True
    value = numbers.parse_number(answer)  # "six" / "6", "40 thousand" / "40,000"
    return value is not None and value in _numbers_in(article_text)


def _leaks(question: dict, prompt: str) -> bool:
    # A worded alias (a surname) in the prompt gives the answer away too; bare numbers among
    # the accepted answers ("6" for "six") are too common in prompts to count.
    keys = [a for a in question.get("accepted_answers") or [] if re.search(r"[^\W\d_]{3}", a)]
    return any(_contains_words(prompt, key) for key in [question.get("answer") or "", *keys])


def _bad_choices(question: dict) -> bool:
    choices, answer = question.get("choices"), question.get("answer") or ""
    if not isinstance(choices, list) or choices.count(answer) != 1:
        return True
    # A choice that matches the key ("6" beside "six") is another key, not a distractor.
    others = [c for c in choices if c != answer and not answers.texts_match(c, answer)]
    return len({answers.normalise(c) for c in others} - {""}) < 3


def structural_defects(question: dict, article_text: str) -> list[str]:
    """Names of the structural defects of ``question`` (a bank question dict), [] if none: the
    module's ``EMPTY_PROMPT``, ``SHORT_PROMPT``, ``NO_GAP``, ``LEAKS_ANSWER`` (answer or worded
    alias in the prompt), ``NOT_IN_ARTICLE`` (numbers may match by value), ``NO_NUMBER``, and
    ``BAD_CHOICES`` (not exactly one key and three distinct distractors)."""
    prompt, answer = (question.get("prompt") or "").strip(), question.get("answer") or ""
    checks = [
        (EMPTY_PROMPT, not prompt),
        (SHORT_PROMPT, 0 < len(prompt.split()) < 3),
        (NO_GAP, question.get("format") == "cloze" and CLOZE_GAP not in prompt),
        (LEAKS_ANSWER, bool(prompt) and _leaks(question, prompt)),
        (NOT_IN_ARTICLE, not answer.strip() or not _in_article(answer, article_text)),
        (NO_NUMBER, question.get("category") == "how_many" and not _has_number(answer)),
        (BAD_CHOICES, question.get("format") == "multiple_choice" and _bad_choices(question)),
    ]
    return [name for name, failed in checks if failed]


def _opens_with_wh(text: str) -> bool:
    """A wh-word first, or within the first six words right after a preposition or qualifier
    with no verb before it ("For about how many", "Scientists from which university")."""
    words = _WORD.findall(text.casefold())[:6]
    for i, word in enumerate(words):
        if word in _WH_WORDS:
            return i == 0 or (words[i - 1] in _LEADERS and _AUXILIARIES.isdisjoint(words[:i]))
    return False


def is_wh_question(question: dict) -> bool:
    """Whether ``question`` is a real wh-question: not a cloze, its prompt ends with "?" and opens
    with a wh-word, also after prepositions ("According to which …?", "For about how many …?"),
    in a short opening phrase ("Off the coast of which …?") or after an introductory one ("By
    the time …, how many …?"), also one with an apposition inside ("According to Abdurrahman
    Mangal, spokesperson for the provincial governor, how many …?": the wh-clause after its
    first or last comma)."""
    prompt = (question.get("prompt") or "").strip()
    if question.get("format") == "cloze" or not prompt.endswith("?") or CLOZE_GAP in prompt:
        return False
    if _opens_with_wh(prompt):
        return True
    lead = _WORD.match(prompt.casefold())
    if lead is None or lead[0] not in _LEADERS or "," not in prompt:
        return False
    # Not a middle comma: "According to the report, the mayor, who was stabbed, died?"
    return _opens_with_wh(prompt.partition(",")[2]) or _opens_with_wh(prompt.rpartition(",")[2])


def duplicates(questions: Iterable[dict]) -> int:
    """How many questions repeat an earlier one: the same normalised prompt, or the same
    category, format, normalised answer and (non-empty) source sentence."""
    seen: set[tuple] = set()
    count = 0
    for q in questions:
        keys = {("prompt", answers.normalise(q.get("prompt") or ""))}
        if sentence := (q.get("source_sentence") or "").strip():
            answer = answers.normalise(q.get("answer") or "")
            keys.add(("fact", q.get("category"), q.get("format"), answer, sentence))
        count += not seen.isdisjoint(keys)
        seen |= keys
    return count
