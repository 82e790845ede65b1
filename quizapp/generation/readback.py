"""Reading back what the generator wrote: the rubric's kinds (question-rubric.md) as checks.

Every candidate is read again before it may be ranked. A *reject* means a teacher would throw
the question away as written (a cloze made of a clause fragment, one that leans on a pronoun the
student cannot see, a blank cut out of a longer name, a garbled wh-question); the candidate is
dropped. A *demotion* means the question is sound but weak for the default quiz (its answer is
in the bank's title: trivial); it is kept, after the questions a teacher would pick first.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from spacy.tokens import Span

from ..answers import normalise
from ..numbers import parse_number
from .coref import resolved
from .entities import entity_span
from .facts import MONTHS, WEEKDAYS
from .fine_types import HONORIFICS, acronym
from .gazetteer import FACILITY_WORDS, ORG_WORDS, PERSON_TITLES, load_gazetteer
from .nlp import english_words
from .realise.tokens import capitalised_elsewhere

# A month's name, as a regular expression.
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)

# Reject kinds, named as in the rubric.
FRAGMENT = "fragment"
NOT_ALONE = "not alone"
CUT_NAME = "wrong key"
GARBLED = "garbled"
TRIVIAL = "trivial"

SUBORDINATE_STARTS = frozenset(
    """
    and but or nor so yet because which who whom whose that while although though if unless
    whereas since as when where than then also
    """.split()
)
# Pronouns and determiners that need an antecedent the student cannot see.
LEANING = frozenset("he she it they him her them his its their this these those".split())
DEMONSTRATIVE = frozenset("this these those".split())
# Phrases that point back to something said before ("the same effect", "that date").
LEANING_PHRASES = re.compile(
    r"\b(?:the same|that (?:date|day|time|year|decision|case|reasoning|ruling|plan|deal)|"
    r"another|the latter|"
    # "were added in the quarter", "at the end of the quarter" (read 42): which one?
    r"the (?:fiscal )?quarter(?! of|[ -]final)|"
    r"the former(?=[,.?;]| (?:was|is|had|has|said|did|were|are)\b)|"
    r"such (?:a|an) \w+|as well(?! as)|the other|the resulting|"
    r"(?<!each )(?<!among )(?<!in )(?<!no )(?<!the )other (?!than\b|words\b)(?=[a-z])|"
    r"yesterday|today|tomorrow|tonight|"
    r"last (?:week|month|year|night|weekend)|next (?:week|month|year)|"
    # a time counted from an event the student cannot see ("Napoleon abdicated 4 days later")
    r"(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|several|a few) "
    r"(?:days?|weeks?|months?|years?|hours?|minutes?) (?:later|earlier|afterwards?)|"
    r"the (?:next|following|previous|preceding) (?:day|morning|night|week|month|year)|"
    # more of, or a number of, what the student has not seen: "A further six crew", "the two
    # plates", "both names"
    r"a further|the (?:two|three|four|five|six|seven|eight|nine|ten) [a-z]+s|"
    r"both (?!of\b)[a-z]+s(?! and\b)|"
    # "The largest so far": so far as the article's day; "something" said in a quote
    r"so far|something|someone|somebody|anything|anyone|one of (?:them|these|those))\b|"
    # a picture the student cannot see; "Here, …" pointing at the sentence before
    r"\((?:pictured|left|right|above|below|shown|centre|center)\)|^Here\b|"
    # an inverted opening that continues the sentence before: "Trailing are South Korea …"
    r"^[A-Z][a-z]+ing (?:are|is|were|was)\b|"
    # a problem the sentence before described: "Compounding the problem, …"
    r"^(?:Compounding|Adding to|To make matters worse|Worse still)\b|"
    # in return, comparison or consequence of what the sentence before said
    r"^(?:In return|In comparison|By comparison|In response|As a result|In turn)\b|"
    r"\bas a result(?= *[.,?;]| *$)|"
    # "A large number are made by …": a number of what the sentence before said
    r"^(?:An?|The) (?:(?:large|small|growing|great|huge|significant) )?(?:number|majority|"
    r"minority|few|handful) (?:are|were|is|was|have|had|of (?:them|these|those)\b)",
    re.IGNORECASE,
)
# Pronunciation guides and other scripts spliced into a sentence ("(/noʊtər ˈdeɪm/)").
FOREIGN = re.compile(
    r"[\u0250-\u02FF\u0370-\u03FF\u0400-\u04FF\u3040-\u30FF\u3400-\u9FFF\uAC00-\uD7AF]|"
    r"/[^/\s]*[ˈˌː][^/]*/|\(\(|\bHepburn:"
)
# Words a wh-question keeps from its sentence that make no sense once moved: an aside ("for
# example", "by reports"), a name and its alias joined by "or" ("the 2008 Sichuan earthquake or
# the Great Sichuan earthquake"), a time word left dangling at the end ("… renewal before?").
_LEFTOVER = re.compile(
    r"\b(?:for example|for instance|by reports|back in)\b|\b(\w+) or the (?:\w+ ){0,3}\1\b|"
    r"\b(?:before|again|too|also|in addition|as well)\?$",
    re.IGNORECASE,
)
_TRAILING_PREPS = frozenset("on in at by of from with to into onto upon".split())
# An editor's mark left in ("[not in citation given]") or a word written twice ("arrived at at"),
# save the doubles English has ("had had", "that that").
_SPLICED = re.compile(r"\[|\]|\b(?!had\b|that\b)([a-z]+) \1\b")
# A sentence cut at an abbreviation by the sentence splitter ("… Op.").
CUT_AT_ABBREVIATION = re.compile(r"\b(?:Op|No|St|Dr|Mr|Mrs|Ms|Prof|Gen|Vol|pp?|vs|cf)\.$")
_HOW_MANY_LEFTOVER = re.compile(
    r"\bhow (?:many|much)\s+(?:least|most|more|less|fewer|than|a|an|about|around|dozen|"
    r"hundred|thousand|million|billion|some|nearly|almost|over|"
    r"of (?!(?:the|these|those|them|its|their|his|her|our|your|us|which)\b)\w+|"
    r"and a half|and a quarter)\b",
    re.IGNORECASE,
)
REPORTING_ENDS = frozenset(
    "say said says tell told announce announced report reported state stated add added note "
    "noted claim claimed confirm confirmed explain explained write wrote".split()
)
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
# Curly single quotes double as apostrophes, so only double quotes are counted.
_DO_SUPPORT = re.compile(r"^\W*(?:\w+\W+){0,4}?(did|does|do)\b.*\b(was|were|is|are|had|has)\b")


def _quotes_balanced(text: str) -> bool:
    if text.count('"') % 2:
        return False
    return text.count("“") == text.count("”")


def _first_word(text: str) -> str:
    match = re.match(r"\W*([\w'’-]+)", text)
    return match.group(1).lower() if match else ""


PERSONAL = frozenset("he she him his her himself herself".split())
# A quantifier standing for a group named before: "All, including X, were acquitted."
BARE_QUANTIFIERS = frozenset("all both some many most several others each neither none".split())
_BARE_ORDINALS = frozenset("first second third fourth fifth last latter former".split())
_OBJECTS = ("dobj", "dative", "iobj")
_OBJECTIVE = frozenset("him her them".split())
_COPULAS = ("aux", "auxpass", "cop")


def _clause_verb(tok) -> int:
    """The index of the head of the clause `tok` stands in: its nearest ancestor (itself
    included) that is a verb or a predicate with its copula or auxiliary ("Scriabin was
    devoted …"), else the sentence's root. A predicate without one ("made him Secretary of
    War") is no clause of its own."""
    while tok.head.i != tok.i and not (
        tok.pos_ in ("VERB", "AUX") or any(c.dep_ in _COPULAS for c in tok.children)
    ):
        tok = tok.head
    return tok.i


def _clause_mate(candidate, pronoun) -> bool:
    """Whether `candidate` cannot be what the object pronoun `pronoun` (him, her, them) means:
    it stands in the pronoun's own clause ("Roosevelt made him …", "_____ made him …"), and is
    not a possessor there ("Smith's brother hired him")."""
    if pronoun.tag_ != "PRP":
        return False
    if pronoun.lower_ not in _OBJECTIVE and not (
        pronoun.lower_ == "it" and pronoun.dep_ in _OBJECTS
    ):
        return False  # "_____ released it as the lead single": the label is not the song
    if pronoun.dep_ == "poss" or (pronoun.dep_ == "pobj" and pronoun.head.lower_ == "of"):
        return False  # "attended her first concert", "190 people, six of them crew members"
    if candidate.dep_ == "poss" or candidate.head.dep_ == "poss":
        return False
    return _clause_verb(candidate) == _clause_verb(pronoun)


def _may_name_person(t) -> bool:
    """A token that may be the person a he / she / him / her points to: a name (the small
    model often calls a person an organisation, so any proper noun), but not one that only
    modifies a common noun ("the Mongol Yuan court")."""
    head = t
    while head.dep_ == "compound" and head.head is not head:
        head = head.head
    if head is not t and head.pos_ == "NOUN":
        return False
    if t.ent_type_ in NOT_PEOPLE:
        return False  # "In late September he …": a month or a place is nobody
    if t.lower_ in ORG_WORDS:
        return False  # "the Tribunal denied his petition": an institution is nobody's "his"
    return t.ent_type_ == "PERSON" or t.pos_ == "PROPN"


# Entity types that never stand for a person (nor, but places, for "it").
NOT_PEOPLE = frozenset(
    "DATE TIME CARDINAL ORDINAL QUANTITY PERCENT MONEY GPE LOC NORP FAC EVENT LANGUAGE".split()
)
_NO_THING = frozenset("DATE TIME CARDINAL ORDINAL QUANTITY PERCENT MONEY".split())


def _binds(answer: Span, tok) -> bool:
    """The blank before a pronoun may be what it points to: a person for he / she ("_____ said
    he …"), a thing for it / they, never a number or a date ("Built in _____, it …")."""
    if tok.lower_ in PERSONAL:
        # "the _____ denied his petition" → Tribunal: an organisation's name binds no "his"
        last = answer[-1].lower_
        return last not in ORG_WORDS and any(_may_name_person(t) for t in answer)
    if (
        tok.lower_ in ("they", "them", "their", "theirs")
        and answer.root.ent_type_ == "PERSON"
        and not any(t.dep_ == "conj" for t in answer)
    ):
        return False  # "project scientist _____ said they've found …": the team, not one man
    return answer.root.pos_ in ("NOUN", "PROPN") and answer.root.ent_type_ not in _NO_THING


def _antecedent(sent: Span, tok, answer: Span | None) -> bool:
    """Whether the pronoun `tok` can find its antecedent inside the sentence: a person before
    it for he / she / his / her (or the subject right after a fronted "In her campaign, …");
    any noun before it for it / its / they / their. The blank, being unseen, binds nothing,
    unless the pronoun comes after it ("_____ said he …": the answer is the antecedent)."""
    fronted: set[int] = set()
    # "Part of the drainage basin of the Columbia River, its watershed covers …" (read 51):
    # a possessive on the subject is bound as the subject would be
    subj = tok.head if tok.dep_ == "poss" and tok.head.dep_ in ("nsubj", "nsubjpass") else tok
    if subj.dep_ in ("nsubj", "nsubjpass"):
        # "Constructed by the Suez Canal Company, it was opened …", "Born to Jean Smith, he
        # …": a fronted participle's subject is the pronoun itself, so nothing in it binds
        # "By volume of water, it is the largest lake": a fronted phrase names no antecedent
        fronted = {
            t.i
            for c in subj.head.children
            if c.i < subj.left_edge.i
            and (
                (
                    c.dep_ == "advcl"
                    # "Part of the drainage basin of …, its watershed": a verbless description
                    and (c.tag_ in ("VBN", "VBG") or c.pos_ in ("NOUN", "ADJ"))
                    and not any(d.dep_ in ("nsubj", "nsubjpass", "mark") for d in c.children)
                )
                or c.dep_ in ("prep", "npadvmod")
                # "One of the newest designations in the U.S. Highway System, it was created
                # …" (read 40): a verbless description the parse made a second subject
                or (c.dep_ in ("nsubj", "nsubjpass") and c.i != subj.i)
            )
            for t in c.subtree
        }
    if (
        answer is not None
        and answer.start < tok.i
        and answer.start not in fronted
        and _binds(answer, tok)
        and not _clause_mate(answer.root, tok)
    ):
        return True
    hidden = range(answer.start, answer.end) if answer is not None else range(0)
    before = [t for t in sent.doc[sent.start : tok.i] if t.i not in hidden and t.i not in fronted]
    if tok.dep_ in _OBJECTS:
        # "X appointed him": an object pronoun is not its own verb's subject
        subject = {
            t.i for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree
        }
        before = [t for t in before if t.i not in subject]
    # "In 1904 Theodore Roosevelt made him Secretary of War": an object pronoun is never its own
    # clause's other nominals (whatever the parse made of them), only a possessor among them
    # ("Smith's brother hired him") or something in another clause
    before = [t for t in before if not _clause_mate(t, tok)]
    if tok.tag_ == "PRP$":  # a fronted possessive: the subject that follows binds it
        subject = next((c for c in tok.sent.root.children if c.dep_ == "nsubj"), None)
        if subject is None:
            # "At the time of her murder, Qandeel Baloch, nicknamed …, had …": the parse hung
            # the subject elsewhere; the first proper-noun subject after the possessive
            after = sent.doc[tok.i + 1 : sent.end]
            subject = next((t for t in after if t.dep_ == "nsubj"), None) or next(
                # "In his WWE run …, as Luke Harper, Huber, …" (a parse with no subject at all)
                (t for t in after if t.ent_type_ == "PERSON" and t.i not in hidden),
                None,
            )
        if (
            subject is not None
            and subject.i > tok.i
            and subject.pos_ == "PROPN"
            and subject.i not in hidden
            # "Its current Secretary-General is …": a subject cannot bind its own possessive
            and not subject.left_edge.i <= tok.i <= subject.right_edge.i
        ):
            return True
    if tok.lower_ in PERSONAL:
        # a he / she put back by coref names a person; an "it" put back names a thing
        named = {i for i in resolved(sent) if sent.doc[i].lower_ in PERSONAL}
        return any(_may_name_person(t) or t.i in named for t in before)
    # "Three years earlier, in 1934, it …": a span of time is nothing "it" could mean
    things = [t for t in before if t.pos_ in ("NOUN", "PROPN") and t.ent_type_ not in _NO_THING]
    if tok.lower_ in _PLURAL:
        # "Water … is essential to life, but project scientist _____ said they've found …":
        # "they" needs something plural — or a body of people ("the company … they")
        return any(_plural_antecedent(t) for t in things)
    return bool(things)


_PLURAL = frozenset("they them their theirs".split())


def _plural_antecedent(t) -> bool:
    return (
        t.tag_ in ("NNS", "NNPS")
        or t.ent_type_ in ("ORG", "NORP", "GPE", "LANGUAGE")  # "The English … their way"
        or t.dep_ == "conj"
        or any(c.dep_ == "conj" for c in t.children)
        or t.lower_ in ORG_WORDS
        # "signed for Stardom …, joined them"; not "Water, of course, …" (a capital that only
        # opens the sentence)
        or (t.pos_ == "PROPN" and t.ent_type_ == "" and not (t.is_sent_start and _common_word(t)))
    )


# A company's figure with no company: "Revenue rose _____ to $14.4 billion", "By what percentage
# did revenue increase?" (reads 42 and 44: both failed) — whose, and for which period?
_OWNERLESS_FIGURE = re.compile(
    r"(?:^|\b(?:did|does|do|was|were|has|have|had|will) )"
    r"(?:[Rr]evenues?|[Ss]ales|[Pp]rofits?|[Nn]et (?:income|profit|loss)|[Ee]arnings|[Tt]urnover|"
    r"[Oo]perating (?:income|profit))\b(?! of\b| at\b| from\b| in [A-Z])"
)


def _another_of_this_sentence(text: str, match: re.Match) -> bool:
    """ "another" sets its noun against one the sentence itself names: "one in Australasia, and
    another in Eurasia", "in 36 states … pollution generated in another state", "A military
    coup removed X in 2006, and another his sister in 2014"."""
    before = text[: match.start()]
    if re.search(r"\bone\b", before) or re.search(r"\band\s*$", before):
        return True
    noun = re.match(r"\s+([a-z]{3,})", text[match.end() :])
    if noun is None:
        return False
    word = noun.group(1)
    words = set(re.findall(r"[a-z]+", before.lower()))
    return bool({word, word + "s", word + "es"} & words) or _stem(word) in {_stem(w) for w in words}


def leaning_phrase(text: str) -> bool:
    """A phrase that points back to what the student has not seen ("the same", "another");
    not "another" that ends the sentence's own count ("one lineage in the New World, one in
    Australasia, and another in Eurasia")."""
    if _OWNERLESS_FIGURE.search(text):
        return True
    for match in LEANING_PHRASES.finditer(text):
        if match.group().lower() == "another" and _another_of_this_sentence(text, match):
            continue
        return True
    return False


def leaning_pronoun(sent: Span, answer: Span | None = None) -> bool:
    """Whether the sentence leans on context the student cannot see: a personal or possessive
    pronoun without an antecedent in the sentence, or a demonstrative determiner ("these
    findings", "this year")."""
    named = resolved(sent)
    for tok in sent:
        low = tok.lower_
        if tok.i in named:
            continue  # "He" named by coref: the prompt says who
        if low in DEMONSTRATIVE and tok.dep_ == "det":
            return True
        if (
            low in DEMONSTRATIVE | BARE_QUANTIFIERS
            and tok.pos_ in ("PRON", "DET")
            and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
            and not any(
                c.dep_ in ("relcl", "acl") or (c.dep_ == "prep" and c.lower_ == "of")
                for c in tok.children
            )
        ):
            return True  # "these were not delegations", "All, including X, were acquitted"
        if (
            low in _BARE_ORDINALS
            and tok.dep_ in ("nsubj", "nsubjpass", "dobj")  # not "came in second with 17%"
            and tok.pos_ in ("ADJ", "NUM", "NOUN")
            and not any(c.dep_ in ("relcl", "acl", "prep") for c in tok.children)
        ):
            return True  # "The first is the price of gas" (read 41): the first of what?
        if low not in LEANING or tok.tag_ not in ("PRP", "PRP$"):
            continue
        if low == "it" and tok.dep_ in ("expl", "nsubj", "nsubjpass", "dobj") and _dummy_it(tok):
            continue
        if not _antecedent(sent, tok, answer):
            return True
    return False


def _opens_with_pronoun(prompt: str, sent: Span) -> bool:
    """A cloze cut from a longer sentence that opens with its pronoun ("It is in the collection
    of the _____ …"): whatever the pronoun meant stood in the part left out."""
    first = prompt.split()[0].strip('“"(').lower() if prompt.split() else ""
    if first not in LEANING - DEMONSTRATIVE:
        return False
    tok = next((t for t in sent if t.lower_ == first and t.tag_ in ("PRP", "PRP$")), None)
    return tok is not None and not (first == "it" and _dummy_it(tok))


# Verbs whose passive takes a dummy "it": "it was reported Baker was hospitalized".
_REPORTED = frozenset(
    "report say believe think expect fear estimate announce confirm understand know rumour "
    "rumor claim allege suggest".split()
)


def _dummy_it(tok) -> bool:
    """'It is unclear whether …', 'it was reported that …', 'called it unlikely that …': no
    antecedent needed."""
    head = tok.head
    children = list(head.children)
    if (
        head.lemma_ in _REPORTED
        and any(c.dep_ == "auxpass" for c in children)
        and any(c.dep_ == "ccomp" for c in children)
    ):
        return True  # "On September 25, it was reported Baker was hospitalized" (Wikinews)
    if tok.dep_ == "dobj":
        # "called it unlikely that the EU would finance the project"
        # (not "called it so creative that it rivals …": a result clause, and "it" the game)
        return any(
            c.dep_ in ("oprd", "acomp")
            and any(d.dep_ == "ccomp" for d in c.children)
            and not any(d.lower_ in ("so", "too", "such") for d in c.children)
            for c in children
        )
    if head.lemma_ != "be" and head.lemma_ not in ("seem", "appear", "remain", "take"):
        return False
    # "It is unclear whether …", "it seems that …"; not a participle tacked on ("It has been in
    # the collection since 1941, acquired through …": that "it" is the painting)
    return any(c.dep_ in ("ccomp", "csubj") for c in head.children) or any(
        t.tag_ == "TO" or (t.dep_ == "mark" and t.lower_ in ("that", "whether", "if"))
        for t in head.subtree
        if t.i > head.i
    )


def cut_from_name(answer: Span) -> bool:
    """The answer is part of a longer name: "_____'s Child" (Destiny's Child), "Destiny's
    _____", "the Atlantic Council's _____ headquarters"."""
    doc = answer.doc
    after = doc[answer.end] if answer.end < len(doc) else None
    before = doc[answer.start - 1] if answer.start > 0 else None
    if after is not None and after.text in ("'s", "’s") and answer.end + 1 < len(doc):
        nxt = doc[answer.end + 1]
        if nxt.text[:1].isupper() and (
            nxt.ent_iob_ == "I" and nxt.pos_ == "PROPN" or nxt.pos_ == "NOUN"
        ):
            return True  # a capitalised common noun after "'s" is part of a name
    if before is not None and before.text in ("'s", "’s") and answer.start >= 2:
        if answer[0].ent_iob_ == "I" and doc[answer.start - 2].ent_type_ == answer[0].ent_type_:
            return True
    if (
        before is not None
        and answer[0].ent_iob_ == "I"
        and before.pos_ == "PROPN"
        and before.ent_type_ == answer[0].ent_type_
        # "Superintendent _____ said" (read 48): a title the model put into the name
        and not (before.lower_.rstrip(".") in _ROLE_WORDS and answer[0].ent_type_ == "PERSON")
    ):
        return True  # the name started before the answer
    if (
        after is not None
        and after.ent_iob_ == "I"
        and after.pos_ == "PROPN"
        and after.ent_type_ == answer[-1].ent_type_
    ):
        return True  # the name goes on after it
    if (
        before is not None
        and before.pos_ == "PROPN"
        and before.dep_ == "compound"
        and answer.start <= before.head.i < answer.end
        and before.text[:1].isupper()
        and before.lower_.rstrip(".") not in _ROLE_WORDS
        and before.i != before.sent.start
    ):
        return True  # "Sakya _____", "the Master _____": a name word left outside the blank
    if (
        before is not None
        and before.text == "The"
        and not before.is_sent_start
        and answer[0].text[:1].isupper()
    ):
        return True  # "The title, The _____, refers to …" (read 48): "The Promise", cut
    if _of_a_name(answer.root):
        # "Naguib Mahfouz's Children of _____" (read 40), "Echoes of the _____", "the Order of
        # St Michael and _____" (read 48): a title cut in half
        return True
    if (
        len(answer) == 1
        and before is not None
        and before.text in ("'s", "’s")
        and doc[answer.start - 2].pos_ == "PROPN"
        and answer[0].pos_ in ("PROPN", "NOUN")
        and answer[0].text.istitle()
        and answer[0].ent_type_ != "PERSON"
        and answer[0].lower_ in english_words("noun")
    ):
        return True  # "shot at Ford's _____" (read 48): a named place's common noun
    if (
        before is not None
        and before.text in ("'s", "’s", "'", "’")
        and answer.start >= 2
        and answer[0].text[:1].isupper()
        and _bare_capital(doc[answer.start - 2])
    ):
        return True  # "Airmen's _____" (read 48): a possessive no name is part of the name
    if (
        after is not None
        and re.fullmatch(r"(?:I{1,3}|IV|VI{0,3}|IX|X{1,3})(?:/\w+)?", after.text)
        and answer[-1].text[:1].isupper()
    ):
        return True  # "in _____ I/FBS football history" (NCAA Division I), "World War _____"
    if _splits_date(answer):
        return True  # "from 28 December 1962 to 15 _____" (read 48)
    last = answer[-1]
    if last.dep_ == "compound" and last.head.i >= answer.end and last.head.pos_ == "PROPN":
        return True  # "led by _____ Member Jennifer Homendy": the blank is a word of a name
    return False


def _bare_capital(tok) -> bool:
    """A capitalised word inside its sentence that is no entity of its own ("Airmen" of "the
    Returned Sailors', Soldiers' and Airmen's Imperial League"), nor a title."""
    return (
        tok.text[:1].isupper()
        and not tok.is_sent_start
        and not tok.ent_type_
        and tok.pos_ in ("PROPN", "NOUN")
        and tok.lower_ not in _ROLE_WORDS
    )


def _of_a_name(root) -> bool:
    """`root` is the object of an "of" (through a coordination: "St Michael and St George")
    that a capitalised name word governs: "Children of …", "Echoes of the …"."""
    tok = root
    if tok.dep_ == "conj" and tok.head.pos_ == "PROPN":
        tok = tok.head
    prep = tok.head
    return (
        tok.dep_ == "pobj"
        and prep.lower_ == "of"
        and prep.i < tok.i
        and prep.head.i == prep.i - 1
        and _title_word_before_of(prep.head)
        and tok.text[:1].isupper()
    )


def _splits_date(answer: Span) -> bool:
    """The blank holds part of a date whose other part stands beside it: "15 _____" for
    January 1963, "_____ 1963" for 15 January."""
    doc = answer.doc
    before = doc[answer.start - 1] if answer.start > 0 else None
    after = doc[answer.end] if answer.end < len(doc) else None
    first, last = answer[0], answer[-1]

    def day(t) -> bool:
        return t.is_digit and 1 <= int(t.text) <= 31

    def year(t) -> bool:
        return t.is_digit and len(t.text) == 4

    if before is not None and first.lower_ in MONTHS and (day(before) or before.lower_ in MONTHS):
        return True
    if before is not None and before.lower_ in MONTHS and (day(first) or year(first)):
        return True
    if after is not None and last.lower_ in MONTHS and (day(after) or year(after)):
        return True
    return after is not None and after.lower_ in MONTHS and day(last)


def _title_word_before_of(tok) -> bool:
    """A capitalised word inside its sentence that opens a name with "of" ("Children of …",
    "Gulf of …"), not an office ("Premier of Alberta", "President of France")."""
    return (
        tok.text[:1].isupper()
        and not tok.is_sent_start
        and tok.pos_ in ("PROPN", "NOUN")
        and tok.lower_.rstrip(".") not in _ROLE_WORDS
        and tok.lower_.rstrip("s") not in _ROLE_WORDS
    )


# A key that is a list of names: "Mendips, Quantocks and Exmoor" (read 40) — the blank asks
# for three things, and any one of them would be marked wrong.
_LIST_KEY = re.compile(r"^[^,]+(?:, [^,]+)+,? (?:and|or) [^,]+$")


def given_name_only(answer: str, sent: Span) -> bool:
    """A one-word key that is the given name of a person the paragraph names in full:
    "Michael" of "Critics responded well to Michael's emotional journey" after "Michael
    Dawson" (read 40) — the key is part of a name, and the full name is not accepted."""
    key = answer.strip()
    if " " in key or not key[:1].isupper():
        return False
    # the article's full names (marked by the generator), else the paragraph's: "Wang" after
    # "Wang Dengfeng" two paragraphs before, "Edward" after "Edward the Confessor" (read 45)
    names = sent.doc.user_data.get(ARTICLE_PEOPLE) or [
        e.text for e in sent.doc.ents if e.label_ == "PERSON"
    ]
    alone, written_longer = _uses_of(sent.doc.user_data.get(ARTICLE_TEXT, sent.doc.text), key)
    if alone > 2:
        return False  # "Beyoncé", "Chopin": the name the article goes by
    return written_longer or any(
        len(name.split()) >= 2 and name.split()[0] == key and name.split()[-1] != key
        for name in names
    )


@lru_cache(maxsize=1024)
def _uses_of(text: str, key: str) -> tuple[int, bool]:
    """How often the article writes `key` alone, and whether it writes it as the first word of
    a longer name the model split ("Edward the Confessor", "Lu Jing"). Cached: every one-word
    who-key of an article asks, and the text is the whole article."""
    alone = len(re.findall(rf"(?<![\w-]){re.escape(key)}(?![\w-])(?! (?:the )?[A-Z])", text))
    longer = any(
        m.group(1).lower() not in _NOT_A_NAME
        for m in re.finditer(rf"(?<![\w-]){re.escape(key)} (?:the )?([A-Z][a-z]+)\b", text)
    )
    return alone, longer


ARTICLE_PEOPLE = "quizapp_article_people"
ARTICLE_TEXT = "quizapp_article_text"
_NOT_A_NAME = (
    ORG_WORDS
    | FACILITY_WORDS
    | frozenset(MONTHS)
    | frozenset(WEEKDAYS)
    | frozenset(("administration", "government"))
)


def list_key(answer: str) -> bool:
    """The key lists several names ("A, B and C")."""
    return bool(_LIST_KEY.match(answer.strip()))


# Words before a name that are its holder's role, not part of the name ("Board Member _____")
_ROLE_WORDS = PERSON_TITLES | HONORIFICS | frozenset("member fellow trustee anchor host".split())


# Nouns that name one thing without the article's help ("the government" of the place the
# question names, "the world", "the police").
UNIQUE_NOUNS = frozenset(
    """
    government police world public military army navy nation state
    president king queen pope parliament economy press internet sun moon earth pandemic
    weekend night year month week day century decade time election vote
    """.split()
)
# ("the war" left it too: "Who was born after the war?" under "The Red Badge of Courage",
# read 34; a war the title names still says which one)
# ("the country", "the capital", "the city", "the media", "the morning", "the evening" left
# this list: blind readers kept 10 of 35 prompts with them — which country, whose capital?)


# Nouns for a place that a place named earlier in the sentence explains ("the region").
PLACE_NOUNS = frozenset("region area enclave province island territory district".split())


# Nouns a name of one kind stands for ("the city" after "San Francisco's fire chief", "the
# company's" after "A SpaceX rocket"): a blind audit of refused drafts (read 25) kept them.
_KIND_NOUNS = {
    "ORG": frozenset(
        "company firm group airline carrier bank agency organisation organization party "
        "manufacturer maker operator broadcaster network newspaper club team band".split()
    ),
    "GPE": frozenset("city town capital country nation state village county".split()),
}


# Nouns that name one kind of thing, so "the aircraft" points back to "a passenger plane" of
# the same prompt; and parts a thing has one of, so "the engine" points back to the jet.
_KINDS = (
    frozenset("plane aircraft jet airliner helicopter flight".split()),
    frozenset("ship boat ferry vessel tanker yacht submarine".split()),
    frozenset("car truck bus vehicle van lorry".split()),
    frozenset("storm typhoon hurricane cyclone".split()),
    frozenset("earthquake quake tremor".split()),
    frozenset("fire blaze wildfire".split()),
    frozenset("company firm business".split()),
)
_PARTS = {
    "engine": _KINDS[0] | _KINDS[1] | _KINDS[2],
    "cockpit": _KINDS[0],
    "cabin": _KINDS[0] | _KINDS[1],
    "crew": _KINDS[0] | _KINDS[1],
    "pilot": _KINDS[0],
    "captain": _KINDS[0] | _KINDS[1],
    "hull": _KINDS[1],
    "driver": _KINDS[2],
}


def _introduced_before(noun, before: Span, prompt: str) -> bool:
    """ "… a passenger plane taking off … prompted the aircraft to circle": the definite points
    back to a thing of its kind (or the thing it is part of) that the prompt shows before it
    (read 51's empty bank refused every question for "the aircraft")."""
    word = noun.lemma_.lower()
    kinds = {word} | next((k for k in _KINDS if word in k), frozenset())
    wholes = _PARTS.get(word, frozenset())
    text = f" {prompt.lower()} "

    def introduced(t) -> bool:
        # "a passenger plane", not "deadline" of "deadline extension" nor "the plane"
        return t.dep_ != "compound" and any(
            c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in t.children
        )

    return any(
        t.pos_ == "NOUN"
        and t.i != noun.i
        and f" {t.lower_} " in text
        and (
            t.lemma_.lower() in kinds
            and introduced(t)
            or t.lemma_.lower() in wholes  # "the twin jet Boeing 737-800 … the engine"
        )
        for t in before
    )


def _named_before(noun, before: Span, prompt: str) -> bool:
    """Whether the words before "the <noun>" name exactly one thing of the noun's kind, shown
    in the prompt (not blanked): the definite then points back to it."""
    label = next((lab for lab, nouns in _KIND_NOUNS.items() if noun.lower_ in nouns), None)
    if label is None:
        return False
    names = {
        e.text
        for e in before.doc.ents
        if e.label_ == label
        and before.start <= e.start
        and e.end <= before.end
        # "NASA paid the company …": the verb's subject is another party than its object
        and not (e.root.head == noun.head and e.root.dep_ in ("nsubj", "nsubjpass"))
        # "Digital cameras, camcorders … but the company found": a capital that only opens the
        # sentence is no name the definite could point back to (read 38)
        and not (len(e) == 1 and e[0].is_sent_start and _common_word(e[0]))
    }
    return len(names) == 1 and next(iter(names)) in prompt


def _common_word(tok) -> bool:
    """A capitalised word that only opens its sentence and is written in lower case elsewhere
    in the paragraph ("Digital cameras …, digital music players"): no name."""
    return not capitalised_elsewhere(tok) and any(
        t.text == tok.lower_ for t in tok.doc if t.i != tok.i
    )


def _in_compound(noun: str, title_words: list[str]) -> bool:
    """A title word ends with the noun: "the quake" under "Pakistan Earthquake Toll Nears 350"
    (delta read 30 kept 4 of 4 such prompts the rule had refused)."""
    # a prefix of four letters or more ("earth-"), so "Airport" says nothing of "the port" and
    # "Train" nothing of "the rain"
    return len(noun) >= 4 and any(w.endswith(noun) and len(w) - len(noun) >= 4 for w in title_words)


def _stem(word: str) -> str:
    """A crude stem, so "crash", "crashes" and "crashed" meet, and "primary" "primaries"."""
    if word.endswith("ies") and len(word) >= 6:
        return word[:-3] + "y"
    for end in ("ings", "ing", "es", "ed", "s"):
        if word.endswith(end) and len(word) - len(end) >= 3:
            return word[: -len(end)]
    return word


def bare_definite(prompt: str, sent: Span, title: str | None = None) -> bool:
    """Whether the prompt keeps a bare definite noun phrase of its sentence ("the store", "the
    show", "the front") that points back to something only the article says: "the" and a
    common noun with nothing else to tell which one, not named in the title."""
    text = f" {prompt.lower()} "
    title_words = re.findall(r"[a-z]+", (title or "").lower())
    head_words = {_stem(w) for w in title_words}
    for tok in sent:
        if tok.lower_ != "the" or tok.dep_ != "det":
            continue
        noun = tok.head
        if noun.pos_ != "NOUN" or noun.lower_ in UNIQUE_NOUNS:
            continue
        between = sent.doc[tok.i + 1 : noun.i]
        # "the oil field", "the chartered flight": a common noun or adjective before it does
        # not say which one; a name ("the Nagorno-Karabakh conflict") does
        # "the 62-year-old author" (read 51): words inside a vague modifier ("62", "year")
        # leave it vague, unless one is a name ("the Texas-based company")
        if not all(
            _vague_modifier(t, noun)
            if t.head == noun
            else _hyphenated(t) and t.pos_ != "PROPN" and not t.text[:1].isupper()
            for t in between
        ):
            continue
        if any(
            c.i != tok.i
            and c.dep_ not in ("case", "punct")
            and c not in between
            and _shown(c, text)
            for c in noun.children
        ):
            continue  # "the store in Sydney", "the show's host": it says which (in the prompt)
        if (
            _stem(noun.lower_) in head_words
            or _stem(noun.lemma_.lower()) in head_words
            or _in_compound(noun.lower_, title_words)
        ):
            if not (noun.tag_ == "NN" and f" {noun.lower_}s " in f" {(title or '').lower()} "):
                continue  # the title says which ("the crash" under "Plane crashes in …"),
            # but a title's "banks" does not say which bank "the bank" is
        if noun.lower_ in PLACE_NOUNS and any(
            t.pos_ == "PROPN" and t.ent_type_ != "PERSON" and t.text in prompt
            for t in sent[: tok.i - sent.start]
        ):
            continue  # "… in Nagorno-Karabakh, said the region's ombudsman": named just before
        if _named_before(noun, sent[: tok.i - sent.start], prompt):
            continue  # "San Francisco's fire chief says … in the city": the one name of its kind
        if _introduced_before(noun, sent[: tok.i - sent.start], prompt):
            continue  # "a passenger plane … the aircraft", "the twin jet … the engine"
        phrase = sent.doc[tok.i + 1 : noun.i + 1].text.lower()  # "62-year-old author"
        # (only before a space: with a comma or stop after it too, the rule would have refused
        # 70 questions blind readers kept for 63 they failed, 27 of them as not alone)
        if re.search(rf" the {re.escape(phrase)}(?:[ ?]|['’]s )", text):
            return True
    return False


# Adjectives that do say which one ("the same day", "the national anthem"); an ordinal does not
# without its complement ("the first person" — to do what?)
_PICKING = frozenset("same former latter only main national federal local current".split())
# An ordinal or "only" whose complement was cut off: "… become the first woman?", "… become
# the first person at 02:56 UTC?"
_CUT_ORDINAL = re.compile(
    r"\bthe (?:first|second|third|last|only) [\w-]+(?: [\w-]+)?(?=\?| at\b| on\b| in \d)"
)
# The subject of a question is some unnamed thing: "In which region was a dormant volcano
# located?", "Which place does a 77.1-kilometre ship canal … connect?"
_INDEFINITE_SUBJECT = re.compile(
    r"^(?:[\w-]+ ){1,8}(?:did|does|do|was|were|is|are|has|have|had|will|would|can|could) "
    r"(?:an? (?!total\b|number\b|record\b|further\b|combined\b)|"
    # "In what year were three articles published?": some articles (read 51)
    r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+) [a-z]+s\b(?! of\b))",
    re.IGNORECASE,
)


