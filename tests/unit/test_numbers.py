"""The number normaliser: qualifiers, digits, words, scales, vague quantities and variants."""

from __future__ import annotations

import pytest

from quizapp.numbers import (
    Quantity,
    format_number,
    is_vague,
    number_to_words,
    number_variants,
    parse_number,
    parse_quantity,
    split_quantity,
)

QUANTITIES = [
    # qualifiers
    ("at least 200", "at least", 200, "200"),
    ("More than 10,000", "more than", 10_000, "10,000"),
    ("About 40 thousand", "about", 40_000, "40 thousand"),
    ("over 4,200", "over", 4_200, "4,200"),
    ("roughly 200,0000", "roughly", 2_000_000, "200,0000"),
    ("approximately 1,500", "approximately", 1_500, "1,500"),
    ("nearly 300", "nearly", 300, "300"),
    ("almost 90%", "almost", 90, "90%"),
    ("up to 5,000", "up to", 5_000, "5,000"),
    ("less than 1%", "less than", 1, "1%"),
    ("fewer than twenty", "fewer than", 20, "twenty"),
    ("around 600 people", "around", 600, "600"),
    ("some 3,000", "some", 3_000, "3,000"),
    ("an estimated 1.2 million", "an estimated", 1_200_000, "1.2 million"),
    ("At most 12", "at most", 12, "12"),
    ("just over 4,000", "just over", 4_000, "4,000"),
    ("just under 50", "just under", 50, "50"),
    ("as many as 70", "as many as", 70, "70"),
    ("AT  LEAST  two", "at least", 2, "two"),
    ("about a dozen", "about", 12, "a dozen"),
    ("nearly half", "nearly", 0.5, "half"),
    # spelled-out numbers
    ("six", None, 6, "six"),
    ("Fourteen", None, 14, "Fourteen"),
    ("twenty-seven", None, 27, "twenty-seven"),
    ("twenty seven", None, 27, "twenty seven"),
    ("one hundred sixty-five", None, 165, "one hundred sixty-five"),
    ("one hundred and sixty-five", None, 165, "one hundred and sixty-five"),
    ("two thousand and five", None, 2_005, "two thousand and five"),
    ("forty thousand", None, 40_000, "forty thousand"),
    ("nineteen hundred", None, 1_900, "nineteen hundred"),
    ("a hundred", None, 100, "a hundred"),
    ("a dozen", None, 12, "a dozen"),
    ("two dozen eggs", None, 24, "two dozen"),
    ("half", None, 0.5, "half"),
    ("half a million", None, 500_000, "half a million"),
    ("two and a half million", None, 2_500_000, "two and a half million"),
    ("three million", None, 3_000_000, "three million"),
    ("zero", None, 0, "zero"),
    ("ninety percent", None, 90, "ninety percent"),
    # digits, scales and suffixes
    ("2.8 million", None, 2_800_000, "2.8 million"),
    ("1.3 billion", None, 1_300_000_000, "1.3 billion"),
    ("$1.2bn", None, 1_200_000_000, "$1.2bn"),
    ("£3.5 bn", None, 3_500_000_000, "£3.5 bn"),
    ("€40m", None, 40_000_000, "€40m"),
    ("5k", None, 5_000, "5k"),
    ("3m", None, 3_000_000, "3m"),
    ("3 m", None, 3, "3"),
    ("25.7%", None, 25.7, "25.7%"),
    ("90 percent", None, 90, "90 percent"),
    ("90 per cent", None, 90, "90 per cent"),
    ("58,150", None, 58_150, "58,150"),
    ("8000", None, 8_000, "8000"),
    ("1,300,000,000", None, 1_300_000_000, "1,300,000,000"),
    ("2 hundred thousand", None, 200_000, "2 hundred thousand"),
    ("0.5", None, 0.5, "0.5"),
    ("-5 degrees", None, -5, "-5"),
    # trailing units and nouns are ignored
    ("295 kilometers", None, 295, "295"),
    ("40,000 refugee families", None, 40_000, "40,000"),
    ("two hours", None, 2, "two"),
    ("24 hours", None, 24, "24"),
    ("24-hour", None, 24, "24"),
    ("  12 ", None, 12, "12"),
]


@pytest.mark.parametrize(("text", "qualifier", "value", "number_text"), QUANTITIES)
def test_parse_quantity(text: str, qualifier: str | None, value: float, number_text: str) -> None:
    assert parse_quantity(text) == Quantity(qualifier, pytest.approx(value), number_text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no number here",
        "hundreds",
        "thousands",
        "tens of thousands",
        "dozens",
        "several",
        "many",
        "a few",
        "millions of people",
        "a number of",
        "scores of",
        "several hundred",
        "about hundreds",
        "some people",
        "over the moon",
        "a",
        "a man",
        "10-15",
        "10 to 15",
        "two or three",
        "two-thirds",
        "one third",
        "six seven",
        "twenty twenty",
        "1990s",
        "3rd",
        "5km",
        "3/4",
        "10:30",
        "2,5",
        "1,2,3",
        "40 thousands",
    ],
)
def test_parse_quantity_none(text: str) -> None:
    assert parse_quantity(text) is None
    assert parse_number(text) is None


