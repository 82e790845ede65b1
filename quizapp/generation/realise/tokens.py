"""Token utilities for the realiser: the tokens of a phrase or of a pruned noun phrase, joining
kept tokens back into text, capitalisation, and the checks that make a question unusable (an
unresolved pronoun, a cut word, a dangling conjunction).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from spacy.tokens import Doc, Token

from ..gazetteer import PERSON_TITLES, load_gazetteer

PRONOUNS = frozenset(
    """
    he she they him her them his hers their theirs its it we us our i me my you your this
    these those himself herself themselves itself
    """.split()
)
QUOTES = {"“", "”", '"', "‘", "’", "``", "''"}
# the possessives and reflexives a subject of each entity type binds in its own clause
BOUND = {
    "PERSON": {"his", "her", "himself", "herself", "their"},
    "ORG": {"its", "itself", "their", "themselves"},
    "GPE": {"its", "itself", "their"},
    "NORP": {"their", "themselves"},
}


def subtree_ids(tok: Token) -> set[int]:
    """The indices of the tokens a token heads (itself included)."""
    return {t.i for t in tok.subtree}


def comma_before(tok: Token) -> bool:
    """The phrase a token heads is set off by a comma, bracket or dash before it."""
    left = tok.left_edge.i - 1
    return left >= 0 and tok.doc[left].text in {",", "(", "—", "–"}


def prune_np(tok: Token) -> set[int]:
    """The tokens of a noun phrase without its appositives and non-restrictive modifiers."""
    keep = {tok.i}
    for child in tok.children:
        if child.dep_ == "punct" and intra_word(child):
            keep.add(child.i)
            continue
        if child.text == "," and any(
            c.dep_ == "conj" and c.i > child.i and not _bracketed(c) for c in tok.children
        ):
            keep.add(child.i)  # "South Korea, Japan, Singapore, Russia and Taiwan": a list
            continue
        if child.dep_ in ("appos", "punct", "parataxis") or _bracketed(child):
            continue
        if child.dep_ in ("relcl", "acl", "prep", "advcl") and comma_before(child):
            continue
        if child.dep_ == "relcl":
            continue
        keep |= prune_np(child)
    return keep


def _bracketed(tok: Token) -> bool:
    """The phrase a token heads stands in brackets of its own: "African Union (AU) states"."""
    doc = tok.doc
    if tok.left_edge.text == "(" and tok.right_edge.text == ")":
        return True  # the brackets are the phrase's own tokens
    left, right = tok.left_edge.i - 1, tok.right_edge.i + 1
    return left >= 0 and right < len(doc) and doc[left].text == "(" and doc[right].text == ")"


def intra_word(tok: Token) -> bool:
    """A hyphen or apostrophe inside a word ('Nagorno-Karabakh'), or the ampersand of a name
    ("Simon & Garfunkel", read 42) — not a clause comma."""
    if tok.text == "&":
        return True
    doc = tok.doc
    before = doc[tok.i - 1].whitespace_ == "" if tok.i > 0 else False
    return before and tok.whitespace_ == "" and tok.text not in QUOTES


def join_tokens(doc: Doc, indices: list[int], subs: dict[int, str] | None = None) -> str:
    """The text of the tokens at `indices` (some replaced by `subs`), spaced as written."""
    out = []
    subs = subs or {}
    for n, i in enumerate(indices):
        tok = doc[i]
        out.append(subs.get(i, tok.text))
        nxt = indices[n + 1] if n + 1 < len(indices) else None
        if nxt is not None:
            out.append(tok.whitespace_ if nxt == i + 1 else " ")
    text = "".join(out)
    for a, b in ((" ,", ","), (" .", "."), ("( ", "("), (" )", ")"), ("  ", " ")):
        text = text.replace(a, b)
    return text.strip(" ,;:-—")


def capitalise(text: str) -> str:
    """The text with its first letter upper-cased (the rest kept)."""
    return text[:1].upper() + text[1:]


def has_pronoun(doc: Doc, indices: Iterable[int], binder: str | None = None) -> bool:
    """A word among `indices` that stands for something the question cannot name: a
    pronoun (unless bound by a subject of type `binder`), a demonstrative, a wh-word or a
    bare number."""
    allowed = BOUND.get(binder or "", set())
    for i in indices:
        tok = doc[i]
        low = tok.lower_
        if low in allowed and (
            (tok.tag_ == "PRP$" and tok.dep_ == "poss" and tok.head.dep_ in ("dobj", "nsubj"))
            or low.endswith(("self", "selves"))
        ):
            continue  # "Kimura made her debut": bound by the subject of its own clause
        if low in ("both", "all", "none", "each", "either", "neither", "others", "most") and (
            tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "predet", "preconj")
        ):
            return True
        if low in PRONOUNS and (tok.tag_ in ("PRP", "PRP$", "DT") or tok.pos_ == "PRON"):
            if low == "it" and tok.dep_ == "expl":
                continue
            if low == "that" or (low in ("this", "these", "those") and tok.dep_ != "det"):
                return True
            return True
        if tok.tag_ in ("WDT", "WP", "WP$", "WRB"):  # "which", "who", "whereby" left unbound
            return True
        if (
            tok.tag_ == "CD"
            and tok.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY")
            and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
            and (tok.dep_ != "pobj" or any(c.dep_ in ("det", "amod") for c in tok.children))
        ):
            return True  # "the remaining 1", "one of them": a number standing for something
    return False


def without_dangling_cc(doc: Doc, idx: set[int]) -> set[int]:
    """Drop a conjunction whose conjunct is not kept ('Kimberly-Clark, … and')."""
    return idx - {
        i
        for i in idx
        if doc[i].dep_ == "cc"
        and not any(c.dep_ == "conj" and c.i in idx for c in doc[i].head.children)
        # "shamanism and blood sacrifice", parsed without a conj: the next word is kept
        and i + 1 not in idx
    }


def cuts_a_word(doc: Doc, kept: set[int]) -> bool:
    """A kept token glued (no space) to a dropped word: the question would cut a word."""
    for i in kept:
        nxt = i + 1
        if (
            nxt < len(doc)
            and not doc[i].whitespace_
            and nxt not in kept
            and not doc[nxt].is_punct
            and not doc[i].is_punct
        ):
            return True
        if doc[i].text == "-" and (i - 1 not in kept or i + 1 not in kept):
            return True
    return False


# Set on every Doc of an article by `mark_capitalised`: the words the article writes with a
# capital inside a sentence and never in lower case (its names), with how often it does.
CAPITALISED = "quizapp_capitalised"


def mark_capitalised(docs) -> None:
    """Note on each Doc the words of the whole article that are names by their spelling:
    written with a capital inside a sentence somewhere, in lower case nowhere ("Pamuk", whose
    paragraph "Pamuk still lives in Istanbul" names him only at its start)."""
    capital = Counter(
        t.text for d in docs for t in d if not t.is_sent_start and t.text[:1].isupper()
    )
    lower = {t.text for d in docs for t in d if t.text[:1].islower()}
    names = {w: n for w, n in capital.items() if w.lower() not in lower}
    for d in docs:
        d.user_data[CAPITALISED] = names


def capitalised_elsewhere(tok: Token) -> bool:
    """The word is written with a capital inside some sentence of the paragraph (or of the
    article, and never in lower case there): a name."""
    # counted without the word itself ("mirrored.[p] Details about …": a sentence the parser
    # did not see begin is no other mention)
    inside = tok.doc.user_data.get(CAPITALISED, {}).get(tok.text, 0)
    if inside - (0 if tok.is_sent_start else 1) > 0:
        return True
    return any(t.text == tok.text and not t.is_sent_start and t.i != tok.i for t in tok.doc)


def lower_if_common(first: Token, text: str) -> str:
    """Lower-case a sentence-initial common word that now stands inside the question."""
    if first.tag_ in ("DT", "PDT", "PRP$", "CD", "IN") or (
        first.pos_ != "PROPN"
        and first.ent_type_ in ("", "DATE", "TIME", "CARDINAL", "PERCENT", "QUANTITY", "MONEY")
        and first.text != "I"
        and not first.text.isupper()
        and not capitalised_elsewhere(first)
        and not _opens_a_name(first)
        and not _people_of_a_place(first.lower_)
    ):
        return text[:1].lower() + text[1:]
    return text


def _people_of_a_place(word: str) -> bool:
    """ "Americans", "Israelis", "Nigerians": a people, written with a capital anywhere ("Which
    organisation did americans vote …")."""
    demonyms = load_gazetteer().demonyms
    return word in demonyms or word.endswith("s") and word[:-1] in demonyms


def _opens_a_name(first: Token) -> bool:
    """'Rotten' in "Rotten Tomatoes sampled …": a capitalised word before a proper noun it
    modifies is part of the name ("Former President Bush" is not: a title follows)."""
    doc = first.doc
    if first.i + 1 >= len(doc):
        return False
    nxt = doc[first.i + 1]
    return (
        nxt.pos_ == "PROPN"
        and nxt.text[:1].isupper()
        and first.head.i >= nxt.i
        and nxt.lower_.rstrip(".") not in PERSON_TITLES
    )


def bare_count_noun(noun: Token, idx) -> bool:
    """A singular noun with modifiers but no determiner ("6.3 earthquake", "gold mine"): the
    parse lost its "a" / "the", so the question would read wrongly. A mass noun standing alone
    ("vaccination covered …") is fine."""
    if noun.tag_ != "NN":
        return False
    kept = [noun.doc[i] for i in idx]
    if any(t.dep_ in ("det", "poss") or t.pos_ in ("PROPN", "PRON") for t in kept):
        return False
    return any(t.head == noun and t.dep_ in ("compound", "nummod", "amod") for t in kept)