def _shown(tok, text: str) -> bool:
    """The phrase a token heads is in the (lower-cased, padded) prompt: what says which one
    only helps if the question kept it ("Where was the event held?" lost "of 2005")."""
    # compared as plain words, as the prompt is: "<svg onload=alert(1)>" is "svg onload alert 1"
    plain_tokens = " ".join(re.sub(r"[^\w\s]", " ", t.lower_) for t in tok.subtree)
    words = plain_tokens.split()[:3]
    if not words:
        return True
    plain = " ".join(re.sub(r"[^\w\s]", " ", text.replace("_____", " BLANK ")).split())
    plain = f" {plain.lower()} "
    # the phrase itself, or its start running into the blank ("the second in _____")
    return f" {' '.join(words)} " in plain or any(
        f" {' '.join(words[:n])} blank " in plain for n in range(1, len(words))
    )


def _hyphenated(tok) -> bool:
    """The token is a hyphen or a part of a hyphenated word ("62-year-old")."""
    doc = tok.doc
    return (
        tok.text in ("-", "–")
        or tok.i + 1 < len(doc)
        and doc[tok.i + 1].text in ("-", "–")
        and not tok.whitespace_
        or tok.i > 0
        and doc[tok.i - 1].text in ("-", "–")
        and not doc[tok.i - 1].whitespace_
    )


