"""Fine kinds of names, so a wrong option is of the key's own kind (question-rubric.md).

Organisations are not one kind: a party is offered beside parties, a news outlet beside news
outlets, a court beside courts. The kind is read from the name itself (its last or first word:
"… Party", "Ministry of …", "… Times", "… Inc"), from a short list of well-known names, and from
the words the article puts around its mentions ("the newspaper Népszava", "Costco's stores").
A name with digits or written as a drug or a product is no organisation at all.

`MentionContext` gathers that evidence once per article from its entity spans; `fine_kind`
reads it (or the name alone when there is no context).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from spacy.tokens import Span

from ..answers import normalise
from .entities import NAME_LABELS, NameInfo, name_key
from .gazetteer import FACILITY_WORDS, PERSON_TITLES

# Last (or, for "Ministry of Defence", first) words of a name -> its kind.
_NAME_WORDS: dict[str, tuple[str, ...]] = {
    "party": ("party",),
    "news outlet": (
        "news times post journal herald tribune observer gazette mail telegraph guardian "
        "magazine tv radio channel press chronicle daily weekly standard review "
        "reports report broadcasting television newspaper bulletin today inquirer monitor "
        "star sun mirror independent presse"
    ).split(),
    "company": (
        "inc corp corporation company co ltd llc plc limited holdings gmbh kft ag sa nv bv spa "
        "srl ab oy group airlines airways motors technologies industries enterprises "
        "entertainment records pharmaceuticals pharma biotherapeutics therapeutics systems "
        "bank"
    ).split(),
    "court": ("court", "tribunal"),
    "legislature": ("parliament", "senate", "congress", "assembly", "duma", "knesset"),
    "ministry": ("ministry", "department", "office", "bureau", "secretariat"),
    "security force": (
        "police army navy force forces guard military command corps constabulary gendarmerie"
    ).split(),
    "agency": ("agency", "authority", "administration", "service", "services", "board"),
    "council": ("council", "committee", "commission", "cabinet", "government"),
    "university": ("university", "college", "school", "institute", "academy", "polytechnic"),
    "sports team": ("fc", "club", "team", "united", "rovers", "athletic"),
    "association": (
        "association union federation league foundation society fund trust charity "
        "organization organisation alliance coalition movement front network institution "
        "center centre"
    ).split(),
}
_BY_WORD = {w: kind for kind, words in _NAME_WORDS.items() for w in words}

# Common nouns the article puts before, after or in apposition to a name.
_CONTEXT_WORDS: dict[str, tuple[str, ...]] = {
    "news outlet": (
        "newspaper daily paper tabloid broadcaster outlet magazine channel website radio "
        "journal weekly publication network station"
    ).split(),
    "company": (
        "company firm retailer supermarket chain manufacturer maker carrier airline insurer "
        "conglomerate giant startup corporation operator developer producer brand bank "
        "subsidiary store stores shares shareholders customers ceo factory plant lender"
    ).split(),
    "party": ("party",),
    "university": ("university", "college", "school"),
    "sports team": ("club", "team", "side"),
    "product": (
        "drug vaccine treatment medicine medication antibody antiviral compound therapy "
        "product device app software aircraft plane jet model car vehicle album song film "
        "movie series show book novel game fragrance single"
    ).split(),
}
_CONTEXT_BY_WORD = {w: kind for kind, words in _CONTEXT_WORDS.items() for w in words}

# Well-known names that carry no telling word.
_KNOWN_NAMES = {
    "news outlet": {
        "bbc",
        "cnn",
        "reuters",
        "afp",
        "ap",
        "xinhua",
        "tass",
        "interfax",
        "bloomberg",
        "npr",
        "al jazeera",
        "politico",
        "axios",
        "anadolu",
        "yonhap",
        "kyodo",
        "nhk",
        "cbc",
        "abc",
        "cbs",
        "nbc",
        "msnbc",
        "pbs",
        "ria novosti",
        "agence france presse",
        "associated press",
    },
    "international": {
        "un",
        "united nations",
        "eu",
        "european union",
        "nato",
        "who",
        "imf",
        "opec",
        "asean",
        "african union",
        "world bank",
        "red cross",
        "unesco",
        "unicef",
        "unhcr",
        "oecd",
        "wto",
        "interpol",
        "iaea",
        "arab league",
        "international monetary fund",
        "world health organization",
    },
}

_REGION_WORDS = frozenset(
    "county province region district state territory oblast prefecture governorate "
    "department canton shire".split()
)
_CITY_WORDS = frozenset("city town village".split())
# Last words of places that are neither towns nor regions: a river is offered beside rivers.
_FEATURE_WORDS: dict[str, tuple[str, ...]] = {
    "water": (
        "river lake sea ocean bay gulf reservoir creek falls strait channel lagoon canal"
    ).split(),
    "land": (
        "mountain mountains range peak valley peninsula island islands desert plain plains "
        "plateau hills hill canyon forest glacier volcano cape"
    ).split(),
    "building": "building house hall library center centre tower memorial monument".split(),
}
_FEATURE_BY_WORD = {w: kind for kind, words in _FEATURE_WORDS.items() for w in words}
# Facilities one may stand beside another: an airport is offered beside airports only.
_FACILITY_GROUPS = {"harbor": "port", "harbour": "port", "arena": "stadium", "church": "church"}
_LOCATIVE = frozenset("in at near into outside inside".split())
# Words that join a fragment to the longer name it was cut from ("School of Marine and
# Atmospheric Science" -> "Atmospheric Science").
_JOINERS = frozenset(("of", "and", "&", "for", "de"))
# Forms of address before a surname that are no given name ("Cde Mugabe").
HONORIFICS = frozenset(
    "cde comrade hon honourable honorable mwalimu brother sister elder chief sheikh sayyid "
    "mister madam madame monsieur herr frau senor señor sr jr st fr".split()
)


class MentionContext:
    """Per name (its `name_key`): context nouns around its mentions, how often it follows a
    locative preposition, and how many of its mentions were cut from a longer name."""

    def __init__(self, ents: Iterable[Span]) -> None:
        self.nouns: dict[str, Counter] = defaultdict(Counter)
        self.locative: Counter = Counter()
        self.embedded: Counter = Counter()
        self.mentions: Counter = Counter()
        # title words written before a name's mentions ("President Rodrigo Duterte")
        self.titles: dict[str, set[str]] = defaultdict(set)
        # (name table, canonical name -> its roles): filled by distractors.roles_of
        self.roles: tuple[object, dict[str, set[str]]] | None = None
        # names given as someone's other name ("under the ring name Luke Harper")
        self.aliases: set[str] = set()
        # (name table, its offerable names with their kinds): filled by distractors.name_options
        self.pool: tuple[object, list] | None = None
        # "m" / "f" cues per person: a gendered title or apposition, the pronouns that follow
        self.gender: dict[str, Counter] = defaultdict(Counter)
        for ent in ents:
            if ent.label_ not in NAME_LABELS:
                continue
            key = name_key(ent.text)
            if not key:
                continue
            self.mentions[key] += 1
            for word in _context_nouns(ent):
                self.nouns[key][word] += 1
            self.titles[key].update(_title_words(ent))
            if _named_as(ent):
                self.aliases.add(key)
            possessive = ent.end < len(ent.doc) and ent.doc[ent.end].text in ("'s", "’s")
            if ent.start > 0 and ent.doc[ent.start - 1].lower_ in _LOCATIVE and not possessive:
                self.locative[key] += 1
            if _embedded(ent):
                self.embedded[key] += 1
            if ent.label_ == "PERSON":
                for g in _gender_cues(ent):
                    self.gender[key][g] += 1

    def gender_of(self, key: str) -> str | None:
        """Either "m" or "f" when the article's cues for the person agree, else None."""
        votes = self.gender.get(key)
        if not votes:
            return None
        (top, n), *rest = votes.most_common()
        return top if not rest or n >= 3 * rest[0][1] else None

    def kind_votes(self, key: str) -> Counter:
        votes: Counter = Counter()
        for word, n in self.nouns.get(key, Counter()).items():
            kind = _CONTEXT_BY_WORD.get(word)
            if kind:
                votes[kind] += n
        return votes

    def fragment(self, key: str) -> bool:
        """Every mention is a piece of a longer capitalised name."""
        n = self.mentions.get(key, 0)
        return n > 0 and self.embedded.get(key, 0) == n

    def placed(self, key: str) -> bool:
        """Written after 'in' / 'at' / 'near' (half its mentions or more): a place, whatever
        the model called it ("in Maidan Shahr")."""
        n = self.locative.get(key, 0)
        return n > 0 and 2 * n >= self.mentions.get(key, 0)


