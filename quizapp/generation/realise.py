"""Turning a fact into a real question from the parse (Heilman & Smith's stage 2).

The answer phrase is replaced by a wh-phrase chosen from its type; when it is not the subject,
the auxiliary is inverted with the subject, the copula moved, or do-support added. The clause is
simplified first: appositives, non-restrictive relative clauses, participial and coordinated
clauses and discourse adverbs are dropped; fronted adverbials move to the end. Anything the
question cannot stand on alone (a pronoun, a demonstrative, a modal or negated statement, a
wh-phrase that disagrees with the answer type) makes the realiser give up, and the caller falls
back to a cloze item.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..answers import normalise
from .facts import Fact
from .gazetteer import PERSON_TITLES, PLACE_NOUNS

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "expl"}
DROP_CHILD_DEPS = {"advcl", "conj", "cc", "parataxis", "mark", "intj", "discourse", "punct", "meta"}
DISCOURSE = {
    "however",
    "meanwhile",
    "also",
    "currently",
    "afterwards",
    "additionally",
    "moreover",
    "furthermore",
    "still",
    "reportedly",
    "subsequently",
    "then",
    "now",
    "later",
    "so",
    "thus",
    "instead",
    "too",
}
BAD_MODALS = {"would", "could", "might", "may", "should", "must", "can", "ca"}
PRONOUNS = {
    "he",
    "she",
    "they",
    "him",
    "her",
    "them",
    "his",
    "hers",
    "their",
    "theirs",
    "its",
    "it",
    "we",
    "us",
    "our",
    "i",
    "me",
    "my",
    "you",
    "your",
    "this",
    "these",
    "those",
    "himself",
    "herself",
    "themselves",
    "itself",
}
QUOTES = {"“", "”", '"', "‘", "’", "``", "''"}
PLACE_WH = {"country": "country", "city": "city", "state": "state", "continent": "continent"}
NEWS_WORDS = {
    "news",
    "press",
    "times",
    "post",
    "journal",
    "observer",
    "tribune",
    "herald",
    "channel",
}
MAX_QUESTION_WORDS = 26
NAMING_VERBS = {"bear", "born", "name", "call", "dub", "nickname", "know", "rename", "title"}
NAMED = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "WORK_OF_ART", "LAW"}
REPORTING = {
    "say",
    "tell",
    "write",
    "report",
    "announce",
    "state",
    "add",
    "note",
    "tweet",
    "post",
    "comment",
    "remark",
    "explain",
    "claim",
}
# place nouns that name the kind of the place itself ("the city of X"), not a part of it
PLACE_TYPES = {
    "city",
    "town",
    "village",
    "country",
    "state",
    "province",
    "region",
    "district",
    "county",
    "island",
    "capital",
    "municipality",
    "republic",
    "kingdom",
}
WHO_PREPS = {"to", "by", "with", "for", "from", "against", "before", "at", "on", "of"}
UNIQUE_TITLES = {
    "president",
    "prime minister",
    "chancellor",
    "king",
    "queen",
    "governor",
    "mayor",
    "premier",
    "archbishop",
    "pope",
    "emperor",
    "sultan",
}


def _subtree(tok: Token) -> set[int]:
    return {t.i for t in tok.subtree}


def _comma_before(tok: Token) -> bool:
    left = tok.left_edge.i - 1
    return left >= 0 and tok.doc[left].text in {",", "(", "—", "–"}


def _prune_np(tok: Token) -> set[int]:
    """The tokens of a noun phrase without its appositives and non-restrictive modifiers."""
    keep = {tok.i}
    for child in tok.children:
        if child.dep_ == "punct" and _intra_word(child):
            keep.add(child.i)
            continue
        if child.dep_ in ("appos", "punct", "parataxis"):
            continue
        if child.dep_ in ("relcl", "acl", "prep", "advcl") and _comma_before(child):
            continue
        if child.dep_ == "relcl":
            continue
        keep |= _prune_np(child)
    return keep


def _intra_word(tok: Token) -> bool:
    """A hyphen or apostrophe inside a word ('Nagorno-Karabakh'), not a clause comma."""
    doc = tok.doc
    before = doc[tok.i - 1].whitespace_ == "" if tok.i > 0 else False
    return before and tok.whitespace_ == "" and tok.text not in QUOTES


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
        }[kind]
        if p is None:
            return "On what day" if kind == "weekday" else "When"
        if kind == "decade":
            return f"{p.capitalize()} which decade"
        return f"{p.capitalize()} what {noun}"
    if fact.category == "where":
        noun = PLACE_WH.get(kind, "place")
        if kind == "facility":
            noun = fact.text.split()[-1].lower()
        if p in ("in", "at") and noun == "place":
            return "Where"
        if p is None:
            return f"Which {noun}"
        return f"{p.capitalize()} which {noun}"
    if fact.category == "who":
        if p is not None and p not in WHO_PREPS:
            return None
        if kind == "person":
            title = _title_words(fact)
            if title:
                return f"Which {title}" if p is None else f"{p.capitalize()} which {title}"
            return "Who" if p is None else f"{p.capitalize()} whom"
        noun = _org_noun(fact)
        return f"Which {noun}" if p is None else f"{p.capitalize()} which {noun}"
    return None


def _title_words(fact: Fact) -> str | None:
    """'Health Minister Łukasz Szumowski' -> 'health minister' (the titles before a name)."""
    doc = fact.answer.doc
    i = fact.answer.start - 1
    words = []
    while i >= 0 and doc[i].lower_.rstrip(".") in PERSON_TITLES | {
        "health",
        "interior",
        "foreign",
        "defence",
        "defense",
        "finance",
        "prime",
        "vice",
        "deputy",
    }:
        words.insert(0, doc[i])
        i -= 1
    if not words or not any(w.lower_.rstrip(".") in PERSON_TITLES for w in words):
        return None
    if words[0].lower_ in ("mr", "mrs", "ms", "dr", "dr.", "mr.", "mrs.", "ms."):
        return None
    office = unique_title(words)
    if office:
        return office.lower()
    text = " ".join(w.lower_ for w in words)
    return text if len(words) <= 4 else None


def _org_noun(fact: Fact) -> str:
    from .gazetteer import ORG_WORDS

    words = fact.text.split()
    for w in (words[-1], words[0]):
        lw = w.lower()
        if lw in NEWS_WORDS:
            return "news outlet"
        if lw in ORG_WORDS and lw not in {"inc", "corp", "co", "ltd", "llc", "plc"}:
            return lw
    return "organisation"


class _Clause:
    """A finite clause about to be turned into a question."""

    def __init__(self, verb: Token):
        self.verb = verb
        self.doc = verb.doc

    def subject(self) -> Token | None:
        for child in self.verb.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
        return None

    def finite_aux(self) -> Token | None:
        for child in self.verb.children:
            if child.dep_ in ("aux", "auxpass") and child.i < self.verb.i:
                return child if child.tag_ in ("MD", "VBD", "VBZ", "VBP") else None
        return None


RELATIVE_TIME = {"yesterday", "today", "tomorrow", "tonight", "recently", "earlier", "now"}


def _relative_time(tok: Token) -> bool:
    """'yesterday', 'last night', 'earlier this week': times that need the article's date."""
    words = [t.lower_ for t in tok.subtree]
    if tok.lower_ in RELATIVE_TIME or (len(words) <= 3 and any(w in RELATIVE_TIME for w in words)):
        return True
    return (
        len(words) <= 4
        and any(w in ("last", "this", "next") for w in words)
        and any(
            w in ("night", "week", "month", "year", "morning", "evening", "weekend") for w in words
        )
    )


