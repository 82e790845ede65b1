"""Answer normalisation and matching, shared by scoring and evaluation. Standard library only."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from quizapp.numbers import parse_number, split_quantity

# Letters that NFKD does not decompose into base letter + combining mark.
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe",
                          "þ": "th", "ð": "d", "ı": "i", "ħ": "h"})  # fmt: skip
_QUOTES_DASHES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "ʼ": "'", "`": "'",
                                "“": '"', "”": '"', "„": '"', "‐": "-", "‑": "-", "‒": "-",
                                "–": "-", "—": "-", "―": "-", "−": "-"})  # fmt: skip
_ARTICLES = {"the", "a", "an"}
_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_EPSILON = 1e-9


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Casefold, strip accents, drop punctuation, collapse whitespace (articles kept)."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_QUOTES_DASHES)
    out = []
    for i, c in enumerate(text):
        between_digits = 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
        if c == "." and between_digits:
            out.append(c)
        elif (
            c == "-"
            and i + 1 < len(text)
            and text[i + 1].isdigit()
            and (i == 0 or text[i - 1] == " ")
        ):
            out.append(c)  # a minus sign: "-5" is not "5" (a hyphen inside "COVID-19" still goes)
        elif (c == "," and between_digits) or c == "'":
            continue
        elif unicodedata.category(c)[0] in "PS":
            out.append(" ")
        else:
            out.append(c)
    return " ".join("".join(out).split())


def normalise(text: str) -> str:
    """Comparable form of an answer: "The Łódź–Warsaw 40,000!" -> "lodz warsaw 40000"."""
    words = _fold(text).split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def same_number(a: str, b: str, tolerance: float = 0) -> bool:
    """True when both texts parse as numbers within `tolerance` of each other."""
    x, y = parse_number(a), parse_number(b)
    if x is None or y is None:
        return False
    return abs(x - y) <= max(tolerance, 0) + _EPSILON * max(1.0, abs(x), abs(y))


def _numeric(text: str) -> tuple[float, str] | None:
    """(value, unit) when `text` is a number optionally followed by one unit word."""
    found = split_quantity(text)
    if found is None:
        return None
    quantity, rest = found
    words = normalise(rest).split()
    if len(words) > 1:
        return None
    unit = words[0] if words else ""
    return quantity.value, unit[:-1] if unit.endswith("s") else unit


def texts_match(given: str, expected: str) -> bool:
    """Normalised equality, or the same number when both are numbers (with an optional unit)."""
    a, b = normalise(given), normalise(expected)
    if not a or not b:
        return False
    if a == b:
        return True
    x, y = _numeric(given), _numeric(expected)
    if x is None or y is None:
        return False
    if x[1] and y[1] and x[1] != y[1]:
        return False  # "24 hours" is not "24 days"
    return same_number(given, expected)


def surname_matches(short: str, full: str) -> bool:
    """True when `short` is the last name of the (multi-word) name `full`."""
    name = _fold(short)
    words = _fold(full).split()
    while len(words) > 2 and words[-1] in _NAME_SUFFIXES:
        words.pop()
    return bool(name) and len(words) >= 2 and name == words[-1]


def matches_any(candidates: Iterable[str], targets: Iterable[str], *, person: bool = False) -> bool:
    """True if any candidate matches any target (or, for people, by surname either way)."""
    targets = list(targets)
    for candidate in candidates:
        for target in targets:
            if texts_match(candidate, target):
                return True
            if person and (
                surname_matches(candidate, target) or surname_matches(target, candidate)
            ):
                return True
    return False