# Words that tell a person's sex: titles before a name, nouns in apposition after it, pronouns.
GENDERED = {
    **dict.fromkeys(
        "mr sir king prince lord duke emperor sultan husband widower father son brother uncle "
        "nephew grandson boyfriend actor businessman spokesman chairman congressman "
        "sportsman monk he him his himself".split(),
        "m",
    ),
    **dict.fromkeys(
        "mrs ms miss madam madame lady dame queen princess duchess empress wife widow mother "
        "daughter sister aunt niece granddaughter girlfriend actress businesswoman "
        "spokeswoman chairwoman congresswoman sportswoman nun she her hers herself".split(),
        "f",
    ),
}
_PRONOUNS = frozenset("he him his himself she her hers herself".split())


def _gender_cues(ent: Span) -> list[str]:
    """The article's cues to a person's sex at one mention: a title before the name ("Mrs"),
    a noun in apposition after it ("Veranika Tsapkala, wife of …"), and, when the sentence
    names no one else, its pronouns after the name and a He / She opening the next one."""
    doc = ent.doc
    out = []
    before = doc[ent.start - 1].lower_.rstrip(".") if ent.start > 0 else ""
    if before in GENDERED and before not in _PRONOUNS:
        out.append(GENDERED[before])
    after = [t.lower_ for t in doc[ent.end : ent.end + 4]]
    if after[:1] == [","]:
        words = [w for w in after[1:] if w not in ("a", "an", "the", "his", "her")]
        if words and words[0] in GENDERED and words[0] not in _PRONOUNS:
            out.append(GENDERED[words[0]])
    sent = ent.sent
    if sum(e.label_ == "PERSON" for e in sent.ents) == 1:
        out += [GENDERED[t.lower_] for t in doc[ent.end : sent.end] if t.lower_ in _PRONOUNS]
        if sent.end < len(doc) and doc[sent.end].lower_ in ("he", "she"):
            out.append(GENDERED[doc[sent.end].lower_])
    return out


