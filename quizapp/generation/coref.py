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

import datetime
import re
from collections.abc import Sequence

from spacy.tokens import Span

from ..answers import word_in
from .entities import NameTable, entity_span
from .gazetteer import PERSON_TITLES

RESOLVED = "quizapp_resolved"
SUBJECT_FORMS = {"he", "she"}
POSSESSIVE_FORMS = {"his", "her"}
LOOK_BACK = 2  # sentences
_TIMES = frozenset(("DATE", "TIME", "CARDINAL", "ORDINAL"))
_ARGUMENTS = frozenset(("nsubj", "nsubjpass", "dobj"))
_SUBJECTS = ("nsubj", "nsubjpass")


def _people(sent: Span, names: NameTable) -> tuple[list[str], str | None]:
    """The people a sentence names (canonical names, in order) and the one that is its
    subject, if any."""
    found: list[str] = []
    subject = None
    for ent in sent.ents:
        # the article's vote, not this mention's label: "that Natapei has lost his seat",
        # labelled an organisation here, still names the person the article calls Natapei;
        # but only a mention standing as a clause's subject or object ("Jay Z's '03 Bonnie &
        # Clyde", a work's title, is no mention of Jay Z to point back to)
        if ent.label_ != "PERSON" and (ent.label_ in _TIMES or ent.root.dep_ not in _ARGUMENTS):
            continue
        info = names.get(ent.text)
        if info is None or info.kind != "person" or not info.confident:
            continue
        doc = ent.doc
        if ent.start > 0 and doc[ent.start - 1].lower_ == "the":
            continue  # "the Novaya Gazeta": a person is not "the" anyone
        if _quoted_or_bracketed(ent):
            continue  # '"… (by Prime Minister John Key)," he warned' (read 48): not the "he"
        if info.canonical not in found:
            found.append(info.canonical)
        if ent.root.dep_ in ("nsubj", "nsubjpass") and ent.root.head.dep_ == "ROOT":
            subject = info.canonical
    if subject is None:
        # "Pamuk was the first author … Salman Rushdie. He has …": the subject, a surname the
        # model tagged as no entity, is still the one person of the article who bears it
        named = _surname_subject(sent, names)
        if named is not None:
            subject = named
            if named not in found:
                found.insert(0, named)
    return found, subject


def _quoted_or_bracketed(ent: Span) -> bool:
    """The name stands inside brackets or inside a quotation of its sentence: someone the
    speaker mentions, not whom the narrative goes on about."""
    before = ent.doc[ent.sent.start : ent.start]
    opened = sum(t.text == "(" for t in before) > sum(t.text == ")" for t in before)
    quotes = sum(t.text in ('"', "“", "”") for t in before)
    return opened or quotes % 2 == 1


def _surname_subject(sent: Span, names: NameTable) -> str | None:
    """The person whose last name the sentence's subject is, when it is a capitalised word
    outside any entity and exactly one person of the article has that last name."""
    subj = next((c for c in sent.root.children if c.dep_ in _SUBJECTS), None)
    if subj is None or subj.ent_iob_ in ("B", "I") or not subj.text[:1].isupper():
        return None
    if subj.pos_ not in ("PROPN", "NOUN") or any(c.dep_ != "punct" for c in subj.children):
        return None
    bearers = names.people_named(subj.text)
    return next(iter(bearers)) if len(bearers) == 1 else None


def _antecedent(previous: Sequence[Span], names: NameTable) -> str | None:
    for sent in reversed(previous[-LOOK_BACK:]):
        pronoun = _pronoun_subject(sent)
        if pronoun is not None:
            # "He married Mabel Scott in 1890 … In June 1901, he was arrested" (read 48): the
            # subject goes on being who the "He" before was, not the person that sentence names
            return (sent.doc.user_data.get(RESOLVED) or {}).get(pronoun.i)
        people, subject = _people(sent, names)
        if len(people) == 1:
            return people[0]
        if people:
            return subject  # several people: the subject, or nobody
    return None


