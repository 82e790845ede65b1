"""Repairing the model's entity labels before any question is built on them.

The small English model mislabels news names (on the seed article it calls Azerbaijan,
Stepanakert and Yerevan people and Yevlakh an organisation). Each distinct name is given one
label for the whole document by a vote: the model's labels count once per mention, and
stronger evidence counts more — a gazetteer hit (place), a title before the name (person), an
organisation word at its end, a place noun around it ("the city of X", "X region"), a
locative preposition before it, and demonym forms ("Azerbaijani" is a nationality).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from .gazetteer import (
    COMPANY_WORDS,
    FACILITY_WORDS,
    FAMILY_FIRST,
    MONTHS,
    ORG_HEAD_WORDS,
    ORG_WORDS,
    PERSON_TITLES,
    PLACE_NOUNS,
    Gazetteer,
    load_gazetteer,
)

NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}
LOCATIVE_PREPS = {"in", "at", "near", "from", "to", "into", "across", "throughout", "outside"}


@dataclass(frozen=True)
class NameInfo:
    """The repaired reading of one name across the document."""

    key: str
    label: str  # PERSON, ORG, GPE, LOC, FAC, NORP
    kind: str  # person, organisation, country, city, state, continent, place, nationality
    canonical: str  # the fullest form of the name seen ("Ilham Aliyev" for "Aliyev")
    mentions: int
    country: str | None = None  # ISO code for gazetteer places
    # a person named in full ("Ilham Aliyev") or after a title ("President Trump"), not a lone
    # capitalised word the model took for a person ("Twitter", "Brexit")
    confident: bool = True


MINOR_CITY = 100_000  # people: below this a gazetteer city only breaks ties


def _trim(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    opens = [t.i for t in span if t.text == "("]
    if opens and not any(t.text == ")" for t in span):
        end = opens[0]  # "Free Trade Area (AfCFTA": the parenthesis is not part of the name
    while end > start and (
        doc[end - 1].pos_ in ("ADP", "DET", "CCONJ") or doc[end - 1].text in "(,"
    ):
        end -= 1
    while start < end and doc[start].text in "(,":
        start += 1
    if start == end:
        return None
    return Span(doc, start, end, label=span.label_)


def _name_run(doc: Doc, i: int) -> int:
    """End of the run of capitalised proper nouns starting at i ('Muhammadu Buhari')."""
    j = i
    while (
        j < len(doc)
        and j - i < 4
        and doc[j].pos_ == "PROPN"
        and doc[j].text[:1].isupper()
        and doc[j].lower_.rstrip(".") not in PERSON_TITLES
        and doc[j].ent_type_ not in ("GPE", "DATE", "NORP")
    ):
        j += 1
    return j


# Words that make a title of the title word after them ("Crown Prince", "Vice President").
_TITLE_MODIFIERS = frozenset("crown vice deputy acting former grand first".split())


def _title_before_name(span: Span) -> bool:
    """A 'person' the model made of title words alone, right before the name they are the
    title of ("Crown Prince | Taufa'ahau Tupou V"): no person; the name after it is. ("Prince"
    with no name after it, the singer, stays a person.)"""
    if span.label_ != "PERSON" or span.end >= len(span.doc):
        return False
    if not all(t.lower_.rstrip(".") in PERSON_TITLES | _TITLE_MODIFIERS for t in span):
        return False
    after = span.doc[span.end]
    return after.pos_ == "PROPN" and after.text[:1].isupper()


# Names the model finds that may open with a title word: "Major League Soccer", "General
# Motors", "Prince Edward Island" are no rank before a person.
_NAMES_OPENED_BY_TITLES = frozenset("ORG FAC EVENT WORK_OF_ART LAW PRODUCT GPE LOC".split())


def _opens_a_name(tok) -> bool:
    """The title word opens a model entity of several words that is no person (read 48:
    "Major League Soccer" was made the person "League Soccer")."""
    if tok.ent_iob_ != "B" or tok.ent_type_ not in _NAMES_OPENED_BY_TITLES:
        return False
    return tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].ent_iob_ == "I"


def _whole_date(span: Span) -> Span:
    """A date the model began at its month while the day stands before it ("15 | January
    1963", read 48): the day is part of it."""
    doc = span.doc
    if span.label_ != "DATE" or span.start == 0 or span[0].lower_ not in MONTHS:
        return span
    day = doc[span.start - 1]
    if day.is_digit and 1 <= int(day.text) <= 31 and not day.ent_type_:
        return Span(doc, span.start - 1, span.end, label="DATE")
    return span


_NAME_LABELS_TO_EXTEND = frozenset("GPE LOC FAC ORG PERSON".split())


def _whole_name(span: Span) -> Span:
    """A name the model ended on a word whose head is the capitalised word after it, outside
    any entity ("Żelazowa | Wola", Wikipedia): the name runs on to that word."""
    if span.label_ not in _NAME_LABELS_TO_EXTEND or span.end >= len(span.doc):
        return span
    nxt = span.doc[span.end]
    last = span[-1]
    if (
        last.dep_ == "compound"
        and last.head.i == nxt.i
        and nxt.pos_ == "PROPN"
        and nxt.text[:1].isupper()
        and not nxt.ent_type_
        and nxt.lower_ not in PERSON_TITLES
    ):
        return Span(span.doc, span.start, span.end + 1, label=span.label_)
    return span


def _whole_money(span: Span) -> Span:
    """A sum the model began after its currency sign ("£ | 50,000", read 48): the sign is
    part of it."""
    if span.label_ != "MONEY" or span.start == 0:
        return span
    sign = span.doc[span.start - 1]
    if sign.text in "£€¥$₹₩₽" and not sign.ent_type_:
        return Span(span.doc, span.start - 1, span.end, label="MONEY")
    return span


def repair_spans(doc: Doc) -> Doc:
    """Fix entity boundaries the model gets wrong, before any vote.

    Trailing prepositions and conjunctions are trimmed ('Patrice Talon of'), and a run of
    proper nouns right after a title becomes a person ('Presidents Muhammadu Buhari'), as does
    a proper-noun run coordinated with such a person ('… and Patrice Talon of Benin').
    """
    spans = [
        _whole_name(_whole_money(_whole_date(t)))
        for t in (_trim(e) for e in doc.ents)
        if t is not None and not _title_before_name(t)
    ]
    people: list[Span] = []
    for tok in doc:
        if (
            tok.lower_.rstrip(".") in PERSON_TITLES
            and tok.text[:1].isupper()
            and tok.i + 1 < len(doc)
            and not _opens_a_name(tok)
        ):
            end = _name_run(doc, tok.i + 1)
            if end - (tok.i + 1) >= 2 or (end > tok.i + 1 and doc[tok.i + 1].ent_type_ == "PERSON"):
                people.append(Span(doc, tok.i + 1, end, label="PERSON"))
    for person in list(people):
        head = person.root
        for conj in head.children:
            if conj.dep_ == "conj" and conj.pos_ == "PROPN":
                start = conj.i
                while (
                    start > 0
                    and doc[start - 1].dep_ == "compound"
                    and doc[start - 1].pos_ == "PROPN"
                    and doc[start - 1].lower_.rstrip(".") not in PERSON_TITLES
                ):
                    start -= 1
                if conj.i + 1 - start >= 2:
                    people.append(Span(doc, start, conj.i + 1, label="PERSON"))
    # a model person that already holds the recovered name whole, and more, is kept as it is
    people = [
        p
        for p in people
        if not any(
            s.label_ == "PERSON" and s.start <= p.start and p.end <= s.end and len(s) > len(p)
            for s in spans
        )
    ]
    if people:
        keep = [s for s in spans if not any(s.start < p.end and p.start < s.end for p in people)]
        spans = filter_spans(keep + people)
    doc.ents = spans
    return doc


def entity_span(tok: Token) -> Span:
    """The entity a token belongs to, or the token alone. Read from the tokens' IOB tags (what
    `doc.ents` is made of) rather than by scanning `doc.ents`, which spaCy rebuilds on every
    access: linear in the entity's length, not quadratic in the paragraph's."""
    doc = tok.doc
    if tok.ent_iob_ not in ("B", "I"):
        return doc[tok.i : tok.i + 1]
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=doc[start].ent_type_)