def _usable_verb(verb: Token) -> bool:
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    if any(c.dep_ == "neg" for c in verb.children):
        return False
    for child in verb.children:
        if child.dep_ == "aux" and child.lower_ in BAD_MODALS:
            return False
    return True


def _words(doc, indices: list[int], subs: dict[int, str] | None = None) -> str:
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


BOUND = {
    "PERSON": {"his", "her", "himself", "herself", "their"},
    "ORG": {"its", "itself", "their", "themselves"},
    "GPE": {"its", "itself", "their"},
    "NORP": {"their", "themselves"},
}
SUBJECT_PRONOUNS = {"he": "PERSON", "she": "PERSON", "it": "ORG", "they": "ORG"}


def _binder(tok: Token | None) -> str | None:
    """The entity type a subject gives to possessives in its clause ('Kimura made her debut')."""
    if tok is None:
        return None
    label = tok.ent_type_
    if label in ("PERSON", "ORG", "GPE", "NORP"):
        return label
    return None


def _entity_text(tok: Token) -> str:
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end:
            return ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
    return tok.text


def _resolve_reported(verb: Token, subj: Token | None) -> tuple[dict[int, str], str | None]:
    """'Moscow announced that it had monitored …': 'it' is Moscow in the reported clause."""
    if subj is None or verb.dep_ != "ccomp":
        return {}, None
    outer = _Clause(verb.head).subject()
    label = _binder(outer)
    if label is None:
        return {}, None
    name = _entity_text(outer)
    subs = {}
    if subj.lower_ in SUBJECT_PRONOUNS:
        if (SUBJECT_PRONOUNS[subj.lower_] == "PERSON") != (label == "PERSON"):
            return {}, None
        subs[subj.i] = name
    for tok in verb.subtree:
        if tok.tag_ == "PRP$" and tok.lower_ in BOUND[label]:
            subs[tok.i] = f"{name}'s"
    return subs, label


