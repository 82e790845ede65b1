"""Normalise numbers as news text writes them ("at least 200", "2.8 million", "twenty-seven").

Pure standard library. Values are computed with Decimal so "2.8 million" is exactly 2800000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from numbers import Integral

_QUALIFIERS = (
    "at least", "more than", "over", "about", "approximately", "approx", "nearly", "almost",
    "up to", "less than", "fewer than", "around", "roughly", "some", "an estimated", "estimated",
    "at most", "just over", "just under", "as many as", "as few as", "under", "below", "above",
    "close to", "upwards of", "in excess of", "no fewer than", "no more than", "no less than",
    "not more than", "well over", "well under", "barely", "only", "exactly", "almost exactly",
    "just about", "circa", "an extra", "another",
)  # fmt: skip
_QUALIFIER_RE = re.compile(
    r"^\s*(?P<q>"
    + "|".join(q.replace(" ", r"\s+") for q in sorted(_QUALIFIERS, key=len, reverse=True))
    + r")\.?\s+",
    re.IGNORECASE,
)
_VAGUE_RE = re.compile(
    r"^(?:(?:a\s+)?(?:few|couple|handful|number\s+of|lot|great\s+many|good\s+many)"
    r"|lots|several|many|numerous|countless|multiple|various|scores|dozens|tens"
    r"|hundreds|thousands|millions|billions|trillions)\b",
    re.IGNORECASE,
)
_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9,
           "trillion": 10**12}  # fmt: skip
_SUFFIXES = {"k": 10**3, "m": 10**6, "mn": 10**6, "mln": 10**6, "b": 10**9, "bn": 10**9,
             "tn": 10**12}  # fmt: skip
_DIGITS_RE = re.compile(
    r"""(?P<cur>US\$|A\$|C\$|[$£€¥₹])?\s*(?P<sign>[-−])?
    (?P<num>(?>\d+(?:,\d+)*(?:\.\d+)?|\.\d+))
    (?:(?P<suf>\s?(?:bn|mn|mln|tn)|k|m|b)(?!\w)
      |\s*-?\s*(?P<words>(?:hundred\s+)?(?:thousand|million|billion|trillion)|hundred)\b)?
    (?P<pct>\s*%|\s+per\s?cent\b)?
    (?![\w/]|:\d)""",
    re.IGNORECASE | re.VERBOSE,
)
_PCT_RE = re.compile(r"\s*%|\s+per\s?cent\b", re.IGNORECASE)
_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()  # fmt: skip
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUES = {w: i for i, w in enumerate(_ONES)} | {w: 10 * i for i, w in enumerate(_TENS) if i}
# A number followed by one of these is a fraction, a plural or a range: not a plain value.
_BLOCKERS = {"half", "halves", "third", "thirds", "quarter", "quarters", "fifth", "fifths",
             "hundreds", "thousands", "millions", "billions", "dozens", "tens"}  # fmt: skip
_NEXT_RE = re.compile(r"^\s*(?:-\s*)?([a-z]+)", re.IGNORECASE)
_MORE_NUMBERS_RE = re.compile(r"\d")  # "hours 12 minutes": another number after the unit
_RANGE_RE = re.compile(r"^\s*(?:-|–|—|to|or)\s*(\d|[a-z]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """A number as written: optional qualifier, numeric value, and the number text itself."""

    qualifier: str | None
    value: float
    text: str


def _word_number(s: str) -> tuple[Decimal, int] | None:
    """Parse spelled-out English at the start of `s`; return (value, end offset) or None."""
    toks = [(m.group().lower(), m.start(), m.end()) for m in re.finditer(r"[A-Za-z]+", s)]
    total, cur, last, top = Decimal(0), Decimal(0), None, 10**15
    best: tuple[Decimal, int] | None = None
    prev_end, i = 0, 0
    while i < len(toks):
        w, start, end = toks[i]
        if not re.fullmatch(r"\s*-?\s*" if i else "", s[prev_end:start]):
            break
        ahead = [t[0] for t in toks[i + 1 : i + 3]]
        nxt = ahead[0] if ahead else ""
        small = {None, "hundred", "scale", "and"}
        if w in _WORD_VALUES and (
            (_WORD_VALUES[w] < 10 and (last in small or (last == "tens" and w != "zero")))
            or (_WORD_VALUES[w] >= 10 and last in small)
        ):
            cur += _WORD_VALUES[w]
            last = "tens" if w in _TENS else "unit"
        elif w == "hundred" and (last == "a" or (last == "unit" and 0 < cur < 100)):
            cur, last = (cur or 1) * 100, "hundred"
        elif w == "dozen" and (last == "a" or (last == "unit" and 0 < cur < 100)):
            cur, last = (cur or 1) * 12, "dozen"
        elif w in _SCALES and w != "hundred" and last in {"unit", "tens", "hundred", "a", "half"}:
            if _SCALES[w] >= top:
                break
            total, cur, last, top = total + (cur or 1) * _SCALES[w], Decimal(0), "scale", _SCALES[w]
        elif w == "half" and i == 0:
            cur, last = Decimal("0.5"), "half"
        elif w in {"a", "an"} and (i == 0 or last == "half") and (nxt in _SCALES or nxt == "dozen"):
            last = "a"
        elif w == "and" and last in {"unit", "tens"} and ahead == ["a", "half"]:
            cur, last, end, i = cur + Decimal("0.5"), "half", toks[i + 2][2], i + 2
        elif w == "and" and last in {"hundred", "scale"}:
            last = "and"
        else:
            break
        if last not in {"a", "and"}:
            best = (total + cur, end)
        prev_end, i = end, i + 1
    return best


def split_quantity(text: str) -> tuple[Quantity, str] | None:
    """Like parse_quantity, but also return the text after the number (units, nouns)."""
    qualifier = None
    m = _QUALIFIER_RE.match(text)
    rest = text.strip()
    if m:
        qualifier, rest = " ".join(m.group("q").lower().split()), text[m.end() :].strip()
    if is_vague(rest):
        return None
    d = _DIGITS_RE.match(rest)
    if d:
        groups = d.group("num").split(",")
        if any(len(g) < 3 for g in groups[1:]):
            return None  # "1,5" or "2,5,6": a decimal comma or a list, never guess
        value = Decimal(d.group("num").replace(",", ""))
        if d.group("sign"):
            value = -value
        if d.group("suf"):
            value *= _SUFFIXES[d.group("suf").strip().lower()]
        for word in (d.group("words") or "").lower().split():
            value *= _SCALES[word]
        end = d.end()
    else:
        parsed = _word_number(rest)
        if parsed is None:
            return None
        value, end = parsed
        pct = _PCT_RE.match(rest, end)
        end = pct.end() if pct else end
    after = rest[end:]
    nxt = _NEXT_RE.match(after)
    if nxt and nxt.group(1).lower() in _BLOCKERS:
        return None
    rng = _RANGE_RE.match(after)
    if rng and (rng.group(1).isdigit() or rng.group(1).lower() in _WORD_VALUES):
        return None  # a range such as "10-15" or "two or three"
    if d is None and nxt and nxt.group(1).lower() in _WORD_VALUES:
        return None  # "six seven": not one number
    return Quantity(qualifier, float(value), rest[:end].strip()), after.strip()


def parse_quantity(text: str) -> Quantity | None:
    """Split a qualifier ("at least") from a number ("200"); None if no plain number starts it."""
    found = split_quantity(text)
    return found[0] if found else None


def parse_number(text: str) -> float | None:
    """The numeric value of `text` (see parse_quantity), or None."""
    q = parse_quantity(text)
    return q.value if q else None


def is_vague(text: str) -> bool:
    """True for quantities that are not one number: "hundreds", "several", "a few", ..."""
    m = _QUALIFIER_RE.match(text)
    rest = text[m.end() :] if m else text
    return bool(_VAGUE_RE.match(rest.strip()))


def _under_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{_ONES[hundreds]} hundred"] if hundreds else []
    if rest:
        tens, ones = divmod(rest, 10)
        parts.append(
            _ONES[rest] if rest < 20 else _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
        )
    return " ".join(parts)


def number_to_words(n: int) -> str | None:
    """English words for 0..999,999 ("one hundred sixty-five"); None otherwise."""
    if isinstance(n, bool):
        return None
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    if not isinstance(n, Integral) or not 0 <= n <= 999_999:
        return None
    if n == 0:
        return "zero"
    thousands, rest = divmod(int(n), 1000)
    parts = [f"{_under_thousand(thousands)} thousand"] if thousands else []
    return " ".join(parts + ([_under_thousand(rest)] if rest else []))


def format_number(value: float) -> str:
    """Digits with thousands commas and no trailing zeros: 40000 -> "40,000", 2.5 -> "2.5"."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    out = f"{value:,.10f}".rstrip("0").rstrip(".")
    return "0" if out == "-0" else out