def _vague_modifier(tok, noun) -> bool:
    """A word between "the" and its noun that leaves open which one is meant."""
    if tok.head != noun or tok.lower_ in _PICKING or not tok.text.islower():
        return False  # "the Democratic party": a capital names it
    return (tok.dep_ == "compound" and tok.pos_ == "NOUN") or (
        tok.dep_ == "amod" and tok.pos_ in ("ADJ", "VERB") and tok.tag_ != "JJS"
    )


# A connective set into the sentence's first clause: "Late on Thursday, however, the website
# …" answers a sentence the student has not seen.
_INSET_CONNECTIVE = re.compile(
    r"^[^,;:]{0,60}, (?:however|though|meanwhile|instead|therefore|nevertheless|nonetheless|"
    r"consequently|furthermore|moreover|in turn|in contrast|by contrast|on the other hand),",
    re.IGNORECASE,
)


# A blank that is part of a short quoted name: 'dubbed "Zrínyi _____"', '"_____ 2026"'.
_BLANK_IN_QUOTED_NAME = re.compile(r"[\"“](?:[\w'’.-]+ ){0,3}_____(?: [\w'’.-]+){0,3}[\"”]")


def cloze_reject(prompt: str, sent: Span, answer: Span) -> str | None:
    """Why a cloze item would be thrown away, or None: not a whole sentence (FRAGMENT), leaning
    on unseen context (NOT_ALONE), a blank cut out of a name (CUT_NAME)."""
    text = prompt.strip()
    if text.startswith("(_____)"):
        return GARBLED  # "(_____) acquired …": the bracketed short form of a name cut away
    opening = text.lstrip("“\"‘'(")  # a sentence may open with a quotation
    if not opening[:1].isupper() and not opening.startswith("_"):
        return FRAGMENT
    if _first_word(text) in SUBORDINATE_STARTS or _INSET_CONNECTIVE.search(text):
        return FRAGMENT
    if not SENTENCE_END.search(text) or not _quotes_balanced(text):
        return FRAGMENT
    if text.count("(") != text.count(")"):
        return FRAGMENT  # "De Nachtwacht), is a 1642 painting by _____.": cut inside brackets
    if text.rstrip(".!?\"'”’ ").endswith(":") or CUT_AT_ABBREVIATION.search(text):
        return FRAGMENT
    if re.search(r"_____['’](?=\s)", text):
        return GARBLED  # "has also received _____' probation": the key's apostrophe (read 45)
    if FOREIGN.search(text) or _SPLICED.search(text) or re.search(r"_____[+\w]", text):
        return GARBLED  # … or the blank glued to a word or sign ("the new _____+ seat jet")
    if _ATTRIBUTIVE_BLANK.search(text) and re.search(r"\d{4}$", answer.text):
        return GARBLED  # "Following a _____, release date": a date used as an adjective
    if leaning_phrase(text):
        return NOT_ALONE
    if text.startswith("_____ more "):
        return NOT_ALONE  # "_____ more rounds follow" (read 50): more than what?
    if _BLANK_AGE_OF_NOBODY.search(text):
        return NOT_ALONE  # "the _____-year-old man was located": which man? (read 49)
    quoted = _BLANK_IN_QUOTED_NAME.search(text)
    if quoted and len(quoted.group().split()) >= 2:
        return CUT_NAME  # 'dubbed "Zrínyi _____"': the blank is part of a quoted name
    if leaning_pronoun(sent, answer) or _opens_with_pronoun(text, sent):
        return NOT_ALONE
    if cut_from_name(answer):
        return CUT_NAME
    if _country_of_a_named_city(text, answer.text):
        return TRIVIAL  # "… in Colombo, _____": Sri Lanka needs no article
    if len(answer) == 1 and answer[0].is_alpha and len(answer[0].text) >= 4:
        stem = _stem(answer[0].lower_)
        if any(_stem(w) == stem for w in re.findall(r"[a-z]+", text.lower().replace("_____", ""))):
            return TRIVIAL  # "Lost City of the _____ … icon of Inca civilization": Incas
    after = sent.doc[answer.end].lower_ if answer.end < len(sent.doc) else ""
    if after in RELATIVE_AFTER and any(t.like_num or t.ent_type_ == "DATE" for t in answer):
        return NOT_ALONE  # "_____ earlier, in 1934, …": earlier than what?
    return None