def _has_pronoun(doc, indices, binder: str | None = None) -> bool:
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
        if tok.tag_ in ("WDT", "WP", "WP$"):
            return True
        if (
            tok.tag_ == "CD"
            and tok.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY")
            and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
            and (tok.dep_ != "pobj" or any(c.dep_ in ("det", "amod") for c in tok.children))
        ):
            return True  # "the remaining 1", "one of them": a number standing for something
    return False


def _fronted(verb: Token, subj: Token | None) -> tuple[set[int], set[int]]:
    """Children before the subject: (to move to the end, to drop)."""
    move, drop = set(), set()
    if subj is None:
        return move, drop
    for child in verb.children:
        if child.i >= subj.left_edge.i:
            continue
        idx = _subtree(child)
        if child.dep_ in ("prep", "npadvmod", "advmod") and child.lower_ not in DISCOURSE:
            if len(idx) <= 6 and not _has_pronoun(child.doc, idx) and child.dep_ != "advmod":
                move |= idx
                continue
        drop |= idx
    return move, drop


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _constituent(fact: Fact) -> tuple[Token, set[int], Token | None, bool] | None:
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
    if _of_owner(root) and fact.category in ("who", "where"):
        return _possessed(root.head.head)  # "the government of Samoa began …"
    cons_root = _subtree(root) - {i for c in conjs for i in _subtree(c)}
    if dep in ("nsubj", "nsubjpass"):
        return root.head, cons_root, None, True
    if fact.category in ("who", "where") and root.head.lemma_ in NAMING_VERBS:
        return None  # "was born Peter Edward Baker", "is called Bangsamoro"
    if dep in ("attr", "oprd") and fact.category in ("who", "where"):
        return None  # "born Peter Edward Baker", "is Africa's biggest economy"
    if dep in ("dobj", "attr", "oprd"):
        return root.head, cons_root, None, False
    if dep in ("npadvmod", "tmod") and fact.category in ("when", "how_many"):
        return root.head, _subtree(root), None, False
    if dep == "pobj":
        prep = root.head
        head = prep.head
        if head.pos_ in ("VERB", "AUX"):
            return head, _subtree(prep), prep, False
        if head.lower_ == "according" and head.head.pos_ in ("VERB", "AUX"):
            return head.head, _subtree(head), prep, False
        # "in the city of Yevlakh": ask about the outer phrase, typed by its place noun
        if (
            prep.lower_ == "of"
            and head.lower_ in PLACE_TYPES
            and head.dep_ == "pobj"
            and head.head.head.pos_ in ("VERB", "AUX")
        ):
            return head.head.head, _subtree(head.head), head.head, False
    return None