def _plain_forms(value: float) -> list[str]:
    digits = format_number(value)
    forms = [digits, digits.replace(",", "")]
    for name, size in (("billion", 10**9), ("million", 10**6), ("thousand", 10**3)):
        if abs(value) >= size:
            mantissa = round(value / size, 6)
            places = (mantissa * (1 if name == "thousand" else 100)) % 1
            if places < 1e-6 or places > 1 - 1e-6:
                forms.append(f"{format_number(mantissa)} {name}")
                words = number_to_words(mantissa)
                if words and name != "thousand" and mantissa < 1000:
                    forms.append(f"{words} {name}")
            break
    words = number_to_words(value)
    return forms + ([words] if words else [])


def number_variants(text: str) -> list[str]:
    """Other spellings of the same number a student might type; never the input itself.
    None for a time made of several numbers ("3 hours 12 minutes" is not "3")."""
    found = split_quantity(text)
    if found is None or _MORE_NUMBERS_RE.search(found[1]):
        return []
    q = found[0]
    plain = _plain_forms(q.value)
    forms: list[str] = []
    low = q.text.lower()
    if low.endswith("%") or re.search(r"per\s?cent$", low):
        digits, words = format_number(q.value), number_to_words(q.value)
        forms += [f"{digits}%", f"{digits} percent"] + ([f"{words} percent"] if words else [])
    cur = re.match(r"US\$|A\$|C\$|[$£€¥₹]", q.text)
    if cur:
        forms += [cur.group() + f for f in plain if f[:1].isdigit() or f[:1] == "-"]
    seen = {" ".join(text.split()).casefold()}
    out = []
    for form in forms + [q.text] + plain:
        key = " ".join(form.split()).casefold()
        if key not in seen:
            seen.add(key)
            out.append(form)
    return out