# An age blanked in a definite that names nobody: "the _____-year-old man was located".
_BLANK_AGE_OF_NOBODY = re.compile(
    r"\b[Tt]he _____-(?:year|month)-old (?:[a-z]+ )?(?:man|woman|boy|girl|person|child|victim|"
    r"driver|suspect|son|daughter|father|mother)\b(?!,? [A-Z])"
)


# Words after a span of time that make it relative to something the sentence does not say.
RELATIVE_AFTER = frozenset("earlier later ago before after afterwards previously".split())


def _country_of_a_named_city(prompt: str, answer: str) -> bool:
    """The blank is a country and the prompt names one of its large cities: general knowledge."""
    gaz = load_gazetteer()
    place = gaz.lookup(answer)
    if place is None or place.kind != "country" or place.country is None:
        return False
    cities = set(gaz.cities_by_country.get(place.country, ())[:40])
    return any(city in prompt for city in cities if len(city) >= 4)


# A who-question that says nothing but an indefinite object: which one, when, of what?
# A blank between an article and the noun it describes, set off by a comma ("a July 4, 2005,
# release date" → "a _____, release date").
_ATTRIBUTIVE_BLANK = re.compile(r"\b[Aa]n? _____, [a-z]+ [a-z]+")
# A determiner "that" after a preposition points back: "return to that post", "in that year".
_THAT_NOUN = re.compile(
    r"\b(?:to|in|at|on|for|from|by|with|into|during|since|until) that "
    r"(?!(?:he|she|it|they|we|i|you|the|a|an|this|there|his|her|its|their)\b)[a-z]+"
)
# A count asked as what is left, without the moment it is counted at.
_REMAIN = re.compile(r"^How many\b.*\bremain(?:ed|s)?\?$")
_BARE_WHO = re.compile(r"^Who (?:\w+ ){1,2}(?:a|an) (?:[\w-]+ )?[\w-]+\?$")
_HABITUAL_DAY = re.compile(r"^On what (?:day|date) (?:does|do)\b")
_HOW_MANY_OTHERS = re.compile(r"\bhow many others\b", re.IGNORECASE)
# A full date standing inside a question with no preposition before it: a bracketed lifespan
# or a dated heading spliced into the clause ("was Edward 18 March 978 King", "did 17 May
# 2015 filming take place"); both such questions were failed as garbled.
_SPLICED_DATE = re.compile(
    r"(?<!\bon )(?<!\bsince )(?<!\buntil )(?<!\bfrom )(?<!\bbefore )(?<!\bafter )(?<!\bby )"
    r"(?<!\bof )(?<!\bto )(?<!\bin )(?<!\bthrough )(?<!\band )(?<!\bor )(?<!\bbetween )"
    r"(?<!\bOn )(?<=[a-z] )\d{1,2} " + _MONTHS + r" \d{3,4}\b"
)
# A verb of saying left without what was said, only a phrase after it.
_SAID_NOTHING = re.compile(
    r"\b(?:say|announce|state|claim|add)\b"
    r"(?: (?:in|on|at|during|from|after|before|through) [^?]*)?\?$"
)
# A role asked without its film or play: "Who did Nicholas Hoult play?" — he played many (read 40)
_ROLE_WITHOUT_WORK = re.compile(r"^Who (?:did|does|will|has|had) .+ (?:play|portray)\?$")


