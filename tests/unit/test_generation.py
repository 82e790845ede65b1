"""The generator with the real spaCy model: sentence -> question cases, filters, label repair."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from quizapp.answers import normalise
from quizapp.articles import parse_article, read_article
from quizapp.banks import validate_bank
from quizapp.generation import generate_bank, question_id
from quizapp.generation.entities import NameTable, repair_spans
from quizapp.generation.generator import parse_articles
from quizapp.generation.nlp import load_nlp
from quizapp.numbers import parse_number


@cache
def bank_for(text: str, title: str | None = None):
    """The bank of `text`; with a `title`, as a JSON record with that headline (a headline
    says which "charity" or "explosion" the sentence's "the charity" is)."""
    if title is None:
        return generate_bank(parse_article(text.encode("utf-8"), "case.txt", "txt"))
    record = json.dumps({"title": title, "text": text}).encode("utf-8")
    return generate_bank(parse_article(record, "case.json", "json"))


def wh_questions(text: str) -> dict[str, tuple[str, str]]:
    """prompt -> (category, answer) of the real questions (not cloze) made from `text`, an
    article whose headline is the sentence itself."""
    bank = bank_for(text, title=text)
    return {q.prompt: (q.category, q.answer) for q in bank.held if q.format != "cloze"}


# sentence, expected question, category, answer
CASES = [
    # passive with an auxiliary: the auxiliary is inverted; a place after "in" -> typed place
    (
        "The talks were held in Yevlakh on Thursday, officials said.",
        "According to officials, in which city were the talks held on Thursday?",
        "where",
        "Yevlakh",
    ),
    # do-support with a present-tense verb and an infinitive object; "next year" needs the
    # article's date, so the question does without it
    (
        "The company plans to hire 300 workers next year.",
        "How many workers does the company plan to hire?",
        "how_many",
        "300",
    ),
    # do-support in the past; a year after "in"
    (
        "Maria Lopez founded the charity in 2015.",
        "In what year did Maria Lopez found the charity?",
        "when",
        "2015",
    ),
    # subject replacement for a person
    (
        "Maria Lopez founded the charity in 2015.",
        "Who founded the charity in 2015?",
        "who",
        "Maria Lopez",
    ),
    # counted noun, past tense object
    (
        "Police arrested 12 protesters outside the parliament in Lisbon.",
        "How many protesters did police arrest outside the parliament in Lisbon?",
        "how_many",
        "12",
    ),
    # copula: the verb "be" moves, no do-support
    (
        "The new stadium is in Manchester.",
        "In which city is the new stadium?",
        "where",
        "Manchester",
    ),
    # title + demonym + name -> definition by office
    (
        "Armenian Prime Minister Nikol Pashinyan visited Paris on Monday.",
        "Who is the Prime Minister of Armenia?",
        "who",
        "Nikol Pashinyan",
    ),
    # appositive -> definition by role
    (
        "Hikmet Hajiyev, advisor to Azerbaijani President Ilham Aliyev, confirmed the meeting.",
        "Who is the advisor to Azerbaijani President Ilham Aliyev?",
        "who",
        "Hikmet Hajiyev",
    ),
    # title + name + "of" place
    (
        "Chancellor Olaf Scholz of Germany met President Emmanuel Macron of France in Berlin.",
        "Who is the Chancellor of Germany?",
        "who",
        "Olaf Scholz",
    ),
    # passive subject with a qualifier: the qualifier stays in the answer
    (
        "At least 20 people were killed in the explosion.",
        "How many people were killed in the explosion?",
        "how_many",
        "At least 20",
    ),
    # scale words: "40 thousand"
    (
        "The museum received about 40 thousand visitors in March.",
        "How many visitors did the museum receive in March?",
        "how_many",
        "about 40 thousand",
    ),
    # coordinated counts: each conjunct is its own fact
    (
        "The storm destroyed six houses and two schools in Florida.",
        "How many houses did the storm destroy?",
        "how_many",
        "six",
    ),
    # reported speech: "it" is read as the speaker
    (
        "Greenpeace said it had collected 5,000 signatures.",
        "How many signatures had Greenpeace collected?",
        "how_many",
        "5,000",
    ),
    # an organisation subject is asked with its own head noun
    (
        "The World Health Organization reported 165 new cases on Friday.",
        "Which organization reported 165 new cases on Friday?",
        "who",
        "World Health Organization",
    ),
    # a title before a name gives the wh-phrase
    (
        "Prime Minister Jacinda Ardern announced the new budget plan.",
        "Which prime minister announced the new budget plan?",
        "who",
        "Jacinda Ardern",
    ),
    # "since" keeps its preposition
    (
        "Twenty-seven countries have ratified the agreement since 2019.",
        "Since what year have twenty-seven countries ratified the agreement?",
        "when",
        "2019",
    ),
    # possessive bound to the subject stays
    (
        "Kimura made her professional wrestling debut in 2016.",
        "In what year did Kimura make her professional wrestling debut?",
        "when",
        "2016",
    ),
    # percentages
    (
        "Bernie Sanders campaigned across the state. "
        "Sanders won the Democratic primary with 25.7% of the vote.",
        "With what percentage of the vote did Sanders win the Democratic primary?",
        "how_many",
        "25.7%",
    ),
    # role with a place in an appositive -> a where-question about the person
    (
        "Pete Buttigieg, the former mayor of South Bend, Indiana, came in second.",
        "Of which city is Pete Buttigieg the former mayor?",
        "where",
        "South Bend",
    ),
    # a place noun phrase: "in the city of X"
    (
        "The talks lasted for two hours in the city of Yevlakh.",
        "In which city did the talks last for two hours?",
        "where",
        "Yevlakh",
    ),
    # a duration with its preposition
    (
        "The talks lasted for two hours in the city of Yevlakh.",
        "For how many hours did the talks last in the city of Yevlakh?",
        "how_many",
        "two hours",
    ),
    # a possessive owner: "Samoa's government"
    (
        "Samoa's government began a planned two-day shutdown on Thursday.",
        "Which country's government began a planned two-day shutdown on Thursday?",
        "where",
        "Samoa",
    ),
    # an owner written with "of"
    (
        "The mayor of Gdańsk was stabbed on stage at a charity event.",
        "Which city's mayor was stabbed on stage at a charity event?",
        "where",
        "Gdańsk",
    ),
    # a country named by its abbreviation is asked by its full name
    (
        "US President Donald Trump visited the factory in Ohio.",
        "Who is the President of the United States?",
        "who",
        "Donald Trump",
    ),
    # a subordinate clause stated as fact
    (
        "Though Dr. Alison Kock of the University of Cape Town has reported a correlation "
        "with the entry of orcas into False Bay, the study disagrees.",
        "Who has reported a correlation with the entry of orcas into False Bay?",
        "who",
        "Alison Kock",
    ),
    # "according to" names the source; a past tense the tagger took for a participle
    (
        "According to the World Health Organization, vaccination covered only about 31 percent "
        "of Samoans.",
        "What percentage of Samoans did vaccination cover according to the World Health "
        "Organization?",
        "how_many",
        "about 31 percent",
    ),
    (
        "According to police, the fire destroyed 40 houses in Oslo.",
        "How many houses did the fire destroy in Oslo according to police?",
        "how_many",
        "40",
    ),
    # an age written between commas after a name
    (
        "Paweł Adamowicz, 53, has supported LGBT rights and the inclusion of minority groups.",
        "How old was Paweł Adamowicz?",
        "how_many",
        "53",
    ),
    # "the last four years" counts four years
    (
        "African leaders have negotiated the deal over the last four years.",
        "Over how many years have African leaders negotiated the deal?",
        "how_many",
        "four years",
    ),
    # existential "there are": the noun phrase's own modifiers say what is counted
    (
        "There are 55 member states in the African Union.",
        "How many member states in the African Union are there?",
        "how_many",
        "55",
    ),
    # a relative clause: its antecedent becomes the subject
    (
        "Officials praised the ship, which carried 300 passengers to Oslo.",
        "How many passengers did the ship carry to Oslo?",
        "how_many",
        "300",
    ),
]


@pytest.mark.parametrize(("sentence", "question", "category", "answer"), CASES)
def test_sentence_gives_question(sentence: str, question: str, category: str, answer: str):
    made = wh_questions(sentence)
    assert question in made, f"{question!r} not among {sorted(made)}"
    assert made[question] == (category, answer)


# sentences that must give no real question (a cloze item may remain)
REJECTED = [
    ("She has won three gold medals.", "unresolved pronoun"),
    ("They said the plan would cost 400 million dollars.", "unresolved pronoun"),
    ("The river is not expected to flood in 2025.", "negated statement"),
    ("The company would hire 300 workers in Lisbon.", "modal statement"),
    ("Both Trump and Sanders also won primaries in 2016.", "two answers in one role"),
    ("These two blasts killed many people in Jolo.", "demonstrative reference"),
    ("Ginger Baker was born Peter Edward Baker in Lewisham.", "a name, not a role"),
    ("According to the pilot, there were ten passengers.", "nothing said of the answer"),
    (
        "Officials said there were ten passengers and three crew members aboard the aircraft.",
        "nothing said of the answer",
    ),
]


@pytest.mark.parametrize(("sentence", "why"), REJECTED)
def test_unsafe_sentences_give_no_wh_question(sentence: str, why: str):
    made = wh_questions(sentence)
    bad = [p for p in made if any(w in p.split() for w in ("She", "she", "They", "they", "These"))]
    assert not bad, why
    if why in ("negated statement", "modal statement"):
        assert not made, f"{why}: {made}"
    if why == "a name, not a role":
        assert not any(a == "Peter Edward Baker" for _, a in made.values()), made
    if why == "nothing said of the answer":
        assert "How many passengers were there?" not in made
    if why == "two answers in one role":
        assert not any(a in ("Donald Trump", "Trump", "Sanders") for _, a in made.values())


def test_answer_never_in_its_prompt():
    text = (
        "Armenian Prime Minister Nikol Pashinyan visited Paris on Monday. "
        "Police arrested 12 protesters outside the parliament in Lisbon. "
        "The new stadium is in Manchester."
    )
    questions = bank_for(text).held
    assert len(questions) >= 5
    for q in questions:
        assert f" {normalise(q.answer)} " not in f" {normalise(q.prompt)} ", q.prompt


def test_cloze_blanks_the_answer():
    # "She has won _____ gold medals." would lean on a name the student cannot see
    assert not [q for q in bank_for("She has won three gold medals.").held if q.prompt[:3] == "She"]
    bank = bank_for("Kenya won three gold medals and two silver medals in Doha.")
    cloze = {q.prompt: q for q in bank.held if q.format == "cloze"}
    two = cloze["Kenya won three gold medals and _____ silver medals in Doha."]
    assert two.answer == "two" and "2" in two.accepted_answers
    assert all(p.count("_____") == 1 for p in cloze)


def test_a_place_is_asked_by_its_cloze_and_its_question_kept_aside():
    # delta read 26: readers kept where-clozes 17 of 22, the where-questions they replace 8 of 19
    bank = bank_for("The new stadium is in Manchester.", title="New stadium opens")
    assert [(q.format, q.prompt) for q in bank.questions] == [
        ("cloze", "The new stadium is in _____.")
    ]
    assert [q.prompt for q in bank.alternates] == ["In which city is the new stadium?"]


def test_multiple_choice_has_three_distinct_distractors():
    text = (
        "Chancellor Olaf Scholz of Germany met President Emmanuel Macron of France in Berlin. "
        "Police arrested 12 protesters outside the parliament in Lisbon on Monday. "
        "The museum received about 40 thousand visitors in March 2019."
    )
    mcq = [q for q in bank_for(text).held if q.format == "multiple_choice"]
    assert mcq
    for q in mcq:
        assert len(q.choices) == 4
        assert q.choices.count(q.answer) == 1
        assert len({normalise(c) for c in q.choices}) == 4


@pytest.mark.parametrize(
    ("sentence", "qualifier", "variant"),
    [
        ("The museum received about 40 thousand visitors in March.", "about ", "40,000"),
        ("Police said nearly 400 people were injured in the explosion.", "nearly ", "400"),
        ("Almost 20 people were killed in the explosion.", "Almost ", "20"),
    ],
)
def test_number_options_are_sorted_and_keep_the_qualifier(sentence, qualifier, variant):
    (q,) = [q for q in bank_for(sentence, title=sentence).held if q.category == "how_many"]
    assert q.format == "multiple_choice"
    values = [parse_number(c) for c in q.choices]
    assert values == sorted(values) and len(set(values)) == 4
    assert all(c.startswith(qualifier) for c in q.choices)
    assert variant in q.accepted_answers


@pytest.mark.parametrize(
    "sentence",
    [
        "Police said more than 400 people were injured in the explosion.",
        "At least 20 people were killed in the explosion.",
    ],
)
def test_an_open_bound_is_asked_without_options(sentence):
    # beside "more than 400" every option is true or arguably true (blind reads 25-28)
    (q,) = [q for q in bank_for(sentence, title=sentence).held if q.category == "how_many"]
    assert q.format == "short_answer" and q.choices is None
    assert parse_number(q.answer) in {parse_number(a) for a in q.accepted_answers}


def test_source_span_points_at_the_sentence():
    text = (
        "Intro line here for the test.\n\n"
        "Police arrested 12 protesters outside the parliament in Lisbon."
    )
    bank = bank_for(text)
    for q in bank.held:
        start, end = q.source_span
        assert text[start:end] == q.source_sentence


def test_ids_are_stable_and_ignore_the_wording():
    a = question_id("The talks were held in Yevlakh.", "Yevlakh", "where", "multiple_choice")
    b = question_id("The  talks were held in Yevlakh", "yevlakh", "where", "multiple_choice")
    c = question_id("The talks were held in Yevlakh.", "Yevlakh", "where", "cloze")
    assert a == b != c and a.startswith("q-") and len(a) == 12


def test_bank_is_valid_and_sorted(seed_article_path):
    bank = generate_bank(read_article(seed_article_path)).to_dict()
    assert validate_bank(bank) == []
    scores = [q["score"] for q in bank["questions"]]
    assert scores == sorted(scores, reverse=True)
    assert len({q["id"] for q in bank["questions"]}) == len(scores)
    assert bank["source"]["published"] == "2023-09-21"


def test_default_quiz_mixes_categories_and_formats(seed_article_path):
    quiz = generate_bank(read_article(seed_article_path)).questions[:20]
    assert len({q.category for q in quiz}) >= 3
    assert len({q.format for q in quiz}) >= 2
    # a place is asked by its cloze when both read back well (delta read 26: readers kept
    # where-clozes 17 of 22, the where-questions they replace 8 of 19): 8 of 15; 7 of 15 since
    # a wh-question with nothing to tell what it is about is asked by its cloze
    assert sum(q.format != "cloze" for q in quiz) >= 0.45 * len(quiz)
    per_sentence: dict[str, int] = {}
    for q in quiz:
        per_sentence[q.source_sentence] = per_sentence.get(q.source_sentence, 0) + 1
    assert max(per_sentence.values()) <= 2


# --- label repair on the seed article -------------------------------------------------------


@pytest.fixture(scope="module")
def seed_names(seed_article_path) -> NameTable:
    (parsed,) = parse_articles([read_article(seed_article_path)])
    return NameTable([e for d in parsed.docs for e in d.ents])


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Azerbaijan", "country"),
        ("Armenia", "country"),
        ("Yerevan", "city"),
        ("Yevlakh", "city"),
        ("Baku", "city"),
        ("Stepanakert", "place"),
        ("Nagorno-Karabakh", "place"),
        ("Nikol Pashinyan", "person"),
        ("Aliyev", "person"),
        ("Azerbaijani", "nationality"),
        ("Agence France-Presse", "organisation"),
        ("Russian Ministry of Defense", "organisation"),
    ],
)
def test_seed_labels_are_repaired(seed_names: NameTable, name: str, kind: str):
    info = seed_names.get(name)
    assert info is not None and info.kind == kind