def name_key(text: str, titles: bool = True) -> str:
    """The form under which mentions of one name are grouped; `titles` strips the title words
    that open it ("President Joe Biden"), unless the title word is the name's own ("Major
    League Soccer", `titles=False`)."""
    text = text.strip().replace("’", "'")
    if text.lower().startswith("the "):
        text = text[4:]
    if text.endswith("'s"):
        text = text[:-2]
    elif text.endswith("'"):
        text = text[:-1]
    words = text.strip(" .,").split()
    while titles and len(words) > 1 and words[0].lower().rstrip(".") in PERSON_TITLES:
        words = words[1:]
    return " ".join(words)


def _title_before(span: Span) -> bool:
    """A title right before the name ('President X', 'the spokesman, X'); not the last word of
    another name ('Notre Dame, Indiana': 'Dame' ends a place)."""
    i = span.start - 1
    doc = span.doc
    while i >= 0 and doc[i].text in {".", ","} and i >= span.start - 2:
        i -= 1
    if i < 0 or doc[i].text.lower().rstrip(".") not in PERSON_TITLES or not doc[i].is_alpha:
        return False
    return doc[i].ent_type_ not in ("GPE", "LOC", "FAC", "ORG") or i == span.start - 1


def _place_context(span: Span) -> bool:
    doc = span.doc
    # "the city of X", "the capital, X"
    # (a capitalised "State" is part of a title: "Secretary of State Mike Pompeo")
    before = [t.lower_ if t.is_lower else t.text for t in doc[max(0, span.start - 3) : span.start]]
    if any(w in PLACE_NOUNS for w in before[-2:]) and (
        before[-1:] in (["of"], [","]) or before[-1] in PLACE_NOUNS
    ):
        return True
    root = span.root
    if root.dep_ == "appos" and root.head.lower_ in PLACE_NOUNS:
        return True
    # "the X region"
    return span.end < len(doc) and doc[span.end].lower_ in PLACE_NOUNS and root.dep_ == "compound"