def wh_reject(prompt: str) -> str | None:
    """Why a wh-question would be thrown away, or None: do-support with a finite copula ("Did …
    was"), a list spliced in, a leaning pronoun or demonstrative left in it."""
    words = re.findall(r"[\w'’-]+", prompt.lower())
    if not words:
        return GARBLED
    if _DO_SUPPORT.search(prompt.lower()):
        return GARBLED
    if _LEFTOVER.search(prompt):
        return GARBLED
    if _HOW_MANY_LEFTOVER.search(prompt):
        return GARBLED  # "How many least a dozen people …": the number's words left behind
    if words[-1] in REPORTING_ENDS:
        return GARBLED  # "On what day did officials say?": what was said has gone
    if words[-1] in _TRAILING_PREPS:
        return GARBLED  # "Which city did the coalition forces enter on?": its object was cut
    if prompt.count(",") >= 3:
        return GARBLED  # a list or several asides spliced into one question
    if _CUT_ORDINAL.search(prompt):
        return GARBLED
    if _INDEFINITE_SUBJECT.search(prompt):
        return NOT_ALONE
    if re.match(r"^(?:Of how many|As what)\b", prompt):
        return GARBLED  # "Of how many people on board were there 35 fatalities?"
    if _BARE_WHO.search(prompt):
        return NOT_ALONE  # "Who took a defensive rebound?", "Who has ordered an inquiry?"
    if _HABITUAL_DAY.search(prompt):
        return NOT_ALONE  # "On what day does Diwali occur?": this year's day asked as every year's
    if _ROLE_WITHOUT_WORK.search(prompt):
        return NOT_ALONE
    if re.search(r" but (?!also\b)", prompt):
        return GARBLED  # "Who were Gibbs but intended for …?": a clause spliced on (read 43)
    if _SPLICED_DATE.search(prompt):
        return GARBLED  # "From what date was Edward 18 March 978 King …" (read 43)
    if _SAID_NOTHING.search(prompt) and not prompt.startswith("What "):
        return GARBLED  # "On what day did Alex Wolszczan say in a Penn State release?" (read 42)
    if re.match(r"^On which (?:company|organisation|organization)\b", prompt):
        return GARBLED  # "On which company was the album released?": a label, not a company
    if _HOW_MANY_OTHERS.search(prompt):
        return NOT_ALONE  # "How many others are missing?": others than whom?
    if _THAT_NOUN.search(prompt):
        return NOT_ALONE  # "Which defense minister will return to that post?" (read 34)
    if _REMAIN.search(prompt):
        return NOT_ALONE  # "How many shuttle missions remain?": as of when? (read 34)
    if any(w in ("this", "these", "those") for w in words[1:]) or leaning_phrase(prompt):
        return NOT_ALONE
    if FOREIGN.search(prompt) or _SPLICED.search(prompt):
        return GARBLED
    if not _quotes_balanced(prompt):
        return GARBLED
    return None


