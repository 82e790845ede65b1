"""The generator's quality bars (issue 2, generator.md), measured on the development corpus.

These are regression guards on measured figures: coverage of the gold facts, coverage within
the default quiz (first 20), the share of real wh-questions, defects and duplicates.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.articles import parse_article
from quizapp.evaluation import evaluate_dir
from quizapp.generation import generate_bank


def _generate(gold) -> dict:
    record = {"text": gold.text, "title": gold.title, "published": gold.published}
    data = json.dumps(record, ensure_ascii=False).encode("utf-8")
    return generate_bank(parse_article(data, f"{gold.name}.json", "json")).to_dict()


@pytest.fixture(scope="module")
def wikinews(corpus_dir: Path):
    return evaluate_dir(corpus_dir, generate=_generate)


@pytest.fixture(scope="module")
def seed(shared_dir: Path):
    return evaluate_dir(shared_dir / "corpus" / "seed", generate=_generate)


@pytest.fixture(scope="module")
def wikipedia(shared_dir: Path):
    return evaluate_dir(shared_dir / "corpus" / "wikipedia", generate=_generate)


# Regression guards on the figures measured when issue 14's readback and quiz composition
# landed (2026-12-06), re-measured when the bank kept its clashing questions aside as
# alternates (2026-12-07; README "Measured quality"). Issue 14's bars are higher: these fail when
# the generator gets worse, not until it is good enough.


def test_seed_article_guards(seed):
    (report,), summary = seed
    assert summary.coverage >= 0.93  # measured 93%; bar 90%
    # measured 52% (17 listed questions), 48% since a place is asked by its cloze (its
    # cloze shows a second place, so "Where was gunfire heard?" left the quiz), 45% since a
    # word of a name shows it ("Aliyev" beside the key "Ilham Aliyev": read 44); 38% since
    # a wh-question with nothing to tell what it is about is not asked ("How many men in
    # suits sat around a table?": blind readers kept 47 of 155 such); bar 65%
    assert summary.top_coverage >= 0.37
    # measured 71%, 65% since a question keyed with a country is an alternate (blind readers
    # kept 8 of 51: general knowledge, or given by the title or a place in the prompt), 50%
    # since a place is asked by its cloze when both read well (delta read 26)
    # 47% since an unanchored wh-question is not asked
    assert summary.wh_share >= 0.46
    assert summary.defective == 0
    assert summary.fault_rate == 0  # bar 0


def test_wikinews_guards(wikinews):
    reports, summary = wikinews
    assert len(reports) == 28
    # measured 60.3% (listed and alternates) since coverage uses the grader's matcher; 56.7%
    # since readback refuses bare definites with modifiers ("the oil field"), 55.3% since
    # it refuses unnamed subjects and pronouns a month or a number cannot bind, 54.8% since
    # it refuses counts cut from their purpose and nouns that lost their determiner, 53.9%
    # since a cloze takes its sentence alone (it shows the other answers), 52.9% since a
    # definite noun counts as bare when what said which is not in the prompt, 51.9% since
    # nouns in a fronted phrase bind no pronoun and wh-questions keep what their object is
    # known by (blind readers failed the questions these rules refuse); bar 85%
    # 54.6% since the cloze asks what a wh-question cannot, 55.5% since a dummy "it"
    assert summary.coverage >= 0.55
    for category, value in summary.category_coverage.items():
        # measured 38.8-61%, how many 38.0% since "the war" is a bare definite ("For how many
        # years has the civil war been ongoing?" under a car bomb's headline); bar 80%
        assert value is None or value >= 0.375, category
    # measured 28.9%, 27.9% since country keys and keys the prompt spells out are alternates,
    # 26.7% since a place is asked by its cloze (the cloze shows more of its sentence), 26.0%
    # since a word of a name shows it (read 44)
    assert summary.top_coverage >= 0.275  # 28.1% since the cloze fallback; bar 70%
    # measured 50.9%, 49.2% since a passive's agent, an organisation of unknown kind, "which
    # place" and a second place in a where-question get no wh-question; 49.0% since a role
    # many people hold ("the retail expert from …", failed by readers) gets none; 47.2% since
    # a place is asked by its cloze when both read well (delta read 26: readers kept those
    # clozes 17 of 22, the where-questions they replace 8 of 19); 47.2% since a fact whose
    # wh-question fails is asked by its cloze, 46.4% since a dummy "it" and a fronted
    # possessive let more clozes stand alone (coverage 54.6% -> 55.5%); 48.0% after read 51's
    # rules, 46.2% since a wh-question with no name, number, date or title word is not asked
    # ("How many inmates were killed?": readers kept 47 of 155 such); bar 60%
    assert summary.wh_share >= 0.455
    assert summary.fault_rate <= 0.05  # measured 0% (0 of 215); bar 5%
    assert summary.fault_kinds["fragment"] == 0
    assert summary.fault_kinds["bad option"] == 0
    assert summary.defect_rate <= 0.01
    assert summary.duplicates == 0


def test_wikinews_default_quiz_covers_each_article(wikinews):
    reports, _ = wikinews
    for report in reports:
        assert report.top_coverage >= 0.06, report.name  # lowest measured 6.7%


def test_wikipedia_guards(wikipedia):
    reports, summary = wikipedia
    assert len(reports) == 501
    # measured 42.6% (listed and alternates), 41.1% since a fronted phrase binds no pronoun,
    # 41.0% since a passive's agent is not asked with "By whom", 39.99% since a list keeps
    # its commas ("from South Korea, Japan, Singapore, …": a spliced list, never asked),
    # 39.8% since a how-much question that ends on its verb is not asked (8 of 8 failed),
    # 39.5% since read 40's rules (a list key, a given name, "they" for one person: 6 of 6
    # questions they refuse on earlier reads had been failed), 39.3% since a paragraph of
    # history asks no "Who was the <role>?" (readers failed 5 of 5, and "Who is the Mayor of
    # Cleveland?" of 1898); 40.9% since a fact whose wh-question does not read back is asked
    # by its cloze, 42.0% since the article's topic ("Frédéric Chopin") votes its mentions people
    # 41.5% since an unanchored wh-question is not asked
    assert summary.coverage >= 0.41  # bar 80%
    # measured 42.5%, 41.1% since country keys, 38.5% since an organisation of unknown kind
    # and a "place" get no wh-question (readers failed 31 of 41 and 9 of 9), 38.0% since
    # a passive's agent gets none (14 of 18 failed), 37.0% since a second place in a
    # where-question and a span counted from an event get none, 35.3% since a place is asked
    # by its cloze when both read well, 34.7% since "How much did Spectre earn?" (a how-much
    # question ending on its verb) is not asked, 34.2% since a paragraph of history asks no
    # "Who was the <role>?", 33.9% since a date spliced into a question is garbled (read 43),
    # 33.0% since read 48's rules (a when of nothing happening, a key in an aside, a small
    # clause's object get no wh-question) and a fact whose wh-question fails is asked by its
    # cloze, 32.4% since read 49's rules (either-or keys, a cause or an ordinal's purpose
    # dropped, a when ending on "leave" or "celebrate"), 29.3% since a wh-question with no
    # name, number, date or title word is not asked (its fact goes to the cloze); bar 50%
    assert summary.wh_share >= 0.285
    assert summary.fault_rate <= 0.05  # measured 1.4%; bar 5%
    assert summary.defect_rate <= 0.01
    assert summary.duplicates == 0