_ALIAS_BEFORE = re.compile(
    r"(?:\b(?:ring|stage|pen|screen|birth|real|maiden|code|nick) ?name|\bknown as|"
    r"\bnicknamed|\bbilled as|\bborn|\baka|\balias)\W*$",
    re.IGNORECASE,
)


def _named_as(ent: Span) -> bool:
    """Whether the text before the mention gives it as someone's other name."""
    before = ent.doc[max(0, ent.start - 4) : ent.start].text
    return bool(_ALIAS_BEFORE.search(before))


def _title_words(ent: Span) -> list[str]:
    """The title run right before a name: 'President', 'Solicitor General', 'Health Minister'."""
    doc = ent.doc
    out = []
    i = ent.start - 1
    while i >= 0 and i >= ent.start - 4 and doc[i].lower_.rstrip(".") in TITLE_RUN:
        out.append(doc[i].lower_.rstrip("."))
        i -= 1
    return out


TITLE_RUN = PERSON_TITLES | frozenset(
    "health interior foreign defence defense finance prime vice deputy solicitor attorney "
    "former then".split()
)


def _context_nouns(ent: Span) -> list[str]:
    doc = ent.doc
    out = []
    i = ent.start - 1
    # "Hungarian daily newspaper Magyar Nemzet", "the retailer ALDI"
    while (
        i >= 0 and i >= ent.start - 3 and doc[i].is_lower and doc[i].pos_ in ("NOUN", "ADJ", "ADV")
    ):
        out.append(doc[i].lower_)
        i -= 1
    root = ent.root
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        out.append(root.head.lower_)  # "the newspaper, Népszava,"
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            out.append(child.lower_)  # "Népszava, a left-leaning daily,"
    end = ent.end
    if end + 1 < len(doc) and doc[end].text in ("'s", "’s") and doc[end + 1].is_lower:
        out.append(doc[end + 1].lower_)  # "Costco's store"
    if end < len(doc) and doc[end].is_lower and doc[end].pos_ == "NOUN":
        out.append(doc[end].lower_)  # "the Pfizer vaccine", "the Boeing aircraft"
    return out