# Leaders of the largest countries are general knowledge: "Who is the President of Russia?"
_LEADER = re.compile(
    r"^Who is the (?:President|Prime Minister|Chancellor|King|Queen|Premier|Emperor|Supreme "
    r"Leader) of (?:the )?(.+)\?$"
)
WELL_KNOWN_POPULATION = 50_000_000


_SCORE = re.compile(r"(?<![\w.-])\d{1,2}[-–]\d{1,2}(?![\w.-])")


_HOW_MUCH_DID = re.compile(
    # "According to aldermen, how much does the budget close?" (a $838 million gap) too
    r"^(?:According to [^,]+, )?[Hh]ow much (?:did|does|do|will|would|has|have|had|could|can) "
    r".+ ([a-z]+)\?$"
)
# Verbs whose span of time says nothing without what it was spent on ("How many months will the
# probe spend?" of "… spend at least 15 months studying the planet").
_SPENDING = frozenset("spend spent".split())


def amount_without_measure(prompt: str, sent: Span) -> bool:
    """A how-much question that ends on its verb: "How much did Spectre earn?", "How much did
    Antigua and Barbuda sustain?", "How much will Bank of Nevada purchase?" — earned where, lost
    in what, bought what? Blind readers failed all 8 such questions; the one kept went on ("…
    spend on relief and reconstruction efforts?"). A span of time spent, likewise."""
    match = _HOW_MUCH_DID.match(prompt)
    if match is not None:
        last = match.group(1)
        return any(t.pos_ in ("VERB", "AUX") and last in (t.lower_, t.lemma_) for t in sent)
    return (
        bool(re.match(r"^How (?:many|long)\b", prompt))
        and prompt.rstrip("?").split()[-1].lower() in _SPENDING
    )


def cuts_a_score_list(prompt: str, sentence: str) -> bool:
    """The question keeps part of a list of set or game scores ("outlasted Nadal 6-4, 3-6, 6-1,
    3-6, 6-3" → "outlast Nadal 6-4"): the first set's score read as the match's."""
    scores = len(_SCORE.findall(sentence))
    return scores >= 2 and 0 < len(_SCORE.findall(prompt)) < scores


def typed_quotes(text: str) -> bool:
    """Quote marks typed as two backticks or two apostrophes ("the Pacific ``Rim of Fire.''"),
    which a question cannot keep as they stand (read 36)."""
    return "``" in text or "''" in text


def name_cut_from_its_kind(prompt: str, sent: Span, answer: str) -> bool:
    """A wh-question that keeps the words saying what kind of thing a name is but not the name
    ("the sixth studio album by Chicago rock band?" of "… by Chicago rock band Wilco", "the
    American comedy television series originally air" of "… series Parks and Recreation
    originally aired"): the kind is left without its name (read 36)."""
    text = f" {prompt.rstrip('?').strip()} "
    doc = sent.doc
    for tok in sent:
        if tok.pos_ != "NOUN" or tok.i == sent.start:
            continue
        # the name right after its kind, without a comma: an appositive ("series Parks and
        # Recreation"), or whatever the parse made of it ("band Wilco")
        names = [
            c
            for c in tok.children
            if c.dep_ == "appos" and c.pos_ == "PROPN" and c.left_edge.i == tok.i + 1
        ]
        if names:
            name = doc[names[0].left_edge.i : names[0].right_edge.i + 1].text
        elif tok.i + 1 < sent.end and doc[tok.i + 1].pos_ == "PROPN" and tok.whitespace_:
            span = entity_span(doc[tok.i + 1])
            if span.root.dep_ not in ("appos", "compound") and span.root.head.i != tok.i:
                continue  # "told local media Paweł Adamowicz's heart …": no name of "media"
            name = span.text
        else:
            continue
        words = doc[tok.i - 1 : tok.i + 1].text
        if normalise(answer) and normalise(answer) in normalise(name):
            continue  # "Who is the New Yorker music critic?": the name is what is asked
        if f" {words} " in text and f" {words} {name}" not in text:
            return True
    return False


_NAMING_VERBS = frozenset("call describe dub term label brand".split())


