"""Choosing the wh-phrase from the answer's type: "Who", "Which health minister", "In which
city", "On what day", "How many refugee families", "With what percentage of the vote", "Which
country's government".
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ..facts import Fact
from ..fine_types import fine_kind
from ..gazetteer import ORG_WORDS, PERSON_TITLES, load_gazetteer
from .constituent import WHO_PREPS, of_owner
from .tokens import capitalise, has_pronoun, join_tokens, prune_np, subtree_ids

PLACE_WH = {"country": "country", "city": "city", "state": "state", "continent": "continent"}
# realms named by what they were: asked for as such, not as a place
POLITY_WORDS = frozenset("empire dynasty kingdom khanate caliphate sultanate".split())
# Capitals that are no organisation: eras, time zones.
NOT_ORGANISATIONS = frozenset("BCE CE BC AD UTC GMT BST CET CEST EST EDT PST PDT IST JST".split())
NEWS_WORDS = frozenset("news press times post journal observer tribune herald channel".split())
# the words of a title before a name ("Health Minister", "Deputy Prime Minister")
OFFICE_WORDS = PERSON_TITLES | frozenset(
    "health interior foreign defence defense finance prime vice deputy solicitor attorney "
    "surgeon inspector".split()
)
# offices a place has only one of ("prime minister" is two words, so it is added whole)
UNIQUE_TITLES = frozenset(
    "president chancellor king queen governor mayor premier archbishop pope emperor sultan".split()
) | {"prime minister"}


def wh_phrase(fact: Fact, prep: Token | None, cons: set[int]) -> str | None:
    """The wh-phrase that takes the place of the answer's constituent, or None."""
    if prep is not None and prep.lower_ in ("including", "excluding", "like", "such"):
        return None  # "Including how many structures did the fire destroy …?"
    if fact.category == "how_many":
        return _how_many_phrase(fact, prep)
    if fact.answer.root.dep_ == "poss" or of_owner(fact.answer.root):
        return _possessive_phrase(fact, prep)
    if prep is not None and prep.head.lower_ == "according":
        wh = _object_wh(fact, None)
        if wh == "Who":
            return "According to whom"  # "According to who are members … accused …?"
        return f"According to {wh[0].lower()}{wh[1:]}" if wh else None
    if prep is not None and prep.dep_ == "prep" and fact.answer.root.head != prep:
        # the outer phrase of "in the city of X": "In which city"
        inner = fact.answer.root.head.head
        return f"{prep.text.capitalize()} which {inner.lower_}"
    return _object_wh(fact, prep)


def _object_wh(fact: Fact, prep: Token | None) -> str | None:
    """The wh-phrase that replaces the answer (with its preposition, if any)."""
    kind = fact.kind
    p = prep.lower_ if prep is not None else None
    if fact.category == "when":
        noun = {
            "year": "year",
            "date": "date",
            "weekday": "day",
            "decade": "decade",
            "time": "time",
        }.get(kind, "date")
        if kind == "date":
            # "in June 1917" asks for a month; a day of the month is "on" a date
            day = any(t.like_num and len(t.text) <= 2 for t in fact.answer)
            year = any(t.like_num and len(t.text) == 4 for t in fact.answer)
            noun = "date" if day else "month and year" if year else "month"
            if day and p == "in":
                p = "on"
        if p is None:
            return "On what day" if kind == "weekday" else "When"
        if kind == "decade":
            return f"{p.capitalize()} which decade"
        return f"{p.capitalize()} what {noun}"
    if fact.category == "where":
        head = fact.text.split(" of ")[0].split()  # "the Red Cross Society of China"
        last = head[-1].lower() if head else ""
        if last in PERSON_TITLES or (last in ORG_WORDS and kind not in PLACE_WH):
            return None  # "the Wanli Emperor", "the Red Cross Society": no place to ask for
        noun = PLACE_WH.get(kind, "place")
        if kind == "state":
            place = load_gazetteer().lookup(fact.info.key if fact.info else fact.text)
            noun = place.division if place is not None and place.division else noun
        if last in POLITY_WORDS:
            noun = last  # "the Mongol Empire" is no place: "Into which empire …"
        if kind == "facility":
            noun = fact.text.split()[-1].lower()
        if p in ("in", "at") and noun == "place":
            return "Where"
        if noun == "place":
            return None  # "Which place …", "To which place …": readers kept none of 9
        if p is None:
            return f"Which {noun}"
        return f"{p.capitalize()} which {noun}"
    if fact.category == "who":
        if p is not None and p not in WHO_PREPS:
            return None
        if kind == "person":
            title = _title_words(fact)
            if title in ("sir", "dame", "lord", "lady", "mr", "mrs", "ms", "miss", "dr"):
                title = None  # an honorific is no office: "By which sir …" -> "By whom …"
            if title:
                return f"Which {title}" if p is None else f"{p.capitalize()} which {title}"
            return "Who" if p is None else f"{p.capitalize()} whom"
        noun = _org_noun(fact)
        if noun is None:
            return None  # a drug or a product is no organisation: no safe wh-word
        return f"Which {noun}" if p is None else f"{p.capitalize()} which {noun}"
    return None


