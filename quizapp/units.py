"""Unit words typed after a number ("2 hrs", "295 kilometres"), for grading. Standard library only.

Pure functions, no I/O. Words come in already normalised (lower case, no accents or
punctuation: see quizapp.answers.normalise).

- canonical(): one spelling per unit word: singular ("hours" -> "hour"), American spelling
  ("kilometres" -> "kilometer", "litre" -> "liter") and common abbreviations spelt out
  ("h", "hr", "hrs" -> "hour"; "km" -> "kilometer"). Ambiguous abbreviations are never expanded:
  "m" (metre or million), "s" ("30s" is also a decade), "d" and "mo". "tonne" and "ton" stay
  different units.
- unit_words(): the canonical words of a unit text; "per cent" and "%" are "percent".
- split_glued(): "24hrs" -> "24 hrs" when the letters are a known unit; never "2nd" or "1e6".
- convert(): between second, minute, hour, day and week only (months and years vary in length).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Abbreviation -> unit. Only ones that are unambiguous after a number.
ABBREVIATIONS = {
    "h": "hour", "hr": "hour", "hrs": "hour",
    "min": "minute", "mins": "minute",
    "sec": "second", "secs": "second",
    "wk": "week", "wks": "week",
    "yr": "year", "yrs": "year",
    "km": "kilometer", "kms": "kilometer",
    "kg": "kilogram", "kgs": "kilogram",
    "mi": "mile",
}  # fmt: skip
# Units in seconds: the time units that convert() converts between.
SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86_400, "week": 604_800}
# Canonical units that may be typed glued to their number ("5km", "24hours").
UNITS = (
    frozenset(SECONDS)
    | frozenset(ABBREVIATIONS.values())
    | frozenset(
        "month year meter centimeter millimeter kilometer liter milliliter gram kilogram tonne ton "
        "mile percent".split()
    )
)
_BRITISH = re.compile(r"(metre|litre)$")  # "kilometre" -> "kilometer", "millilitre"
# A number directly followed by letters and nothing else: "24hrs", "2.5h", "1,000km".
_GLUED_RE = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*)([A-Za-z]+)(?!\w)")


def singular(word: str) -> str:
    """A rough singular: "families" -> "family", "hours" -> "hour"; words of 3 letters kept."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def canonical(word: str) -> str:
    """One spelling of a normalised unit word; other words are only made singular."""
    if word in ABBREVIATIONS:
        return ABBREVIATIONS[word]
    word = singular(word)
    return ABBREVIATIONS.get(word) or _BRITISH.sub(lambda m: m[1][:-2] + "er", word)


def unit_words(words: Sequence[str]) -> tuple[str, ...]:
    """Canonical form of a unit's normalised words: ["per", "cent"] -> ("percent",)."""
    out: list[str] = []
    for word in words:
        if word == "cent" and out and out[-1] == "per":
            out[-1] = "percent"
        else:
            out.append(canonical(word))
    return tuple(out)


def is_unit(word: str) -> bool:
    """True for a known unit word or abbreviation, in any case: "HRS", "kilometres", "km"."""
    return canonical(word.lower()) in UNITS


def split_glued(text: str) -> str:
    """Put a space between a number and a known unit typed against it: "24hrs" -> "24 hrs".

    Other letters are left alone: ordinals ("2nd"), exponents ("1e6"), decades ("30s"),
    number suffixes ("40k", "5m").
    """
    return _GLUED_RE.sub(lambda m: f"{m[1]} {m[2]}" if is_unit(m[2]) else m[0], text)


def convert(value: float, source: Sequence[str], target: Sequence[str]) -> float | None:
    """`value` in `source` units expressed in `target` units when both are one time word of
    SECONDS, else None: convert(120, ("minute",), ("hour",)) == 2.0."""
    if len(source) != 1 or len(target) != 1:
        return None
    if source[0] not in SECONDS or target[0] not in SECONDS:
        return None
    return value * SECONDS[source[0]] / SECONDS[target[0]]
