"""Bank titles (the headline, else one made from the lead) and explanations, with the real model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.articles import Article, parse_article, read_article
from quizapp.generation.explain import explanation, leans_on_previous
from quizapp.generation.generator import parse_articles
from quizapp.generation.models import MAX_CHARS
from quizapp.generation.nlp import load_nlp
from quizapp.generation.titles import (
    MAX_TITLE_WORDS,
    bank_title,
    clause_title,
    defining_subject,
    names_title,
)

LEAD = (
    "Both Azerbaijan and the Armenian separatists in Nagorno-Karabakh expressed their "
    "willingness to continue the talks that began Thursday, the day after Baku announced its "
    "victory in a rapid military operation it launched in the disputed region for decades."
)
BODY = (
    "The talks lasted for about two hours in the city of Yevlakh, 295 kilometers west of Baku. "
    "The separatists said they were ready to continue the meetings."
)


def title_of(data: bytes, name: str) -> tuple[str, Article]:
    article = parse_article(data, name)
    (parsed,) = parse_articles([article])
    return bank_title(article, parsed.docs), article


def first_sent(text: str):
    return next(load_nlp()(text).sents)


def assert_made_title(title: str) -> None:
    """A made title is short, whole and never cut off."""
    assert "…" not in title and not title.endswith("...")
    assert 3 <= len(title.split()) <= MAX_TITLE_WORDS + 3  # + a "Topic:" lead
    assert title[0].isupper()
    assert title.split()[-1].lower() not in {"the", "a", "of", "in", "to", "and", "its", "their"}


# --- the headline when the input has one ------------------------------------------------------


def test_seed_article_gets_a_title_a_student_recognises(seed_article_path: Path) -> None:
    article = read_article(seed_article_path)
    assert article.title is None  # plain text whose first line is a sentence, not a headline
    (parsed,) = parse_articles([article])
    title = bank_title(article, parsed.docs)
    assert_made_title(title)
    assert "Azerbaijan" in title and "Armenian" in title and "talks" in title
    assert len(title.split()) <= MAX_TITLE_WORDS


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        (
            "page.html",
            "<html><head><title>Armenia and Azerbaijan hold talks - Wikinews, the free news source"
            f"</title></head><body><p>{LEAD}</p><p>{BODY}</p></body></html>",
            "Armenia and Azerbaijan hold talks",
        ),
        (
            "page.html",
            "<title>Talks in Yevlakh | BBC News</title><h1>Armenia and Azerbaijan hold talks</h1>"
            f"<p>{LEAD}</p>",
            "Armenia and Azerbaijan hold talks",
        ),
        (
            "story.md",
            f"# Armenia and Azerbaijan hold talks\n\n{LEAD}\n\n{BODY}\n",
            "Armenia and Azerbaijan hold talks",
        ),
        (
            "record.json",
            json.dumps({"title": "Armenia and Azerbaijan hold talks", "text": LEAD}),
            "Armenia and Azerbaijan hold talks",
        ),
        (
            "plain.txt",
            f"Armenia and Azerbaijan hold talks in Yevlakh\n\n{LEAD}\n{BODY}\n",
            "Armenia and Azerbaijan hold talks in Yevlakh",
        ),
        (
            "dated.txt",
            f"Thursday, September 21, 2023\n\nArmenia, Azerbaijan Hold Talks\n\n{LEAD}\n",
            "Armenia, Azerbaijan Hold Talks",
        ),
    ],
)
def test_headline_is_the_title(name: str, data: str, expected: str) -> None:
    title, article = title_of(data.encode(), name)
    assert title == expected
    texts = [article.text[s:e] for s, e in article.paragraphs]
    assert expected not in texts  # the headline is not asked about
    assert texts[0].startswith("Both Azerbaijan")


# --- made from the lead -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        f"{LEAD}\n{BODY}\n",  # plain text, no headline line
        f"Thursday, September 21, 2023\n\n{LEAD}\n\n{BODY}\n",  # a dateline first
        json.dumps({"text": f"{LEAD}\n\n{BODY}"}),  # a JSON record without a title
    ],
)
def test_title_made_from_the_lead(data: str) -> None:
    name = "record.json" if data.startswith("{") else "story.txt"
    title, article = title_of(data.encode(), name)
    assert article.title is None
    assert title == "Azerbaijan and Armenian separatists expressed willingness to continue talks"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Bruce McArthur, from Toronto, Canada, on Tuesday admitted his guilt in eight murders.",
            "Bruce McArthur admitted guilt in eight murders",
        ),
        (
            "A car bomb was on Monday rammed into a military base in Maidan Shahr in the centre "
            "of Afghanistan's Maidan Wardak province.",
            "Car bomb was rammed into military base in Maidan Shahr",
        ),
        (
            "Japanese female professional wrestler and reality television star Hana Kimura, age "
            "22, has died, wrestling promotion World Wonder Ring Stardom (Stardom) announced "
            "yesterday.",
            "Japanese wrestler and reality television star Hana Kimura has died",
        ),
        (
            "At the 57th Annual Grammy Awards in February 2015, Beyoncé was nominated for six "
            "awards.",
            "Beyoncé was nominated for six awards",
        ),
        # from read 17's titles ("Angela Merkel, Gerhard Schröder", "India: China, Japan"):
        # the clause before a semicolon, a bare preposition dropped, a reported clause
        (
            "Angela Merkel has been elected the first female chancellor of the Federal Republic "
            "of Germany; she succeeds Gerhard Schröder after his seven years as head of "
            "government.",
            "Angela Merkel has been elected chancellor",
        ),
        (
            "India's first unmanned lunar mission was launched off of the shore of Andhra "
            "Pradesh this morning.",
            "India's first unmanned lunar mission was launched",
        ),
        (
            "A report released by the US Senate Intelligence Committee yesterday concluded that "
            "the CIA misinformed the White House and Congress about its interrogation of "
            "suspected terrorists.",
            "CIA misinformed White House and Congress",
        ),
        (
            "Norwegian Police have said that the stolen Edvard Munch's The Scream and Madonna "
            "masterpiece paintings which were stolen by art thieves have been found.",
            "Stolen Edvard Munch's masterpiece paintings have been found",
        ),
        # from read 39's titles: an encyclopaedia's defining lead reads as a label; "one of …"
        # keeps its "of"; a year and a place that say which election stay
        (
            "Kevin O'Halloran was an Australian freestyle swimmer who won gold at the 1956 "
            "Summer Olympics in Melbourne.",
            "Kevin O'Halloran: Australian freestyle swimmer",
        ),
        (
            "Madeira Firecrest is a small passerine bird endemic to the island of Madeira.",
            "Madeira Firecrest: small passerine bird",
        ),
        (
            "Angela Merkel is not a member of the Social Democratic Party.",
            "Angela Merkel is not member of Social Democratic Party",
        ),
        (
            "The Javan rhinoceros is a member of the family Rhinocerotidae and one of five "
            "extant rhinoceroses.",
            "Javan rhinoceros is member of family Rhinocerotidae",
        ),
        (
            "The 1898 United States Senate election in Ohio took place in that state's "
            "legislature on January 12.",
            "1898 United States Senate election in Ohio took place",
        ),
        (
            "Joseph Priestley was an 18th-century British theologian, Dissenting clergyman, "
            "natural philosopher, educator, and political theorist who published over 150 works.",
            "Joseph Priestley: British theologian, Dissenting clergyman, natural philosopher, "
            "educator",
        ),
        ("iTunes Store is an online media store run by Apple.", "iTunes Store: online media store"),
        ("He said it would go on.", None),  # what would? not a title
        ("He won the election in Yerevan.", None),  # who did?
        ("The latter two would become part of his Paris milieu.", None),
    ],
)
def test_clause_title(sentence: str, expected: str | None) -> None:
    assert clause_title(first_sent(sentence)) == expected


def test_long_lead_is_pruned_to_whole_phrases() -> None:
    sent = first_sent(
        "Today at 10:30 BST (0930 UTC), the Supreme Court of the United Kingdom issued a ruling "
        "on the prorogation — a procedural suspension — of the Parliament of the United Kingdom "
        "until October 14."
    )
    title = clause_title(sent)
    assert title is not None and title.startswith("Supreme Court of United Kingdom issued ruling")
    assert_made_title(title)
    assert "BST" not in title and "October" not in title


def test_names_when_the_lead_has_no_clause() -> None:
    text = (
        "Nagorno-Karabakh talks.\n"
        "He met Ilham Aliyev in Baku. He later flew to Yerevan to meet Nikol Pashinyan.\n"
        "They spoke about Nagorno-Karabakh and Baku. Nagorno-Karabakh was calm.\n"
    )
    title, _ = title_of(text.encode(), "notes.txt")
    assert "…" not in title
    assert title.startswith(("Nagorno-Karabakh", "Baku"))
    assert ":" in title or "," in title


def test_file_name_when_nothing_else() -> None:
    title, _ = title_of(b"ok then\nyes no\n", "my_notes.txt")
    assert title == "my notes"


def test_overlong_headline_is_not_cut_with_an_ellipsis() -> None:
    record = {"title": "Word " * 100, "text": f"{LEAD}\n\n{BODY}"}
    title, _ = title_of(json.dumps(record).encode(), "r.json")
    assert len(title) <= MAX_CHARS["title"] and "…" not in title
    assert title.startswith("Azerbaijan")


def test_names_title_ranks_places_first() -> None:
    doc = load_nlp()("Nagorno-Karabakh is calm. Baku and Yerevan talk about Nagorno-Karabakh.")
    title = names_title([doc])
    assert title is not None and "…" not in title


# --- explanations -----------------------------------------------------------------------------

PREVIOUS = "Gegam Stepanyan announced on Thursday that the streets of Stepanakert were filled."


@pytest.mark.parametrize(
    ("second", "joined"),
    [
        ("He said people are desperately searching for each other.", True),
        ("However, Armenia has confirmed that it is not planning mass evacuations.", True),
        ("The company will close two factories in Yerevan.", True),
        ("The two men met again in Yevlakh on Friday.", True),
        ("This was the first meeting since the war ended.", True),
        ("Its streets were empty by the evening.", True),
        ("In the same context, Emmanuel Macron affirmed France's position.", True),
        ("Russian President Vladimir Putin called Ilham Aliyev on Friday.", False),
        ("The Azerbaijani presidency described the talks as constructive.", False),
    ],
)
def test_explanation_adds_the_sentence_it_leans_on(second: str, joined: bool) -> None:
    doc = load_nlp()(f"{PREVIOUS} {second}")
    sents = list(doc.sents)
    assert len(sents) == 2
    text = explanation(sents[1])
    assert leans_on_previous(sents[1]) is joined
    assert text == (f"{PREVIOUS} {second}" if joined else second)


def test_explanation_never_takes_a_dateline_or_headline_or_other_paragraph() -> None:
    nlp = load_nlp()
    first = next(nlp("He said people are desperately searching for each other.").sents)
    assert explanation(first) == first.text  # no sentence before it in its paragraph
    for before in ("Thursday, September 21, 2023.", "Armenia and Azerbaijan Hold Talks"):
        doc = nlp(f"{before}\n\nHe said people are desperately searching for each other.")
        last = list(doc.sents)[-1]
        assert leans_on_previous(last)
        assert explanation(last) == " ".join(last.text.split())


def test_explanation_is_at_most_two_sentences() -> None:
    doc = load_nlp()(
        f"{PREVIOUS} He said people were searching for relatives. They were afraid. "
        "However, he said help was coming."
    )
    for sent in doc.sents:
        assert len(list(load_nlp()(explanation(sent)).sents)) <= 2


def test_explanation_stays_one_sentence_when_two_would_be_too_long() -> None:
    long_first = "Gegam Stepanyan announced " + "that the streets were filled, " * 40 + "again."
    sents = list(load_nlp()(f"{long_first} He said people were searching.").sents)
    assert leans_on_previous(sents[-1])
    assert explanation(sents[-1]) == "He said people were searching."


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        # read 41: the parse made "Highway" an adverb and "the" of "Shadow the Hedgehog" a
        # determiner to drop; an encyclopaedia lead names its subject before "is a"
        ("Highway 61 Revisited is the sixth studio album by Bob Dylan.", "Highway 61 Revisited"),
        ("Shadow the Hedgehog is a 2005 video game developed by Sega.", "Shadow the Hedgehog"),
        (
            "The 1921 Centre vs. Harvard football game was a regular-season collegiate game.",
            "1921 Centre vs. Harvard football game",
        ),
        (
            "The white-winged fairywren (Malurus leucopterus) is a bird species in the family "
            "Maluridae.",
            "White-winged fairywren",
        ),
        ("The iTunes Store is an online media store run by Apple.", "iTunes Store"),
        ('"I Drink Wine" is a song by English singer Adele.', "I Drink Wine"),
        ("Edward the Martyr was King of the English from 975 until 978.", "Edward the Martyr"),
        ("He was a soldier in the Māori Battalion.", None),
        ("Azerbaijan expressed its willingness to continue the talks.", None),
    ],
)
def test_defining_subject(lead: str, expected: str | None) -> None:
    assert defining_subject(lead) == expected


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        # read 46's titles: a label cut inside a name, or a superlative without its "most"
        (
            "Montague Druitt (1857–1888) was a suspect in the Jack the Ripper murders that took "
            "place in London between August and November 1888.",
            "Montague Druitt",
        ),
        (
            "Blackjack is one of the most popular casino card games in the world.",
            "Blackjack",
        ),
        (
            "Kevin O'Halloran was an Australian freestyle swimmer who won gold in 1956.",
            "Kevin O'Halloran: Australian freestyle swimmer",
        ),
    ],
)
def test_a_defining_lead_keeps_its_label_only_whole(lead: str, expected: str) -> None:
    title, _ = title_of(lead.encode(), "lead.txt")
    assert title == expected


def test_an_encyclopaedia_lead_is_titled_by_its_subject() -> None:
    text = (
        "Highway 61 Revisited is the sixth studio album by the American singer-songwriter Bob "
        "Dylan, released in August 1965. Dylan used rock musicians as his backing band."
    )
    title, _ = title_of(text.encode(), "album.txt")
    assert title == "Highway 61 Revisited"