def _pronoun_subject(sent: Span):
    """A "he" or "she" that is a clause's subject in the sentence (the main clause's, or any:
    "In letters to Woyciechowski, he indicated …; his letter … revealed …" goes on about
    him, not Woyciechowski)."""
    subject = next((c for c in sent.root.children if c.dep_ in _SUBJECTS), None)
    if subject is not None and subject.lower_ in SUBJECT_FORMS:
        return subject
    return next((t for t in sent if t.dep_ in _SUBJECTS and t.lower_ in SUBJECT_FORMS), None)


def _main_subject_pronoun(sent: Span) -> tuple[str, int] | None:
    """("subject" | "possessive", token index) of a He / She / It (or His / Her / Its on the
    subject) that is the main clause's subject, with no name before it in the sentence ("A
    child prodigy, he completed …" counts; "After Smith left, he …" does not)."""
    root = sent.root
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return None
    if subject.lower_ in SUBJECT_FORMS | {"it"}:
        found = ("subject", subject.i)
    else:
        poss = next((c for c in subject.children if c.dep_ == "poss"), None)
        if poss is None or poss.lower_ not in POSSESSIVE_FORMS | {"its"}:
            return None
        found = ("possessive", poss.i)
    before = sent.doc[sent.start : found[1]]
    if any((t.ent_type_ or t.pos_ == "PROPN") and t.ent_type_ not in _TIMES for t in before):
        return None  # a name before it might be whom it means; a date ("In June 1889") not

    return found


def resolve(
    paragraphs: Sequence[Sequence[Span]], names: NameTable, title: str | None = None
) -> int:
    """Mark resolvable main-clause subject pronouns in every sentence of the paragraphs (each
    a list of sentences, in order); returns how many were resolved. He / She: the person the
    sentences just before name (see the module). When they name nobody, a title that is a
    person's name ("Beyoncé", an encyclopaedia article about her) is the antecedent; "It" is
    resolved only to such a title topic that is a place or organisation ("Montana"), and only
    while the sentence before was about the topic too (its subject the topic or "it")."""
    topic = names.get(title.strip()) if title else None
    headline = _headline_person(title, names) if topic is None and title else None
    if headline is not None:
        topic = headline
    if topic is None and title and len(title.split()) >= 2:
        # "Srinivasa Ramanujan" over a paragraph that calls him "Ramanujan"
        last = names.get(title.split()[-1])
        topic = last if last is not None and last.kind == "person" else None
    fallback = topic.canonical if topic and topic.confident else None
    if (
        topic is not None
        and title
        and topic.kind == "person"
        and len(title.split()) >= 2
        and headline is None
    ):
        fallback = title.strip()  # the title is the person's name as an encyclopaedia gives it
    topic_kind = topic.kind if topic else None
    if topic_kind == "person" and title and _opens_with_the(paragraphs, title.strip()):
        # "The Branford Steam Railroad is a 7.2-mile … railroad" (read 51): a person is never
        # "the" anyone, whatever the model's vote; its "It was founded …" is the railroad
        fallback, topic_kind = "the " + title.strip(), "thing"
    if topic_kind != "person" and title and _opens_with_lifespan(paragraphs, title.strip()):
        # "Alec Douglas-Home (1903–95) was …": a person, whatever the vote made of "Home"
        fallback, topic_kind = title.strip(), "person"
    if topic is None and title and _opens_with(paragraphs, title.strip()):
        # "The Starry Night is an oil on canvas …": no name the model knows, but the title
        # is what the article's first sentence is about, so its "It …" is the title too;
        # "Poppy Meadow is a fictional character …" (read 41) defines a person, whose "She …"
        # is she, not the actress the sentence names
        fallback = title.strip()
        topic_kind = "person" if _defines_a_person(paragraphs) else "thing"
    count = 0
    previous: list[Span] = []
    about_topic = False
    for sentences in paragraphs:
        for sent in sentences:
            found = _main_subject_pronoun(sent)
            name = None
            if found is not None:
                form, index = found
                low = sent.doc[index].lower_
                if low in ("it", "its"):
                    if about_topic and fallback and topic_kind != "person":
                        name = fallback
                elif topic_kind == "person" and fallback:
                    # an article about a person: "he" is the person, unless the sentence
                    # before had someone else as its subject ("… wrote to Hardy. He …" after
                    # "according to Hans Eysenck" is still Ramanujan)
                    other = _previous_subject(previous, names, fallback)
                    name = other if other is not None else fallback
                else:
                    name = _antecedent(previous, names)
                if name is not None and not _named_in(sent, name, names):
                    text = name
                    if low in ("it", "its") and _with_article(name, paragraphs):
                        # lower case: a cloze capitalises its first letter, and a question
                        # moves the subject inside ("In what year was the Flag of Canada …")
                        text = "the " + name
                    text = text if form == "subject" else f"{text}'s"
                    sent.doc.user_data.setdefault(RESOLVED, {})[index] = text
                    count += 1
                else:
                    name = None
            about_topic = fallback is not None and (
                name == fallback
                or _subject_is(sent, fallback, names)
                or (about_topic and found is not None and sent.doc[found[1]].lower_ == "it")
            )
            previous.append(sent)
    return count


