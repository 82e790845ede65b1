"""Answer normalisation and matching."""

from __future__ import annotations

import pytest

from quizapp.answers import REASONS, accepts, match, normalise, surname_matches, texts_match


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nikol Pashinyan", "nikol pashinyan"),
        ("  The   Kremlin ", "kremlin"),
        ("a dozen", "dozen"),
        ("An Apple", "apple"),
        ("the", "the"),
        ("Theresa May", "theresa may"),
        ("Sławoj Leszek Głódź", "slawoj leszek glodz"),
        ("Łódź", "lodz"),
        ("Søren Kierkegaard", "soren kierkegaard"),
        ("Đoković", "dokovic"),
        ("Straße", "strasse"),
        ("Ærø", "aero"),
        ("Café Müller", "cafe muller"),
        ("“Quoted” ‘words’", "quoted words"),
        ("Jean‑Luc—Picard", "jean luc picard"),
        ("O’Brien's", "obriens"),
        ("40,000", "40000"),
        ("1,300,000,000", "1300000000"),
        ("25.7%", "25.7"),
        ("$1.2bn", "1.2bn"),
        ("Washington, D.C.", "washington d c"),
        ("end.", "end"),
        ("a, b", "b"),
        ("U.S.A.", "u s a"),
        ("", ""),
        ("?!", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("given", "key", "tolerance", "right"),
    [
        ("six", "6", 0, True),
        ("6", "6.0", 0, True),
        ("six", "6.0", 0, True),
        ("40 thousand", "40,000", 0, True),
        ("2.8 million", "2,800,000", 0, True),
        ("0.1", "0.1000000000000001", 0, True),  # float rounding only
        ("0.1", "0.10000000001", 0, False),
        ("6", "7", 0, False),
        ("6", "7", 1, True),
        ("6", "8", 1, False),
        ("about 100", "95", 5, True),
        ("7", "6", -1, False),  # a negative tolerance counts as none
        ("six", "many", 0, False),
        ("hundreds", "hundreds", 0, True),  # the same text, though not a number
        ("hundreds", "100", 0, False),
        ("", "0", 0, False),
    ],
)
def test_numbers_match_by_value_within_the_tolerance(
    given: str, key: str, tolerance: float, right: bool
) -> None:
    assert (match(given, key, tolerance=tolerance) is not None) is right


@pytest.mark.parametrize(
    ("given", "expected", "match"),
    [
        ("Nikol Pashinyan", "nikol pashinyan", True),
        ("the Kremlin", "Kremlin", True),
        ("Gdansk", "Gdańsk", True),
        ("6", "six", True),
        ("40,000", "40 thousand", True),
        ("40000", "forty thousand", True),
        ("24 hours", "24", True),
        ("24", "twenty-four hours", True),
        ("24 hours", "24 hour", True),
        ("at least 200", "200", True),
        ("25.7", "25.7%", True),
        ("25.7 percent", "25.7%", True),
        ("1.3 billion", "1,300,000,000", True),
        ("24 hours", "24 days", False),
        ("25", "24", False),
        ("40,000 refugee families", "40000", False),
        ("40000", "40,000 refugee families", False),  # symmetric: the same answer both ways
        ("24 hrs", "24 hours", True),
        ("5 km", "5 kilometres", True),
        ("1300000001", "1.3 billion", False),
        ("Kremlinn", "Kremlin", True),
        ("Moscow", "Kremlin", False),
        ("", "", False),
        ("", "6", False),
        ("hundreds", "100", False),
        ("Pashinyan", "Nikol Pashinyan", False),
    ],
)
def test_texts_match(given: str, expected: str, match: bool) -> None:
    assert texts_match(given, expected) is match