def test_places_never_get_who_questions(seed_article_path):
    places = {"azerbaijan", "stepanakert", "yerevan", "yevlakh", "baku", "armenia"}
    for q in generate_bank(read_article(seed_article_path)).held:
        if q.category == "who":
            assert normalise(q.answer) not in places, q.prompt
        if q.prompt.startswith("Who "):
            assert q.category == "who"


def test_number_options_put_the_answer_at_every_rank():
    """Sorted numeric options must not tell the answer by position (never first or last)."""
    import random

    from quizapp.generation.distractors import _spread

    ranks = set()
    for seed in range(40):
        key = 40.0
        chosen = _spread(key, [10.0, 16.0, 24.0, 30.0, 50.0, 80.0, 100.0], random.Random(seed))
        assert len(chosen) == 3
        values = sorted([*chosen, key])
        assert all(b >= 1.2 * a for a, b in zip(values, values[1:], strict=False))
        ranks.add(values.index(key))
    assert ranks == {0, 1, 2, 3}


def test_a_day_of_the_month_is_asked_on_what_date():
    bank = bank_for("The Montana legislature passed the Montana Sedition Act on February 14, 1918.")
    prompts = {q.answer: q.prompt for q in bank.held if q.format != "cloze"}
    assert (
        prompts["February 14, 1918"]
        == "On what date did the Montana legislature pass the Montana Sedition Act?"
    )