def _headline_person(title: str, names: NameTable):
    """The one person a news headline names in full ("Japanese wrestler Hana Kimura dies aged
    22"): whom the story's "she" is about when the sentences before name nobody."""
    found = {
        info.canonical: info
        for info in names.infos.values()
        if info.kind == "person"
        and info.confident
        and " " in info.canonical
        and word_in(info.canonical, title)
    }
    return next(iter(found.values())) if len(found) == 1 else None


def _with_article(name: str, paragraphs: Sequence[Sequence[Span]]) -> bool:
    """The article writes the topic with "the" before it ("The Eiffel Tower is …", title
    "Eiffel Tower"), so a pronoun put back by it needs one too."""
    if name.lower().startswith("the "):
        return False
    text = " ".join(s.text for sents in paragraphs for s in sents)
    return f"the {name.lower()}" in text.lower()


_LIFESPAN = re.compile(r"\s*\((?:born |b\. )?[^()]{0,40}?\b\d{3,4}\b[^()]{0,40}\)")


def _opens_with_lifespan(paragraphs: Sequence[Sequence[Span]], title: str) -> bool:
    """The first sentence opens with the title and its years in brackets, as an encyclopaedia
    opens a life ("William T. Stearn (16 April 1911 – 9 May 2001) was …")."""
    first = next((sents[0] for sents in paragraphs if sents), None)
    if first is None or not first.text.startswith(title):
        return False
    return bool(_LIFESPAN.match(first.text[len(title) :]))


