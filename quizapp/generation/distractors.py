"""Distractors: wrong options of the same fine type as the key (generator.md, Haladyna).

Names come from the same article first (other people for a person, other cities for a city),
then the gazetteer (neighbouring countries, cities of the same country). Numbers, years and
dates are perturbed keeping the key's format and qualifier, at least ~20% apart. Never an alias
of the key, never a name the question itself mentions, never a duplicate. Fewer than three:
the caller makes a typed item instead.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import re
from collections.abc import Iterable

from ..answers import normalise
from .entities import NameInfo, NameTable, name_key
from .facts import MONTHS, WEEKDAYS, Fact
from .fine_types import (
    GENDERED,
    TITLE_RUN,
    MentionContext,
    distinctive_words,
    fine_kind,
    is_variant,
    other_person,
)
from .gazetteer import PERSON_TITLES, Gazetteer, km_apart
from .number_forms import (
    decimals,
    nice_perturbations,
    number_text,
    sane_values,
    writes_scale,
    written_alike,
)

NEEDED = 3
YEAR_WINDOW = 12  # years of the article offered beside a year key: at most this far from it


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


def name_distractors(
    fact: Fact,
    prompt: str,
    names: NameTable,
    gaz: Gazetteer,
    context: MentionContext | None = None,
) -> list[str]:
    """Three wrong options for a name key (fewer when the article has too few of its kind)."""
    return name_options(fact, prompt, names, gaz, context=context)


def _shape(name: str) -> str:
    """What tells options apart by their form: an acronym, a one-word name, a longer name."""
    letters = name.replace(".", "").replace("-", "")
    if letters.isupper() and len(letters) <= 6:
        return "acronym"
    return "one word" if len(name.split()) == 1 else "words"


def name_options(
    fact: Fact,
    prompt: str,
    names: NameTable,
    gaz: Gazetteer,
    limit: int = NEEDED,
    context: MentionContext | None = None,
) -> list[str]:
    """Up to `limit` names of the key's fine kind (`fine_types.fine_kind`): the article's first,
    then the gazetteer's. A person is offered beside people, a party beside parties, a news
    outlet beside news outlets, an airport beside airports; never a fragment, variant or acronym
    of the key, never a name the prompt shows, never two forms of one name. Only `kind`, `info`,
    `text` (and, without `context`, `sent`) of `fact` are read."""
    info = fact.info
    key = info.canonical if info is not None else fact.text
    if context is None:
        sent = getattr(fact, "sent", None)
        context = MentionContext(sent.doc.ents) if sent is not None else None
    # a name the article's table does not hold is read as the kind the caller gives it
    want = fine_kind(key, info or NameInfo(key, "", fact.kind, key, 0), context)
    if want in ("unknown", "product", "nationality", "organisation"):
        # no pool a teacher would keep (an organisation of no known kind is offered beside
        # singers, drugs and festivals): the caller asks it as a typed question
        return []
    shape = _shape(key)
    options = [
        _display(i, gaz, want)
        for i, kind in _typed_pool(names, context)
        if kind == want and _shape_fits(_shape(i.key), shape, want)
    ]
    if want == "country" and info is not None and info.country:
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
    elif want == "city" and info is not None and info.country:
        place = gaz.lookup(key)
        if place is not None and place.kind == "city" and place.region:
            # cities of the key's own state or province first: Hartford beside Stamford, not
            # New York City
            options += list(gaz.cities_by_region.get((info.country, place.region), ())[:12])
        options += list(gaz.cities_by_country.get(info.country, ())[:12])
        if place is not None and place.kind == "city" and (place.lat or place.lon):
            # a suburb or district of the key is no other city: Qaraçuxur beside Baku,
            # Chéngguān Qū (Lhasa's own district) beside Lhasa
            options = [o for o in options if not _suburb(gaz.lookup(o), place)]
    elif want == "region" and info is not None and info.kind == "state" and info.country:
        options += _states(gaz, info.country)
    if want == "country":
        # "the Armenian Prime Minister": Armenia is in the prompt as its demonym
        shown = {
            normalise(gaz.demonyms[w.lower()])
            for w in re.findall(r"[A-Z][a-z]+", prompt)
            if w.lower() in gaz.demonyms
        }
        options = [o for o in options if normalise(o) not in shown]
    if want == "person" and context is not None:
        role = asked_role(prompt)
        if role is not None:
            # "Which president …": the options are people the article calls one too
            roles = roles_of(names, context)
            options = [o for o in options if role in roles.get(o, ())]
        office = _defined_office(prompt)
        if office is not None:
            # "Who is the chair of the Police Authority?": not the Prime Minister
            roles = roles_of(names, context)
            options = [o for o in options if not (roles.get(o, set()) & _OFFICES) - {office}]
        sex = asked_sex(prompt)
        if sex is not None:
            # "Who is the wife of …": only women the article shows to be women
            options = [o for o in options if context.gender_of(name_key(o)) == sex]
        # a ring or stage name is someone's other name: never a wrong option
        options = [o for o in options if name_key(o) not in context.aliases]
    return _distinct_names(key, options, prompt, want == "person", limit)


SUBURB_KM = 30
# A much smaller town this near a city is its district or satellite (Fangshan, Shunyi and
# Changping beside Beijing; Gazipur beside Dhaka), not a city a reader would weigh against it.
SATELLITE_KM, SATELLITE_RATIO = 80, 5


def _suburb(option, key) -> bool:
    if (
        option is None
        or option.kind != "city"
        or option.country != key.country
        or option.name == key.name
    ):
        return False
    km = km_apart(option, key)
    return km < SUBURB_KM or (
        km < SATELLITE_KM and key.population >= SATELLITE_RATIO * option.population
    )


_ROLE_ASKED = re.compile(r"\b[Ww]hich ((?:[a-z]+ ){0,2}[a-z]+)\b")


def asked_role(prompt: str) -> str | None:
    """The office a who-question names ('By which president …' -> 'president', 'Which
    solicitor general …' -> 'general'), or None."""
    match = _ROLE_ASKED.search(prompt)
    if match is None:
        return None
    run = []
    for word in match.group(1).split():
        if word not in TITLE_RUN and word.rstrip("s") not in TITLE_RUN:
            break
        run.append(word)
    if not run:
        return None
    role = run[-1] if run[-1] in PERSON_TITLES else run[-1].rstrip("s")
    return role if role in PERSON_TITLES else None


_RELATIONS = re.compile(
    r"\b(?:the|whose) (wife|husband|widow|widower|mother|father|son|daughter|sister|brother|"
    r"girlfriend|boyfriend|aunt|uncle|niece|nephew|grandson|granddaughter|queen|king|"
    r"princess|prince|actress|actor)\b",
    re.IGNORECASE,
)


_DEFINED = re.compile(r"^Who (?:is|was) the ((?:[A-Za-z-]+ ){0,2}[A-Za-z-]+) (?:of|to|for|at)\b")
# Offices that tell a person apart: someone who holds one is no plausible holder of another.
_OFFICES = frozenset(
    "president chancellor king queen governor mayor premier minister pope emperor chair "
    "chairman chairwoman chairperson prosecutor judge".split()
)


def _defined_office(prompt: str) -> str | None:
    """The office a 'Who is the … of X?' question asks for ('chair'), or None."""
    match = _DEFINED.match(prompt)
    if match is None:
        return None
    last = match.group(1).split()[-1].lower()
    return last if last in _OFFICES else None


def asked_sex(prompt: str) -> str | None:
    """'m' or 'f' when a who-question asks for a relation or role of one sex ('Who is the wife
    of …'), else None."""
    match = _RELATIONS.search(prompt)
    return GENDERED[match.group(1).lower()] if match else None


def roles_of(names: NameTable, context: MentionContext) -> dict[str, set[str]]:
    """Each person's roles as the article writes them (titles before a mention, nouns in
    apposition), keyed by canonical name: built once per article."""
    cached = context.roles
    if cached is not None and cached[0] is names:
        return cached[1]
    out: dict[str, set[str]] = {}
    for info in names.infos.values():
        key = name_key(info.key)
        words = set(context.titles.get(key, ())) | set(context.nouns.get(key, ()))
        out.setdefault(info.canonical, set()).update(w.rstrip("s") for w in words)
    context.roles = (names, out)
    return out


_STATES: dict[tuple[int, str], list[str]] = {}


def _states(gaz: Gazetteer, country: str) -> list[str]:
    """The gazetteer's states (provinces, territories) of one country, listed once per
    gazetteer and country: beside Ontario, other provinces of Canada."""
    key = (id(gaz), country)
    if key not in _STATES:
        _STATES[key] = [
            p.name for p in gaz.places.values() if p.kind == "state" and p.country == country
        ]
    return _STATES[key]


def _typed_pool(names: NameTable, context: MentionContext | None) -> list[tuple[NameInfo, str]]:
    """The article's names that may be offered, most mentioned first, with their fine kinds:
    computed once per article (kept on the context) rather than once per question."""
    cached = context.pool if context is not None else None
    if cached is not None and cached[0] is names:
        return cached[1]
    pool = [
        (i, fine_kind(i.key, i, context))
        for i in sorted(
            (i for i in names.infos.values() if i.canonical == i.key),
            key=lambda i: (-i.mentions, i.key),
        )
        if i.confident
        and not any(ch.isdigit() for ch in i.key)  # "COVID-19" is no organisation
        and not (context is not None and context.fragment(i.key))
    ]
    if context is not None:
        context.pool = (names, pool)
    return pool


def _display(info: NameInfo, gaz: Gazetteer, want: str) -> str:
    """A country by its gazetteer name ('United States', not 'US' or 'America'), so no option
    is told apart by being an abbreviation."""
    if want == "country":
        place = gaz.lookup(info.canonical)
        if place is not None and place.kind == "country":
            return place.name
    return info.canonical


def _shape_fits(option: str, key: str, want: str) -> bool:
    if want == "person":
        return key == "one word" or option != "one word"  # only the key a full name: a tell
    if want in ("country", "city", "region", "continent") or want.startswith("place"):
        return True
    return (option == "acronym") == (key == "acronym")


def _distinct_names(
    key: str, options: Iterable[str], prompt: str, person: bool, limit: int = NEEDED
) -> list[str]:
    """Options that are neither a form of the key nor of each other, nor shown in the prompt.
    A person may share the key's family name when both have given names of their own
    ('Grace Mugabe' beside 'Robert Mugabe'); 'Cde Mugabe' and 'Mugabe' never."""
    prompt_n = f" {normalise(prompt)} "
    # "Huber's partner": the name is in the prompt whatever normalise does with "'s"
    prompt_words = set(prompt_n.split()) | set(normalise(re.sub(r"['’]s\b", " ", prompt)).split())
    out: list[str] = []
    for opt in options:
        n = normalise(opt)
        if not n or f" {n} " in prompt_n or distinctive_words(opt) & prompt_words:
            continue
        if is_variant(opt, key) and not (person and other_person(opt, key)):
            continue
        if any(is_variant(opt, o) and not (person and other_person(opt, o)) for o in out):
            continue
        out.append(opt)
        if len(out) == limit:
            break
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
    """Options for a how-many key: the article's own numbers of the same kind and unit and a
    magnitude that fits (x0.1..x10), else perturbed; written like the key (qualifier, currency
    sign, words or digits, unit) and as precise as it (a whole count gets whole options)."""
    q = fact.quantity
    assert q is not None
    if q.qualifier and q.qualifier.startswith(OPEN_BOUNDS):
        # "more than 120": beside an open bound every option is true or arguably true ("more
        # than 200" may hold as well); blind readers failed them (reads 25-28), so none
        return []
    rng = rng_for(fact.sent.text, fact.text)
    whole = float(q.value).is_integer() and decimals(q.text) == 0
    # An equal value repeated would never be chosen twice (`_spread` keeps options 20% apart),
    # so each value once gives the same options.
    values = [v for v in article_numbers.values(fact.kind, fact.unit) if 0.1 <= v / q.value <= 10]
    values += nice_perturbations(q.value, rng, whole, decimals(q.text))
    kind = "age" if _is_age(fact) else fact.kind
    values = written_alike(sane_values(values, kind, q.value, whole), q.text)
    values = [v for v in values if not _also_true(q.qualifier, v, q.value)]
    chosen = _spread(q.value, values, rng)
    prefix = f"{q.qualifier} " if q.qualifier else ""
    if q.qualifier and fact.text[:1].isupper():
        prefix = prefix.capitalize()
    tail = _tail_after_number(fact) or (
        f" {fact.unit}" if fact.unit and fact.text.endswith(fact.unit) else ""
    )
    return [f"{prefix}{number_text(v, q.text)}{tail}" for v in chosen]


LOWER_BOUNDS = ("more than", "over", "at least", "above", "upwards of", "in excess of")
UPPER_BOUNDS = ("less than", "fewer than", "under", "at most", "up to", "below", "nearly", "almost")
# Bounds that leave the value open on one side ("nearly" and "almost" say it is close)
OPEN_BOUNDS = LOWER_BOUNDS + UPPER_BOUNDS[:6]


def _also_true(qualifier: str | None, value: float, key: float) -> bool:
    """With a bound as qualifier an option on the key's near side is true too: beside "more
    than 85%", "more than 51%" holds as well."""
    if not qualifier:
        return False
    if qualifier.startswith(LOWER_BOUNDS):
        return value < key
    if qualifier.startswith(UPPER_BOUNDS):
        return value > key
    return False


def _is_age(fact: Fact) -> bool:
    """'aged 49', '49 years old', 'at the age of 95'."""
    if fact.kind == "age":
        return True
    doc, span = fact.answer.doc, fact.answer
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    before = [t.lower_ for t in doc[max(0, span.start - 3) : span.start]]
    return after == "old" or "aged" in before[-1:] or before[-3:-1] == ["the", "age"]


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
    if m and m.group(1) and not writes_scale(m.group(1)):
        return m.group(1)
    return ""


def when_distractors(
    fact: Fact, others: list[Fact], article_year: int | None, written: datetime.date | None = None
) -> list[str]:
    rng = rng_for(fact.sent.text, fact.text)
    text = fact.text
    if fact.kind == "year":
        year = int(text)
        pool = [
            int(o.text)
            for o in others
            if o.kind == "year" and o.text != text and abs(int(o.text) - year) <= YEAR_WINDOW
        ]  # the article's other years, but no iPod in 1958: only years near the key
        deltas = [d for d in range(-10, 11) if d and abs(d) >= 2]
        rng.shuffle(deltas)
        pool += [year + d for d in deltas]
        if article_year is not None and year > article_year:
            # a year still to come when the article was written: so are its options
            pool = [y for y in pool if y > article_year]
        elif article_year is not None:
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
        options = _date_options(text, rng)
        key = _as_date(text, written) if written is not None else None
        if written is not None and key is not None and key <= written:
            # a day already past when the article was written: so are its options
            options = [o for o in options if (_as_date(o, written) or written) <= written]
        return options
    return []


def _as_date(text: str, written: datetime.date) -> datetime.date | None:
    """'March 27' (in the article's year) or '27 March 2009' as a date, else None."""
    words = text.replace(",", " ").split()
    month = next((w for w in words if w.lower() in MONTHS), None)
    day = next((w for w in words if w.isdigit() and len(w) <= 2), None)
    year = next((w for w in words if w.isdigit() and len(w) == 4), None)
    if month is None or day is None:
        return None
    try:
        return datetime.date(
            int(year) if year else written.year, MONTHS.index(month.lower()) + 1, int(day)
        )
    except ValueError:
        return None


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