@pytest.mark.parametrize(
    ("short", "full", "match"),
    [
        ("Pashinyan", "Nikol Pashinyan", True),
        ("pashinyan", "NIKOL PASHINYAN", True),
        ("Glodz", "Sławoj Leszek Głódź", True),
        ("Głódź", "Sławoj Leszek Glodz", True),
        ("King", "Martin Luther King Jr.", True),
        ("Adam Czartoryski", "Prince Adam Czartoryski", True),  # the name without its title
        ("Luther King", "Martin Luther King Jr.", True),
        ("Martin Luther", "Martin Luther King Jr.", False),
        ("Martin Luther King", "Martin Luther King Jr.", True),  # without the suffix
        ("Pashinyan", "Pashinyan", False),
        ("Nikol", "Nikol Pashinyan", False),
        ("", "Nikol Pashinyan", False),
        ("Nikol Pashinyan", "Pashinyan", False),
        ("Pashinyan", "", False),
    ],
)
def test_surname_matches(short: str, full: str, match: bool) -> None:
    assert surname_matches(short, full) is match


@pytest.mark.parametrize(
    ("given", "answer", "accepted", "category", "reason"),
    [
        ("Nikol Pashinyan", "Nikol Pashinyan", [], "who", "exact"),
        ("PASHINYAN", "Nikol Pashinyan", [], "who", "surname"),
        ("Pashinyan", "Nikol Pashinyan", [], "what", None),  # not a person: no surname rule
        ("Pashinyan", "Nikol Pashinyan", ["Pashinyan"], "what", "accepted"),
        ("Nikol Pashinyan", "Pashinyan", [], "who", None),  # a surname key asks for that only
        ("Health", "Ministry of Health", [], "who", None),  # an organisation, not a surname
        ("Pashinyn", "Nikol Pashinyan", [], "who", "typo"),  # a typo in the surname
        ("Nikol Pashinyab", "Nikol Pashinyan", [], "who", "typo"),
        ("Rme", "Rome", [], "where", None),  # keys under five letters get no typo
        ("Kremlinn", "Kremlin", [], "where", "typo"),
        ("25", "24", [], "how_many", None),  # numbers are never forgiven a typo
        ("5", "5 March", [], "when", None),  # a date's unit may not be left out
        ("5", "5 days", [], "how_many", "number"),
        ("", "Kremlin", [], "where", None),
        ("   ", "Kremlin", [], "where", None),
    ],
)
def test_match_reasons(
    given: str, answer: str, accepted: list[str], category: str, reason: str | None
) -> None:
    assert match(given, answer, accepted, category=category) == reason
    assert reason is None or reason in REASONS


@pytest.mark.parametrize(
    ("question", "given", "reason"),
    [
        ({"answer": "24", "format": "numeric", "numeric": {"value": 24, "unit": "hours"}},
         "1 day", "number"),
        ({"answer": "about 200", "format": "numeric", "numeric": {"value": 200, "tolerance": 10}},
         "195", "number"),
        ({"answer": "200", "format": "short_answer", "numeric": {"value": 195}}, "195", None),
        ({"answer": "Kremlin", "accepted_answers": None, "numeric": "junk"}, "kremlin", "exact"),
        ({"answer": None}, "x", None),
        ({}, "x", None),
        ({"answer": "6", "numeric": {"value": float("nan"), "tolerance": "x"}}, "six", "number"),
    ],
)  # fmt: skip
def test_accepts_reads_a_bank_question_leniently(question, given, reason) -> None:
    assert accepts(question, given) == reason


@pytest.mark.parametrize(
    ("given", "expected", "same"),
    [
        ("-2 hours", "2 hours", False),
        ("-5", "5", False),
        ("-5", "-5", True),
        ("COVID-19", "covid 19", True),
        ("2-1", "2 1", True),
    ],
)
def test_a_minus_sign_is_kept_a_hyphen_is_not(given, expected, same):
    assert texts_match(given, expected) is same


def test_word_in_finds_whole_words_and_possessives_only():
    from quizapp.answers import word_in

    assert word_in("Liu Yun", "half of Liu Yun's escort", possessive=True)
    assert word_in("Liu Yun", "half of Liu Yun's escort")  # an apostrophe ends a word too
    assert not word_in("Liu Yun", "half of Liu Yunnan's escort", possessive=True)
    assert not word_in("Yun", "Yunnan province")
    assert not word_in("Stirling", "Stirlingshire", possessive=True)
    assert word_in("OIC", "the (OIC) said")
    assert not word_in("COVID", "COVID-19 cases")
    assert not word_in("", "anything")
