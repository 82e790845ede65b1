"""Finding askable facts in parsed sentences: typed answers of four categories.

A fact is an answer phrase in a sentence with a category (who, where, how_many, when), a fine
kind (person, organisation, country, city, place, year, date, weekday, time, count, …) and, for
numbers, the value, qualifier and counted noun kept apart.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from ..numbers import Quantity, is_vague, parse_quantity
from .entities import NameInfo, NameTable, entity_span
from .gazetteer import MONTHS, PERSON_TITLES, WEEKDAYS

DURATION_UNITS = frozenset("second minute hour day week month year decade century".split())
TIME_ZONES = frozenset(
    "UTC GMT BST EST EDT CST CDT PST PDT CET CEST IST ET PT JST AEST AEDT MSK EET".split()
)
DEFINITE = {"the", "these", "those", "this", "that", "both", "their", "its", "his", "her"}
CASUALTY_VERBS = frozenset(
    """
    kill injure wound infect evacuate hurt rescue arrest displace hospitalise hospitalize detain
    vaccinate die drown treat affect
    """.split()
)
YEAR_RE = re.compile(r"^(1[5-9]\d\d|20\d\d)$")
DECADE_RE = re.compile(r"^(?:the )?(1[5-9]\d0|20\d0)s$", re.I)
CLOCK_RE = re.compile(r"\b\d{1,2}(:\d\d)?\s*(a\.?m\.?|p\.?m\.?)|\b\d{1,2}:\d\d\b", re.I)
# A race or finishing time: "2:01:39", "3:43.13" (a clock time has neither seconds nor tenths)
RACE_TIME_RE = re.compile(r"^\d{1,2}:\d\d:\d\d(?:\.\d+)?$|^\d{1,2}:\d\d\.\d+$")
# Words before a number that make it a reading on a scale: "magnitude 7.9", "Category 5"
SCALE_WORDS = frozenset({"magnitude"})
RATING_WORDS = frozenset({"Category"})
# "a two-thirds majority", "a three-fold rise": a hyphenated number that counts nothing
HYPHEN_NOT_COUNTED = frozenset(
    "half halves third thirds quarter quarters fifth fifths fold percent per cent point".split()
)
_IRREGULAR_PLURALS = {"foot": "feet", "person": "people", "man": "men", "woman": "women",
                      "child": "children", "storey": "storeys", "series": "series"}  # fmt: skip
_ABBREVIATED_UNITS = frozenset("km kg mm cm m mi ft lb lbs mph kph kmh mw kw gw gb mb".split())
# Institutions that are also places one goes to, and the prepositions that make them so
INSTITUTION_WORDS = frozenset("university institute college school academy hospital".split())
INSTITUTION_PREPS = frozenset("at in to into inside outside".split())
# A month alone is a date only after one of these ("since June", "in October")
MONTH_PREPS = frozenset("in since until till by from during before after through".split())


@dataclass(frozen=True)
class Fact:
    """One candidate answer in one sentence."""

    sent: Span
    answer: Span  # the tokens of the answer as written (qualifier included for numbers)
    category: str
    kind: str
    text: str  # the answer text shown as the key
    info: NameInfo | None = None
    quantity: Quantity | None = None
    unit: str | None = None  # the counted noun ("refugee families", "hours")
    noun: Token | None = None  # head of the counted noun phrase


def _clean_span(span: Span) -> Span:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].lower_ in {"the", "a", "an"}):
        start += 1
    while end > start and (
        (doc[end - 1].is_punct and doc[end - 1].text not in {".", "%"})
        or doc[end - 1].pos_ in ("ADP", "DET", "CCONJ")
    ):
        end -= 1
    while end > start and doc[end - 1].text in {"'s", "’s", "'"}:
        end -= 1
    return doc[start:end]


def _counted_noun(span: Span) -> Token | None:
    """The noun a number counts: '40,000 refugee families' -> families."""
    for tok in span:
        if (
            tok.like_num
            and tok.dep_ in ("nummod", "quantmod", "compound")
            and tok.head.pos_
            in (
                "NOUN",
                "PROPN",
            )
        ):
            head = tok.head
            if head.i >= span.start:
                return head
    last = span[-1]
    if last.pos_ == "NOUN" and not last.like_num:
        return last
    if last.head.pos_ == "NOUN" and last.dep_ == "nummod" and last.head.i == span.end:
        return last.head
    return None


def _unit_text(number_end: int, noun: Token) -> str:
    doc = noun.doc
    words = [t.text for t in doc[number_end : noun.i + 1] if not t.is_punct and not t.is_space]
    return " ".join(words)


def plural(word: str) -> str:
    """'storey' -> 'storeys', 'century' -> 'centuries', 'km' -> 'km' (a unit's plural)."""
    low = word.lower()
    if low in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[low]
    if low in _ABBREVIATED_UNITS or low.endswith("s"):
        return word
    if low.endswith("y") and low[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    if low.endswith(("x", "ch", "sh")):
        return word + "es"
    return word + "s"


def _future(span: Span) -> bool:
    """Whether the clause of `span` speaks of the future ('will meet on Friday')."""
    tok = span.root
    for _ in range(4):
        if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
            break
        tok = tok.head
    return any(c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll", "wo") for c in tok.children)


def resolve_day(span: Span, published: datetime.date) -> datetime.date | None:
    """The date a relative day names, counted from the article's date: 'Thursday' (the last one
    on or before the dateline, or the next one when the clause speaks of the future), 'last
    Thursday', 'next Friday', 'yesterday', 'today'. None for anything else."""
    words = [t.lower_ for t in span if not t.is_punct]
    if words == ["yesterday"]:
        return published - datetime.timedelta(days=1)
    if words == ["today"]:
        return published
    if len(words) == 2 and words[0] in ("last", "next", "this", "past"):
        mod, day = words
    elif len(words) == 1:
        mod, day = None, words[0]
    else:
        return None
    if day not in WEEKDAYS:
        return None
    target, dateline = WEEKDAYS.index(day), published.weekday()
    if mod == "next" or (mod is None and _future(span)):
        return published + datetime.timedelta(days=(target - dateline) % 7 or 7)
    back = (dateline - target) % 7
    if mod in ("last", "past") and back == 0:
        back = 7
    return published - datetime.timedelta(days=back)


def date_text(day: datetime.date) -> str:
    """'March 12, 2020': how the key of a resolved relative date is written."""
    return f"{MONTHS[day.month - 1].capitalize()} {day.day}, {day.year}"


def _bare_month(span: Span) -> bool:
    """'since June', 'in October': a month named alone after a time preposition."""
    tok = span[0]
    return (
        len(span) == 1
        and tok.text[:1].isupper()
        and tok.lower_ in MONTHS
        and tok.dep_ == "pobj"
        and tok.head.lower_ in MONTH_PREPS
    )


def _date_fact(sent: Span, ent: Span, published: datetime.date | None = None) -> list[Fact]:
    span = _clean_span(ent)
    if not span:
        return []
    if published is not None:
        day = resolve_day(span, published)
        if day is not None:
            return [Fact(sent, span, "when", "date", date_text(day))]
    low = span.text.lower()
    words = low.replace(",", " ").split()
    facts: list[Fact] = []
    has_month = any(w in MONTHS for w in words)
    years = [t for t in span if YEAR_RE.match(t.text)]
    if any(w in DURATION_UNITS or w.rstrip("s") in DURATION_UNITS for w in words) and any(
        t.like_num for t in span
    ):
        if not (has_month or years and len(span) == 1):
            first_num = next(t.i for t in span if t.like_num)
            unit_end = min(
                (
                    t.i + 1
                    for t in span
                    if t.i > first_num
                    and (t.lower_ in DURATION_UNITS or t.lower_.rstrip("s") in DURATION_UNITS)
                ),
                default=span.end,
            )
            start = span.start
            if any(
                t.lower_ in ("last", "past", "next", "first") for t in span[: first_num - start]
            ):
                start = first_num  # "over the last four years": the count is "four years"
            return _number_facts(sent, sent.doc[start:unit_end], duration=True)
    if DECADE_RE.match(low):
        return [Fact(sent, span, "when", "decade", span.text)]
    if has_month:
        start = next(i for i, t in enumerate(span) if t.lower_ in MONTHS)
        # "January 14, 2019", "14 January", "November 20"
        sub = span[max(0, start - 1) if start and span[start - 1].like_num else start :]
        # "June 24 of next year": the year the article's date would give stays out of the key
        rel = [t.i for t in sub if t.lower_ in ("next", "this", "last", "coming", "following")]
        if rel and sub.doc[rel[0] - 1].lower_ in ("of", "this", "next", "last"):
            sub = sub.doc[sub.start : rel[0] - (sub.doc[rel[0] - 1].lower_ == "of")]
        elif rel:
            sub = sub.doc[sub.start : rel[0]]
        sub = _clean_span(sub) if sub else sub
        if sub and any(t.like_num for t in sub):
            return [Fact(sent, sub, "when", "date", sub.text)]
        if _bare_month(span):
            return [Fact(sent, span, "when", "date", span.text)]
        return []
    if years:
        for y in years:
            facts.append(Fact(sent, sent.doc[y.i : y.i + 1], "when", "year", y.text))
        return facts
    if len(words) == 1 and words[0] in WEEKDAYS:
        return [Fact(sent, span, "when", "weekday", span.text)]
    return []


def kind_hint(ent: Span) -> str:
    return {"PERCENT": "percent", "MONEY": "money", "QUANTITY": "quantity"}.get(ent.label_, "count")


def _compound_duration(span: Span) -> bool:
    """'3 hours 12 minutes': two numbers with a unit between them, one time, not one value."""
    nums = [t.i for t in span if t.like_num]
    return len(nums) >= 2 and any(
        t.lower_ in DURATION_UNITS or t.lower_.rstrip("s") in DURATION_UNITS
        for t in span.doc[nums[0] + 1 : nums[-1]]
    )


def _reports_count(noun: Token, nums: list[Token], q: Quantity) -> bool:
    """'the 452 available seats' is a count the article gives, though definite; 'the two blasts'
    refers back to ones it has counted already."""
    if not any(c.dep_ == "det" and c.lower_ in DEFINITE for c in noun.children):
        return True
    if any(c.lower_ in ("last", "past", "next", "first", "previous") for c in noun.children):
        # "the past three years" is a span the article gives; "medals at the last three
        # Paralympics" is no count of all of them ("At how many Paralympics …?": read 20)
        return noun.lemma_.lower() in DURATION_UNITS or noun.lower_ in DURATION_UNITS
    return q.value >= 20 and nums[0].text[:1].isdigit() and not YEAR_RE.match(nums[0].text)


def _parallel_unit(root: Token) -> str | None:
    """The counted noun a bare number shares with a parallel figure: '250 thousand protesters
    in New York City, 100 thousand in London, and 1.4 million in cities' -> 'protesters'."""
    if root.dep_ not in ("conj", "appos") or root.head.i >= root.i:
        return None
    for tok in root.head.subtree:
        if tok.i >= root.i:
            break
        if tok.like_num and tok.dep_ in ("nummod", "compound"):
            head = tok.head if tok.dep_ == "nummod" else tok.head.head
            if head.pos_ == "NOUN" and head.tag_ == "NNS" and head.i < root.i:
                return head.text
    return None


def _number_facts(sent: Span, ent: Span, duration: bool = False) -> list[Fact]:
    span = _clean_span(ent)
    while len(span) > 1 and span[0].lower_ in ("only", "still", "roughly only"):
        span = span[1:]  # "only about 31 percent": a comment, not a qualifier
    if (
        span
        and span[0].lower_ == "estimated"
        and span.start > 0
        and sent.doc[span.start - 1].lower_ == "an"
    ):
        span = sent.doc[span.start - 1 : span.end]  # "an estimated 91%" is one qualifier
    if not span or is_vague(span.text):
        return []
    if RACE_TIME_RE.match(span.text):
        # "finished in 2:01:39": a time to the second; no one value to vary into options
        return [Fact(sent, span, "how_many", "duration", span.text)]
    q = parse_quantity(span.text)
    if q is None or q.value != q.value or q.value <= 0:
        return []
    if re.search(r"\d[^\d]*\band\b[^\d]*\d", span.text):
        return []  # "about 4% and 11%": two figures, no one key
    if re.fullmatch(r"\d+K (?:[A-Z][\w-]*)(?: [A-Z][\w-]*)*", span.text):
        return []  # "published by 2K Games" (read 49): a company the model took for a sum
    nums = [t for t in span if t.like_num or t.lower_ == "dozen"]
    if not nums:
        return []
    if q.value == 1 and kind_hint(ent) == "count":
        return []  # "one studio album", "one member": asking "how many" makes no sense
    if any(t.text == "-" for t in sent.doc[max(0, span.start - 1) : span.end + 1]):
        return []  # "four-wheel-drive", "second-in-command" (see _hyphen_facts)
    if duration and _compound_duration(span):
        return [Fact(sent, span, "how_many", "duration", span.text)]
    last_num = max(t.i for t in nums)
    noun = _counted_noun(span)
    if noun is not None and not _reports_count(noun, nums, q):
        return []  # "the two blasts" refers back; it is not a count the article reports
    kind = "count"
    label = ent.label_
    if label == "PERCENT" or "percent" in span.text.lower() or "%" in span.text:
        kind = "percent"
    elif label == "MONEY":
        kind = "money"
    elif duration or label == "TIME":
        kind = "duration"
    elif label == "QUANTITY":
        kind = "quantity"
    doc = sent.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[last_num + 1] if last_num + 1 < len(doc) else None
    if kind in ("count", "quantity") and any(
        t is not None and t.lower_ in SCALE_WORDS for t in (before, after)
    ):
        # "a magnitude 7.9 earthquake", "a 7.6 magnitude aftershock": a reading, not a count
        scale = next(t.lower_ for t in (before, after) if t is not None and t.lower_ in SCALE_WORDS)
        return [Fact(sent, span, "how_many", "quantity", span.text, quantity=q, unit=scale)]
    unit = None
    if noun is not None and noun.i > last_num:
        unit = _unit_text(last_num + 1, noun)
    elif kind == "count" and nums[-1].dep_ == "nummod" and nums[-1].head.i > last_num:
        noun = nums[-1].head
        unit = _unit_text(last_num + 1, noun)
    if kind == "count" and unit is None:
        root = nums[-1]
        while (
            root.dep_ in ("quantmod", "advmod", "nummod")
            and root.head.i != root.i
            and (root.head.i < span.end and root.head.i >= span.start)
        ):
            root = root.head
        if root.dep_ == "pobj" and root.head.i >= span.start:
            root = root.head  # "over 4,200": the preposition heads the phrase
        deps = ("dobj", "nsubjpass", "nsubj") + (("prep",) if root.i < span.end - 1 else ())
        verb = root.head if root.dep_ in deps else None
        if verb is not None and verb.lemma_ in CASUALTY_VERBS:
            # "killed at least 62", "at least 20 were killed": people are counted
            return [Fact(sent, span, "how_many", kind, span.text, quantity=q, unit="people")]
        shared = _parallel_unit(root)
        if shared is not None:
            return [Fact(sent, span, "how_many", kind, span.text, quantity=q, unit=shared)]
        if root.dep_ not in ("pobj", "dobj", "nsubj", "attr"):
            return []
    return [Fact(sent, span, "how_many", kind, span.text, quantity=q, unit=unit, noun=noun)]


def _hyphen_facts(sent: Span) -> list[Fact]:
    """Numbers glued to a noun by a hyphen: 'a ten-storey building' (ten, storeys), 'a
    41-year-old man' (age 41), 'a two-day summit' (two days). 'four-wheel-drive' (a longer
    compound), 'second-in-command' (no cardinal) and 'two-thirds' (a fraction) are not counts."""
    doc = sent.doc
    out: list[Fact] = []
    for tok in sent:
        if tok.tag_ != "CD" or tok.whitespace_ or tok.i + 2 >= sent.end:
            continue
        hyphen, noun = doc[tok.i + 1], doc[tok.i + 2]
        if hyphen.text != "-" or hyphen.whitespace_ or not noun.is_alpha or not noun.is_lower:
            continue
        if noun.tag_ not in ("NN", "NNS") or noun.lower_ in HYPHEN_NOT_COUNTED:
            continue
        if tok.i > sent.start and doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_:
            continue  # "COVID-19-related", "1-0-2"
        q = parse_quantity(tok.text)
        if q is None or q.value <= 0 or q.value != int(q.value):
            continue
        word = noun.lower_
        unit_word = word.rstrip("s") if word.rstrip("s") in DURATION_UNITS else word
        nxt = doc[noun.i + 1] if noun.i + 1 < sent.end else None
        if nxt is not None and nxt.text == "-" and not noun.whitespace_:
            old = doc[noun.i + 2] if noun.i + 2 < sent.end else None
            if old is not None and old.lower_ == "old" and unit_word in DURATION_UNITS:
                if unit_word == "year" and 0 < q.value < 130:
                    num = doc[tok.i : tok.i + 1]
                    out.append(Fact(sent, num, "how_many", "age", tok.text, quantity=q))
            continue  # "four-wheel-drive": part of a longer compound
        if unit_word in DURATION_UNITS:
            unit = plural(unit_word) if q.value != 1 else unit_word
            text = f"{tok.text} {unit}"
            out.append(
                Fact(
                    sent,
                    doc[tok.i : noun.i + 1],
                    "how_many",
                    "duration",
                    text,
                    quantity=q,
                    unit=unit,
                )  # fmt: skip
            )
        elif q.value != 1:
            unit = plural(noun.text)
            num = doc[tok.i : tok.i + 1]
            out.append(Fact(sent, num, "how_many", "count", tok.text, quantity=q, unit=unit))
    return out


def _rating_facts(sent: Span) -> list[Fact]:
    """'a Category 5 hurricane': a rating on a named scale, kept whole as the answer."""
    doc = sent.doc
    out = []
    for tok in sent:
        if tok.text in RATING_WORDS and tok.i + 1 < sent.end:
            num = doc[tok.i + 1]
            if num.tag_ == "CD" and num.text.isdigit() and len(num.text) == 1:
                span = doc[tok.i : num.i + 1]
                out.append(Fact(sent, span, "how_many", "rating", span.text))
    return out


def person_span(span: Span) -> Span:
    """A person's name without titles, and whole: 'Chief Superintendent Graciano Mijares'
    -> 'Graciano Mijares'."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end - 1 and doc[start].lower_.rstrip(".") in PERSON_TITLES:
        start += 1
    while (
        end < len(doc)
        and doc[end].pos_ == "PROPN"
        and doc[end].text[:1].isupper()
        and doc[end].lower_ not in PERSON_TITLES
        and doc[end].ent_type_ in ("", "PERSON")
        and doc[end - 1].whitespace_
    ):
        end += 1
    return doc[start:end]


def _common_word(span: Span) -> bool:
    """A capitalised common noun at the start of a sentence ('Households were asked')."""
    tok = span[0]
    return len(span) == 1 and tok.is_sent_start and tok.tag_ in ("NNS", "NN", "JJ")


def _inside_longer_name(span: Span, label: str) -> bool:
    """'Japan' in 'Netflix Japan', 'Atmospheric Science' in 'School of Marine and Atmospheric
    Science': the entity is the tail of a longer capitalised name."""
    doc = span.doc
    i = span.start - 1
    if i < 0:
        return False
    prev = doc[i]
    if prev.text in ("of", "and", "&") and i > 0:
        before = doc[i - 1]
        return (
            before.pos_ == "PROPN"
            and before.text[:1].isupper()
            and before.ent_type_ not in ("PERSON", "GPE")
            and label not in ("PERSON", "GPE")
        )
    return (
        prev.pos_ == "PROPN"
        and prev.text[:1].isupper()
        and prev.whitespace_ == " "
        and prev.ent_type_ not in ("NORP", "DATE", "PERSON", "TIME")
        and prev.lower_.rstrip(".") not in PERSON_TITLES
        and not prev.is_sent_start
        and label in ("GPE", "LOC")
    )


def _institution_visited(span: Span) -> bool:
    """'was taken to the Medical University of Gdańsk', 'studied at the Massachusetts Institute
    of Technology': an institution that is where something happens is asked with 'where'
    ('Professor Carl Lipo of Binghamton University' stays an organisation)."""
    words = span.text.split()
    cut = next((i for i, w in enumerate(words) if w in ("of", "for")), len(words))
    if cut == 0 or words[cut - 1].lower() not in INSTITUTION_WORDS:
        return False
    root = span.root
    prep = root.head
    return (
        root.dep_ == "pobj"
        and prep.lower_ in INSTITUTION_PREPS
        and prep.head.pos_ in ("VERB", "AUX")
    )


def _name_fact(sent: Span, ent: Span, names: NameTable) -> list[Fact]:
    span = _clean_span(ent)
    if not span or _common_word(span):
        return []
    info = names.get(span.text)
    if _inside_longer_name(span, ent.label_) or span.text.upper() in TIME_ZONES:
        return []
    if (
        span.text.isupper()
        and len(span.text) <= 3
        and info is not None
        and (info.kind == "person" or info.kind == "place")
    ):
        return []  # "ET", "BST": abbreviations the model takes for people or places
    after = sent.doc[span.end] if span.end < len(sent.doc) else None
    if (
        span.text.isupper()
        and len(span.text) > 3
        and span.start == sent.start
        and after is not None
        and after.text in ("—", "–", "-", ",", "(")
        and info is not None
        and info.kind in ("city", "country", "state", "place")
    ):
        return []  # "OSLO —": a dateline, no fact of the article (and its capitals tell)
    if ent.label_ in ("GPE", "LOC") and any(
        c.dep_ == "compound" and c.pos_ == "PROPN" and c.ent_type_ not in ("GPE", "LOC")
        for c in span.root.children
    ):
        return []  # "Netflix Japan": the place is part of another name
    before = sent.doc[span.start - 1] if span.start > 0 else None
    if (
        ent.label_ == "LOC"
        and before is not None
        and before.ent_type_ == "NORP"
        and before.text[:1].isupper()
        and span.start >= 2
        and sent.doc[span.start - 2].lower_ == "the"
    ):
        return []  # "the Austrian Alps": the name is longer than the model's "Alps"
    if info is not None and info.kind == "person":
        span = person_span(span)
        info = names.get(span.text) or info
    if info is None:
        return []
    if re.search(r"\w[‘’'`]s?$", span[-1].text):
        return []  # "Administration‘s": a possessive glued to the word, no key can drop it
    if info.kind == "person":
        return [Fact(sent, span, "who", "person", span.text, info)]
    if info.kind == "organisation" and _institution_visited(span):
        return [Fact(sent, span, "where", "place", info.canonical, info)]
    if info.kind == "organisation":
        # "Ridgeback" for "Ridgeback Biotherapeutics": the key is the name in full
        return [Fact(sent, span, "who", "organisation", info.canonical, info)]
    if info.kind in ("country", "city", "state", "continent", "place", "facility"):
        return [Fact(sent, span, "where", info.kind, span.text, info)]
    return []


def _age_facts(sent: Span, names: NameTable | None = None) -> list[Fact]:
    """'Hana Kimura, age 22,' / 'aged 41' / 'dies at age 80' / 'Adamowicz, 53, has …'."""
    facts = []
    doc = sent.doc

    def person(tok: Token) -> bool:
        # the article's vote, too: "Adamowicz, 53," (the model called him an organisation)
        if tok.ent_type_ == "PERSON":
            return True
        info = names.get(entity_span(tok).text) if names is not None and tok.ent_type_ else None
        return info is not None and info.kind == "person"

    for tok in sent:
        # "Adamowicz, 53,": a bare number between commas right after a person's name
        if (
            tok.like_num
            and tok.tag_ == "CD"
            and sent.start < tok.i - 1
            and tok.i + 1 < sent.end
            and doc[tok.i - 1].text == ","
            and doc[tok.i + 1].text == ","
            and person(doc[tok.i - 2])
        ):
            q = parse_quantity(tok.text)
            if q is not None and 10 < q.value < 120 and q.value == int(q.value):
                span = doc[tok.i : tok.i + 1]
                facts.append(Fact(sent, span, "how_many", "age", tok.text, quantity=q))
            continue
        if tok.lower_ in ("age", "aged") and tok.i + 1 < sent.end:
            num = sent.doc[tok.i + 1]
            if num.lower_ == "of" and tok.lower_ == "age" and tok.i + 2 < sent.end:
                num = sent.doc[tok.i + 2]  # "at the age of fifteen"
            if num.like_num and num.i + 1 <= sent.end:
                q = parse_quantity(num.text)
                if q is not None and 0 < q.value < 130:
                    span = sent.doc[num.i : num.i + 1]
                    facts.append(Fact(sent, span, "how_many", "age", num.text, quantity=q))
    return facts


def _glued(span: Span) -> bool:
    """'United-States-based', 'thirty-hour': the answer is glued into another word."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    return (before is not None and before.text == "-" and not before.whitespace_) or (
        after is not None and after.text == "-" and not doc[span.end - 1].whitespace_
    )


def _restated_number(fact: Fact) -> bool:
    """'2300 miles (3700 km)': the figure in brackets restates the one before it; the first is
    the answer (see _with_restatement), the second is not asked again."""
    if fact.category not in ("how_many", "when"):
        return False
    doc, span = fact.answer.doc, fact.answer
    before = doc[max(0, span.start - 5) : span.start]
    return (
        len(before) > 0
        and before[-1].text == "("
        and any(t.like_num or ":" in t.text for t in before)
    )


def _with_restatement(fact: Fact) -> Fact:
    """'2300 miles (3700 km)': the answer span takes in the bracketed restatement, so a blank
    or a question leaves no figure behind that gives the answer away."""
    if fact.category not in ("how_many", "when"):
        return fact
    doc, end = fact.answer.doc, fact.answer.end
    if end + 1 >= len(doc) or doc[end].text != "(":
        return fact
    for tok in doc[end + 1 : min(len(doc), end + 8)]:
        if tok.text == ")":
            inside = doc[end + 1 : tok.i]
            if any(any(c.isdigit() for c in t.text) for t in inside[:2]):
                return replace(fact, answer=doc[fact.answer.start : tok.i + 1])
            break
    return fact


YEAR_PREPS = {"in", "since", "between", "until", "from", "by", "before", "after", "of", "during"}


def _bare_years(sent: Span) -> list[Fact]:
    """Years the model left untagged ('between 1988 and 1994' gave only 1994 a label)."""
    out = []
    for tok in sent:
        if tok.ent_type_ or tok.tag_ != "CD" or not YEAR_RE.match(tok.text):
            continue
        head = tok.head
        if (tok.dep_ == "pobj" and head.lower_ in YEAR_PREPS) or (
            tok.dep_ in ("conj", "pobj") and YEAR_RE.match(head.text)
        ):
            out.append(Fact(sent, sent.doc[tok.i : tok.i + 1], "when", "year", tok.text))
    return out


_OPEN_ENDS = frozenset(
    "earlier later before after since onwards more less fewer under over above below".split()
)


def _open_ended(fact: Fact) -> bool:
    """A bound written as a value: "released in 2006 and earlier", "aged 65 or more". The
    value alone is no answer to "In what year were they released?"."""
    doc, end = fact.answer.doc, fact.answer.end
    return (
        end + 1 < len(doc)
        and doc[end].lower_ in ("and", "or")
        and doc[end + 1].lower_ in _OPEN_ENDS
        and (end + 2 >= len(doc) or not doc[end + 2].like_num)
        # "founded in 2006 and later moved": the adverb of the next verb
        and not (doc[end + 1].head.pos_ in ("VERB", "AUX") and doc[end + 1].head.i > end + 1)
    )


def find_facts(sent: Span, names: NameTable, published: datetime.date | None = None) -> list[Fact]:
    """Every typed answer candidate in one sentence, left to right. With the article's
    `published` date, 'on Thursday', 'yesterday' and 'today' become dates."""
    facts: list[Fact] = []
    for ent in sent.ents:
        label = ent.label_
        if label == "DATE":
            facts += _date_fact(sent, ent, published)
        elif label == "TIME" and RACE_TIME_RE.match(_clean_span(ent).text):
            facts += _number_facts(sent, ent, duration=True)
        elif label == "TIME":
            if CLOCK_RE.search(ent.text):
                facts.append(Fact(sent, _clean_span(ent), "when", "time", _clean_span(ent).text))
            else:
                facts += _number_facts(sent, ent, duration=True)
        elif label in ("CARDINAL", "QUANTITY", "PERCENT", "MONEY"):
            facts += _number_facts(sent, ent)
        elif label in ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"):
            facts += _name_fact(sent, ent, names)
    facts += _bare_years(sent)
    ages = _age_facts(sent, names)
    facts = [
        f for f in facts if not any(a.answer.start <= f.answer.start < a.answer.end for a in ages)
    ]
    facts = [
        f
        for f in facts + ages
        if not _glued(f.answer) and not _restated_number(f) and not _open_ended(f)
    ]
    taken = {t.i for f in facts for t in f.answer}
    for extra in _hyphen_facts(sent) + _rating_facts(sent):
        if not any(t.i in taken for t in extra.answer):
            facts.append(extra)
    facts = [_with_restatement(f) for f in facts]
    facts.sort(key=lambda f: f.answer.start)
    return facts
