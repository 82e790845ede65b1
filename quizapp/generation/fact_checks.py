"""Checks on a fact's own words in its parsed sentence, before any question is read back: a key
cut out of a range ("20 or 30"), a time or place of nothing happening ("Through midday Tuesday,
no other cases have been reported"), an object that is the subject of what the verb goes on to
say ("leaves a divided Conservative Party seeking a leader"). Each failed a blind reader
(bench/reads/2026-12-07-random-48). Pure: spaCy tokens in, booleans out.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from .nlp import english_words

_YEAR = re.compile(r"1[5-9]\d\d|20\d\d")
_RANGE_WORDS = frozenset(("or", "to", "and", "-", "–", "—"))
_NOBODY = frozenset(("nobody", "nothing", "none", "no-one", "neither"))
# Verbs whose object may be the subject of a second predicate: "leaves the party divided",
# "found the ship sinking", "made the city a capital".
_SMALL_CLAUSE_VERBS = frozenset("leave keep make render find hold see hear watch get".split())


def _number(tok: Token) -> bool:
    return tok.like_num and not tok.is_punct


def cut_from_range(answer: Span) -> bool:
    """The key is one end of a range or an either-or the sentence gives whole: "pulling 20 or
    30 people", "between 20 and 30", "10-15 years" — the other number stands beside it. A
    year is not: "between _____ and 1994" asks when a war began."""
    doc = answer.doc
    if not _number(answer[-1]) and not _number(answer[0]):
        return False
    if answer.label_ == "DATE" or _YEAR.fullmatch(answer.text):
        return False  # "between _____ and 1994": when a war began is asked as such
    end, start = answer.end, answer.start
    if (
        end + 1 < len(doc)
        and _number(answer[-1])
        and doc[end].lower_ in _RANGE_WORDS
        and _number(doc[end + 1])
    ):
        return True
    return (
        start >= 2
        and _number(answer[0])
        and doc[start - 1].lower_ in _RANGE_WORDS
        and _number(doc[start - 2])
    )


def _clause_verb(tok: Token) -> Token:
    """The verb of the clause the token belongs to (the sentence root at most)."""
    while tok.dep_ != "ROOT" and not (
        tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("amod", "compound")
    ):
        tok = tok.head
    return tok


def negated(answer: Span) -> bool:
    """The clause the key belongs to says that something did not happen ("no other cases have
    been reported", "nobody was hurt", "did not arrive"): when or where nothing happened is
    no fact to ask."""
    if answer.root.head.lower_ in ("until", "till", "before"):
        return False  # "did not approve statehood until _____": when it was approved
    verb = _clause_verb(answer.root)
    while verb.dep_ == "xcomp":
        verb = verb.head  # "decided not to renew … on July 3, 2007": when it was decided
    for child in verb.children:
        if child.dep_ == "neg":
            return True
        if child.dep_ in ("nsubj", "nsubjpass"):
            if child.lower_ in _NOBODY:
                return True
            if any(c.dep_ == "det" and c.lower_ == "no" for c in child.children):
                return True
    return False


def object_of_small_clause(answer: Span) -> bool:
    """The key is the object of "leave", "keep", "find" … and the subject of a predicate after
    it ("Her departure leaves a divided Conservative Party seeking a leader"): asked as a plain
    object ("Which party does her departure leave?") it loses what the sentence says of it."""
    root = answer.root
    verb = root.head
    if root.dep_ != "dobj" or verb.lemma_.lower() not in _SMALL_CLAUSE_VERBS:
        return False
    if any(c.dep_ in ("acl", "amod") and c.i > root.i for c in root.children):
        return True
    if any(c.dep_ == "amod" and c.tag_ == "VBN" for c in root.children):
        return True  # "a divided party"
    return any(c.dep_ in ("xcomp", "oprd", "ccomp") and c.i > root.i for c in verb.children)


def in_aside(answer: Span) -> bool:
    """The key stands inside a bracketed aside of its sentence ("… League of Australia (the
    Returned & Services League from 1965) for fifteen years", read 48): a question built on the
    sentence's clause asks it of the wrong thing. A life's years "(1865–1931)" are asked as
    born and died, apart (the caller's business)."""
    doc = answer.doc
    depth = 0
    for tok in doc[answer.sent.start : answer.start]:
        if tok.text == "(":
            depth += 1
        elif tok.text == ")" and depth:
            depth -= 1
    return depth > 0


def adjective_taken_for_a_name(answer: Span) -> bool:
    """A one-word "name" that is an English adjective and no noun, opening a quotation or a
    sentence ('"Heartbroken and numb," writes …': the model's person)."""
    if len(answer) != 1 or answer[0].ent_type_ not in ("PERSON", "ORG", "GPE", "NORP"):
        return False
    lower = answer[0].lower_
    return lower in english_words("adj") and lower not in english_words("noun")


def either_or(answer: Span) -> bool:
    """The key is one of the alternatives the sentence leaves open: "He probably died either in
    Bairnsdale on Boxing Day 1893 or in Perth in 1896" (read 49: 1896 as the key)."""
    sent = answer.sent
    either = next((t for t in sent if t.lower_ == "either"), None)
    return (
        either is not None
        and either.i < answer.end
        and any(t.lower_ == "or" and t.i > either.i for t in sent)
    )


# Verbs a question cannot end on without what they were about: "On what day did Iran
# celebrate?" (its team's qualifying), "In what year did John Frusciante leave?" (the band):
# both failed in read 49.
_NEEDS_OBJECT = frozenset("leave celebrate join quit win lose agree decide vote mourn".split())


_TIME_OR_PLACE = re.compile(
    r"^(?:(?:On|In|At|By|From|Since|Until) (?:what|which)\b|When\b|Where\b)", re.IGNORECASE
)


def ends_on_a_bare_verb(prompt: str) -> bool:
    """A when- or where-question that ends on a verb needing what the sentence said it was
    about ("Which organisation did Notre Dame join?" asks the object itself and stays)."""
    words = prompt.rstrip("?").split()
    return (
        bool(words)
        and prompt.endswith("?")
        and words[-1].lower() in _NEEDS_OBJECT
        # (not a noun: "… sponsor a children's vote?")
        and not (len(words) > 1 and (words[-2].lower() in ("a", "an", "the") or "'" in words[-2]))
        and _TIME_OR_PLACE.match(prompt) is not None
    )


_CAUSE = re.compile(r"\b(?:owing to|due to|because of|as a result of)\s+(?:the\s+)?([\w-]+)", re.I)


def cause_dropped(prompt: str, sentence: str) -> bool:
    """The sentence says what caused its figure and the question does not: "How many deaths
    occurred in 2015 in India as per UNICEF?" of "… owing to Measles-Rubella" (read 49)."""
    return any(m.group(1).lower() not in prompt.lower() for m in _CAUSE.finditer(sentence))


_ORDINAL_TO = re.compile(
    r"\bthe (first|second|third|fourth|fifth|last|only)\b[^,.;]{0,60}?\bto ([a-z]+)\b"
)


def ordinal_purpose_cut(prompt: str, sentence: str) -> bool:
    """ "the second expansion team in MLS history to win the U.S. Open Cup" asked without "to
    win …" (read 49): second at what?"""
    for m in _ORDINAL_TO.finditer(sentence):
        if f"the {m.group(1)}" in prompt and f"to {m.group(2)}" not in prompt:
            return True
    return False


# Verbs of seeing and causing that take a bare infinitive: "saw X receive", "made X leave".
_BARE_INFINITIVE_VERBS = frozenset("see watch hear feel make let help have".split())


def subject_of_bare_infinitive(answer: Span) -> bool:
    """The key is the subject of a bare infinitive ("Berlinale saw director Steven Spielberg
    receive the Honorary Golden Bear"): a wh-question on it keeps the uninflected verb
    ("Which director receive …?", read 51)."""
    root = answer.root
    verb = root.head
    return (
        root.dep_ in ("nsubj", "dobj")
        and verb.tag_ in ("VB", "VBP")  # the model tags "saw X receive" VBP at times
        and verb.dep_ in ("ccomp", "xcomp")
        and verb.head.lemma_.lower() in _BARE_INFINITIVE_VERBS
        and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    )


_RANGE_END = re.compile(r"\s*(?:to|until|till|through|[-–—])\s*\d")


def range_end_dropped(prompt: str, answer: Span) -> bool:
    """A "From what year …?" question on the start of a range the sentence closes ("served
    in the House from 1872 to 1877"): without its end it reads as the first of several terms
    (read 51)."""
    if not prompt.startswith("From "):
        return False
    doc = answer.doc
    after = doc.text[answer.end_char : answer.end_char + 12]
    return bool(_RANGE_END.match(after))


def year_counted(answer: Span) -> bool:
    """A bare year taken for a count: "the Democrats' _____ candidate" (key 1899, a how-many
    question, read 51). A count of more than one is followed by a plural noun ("1,500
    soldiers"); a year modifying a singular noun ("the 1899 candidate") is a date."""
    if not _YEAR.fullmatch(answer.text):
        return False
    doc = answer.doc
    nxt = doc[answer.end] if answer.end < len(doc) else None
    return nxt is not None and nxt.tag_ in ("NN", "NNP") and nxt.i == answer.root.head.i


_NOT_A_PLACE = frozenset(
    "is are was were has have had will would may might could can seem seems seemed appear "
    "appears appeared remain remains remained exist exists existed".split()
)


def opens_on_there(prompt: str) -> bool:
    """The prompt opens on a "There" that points back to a place of the sentence before
    ("There Niels Bohr joined the _____ project", read 51), not on "there is/was": where is
    "there"?"""
    m = re.match(r"There,?\s+(\S+)", prompt)
    return bool(m) and m.group(1).lower() not in _NOT_A_PLACE


_SAYING = frozenset("say announce report tell state confirm add reveal disclose".split())


def when_said(answer: Span) -> bool:
    """The key dates the saying, not the news: "the Art Loss Register said _____." (Monday),
    "is planning to announce the closure … _____" — blind readers failed both (read 51); the
    day a thing happened stays ("On what day did Cyclone Mahasen strike Bangladesh?")."""
    # "announce the closure of its … plant Monday": the parse may hang the day on a noun
    return _clause_verb(answer.root).lemma_.lower() in _SAYING
