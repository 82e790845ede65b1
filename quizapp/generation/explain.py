"""A question's explanation: its source sentence, and the sentence before it when it leans on it.

"He said on the X platform: …" means little alone; with the sentence before it ("… Gegam
Stepanyan … announced …") the student sees who "he" is.  A sentence leans on the one before when
it opens with a connective ("However", "But", "Also", "Afterwards"), when its subject is a
pronoun or a demonstrative ("He", "They", "This", "These"), or a definite phrase without a name
("The company", "The two", "The move", "The attack"), or when a personal pronoun comes before
any name in it.  Never more than two sentences, and never a dateline or headline as the first.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..articles import find_dateline

# Openings that continue the sentence before ("However, …"); matched on the first word(s).
CONNECTIVES = frozenset(
    (
        "however but also and yet still so thus therefore hence instead meanwhile moreover"
        " furthermore nevertheless nonetheless afterwards afterward later then besides otherwise"
        " consequently accordingly likewise similarly additionally indeed"
    ).split()
)
CONNECTIVE_PHRASES = (
    "in addition",
    "as a result",
    "after that",
    "at the same time",
    "in response",
    "in the same context",
    "in the meantime",
    "for its part",
    "for their part",
    "in turn",
    "on the other hand",
    "even so",
    "by contrast",
    "in contrast",
    "despite this",
    "because of this",
    "for this reason",
)
_PRONOUN_SUBJECTS = frozenset("he she it they we this these those that such".split())
_POSSESSIVES = frozenset("its their his her".split())
_PERSONAL = frozenset("he she they him her them his hers their theirs".split())
_DEFINITE = frozenset("the this these those that such both".split())
_NAME_LABELS = frozenset("PERSON ORG GPE LOC FAC NORP EVENT PRODUCT WORK_OF_ART".split())
_SUBJECTS = ("nsubj", "nsubjpass")
MIN_PREVIOUS_WORDS = 4
# A teacher's edit form takes 2,000 characters; two sentences longer than this stay one.
MAX_JOINED_CHARS = 1000


def explanation(sent: Span) -> str:
    """The explanation of a question made from ``sent``: the sentence itself, preceded by the
    sentence before it in the same paragraph when ``sent`` leans on it (see the module text)
    and that sentence is a whole sentence, not a dateline or headline (and the two together are
    at most ``MAX_JOINED_CHARS`` long)."""
    text = " ".join(sent.text.split())
    if not leans_on_previous(sent):
        return text
    previous = previous_sentence(sent)
    if previous is None:
        return text
    joined = f"{' '.join(previous.text.split())} {text}"
    return joined if len(joined) <= MAX_JOINED_CHARS else text


def previous_sentence(sent: Span) -> Span | None:
    """The sentence before ``sent`` in its paragraph (its Doc), when it is a whole sentence:
    a finite verb, at least four words, closing punctuation, not a dateline."""
    doc = sent.doc
    if sent.start == 0:
        return None
    previous = doc[sent.start - 1].sent
    text = previous.text.strip()
    words = [t for t in previous if not t.is_punct and not t.is_space]
    if len(words) < MIN_PREVIOUS_WORDS or find_dateline(text):
        return None
    if not text.rstrip("\"'”’)]").endswith((".", "!", "?")):
        return None  # a headline or a heading run into the paragraph
    if not any(t.pos_ in ("VERB", "AUX") for t in previous):
        return None
    return previous


def leans_on_previous(sent: Span) -> bool:
    """Whether ``sent`` cannot be understood without the sentence before it."""
    words = [t for t in sent if not t.is_punct and not t.is_space]
    if not words:
        return False
    opening = " ".join(t.lower_ for t in words[:4])
    if words[0].lower_ in CONNECTIVES or opening.startswith(CONNECTIVE_PHRASES):
        return True
    first = words[0]
    if first.lower_ in _POSSESSIVES and first.dep_ == "poss":
        return True  # "Its wind speeds reached …"
    if first.lower_ in _PRONOUN_SUBJECTS and (
        first.dep_ in _SUBJECTS or (first.dep_ == "det" and first.head.dep_ in _SUBJECTS)
    ):
        return True
    root = sent.root
    if any(_leaning_subject(c) for c in root.children if c.dep_ in _SUBJECTS):
        return True
    return _pronoun_before_name(sent)


def _leaning_subject(subject: Token) -> bool:
    """ "He", "They", "This"; or "The company", "The two", "These measures": a definite phrase
    with no name in it."""
    if subject.lower_ in _PRONOUN_SUBJECTS and subject.pos_ in ("PRON", "DET"):
        return subject.lower_ != "it" or not _expletive_it(subject)
    # the phrase up to its head noun: "The study, published in PLOS One" is "The study"
    span = subject.doc[subject.left_edge.i : subject.i + 1]
    if not span or span[0].lower_ not in _DEFINITE:
        return False
    return not any(t.pos_ == "PROPN" or t.ent_type_ in _NAME_LABELS for t in span)


def _expletive_it(tok: Token) -> bool:
    """'It is expected that …', 'It was announced …': "it" stands for the clause that follows."""
    head = tok.head
    return any(c.dep_ in ("ccomp", "csubj", "xcomp") and c.i > head.i for c in head.children)


def _pronoun_before_name(sent: Span) -> bool:
    """A personal pronoun subject that comes before any name the sentence gives it."""
    for tok in sent:
        if tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
            return False
        if tok.lower_ in _PERSONAL and tok.dep_ in _SUBJECTS:
            return True
    return False