def _title_words(fact: Fact) -> str | None:
    """'Health Minister Łukasz Szumowski' -> 'health minister' (the titles before a name)."""
    doc = fact.answer.doc
    i = fact.answer.start - 1
    words = []
    while i >= 0 and doc[i].lower_.rstrip(".") in OFFICE_WORDS:
        words.insert(0, doc[i])
        i -= 1
    if not words or not any(w.lower_.rstrip(".") in PERSON_TITLES for w in words):
        return None
    if i >= 0 and doc[i].pos_ in ("NOUN", "PROPN") and doc[i].dep_ == "compound":
        return None  # "hospital chief Paek": not "Which chief", but "Who"
    if words[0].lower_ in ("mr", "mrs", "ms", "dr", "dr.", "mr.", "mrs.", "ms."):
        return None
    office = unique_title(words)
    if office:
        return office.lower()
    text = " ".join(w.lower_ for w in words)
    return text if len(words) <= 4 else None


def unique_title(run: list[Token]) -> str | None:
    """The office in a title run, if it is one a place has only one of ('Prime Minister')."""
    words = [t.text for t in run]
    for k in range(len(words)):
        cand = " ".join(words[k:])
        if cand.lower() in UNIQUE_TITLES:
            return " ".join(w.capitalize() if w.islower() else w for w in words[k:])
    for n, w in enumerate(words):
        if w.lower() == "general" and n > 0:
            continue  # "Solicitor General", "Attorney General": no general
        if w.lower().rstrip("s") in UNIQUE_TITLES:
            return w.rstrip("s").capitalize() if w.lower().endswith("s") else w.capitalize()
    return None


COMPANY_SUFFIXES = frozenset("inc corp co ltd llc plc gmbh kft ag sa nv bv spa srl ab oy".split())


# The wh-noun for an organisation's fine kind (fine_types.fine_kind); None: not asked.
FINE_KIND_NOUNS = {
    "party": "party",
    "news outlet": "news outlet",
    "company": "company",
    "court": "court",
    "ministry": "ministry",
    "agency": "agency",
    "council": "council",
    "university": "university",
    "sports team": "team",
    "association": "association",
    "product": None,
}


def _org_noun(fact: Fact) -> str | None:
    """The noun of "Which … ?" for an organisation: its head word ("ministry", "council"),
    else its fine kind ("news outlet" for Reuters, "party"); None for a product or drug."""
    words = fact.text.split()
    for w in (words[-1], words[0]):
        lw = w.lower()
        if lw in NEWS_WORDS:
            return "news outlet"
        if lw in COMPANY_SUFFIXES:
            return "company"
        if lw in ORG_WORDS:
            return lw
    kind = fine_kind(fact.text, fact.info)
    if kind in FINE_KIND_NOUNS:
        return FINE_KIND_NOUNS[kind]
    if len(words) == 1 and fact.text.isupper() and len(fact.text) >= 2:
        if fact.text in NOT_ORGANISATIONS:
            return None  # "Which organisation did Hatshepsut reign?" → BCE
        return "organisation"  # "AU", "FDIC": an acronym names an organisation
    # "ZMapp", "Twitter", "TNT Championship", "Cinemark XD", "Yongle Emperor": a name of unknown
    # kind may be a drug, a brand, a title or a person the parser took for an organisation;
    # blind readers failed 31 of 41 "Which organisation" questions (11 for the wh-word)
    return None