def _of_owner(root: Token) -> bool:
    """'Samoa' in 'the government of Samoa': an owner written with 'of'."""
    prep = root.head
    return (
        root.dep_ == "pobj"
        and prep.lower_ == "of"
        and prep.head.pos_ == "NOUN"
        and prep.head.lower_ not in PLACE_NOUNS
        and not list(root.children)
    )


FACTIVE_MARKS = {"though", "although", "because", "after", "while", "whereas", "since", "as"}


def _factive_advcl(verb: Token) -> bool:
    """'Though Dr. Kock has reported a correlation, …': a subordinate clause stated as fact."""
    return verb.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in FACTIVE_MARKS for c in verb.children
    )


def _without_dangling_cc(doc, idx: set[int]) -> set[int]:
    """Drop a conjunction whose conjunct is not kept ('Kimberly-Clark, … and')."""
    return idx - {
        i
        for i in idx
        if doc[i].dep_ == "cc"
        and not any(c.dep_ == "conj" and c.i in idx for c in doc[i].head.children)
    }


def _cuts_a_word(doc, kept: set[int]) -> bool:
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


def _possessed(noun: Token) -> tuple[Token, set[int], Token | None, bool] | None:
    """ "Samoa's government shut down": the possessed noun phrase is what moves."""
    if any(c.dep_ == "conj" for c in noun.children):
        return None
    if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.pos_ in ("VERB", "AUX"):
        return noun.head, _subtree(noun), None, True
    if noun.dep_ == "dobj" and noun.head.pos_ in ("VERB", "AUX"):
        return noun.head, _subtree(noun), None, False
    prep = noun.head
    if noun.dep_ == "pobj" and prep.head.pos_ in ("VERB", "AUX") and prep.lower_ in WHO_PREPS:
        return prep.head, _subtree(prep), prep, False
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
    owner = _subtree(root) if poss else _subtree(root.head)
    skip = owner | {i for c in noun.children if c.dep_ == "det" for i in _subtree(c)}
    idx = sorted(i for i in _prune_np(noun) if i not in skip)
    if not idx or _has_pronoun(noun.doc, idx):
        return None
    phrase = f"{whose} {_words(noun.doc, idx)}"
    if prep is not None:
        return f"{prep.text.capitalize()} {phrase[0].lower()}{phrase[1:]}"
    return phrase


