"""Questions from participial modifiers: "The study, published on Thursday in PLOS One, …"
holds the statement "The study was published on Thursday in PLOS One", which is asked as
"On what day was the study published in PLOS One?" (Heilman & Smith's simplification: a
participial phrase becomes a statement of its own)."""

from __future__ import annotations

from spacy.tokens import Token

from ...answers import normalise
from ..facts import Fact
from .phrases import wh_phrase
from .tokens import (
    QUOTES,
    bare_count_noun,
    capitalise,
    cuts_a_word,
    has_pronoun,
    intra_word,
    join_tokens,
    lower_if_common,
    prune_np,
    subtree_ids,
)

NOUN_ROLES = {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "ROOT"}
SKIP_DEPS = {"advcl", "conj", "cc", "parataxis", "mark", "intj", "punct", "meta", "neg"}
MAX_WORDS = 22


def participle_question(fact: Fact, verb: Token, cons: set[int], prep: Token | None) -> str | None:
    """A wh-question from the statement a past participle modifying a noun makes, or None."""
    noun = verb.head
    if (
        verb.dep_ != "acl"
        or verb.tag_ != "VBN"
        or noun.pos_ not in ("NOUN", "PROPN")
        or noun.dep_ not in NOUN_ROLES
        or verb.i < noun.i
        or any(c.dep_ == "neg" for c in verb.children)
    ):
        return None
    doc = verb.doc
    subject = sorted(prune_np(noun) - subtree_ids(verb))
    subject = [
        i
        for i in subject
        if doc[i].text not in QUOTES and (not doc[i].is_punct or intra_word(doc[i]))
    ]
    if not subject or any(i in cons for i in subject):
        return None
    rest: set[int] = set()
    for child in verb.children:
        if child.i in cons or child.dep_ in SKIP_DEPS or child.dep_.startswith("nsubj"):
            continue
        rest |= subtree_ids(child)
    rest -= cons
    rest = {i for i in rest if doc[i].text not in QUOTES}
    if bare_count_noun(noun, subject):
        return None  # "Where was gold mine located?": its determiner was cut
    words = subject + sorted(rest)
    if has_pronoun(doc, words) or cuts_a_word(doc, set(words) | {verb.i}):
        return None
    if prep is not None and prep.dep_ == "agent":
        return None  # "By whom was Liberty Island designed?": the statue was (see clause.py)
    wh = wh_phrase(fact, prep, cons)
    if wh is None:
        return None
    plural = noun.tag_ in ("NNS", "NNPS")
    # a participle reports a completed event ("founded in 1990"), whatever the main tense
    be = "were" if plural else "was"
    subject_text = lower_if_common(doc[subject[0]], join_tokens(doc, subject))
    parts = [wh, be, subject_text, verb.text, join_tokens(doc, sorted(rest))]
    question = " ".join(p for p in parts if p).strip(" ,;:") + "?"
    question = question.replace(" ?", "?").replace(",?", "?")
    if not 5 <= len(question.split()) <= MAX_WORDS:
        return None
    if any(ch in question for ch in "[]{}") or question.count("(") != question.count(")"):
        return None
    if f" {normalise(fact.text)} " in f" {normalise(question)} ":
        return None
    return capitalise(question)
