"""A bank's title: the article's headline, or a short headline made from its lead sentence.

A made title is the lead's main clause in headline form — subject, verb and object with
determiners, dates, asides and subordinate clauses left out, and modifiers pruned (the most
deeply nested first) until at most ten words remain: "Bruce McArthur, from Toronto, Canada, on
Tuesday admitted his guilt in eight murders." gives "Bruce McArthur admitted guilt in eight
murders".  Only whole phrases are removed, so a title never ends mid-phrase and is never cut
off with "…".  When the lead has no such clause, the most-mentioned names make the title
("Nagorno-Karabakh: Azerbaijan, Armenia").
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from ..articles import Article
from .models import MAX_CHARS

MAX_TITLE_WORDS = 10
MIN_TITLE_WORDS = 3
LEAD_SENTENCES = 2  # how many sentences of the first paragraph may give the title

_SUBJECTS = ("nsubj", "nsubjpass", "expl", "csubj")
_VERB_PARTS = ("aux", "auxpass", "neg", "prt")
# A reporting verb's clause is the news: "X has died, Stardom announced" -> "X has died".
_REPORTING = frozenset(
    "say tell report announce confirm state add claim note reveal write explain conclude find "
    "show".split()
)
# Dependents a headline leaves out wherever they hang.
_ALWAYS_DROP = frozenset(
    "predet preconj advcl relcl appos parataxis punct mark meta dep intj"
    " discourse vocative npadvmod".split()
)
_TIME_ENTS = frozenset(("DATE", "TIME"))
_PRONOUNS = frozenset(
    "i you he she it we they this that these those who which someone something".split()
)
_OPEN_END_POS = frozenset(("ADP", "DET", "CCONJ", "SCONJ", "AUX", "PART", "PRON"))
_NAME_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT")


def bank_title(article: Article, docs: Sequence[Doc]) -> str:
    """The title of the bank made from ``article`` (its body paragraphs parsed into ``docs``).

    The article's headline when it has one (HTML title or h1, Markdown heading, JSON title, a
    headline first line: see :mod:`quizapp.articles`); else a headline made from the lead
    sentence; else the most-mentioned names; else the file name.  At most
    ``MAX_CHARS["title"]`` characters.
    """
    limit = MAX_CHARS["title"]
    if article.title and len(article.title) <= limit:
        return article.title
    made = lead_title(docs) or names_title(docs)
    if made and len(made) <= limit:
        return made
    stem = os.path.splitext(os.path.basename(article.name))[0].replace("_", " ").strip()
    return (stem if stem and not stem.startswith("<") else "Article")[:limit]


# --- from the lead -----------------------------------------------------------------------------


def lead_title(docs: Sequence[Doc]) -> str | None:
    """A headline of at most ten words made from the main clause of the article's lead.

    Tries the first sentences of the first paragraph that has a finite verb; None when none of
    them gives a clause with a named or nominal subject (not "He", "It") short enough.  A
    title that names nobody is led by the article's most-mentioned name ("Abaco: Level of
    destruction began to emerge").
    """
    for doc in docs:
        sents = [s for s in doc.sents if any(t.pos_ in ("VERB", "AUX") for t in s)]
        if not sents:
            continue
        for n, sent in enumerate(sents[:LEAD_SENTENCES]):
            keep = clause_tokens(sent)
            subject = defining_subject(sent.text) if n == 0 else None
            if subject is not None:
                # an encyclopaedia's lead names its subject: "Highway 61 Revisited is the sixth
                # studio album …" is about Highway 61 Revisited, however the parse went
                made = _headline(sent, keep) if keep is not None else None
                return made if made and made.startswith(f"{subject}: ") else subject
            if keep is not None:
                title = _headline(sent, keep)
                named = any(doc[i].pos_ == "PROPN" or _in_name(doc[i]) for i in keep)
                return title if named else with_topic(title, docs)
        return None
    return None


# "X is a …", "The X was the …": the lead of an encyclopaedia article, defining its subject.
# The subject is a name (capitalised or a year first), without a comma (an aside would stand
# between it and its verb), of at most eight words.
_DEFINING = re.compile(
    r"^(?:The )?((?:[A-Z0-9\"“][^\s,;:()]*)(?: [^\s,;:()]+){0,7}?)(?: \([^()]{1,80}\))? "
    r"(?:is|was|are|were) (?:an?|the|one|their|its|his|her|[A-Z]\w+) "
)


def defining_subject(text: str, *, as_written: bool = False) -> str | None:
    """The subject an encyclopaedia lead defines ("Shadow the Hedgehog" of "Shadow the
    Hedgehog is a 2005 video game …"), or None."""
    match = _DEFINING.match(text)
    if match is None:
        return None
    subject = match.group(1).strip('"“”')
    if subject.startswith("The ") and subject[4:5].islower():
        subject = subject[4:]  # "The murder of …" -> "Murder of …", "The iTunes Store" -> …
        if subject.split()[0].islower() and not as_written:
            subject = subject[:1].upper() + subject[1:]
    words = subject.split()
    if not words or (len(words) == 1 and words[0].lower() in _PRONOUNS | {"this", "it", "there"}):
        return None  # "He was …", not '"I Drink Wine" is a song …'
    if words[0].lower() in ("this", "these", "those", "it", "he", "she", "they", "there"):
        return None
    return subject


def clause_title(sent: Span) -> str | None:
    """The main clause of ``sent`` compressed to a headline, or None (see :func:`lead_title`)."""
    keep = clause_tokens(sent)
    return None if keep is None else _headline(sent, keep)


def _whole_label(doc: Doc, keep: set[int]) -> bool:
    """A label that says what it says whole (read 46's titles): not cut inside a name ("suspect
    in Jack" of "Jack the Ripper"), not a superlative without its "most" ("one of popular casino
    card games"), not a noun stripped of the name that said which ("playwright of era" of "the
    Belle Époque era")."""
    last = doc[max(keep)]
    if last.ent_iob_ in ("B", "I") and last.i + 1 < len(doc) and doc[last.i + 1].ent_iob_ == "I":
        return False
    if any(doc[i].lower_ == "one" and doc[i].pos_ == "NUM" for i in keep):
        return False
    if last.pos_ == "PROPN" and any(
        c.i not in keep and c.dep_ == "appos" and c.pos_ == "NOUN" for c in last.children
    ):
        return False  # "suspect in Jack [the Ripper murders]"
    if any(
        c.i not in keep and c.dep_ == "acl" and c.lemma_ in ("know", "call", "name", "dub")
        for c in last.children
    ):
        return False  # "playwright of era [known as the Belle Époque]"
    return not any(
        c.i not in keep and c.dep_ in ("compound", "amod") and c.pos_ == "PROPN"
        for i in keep
        for c in doc[i].children
    )


def _headline(sent: Span, keep: set[int]) -> str:
    """The kept tokens as a headline. An encyclopaedia's defining lead ("Kevin O'Halloran was
    an Australian freestyle swimmer …") reads as a label, "Kevin O'Halloran: Australian
    freestyle swimmer", not as "Kevin O'Halloran was Australian freestyle swimmer"."""
    doc = sent.doc
    root = _main_verb(sent)
    if root is not None and root.lemma_ == "be" and root.i in keep:
        subject = next((c for c in root.children if c.dep_ in _SUBJECTS), None)
        attr = next((c for c in root.children if c.dep_ == "attr"), None)
        verb_parts = {c.i for c in root.children if c.dep_ in _VERB_PARTS}
        named = subject is not None and (subject.pos_ == "PROPN" or _in_name(subject))
        if (
            named
            and attr is not None
            and attr.i in keep
            and not any(doc[i].dep_ == "neg" for i in verb_parts)
        ):
            before = {i for i in keep if i < root.i and i not in verb_parts}
            after = {i for i in keep if i > root.i}
            if (
                before
                and after
                and all(i in range(attr.left_edge.i, attr.right_edge.i + 1) for i in after)
                # the label ends on what the subject is: "American pioneer", not "suspect in
                # Jack" (of "Jack the Ripper", read 46)
                and _whole_label(doc, after)
            ):
                label = _render(doc, after)
                first = doc[min(after)].text
                if label.startswith(first[:1].upper()) and first[:1].islower():
                    label = first[:1] + label[1:]  # as written: "small …", "English actor"
                return f"{_render(doc, before)}: {label}"
    return _render(doc, keep)


def clause_tokens(sent: Span) -> set[int] | None:
    """Indices of the tokens of ``sent`` that make its headline, or None when it has none."""
    root = _main_verb(sent)
    if root is None:
        return None
    subjects = [c for c in root.children if c.dep_ in _SUBJECTS]
    if len(subjects) != 1 or _anaphoric(subjects[0]) or subjects[0].i > root.i:
        return None  # no subject, two (a misparse), "He …", or an inverted clause
    reported = root.dep_ == "ccomp" and root.head.lemma_.lower() in _REPORTING
    if any(c.dep_ == "mark" for c in root.children) and not reported:
        return None  # the "main" clause is a subordinate one: the parse went wrong
    doc = sent.doc
    keep = _clause_tokens(root, subjects[0])
    keep -= {c.i for c in root.children if c.dep_ == "mark"}  # "… said that X" -> "X"
    if subjects[0].i not in keep:
        return None
    while len(_render(doc, keep).split()) > MAX_TITLE_WORDS:
        prunable = _prunable(root, keep)
        if not prunable:
            return None
        keep = _without_bare_prepositions(doc, _connected(root, keep - prunable[0]))
    if any(doc[i].text in (";", ":") for i in range(min(keep), max(keep))):
        return None  # it straddles two clauses
    last = doc[max(keep)]
    if last.pos_ in _OPEN_END_POS and last.dep_ != "prt" and last.pos_ != "PRON":
        return None
    if not MIN_TITLE_WORDS <= len(_render(doc, keep).split()) <= MAX_TITLE_WORDS:
        return None
    return keep


def _main_verb(sent: Span) -> Token | None:
    root = sent.root
    semicolons = [t.i for t in sent if t.text == ";"]
    if semicolons and root.i > semicolons[0]:
        # "Merkel has been elected …; she succeeds Schröder": the first clause is the news
        first = [
            t
            for t in sent
            if t.i < semicolons[0]
            and t.pos_ in ("VERB", "AUX")
            and t.head.i == root.i
            and any(c.dep_ in _SUBJECTS for c in t.children)
        ]
        if first:
            root = first[0]
    if root.pos_ not in ("VERB", "AUX"):
        return None
    if root.lemma_.lower() in _REPORTING:
        for child in root.children:
            if child.dep_ == "ccomp" and any(c.dep_ in _SUBJECTS for c in child.children):
                return child
    return root


def _anaphoric(subject: Token) -> bool:
    """A subject that needs the text before it: "He", "This", "The latter two"."""
    if subject.lower_ in _PRONOUNS or subject.pos_ == "PRON":
        return True
    return any(
        t.lower_ in ("latter", "former", "this", "these", "those", "such") for t in subject.lefts
    )


def _in_name(tok: Token) -> bool:
    return tok.ent_type_ in _NAME_LABELS or tok.ent_type_ == "NORP"


def _after_comma(tok: Token) -> bool:
    left = tok.left_edge.i
    return left > 0 and tok.doc[left - 1].text in (",", "(", "—", "–", ";", ":")


def _dropped(tok: Token) -> bool:
    """Whether a dependent is left out of every headline, with everything under it."""
    dep = tok.dep_
    head = tok.head
    if dep == "det":
        return tok.lower_ not in ("no", "neither")
    if dep == "appos" and _in_name(tok) and not _after_comma(tok) and not _in_name(head):
        return False  # "reality television star Hana Kimura": the name is the news
    if _in_name(tok) and head.ent_type_ == tok.ent_type_ and dep not in ("appos", "punct"):
        return False  # a word inside a name ("University of Miami") stays
    if dep in _ALWAYS_DROP:
        return True
    if dep == "poss" and tok.pos_ == "PRON":
        return True  # "his guilt" -> "guilt"
    if dep == "advmod" and tok.lower_ not in ("not", "never", "n't"):
        return True
    if dep == "acl" and not any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        return True  # participial clauses ("known as …", "documenting …"); "plan to …" stays
    if dep in ("prep", "npadvmod") and _is_time(tok):
        return True  # "on Thursday", "at 10:30 BST", "yesterday"
    if tok.ent_type_ in _TIME_ENTS and dep not in ("pobj", "dobj", "nsubj", "nsubjpass", "attr"):
        # a year that says which one stays: "The 1898 United States Senate election in Ohio"
        return not (
            dep in ("nummod", "compound", "amod")
            and tok.like_num
            and len(tok.text) == 4
            and head.pos_ in ("NOUN", "PROPN")
        )
    if dep == "prep" and tok.lower_ in ("according", "despite", "amid", "as", "like"):
        return True
    if dep == "prep" and _after_comma(tok):
        return True  # an aside set off by commas or brackets: ", from Toronto, Canada,"
    if dep in ("conj", "cc") and head.pos_ in ("VERB", "AUX"):
        return True  # a second clause joined to the main one
    if dep in ("dobj", "attr", "pobj") and _after_comma(tok):
        return True  # "introduced House of Deréon, a … line": an appositive read as an object
    if dep == "advcl" or (dep == "ccomp" and tok.i < head.i):
        return True
    return False


def _is_time(tok: Token) -> bool:
    """A date or time phrase: its words are mostly dates, times and numbers."""
    words = [t for t in tok.subtree if not t.is_punct and t.pos_ != "ADP" and t.dep_ != "det"]
    timely = [t for t in words if t.ent_type_ in _TIME_ENTS or t.like_num]
    return (
        bool(words)
        and len(timely) * 2 >= len(words)
        and any(t.ent_type_ in _TIME_ENTS for t in words)
    )


def _clause_tokens(root: Token, subject: Token) -> set[int]:
    """The root with its verb group, subject and complements, asides left out (and what comes
    before the subject: "At the Grammy Awards, Beyoncé was nominated")."""
    keep = {root.i}
    for child in root.children:
        if child.i < subject.left_edge.i and child.dep_ not in _VERB_PARTS:
            continue
        if child.dep_ in _VERB_PARTS or _verb_rest(root, child) or not _dropped(child):
            keep |= _subtree(child)
    # Words between brackets or quotes that hold a parenthetical go whole.
    doc = root.doc
    inside = False
    for i in range(root.left_edge.i, root.right_edge.i + 1):
        if doc[i].text in "([":
            inside = True
        if inside or doc[i].text in ('"', "“", "”"):
            keep.discard(i)
        if doc[i].text in ")]":
            inside = False
    return _hyphenated(doc, _connected(root, keep))


def _verb_rest(root: Token, child: Token) -> bool:
    """'was on Monday rammed': the parser may hang the participle off the auxiliary."""
    return (
        root.pos_ == "AUX"
        and child.dep_ in ("advcl", "xcomp", "conj")
        and child.tag_ in ("VBN", "VBD", "VBG")
        and child.i > root.i
        and not any(c.dep_ in _SUBJECTS for c in child.children)
        and not any(c.dep_ in ("attr", "acomp", "dobj") for c in root.children)
    )


def _without_bare_prepositions(doc: Doc, keep: set[int]) -> set[int]:
    """A preposition whose object was pruned goes too ("launched off (of the shore)")."""
    while True:
        bare = {
            i
            for i in keep
            if doc[i].dep_ in ("prep", "agent")
            and not any(
                c.i in keep and c.dep_ in ("pobj", "pcomp", "prep") for c in doc[i].children
            )
        }
        if not bare:
            return keep
        keep = keep - bare


def _subtree(tok: Token) -> set[int]:
    out = {tok.i}
    for child in tok.children:
        if not _dropped(child):
            out |= _subtree(child)
    return out


def _connected(root: Token, keep: set[int]) -> set[int]:
    """Only the kept tokens whose every head up to the root is kept."""
    doc = root.doc
    out = set()
    for i in keep:
        tok = doc[i]
        while tok.i != root.i and tok.i in keep and tok.head.i != tok.i:
            tok = tok.head
        if tok.i == root.i:
            out.add(i)
    return out


def _hyphenated(doc: Doc, keep: set[int]) -> set[int]:
    """Whole hyphenated words: "United-States-based" is not cut to "based"."""
    out = set(keep)
    start = 0
    for i in range(1, len(doc) + 1):
        if i < len(doc) and not doc[i - 1].whitespace_ and "-" in (doc[i - 1].text, doc[i].text):
            continue
        group = range(start, i)
        if len(group) > 1 and any(j in keep for j in group if doc[j].text != "-"):
            out.update(group)
        start = i
    return out


def _prunable(root: Token, keep: set[int]) -> list[set[int]]:
    """Optional modifiers still in the title, the first to remove first: prepositional
    phrases (the most deeply nested, then the rightmost), then adjectives, then "of" phrases.
    Never a word inside a name, a preposition an adjective needs ("subject to", "guilty of")
    or the verb's only complement."""
    doc = root.doc
    found: list[tuple[float, int, int, set[int]]] = []
    verb_args = sum(c.i in keep and c.dep_ in ("prep", "dobj", "attr") for c in root.children)
    subject_words = {t.i for c in root.children if c.dep_ in _SUBJECTS for t in c.subtree}
    for i in keep:
        tok = doc[i]
        if tok.i == root.i or (_in_name(tok) and _in_name(tok.head)):
            continue
        depth = _depth(tok, root)
        if tok.dep_ == "prep" and tok.head.pos_ in ("NUM", "PRON"):
            continue  # "one of five extant rhinoceroses": "one" is nothing without it
        if tok.dep_ == "prep" and tok.head.pos_ not in ("ADJ", "VERB", "AUX"):
            tier: float = 2 if tok.lower_ == "of" and tok.head.pos_ == "NOUN" else 0
            if tier == 0 and tok.i in subject_words:
                tier = 1.5  # "election in Ohio": after the verb's phrases and adjectives
            found.append((tier, -depth, -tok.i, _subtree(tok) & keep))
        elif (
            tok.dep_ == "conj"
            and tok.head.pos_ in ("NOUN", "PROPN", "NUM")
            and tok.i not in subject_words  # "Azerbaijan and Armenian separatists" stay
        ):
            if not _in_name(tok):  # "member of family Rhinocerotidae and one of five …"
                cc = {c.i for c in tok.head.children if c.dep_ == "cc" and c.i < tok.i}
                found.append((1, -depth, -tok.i, (_subtree(tok) | cc) & keep))
        elif tok.dep_ == "prep" and tok.head.i == root.i and verb_args > 1:
            found.append((0, -depth, -tok.i, _subtree(tok) & keep))
        elif tok.dep_ == "amod" and not _in_name(tok) and tok.head.pos_ in ("NOUN", "PROPN"):
            found.append((1, -depth, -tok.i, _subtree(tok) & keep))
    found.sort(key=lambda f: f[:3])
    return [f[3] for f in found]


def _depth(tok: Token, root: Token) -> int:
    depth = 0
    while tok.i != root.i and tok.head.i != tok.i:
        tok, depth = tok.head, depth + 1
    return depth


def _starts_conjunct(doc: Doc, i: int) -> bool:
    """A comma stands before token ``i``, which opens a conjunct of a list."""
    if doc[i - 1].text != ",":
        return False
    return any(t.dep_ == "conj" and t.left_edge.i == i for t in [doc[i], *doc[i].ancestors])


def _render(doc: Doc, keep: set[int]) -> str:
    """The kept tokens in order, spaced as written where neighbours stay neighbours."""
    order = sorted(keep)
    parts: list[str] = []
    for n, i in enumerate(order):
        tok = doc[i]
        if (
            tok.is_punct
            and tok.text not in ("-", "&", "'", "’", "%", "/")
            and (n == 0 or n == len(order) - 1 or order[n - 1] != i - 1 or order[n + 1] != i + 1)
        ):
            continue  # punctuation left stranded by a removed phrase
        parts.append(tok.text)
        if n < len(order) - 1 and order[n + 1] == i + 2 and _starts_conjunct(doc, i + 2):
            parts.append(",")  # a list keeps its commas: "theologian, Dissenting clergyman"
        if n < len(order) - 1 and (tok.whitespace_ or order[n + 1] != i + 1):
            parts.append(" ")
    text = " ".join("".join(parts).split()).strip(" ,;:—–-")
    first = text.split()[0] if text else ""
    if any(c.isupper() for c in first[1:]):
        return text  # "iTunes Store", not "ITunes Store"
    return text[:1].upper() + text[1:]


# --- from the names ---------------------------------------------------------------------------

_PLACE_LABELS = ("GPE", "LOC", "FAC")
MIN_TOPIC_MENTIONS = 3


def ranked_names(docs: Sequence[Doc]) -> list[tuple[str, str, int]]:
    """(name, label, mentions) of the names the article mentions, most mentioned first (ties:
    the first named first).  A short form counts for the full name it ends: "Dorian" for
    "Hurricane Dorian", "McArthur" for "Bruce McArthur" (not "Montana" for "Montana State
    University")."""
    counts: Counter[str] = Counter()
    labels: dict[str, str] = {}
    first: dict[str, int] = {}
    for n, doc in enumerate(docs):
        for ent in doc.ents:
            if ent.label_ not in _NAME_LABELS:
                continue
            words = ent.text.split()
            if words and words[0].lower() == "the":
                words = words[1:]
            text = " ".join(words).strip(" ,.'’\"")
            if text.endswith(("'s", "’s")):
                text = text[:-2]
            if len(text) < 2 or not text[0].isupper():
                continue
            counts[text] += 1
            labels.setdefault(text, ent.label_)
            first.setdefault(text, n * 100_000 + ent.start)
    merged: Counter[str] = Counter()
    for name in sorted(counts, key=lambda k: -len(k.split())):
        longer = next((m for m in merged if _part_of(name, m)), None)
        merged[longer or name] += counts[name]
        if longer:
            first[longer] = min(first[longer], first[name])
    order = sorted(merged, key=lambda k: (-merged[k], first[k]))
    return [(name, labels[name], merged[name]) for name in order]


def _part_of(short: str, long: str) -> bool:
    words, longer = short.split(), long.split()
    return len(words) < len(longer) and longer[-len(words) :] == words


def names_title(docs: Sequence[Doc]) -> str | None:
    """ "Place: Name, Name" from the names the article mentions most, or None without names."""
    ranked = ranked_names(docs)[:3]
    if not ranked:
        return None
    place = next((n for n, label, count in ranked if label in _PLACE_LABELS and count > 1), None)
    others = [name for name, _, _ in ranked if name != place][:2]
    if place and others:
        return f"{place}: {', '.join(others)}"
    return place or ", ".join(others)


def with_topic(title: str, docs: Sequence[Doc]) -> str:
    """A title that names nobody, led by the article's most-mentioned name when it is named
    at least three times: "Abaco: Level of destruction began to emerge"."""
    ranked = ranked_names(docs)
    if not ranked or ranked[0][2] < MIN_TOPIC_MENTIONS:
        return title
    return f"{ranked[0][0]}: {title}"
