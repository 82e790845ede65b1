"""Numbers written like the key and values it could take (question-rubric.md, multiple choice).

A wrong option of a number carries the key's currency sign, words or digits, scale word and
precision ("six billion euros" -> "nine billion euros", "$50 million" -> "$75 million", a whole
count gets whole options), and is a possible value: no percentage over 100, no age over 110.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable

from ..numbers import format_number, number_to_words

_CURRENCY = re.compile(r"^(?:US\$|A\$|C\$|NZ\$|HK\$|[$£€¥₹])")
_SCALES = (("trillion", 1e12), ("billion", 1e9), ("million", 1e6), ("thousand", 1e3))


def number_text(value: float, like: str) -> str:
    """Write a value the way the key is written: its currency sign, words or digits, commas,
    scale words ("six billion" -> "nine billion", "US$2.5m" -> "US$4m" stays in its form)."""
    cur = _CURRENCY.match(like)
    sign = cur.group() if cur else ""
    like = like[len(sign) :].lstrip()
    low = like.lower()
    in_words = spelled(like)
    for scale, mult in _SCALES:
        if re.search(rf"\b{scale}\b", low):
            bigger = {"thousand": ("million", 1e6), "million": ("billion", 1e9)}.get(scale)
            if bigger is not None and value / mult >= 1000:
                scale, mult = bigger  # "$1,100 million" reads as a made-up form: "$1.1 billion"
            mantissa = value / mult
            words = number_to_words(mantissa) if float(mantissa).is_integer() else None
            text = words if in_words and words else format_number(mantissa)
            return f"{sign}{text} {scale}"
    suffix = re.search(r"\d\s?(bn|mn|m|k|b)$", low)
    if suffix:  # "$1.2bn": the suffix's own scale
        mult = {"k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9}[suffix.group(1)]
        gap = " " if re.search(r"\d\s(bn|mn|m|k|b)$", low) else ""
        return f"{sign}{format_number(value / mult)}{gap}{like[-len(suffix.group(1)) :]}"
    words = number_to_words(value) if float(value).is_integer() else None
    if in_words and words:
        return sign + (words.capitalize() if like[:1].isupper() else words)
    if "," not in like and value >= 1000:
        return sign + format_number(value).replace(",", "")
    return sign + format_number(value)


def writes_scale(tail: str) -> bool:
    """Whether `tail`, the text after a number, is the scale word or suffix that number_text
    writes itself (" trillion", "bn", " k"): a caller adding the key's unit must not add it
    again ("15 trillion trillion")."""
    low = tail.lower()
    return any(re.match(rf"\s*{scale}\b", low) for scale, _ in _SCALES) or bool(
        re.fullmatch(r"\s?(bn|mn|m|k|b)", low)
    )


def spelled(text: str) -> bool:
    """'seventeen', 'six billion', 'half a million': the number is written in words."""
    text = _CURRENCY.sub("", text).lstrip()
    return bool(re.fullmatch(r"[a-z\-]+", (text.lower().split(" ") or [""])[0]))


def written_alike(values: Iterable[float], like: str) -> list[float]:
    """The values that can be written as the key is: in words when the key is ('nearly half a
    million' gets no 'nearly 0.75 million'), and no more precisely ('10 billion' gets no
    '2.5 billion')."""
    in_words, places = spelled(like), decimals(like)
    out = []
    for v in values:
        text = number_text(v, like)
        if (not in_words or spelled(text)) and decimals(text) <= places:
            out.append(v)
    return out


def decimals(text: str) -> int:
    """Digits after the point in the written number ("22.1 million" -> 1, "seventeen" -> 0)."""
    m = re.search(r"\d\.(\d+)", text)
    return len(m.group(1)) if m else 0


def nice_perturbations(
    value: float, rng: random.Random, whole: bool = False, places: int = 0
) -> list[float]:
    """Values near `value` (counts <= 12: +-1..6; else x0.4..x3 rounded to as many significant
    digits as the key has, at least two: beside 17,225 a round 26,000 would tell the key
    apart by its form). `whole`: the key is a whole number, so every option is one ("7.6
    stores" never). `places`: the key's digits after the point, which every option has too
    (beside 72.7% a whole 44% tells the key apart by its form)."""
    if value <= 12 and float(value).is_integer():
        near = [d for d in (-3, -2, -1, 1, 2, 3) if value + d > 0]
        far = [d for d in (4, 5, 6, -4, -5, -6) if value + d > 0]
        rng.shuffle(near)
        return [value + d for d in near + far]
    factors = [0.5, 0.6, 0.75, 1.25, 1.5, 2.0, 2.5, 0.4, 3.0]
    rng.shuffle(factors)
    factors += [0.3, 4.0, 0.2, 5.0]  # far ones last: only when the near ones do not give three
    out = []
    significant = max(2, len(str(int(round(value))).rstrip("0")))
    magnitude = 10 ** max(0, len(str(int(value))) - significant)
    for f in factors:
        # a little off the plain multiples: 51, 68 and 102 beside 34 give the key away as
        # the number they are all multiples of
        raw = value * f * rng.uniform(0.93, 1.07)
        if places and not whole:
            v = round(raw, places)
            if decimals(format_number(v)) < places:  # 44.0 reads "44": one step off
                v = round(v + 10**-places, places)
        else:
            v = round(raw / magnitude) * magnitude if value >= 20 else round(raw, 1)
            if whole:
                v = round(v)
        if v > 0 and v != value and float(v) not in out:
            out.append(float(v))
    return out


def sane_values(values: Iterable[float], kind: str, key: float, whole: bool) -> list[float]:
    """Drop values a key of this kind cannot take: a part of a whole count, a percentage over
    100, an age under 1 or over 110 or far from the key's, a duration far from the key's, a
    count of one ("one days" reads wrongly)."""
    out = []
    for v in values:
        if v <= 0 or v == 1 or v == key:
            continue
        if whole and not float(v).is_integer():
            continue
        if kind == "percent" and v > 100:
            continue
        if kind == "age" and not (1 <= v <= 110 and 0.4 * key <= v <= 1.8 * key):
            continue  # a director is not 17 or 108 beside 55
        if kind == "duration" and not 0.3 * key <= v <= 2.5 * key:
            continue
        out.append(v)
    return out