def bracket_spilled(prompt: str, sentence: str) -> bool:
    """Words of a bracketed aside stand in the question without their brackets: "… of
    Australia from 1965 post-war?" of "… League of Australia (the Returned & Services League
    from 1965) for fifteen years" (read 48)."""
    if "(" in prompt:
        return False
    asides = re.findall(r"\(([^()]*)\)", sentence)
    if not asides:
        return False
    outside = normalise(re.sub(r"\([^()]*\)", " ", sentence))
    shown = f" {normalise(prompt)} "
    for aside in asides:
        words = normalise(aside).split()
        for a, b in itertools.pairwise(words):
            pair = f" {a} {b} "
            if pair in shown and pair not in f" {outside} ":
                return True
    return False


def quotation_dropped(prompt: str, sent: Span) -> bool:
    """'Numismatist Mark Benvenuto called the twenty-cent piece "a chapter …"' → "Who called
    the twenty-cent piece?": what it was called has gone (read 36)."""
    if any(mark in prompt for mark in '"“”'):
        return False
    doc = sent.doc
    for tok in sent:
        if tok.lemma_ not in _NAMING_VERBS or tok.pos_ != "VERB":
            continue
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        after = obj.right_edge.i + 1 if obj is not None else tok.i + 1
        if after + 1 < len(doc) and doc[after].text in ('"', "“"):
            if doc[after + 1].lower_ in prompt.lower().split():
                return False  # what it was called is kept, without its quote marks
            return bool(re.search(rf"\b{re.escape(tok.lemma_[:4])}\w*\b", prompt.lower()))
    return False


def general_knowledge(prompt: str) -> bool:
    """A question whose answer needs no article: who leads one of the most populous countries."""
    match = _LEADER.match(prompt.strip())
    if match is None:
        return False
    place = load_gazetteer().lookup(match.group(1))
    return (
        place is not None and place.kind == "country" and place.population >= WELL_KNOWN_POPULATION
    )


def spelled_out(answer: str, text: str) -> bool:
    """An acronym key whose words the text writes out: "EADS" beside "European Aeronautic
    Defense & Space Company", "NASA" beside "National Aeronautics and Space Administration"."""
    if not (2 <= len(answer) <= 6 and answer.isupper() and answer.isalpha()):
        return False
    for run in re.findall(r"[A-Z][\w'-]*(?:\s+(?:(?:and|of|for|the|&)\s+)*[A-Z][\w'-]*)+", text):
        initials = acronym(run)
        if initials == answer or (
            len(answer) >= 3 and initials.startswith(answer) and len(initials) == len(answer) + 1
        ):
            return True  # "… Space Company (EADS)": a last word the acronym leaves out
    return False


def _same_number_in(answer: str, title: str) -> bool:
    """The key is a figure the title gives in another form ("$15bn", "5 months")."""
    if not re.search(r"\d", answer + title):
        return False
    value = parse_number(answer)
    if value is None:
        return False
    tokens = title.replace(",", "").split()
    for size in (1, 2):
        for i in range(len(tokens) - size + 1):
            piece = " ".join(tokens[i : i + size]).strip(".:;!?()\"'“”")
            if parse_number(piece) == value:
                return True
    return False


def trivial(answer: str, title: str | None) -> bool:
    """The answer (or a name's last word) stands in the bank's title: the student sees it."""
    if not title:
        return False
    key, head = normalise(answer), f" {normalise(title)} "
    if not key:
        return False
    if f" {key} " in head:
        return True
    words = key.split()
    if any(w.isdigit() and len(w) >= 2 and f" {w} " in head for w in words):
        return True  # "103 years" under "… dies aged 103", "At least 75" under "75 people …"
    stems = f" {' '.join(map(_stem, head.split()))} "
    if len(words) >= 2 and all(f" {_stem(w)} " in stems for w in words):
        return True  # "Western Jackdaws" under "Western Jackdaw"
    if _same_number_in(answer, title):
        return True  # "$15 billion" under "… order worth $15bn", "five-month" under "5 months"
    if len(words) >= 2 and len(words[-1]) > 3 and f" {words[-1]} " in head:
        return True
    if (
        len(words) >= 2
        and words[-1] in FACILITY_WORDS
        and f" {' '.join(words[:-1])} " in head
        and len(words[0]) > 3
    ):
        return True  # "Peterborough Cathedral" under "Peterborough": the title and a kind
    if spelled_out(answer, title):
        return True  # "NASA" under "National Aeronautics and Space Administration …"
    # a one-word name the title writes as its adjective: Tibet in "Sino-Tibetan relations",
    # China in "Chinese".
    return (
        len(words) == 1
        and len(key) >= 4
        and any(
            len(w) > len(key) and len(w) - len(key) <= 3 and w.startswith(key.rstrip("aey"))
            for w in head.split()
        )
    )


# A blank that is the other unit of a quantity the prompt gives: "1,500 km (_____)", or
# "_____ (3700 km)".
CONVERSION = re.compile(
    r"[\d.,]+\s*[^\W\d]+\.?\s*\(_____\)|"
    # "from 166 and 200 miles (267 and _____) per hour": the other end of a converted range
    r"\((?:[^()]*\d[^()]*_____|_____[^()]*\d)[^()]*\)|"
    r"_____(?:-| *)(?:[^\W\d]+\d?\.?\s*){0,2}\(\s*(?:about |approximately |c\. )?[\d.,]+\s*[^\W\d]+"
)


def conversion(prompt: str) -> bool:
    """Whether a cloze's blank is the conversion of a quantity the prompt shows."""
    return bool(CONVERSION.search(prompt))


# Words of a name that say what kind of thing it is, not which: "the river" in a prompt does not
# give away "Chicago River", "Chicago" does.
GENERIC_NAME_WORDS = frozenset(
    """
    river lake mount mountain island islands city county state states province district
    university college school company group party bank council church street avenue road
    national international united republic kingdom empire north south east west new great
    saint fort port bay gulf sea ocean strait canal valley park station airport bridge
    tower house hall museum centre center league club team army navy force forces
    campaign battle war treaty act festival award prize cup championship world
    """.split()
)


def answer_in_prompt(prompt: str, answer: str) -> bool:
    """A word of the key, or a word made from it, stands in the prompt: "Conway's Game of
    Life … devised by _____" → Conway; "Israeli athletes … the existence of _____" → Israel;
    "the Waterloo … in the _____" → Waterloo Campaign. The student reads the answer off."""
    key_words = [
        w
        for w in normalise(answer).split()
        if len(w) >= 4 and w.isalpha() and w not in GENERIC_NAME_WORDS
    ]
    if spelled_out(answer, prompt.replace("_____", " ")):
        return True  # "the Liberal Democratic Party or _____" → LDP
    if not key_words:
        return False
    initials = "".join(w[0] for w in answer.split() if w[:1].isupper())
    if len(initials) >= 3 and any(
        len(a) >= 2 and initials.startswith(a) for a in re.findall(r"\b[A-Z]{2,}\b", prompt)
    ):
        return True  # "the FA Cup Final … the _____" → Football Association Challenge Cup
    shown = normalise(prompt.replace("_____", " ")).split()
    return any(
        p == w or (p.startswith(w[: max(4, len(w) - 1)]) and 0 < len(p) - len(w) <= 3)
        for w in key_words
        for p in shown
    )


_YEARS = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b")
_DURATION_KEY = re.compile(
    r"^(?:(?:more|less|fewer) than |about |almost |nearly |over |some )?"
    r"(\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(years?|months?|weeks?|days?)$"
)
# "between 20 May and 21 October 1883", "from March to June": both ends of a span
_SPAN = re.compile(
    rf"\b(?:[Bb]etween|[Ff]rom)\s+(?:\d{{1,2}}\s+)?{_MONTHS}\b.{{0,40}}?\b(?:and|to|until|till)\s+"
    rf"(?:\d{{1,2}}\s+)?{_MONTHS}\b"
)


def duration_from_prompt(prompt: str, answer: str) -> bool:
    """A span of time the prompt's own dates give: "from 1949 to 1973" → 24 years; "between
    20 May and 21 October 1883" → more than 5 months."""
    key = _DURATION_KEY.match(answer.strip().lower())
    if key is None:
        return False
    if key.group(2).startswith("year"):
        if not key.group(1).isdigit():
            return False
        years = [int(y) for y in _YEARS.findall(prompt)]
        n = int(key.group(1))
        return any(abs(a - b) in (n, n - 1, n + 1) for a in years for b in years if a != b)
    return bool(_SPAN.search(prompt))


# (a comma after a number ends it: "up to 585, including …"; only ",NNN" goes on)
_DIGITS = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?!\w|,\d)|(?<![\w.,])\d+(?:\.\d+)?(?!\w|,\d)")