def wh_question(fact: Fact) -> str | None:
    """A wh-question whose answer is the fact, or None when no safe one exists."""
    found = _constituent(fact)
    if found is None:
        return None
    verb, cons, prep, is_subject = found
    doc = verb.doc
    # "his country is ready to receive 40,000 families": the finite verb governs the question
    while verb.dep_ == "xcomp" and not is_subject:
        verb = verb.head
        if verb.pos_ == "ADJ" and verb.dep_ == "acomp":
            verb = verb.head
    ans = fact.answer
    if not all(i in cons for i in range(ans.start, ans.end)):
        return None
    if not _usable_verb(verb):
        return None
    clause = _Clause(verb)
    subj = clause.subject()
    antecedent: set[int] = set()
    if subj is not None and subj.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
        antecedent = _prune_np(verb.head) - _subtree(verb)
        if not antecedent or verb.head.i in cons:
            return None
    elif (verb.dep_ not in ("ROOT", "ccomp", "conj") and not _factive_advcl(verb)) or (
        subj is None and not is_subject
    ):
        return None
    if verb.dep_ == "conj" and subj is None:
        return None
    aux = clause.finite_aux()
    if aux is None and verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    # Words of the clause, simplified.
    keep = {verb.i}
    for child in verb.children:
        if child.i in cons or child.dep_ in DROP_CHILD_DEPS:
            continue
        if child.dep_ in ("prep", "advmod", "npadvmod", "acomp", "xcomp", "ccomp", "dobj") and (
            _comma_before(child) and child.i > verb.i and child.dep_ != "ccomp"
        ):
            continue
        if child.dep_ == "advmod" and child.lower_ in DISCOURSE:
            continue
        if child.dep_ in ("npadvmod", "advmod", "prep") and _relative_time(child):
            continue
        if child.dep_ in SUBJECT_DEPS:
            keep |= _prune_np(child) if child.tag_ not in ("WDT", "WP") else set()
            continue
        keep |= _prune_np(child) if child.dep_ in ("dobj", "attr", "pobj") else _subtree(child)
    keep -= cons
    move, drop = _fronted(verb, subj)
    keep -= move | drop
    keep = {i for i in keep if doc[i].text not in QUOTES}
    # a conjunction left without its conjunct ("in favour and ?")
    keep = _without_dangling_cc(doc, keep)
    subj_idx = sorted(
        _without_dangling_cc(doc, antecedent)
        if antecedent
        else (keep & _subtree(subj) if subj is not None else set())
    )
    if not is_subject and not subj_idx:
        return None
    for deps in (SUBJECT_DEPS, {"dobj"}, {"attr"}):
        if sum(c.dep_ in deps for c in verb.children) > 1:
            return None  # a misparse: two subjects (objects) for one verb
    if verb.lemma_ == "be" and any(c.dep_ == "ccomp" for c in verb.children):
        return None  # "85% were in favour …, would be governing": a misattached clause
    if subj is not None and (subj.tag_ == "VBG" or subj.dep_ == "csubj"):
        return None  # a clause as subject: "citing the disruption caused …"
    if verb.lemma_ == "be" and (is_subject or subj is not None and subj.i in cons):
        attr = [c for c in verb.children if c.dep_ == "attr"]
        if attr and any(d.lower_ in ("a", "an") for d in attr[0].children if d.dep_ == "det"):
            return None  # "Which country is a Catholic nation?": one of many

    subs, binder = _resolve_reported(verb, subj)
    if (
        not is_subject
        and not subs
        and not any(doc[i].pos_ in ("NOUN", "PROPN", "PRON", "NUM") for i in subj_idx)
    ):
        return None  # "How many years is even if forgiven?": no real subject
    if binder is None:
        binder = _binder(subj) if not is_subject else {"person": "PERSON"}.get(fact.kind, "ORG")
    wh = _wh_phrase(fact, prep, cons)
    if wh is None:
        return None
    rest = sorted(keep - set(subj_idx))
    moved = sorted(move - cons)
    if is_subject:
        content = [
            i
            for i in keep
            if not doc[i].is_stop
            and not doc[i].is_punct
            and doc[i].ent_type_ not in ("DATE", "TIME")
        ]
        if verb.lemma_ in REPORTING:
            content = [i for i in content if i != verb.i]
        if fact.category in ("who", "where") and len(content) < 2:
            return None  # "Who wrote in a statement?" asks nothing worth knowing
        if fact.category == "where" and fact.kind in ("place", "facility"):
            return None  # a place of unknown kind doing something: likely a misread name
        question = f"{wh} {_words(doc, sorted(keep), subs)}"
        if moved:
            question += " " + _lower_if_common(doc[moved[0]], _words(doc, moved))
        words = sorted(keep) + moved
    else:
        if aux is not None:
            inv = aux.text.lower()
            rest = [i for i in rest if i != aux.i]
            verb_text = None
        elif verb.lemma_ == "be":
            inv = verb.text.lower()
            rest = [i for i in rest if i != verb.i]
            verb_text = None
        else:
            inv = {"VBD": "did", "VBZ": "does", "VBP": "do"}[verb.tag_]
            verb_text = verb.lemma_
        parts = [wh, inv, _subject_text(doc, subj_idx, subs)]
        if verb_text is not None:
            subs = {**subs, verb.i: verb_text}
        parts.append(_words(doc, rest, subs))
        if moved:
            parts.append(_lower_if_common(doc[moved[0]], _words(doc, moved)))
        tail = rest + moved
        question = " ".join(p for p in parts if p)
        words = subj_idx + tail
    if _has_pronoun(doc, [i for i in words if i not in subs], binder):
        return None
    question = question.strip(" ,;:") + "?"
    question = question.replace(" ?", "?").replace(",?", "?")
    n_words = len(question.split())
    if n_words < 5 or n_words > MAX_QUESTION_WORDS:
        return None
    if any(ch in question for ch in "[]{}") or question.count("(") != question.count(")"):
        return None  # editorial brackets or a cut parenthesis
    if _cuts_a_word(doc, set(words)):
        return None  # "a cease" from "a cease-and-desist order"
    last = question.rstrip("?").split()[-1].lower()
    if last in ("and", "or", "but") or (prep is not None and wh.split()[0].lower() == last):
        return None  # "At what time did X arrive at?"
    if not any(not doc[i].is_stop and not doc[i].is_punct for i in words if i not in cons):
        return None  # "How many passengers were there?": nothing said about the answer
    if f" {normalise(fact.text)} " in f" {normalise(question)} ":
        return None  # the answer would be given away
    return _capitalise(question)