def _possessive_phrase(fact: Fact, prep: Token | None) -> str | None:
    """'Which country's government', 'Whose campaign', 'To which organisation's members'."""
    root = fact.answer.root
    poss = root.dep_ == "poss"
    noun = root.head if poss else root.head.head
    base = _object_wh(fact, None)
    if base is None:
        return None
    whose = "Whose" if fact.kind == "person" else f"{base}'s"
    owner = subtree_ids(root) if poss else subtree_ids(root.head)
    skip = owner | {i for c in noun.children if c.dep_ == "det" for i in subtree_ids(c)}
    idx = sorted(i for i in prune_np(noun) if i not in skip)
    if not idx or has_pronoun(noun.doc, idx):
        return None
    phrase = f"{whose} {join_tokens(noun.doc, idx)}"
    if prep is not None:
        return f"{prep.text.capitalize()} {phrase[0].lower()}{phrase[1:]}"
    return phrase


def _percent_phrase(fact: Fact, prep: Token | None) -> str | None:
    """'with 25.7% of the vote' -> 'With what percentage of the vote'."""
    head = fact.answer[-1]
    if head.text not in ("%", "percent") and head.lower_ != "percent":
        return None
    of = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"]
    tail = " " + join_tokens(head.doc, sorted(subtree_ids(of[0]))) if of else ""
    if has_pronoun(head.doc, sorted(subtree_ids(of[0])) if of else []):
        return None
    phrase = f"what percentage{tail}"
    if prep is None and not tail and _change_amount(fact.answer.root):
        return f"By {phrase}"  # "revenue increased 49 percent": by what percentage (read 42)
    return f"{prep.text.capitalize()} {phrase}" if prep is not None else capitalise(phrase)


# Verbs whose object is the size of a change: "rose 5 percent", "increased 49 percent".
_CHANGE_VERBS = frozenset(
    "increase rise fall drop grow decline climb jump gain shrink surge slip plunge soar "
    "decrease dip slide sink tumble".split()
)


def _change_amount(root: Token) -> bool:
    """The answer is how much its verb went up or down, not a share of something."""
    verb = root.head
    return (
        root.dep_ in ("dobj", "npadvmod", "advmod", "attr", "nummod")
        and verb.pos_ == "VERB"
        and verb.lemma_.lower() in _CHANGE_VERBS
    )


def _hyphened(doc: Doc, i: int) -> bool:
    """A number written into a compound word: "three" in "three-dimensional printers"."""
    return i + 2 < len(doc) and doc[i + 1].text == "-" and not doc[i].whitespace_


def _how_many_phrase(fact: Fact, prep: Token | None) -> str | None:
    kind = fact.kind
    noun = fact.noun
    doc = fact.answer.doc
    if kind == "percent":
        return _percent_phrase(fact, prep)
    if kind == "money":
        return "How much" if prep is None else None
    if noun is None or fact.unit is None:
        return None
    if prep is not None and prep.dep_ != "prep":
        return None
    if prep is not None and prep.lower_ == "with" and any(c.dep_ == "acl" for c in noun.children):
        return None  # "with 35 thousand students protesting in Belgium": an aside, not a role
    # the counted noun with its modifiers, without the number, qualifier and determiner
    conj = {i for c in noun.children if c.dep_ in ("conj", "cc") for i in subtree_ids(c)}
    last_num = max((t.i for t in fact.answer if t.like_num), default=fact.answer.start)
    idx = sorted(
        i
        for i in prune_np(noun) - conj
        if not (fact.answer.start <= i <= last_num)
        and not (doc[i].dep_ == "det" and doc[i].head == noun)
        and not (doc[i].like_num and i < noun.i and not _hyphened(doc, i))
        and not (i < noun.i and i <= last_num)  # "over", "about": the qualifier stays behind
    )
    if any(doc[i].tag_ in ("PRP$", "PRP") for i in idx):
        return None
    if any(doc[i].dep_ == "amod" and doc[i].head == noun and i > noun.i for i in idx):
        return None  # "left 4.8 million people homeless": "How many people homeless …?"
    words = join_tokens(doc, idx)
    if not words:
        return None
    if noun.tag_ not in ("NNS", "NNPS") and fact.quantity and fact.quantity.value != 1:
        if noun.lower_ not in ("percent", "people"):
            return None
    phrase = "how many " + words
    if prep is not None:
        return f"{prep.text.capitalize()} {phrase}"
    return capitalise(phrase)