def sum_in_prompt(prompt: str, answer: str) -> bool:
    """The key is the sum of numbers the prompt gives: "a team of _____ people (12 from the
    bureau, 150 from the army and 22 from the hospital)" → 184. The student adds them up; or
    the difference of two ("585, including _____ confirmed and 48 probable")."""
    key = answer.split(" ")[0]
    if not re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", key):
        return False
    total = int(key.replace(",", ""))
    parts = [float(m.replace(",", "")) for m in _DIGITS.findall(prompt.replace("_____", " "))]
    numbers = [p for p in parts if p > 0][:8]
    parts = [p for p in numbers if p < total]
    if any(
        abs(sum(c) - total) < 1e-9
        for n in range(2, len(parts) + 1)
        for c in itertools.combinations(parts, n)
    ):
        return True
    # "up to 585, including _____ confirmed infections and 48 probable cases" (read 49): the
    # total less the other part
    return any(abs(a - b - total) < 1e-9 for a in numbers for b in numbers if a > total and b < a)


def country_key(answer: str) -> bool:
    """The key is a country. Blind readers kept 8 of 51 questions keyed with a country: the
    country is general knowledge (the Suez Canal in Egypt), given by the title or a place in
    the prompt (Colombo → Sri Lanka), or by the article's subject."""
    if normalise(answer) in _HOME_NATIONS:
        return True  # "Buckinghamshire, _____" → England (read 37); the gazetteer's country is
    # the United Kingdom
    place = load_gazetteer().lookup(answer)
    return place is not None and place.kind == "country"


_HOME_NATIONS = frozenset(["england", "scotland", "wales", "northern ireland"])


# Continents and oceans: where a country or island lies in one is general knowledge (read 34:
# Vanuatu "in the South Pacific", Madagascar "off the southeastern coast of Africa").
_CONTINENTS = re.compile(
    r"^(?:the )?(?:(?:north|south|east|west|central|southern|northern|eastern|western|"
    r"sub-saharan) )?(?:africa|asia|europe|america|antarctica|oceania|pacific|atlantic|"
    r"arctic|indian ocean|mediterranean|caribbean)(?: ocean| sea)?$"
)


def continent_key(answer: str) -> bool:
    """The key is a continent or an ocean ("Africa", "the South Pacific"; not South Africa), or
    the Earth itself: "returned to _____", "40.66 light-years away from _____", "_____'s
    gravity" — blind readers failed all 5 questions keyed "Earth" as trivial."""
    key = normalise(answer)
    if key in ("earth", "the earth"):
        return True
    return bool(_CONTINENTS.match(key)) and not country_key(answer)


# A blank right after a city and its comma: "Boston, _____" (Massachusetts), "Toronto, _____,
# Canada" (Ontario) — where a large city lies is general knowledge (reads 35 and 41); a small
# place's region is not ("Ichihara, _____ prefecture", "Pontoon Beach, _____": kept).
_AFTER_PLACE = re.compile(r"([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}), _____")
WELL_KNOWN_CITY = 500_000


def container_of_a_known_city(prompt: str) -> bool:
    """The blank is the region or country of a large city the prompt names just before it."""
    gaz = load_gazetteer()
    for match in _AFTER_PLACE.finditer(prompt):
        words = match.group(1).split()
        for n in range(len(words)):  # "… Stadium in Boston, _____": the longest place name
            place = gaz.lookup(" ".join(words[n:]))
            if place is not None:
                if place.kind == "city" and place.population >= WELL_KNOWN_CITY:
                    return True
                break
    return False


# A count followed by the things it counts, named one by one: "its _____ mansions, Foxdenton Hall
# and Chadderton Hall" (read 42) — the student counts the names.
_LISTED_AFTER = re.compile(
    r"_____ (?:[\w-]+ ){0,2}[\w-]+s,? (?:such as |namely |including )?"
    r"((?:[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*, )*[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*,? and "
    r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*)"
)


def count_listed(prompt: str, answer: str) -> bool:
    """The blank counts the names the prompt lists right after it."""
    match = _LISTED_AFTER.search(prompt)
    if match is None:
        return False
    count = parse_number(answer)
    names = re.split(r",? and |, ", match.group(1))
    return count is not None and count == len(names)


_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY_BESIDE = re.compile(rf"_____,? (?:and|or|to) {_DAYS}\b|\b{_DAYS},? (?:and|or|to) _____")


def day_beside_a_day(prompt: str) -> bool:
    """The blank is a day named next to the day after or before it ("_____ and Sunday"): the
    neighbour gives it away (read 34)."""
    return bool(_DAY_BESIDE.search(prompt))


def weekday_only(answer: str) -> bool:
    """The key is only a day of the week ("Monday", "on Tuesday")."""
    words = normalise(answer).split()
    return (
        bool(words)
        and words[-1] in WEEKDAYS
        and len(words) <= 2
        and words[0]
        in (
            *WEEKDAYS,
            "on",
            "last",
            "next",
        )
    )


def _initials(name: str) -> str:
    """'U.S. Geological Survey' -> 'USGS': capitalised words' initials, a dotted abbreviation's
    letters all."""
    out = []
    for word in re.split(r"[\s\-]+", name):
        if re.fullmatch(r"(?:[A-Z]\.){2,}", word):
            out.append(word.replace(".", ""))
        elif word[:1].isupper():
            out.append(word[0])
    return "".join(out)


def acronym_shown(answer: str, text: str) -> bool:
    """The key is a name whose acronym the prompt or title shows ("The _____ (USGS) said …",
    key "U.S. Geological Survey"): spelling out an acronym is general knowledge (read 51)."""
    initials = _initials(answer)
    return len(initials) >= 3 and re.search(rf"\b{re.escape(initials)}\b", text) is not None


_QUESTION_WORDS = frozenset(
    """
    the a an of in on at to for by with from and or but as was were is are be been being did
    does do had has have will would can could may might should what which who whom whose how
    many much when where year month day date decade time according
    """.split()
)


def unanchored(prompt: str, title: str | None) -> bool:
    """A wh-question with nothing to tell what it is about: no name, number or date after its
    first word, and no content word of the title ("How many inmates were killed?", "In what
    month was work abandoned?"). Blind readers kept 47 of 155 such questions (reads 9-51),
    and 58 of 101 that shared a word with the title ("Who returned as the film's production
    designer?" under a film's title)."""
    words = prompt.rstrip("?").split()[1:]
    if any(re.search(r"[A-Z0-9]", w) for w in words):
        return False
    head = {_stem(w) for w in re.findall(r"[a-z]+", (title or "").lower())}
    return not any(
        _stem(w) in head
        for w in re.findall(r"[a-z]+", prompt.lower())
        if w not in _QUESTION_WORDS and len(w) > 2
    )


_STATE_OF = re.compile(r"\b(?:U\.\s?S\.|US|American|Australian|Indian|Mexican) state of _____")


def state_of_a_feature(prompt: str) -> bool:
    """ "… Pearl Harbor, Oahu, in the US state of _____": the state a named feature lies in is
    general knowledge or read off its name (readers failed 3 of 3)."""
    return bool(_STATE_OF.search(prompt))


def abbreviation_in_brackets(prompt: str, answer: str) -> bool:
    """The blank is a short form in brackets after the name it abbreviates: "Germanium (_____)"
    (Ge), "tin (_____)" (Sn) — a symbol or acronym is general knowledge, or read off the name
    (read 51)."""
    return "(_____)" in prompt and bool(re.fullmatch(r"[A-Za-z.&]{1,6}", answer.strip()))


_GLOSS = re.compile(
    r"_____,? (?:or|also known as|meaning|literally) [\"“A-Z]|_____ \((?:or |meaning |[\"“])"
)


def glossed(prompt: str) -> bool:
    """The blank is followed by its own translation or other name: "_____, or The Garden,"
    (key "Le Jardin", read 51)."""
    return bool(_GLOSS.search(prompt))


_YEAR_BESIDE = re.compile(
    r"\b(\d{3}0s|\d{4})(?:,? (?:and|or|to|-|–)|,) _____|"
    r"_____(?:,? (?:and|or|to|-|–)|,) (\d{3}0s|\d{4})\b"
)


def year_beside_year(prompt: str, answer: str) -> bool:
    """The key is a year listed beside the year before or after it ("again in _____ and 1935",
    key 1934, read 51): the neighbour gives it away."""
    key = answer.strip()
    if re.fullmatch(r"\d{3}0s", key):  # "through the 1920s and _____" (1930s)
        step, key = 10, key[:-1]
    elif re.fullmatch(r"\d{4}", key):
        step = 1
    else:
        return False
    return any(
        abs(int((m.group(1) or m.group(2)).rstrip("s")) - int(key)) == step
        for m in _YEAR_BESIDE.finditer(prompt)
    )


def ambiguous_name(prompt: str, sent: Span, title: str | None = None) -> bool:
    """The prompt calls someone by a name word two people of the article share, and names
    neither in full: "In what month did Lee take office?" beside Lee Wan-koo and Lee Byung-kee
    (read 50). The title's person keeps the name ("Baker" under "Ginger Baker dies", whose
    daughter Nettie Baker the article also names)."""
    people = sent.doc.user_data.get(ARTICLE_PEOPLE) or []
    if len(people) < 2:
        return False
    shown = set(re.findall(r"[\w-]+", title or ""))
    for word in set(re.findall(r"\b[A-Z][\w-]{2,}\b", prompt)) - shown:
        bearers = {p for p in people if word in (p.split()[0], p.split()[-1])}
        if len(bearers) >= 2 and not any(b in prompt for b in bearers):
            return True
    return False