def test_organisations_are_asked_by_their_kind_and_products_not_as_organisations():
    made = wh_questions("The Labour Party won 40 seats in Wales.")
    assert made.get("Which party won 40 seats in Wales?") == ("who", "Labour Party")
    drug = wh_questions("ZMapp served as a control in the PALM trial.")
    assert not any(p.startswith("Which organisation") for p in drug)


def test_citation_marks_are_left_out_of_clozes():
    text = "Kingsley Amis wrote Colonel Sun in Jamaica and London in 1968.[citation needed][4]"
    clozes = [q.prompt for q in bank_for(text).held if q.format == "cloze"]
    assert clozes and all("[" not in c and c.endswith(("1968.", "_____.")) for c in clozes)


def test_an_acronym_key_accepts_the_full_name_the_article_spells_out():
    from quizapp.generation.keys import _expansions

    text = (
        "Jon Huber performed for WWE (World Wrestling Entertainment) and AEW. "
        "The Organisation of Islamic Cooperation (OIC) condemned the attack."
    )
    assert _expansions("WWE", text) == ["World Wrestling Entertainment"]
    assert _expansions("OIC", text) == ["Organisation of Islamic Cooperation"]
    assert _expansions("AEW", text) == []  # not spelled out here
    assert _expansions("Huber", text) == []  # not an acronym