def _subject_text(doc, idx: list[int], subs: dict[int, str] | None = None) -> str:
    if not idx:
        return ""
    if subs and idx[0] in subs:
        return _words(doc, idx, subs)
    text = _words(doc, idx, subs)
    return _lower_if_common(doc[idx[0]], text)


def _capitalised_elsewhere(tok: Token) -> bool:
    """The word is written with a capital inside some sentence of the paragraph: a name."""
    return any(t.text == tok.text and not t.is_sent_start and t.i != tok.i for t in tok.doc)


def _lower_if_common(first: Token, text: str) -> str:
    """Lower-case a sentence-initial common word that now stands inside the question."""
    if first.tag_ in ("DT", "PDT", "PRP$", "CD", "IN") or (
        first.pos_ != "PROPN"
        and first.ent_type_ in ("", "DATE", "TIME", "CARDINAL")
        and first.text != "I"
        and not first.text.isupper()
        and not _capitalised_elsewhere(first)
    ):
        return text[:1].lower() + text[1:]
    return text


def _wh_phrase(fact: Fact, prep: Token | None, cons: set[int]) -> str | None:
    if fact.category == "how_many":
        return _how_many_phrase(fact, prep)
    if fact.answer.root.dep_ == "poss" or _of_owner(fact.answer.root):
        return _possessive_phrase(fact, prep)
    if prep is not None and prep.head.lower_ == "according":
        wh = _object_wh(fact, None)
        return f"According to {wh[0].lower()}{wh[1:]}" if wh else None
    if prep is not None and prep.dep_ == "prep" and fact.answer.root.head != prep:
        # the outer phrase of "in the city of X": "In which city"
        inner = fact.answer.root.head.head
        return f"{prep.text.capitalize()} which {inner.lower_}"
    return _object_wh(fact, prep)


def _percent_phrase(fact: Fact, prep: Token | None) -> str | None:
    """'with 25.7% of the vote' -> 'With what percentage of the vote'."""
    head = fact.answer[-1]
    if head.text not in ("%", "percent") and head.lower_ != "percent":
        return None
    of = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"]
    tail = " " + _words(head.doc, sorted(_subtree(of[0]))) if of else ""
    if _has_pronoun(head.doc, sorted(_subtree(of[0])) if of else []):
        return None
    phrase = f"what percentage{tail}"
    return f"{prep.text.capitalize()} {phrase}" if prep is not None else _capitalise(phrase)


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
    # the counted noun with its modifiers, without the number, qualifier and determiner
    conj = {i for c in noun.children if c.dep_ in ("conj", "cc") for i in _subtree(c)}
    last_num = max((t.i for t in fact.answer if t.like_num), default=fact.answer.start)
    idx = sorted(
        i
        for i in _prune_np(noun) - conj
        if not (fact.answer.start <= i < fact.answer.end and i < noun.i)
        and not (doc[i].dep_ == "det" and doc[i].head == noun)
        and not (doc[i].like_num and i < noun.i)
        and not (i < noun.i and i <= last_num)  # "over", "about": the qualifier stays behind
    )
    if any(doc[i].tag_ in ("PRP$", "PRP") for i in idx):
        return None
    words = _words(doc, idx)
    if not words:
        return None
    if noun.tag_ not in ("NNS", "NNPS") and fact.quantity and fact.quantity.value != 1:
        if noun.lower_ not in ("percent", "people"):
            return None
    phrase = "how many " + words
    if prep is not None:
        return f"{prep.text.capitalize()} {phrase}"
    return _capitalise(phrase)


