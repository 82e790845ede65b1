"""Wrong options for a question a teacher edited or wrote: the generator's distractor rules
applied to one answer, outside a generation run.

Names are looked up in what the generation found in the article (`findings`, kept with the
set; see generation/findings.py) and the gazetteer; numbers, years, dates and weekdays are
perturbed in the answer's own format. `exclude` holds options to avoid
(the current ones, so "regenerate" offers new options while there are any).
"""

from __future__ import annotations

import random
import re
from datetime import date
from types import SimpleNamespace

from ..answers import normalise
from ..articles import ArticleError, parse_article
from ..numbers import split_quantity
from .bounds import TooComplex, bound_article
from .distractors import NEEDED, _date_options, _distinct, _spread, name_options, rng_for
from .entities import NameInfo, NameTable
from .facts import WEEKDAYS
from .findings import from_findings, to_findings
from .fine_types import MentionContext, fine_kind
from .gazetteer import load_gazetteer
from .generator import parse_articles
from .number_forms import decimals, nice_perturbations, number_text, sane_values, written_alike

POOL = 40
_YEAR = re.compile(r"\d{4}")


def suggest_distractors(
    answer: str,
    category: str,
    *,
    prompt: str = "",
    article_text: str | None = None,
    findings: dict | None = None,
    exclude: tuple[str, ...] | list[str] = (),
    round_no: int = 0,
) -> list[str]:
    """Up to three wrong options for `answer`, none of them in `exclude` while enough others
    exist (then the excluded ones fill in). Fewer than three when nothing plausible is found:
    the caller keeps the question typed. Names come from `findings` when given; otherwise
    from `article_text`, parsed here (once per call: callers that suggest more than once keep
    `findings_for_text`'s result instead)."""
    answer = " ".join(answer.split())
    if not answer:
        return []
    rng = rng_for(answer, category, str(round_no))
    pool = _when_pool(answer, rng) if category == "when" else []
    if not pool:
        pool = _number_pool(answer, rng, prompt)
    if not pool and category in ("who", "where", "what"):
        if findings is None and article_text:
            findings = findings_for_text(article_text)
        pool = _name_pool(answer, category, prompt, findings)
    avoid = {normalise(x) for x in exclude}
    fresh = [o for o in pool if normalise(o) not in avoid]
    if len(fresh) > NEEDED:
        # a later round starts further along the pool, so "again" gives other names
        start = (round_no * NEEDED) % len(fresh)
        fresh = fresh[start:] + fresh[:start]
    chosen = fresh[:NEEDED]
    for option in pool:  # too few new ones: the old ones fill in
        if len(chosen) == NEEDED:
            break
        if option not in chosen:
            chosen.append(option)
    return chosen


def _when_pool(answer: str, rng: random.Random) -> list[str]:
    if _YEAR.fullmatch(answer):
        year = int(answer)
        deltas = [d for d in range(-10, 11) if abs(d) >= 2]
        rng.shuffle(deltas)
        # the article's date is not known here: at least no year that has not come yet
        return [str(year + d) for d in deltas if year + d <= date.today().year]
    if answer.lower() in WEEKDAYS:
        days = [d.capitalize() for d in WEEKDAYS if d != answer.lower()]
        rng.shuffle(days)
        return days
    return _date_options(answer, rng) + _date_options(answer, random.Random(rng.random()))


def _number_kind(answer: str, prompt: str) -> str:
    if "%" in answer or re.search(r"per ?cent", answer, re.I):
        return "percent"
    if re.search(r"\bhow old\b|\bages?d?\b", prompt, re.I):
        return "age"
    return "count"


def _number_pool(answer: str, rng: random.Random, prompt: str = "") -> list[str]:
    found = split_quantity(answer)
    if found is None or not found[0].value or found[0].value < 0:
        return []
    quantity, tail = found
    whole = float(quantity.value).is_integer() and decimals(quantity.text) == 0
    values = nice_perturbations(quantity.value, rng, whole, decimals(quantity.text))
    values = sane_values(values, _number_kind(answer, prompt), quantity.value, whole)
    values = written_alike(values, quantity.text)
    chosen = _spread(quantity.value, values, rng)
    chosen += [v for v in values if v not in chosen]
    prefix = f"{quantity.qualifier} " if quantity.qualifier else ""
    if prefix and answer[:1].isupper():
        prefix = prefix.capitalize()
    percent = re.search(r"\s*(?:%|percent|per cent)$", quantity.text)
    tail = (percent.group() if percent else "") + (f" {tail}" if tail else "")
    options = [f"{prefix}{number_text(v, quantity.text)}{tail}" for v in chosen]
    return _distinct(answer, options, "", POOL)


def _name_pool(answer: str, category: str, prompt: str, findings: dict | None) -> list[str]:
    """The generator's own name rules (`distractors.name_options`) over the article's names:
    other people for a person, parties for a party, cities for a city, …"""
    gaz = load_gazetteer()
    restored = from_findings(findings, gaz) if findings is not None else None
    names, context = restored or (NameTable([], gaz), MentionContext([]))
    info = names.get(answer)
    if info is None:
        place = gaz.lookup(answer)
        if place is not None:
            info = NameInfo(answer, "GPE", place.kind, place.name, 0, place.country)
    if info is not None:
        kind = info.kind
    elif category == "who" or (category == "what" and _person_like(answer)):
        kind = "person" if _person_like(answer) else "organisation"
    else:
        kind = "place"
    fact = SimpleNamespace(kind=kind, info=info, text=answer)
    return name_options(fact, prompt, names, gaz, POOL, context=context)


def _person_like(answer: str) -> bool:
    """'Maria Lopez': two or three capitalised words, none of them an organisation's."""
    words = answer.split()
    return (
        2 <= len(words) <= 3
        and all(w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha() for w in words)
        and fine_kind(answer, None) == "organisation"
    )


def findings_for_text(article_text: str) -> dict | None:
    """What a generation would find in `article_text` (its names and their context), for a set
    made before findings were kept: one parse, whose result the caller stores."""
    try:
        article = parse_article(article_text.encode("utf-8"), "article.txt", "txt")
        bounded = bound_article(article)  # the shapes the parser chokes on, made safe
    except (ArticleError, TooComplex):
        return None
    (parsed,) = parse_articles([bounded.article], batch_size=bounded.batch_size)
    ents = [e for doc in parsed.docs for e in doc.ents]
    return to_findings(NameTable(ents, load_gazetteer()), MentionContext(ents))