def test_a_number_with_a_qualifier_is_never_an_exact_numeric_item():
    text = " ".join(
        f"Over {n} hundred extras were hired for scene {n} in Mexico City in {1990 + n}."
        for n in range(2, 9)
    )
    for q in bank_for(text).held:
        if q.numeric is not None:
            assert not q.answer.lower().startswith(("over", "about", "more", "at least")), q


def test_a_title_or_an_organisation_is_not_asked_for_as_a_place():
    text = (
        "Sonam Gyatso's envoy received a letter from the Wanli Emperor in Beijing in 1579. "
        "Yao Ming gave $214,000 to the Red Cross Society of China in May 2008."
    )
    for q in bank_for(text).held:
        if q.answer in ("Wanli Emperor", "Red Cross Society of China"):
            assert "which place" not in q.prompt.lower() and not q.prompt.startswith("Where")


def test_title_words_before_a_name_are_no_person():
    """Read 33 keyed "Who was sworn in as the next king?" with "Crown Prince": the model's
    person made of title words alone, right before the name it is the title of."""
    doc = repair_spans(
        load_nlp()(
            "Crown Prince Taufa’ahau Tupou V, the King’s eldest son, was sworn in on Monday, "
            "September 11 as the next king."
        )
    )
    people = [e.text for e in doc.ents if e.label_ == "PERSON"]
    assert "Crown Prince" not in people
    assert "Taufa’ahau Tupou V" in people


