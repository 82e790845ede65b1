"""More facts with the real spaCy model: numbers with units and in hyphenated forms, race and
clock times, bare and appositive numbers, relative days resolved against the dateline, whole
organisation and place names, and full-name keys (issue 14, "More facts")."""

from __future__ import annotations

import datetime
from functools import cache

import pytest

from quizapp.articles import parse_article
from quizapp.generation.facts import Fact, find_facts, resolve_day
from quizapp.generation.generator import _Builder, parse_articles
from quizapp.numbers import number_variants

THURSDAY = datetime.date(2020, 3, 12)


@cache
def _parsed(text: str):
    (parsed,) = parse_articles([parse_article(text.encode("utf-8"), "case.txt", "txt")])
    return parsed, _Builder(parsed).names


def facts_of(text: str, published: datetime.date | None = None) -> list[Fact]:
    """Every fact find_facts gives for the sentences of `text`."""
    parsed, names = _parsed(text)
    return [
        fact
        for doc in parsed.docs
        for sent in doc.sents
        for fact in find_facts(sent, names, published)
    ]


def summary(text: str, published: datetime.date | None = None) -> set[tuple]:
    return {(f.category, f.kind, f.text, f.unit) for f in facts_of(text, published)}


def one(text: str, answer: str, published: datetime.date | None = None) -> Fact:
    found = [f for f in facts_of(text, published) if f.text == answer]
    assert len(found) == 1, [(f.category, f.kind, f.text) for f in facts_of(text, published)]
    return found[0]


# sentence, (category, kind, answer text, unit)
CASES = [
    # numbers with units, the unit kept
    (
        "The trucks weigh 20 kg each and travelled 3,000 metres.",
        ("how_many", "quantity", "20 kg", "kg"),
    ),
    (
        "The trucks weigh 20 kg each and travelled 3,000 metres.",
        ("how_many", "quantity", "3,000 metres", "metres"),
    ),
    (
        "The deal is worth $1.2 billion, officials said.",
        ("how_many", "money", "$1.2 billion", None),
    ),
    # a reading on a scale: the number is the answer, the scale its unit (not "7.9 earthquakes")
    (
        "A magnitude 7.9 earthquake struck the region on Monday.",
        ("how_many", "quantity", "7.9", "magnitude"),
    ),
    (
        "A 7.6 magnitude aftershock followed hours later.",
        ("how_many", "quantity", "7.6", "magnitude"),
    ),
    (
        "Dorian made landfall as a Category 5 hurricane in the Bahamas.",
        ("how_many", "rating", "Category 5", None),
    ),
    # hyphenated numbers
    (
        "The ten-storey building collapsed in the storm.",
        ("how_many", "count", "ten", "storeys"),
    ),
    ("Police arrested a 41-year-old man in the city.", ("how_many", "age", "41", None)),
    (
        "Leaders met at a two-day summit in Brussels.",
        ("how_many", "duration", "two days", "days"),
    ),
    (
        "The newspaper printed an eight-page insert for its readers.",
        ("how_many", "count", "eight", "pages"),
    ),
    # race and clock times
    (
        "The runner finished the race in 2:01:39 in Berlin.",
        ("how_many", "duration", "2:01:39", None),
    ),
    (
        "Bolt ran the distance in 9.58 seconds in Berlin.",
        ("how_many", "duration", "9.58 seconds", "seconds"),
    ),
    (
        "She won the marathon in 3 hours 12 minutes last year.",
        ("how_many", "duration", "3 hours 12 minutes", None),
    ),
    ("The meeting started at 10:30 a.m. in the capital.", ("when", "time", "10:30 a.m.", None)),
    # appositive and bare numbers
    (
        "The company, which employs 1,200 people, is based in Oslo.",
        ("how_many", "count", "1,200", "people"),
    ),
    ("The population of the town is 120,000.", ("how_many", "count", "120,000", None)),
    (
        "Marches drew 250 thousand protesters in New York City, 100 thousand in London, and "
        "1.4 million in cities throughout Germany.",
        ("how_many", "count", "1.4 million", "protesters"),
    ),
    (
        "According to authorities, at least a dozen people lost their lives in the crash.",
        ("how_many", "count", "at least a dozen", "people"),
    ),
    (
        "Thunberg began her protest in 2018, at the age of fifteen, outside the parliament.",
        ("how_many", "age", "fifteen", None),
    ),
    # a month alone after a time preposition
    (
        "Protesters have demonstrated in the city since June, the newspaper said.",
        ("when", "date", "June", None),
    ),
]


@pytest.mark.parametrize("sentence, expected", CASES, ids=[c[1][2] for c in CASES])
def test_fact_found(sentence, expected):
    assert expected in summary(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "He was second-in-command of the unit for many years.",
        "The army bought a four-wheel-drive vehicle for the mission.",
        "A two-thirds majority of the members voted for the plan.",
    ],
)
def test_hyphenated_words_that_count_nothing(sentence):
    assert not [f for f in facts_of(sentence) if f.category == "how_many"]