def _embedded(ent: Span) -> bool:
    doc = ent.doc
    i = ent.start - 1
    if i < 0 or doc[i].is_sent_start:
        return False
    prev = doc[i]
    if prev.lower_ in _JOINERS and i >= 1 and not doc[i - 1].is_sent_start:
        before = doc[i - 1]
        return (
            before.text[:1].isupper()
            and before.pos_ == "PROPN"
            and before.lower_.rstrip(".") not in PERSON_TITLES
        )
    return False


def _org_kind_from_name(name: str) -> str | None:
    n = normalise(name)
    for kind, known in _KNOWN_NAMES.items():
        if n in known:
            return kind
    if re.search(r"\.(com|org|net|co\.\w+)$", name.lower()):
        return "company"
    words = [w.strip(".,").lower() for w in name.replace("-", " ").split()]
    if not words:
        return None
    if words[-1] == "agency" and len(words) > 1 and words[-2] in ("news", "press"):
        return "news outlet"
    heads = [words[-1]]
    if len(words) > 2 and words[1] == "of":
        heads.append(words[0])  # "Ministry of Defence", "University of Miami"
    for w in heads:
        kind = _BY_WORD.get(w)
        if kind:
            return kind
    if "house" in words and "representatives" in words:
        return "legislature"
    return None


def fine_kind(name: str, info: NameInfo | None, context: MentionContext | None = None) -> str:
    """The fine kind of a name: person; party, news outlet, company, court, legislature,
    ministry, security force, agency, council, university, sports team, association,
    international, product, organisation (kind unknown); country, region, city, continent,
    place, facility:<word>; nationality. Options are offered only beside the same kind."""
    kind = info.kind if info is not None else None
    key = name_key(name)
    if kind == "person":
        if context is not None and (context.placed(key) or context.fragment(key)):
            return "unknown"
        return "person"
    if kind in ("country", "continent", "nationality"):
        return kind
    last = key.split()[-1].lower() if key else ""
    if kind in ("state", "city", "place") and last in _BY_WORD and last not in _REGION_WORDS:
        return "unknown"  # "University" taken for a town: no place to offer beside it
    if kind == "state":
        return "region"
    if kind == "city":
        return "city"
    if kind == "place":
        if last in _REGION_WORDS or key.split()[0].lower() in _REGION_WORDS:
            return "region"
        if last in _CITY_WORDS:
            return "city"
        if last in _FEATURE_BY_WORD:
            return "place:" + _FEATURE_BY_WORD[last]
        if " " in key and person_shaped(key):
            return "unknown"  # "Frederick Buechner" voted a place: not offered as one
        return "place"
    if kind == "facility" or last in FACILITY_WORDS:
        return "facility:" + _FACILITY_GROUPS.get(last, last)
    if kind not in (None, "organisation"):
        return kind
    if any(ch.isdigit() for ch in key):
        return "product"  # "COVID-19", "REGN-EB3", "Boeing 737"
    votes = context.kind_votes(key) if context is not None else Counter()
    if votes.get("product", 0) and votes["product"] >= sum(votes.values()) / 2:
        return "product"
    by_name = _org_kind_from_name(key)
    if by_name:
        return by_name
    if votes:
        return max(sorted(votes), key=lambda k: votes[k])
    return "organisation"