def _read_prompts(read: str, name: str) -> list[str]:
    """Every prompt of the bank made from a blind read's text (bench/reads/READ/texts)."""
    path = Path(__file__).resolve().parents[2] / "bench/reads" / read / "texts" / f"{name}.txt"
    made = generate_bank(read_article(path))
    return [q.prompt for q in made.questions + made.alternates]


def test_a_he_points_back_to_a_person_the_model_labelled_otherwise_in_that_sentence():
    """Read 33 (a Wikinews story in no corpus): "This is not the first time that Natapei has
    lost his seat. In 2009, he lost his post …": the model labelled this Natapei an
    organisation, so "he" went back two sentences, to Frank Bainimarama."""
    prompts = _read_prompts("2026-12-07-fresh-33", "news_05_vanuatu_pm_ousted")
    assert not any("Bainimarama lose" in p for p in prompts)
    assert any("Natapei lose his post" in p for p in prompts)


def test_he_in_a_life_is_its_subject_when_the_sentence_before_names_them_by_surname():
    """Read 34 (a Wikipedia summary in no corpus): "Alec Douglas-Home (1903–95) was …": the
    name vote made a place of "Home", so "He was criticised …" after "Home was chosen to
    succeed him" went to Macmillan, and "he retired" to Edward Heath."""
    prompts = _read_prompts("2026-12-07-fresh-34", "wiki_11_alec_douglas_home")
    assert not any("Macmillan was criticised" in p or "Edward Heath retired" in p for p in prompts)
    assert any("Alec Douglas-Home was criticised" in p for p in prompts)


def test_a_surname_subject_is_the_person_who_bears_it_and_keeps_its_capital():
    """Read 35 (a Voice of America story in no corpus): "Pamuk was the first author … to
    condemn the edict calling for the death of novelist Salman Rushdie. He has 10 works …":
    the model tagged the bare "Pamuk" as no entity, so "He" went to Rushdie; and "Pamuk still
    lives in Istanbul" gave "In which city does pamuk live?"."""
    prompts = _read_prompts("2026-12-07-fresh-35", "news_04_pamuk_nobel_literature")
    assert not any("Rushdie has" in p or "Rushdie gained" in p for p in prompts)
    assert any(p.startswith("Orhan Pamuk has _____ works") for p in prompts)
    assert not any("pamuk" in p for p in prompts)
    assert any("does Pamuk live" in p for p in prompts)