def definition_questions(sent: Span, names, gaz) -> list[tuple[Token, str]]:
    """'X, advisor to Y,' -> 'Who is the advisor to Y?'; 'Armenian Prime Minister X' ->
    'Who is the Prime Minister of Armenia?'. Returns (person token, question) pairs."""
    out = []
    for tok in sent:
        if tok.ent_type_ != "PERSON" or tok.ent_iob_ == "I" and tok.dep_ == "compound":
            continue
        info = names.get(_ent_text(tok))
        if info is None or info.kind != "person":
            continue
        # the person is the head of an appositive role: "Hikmet Hajiyev, advisor to …,"
        for child in tok.children:
            if child.dep_ == "appos" and child.pos_ in ("NOUN", "PROPN") and child.ent_type_ == "":
                q = _role_question(child)
                if q:
                    out.append((tok, q))
                out += _role_place_questions(info.canonical, child, names)
        # the role is the head and the person its appositive: "the Nagorno representative, X"
        if tok.dep_ == "appos" and tok.head.pos_ == "NOUN" and tok.head.ent_type_ in ("", "PERSON"):
            q = _role_question(tok.head)
            if q:
                out.append((tok, q))
        q = _title_question(tok, gaz)
        if q:
            out.append((tok, q))
    return out


def _role_place_questions(person: str, role: Token, names) -> list[tuple[Token, str]]:
    """'Sanders, a Senator from Vermont,' -> 'From which state is Bernie Sanders a Senator?'."""
    doc = role.doc
    out = []
    for prep in role.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("of", "from", "for", "in"):
            continue
        objs = [c for c in prep.children if c.dep_ == "pobj"]
        if not objs or objs[0].ent_type_ not in ("GPE", "LOC"):
            continue
        place = names.get(_ent_text(objs[0]))
        if place is None or place.kind not in ("country", "city", "state", "place"):
            continue
        noun = {"place": "place"}.get(place.kind, place.kind)
        words = [
            t for t in doc[role.left_edge.i : role.i + 1] if t.dep_ != "punct" and t.tag_ != "PRP$"
        ]
        if not words or any(t.ent_type_ == "PERSON" for t in words):
            continue
        role_text = " ".join(t.text for t in words)
        if words[0].lower_ not in ("a", "an", "the"):
            role_text = "the " + role_text
        out.append((objs[0], f"{prep.text.capitalize()} which {noun} is {person} {role_text}?"))
    return out


def _ent_text(tok: Token) -> str:
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end:
            return ent.text
    return tok.text


def _role_question(role: Token) -> str | None:
    idx = sorted(i for i in _prune_np(role) if role.doc[i].ent_type_ != "PERSON" or i != role.i)
    idx = [i for i in idx if not (role.doc[i].dep_ == "appos" and role.doc[i].head == role)]
    doc = role.doc
    if any(
        doc[i].ent_type_ == "PERSON" and doc[i].head == role and doc[i].dep_ == "appos" for i in idx
    ):
        return None
    if _has_pronoun(doc, idx) or len(idx) > 16:
        return None
    if role.lower_ not in PERSON_TITLES and not any(
        doc[i].dep_ in ("prep", "amod", "compound") for i in idx if doc[i].head == role
    ):
        return None
    if not any(doc[i].ent_type_ in NAMED for i in idx if i != role.i):
        return None  # "the current prime minister", "daughter to a poor family": of what?
    text = _words(doc, idx)
    first = doc[idx[0]]
    if first.lower_ in ("a", "an", "one", "another"):
        return None  # "Tusk, a founding member": a member, not the only one
    if first.pos_ == "PROPN" and any(c.dep_ == "case" for c in first.children):
        pass  # "Huber's longtime partner": the possessive is the determiner
    elif first.lower_ not in ("the", "a", "an"):
        text = "the " + text
    else:
        text = "the " + text.split(" ", 1)[1] if first.lower_ in ("a", "an") else text
    text = text[:1].lower() + text[1:] if doc[idx[0]].pos_ != "PROPN" else text
    return f"Who is {text}?"