def person_shaped(name: str) -> bool:
    """Two or three capitalised words with no word of a place, facility or organisation."""
    words = name.split()
    return 2 <= len(words) <= 3 and all(
        w[:1].isupper()
        and w.replace("-", "").replace("'", "").replace(".", "").isalpha()
        and w.lower() not in _BY_WORD
        and w.lower() not in FACILITY_WORDS
        and w.lower() not in _FEATURE_BY_WORD
        and w.lower() not in _REGION_WORDS
        and w.lower() not in _CITY_WORDS
        for w in words
    )


def distinctive_words(name: str) -> set[str]:
    """The words that tell a name apart: not 'of', 'the', 'Court', 'University', 'North'."""
    return {w for w in normalise(name).split() if w not in _NOT_DISTINCTIVE and len(w) > 1}


_GENERIC = frozenset(
    "the of and for a an in on at to de la le du von van der al el "
    "north south east west northern southern eastern western new saint st san santa "
    "national international united republic great upper lower central royal".split()
)
# Words shared by many names of a kind (built once: distinctive_words runs per option pair).
_NOT_DISTINCTIVE = frozenset(
    _BY_WORD.keys() | FACILITY_WORDS | _REGION_WORDS | _CITY_WORDS | _FEATURE_BY_WORD.keys()
) | frozenset(_GENERIC)


def acronym(name: str) -> str:
    """'Organisation of Islamic Cooperation' -> 'OIC' (capitalised words' initials)."""
    return "".join(w[0] for w in re.split(r"[\s\-]+", name) if w[:1].isupper())


def is_variant(option: str, key: str) -> bool:
    """True when `option` is a fragment, a longer form, an acronym or another form of `key`
    (or the other way round): 'Cde Mugabe', 'Mugabe' or 'Cde' beside 'Robert Mugabe';
    'Ridgeback' beside 'Ridgeback Biotherapeutics'; 'NTSB' beside 'National Transportation
    Safety Board'."""
    a, b = normalise(option), normalise(key)
    if not a or not b or a == b:
        return True
    if f" {a} " in f" {b} " or f" {b} " in f" {a} ":
        return True
    compact_a, compact_b = a.replace(" ", ""), b.replace(" ", "")
    if compact_a == compact_b:
        return True
    for short, long in ((option, key), (key, option)):
        letters = short.replace(".", "").replace(" ", "")
        if letters.isupper() and 2 <= len(letters) <= 6:
            if letters == acronym(long):
                return True
            initials = "".join(w[0] for w in re.split(r"[\s\-]+", long) if w).upper()
            if letters == initials:
                return True
    return bool(distinctive_words(option) & distinctive_words(key))


def other_person(option: str, key: str) -> bool:
    """'Grace Mugabe' beside 'Robert Mugabe': two full names that share only the family
    name, each with a given name of its own (not an initial, title or form of address)."""
    ow, kw = option.split(), key.split()
    if len(ow) < 2 or len(kw) < 2:
        return False
    given_o, given_k = ow[0].lower().rstrip("."), kw[0].lower().rstrip(".")
    for given in (given_o, given_k):
        if len(given) < 2 or given in HONORIFICS or given in PERSON_TITLES:
            return False
    if given_o == given_k:
        return False
    shared = distinctive_words(option) & distinctive_words(key)
    return shared <= {normalise(ow[-1]), normalise(kw[-1])}