def _opens_with(paragraphs: Sequence[Sequence[Span]], title: str) -> bool:
    """The first sentence's subject is the title, word for word ("The Starry Night is …")."""
    first = next((sents[0] for sents in paragraphs if sents), None)
    if first is None:
        return False
    subject = next((c for c in first.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return False
    words = first.doc[subject.left_edge.i : subject.right_edge.i + 1].text
    return _plain(words) == _plain(title) and first.root.lemma_ == "be"


def _opens_with_the(paragraphs: Sequence[Sequence[Span]], title: str) -> bool:
    """The first sentence defines the title, written with "the" before it ("The Branford
    Steam Railroad is …"), as no person is, and does not call it a person."""
    first = next((sents[0] for sents in paragraphs if sents), None)
    return (
        first is not None
        and first.text.lower().startswith(f"the {title.lower()} ")
        and _opens_with(paragraphs, title)
        and not _defines_a_person(paragraphs)
    )


def _plain(text: str) -> str:
    """A subject as compared with a topic: lower case, without a leading "the" or a bracketed
    aside ("The barn owl (Tyto alba)" is "barn owl")."""
    text = re.sub(r"\s*\([^()]*\)", "", text.lower()).strip().strip('"“”‘’')
    return text[4:] if text.startswith("the ") else text


# Nouns that make what a first sentence defines a person ("X is a fictional character").
_PERSON_NOUNS = PERSON_TITLES | frozenset(
    """
    character person man woman boy girl figure musician poet painter novelist writer
    politician footballer cricketer athlete swimmer soldier pioneer explorer monarch saint
    businessman businesswoman entrepreneur philosopher theologian composer rapper comedian
    """.split()
)


def _defines_a_person(paragraphs: Sequence[Sequence[Span]]) -> bool:
    """The first sentence says its subject is a person: "… is a fictional character"."""
    first = next((sents[0] for sents in paragraphs if sents), None)
    if first is None:
        return False
    attr = next((c for c in first.root.children if c.dep_ == "attr"), None)
    return attr is not None and attr.lemma_.lower() in _PERSON_NOUNS


def _previous_subject(
    previous: Sequence[Span], names: NameTable, topic: str | None = None
) -> str | None:
    """The person the nearest sentence before that names anyone has as its subject, if any;
    None too when that sentence's subject is a word of the topic's name ("Home was chosen to
    succeed him. He was criticised …" under "Alec Douglas-Home": he is the topic)."""
    topic_words = set(re.split(r"[\s-]+", topic)) if topic else set()
    for sent in reversed(previous[-LOOK_BACK:]):
        subject_tok = next((c for c in sent.root.children if c.dep_ in _SUBJECTS), None)
        if subject_tok is not None and subject_tok.text in topic_words:
            return None
        people, subject = _people(sent, names)
        if people:
            return subject
    return None


def _subject_is(sent: Span, name: str, names: NameTable) -> bool:
    subject = next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return False
    if _plain(sent.doc[subject.left_edge.i : subject.right_edge.i + 1].text) == _plain(name):
        return True
    info = names.get(entity_span(subject).text)
    return info is not None and info.canonical == name


def _people_in(previous: Sequence[Span]) -> bool:
    return any(ent.label_ == "PERSON" for sent in previous[-LOOK_BACK:] for ent in sent.ents)


def _named_in(sent: Span, name: str, names: NameTable) -> bool:
    """The person is also named in the sentence itself: "He" is then someone else, or the
    sentence is about two people; either way, no guess."""
    for ent in sent.ents:
        info = names.get(ent.text)
        if info is not None and info.canonical == name:
            return True
    return False


RELATIVE_DAYS = {"yesterday": -1, "today": 0, "tomorrow": 1}


def resolve_relative_days(docs: Sequence, published: datetime.date | None) -> int:
    """With the article's date known, "yesterday" / "today" / "tomorrow" become the date they
    name ("on January 13, 2019"), so a sentence that holds one can stand alone; without it
    they stay, and the readback rejects what leans on them. Returns how many were named."""
    if published is None:
        return 0
    count = 0
    for doc in docs:
        for tok in doc:
            shift = RELATIVE_DAYS.get(tok.lower_)
            if shift is None or tok.dep_ not in ("npadvmod", "advmod", "pobj", "tmod"):
                continue
            day = published + datetime.timedelta(days=shift)
            date = f"{day:%B} {day.day}, {day.year}"
            after_prep = tok.i > 0 and doc[tok.i - 1].pos_ == "ADP"
            text = date if after_prep else f"on {date}"
            if tok.is_sent_start:
                text = text[:1].upper() + text[1:]
            doc.user_data.setdefault(RESOLVED, {})[tok.i] = text
            count += 1
    return count


def resolved(sent: Span) -> dict[int, str]:
    """The resolutions inside one sentence: {token index: replacement}."""
    found = sent.doc.user_data.get(RESOLVED) or {}
    return {i: text for i, text in found.items() if sent.start <= i < sent.end}