def _noun_before(span: Span) -> str | None:
    """'party' in "Adamowicz's former party Civic Platform" (a common noun naming the kind)."""
    if span.start == 0:
        return None
    tok = span.doc[span.start - 1]
    if tok.pos_ == "NOUN" and tok.is_lower:
        return tok.lower_
    return None


def _locative(span: Span) -> bool:
    root = span.root
    return (
        root.dep_ == "pobj"
        and root.head.lower_ in LOCATIVE_PREPS
        and root.head.head.lower_ != "according"  # "according to X" names a source
    )


def _source(span: Span) -> bool:
    """'according to X': X reported something; it is a person or an organisation."""
    root = span.root
    return (
        root.dep_ == "pobj"
        and root.head.lower_ == "to"
        and root.head.head.lower_ == "according"
        and span.label_ != "PERSON"
    )


def _person_shaped(key: str) -> bool:
    words = key.split()
    return 2 <= len(words) <= 3 and all(
        w[:1].isupper()
        and w.replace("-", "").isalpha()
        and w.lower() not in ORG_WORDS
        and w.lower() not in FACILITY_WORDS
        and w.lower() not in PLACE_NOUNS
        for w in words
    )


def _org_headed(key: str) -> bool:
    """'Hirtenberger Defence Group', 'University of Washington', 'Medical University of Gdańsk',
    'National Directorate for Security': the name's head (its last word, or the last word before
    'of', 'for' or 'on') is a word only organisations end in."""
    words = key.split()
    if len(words) < 2:
        return False
    cut = next((i for i, w in enumerate(words) if w in ("of", "for", "on")), len(words))
    return cut > 0 and words[cut - 1].lower() in ORG_HEAD_WORDS


def _majority(votes: Counter | None) -> str | None:
    if not votes:
        return None
    return max(sorted(votes), key=lambda lab: votes[lab])


_OPENING_QUOTES = frozenset(['"', "“", "‘", "``"])
_CLOSING_QUOTES = frozenset(['"', "”", "’", "''"])


def _quoted(ent: Span) -> bool:
    """The whole name stands in quotation marks: a title ('"Meet Kevin Johnson" is the eighth
    episode …', read 40), not a person or a place."""
    doc = ent.doc
    return (
        ent.start > 0
        and ent.end < len(doc)
        and doc[ent.start - 1].text in _OPENING_QUOTES
        and doc[ent.end].text in _CLOSING_QUOTES
    )


