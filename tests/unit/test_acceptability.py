"""The reader model (quizapp/generation/acceptability.py): its features read what they say,
the committed weights load, and its probabilities order questions the way readers did."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from quizapp.generation import acceptability
from quizapp.generation.models import Question

ROOT = Path(__file__).resolve().parents[2]


def question(prompt: str, answer: str, fmt: str = "short_answer", category: str = "who"):
    return Question(
        id="q",
        category=category,
        format=fmt,
        prompt=prompt,
        answer=answer,
        source_sentence=prompt,
        source_span=(0, len(prompt)),
    )


def test_features_see_definites_the_article_used_before():
    before = "The court called a hearing. "
    prompt = "When was the hearing held?"
    text = before + prompt
    q = replace(question(prompt, "March 24", category="when"), source_span=(len(before), len(text)))
    earlier = acceptability.features(q, None, acceptability.ArticleWords(text))
    first = question(prompt, "March 24", category="when")  # the article's first sentence
    fresh = acceptability.features(first, None, acceptability.ArticleWords(prompt))
    assert earlier["anaphoric"] > 0 and fresh["anaphoric"] == 0
    assert earlier["definites"] > 0


def test_features_take_unique_nouns_from_the_readback():
    q = question("When did the government fall?", "March 24", category="when")
    words = acceptability.ArticleWords("The government met. When did the government fall?")
    assert acceptability.features(q, None, words)["definites"] == 0


def test_features_see_a_key_in_the_title_and_a_country_key():
    q = question("In which country is the canal?", "Egypt", category="where")
    signs = acceptability.features(q, "Egypt reopens the Suez Canal")
    assert signs["answer_in_title"] == 1.0 and signs["answer_country"] == 1.0
    assert signs["wh"] == 1.0 and signs["format_short_answer"] == 1.0


def test_the_committed_model_loads_and_covers_every_feature():
    model = acceptability.fitted()
    names = set(acceptability.features(question("Who won?", "Ann Lee")))
    assert names <= set(model.weights) and names <= set(model.means)
    data = json.loads(acceptability.WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert data["questions"] >= 1000  # fitted on the committed reads' verdicts


def test_a_key_in_the_title_makes_a_question_less_likely_kept():
    q = question("Who was named the magazine's Person of the Year?", "Greta Thunberg")
    shown = acceptability.probability(q, "Greta Thunberg named Person of the Year")
    hidden = acceptability.probability(q, "Time names its Person of the Year")
    assert 0.0 < shown < hidden < 1.0


def test_controlled_probability_ignores_the_format():
    a = question("Who founded the company in 1998?", "Larry Page", fmt="short_answer")
    b = question("Who founded the company in 1998?", "Larry Page", fmt="multiple_choice")
    assert acceptability.probability(a, None) == acceptability.probability(b, None)
    assert acceptability.probability(a, None, controlled=False) != acceptability.probability(
        b, None, controlled=False
    )
