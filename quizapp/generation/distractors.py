"""Distractors: wrong options of the same fine type as the key (generator.md, Haladyna).

Names come from the same article first (other people for a person, other cities for a city),
then the gazetteer (neighbouring countries, cities of the same country). Numbers, years and
dates are perturbed keeping the key's format and qualifier, at least ~20% apart. Never an alias
of the key, never a name the question itself mentions, never a duplicate. Fewer than three:
the caller makes a typed item instead.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable

from ..answers import normalise
from ..numbers import format_number, number_to_words
from .entities import NameTable
from .facts import MONTHS, WEEKDAYS, Fact
from .gazetteer import Gazetteer

NEEDED = 3


def rng_for(*parts: str) -> random.Random:
    """A generator seeded from text, so the same question gets the same options everywhere."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _distinct(key: str, options: list[str], prompt: str, limit: int = NEEDED) -> list[str]:
    seen = {normalise(key)}
    key_words = set(normalise(key).split())
    prompt_n = f" {normalise(prompt)} "
    out = []
    for opt in options:
        n = normalise(opt)
        if not n or n in seen or f" {n} " in prompt_n:
            continue
        # "Aliyev" is an alias of "Ilham Aliyev": never offer a form of the key
        words = set(n.split())
        if words & key_words and (words <= key_words or key_words <= words):
            continue
        seen.add(n)
        out.append(opt)
        if len(out) == limit:
            break
    return out


def name_distractors(fact: Fact, prompt: str, names: NameTable, gaz: Gazetteer) -> list[str]:
    return name_options(fact, prompt, names, gaz)


def name_options(
    fact: Fact, prompt: str, names: NameTable, gaz: Gazetteer, limit: int = NEEDED
) -> list[str]:
    """Up to `limit` names of the key's fine type: the article's first, then the gazetteer's.
    Only `kind`, `info` and `text` of `fact` are read."""
    info = fact.info
    key = info.canonical if info is not None else fact.text
    kinds = {
        "person": ("person",),
        "organisation": ("organisation",),
        "country": ("country",),
        "city": ("city",),
        "state": ("state",),
        "place": ("place",),
        "continent": ("continent",),
        "facility": ("facility",),
    }.get(fact.kind, (fact.kind,))
    pool = sorted(names.of_kind(*kinds), key=lambda i: (-i.mentions, i.key))
    pool = [
        i
        for i in pool
        if i.confident
        and not (i.key.isupper() and len(i.key) <= 3)
        and not any(ch.isdigit() for ch in i.key)  # "COVID-19" is no organisation
    ]
    options = [i.canonical for i in pool]
    if fact.kind == "country" and info is not None and info.country:
        rec = gaz.countries.get(info.country, {})
        neighbours = [
            gaz.countries[c]["name"]
            for c in rec.get("neighbours", "").split(",")
            if c in gaz.countries
        ]
        same = sorted(
            (
                c
                for c in gaz.countries.values()
                if c.get("continentcode") == rec.get("continentcode")
            ),
            key=lambda c: -int(c.get("population") or 0),
        )
        options += neighbours + [c["name"] for c in same[:12]]
    elif fact.kind == "city" and info is not None and info.country:
        options += list(gaz.cities_by_country.get(info.country, ())[:12])
    elif fact.kind == "state" and info is not None and info.country:
        options += [p.name for p in gaz.places.values() if p.kind == "state"]
    return _distinct(key, options, prompt, limit)


def _number_text(value: float, like: str) -> str:
    """Write a value the way the key is written (words, commas, scale words)."""
    low = like.lower()
    words = number_to_words(int(value)) if float(value).is_integer() else None
    if re.fullmatch(r"[a-z\- ]+", low.split(" ")[0] or "") and words and value < 100:
        return words.capitalize() if like[:1].isupper() else words
    for scale, mult in (("billion", 1e9), ("million", 1e6), ("thousand", 1e3)):
        if scale in low:
            return f"{format_number(value / mult)} {scale}"
    if "," not in like and value >= 1000:
        return format_number(value).replace(",", "")
    return format_number(value)


def _nice_perturbations(value: float, rng: random.Random) -> list[float]:
    if value <= 12 and float(value).is_integer():
        near = [d for d in (-3, -2, -1, 1, 2, 3) if value + d > 0]
        far = [d for d in (4, 5, 6, -4, -5, -6) if value + d > 0]
        rng.shuffle(near)
        return [value + d for d in near + far]
    factors = [0.5, 0.6, 0.75, 1.25, 1.5, 2.0, 2.5, 0.4, 3.0]
    rng.shuffle(factors)
    out = []
    magnitude = 10 ** max(0, len(str(int(value))) - 2)
    for f in factors:
        v = value * f
        v = round(v / magnitude) * magnitude if value >= 20 else round(v, 1)
        if v > 0:
            out.append(float(v))
    return out