TITLE_MODIFIERS = {
    "prime",
    "vice",
    "deputy",
    "foreign",
    "interior",
    "defence",
    "defense",
    "health",
    "finance",
    "chief",
    "first",
    "former",
}


def _title_run(first: Token) -> list[Token]:
    """The title words immediately before a name: 'Chief Superintendent', 'Prime Minister'."""
    doc = first.doc
    i = first.i - 1
    run: list[Token] = []
    while (
        i >= 0
        and (doc[i].lower_.rstrip(".") in PERSON_TITLES or doc[i].lower_ in TITLE_MODIFIERS)
        and doc[i].ent_type_ != "PERSON"
    ):
        run.insert(0, doc[i])
        i -= 1
    return run


def unique_title(run: list[Token]) -> str | None:
    """The office in a title run, if it is one a place has only one of ('Prime Minister')."""
    words = [t.text for t in run]
    for k in range(len(words)):
        cand = " ".join(words[k:])
        if cand.lower() in UNIQUE_TITLES:
            return " ".join(w.capitalize() if w.islower() else w for w in words[k:])
    for w in words:
        if w.lower().rstrip("s") in UNIQUE_TITLES:
            return w.rstrip("s").capitalize() if w.lower().endswith("s") else w.capitalize()
    return None


def _place_before(tok_index: int, doc, demonyms: dict[str, str]) -> str | None:
    """'Armenian', 'Connecticut' or "Niger's" just before a title: the place it is of."""
    i = tok_index - 1
    if i < 0:
        return None
    if doc[i].text in ("'s", "’s") and i > 0:
        i -= 1
    tok = doc[i]
    if tok.lower_ in demonyms:
        return demonyms[tok.lower_]
    if tok.ent_type_ in ("GPE", "LOC"):
        j = i
        while j > 0 and doc[j - 1].ent_type_ == tok.ent_type_ and doc[j - 1].ent_iob_ != "O":
            j -= 1
        text = doc[j : i + 1].text
        return text[4:] if text.lower().startswith("the ") else text
    return None


def _country_phrase(place: str, gaz) -> str:
    """'US' -> 'the United States', 'Armenia' -> 'Armenia' (gazetteer names, with 'the')."""
    found = gaz.lookup(place)
    name = found.name if found is not None and found.kind == "country" else place
    plural = name.endswith("s") and not name.endswith(("ss", "us"))
    if name.split()[0] in ("United", "Republic", "Kingdom", "Democratic") or plural:
        return f"the {name}"
    return name


def _title_question(name: Token, gaz) -> str | None:
    """'Armenian Prime Minister Nikol Pashinyan' -> 'Who is the Prime Minister of Armenia?';
    also 'Connecticut Governor X', "Niger's president X",
    'Presidents X of Nigeria and Y of Benin'."""
    doc = name.doc
    first = name
    while (
        first.i > 0 and doc[first.i - 1].ent_type_ == "PERSON" and doc[first.i - 1].ent_iob_ != "O"
    ):
        first = doc[first.i - 1]
        if doc[first.i].ent_iob_ == "B":
            break
    run = _title_run(first)
    if not run and name.dep_ == "conj" and name.head.ent_type_ == "PERSON":
        head_first = name.head.left_edge
        run = _title_run(head_first) if head_first.ent_type_ == "PERSON" else []
        run_place = None
    else:
        run_place = _place_before(run[0].i, doc, gaz.demonyms) if run else None
    if not run:
        return None
    title = unique_title(run)
    if title is None:
        return None
    of_place = None
    for child in name.children:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i > name.i:
            obj = [c for c in child.children if c.dep_ == "pobj"]
            if obj and obj[0].ent_type_ in ("GPE", "LOC") and not list(obj[0].children):
                of_place = obj[0].text
    place = of_place or run_place
    if place is None:
        return None
    place = _country_phrase(place, gaz)
    return f"Who is the {title} of {place}?"
