"""Naming a sentence-opening "He" / "She" (coref.py), with the real spaCy model: resolved only
when the sentences before leave no doubt, and then the question stands on its own."""

from __future__ import annotations

import json

import pytest

from quizapp.articles import parse_article
from quizapp.generation import generate_bank
from quizapp.generation.coref import RESOLVED
from quizapp.generation.generator import parse_articles


def _resolutions(text: str) -> list[str]:
    (parsed,) = parse_articles([parse_article(text.encode(), "case.txt", "txt")])
    from quizapp.generation.generator import _Builder

    _Builder(parsed)  # resolves while it builds
    return [text for doc in parsed.docs for text in (doc.user_data.get(RESOLVED) or {}).values()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one person before: named
        (
            "Police charged Bruce McArthur on Tuesday.\n\nHe was arrested in Toronto.",
            ["Bruce McArthur"],
        ),
        ("Police charged Bruce McArthur on Tuesday. His van was searched.", ["Bruce McArthur's"]),
        # two people, one of them the subject: the subject
        (
            "Greta Thunberg met Pope Francis in Rome. She spoke about the climate.",
            ["Greta Thunberg"],
        ),
        # two people, neither the subject: no guess
        ("The court heard from Greta Thunberg and Angela Merkel. She spoke first.", []),
        # nobody before: no guess
        ("The storm hit the coast on Monday. He said the damage was severe.", []),
        # the person is named in the sentence itself: "He" is someone else
        ("Police charged Bruce McArthur. He said McArthur would plead guilty.", []),
        # "It" and "They" are never guessed
        ("Police charged Bruce McArthur. They searched his van.", []),
    ],
)
def test_resolution_table(text, expected):
    assert _resolutions(text) == expected


def test_a_named_pronoun_gives_a_question_that_stands_alone():
    text = "Police charged Bruce McArthur on Tuesday.\n\nHe founded a landscaping company in 1985."
    prompts = [q.prompt for q in generate_bank(parse_article(text.encode(), "case.txt")).held]
    assert "In what year did Bruce McArthur found a landscaping company?" in prompts
    assert not any(p.startswith("He ") for p in prompts)


def test_it_names_an_encyclopaedia_topic_only_while_the_text_is_about_it():
    record = {
        "title": "Montana",
        "text": "Montana is a state in the Western United States. It borders Wyoming to the "
        "south. The river flows north. It joins the Missouri near Great Falls.",
    }
    data = json.dumps(record).encode()
    (parsed,) = parse_articles([parse_article(data, "case.json", "json")])
    from quizapp.generation.generator import _Builder

    _Builder(parsed)
    named = [t for doc in parsed.docs for t in (doc.user_data.get(RESOLVED) or {}).values()]
    assert named == ["Montana"]  # the second "It" is the river's, not Montana's


def test_a_pronoun_after_a_fronted_phrase_is_named():
    text = "Police charged Bruce McArthur on Tuesday. A landscaper, he lived in Toronto."
    assert _resolutions(text) == ["Bruce McArthur"]


def test_yesterday_becomes_the_date_it_names_when_the_article_has_one():
    record = {
        "title": "Plane crashes in Connecticut",
        "published": "2019-10-03",
        "text": "At least seven people were killed yesterday when a bomber crashed at Bradley "
        "International Airport in Connecticut.",
    }
    bank = generate_bank(parse_article(json.dumps(record).encode(), "case.json", "json"))
    clozes = [q.prompt for q in bank.held if q.format == "cloze"]
    assert clozes and all("on October 2, 2019 when" in c for c in clozes)
    undated = dict(record, published=None)
    bank = generate_bank(parse_article(json.dumps(undated).encode(), "case.json", "json"))
    assert not [q for q in bank.held if "yesterday" in q.prompt]  # not alone: dropped