class NumberIndex:
    """The article's how-many values grouped by (kind, unit), each value once, in the order the
    article gives them: built once, so options for every number fact cost the group's size,
    not the whole article's."""

    def __init__(self, facts: Iterable[Fact]) -> None:
        self.groups: dict[tuple[str, str | None], dict[float, None]] = {}
        for fact in facts:
            q = fact.quantity
            if q is not None and q.value:
                self.groups.setdefault((fact.kind, fact.unit), {})[q.value] = None

    def values(self, kind: str, unit: str | None) -> Iterable[float]:
        return self.groups.get((kind, unit), {}).keys()


def number_distractors(fact: Fact, article_numbers: NumberIndex) -> list[str]:
    """Options for a how-many key: the article's own numbers of the same unit, else perturbed."""
    q = fact.quantity
    assert q is not None
    rng = rng_for(fact.sent.text, fact.text)
    # An equal value repeated would never be chosen twice (`_spread` keeps options 20% apart),
    # so each value once gives the same options.
    values = [v for v in article_numbers.values(fact.kind, fact.unit) if 0.1 <= v / q.value <= 10]
    values += _nice_perturbations(q.value, rng)
    if fact.kind == "percent":
        values = [v for v in values if v <= 100]
    values = [v for v in values if v != 1]  # "one days": a count of one reads wrongly
    chosen = _spread(q.value, values, rng)
    prefix = f"{q.qualifier} " if q.qualifier else ""
    if q.qualifier and fact.text[:1].isupper():
        prefix = prefix.capitalize()
    tail = _tail_after_number(fact) or (
        f" {fact.unit}" if fact.unit and fact.text.endswith(fact.unit) else ""
    )
    return [f"{prefix}{_number_text(v, q.text)}{tail}" for v in chosen]


def _spread(key: float, values: list[float], rng: random.Random) -> list[float]:
    """NEEDED options at least 20% apart (and from the key), with the key's rank among them
    drawn at random: sorted, the answer is as often the smallest or largest as in between."""

    def fits(v: float, taken: list[float]) -> bool:
        return all(abs(v - c) >= 0.2 * max(v, c) for c in taken + [key])

    below = [v for v in values if v < key]
    above = [v for v in values if v > key]
    wanted_below = rng.randrange(NEEDED + 1)
    chosen: list[float] = []
    for side, quota in ((below, wanted_below), (above, NEEDED - wanted_below)):
        taken = 0
        for v in side:
            if taken == quota:
                break
            if fits(v, chosen):
                chosen.append(v)
                taken += 1
    for v in below + above:  # one side ran short: the other fills in
        if len(chosen) == NEEDED:
            break
        if fits(v, chosen):
            chosen.append(v)
    return chosen


def _tail_after_number(fact: Fact) -> str:
    """The unit written after the number inside the key ('295 kilometers' -> ' kilometers')."""
    text = fact.quantity.text if fact.quantity else fact.text
    m = re.match(r"^[\d.,]+(\s*(?:%|percent|per cent|[a-zA-Z]+.*))?$", text.strip())
    if m and m.group(1) and not re.match(r"\s*(thousand|million|billion)", m.group(1)):
        return m.group(1)
    return ""


def when_distractors(fact: Fact, others: list[Fact], article_year: int | None) -> list[str]:
    rng = rng_for(fact.sent.text, fact.text)
    text = fact.text
    if fact.kind == "year":
        year = int(text)
        pool = [int(o.text) for o in others if o.kind == "year" and o.text != text]
        deltas = [d for d in range(-10, 11) if d and abs(d) >= 2]
        rng.shuffle(deltas)
        pool += [year + d for d in deltas]
        if article_year is not None:
            pool = [y for y in pool if y <= article_year]
        return _distinct(text, [str(y) for y in pool], "")
    if fact.kind == "weekday":
        days = [d.capitalize() for d in WEEKDAYS]
        rng.shuffle(days)
        return _distinct(text, days, "")
    if fact.kind == "decade":
        base = int(re.search(r"\d{4}", text).group())
        pool = [
            f"{base + d}s"
            for d in (-30, -20, -10, 10, 20, 30)
            if base + d <= (article_year or 9999)
        ]
        rng.shuffle(pool)
        return _distinct(text, pool, "")
    if fact.kind == "date":
        return _date_options(text, rng)
    return []


def _date_options(text: str, rng: random.Random) -> list[str]:
    words = text.replace(",", " ").split()
    month = next((w for w in words if w.lower() in MONTHS), None)
    day = next((w for w in words if w.isdigit() and len(w) <= 2), None)
    if month is None or day is None:
        return []
    mi = MONTHS.index(month.lower())
    out = []
    shifts = [(0, 7), (0, -7), (1, 0), (-1, 0), (0, 3), (0, -10)]
    rng.shuffle(shifts)
    for dm, dd in shifts:
        d = int(day) + dd
        m = (mi + dm) % 12
        if not 1 <= d <= 28:
            continue
        new_month = MONTHS[m].capitalize()
        out.append(text.replace(month, new_month, 1).replace(day, str(d), 1))
    return _distinct(text, out, "")
