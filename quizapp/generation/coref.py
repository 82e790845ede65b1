"""Resolving a sentence-opening "He" / "She" / "His" / "Her" to the person it names, so the
sentence can be asked about on its own ("He was arrested in Toronto" after "Police charged
Bruce McArthur …" -> "Bruce McArthur was arrested in Toronto").

Deliberately narrow: only a pronoun that opens the sentence as its subject (or as the subject's
possessive), and only when the sentences just before name exactly one person, or name several
but one of them is their subject. Anything less certain stays unresolved, and the readback
keeps rejecting what leans on it. Resolutions are kept in ``doc.user_data[RESOLVED]`` as
{token index: replacement text}; the realiser and the cloze writer read them from there.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span

from .entities import NameTable, entity_span

RESOLVED = "quizapp_resolved"
SUBJECT_FORMS = {"he", "she"}
POSSESSIVE_FORMS = {"his", "her"}
LOOK_BACK = 2  # sentences


def _people(sent: Span, names: NameTable) -> tuple[list[str], str | None]:
    """The people a sentence names (canonical names, in order) and the one that is its
    subject, if any."""
    found: list[str] = []
    subject = None
    for ent in sent.ents:
        if ent.label_ != "PERSON":
            continue
        info = names.get(ent.text)
        if info is None or info.kind != "person" or not info.confident:
            continue
        if info.canonical not in found:
            found.append(info.canonical)
        if ent.root.dep_ in ("nsubj", "nsubjpass") and ent.root.head.dep_ == "ROOT":
            subject = info.canonical
    return found, subject


def _antecedent(previous: Sequence[Span], names: NameTable) -> str | None:
    for sent in reversed(previous[-LOOK_BACK:]):
        people, subject = _people(sent, names)
        if len(people) == 1:
            return people[0]
        if people:
            return subject  # several people: the subject, or nobody
    return None


def resolve(
    paragraphs: Sequence[Sequence[Span]], names: NameTable, title: str | None = None
) -> int:
    """Mark resolvable sentence-opening pronouns in every sentence of the paragraphs (each a
    list of sentences, in order); returns how many were resolved. When the sentences before
    name nobody, a title that is a person's name ("Beyoncé", an encyclopaedia article about
    her) is the antecedent."""
    topic = names.get(title.strip()) if title else None
    fallback = topic.canonical if topic and topic.kind == "person" and topic.confident else None
    count = 0
    previous: list[Span] = []
    for sentences in paragraphs:
        for sent in sentences:
            first = sent[0]
            low = first.lower_
            target = None
            if low in SUBJECT_FORMS and first.dep_ in ("nsubj", "nsubjpass"):
                target = "subject"
            elif low in POSSESSIVE_FORMS and first.dep_ == "poss":
                owner = first.head
                if owner.dep_ in ("nsubj", "nsubjpass"):
                    target = "possessive"
            if target is not None:
                name = _antecedent(previous, names) or (
                    fallback if not _people_in(previous) else None
                )
                if name is not None and not _named_in(sent, name, names):
                    text = name if target == "subject" else f"{name}'s"
                    sent.doc.user_data.setdefault(RESOLVED, {})[first.i] = text
                    count += 1
            previous.append(sent)
    return count


def _people_in(previous: Sequence[Span]) -> bool:
    return any(ent.label_ == "PERSON" for sent in previous[-LOOK_BACK:] for ent in sent.ents)


def _named_in(sent: Span, name: str, names: NameTable) -> bool:
    """The person is also named in the sentence itself: "He" is then someone else, or the
    sentence is about two people; either way, no guess."""
    for ent in sent.ents:
        info = names.get(entity_span(ent.root).text)
        if info is not None and info.canonical == name:
            return True
    return False


def resolved(sent: Span) -> dict[int, str]:
    """The resolutions inside one sentence: {token index: replacement}."""
    found = sent.doc.user_data.get(RESOLVED) or {}
    return {i: text for i, text in found.items() if sent.start <= i < sent.end}