# What a company has and a place does not.
_BUSINESS_NOUNS = frozenset(
    "revenue revenues sales profit profits earnings shares stock shareholders turnover "
    "ceo executive executives subsidiary brand".split()
)


def _owns_business(ent: Span) -> bool:
    """The name owns a company's figure: "Toyota's revenue", "shares of Toyota"."""
    root = ent.root
    if root.dep_ == "poss" and root.head.lemma_.lower() in _BUSINESS_NOUNS:
        return True
    head = root.head
    return (
        root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in _BUSINESS_NOUNS
    )


class NameTable:
    """Votes over every name mention of a document set and answers 'what is this name?'."""

    def __init__(
        self, ents: list[Span], gazetteer: Gazetteer | None = None, topic: str | None = None
    ):
        """`topic`: what the article is about (its title, or the subject its lead defines);
        a person's name there ("Frédéric Chopin") votes its mentions people, whatever the
        model called them ("Chopin" was its organisation in 4 of 5 mentions)."""
        self.gaz = gazetteer or load_gazetteer()
        votes: dict[str, Counter] = defaultdict(Counter)
        titled: set[str] = set()
        placed: set[str] = set()
        locative: Counter = Counter()
        counts: Counter = Counter()
        for ent in ents:
            if ent.label_ not in NAME_LABELS or _quoted(ent):
                continue
            key = name_key(ent.text, titles=not _opens_a_name(ent[0]))
            if not key or not key[0].isupper():
                continue
            counts[key] += 1
            v = votes[key]
            v[ent.label_] += 1.0
            if _title_before(ent):
                v["PERSON"] += 3
                titled.add(key)
            if _place_context(ent):
                v["GPE"] += 3
                placed.add(key)
            noun = _noun_before(ent)
            if noun in ORG_WORDS:
                v["ORG"] += 3
            if _owns_business(ent):
                v["ORG"] += 5  # "Toyota's revenue", "shares of Toyota": a company, not a city
            if _locative(ent):
                v["GPE"] += 1.2
                locative[key] += 1
            elif _source(ent):
                v["ORG"] += 2  # "according to Agence France-Presse": a source, not a place
            last = key.split()[-1].lower()
            first = key.split()[0].lower()
            if _org_headed(key):
                v["ORG"] += 5  # "Medical University of Gdańsk", "Bank of England"
            elif last in FACILITY_WORDS:
                v["FAC"] += 4
            elif ent.root.dep_ == "compound" and ent.root.head.lower_ in FACILITY_WORDS:
                v["FAC"] += 4  # "Jakarta's Gelora Bung Karno stadium": a stadium's name
            elif last in ORG_WORDS or first in ORG_WORDS or last in COMPANY_WORDS:
                v["ORG"] += 3
            if ent.root.dep_ in ("amod", "compound") and ent.root.head.ent_type_ == "":
                lower = key.lower()
                if lower in self.gaz.demonyms or ent.root.tag_ == "JJ":
                    v["NORP"] += 2
        topic = (topic or "").strip()
        if _person_shaped(topic) and self.gaz.lookup(topic) is None:
            for key in {topic, topic.split()[-1]}:
                if key in votes and self.gaz.lookup(key) is None:
                    votes[key]["PERSON"] += 3 * counts[key]
                    titled.add(key)
        self.infos: dict[str, NameInfo] = {}
        person_keys = []
        placed |= {k for k, n in locative.items() if n >= 2}
        placed |= {k for k in votes if _majority(votes[k]) in ("GPE", "LOC") and " " in k}
        for key, v in votes.items():
            place = self.gaz.lookup(key)
            parts = key.replace("-", " ").split()
            last_place = self.gaz.lookup(parts[-1]) if len(parts) > 1 else None
            # "Eric Clapton": the model's person, whose surname is also a district of London
            known_person = (
                v["PERSON"] >= 1
                and v["PERSON"] >= v["GPE"]
                and _person_shaped(key)
                and (last_place is None or last_place.kind not in ("country", "state", "continent"))
            )
            if (
                len(parts) > 1
                and v["ORG"] < 3
                and not known_person
                and (
                    (
                        last_place is not None
                        and last_place.kind in ("country", "state", "continent")
                    )
                    or _majority(votes.get(parts[-1])) in ("GPE", "LOC")
                )
            ):
                v["GPE"] += 3  # "Nagorno-Karabakh", "South Bend": a place inside the name
            if key.lower() in self.gaz.demonyms and " " not in key:
                v["NORP"] += 3
            if _person_shaped(key) and place is None:
                v["PERSON"] += 0.5  # breaks a tie between PERSON and ORG for "Firstname Lastname"
            if place is not None and v["PERSON"] < 3:
                # a small town's name ("Time", Norway) is weak evidence against the model's
                # ORG unless the text writes it as a place ("in Time")
                minor = place.kind == "city" and place.population < MINOR_CITY and key not in placed
                v["GPE"] += 0.5 if minor else 4
            label = _majority(v)
            if label == "PERSON":
                person_keys.append(key)
            info = self._info(key, label, counts[key], place)
            if info.kind == "person" and " " not in key and key not in titled:
                info = NameInfo(key, label, "person", key, counts[key], confident=False)
            elif info.kind == "place" and key not in placed:
                # neither in the gazetteer nor written as a place ("the X region", "in X")
                info = NameInfo(key, info.label, "place", key, counts[key], confident=False)
            self.infos[key] = info
        # A surname alone belongs to the full name it ends ("Aliyev" -> "Ilham Aliyev").
        for key in list(self.infos):
            if " " in key:
                continue
            fulls = [
                k for k in person_keys if " " in k and k.split()[-1] == key and k in self.infos
            ]
            if not fulls and key.lower() in FAMILY_FIRST:
                # "Park" of Park Geun-hye (read 50): a family name written first; only one
                # bearer, or nobody ("Lee" of Lee Wan-koo and Lee Byung-kee)
                firsts = [k for k in person_keys if len(k.split()) == 2 and k.split()[0] == key]
                fulls = firsts if len(firsts) == 1 else []
            if fulls:
                full = max(fulls, key=lambda k: counts[k])
                self.infos[key] = NameInfo(key, "PERSON", "person", full, counts[key])
                continue
            # "Ridgeback" after "Ridgeback Biotherapeutics": a short form of the organisation
            orgs = [
                k
                for k, i in self.infos.items()
                if i.kind == "organisation"
                and " " in k
                and k.split()[0] == key
                and k.split()[-1].lower() in ORG_WORDS | COMPANY_WORDS
            ]
            if (
                len(orgs) == 1
                and self.infos[key].kind in ("organisation", "person", "place")
                and self.gaz.lookup(key) is None
            ):
                org = self.infos[orgs[0]]
                self.infos[key] = NameInfo(key, "ORG", "organisation", org.key, counts[key])

    def _info(self, key: str, label: str, mentions: int, place) -> NameInfo:
        if label == "PERSON":
            return NameInfo(key, label, "person", key, mentions)
        if label == "ORG":
            return NameInfo(key, label, "organisation", key, mentions)
        if label == "NORP":
            return NameInfo(key, label, "nationality", key, mentions)
        if label == "FAC" and key.split()[-1].lower() in FACILITY_WORDS:
            return NameInfo(key, "FAC", "facility", key, mentions)
        if place is not None:
            return NameInfo(key, "GPE", place.kind, key, mentions, place.country)
        return NameInfo(
            key, label if label in ("GPE", "LOC", "FAC") else "GPE", "place", key, mentions
        )

    def get(self, text: str) -> NameInfo | None:
        return self.infos.get(name_key(text, titles=False)) or self.infos.get(name_key(text))

    @cached_property
    def _by_last_name(self) -> dict[str, frozenset[str]]:
        index: dict[str, set[str]] = defaultdict(set)
        for info in self.infos.values():
            if info.kind == "person" and info.confident and " " in info.canonical:
                index[info.canonical.split()[-1]].add(info.canonical)
        return {last: frozenset(found) for last, found in index.items()}

    def people_named(self, last: str) -> frozenset[str]:
        """The confident people's full names whose last word is `last` (built once)."""
        return self._by_last_name.get(last, frozenset())

    def of_kind(self, *kinds: str) -> list[NameInfo]:
        return [i for i in self.infos.values() if i.kind in kinds and i.canonical == i.key]
