"""Finding the constituent a question asks about: the clause verb, the answer's phrase (with its
preposition) and whether it is the subject; possessive owners ("Samoa's government") move with
the noun they own.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..facts import Fact
from ..gazetteer import PLACE_NOUNS
from .tokens import subtree_ids

NAMING_VERBS = {"bear", "born", "name", "call", "dub", "nickname", "know", "rename", "title"}
# place nouns that name the kind of the place itself ("the city of X"), not a part of it
PLACE_TYPES = frozenset(
    """
    city town village country state province region district county island capital
    municipality republic kingdom
    """.split()
)
WHO_PREPS = {"to", "by", "with", "for", "from", "against", "before", "at", "on", "of"}


def answer_constituent(fact: Fact) -> tuple[Token, set[int], Token | None, bool] | None:
    """(clause verb, constituent token indices, preposition, is_subject) for the answer."""
    ans = fact.answer
    root = fact.noun if fact.category == "how_many" and fact.noun is not None else ans.root
    if fact.kind == "age":
        return None
    dep = root.dep_
    if dep == "conj":
        return None
    conjs = [c for c in root.children if c.dep_ in ("conj", "cc")]
    if conjs:
        # "four policemen and two civilians were killed": each conjunct is its own count
        if fact.category != "how_many" or not all(
            c.dep_ == "cc" or any(g.dep_ == "nummod" for g in c.children) for c in conjs
        ):
            return None
    if dep == "poss" and fact.category in ("who", "where"):
        return _possessed(root.head)
    if of_owner(root) and fact.category in ("who", "where"):
        return _possessed(root.head.head)  # "the government of Samoa began …"
    cons_root = subtree_ids(root) - {i for c in conjs for i in subtree_ids(c)}
    if dep in ("nsubj", "nsubjpass"):
        return root.head, cons_root, None, True
    if fact.category in ("who", "where") and root.head.lemma_ in NAMING_VERBS:
        return None  # "was born Peter Edward Baker", "is called Bangsamoro"
    if dep in ("attr", "oprd") and fact.category in ("who", "where"):
        return None  # "born Peter Edward Baker", "is Africa's biggest economy"
    if dep in ("dobj", "attr", "oprd"):
        return root.head, cons_root, None, False
    if dep in ("npadvmod", "tmod") and fact.category in ("when", "how_many"):
        return root.head, subtree_ids(root), None, False
    if dep == "pobj":
        prep = root.head
        head = prep.head
        if head.lower_ == "according":
            # a source is a person or an organisation ("according to Connecticut Senator X"
            # misparsed must not ask "According to which state …")
            if fact.category != "who" or head.head.pos_ not in ("VERB", "AUX"):
                return None
            return head.head, subtree_ids(head), prep, False  # before the VERB case: VBG
        if head.pos_ in ("VERB", "AUX"):
            return head, subtree_ids(prep), prep, False
        # "in the city of Yevlakh": ask about the outer phrase, typed by its place noun
        if (
            prep.lower_ == "of"
            and head.lower_ in PLACE_TYPES
            and head.dep_ == "pobj"
            and head.head.head.pos_ in ("VERB", "AUX")
        ):
            return head.head.head, subtree_ids(head.head), head.head, False
        lifted = _lifted_locative(fact, prep)
        if lifted is not None:
            return lifted
    return None


LOCATIVE_PREPS = {"in", "at", "near"}


def _lifted_locative(fact: Fact, prep: Token) -> tuple[Token, set[int], Token, bool] | None:
    """'rammed into a military base in Maidan Shahr': a place phrase on the verb's object (or on
    the noun of its prepositional phrase) says where the event happened, so it may be asked on
    the verb: "In which city was a car bomb rammed into a military base?". Only for places
    (never people, times or numbers, whose phrases describe the noun alone) and only one noun
    deep."""
    if fact.category != "where" or prep.lower_ not in LOCATIVE_PREPS:
        return None
    noun = prep.head
    if noun.pos_ != "NOUN" or any(c.dep_ == "conj" for c in noun.children):
        return None
    if noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ == "VERB":
        verb = noun.head
    elif (
        noun.dep_ == "pobj"
        and noun.head.dep_ == "prep"
        and noun.head.head.pos_ == "VERB"
        and noun.head.lower_ not in ("of", "about")
    ):
        verb = noun.head.head
    else:
        return None
    # another place phrase on the verb already says where: two answers to one question
    if any(
        c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS and c.i != noun.head.i
        for c in verb.children
    ):
        return None
    if prep.i < noun.i or any(c.dep_ in ("relcl", "acl") for c in noun.children if c.i < prep.i):
        return None
    return verb, subtree_ids(prep), prep, False


def of_owner(root: Token) -> bool:
    """'Samoa' in 'the government of Samoa': an owner written with 'of'."""
    prep = root.head
    return (
        root.dep_ == "pobj"
        and prep.lower_ == "of"
        and prep.head.pos_ == "NOUN"
        and prep.head.lower_ not in PLACE_NOUNS
        and not list(root.children)
    )


def _possessed(noun: Token) -> tuple[Token, set[int], Token | None, bool] | None:
    """ "Samoa's government shut down": the possessed noun phrase is what moves."""
    if any(c.dep_ == "conj" for c in noun.children):
        return None
    if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.pos_ in ("VERB", "AUX"):
        return noun.head, subtree_ids(noun), None, True
    if noun.dep_ == "dobj" and noun.head.pos_ in ("VERB", "AUX"):
        return noun.head, subtree_ids(noun), None, False
    prep = noun.head
    if noun.dep_ == "pobj" and prep.head.pos_ in ("VERB", "AUX") and prep.lower_ in WHO_PREPS:
        return prep.head, subtree_ids(prep), prep, False
    return None
