"""Turning the clause around the answer into a wh-question: simplifying it, then moving the
auxiliary or copula before the subject or adding do-support; a reported clause's pronoun is
resolved to the reporting subject ("Moscow announced that it …").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from ...answers import normalise
from ..coref import resolved
from ..entities import entity_span
from ..facts import Fact
from .constituent import answer_constituent
from .participles import participle_question
from .phrases import wh_phrase
from .tokens import (
    BOUND,
    QUOTES,
    bare_count_noun,
    capitalise,
    comma_before,
    cuts_a_word,
    has_pronoun,
    intra_word,
    join_tokens,
    lower_if_common,
    prune_np,
    subtree_ids,
    without_dangling_cc,
)

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "expl"}
DROP_CHILD_DEPS = {"advcl", "conj", "cc", "parataxis", "mark", "intj", "discourse", "punct", "meta"}
DISCOURSE = frozenset(
    """
    however meanwhile also currently afterwards additionally moreover furthermore still
    subsequently then now later so thus instead too
    """.split()
)
BAD_MODALS = {"would", "could", "might", "may", "should", "must", "can", "ca"}
MAX_QUESTION_WORDS = 26
REPORTING = frozenset(
    "say tell write report announce state add note tweet post comment remark explain claim".split()
)
RELATIVE_TIME = {"yesterday", "today", "tomorrow", "tonight", "recently", "earlier", "now"}
SUBJECT_PRONOUNS = {"he": "PERSON", "she": "PERSON", "it": "ORG", "they": "ORG"}
FACTIVE_MARKS = {"though", "although", "because", "after", "while", "whereas", "since", "as"}


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


def _aside(tok: Token) -> bool:
    """'for example', 'for instance', 'in fact': asides a question does without."""
    words = [t.lower_ for t in tok.subtree]
    return words in (
        ["for", "example"],
        ["for", "instance"],
        ["in", "fact"],
        ["of", "course"],
        ["in", "particular"],
        ["in", "general"],
        ["as", "a", "whole"],
    )


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


def _scope_time(tok: Token) -> bool:
    """A time phrase that bounds a count ("this week", "so far this year", "last month"), not a
    day that only dates it ("on Tuesday")."""
    words = {t.lower_ for t in tok.subtree}
    return bool(words & {"this", "that", "last", "past", "so", "far"}) and bool(
        words & {"week", "month", "year", "season", "weekend", "far", "decade", "century"}
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


def _binder(tok: Token | None) -> str | None:
    """The entity type a subject gives to possessives in its clause ('Kimura made her debut')."""
    if tok is None:
        return None
    label = tok.ent_type_
    if label in ("PERSON", "ORG", "GPE", "NORP"):
        return label
    return None


def _entity_text(tok: Token) -> str:
    text = entity_span(tok).text
    return text[4:] if text.lower().startswith("the ") else text


MAX_SOURCE_WORDS = 7


def _reporter(verb: Token, cons: set[int]) -> str | None:
    """Who said or reported the clause the question is made from, to keep the claim a claim
    ("Officials said 85% voted" -> "According to officials, …"): "" when the clause is not
    reported, None when it is but its source cannot be named (a pronoun, a long phrase)."""
    if verb.dep_ != "ccomp" or verb.head.lemma_ not in REPORTING:
        return ""
    outer = _Clause(verb.head).subject()
    if outer is None or outer.i in cons:
        return "" if outer is not None else None
    if outer.pos_ == "PRON" or outer.lower_ in DISCOURSE:
        return None
    doc = verb.doc  # a hyphen inside a name stays: "Moon Jae-in", not "Moon Jae in"
    idx = sorted(i for i in prune_np(outer) if not doc[i].is_punct or intra_word(doc[i]))
    if not idx or len(idx) > MAX_SOURCE_WORDS:
        return None
    text = join_tokens(verb.doc, idx)
    return lower_if_common(verb.doc[idx[0]], text)


def _according_to(verb: Token, cons: set[int]) -> str | None:
    """Whom the clause credits with "according to X" ("According to the RAI …, at least 1,500
    people have been injured"), so the question keeps the claim a claim: "" when it credits
    nobody, None when X is too long to carry."""
    doc = verb.doc
    for tok in verb.sent:
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        head = tok.head
        while (
            head.i != verb.i
            and head.dep_ in ("prep", "advcl", "conj", "ccomp")
            and head != head.head
        ):
            head = head.head
        # "According to Xinhua, the earthquake killed 5,335 students and left 546 children
        # disabled": fronted, it credits the verbs joined to the one it hangs on too
        shared = verb.dep_ == "conj" and verb.head.i == head.i and tok.i < head.i
        if head.i != verb.i and tok.head.i != verb.i and verb.dep_ != "ccomp" and not shared:
            continue  # it credits another clause of the sentence
        objs = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
        if not objs or objs[0].i in cons:
            return ""
        idx = sorted(i for i in prune_np(objs[0]) if not doc[i].is_punct or intra_word(doc[i]))
        if not idx or len(idx) > MAX_SOURCE_WORDS:
            return None
        return lower_if_common(doc[idx[0]], join_tokens(doc, idx))
    return ""


def _resolve_reported(verb: Token, subj: Token | None) -> tuple[dict[int, str], str | None]:
    """'Moscow announced that it had monitored …': 'it' is Moscow in the reported clause."""
    if subj is None or verb.dep_ != "ccomp":
        return {}, None
    outer = _Clause(verb.head).subject()
    label = _binder(outer)
    if label is None:
        return {}, None
    name = _entity_text(outer)
    span = entity_span(outer)
    if label != "PERSON" and (
        span.text.lower().startswith("the ")
        or (span.start > 0 and outer.doc[span.start - 1].lower_ == "the")
    ):
        name = f"the {name}"  # "it had sent" → "the Ministry of Health had sent"
    subs = {}
    if subj.lower_ in SUBJECT_PRONOUNS:
        if (SUBJECT_PRONOUNS[subj.lower_] == "PERSON") != (label == "PERSON"):
            return {}, None
        subs[subj.i] = name
    for tok in verb.subtree:
        if tok.tag_ == "PRP$" and tok.lower_ in BOUND[label]:
            subs[tok.i] = f"{name}'s"
    return subs, label


def _fronted(verb: Token, subj: Token | None) -> tuple[set[int], set[int]]:
    """Children before the subject: (to move to the end, to drop)."""
    move, drop = set(), set()
    if subj is None:
        return move, drop
    for child in verb.children:
        if child.i >= subj.left_edge.i:
            continue
        idx = subtree_ids(child)
        if child.dep_ in ("prep", "npadvmod", "advmod") and child.lower_ not in DISCOURSE:
            if len(idx) <= 6 and not has_pronoun(child.doc, idx) and child.dep_ != "advmod":
                move |= idx
                continue
        drop |= idx
    return move, drop


def _depictive(verb: Token, child: Token) -> bool:
    """A participle or adjective right after its verb that says in what state the subject did
    it ("have emerged injured", "was found dead"): part of what the clause says, not a
    modifier to set aside."""
    return (
        child.dep_ == "advcl"
        and child.i == verb.i + 1
        and child.tag_ in ("VBN", "JJ")
        and not any(c.dep_ in ("nsubj", "nsubjpass", "mark", "dobj") for c in child.children)
    )


def _factive_advcl(verb: Token) -> bool:
    """'Though Dr. Kock has reported a correlation, …': a subordinate clause stated as fact."""
    return verb.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in FACTIVE_MARKS for c in verb.children
    )


ELLIPTIC_HEADS = frozenset(
    "one ones some many few several most all both each either neither none another other others "
    "former latter first second third last".split()
)


DENYING = frozenset(
    "deny refute dispute reject doubt question contest disprove dismiss rebut".split()
)


def _denied(verb: Token) -> bool:
    """The clause is what someone denied, doubted or did not say: asking it as fact would turn
    the meaning round."""
    while verb.dep_ in ("ccomp", "xcomp", "conj") and verb.head is not verb:
        verb = verb.head
        if verb.lemma_.lower() in DENYING or any(c.dep_ == "neg" for c in verb.children):
            return True
    return False


def _negated(verb: Token) -> bool:
    """The clause itself says no: "not", "never", or a "no" phrase hanging on the verb ("at no
    point", "in no case"). Its question would ask for what did not happen."""
    for c in verb.children:
        if c.dep_ == "neg" or c.lower_ in ("never", "nowhere"):
            return True
        if c.dep_ == "prep" and any(
            o.dep_ == "pobj" and any(d.lower_ == "no" and d.dep_ == "det" for d in o.children)
            for o in c.children
        ):
            return True
    return False


def _elliptic(subj: Token) -> bool:
    """A subject with no noun of its own ("one", "the second", "the latter", "many")."""
    return subj.lower_ in ELLIPTIC_HEADS or subj.pos_ in ("NUM", "ADJ")


def _other_role(prep: Token, fact: Fact) -> bool:
    """A second phrase with the same preposition that plainly plays another role: a time
    beside a place ("In which city was he arrested in January 2018?") or a place beside a
    time."""
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    if not objects:
        return False
    label = objects[0].ent_type_
    if fact.category == "where":
        return label in ("DATE", "TIME")
    if fact.category == "when":
        return label in ("GPE", "LOC", "FAC")
    return False


def _shares_subject(verb: Token) -> bool:
    """A finite verb coordinated with the main verb and sharing its subject ("Kimura debuted
    in 2016 and joined Stardom in 2017"): a statement of its own once the subject is copied."""
    head = verb.head
    return (
        verb.dep_ == "conj"
        and verb.tag_ in ("VBD", "VBZ", "VBP")
        and head.pos_ in ("VERB", "AUX")
        and head.dep_ in ("ROOT", "ccomp")
        and head.tag_ in ("VBD", "VBZ", "VBP")
        and not any(c.dep_ in ("aux", "auxpass") for c in head.children)
        and (subj := _Clause(head).subject()) is not None
        and subj.tag_ not in ("WDT", "WP", "EX")
        and subj.dep_ == "nsubj"
    )


SPAN_HEADS = frozenset("after before later earlier ago since until".split())
LOCATIVE = frozenset("in at on near inside outside".split())
RANKING_WORDS = frozenset("first second third last only next final sole".split())
# Adverbs that date a count to the moment of writing ("were still without shelter")
STILL_WORDS = frozenset("still currently now already yet".split())


def _indefinite(tok: Token) -> bool:
    return any(d.dep_ == "det" and d.lower_ in ("a", "an") for d in tok.children)


def _lost_scope(verb: Token, keep: set[int], cons: set[int]) -> bool:
    """The question would drop what makes it one thing the student can name (rubric: not
    alone): the purpose of being somewhere ("Where was Blair (to hear the verdict)?"), of an
    indefinite object ("Who initiated a drive (to complete the project)?"), the relative
    clause an indefinite object is known by ("Which outlet ran an article (that suggested
    …)?")."""
    objects = [c for c in verb.children if c.dep_ == "dobj" and c.i in keep]
    purpose = any(
        c.dep_ in ("advcl", "xcomp")
        and c.i not in keep
        and c.i > verb.i
        and not comma_before(c)
        and any(a.tag_ == "TO" for a in c.children)
        for c in verb.children
    )
    if purpose and (verb.lemma_ == "be" or any(_indefinite(o) for o in objects)):
        return True
    if any(
        _indefinite(o) and any(r.dep_ == "relcl" and not comma_before(r) for r in o.children)
        for o in objects
    ):
        return True
    # "the first force from outside China (to join the rescue effort)": a first, last or only
    # one is so only with the clause that says at what
    doc = verb.doc
    for i in keep:
        noun = doc[i]
        ranked = any(
            c.dep_ == "amod" and (c.lower_ in RANKING_WORDS or c.tag_ == "JJS")
            for c in noun.children
        )
        if ranked and any(
            c.dep_ in ("relcl", "acl") and c.i not in keep and c.i not in cons
            for c in noun.children
        ):
            return True
    return False


def _measured_of(fact: Fact, cons: set[int]) -> Token | None:
    """What a measured amount is of, when the question's constituent holds it: "assets" in
    "$111 million of the bank's assets"."""
    root = fact.answer.root
    if root.pos_ != "NOUN" and root.lower_ not in ("million", "billion", "trillion"):
        return None
    for c in root.children:
        if c.dep_ == "prep" and c.lower_ == "of" and c.i >= fact.answer.end and c.i in cons:
            objects = [o for o in c.children if o.dep_ == "pobj"]
            return objects[0] if objects else None
    return None


def _alternatives(verb: Token) -> bool:
    """The verb is one of predicates joined by "or" / "nor": what holds is either of them."""
    heads = [verb, verb.head] if verb.dep_ == "conj" else [verb]
    return any(
        any(c.dep_ == "cc" and c.lower_ in ("or", "nor") for c in h.children)
        and any(c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") for c in h.children)
        for h in heads
    )


def _superlative(verb: Token) -> bool:
    """A superlative ("largest", "worst") or "first" / "last" among the verb's subject and
    object: a "since" then says since when the superlative holds, not when the action began."""
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr"):
            for t in c.subtree:
                if t.dep_ == "amod" and (t.tag_ == "JJS" or t.lower_ in ("first", "last")):
                    return True
    return False


# Verbs whose object percentage says nothing of what it is a share of without "of …".
BARE_SHARE_VERBS = frozenset({"have", "hold", "get", "take", "win", "receive", "gain", "keep"})


def wh_question(fact: Fact) -> str | None:
    """A wh-question whose answer is the fact, or None when no safe one exists."""
    found = answer_constituent(fact)
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
    if _denied(verb):
        return None  # "The official denied that the bureau had received reports"
    if _negated(verb):
        return None  # "at no point were the Australians more than five points in front"
    if fact.noun is not None and any(
        c.dep_ in ("acl", "relcl") and c.i in cons for c in fact.noun.children
    ):
        return None  # "two weeks to leave his palace": the question would lose what they are for
    if verb.lemma_ == "result" and prep is not None:
        return None  # "In how many casualties has the derailment resulted?"
    if (
        is_subject
        and verb.lemma_ == "be"
        and any(c.dep_ == "attr" and c.pos_ == "PROPN" for c in verb.children)
    ):
        return None  # "Eva Greene is the spurned witch Angelique": who plays her, or who she is?
    if _alternatives(verb):
        return None  # "134 passengers were rescued or swam ashore": "… were rescued?" drops one
    if prep is not None and prep.lower_ == "since" and _superlative(verb):
        return None  # "the largest refugee crisis since 1994": since is the superlative's
    if (
        fact.kind == "percent"
        and verb.lemma_ in BARE_SHARE_VERBS
        and not is_subject
        and not any(c.dep_ == "prep" and c.lower_ == "of" for c in fact.answer.root.children)
    ):
        return None  # "Creative had 4.1%": "What percentage did Creative have?" of what?
    if verb.lemma_ == "have" and fact.category == "who" and not is_subject:
        return None  # "Which organisation did the eruption have?": a misread name
    if verb.dep_ == "acl" and not is_subject:
        return participle_question(fact, verb, cons, prep)
    clause = _Clause(verb)
    subj = clause.subject()
    borrowed = subj is None and _shares_subject(verb)
    if borrowed:
        subj = _Clause(verb.head).subject()  # "X arrived in May and met Y in Athens"
    antecedent: set[int] = set()
    if subj is not None and subj.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
        antecedent = prune_np(verb.head) - subtree_ids(verb)
        if not antecedent or verb.head.i in cons or _elliptic(verb.head):
            return None
        if verb.head.dep_ == "pobj" and verb.head.head.head.pos_ in ("NOUN", "VERB"):
            # "the operation launched by Azerbaijan, which lasted 24 hours": a relative clause
            # after a nested phrase may belong to the outer noun ("How many hours did
            # Azerbaijan last?"); the parse cannot tell
            return None
    elif (verb.dep_ not in ("ROOT", "ccomp", "conj") and not _factive_advcl(verb)) or (
        subj is None and not is_subject
    ):
        return None
    if verb.dep_ == "conj" and subj is None:
        return None
    aux = clause.finite_aux()
    if is_subject and aux is None and verb.tag_ in ("VBN", "VBG"):
        return None  # "with three crew members injured": "How many crew members injured?"
    tense = verb.tag_
    if aux is None and tense == "VBN" and subj is not None and subj.dep_ == "nsubj":
        tense = "VBD"  # "vaccination covered 31 percent": a past tense tagged as participle
    if aux is None and tense not in ("VBD", "VBZ", "VBP"):
        return None
    # Words of the clause, simplified.
    keep = {verb.i}
    for child in verb.children:
        if child.i not in cons and _depictive(verb, child):
            keep |= subtree_ids(child)  # "68 passengers have emerged injured": not "emerged"
            continue
        if child.i in cons or child.dep_ in DROP_CHILD_DEPS:
            continue
        if child.dep_ in ("prep", "advmod", "npadvmod", "acomp", "xcomp", "ccomp", "dobj") and (
            comma_before(child) and child.i > verb.i and child.dep_ != "ccomp"
        ):
            continue
        if child.dep_ == "advmod" and child.lower_ in STILL_WORDS and fact.category == "how_many":
            return None  # "How many households were (still) without shelter?": as of when?
        if child.dep_ == "advmod" and child.lower_ in ("only", "even", "just"):
            return None  # "Liu only returned … several years later": "did Liu only return?"
        if child.dep_ == "advmod" and child.lower_ in DISCOURSE:
            continue
        if child.dep_ in ("npadvmod", "advmod", "prep") and _relative_time(child):
            if fact.category in ("how_many", "when") and _scope_time(child):
                return None  # "How many people died (this week)?", "… Diwali (this year)?"
            continue
        if child.dep_ in SUBJECT_DEPS:
            keep |= prune_np(child) if child.tag_ not in ("WDT", "WP") else set()
            continue
        keep |= prune_np(child) if child.dep_ in ("dobj", "attr", "pobj") else subtree_ids(child)
    keep -= cons
    move, drop = _fronted(verb, subj)
    keep -= move | drop
    keep = {i for i in keep if doc[i].text not in QUOTES}
    # times that need the article's date, and asides, wherever they hang ("… ruling today")
    keep -= {
        i
        for t in (doc[i] for i in list(keep))
        if t.dep_ in ("npadvmod", "advmod", "prep") and (_relative_time(t) or _aside(t))
        for i in subtree_ids(t)
    }
    # a conjunction left without its conjunct ("in favour and ?")
    keep = without_dangling_cc(doc, keep)
    if fact.category == "how_many" and any(
        c.dep_ in ("advcl", "xcomp")
        and c.i not in keep
        and any(a.tag_ == "TO" for a in c.children)
        and c.i > verb.i
        for c in verb.children
    ):
        return None  # "given two weeks to leave his palace": a count without what it is for
    if _lost_scope(verb, keep, cons):
        return None
    subj_idx = sorted(
        without_dangling_cc(doc, antecedent)
        if antecedent
        else (
            prune_np(subj) - cons
            if borrowed and subj is not None
            else keep & subtree_ids(subj)
            if subj is not None
            else set()
        )
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
    extra = resolved(fact.sent)  # "He" opening the sentence, named by coref
    if extra:
        subs = {**extra, **subs}
        if subj is not None and (subj.i in extra or subj.left_edge.i in extra):
            binder = binder or "PERSON"
    if (
        not is_subject
        and not subs
        and not any(doc[i].pos_ in ("NOUN", "PROPN", "PRON", "NUM") for i in subj_idx)
    ):
        return None  # "How many years is even if forgiven?": no real subject
    if subj is not None and not is_subject and subj_idx and bare_count_noun(subj, subj_idx):
        return None  # "At what time has 6.3 earthquake struck?": its determiner was cut
    if subj is not None and not is_subject and _elliptic(subj):
        return None  # "How many people did one … kill?", "did the second in 2020 end": no noun
    if binder is None:
        binder = _binder(subj) if not is_subject else {"person": "PERSON"}.get(fact.kind, "ORG")
    wh = wh_phrase(fact, prep, cons)
    if wh is None:
        return None
    span_head = fact.answer.root.head
    if fact.category == "how_many" and (
        span_head.lower_ in SPAN_HEADS
        or (
            fact.answer.root.dep_ == "npadvmod"
            and any(c.lower_ in SPAN_HEADS for c in span_head.children)
        )
    ):
        return None  # "two years after Yonten Gyatso died": a span counted from an event
    if (
        fact.category == "where"
        and wh == "Where"
        and any(
            c.dep_ == "prep" and c.lower_ in LOCATIVE and c.i not in cons and c.i not in drop
            for c in verb.children
        )
    ):
        return None  # "Where were scenes shot at a restaurant?": two places, one question
    if prep is not None and prep.dep_ == "agent":
        # "By whom was Liberty Island designed?", "By which senator were 9 delegates followed?":
        # blind readers kept 4 of 18 questions asked for a passive's agent (the subject left
        # behind is often not what the agent acted on); the cloze keeps the sentence's order
        return None
    if prep is not None and any(
        c.dep_ == "prep" and c.lower_ == prep.lower_ and c.i in keep and not _other_role(c, fact)
        for c in verb.children
    ):
        return None  # "With which president did X meet with the IMF?": two roles, one word
    rest = sorted(keep - set(subj_idx))
    moved = sorted(move - cons)
    # a clause after the verb: a fronted phrase moved to the end would date that clause
    said_clause = any(c.dep_ in ("ccomp", "xcomp") and c.i in keep for c in verb.children)
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
            said = (
                ("ccomp", "xcomp") if verb.lemma_ in ("say", "tell") else ("ccomp", "dobj", "xcomp")
            )
            if not any(c.dep_ in said and c.i in keep for c in verb.children):
                return None  # "Who said in a statement …?", "Who told a press conference?"
        if fact.category in ("who", "where") and len(content) < 2:
            return None  # "Who wrote in a statement?" asks nothing worth knowing
        if fact.category == "where" and fact.kind in ("place", "facility"):
            return None  # a place of unknown kind doing something: likely a misread name
        question = f"{wh} {join_tokens(doc, sorted(keep), subs)}"
        if moved and said_clause:
            # "Who warned on May 20 that …", not "… over the next weeks on May 20"
            head = [i for i in sorted(keep) if i <= verb.i]
            tail_ids = [i for i in sorted(keep) if i > verb.i]
            question = " ".join(
                [
                    wh,
                    join_tokens(doc, head, subs),
                    lower_if_common(doc[moved[0]], join_tokens(doc, moved)),
                    join_tokens(doc, tail_ids, subs),
                ]
            )
        elif moved:
            question += " " + lower_if_common(doc[moved[0]], join_tokens(doc, moved))
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
            inv = {"VBD": "did", "VBZ": "does", "VBP": "do"}[tense]
            verb_text = verb.lemma_
        parts = [wh, inv, _subject_text(doc, subj_idx, subs)]
        if verb_text is not None:
            subs = {**subs, verb.i: verb_text}
        if moved and said_clause:
            parts.append(join_tokens(doc, [i for i in rest if i <= verb.i], subs))
            parts.append(lower_if_common(doc[moved[0]], join_tokens(doc, moved)))
            parts.append(join_tokens(doc, [i for i in rest if i > verb.i], subs))
        else:
            parts.append(join_tokens(doc, rest, subs))
            if moved:
                parts.append(lower_if_common(doc[moved[0]], join_tokens(doc, moved)))
        tail = rest + moved
        question = " ".join(p for p in parts if p)
        words = subj_idx + tail
    if has_pronoun(doc, [i for i in words if i not in subs], binder):
        return None
    question = re.sub(r"(?<=[a-z]{2})\.$", "", question.strip(" ,;:")) + "?"  # "legal.?"
    question = question.replace(" ?", "?").replace(",?", "?")
    n_words = len(question.split())
    if n_words < 5 or n_words > MAX_QUESTION_WORDS:
        return None
    if any(ch in question for ch in "[]{}") or question.count("(") != question.count(")"):
        return None  # editorial brackets or a cut parenthesis
    if cuts_a_word(doc, set(words)):
        return None  # "a cease" from "a cease-and-desist order"
    last = question.rstrip("?").split()[-1].lower()
    if last in ("and", "or", "but") or (prep is not None and wh.split()[0].lower() == last):
        return None  # "At what time did X arrive at?"
    if any(
        c.dep_ == "advmod" and c.i < min(cons) and c.lower_ == last and c.i in keep
        for c in verb.children
    ):
        return None  # "How many people … are there reportedly?": the adverb left trailing
    said = [i for i in words if i not in cons]
    if fact.category == "how_many" and fact.noun is not None:
        # what the wh-phrase itself says beyond its noun ("… member states in the African Union")
        conj = {i for c in fact.noun.children if c.dep_ in ("conj", "cc") for i in subtree_ids(c)}
        said += [i for i in prune_np(fact.noun) - conj if i > fact.noun.i]
    if not any(not doc[i].is_stop and not doc[i].is_punct for i in said):
        return None  # "How many passengers were there?": nothing said about the answer
    if f" {normalise(fact.text)} " in f" {normalise(question)} ":
        return None  # the answer would be given away
    measured = _measured_of(fact, cons) if fact.category == "how_many" else None
    if measured is not None and not re.search(rf"\b{re.escape(measured.text)}\b", question):
        return None  # "How much will the bank purchase?": $111 million of what
    source = _reporter(verb, cons)
    if source is None:
        return None  # a claim whose source the question cannot name
    named = normalise(_entity_text(_Clause(verb.head).subject())) if source else ""
    if not source:
        credited = _according_to(verb, cons)
        if credited is None:
            return None  # "according to …" a phrase too long to carry into the question
        if credited:
            source, named = credited, normalise(credited)
    plain = normalise(re.sub(r"['’]s\b", "", question))  # "Nikol Pashinyan's country"
    if source and f" {named} " not in f" {plain} ":
        # (a source already named in the question, "… had Greenpeace collected", "… is
        # Nikol Pashinyan's country ready to receive", stays as is)
        question = f"According to {source}, {question[:1].lower()}{question[1:]}"
        if len(question.split()) > MAX_QUESTION_WORDS + 6:
            return None
    return capitalise(question)


def _subject_text(doc: Doc, idx: list[int], subs: dict[int, str] | None = None) -> str:
    if not idx:
        return ""
    if subs and idx[0] in subs:
        return join_tokens(doc, idx, subs)
    text = join_tokens(doc, idx, subs)
    return lower_if_common(doc[idx[0]], text)
