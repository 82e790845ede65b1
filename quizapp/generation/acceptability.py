"""How likely a reader is to keep a question as written: a model fitted on blind-read verdicts.

Readback (readback.py) throws away what a rule can prove wrong; many questions a strict reader
fails are only *likely* wrong: a prompt with two unexplained definites ("the hearing", "the
donations"), a long cloze late in the article, a question whose key is a bare surname. This
module turns such surface signs into a probability with a logistic model whose weights were
fitted on the verdicts of the committed blind reads (`bench/reads/*/verdicts`, by
`bench/fit_acceptability.py`, which also reports its cross-validated discrimination). The ranker
multiplies its estimate by this probability, so the first questions of a bank are the ones a
reader is likeliest to keep.

Pure: the features are read from the question, the bank title and nothing else, so the fitting
script and the generator compute the very same numbers.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .gazetteer import load_gazetteer
from .models import CATEGORIES, FORMATS, Question
from .readback import UNIQUE_NOUNS

# A definite article before a common noun: "the election", "the two aftershocks".
_DEFINITE = re.compile(r"\bthe ([a-z][a-z-]+)\b")
# Nouns that need no antecedent are readback's (readback.UNIQUE_NOUNS), with the words that
# make a definite phrase an ordinal or a superlative.
_UNIQUE = UNIQUE_NOUNS | frozenset(
    "first second third last largest biggest highest most least".split()
)
_LEANING = re.compile(
    r"\b(?:he|she|it|they|him|them|his|its|their|this|these|those|such|also|other|same|"
    r"former|latter|another|both|remaining|then|later|there)\b",
    re.IGNORECASE,
)
_REPORTING = re.compile(
    r"\b(?:said|says|say|told|according|reported|claimed|estimated|believed|alleged|"
    r"expected|announced|stated)\b",
    re.IGNORECASE,
)
_CONNECTIVE = re.compile(
    r"^(?:however|but|and|also|he|she|it|they|this|these|those|its|his|her|their|there|"
    r"meanwhile|later|then|the)\b",
    re.IGNORECASE,
)
_CAPITAL = re.compile(r"(?<![.?!] )\b[A-Z][a-z]+")
_TRAILING_PREP = re.compile(r"\b(?:on|in|at|by|of|from|with|to|for|into)\?$")
_WORD = re.compile(r"[\w'-]+")
_DIGIT = re.compile(r"\d")
# A blank inside a name: "_____ 737-800", "Human Rights in _____".
_BLANK_IN_NAME = re.compile(r"[A-Z]\w*\s+_____|_____\s+[A-Z0-9]")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


class ArticleWords:
    """Where each word of an article first stands (lower case), so that "did the article use
    this word before the question's sentence?" is a lookup: scanning the text before each
    question made ranking quadratic in the article's length (40% of the CPU of a 150 KB
    article)."""

    def __init__(self, text: str = "") -> None:
        self._first: dict[str, int] = {}
        for m in _WORD.finditer(text):
            self._first.setdefault(m.group().lower(), m.start())

    def before(self, word: str, offset: int) -> bool:
        first = self._first.get(word.lower())
        return first is not None and first < offset


NO_WORDS = ArticleWords()


def features(
    question: Question, title: str | None = None, words: ArticleWords = NO_WORDS
) -> dict[str, float]:
    """The model's inputs for one question: surface signs of a question readers keep or fail.
    `words` are the article's (its source_span counts in the same text): a definite noun the
    article used before the question's sentence ("the election") points back to what the
    student cannot see."""
    prompt = question.prompt.strip()
    sentence = question.source_sentence.strip()
    p_words, s_words = _words(prompt), _words(sentence)
    answer_words = _words(question.answer)
    definites = [
        m.group(1) for m in _DEFINITE.finditer(prompt) if m.group(1).lower() not in _UNIQUE
    ]
    start = question.source_span[0]
    anaphoric = [d for d in definites if words.before(d, start)]
    title_words = {w.lower() for w in _words(title or "") if len(w) > 3}
    sentence_words = {w.lower() for w in s_words if len(w) > 3}
    prompt_lower = {w.lower() for w in p_words}
    key_words = [w.lower() for w in answer_words if len(w) > 3]
    place = load_gazetteer().lookup(question.answer) if question.category == "where" else None
    f: dict[str, float] = {
        "bias": 1.0,
        "wh": 1.0 if question.format != "cloze" else 0.0,
        "prompt_len": min(len(p_words), 40) / 20,
        "sentence_len": min(len(s_words), 60) / 30,
        "shrink": min(len(p_words) / max(len(s_words), 1), 2.0),
        "late": min(start / 2000, 1.0),
        "definites": min(len(definites), 3) / 3,
        "anaphoric": min(len(anaphoric), 2) / 2,
        "answer_before": 1.0
        if answer_words and all(words.before(w, start) for w in answer_words)
        else 0.0,
        "leaning": min(len(_LEANING.findall(prompt)), 3) / 3,
        "reporting": 1.0 if _REPORTING.search(prompt) else 0.0,
        "sentence_reporting": 1.0 if _REPORTING.search(sentence) else 0.0,
        "connective_start": 1.0 if _CONNECTIVE.match(sentence) else 0.0,
        "names": min(len(_CAPITAL.findall(prompt)), 5) / 5,
        "commas": min(prompt.count(","), 3) / 3,
        "quotes": 1.0 if '"' in prompt or "“" in prompt else 0.0,
        "prompt_digits": 1.0 if _DIGIT.search(prompt) else 0.0,
        "answer_len": min(len(answer_words), 6) / 3,
        "answer_digits": 1.0 if _DIGIT.search(question.answer) else 0.0,
        "one_word_name": 1.0
        if len(answer_words) == 1 and question.answer[:1].isupper() and question.category == "who"
        else 0.0,
        "trailing_prep": 1.0 if _TRAILING_PREP.search(prompt) else 0.0,
        "headline": min(len(title_words & sentence_words), 3) / 3,
        "answer_in_title": 1.0
        if answer_words
        and all(w.lower() in title_words for w in answer_words if len(w) > 3)
        and any(len(w) > 3 for w in answer_words)
        else 0.0,
        "parenthesis": 1.0 if "(" in prompt else 0.0,
        "answer_in_prompt": 1.0 if any(w in prompt_lower for w in key_words) else 0.0,
        "answer_part_title": 1.0 if any(w in title_words for w in key_words) else 0.0,
        "answer_country": 1.0 if place is not None and place.kind == "country" else 0.0,
        "blank_in_name": 1.0 if _BLANK_IN_NAME.search(prompt) else 0.0,
    }
    for fmt in FORMATS:
        f[f"format_{fmt}"] = 1.0 if question.format == fmt else 0.0
    for category in CATEGORIES:
        f[f"category_{category}"] = 1.0 if question.category == category else 0.0
    return f


WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "data" / "acceptability.json"
# The question's kind, which the ranker weighs by its own policy (the quiz's mix of formats and
# categories, real wh-questions first): the model is fitted with them, so that the other
# weights are not confounded by them, and reads them at their mean when it ranks.
CONTROLS = ("wh", *(f"format_{f}" for f in FORMATS), *(f"category_{c}" for c in CATEGORIES))


@dataclass(frozen=True)
class Model:
    weights: dict[str, float]
    means: dict[str, float]


@lru_cache(maxsize=1)
def fitted() -> Model:
    """The model `bench/fit_acceptability.py` fitted on the committed reads' verdicts."""
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    return Model(weights=data["weights"], means=data["means"])


def probability(
    question: Question,
    title: str | None,
    words: ArticleWords = NO_WORDS,
    model: Model | None = None,
    *,
    controlled: bool = True,
) -> float:
    """The fitted model's probability that a strict reader keeps the question as written.
    `controlled`: the question's format and category count as average (see CONTROLS)."""
    model = fitted() if model is None else model
    signs = features(question, title, words)
    if controlled:
        signs.update({name: model.means.get(name, 0.0) for name in CONTROLS})
    z = sum(model.weights.get(name, 0.0) * value for name, value in signs.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