def test_parse_quantity_values_are_exact() -> None:
    # Decimal arithmetic: no 2799999.9999999995.
    assert parse_number("2.8 million") == 2_800_000
    assert parse_number("1.3 billion") == 1_300_000_000
    assert parse_number("0.7m") == 700_000


@pytest.mark.parametrize(
    ("text", "value"),
    [("six", 6), ("6.0", 6), ("at least 200", 200), ("25.7%", 25.7), ("nothing", None)],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "rest"),
    [("40,000 refugee families", "refugee families"), ("at least 200", ""), ("two hours", "hours")],
)
def test_split_quantity_rest(text: str, rest: str) -> None:
    found = split_quantity(text)
    assert found is not None
    assert found[1] == rest


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("hundreds", True),
        ("Thousands", True),
        ("tens of thousands", True),
        ("dozens", True),
        ("several", True),
        ("many", True),
        ("millions of", True),
        ("a few", True),
        ("scores of", True),
        ("a number of", True),
        ("a handful", True),
        ("more than a few", True),
        ("up to hundreds", True),
        ("40 thousand", False),
        ("two hundred", False),
        ("a dozen", False),
        ("more than a dozen", False),
        ("6", False),
        ("no number here", False),
        ("manyouth", False),
    ],
)
def test_is_vague(text: str, vague: bool) -> None:
    assert is_vague(text) is vague


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (13, "thirteen"),
        (20, "twenty"),
        (27, "twenty-seven"),
        (100, "one hundred"),
        (165, "one hundred sixty-five"),
        (1_000, "one thousand"),
        (1_001, "one thousand one"),
        (40_000, "forty thousand"),
        (58_150, "fifty-eight thousand one hundred fifty"),
        (101_000, "one hundred one thousand"),
        (999_999, "nine hundred ninety-nine thousand nine hundred ninety-nine"),
        (40_000.0, "forty thousand"),
        (1_000_000, None),
        (-1, None),
        (2.5, None),
        (True, None),
    ],
)
def test_number_to_words(n: int, words: str | None) -> None:
    assert number_to_words(n) == words


@pytest.mark.parametrize("n", [0, 1, 9, 11, 19, 21, 99, 110, 999, 1_019, 70_707, 999_999])
def test_number_to_words_round_trips(n: int) -> None:
    words = number_to_words(n)
    assert words is not None
    assert parse_number(words) == n


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (40_000, "40,000"),
        (2.5, "2.5"),
        (25.7, "25.7"),
        (1_300_000_000, "1,300,000,000"),
        (1.3e9, "1,300,000,000"),
        (40_000.0, "40,000"),
        (0, "0"),
        (-0.0, "0"),
        (0.1 + 0.2, "0.3"),
        (-1_234.5, "-1,234.5"),
        (999, "999"),
    ],
)
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("text", "variants"),
    [
        ("40,000", ["40000", "40 thousand", "forty thousand"]),
        ("six", ["6"]),
        ("Fourteen", ["14"]),
        ("2.8 million", ["2,800,000", "2800000"]),
        ("25.7%", ["25.7 percent", "25.7"]),
        ("at least 200", ["200", "two hundred"]),
        ("90 percent", ["90%", "ninety percent", "90", "ninety"]),
        ("3m", ["3,000,000", "3000000", "3 million", "three million"]),
        ("1.3 billion", ["1,300,000,000", "1300000000"]),
        ("a dozen", ["12", "twelve"]),
        ("half", ["0.5"]),
        ("295 kilometers", ["295", "two hundred ninety-five"]),
        ("58,150", ["58150", "fifty-eight thousand one hundred fifty"]),
        (
            "$1.2bn",
            [
                "$1,200,000,000",
                "$1200000000",
                "$1.2 billion",
                "1,200,000,000",
                "1200000000",
                "1.2 billion",
            ],
        ),
        ("hundreds", []),
        ("no number here", []),
    ],
)
def test_number_variants(text: str, variants: list[str]) -> None:
    assert number_variants(text) == variants


@pytest.mark.parametrize(
    "text", ["40,000", "six", "2.8 million", "25.7%", "at least 200", "$1.2bn", "1,019", "0.5"]
)
def test_number_variants_are_the_same_number(text: str) -> None:
    variants = number_variants(text)
    keys = [" ".join(v.split()).casefold() for v in variants]
    assert len(keys) == len(set(keys))
    assert text.casefold() not in keys
    assert variants == number_variants(text)
    for variant in variants:
        assert parse_number(variant) == pytest.approx(parse_number(text))
