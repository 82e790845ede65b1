"""Unit words after a number (quizapp.units): spellings, abbreviations, glued units, time."""

from __future__ import annotations

import pytest

from quizapp.units import (
    ABBREVIATIONS,
    SECONDS,
    UNITS,
    canonical,
    convert,
    is_unit,
    singular,
    split_glued,
    unit_words,
)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("hours", "hour"),
        ("hour", "hour"),
        ("h", "hour"),
        ("hr", "hour"),
        ("hrs", "hour"),
        ("min", "minute"),
        ("mins", "minute"),
        ("minutes", "minute"),
        ("sec", "second"),
        ("secs", "second"),
        ("wk", "week"),
        ("wks", "week"),
        ("yr", "year"),
        ("yrs", "year"),
        ("km", "kilometer"),
        ("kms", "kilometer"),
        ("kilometres", "kilometer"),
        ("kilometre", "kilometer"),
        ("kilometers", "kilometer"),
        ("metres", "meter"),
        ("centimetre", "centimeter"),
        ("litres", "liter"),
        ("millilitre", "milliliter"),
        ("kg", "kilogram"),
        ("kgs", "kilogram"),
        ("mi", "mile"),
        ("miles", "mile"),
        ("tonnes", "tonne"),  # a metric tonne is not a ton
        ("tons", "ton"),
        # Ambiguous abbreviations stay as typed.
        ("s", "s"),
        ("m", "m"),
        ("d", "d"),
        ("mo", "mo"),
        # Other words are only made singular.
        ("violations", "violation"),
        ("families", "family"),
        ("people", "people"),
        ("bus", "bus"),
    ],
)
def test_canonical(word: str, expected: str) -> None:
    assert canonical(word) == expected


def test_singular() -> None:
    words = ("hours", "hrs", "cities", "ties", "gas")
    assert [singular(w) for w in words] == ["hour", "hrs", "city", "tie", "gas"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ([], ()),
        (["hrs"], ("hour",)),
        (["per", "cent"], ("percent",)),
        (["percent"], ("percent",)),
        (["ceasefire", "violations"], ("ceasefire", "violation")),
        (["square", "kilometres"], ("square", "kilometer")),
        (["cent"], ("cent",)),
    ],
)
def test_unit_words(words: list[str], expected: tuple[str, ...]) -> None:
    assert unit_words(words) == expected


def test_is_unit() -> None:
    assert all(is_unit(w) for w in ["HRS", "Hours", "km", "kilometres", "percent", "tonnes"])
    assert not any(is_unit(w) for w in ["s", "m", "d", "mo", "nd", "st", "rd", "th", "e", "k"])
    assert not is_unit("violations")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24hrs", "24 hrs"),
        ("2h", "2 h"),
        ("2H", "2 H"),
        ("5km", "5 km"),
        ("2.5h", "2.5 h"),
        ("1,000km", "1,000 km"),
        ("24hours", "24 hours"),
        ("about 2hrs", "about 2 hrs"),
        ("2h 30min", "2 h 30 min"),
        ("25percent", "25 percent"),
        # Left alone: ordinals, exponents, decades, number suffixes, other nouns.
        ("2nd", "2nd"),
        ("1st", "1st"),
        ("3rd", "3rd"),
        ("4th", "4th"),
        ("1e6", "1e6"),
        ("30s", "30s"),
        ("5m", "5m"),
        ("40k", "40k"),
        ("1.3bn", "1.3bn"),
        ("2h30", "2h30"),
        ("5violations", "5violations"),
        ("a2h", "a2h"),
        ("2 hours", "2 hours"),
        ("", ""),
    ],
)
def test_split_glued(text: str, expected: str) -> None:
    assert split_glued(text) == expected


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (120, ("minute",), ("hour",), 2),
        (1, ("day",), ("hour",), 24),
        (2, ("week",), ("day",), 14),
        (7200, ("second",), ("hour",), 2),
        (1.5, ("hour",), ("minute",), 90),
        (3, ("hour",), ("hour",), 3),
        (1, ("month",), ("day",), None),  # months and years vary in length
        (1, ("year",), ("week",), None),
        (1, ("hour",), ("kilometer",), None),
        (1, (), ("hour",), None),
        (1, ("hour",), (), None),
        (1, ("working", "hour"), ("hour",), None),
    ],
)
def test_convert(
    value: float, source: tuple[str, ...], target: tuple[str, ...], expected: float | None
) -> None:
    assert convert(value, source, target) == expected


def test_tables_are_canonical() -> None:
    assert set(ABBREVIATIONS.values()) <= UNITS
    assert set(SECONDS) <= UNITS
    assert all(canonical(unit) == unit for unit in UNITS)
    assert not {"s", "m", "d", "mo"} & set(ABBREVIATIONS)