def test_restated_figure_stays_inside_the_answer():
    text = "Easter Island is located 2300 miles (3700 km) off the west coast of South America."
    fact = one(text, "2300 miles")
    assert fact.answer.text == "2300 miles (3700 km)"  # a blank leaves no figure behind
    assert not [f for f in facts_of(text) if "3700" in f.text]


def test_race_time_is_not_a_single_value():
    fact = one("She won the marathon in 3 hours 12 minutes last year.", "3 hours 12 minutes")
    assert fact.quantity is None  # no options perturbed from "3"
    assert number_variants("3 hours 12 minutes") == []


def test_definite_small_count_still_refers_back():
    # "the two blasts" repeats a count; "the 452 available seats" gives one
    assert not [f for f in facts_of("The two blasts shook the city centre.") if f.text == "two"]
    seats = "Over 80% of the 452 available district council seats went to pro-democracy candidates."
    assert ("how_many", "count", "452", "available district council seats") in summary(seats)


# weekdays and relative days against a dateline of Thursday, 12 March 2020
@pytest.mark.parametrize(
    "sentence, answer",
    [
        ("Officials announced the deal on Monday in the capital.", "March 9, 2020"),
        ("Officials announced the deal on Thursday in the capital.", "March 12, 2020"),
        ("The talks will resume on Friday in the capital.", "March 13, 2020"),
        ("The delegations had met last Thursday in the capital.", "March 5, 2020"),
        ("Yesterday, the talks failed in the capital.", "March 11, 2020"),
    ],
)
def test_relative_days_resolved_against_the_dateline(sentence, answer):
    fact = one(sentence, answer, published=THURSDAY)
    assert (fact.category, fact.kind) == ("when", "date")


def test_weekday_without_a_dateline_stays_a_weekday():
    text = "Officials announced the deal on Monday in the capital."
    assert ("when", "weekday", "Monday", None) in summary(text)
    assert ("when", "weekday", "Monday", None) in summary(text, None)


def test_resolve_day_leaves_other_dates_alone():
    parsed, _ = _parsed("The plan was agreed in March 2019 by all members.")
    ent = next(e for d in parsed.docs for e in d.ents if e.label_ == "DATE")
    assert resolve_day(ent, THURSDAY) is None


# organisations and places kept whole
@pytest.mark.parametrize(
    "sentence, answer, category, kind",
    [
        (
            "Hungary bought the Hirtenberger Defence Group from its owners.",
            "Hirtenberger Defence Group",
            "who",
            "organisation",
        ),
        (
            "The study was led by the University of Washington last year.",
            "University of Washington",
            "who",
            "organisation",
        ),
        (
            "The aircraft broke apart, according to the Directorate General of Civil Aviation.",
            "Directorate General of Civil Aviation",
            "who",
            "organisation",
        ),
        (
            "The training centre belongs to the National Directorate for Security, officials said.",
            "National Directorate for Security",
            "who",
            "organisation",
        ),
        # an institution one is taken to is where something happens
        (
            "The mayor was taken to the Medical University of Gdańsk after the attack.",
            "Medical University of Gdańsk",
            "where",
            "place",
        ),
        ("The firm moved its office to New South Wales in 2019.", "New South Wales", "where", None),
        ("The company moved its office to Hong Kong in 2019.", "Hong Kong", "where", None),
        ("The singer moved to Los Angeles in 2019 with her family.", "Los Angeles", "where", None),
        ("The band played at the Roseland Ballroom in 2011.", "Roseland Ballroom", "where", None),
    ],
)
def test_whole_names(sentence, answer, category, kind):
    fact = one(sentence, answer)
    assert fact.answer.text == answer
    assert fact.category == category
    if kind is not None:
        assert fact.kind == kind


def test_place_after_comma_is_not_a_person():
    # "Dame" ends the place "Notre Dame": it is no title before "Indiana"
    found = summary("He was born in Notre Dame, Indiana, and moved to Los Angeles.")
    assert ("where", "state", "Indiana", None) in found
    assert not any(f[2] == "Indiana" and f[0] == "who" for f in found)


def test_organisation_short_form_keys_the_full_name():
    text = (
        "Ridgeback Biotherapeutics said the drug worked in trials. "
        "Experts said Ridgeback makes the drug in Miami."
    )
    orgs = [f for f in facts_of(text) if f.category == "who"]
    assert [f.text for f in orgs] == ["Ridgeback Biotherapeutics"] * 2
    assert [f.answer.text for f in orgs] == ["Ridgeback Biotherapeutics", "Ridgeback"]


def test_comrade_is_a_title_not_a_name():
    text = (
        "Robert Mugabe ruled Zimbabwe for decades. "
        "Cde Mugabe addressed supporters of the party in Harare."
    )
    people = [f for f in facts_of(text) if f.kind == "person"]
    assert people and all(f.info.canonical == "Robert Mugabe" for f in people)
    assert all("Cde" not in f.text for f in people)
