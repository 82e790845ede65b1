"""Quiz-level faults of a bank's default quiz (quizapp/evaluation/quiz_faults.py)."""

from __future__ import annotations

import pytest
from helpers import SHARED_DIR

from quizapp.evaluation import (
    BAD_OPTION,
    FAULT_KINDS,
    FRAGMENT,
    GIVES_AWAY,
    PRONOUN,
    SAME_SENTENCE,
    GoldArticle,
    evaluate_bank,
    find_quiz_faults,
    load_gold,
)

CORPUS = SHARED_DIR / "corpus"
SEED_AND_WIKINEWS = sorted((CORPUS / "seed").glob("*.json")) + sorted(
    (CORPUS / "wikinews").glob("*.json")
)

SIX_MEN = (
    "Afterwards, six men in suits sat around a table, including the Nagorno representative, "
    "David Melkomyan."
)
BOMBING = "Last week a Kabul car bombing killed five and wounded two."
ARTICLE = (
    "Armenian Prime Minister Nikol Pashinyan said his country is ready. Pashinyan spoke on "
    "Thursday, and President Ilham Aliyev replied."
)


def q(prompt: str, answer: str, category: str = "who", fmt: str = "short_answer", **fields):
    """A bank question dict (only the fields the checks read)."""
    fields.setdefault("accepted_answers", [])
    fields.setdefault("source_sentence", "")
    return {"prompt": prompt, "answer": answer, "category": category, "format": fmt, **fields}


def mc(prompt: str, answer: str, options: list[str], category: str = "who") -> dict:
    return q(prompt, answer, category, "multiple_choice", choices=[answer, *options])


def cloze(prompt: str, answer: str, category: str = "who", sentence: str = "") -> dict:
    return q(prompt, answer, category, "cloze", source_sentence=sentence)


GOOD_QUIZ = [
    q("Who is the President of Azerbaijan?", "Ilham Aliyev", accepted_answers=["Aliyev"]),
    q("How many men in suits sat around the table?", "six", "how_many", source_sentence=SIX_MEN),
    cloze("The talks lasted for about two hours in the city of _____.", "Yevlakh", "where"),
    mc(
        "Who is the Prime Minister of Armenia?",
        "Nikol Pashinyan",
        ["Vladimir Putin", "Emmanuel Macron", "Hikmet Hajiyev"],
    ),
    q("How old was Hana Kimura when she died?", "22", "how_many"),
    q("Which recycled toilet paper producer said it had run out of stock?", "Who Gives a Crap"),
    q("According to authorities, how many people lost their lives?", "18", "how_many"),
    q("It is now known that McArthur was interviewed by which police force?", "Toronto Police"),
    q('Who said "they will never come back"?', "Jo Anne Val Tilburg"),
    q("How many candidates ran unopposed this year?", "seven", "how_many"),
    cloze("In her campaign, Thunberg met with Pope _____.", "Francis"),
    cloze("_____ said he would resign.", "Boris Johnson"),
    cloze("When the talks ended, _____ announced a new meeting.", "Baku", "where"),
    cloze("Because of the storm, _____ flights were cancelled.", "40", "how_many"),
    cloze('Fallows said, "We had never seen them at _____."', "Seal Island", "where"),
    mc("In what year did the war end?", "1994", ["1991", "1996", "2001"], "when"),
    mc("What share of the vote did Labour win?", "53%", ["26.5%", "71%", "90%"], "how_many"),
    mc("How many stores closed?", "12 stores", ["6 stores", "18 stores", "24 stores"], "how_many"),
    mc(
        "Whose widow spoke?", "Robert Mugabe", ["Grace Mugabe", "Morgan Tsvangirai", "Joice Mujuru"]
    ),
]


def kinds_of(questions: list[dict], **options) -> list[tuple[int, str]]:
    return find_quiz_faults(questions, ARTICLE, "2019-01-14", **options)


def test_a_fine_quiz_has_no_faults():
    assert kinds_of(GOOD_QUIZ) == []


@pytest.mark.parametrize(
    ("questions", "expected"),
    [
        # a prompt shows an earlier question's answer: the later question is faulty
        (
            [
                q("Who is the President of Azerbaijan?", "Ilham Aliyev"),
                q("Who is the advisor to Azerbaijani President Ilham Aliyev?", "Hikmet Hajiyev"),
            ],
            [(1, GIVES_AWAY)],
        ),
        # an earlier prompt shows a later answer (by its alias, as a possessive)
        (
            [
                q("How many refugee families is Pashinyan's country ready to take?", "40,000"),
                q(
                    "Who is the Prime Minister of Armenia?",
                    "Nikol Pashinyan",
                    accepted_answers=["Pashinyan"],
                ),
            ],
            [(1, GIVES_AWAY)],
        ),
        # a number by value, also written differently, for how_many and when answers
        (
            [
                q("How many refugee families is Armenia ready to take?", "40,000", "how_many"),
                q("Who said Armenia would take 40 thousand refugee families?", "Nikol Pashinyan"),
            ],
            [(1, GIVES_AWAY)],
        ),
        (
            [
                q("In what year did the first war end?", "1994", "when"),
                q("How many people died in the war between 1988 and 1994?", "30,000", "how_many"),
            ],
            [(1, GIVES_AWAY)],
        ),
        # a small number gives nothing away from another sentence, but does from its own
        (
            [
                q("How many gunmen followed the car?", "two", "how_many"),
                q("How many policemen died when two mines exploded?", "four", "how_many"),
            ],
            [],
        ),
        (
            [
                q(
                    "How many people did the bombing kill?",
                    "five",
                    "how_many",
                    source_sentence=BOMBING,
                ),
                cloze(BOMBING.replace("two", "_____"), "two", "how_many", BOMBING),
            ],
            [(1, GIVES_AWAY)],
        ),
        (
            [
                q("How many people did the bombing kill?", "five", "how_many"),
                cloze(BOMBING.replace("two", "_____"), "two", "how_many", BOMBING),
            ],
            [],
        ),
        # not whole words, under three characters, or a bare number of a who question
        (
            [
                q("Which city is the capital of Azerbaijan?", "Baku"),
                q("Which museum is named after Bakunin?", "The Bakunin Museum"),
                q("Which country did the US envoy visit?", "US", "where"),
                q("Which party did the US back?", "Route 66 Party"),
            ],
            [],
        ),
        # a third question from one sentence, a second cloze from one sentence
        (
            [
                q("How many men sat around the table?", "six", "how_many", source_sentence=SIX_MEN),
                q("Who is the Nagorno representative?", "David Melkomyan", source_sentence=SIX_MEN),
                q("What did the men wear?", "suits", "what", source_sentence=SIX_MEN),
            ],
            [(2, SAME_SENTENCE)],
        ),
        # (two clozes of one sentence show each other's answers, too)
        (
            [
                cloze("Afterwards, six men in suits sat at a _____.", "table", "what", SIX_MEN),
                cloze("Afterwards, six men in _____ sat at a table.", "suits", "what", SIX_MEN),
            ],
            [(1, GIVES_AWAY), (1, SAME_SENTENCE)],
        ),
        (
            [
                cloze("Afterwards, six men in suits sat at a _____.", "table", "what", SIX_MEN),
                q("Who is the Nagorno representative?", "David Melkomyan", source_sentence=SIX_MEN),
            ],
            [],
        ),
    ],
)
def test_quiz_level_faults(questions, expected):
    assert kinds_of(questions) == expected


@pytest.mark.parametrize(
    "prompt",
    [
        "That the platforms, or ahu, built to support the _____ statues, or moai",
        "When white sharks temporarily returned to _____",
        "When white sharks returned to _____ they found no prey.",
        "Because _____ of them had already shown considerable progress.",
        "and _____ said the talks were constructive.",
        "Which _____ described as constructive.",
        "But _____ said the talks failed.",
        "The body that elects the chief executive of _____",
        "The talks were held in _____ and…",
        '"_____ was here,',
    ],
)
def test_clause_fragment_clozes(prompt):
    assert kinds_of([cloze(prompt, "Seal Island", "where")]) == [(0, FRAGMENT)]


def test_only_clozes_are_checked_for_fragments():
    assert kinds_of([q("where were the talks held", "Yevlakh", "where")]) == []


@pytest.mark.parametrize(
    "question",
    [
        cloze("They vary in size but can weigh _____.", "fourteen tons", "how_many"),
        cloze(
            "Its wind speeds reached 185 mph, according to the _____.", "National Hurricane Center"
        ),
        cloze("Her mother is professional wrestler _____.", "Kyoko Kimura"),
        cloze("_____ disagreed with these findings.", "Jo Anne Val Tilburg"),
        cloze("This included marches of _____ protesters in New York City.", "250,000", "how_many"),
        cloze("In _____, he met the Pope.", "Rome", "where"),
        q("Which country did he visit?", "France", "where"),
        q("Who was his father?", "Mathew Knowles"),
        q("In what year did its founder die?", "1998", "when"),
        q("What share of the vote did he win?", "53%", "how_many"),
        q("How many statues did the study examine on its western side?", "93", "how_many"),
    ],
)
def test_pronouns_left_in_questions(question):
    assert kinds_of([question]) == [(0, PRONOUN)]


@pytest.mark.parametrize(
    "question",
    [
        q("Which assembly had its first meeting in 1864?", "Montana Legislative Assembly"),
        q("Which singer set a record in 2010, with Adele equaling this in 2012?", "Beyoncé"),
        q("How many gills do most species of shark have on each side of their bodies?", "five"),
        q("Which magazine named Greta Thunberg its Person of the Year?", "Time"),
        q("When was it announced that Beyoncé co-owned Tidal?", "March 2015", "when"),
        q('How many copies has "Dangerously in Love" sold since its debut?', "11 million"),
        q("Which sportswriter tweeted after Kimura's death?", "Dave Meltzer"),
        cloze("Karadzic was convicted of ten charges laid against him in _____.", "2016", "when"),
    ],
)
def test_pronouns_with_an_antecedent_in_the_prompt(question):
    article = "Karadzic was tried. Karadzic denied it."  # a name never written in lower case
    assert find_quiz_faults([question], article) == []


def test_a_name_the_article_writes_mid_sentence_binds_a_pronoun_after_it():
    question = q("Pashinyan said his country would take how many families?", "40,000", "how_many")
    assert find_quiz_faults([question], ARTICLE) == []
    assert find_quiz_faults([question], "") == [(0, PRONOUN)]  # "Pashinyan" might be a plain word


@pytest.mark.parametrize(
    ("key", "options", "category"),
    [
        ("Robert Mugabe", ["Cde Mugabe", "Morgan Tsvangirai", "Joice Mujuru"], "who"),
        ("Robert Mugabe", ["Cde", "Morgan Tsvangirai", "Joice Mujuru"], "who"),
        ("Ridgeback Biotherapeutics", ["Ridgeback", "Mapp", "Regeneron"], "who"),
        ("Ridgeback", ["Ridgeback Biotherapeutics", "Mapp", "Regeneron"], "who"),
        ("National Directorate for Security", ["NDS", "Taliban", "Reuters"], "who"),
        ("12 stores", ["7.6 stores", "18 stores", "24 stores"], "how_many"),
        ("seventeen years", ["25.5 years", "thirty-four years", "nine years"], "how_many"),
        ("six", ["0", "four", "eight"], "how_many"),
        ("six", ["-3", "four", "eight"], "how_many"),
        ("40,000 refugee families", ["40,000", "20,000", "80,000"], "how_many"),
        ("2018", ["2016", "2017", "2021"], "when"),
        ("August 2018", ["August 2016", "May 2017", "March 2020"], "when"),
        ("53%", ["106%", "26%", "71%"], "how_many"),
    ],
)
def test_bad_wrong_options(key, options, category):
    question = mc("Which one is the answer here?", key, options, category)
    assert kinds_of([question]) == [(0, BAD_OPTION)]


def test_a_wrong_option_the_prompt_names_is_bad():
    question = mc(
        "Who is the advisor to Azerbaijani President Ilham Aliyev?",
        "Hikmet Hajiyev",
        ["Ilham Aliyev", "Nikol Pashinyan", "Vladimir Putin"],
    )
    assert kinds_of([question]) == [(0, BAD_OPTION)]
    day = mc(
        "On what day did ALDI run the Wednesday special?", "Tuesday", ["Wednesday"] * 3, "when"
    )
    assert kinds_of([day]) == []  # a weekday in the prompt is not the question's subject


def test_a_later_year_is_fine_without_a_publication_date():
    question = mc("In what year did the war end?", "2018", ["2016", "2017", "2021"], "when")
    assert find_quiz_faults([question], ARTICLE, None) == []
    assert find_quiz_faults([question], ARTICLE, "2019-01-14") == [(0, BAD_OPTION)]


def test_only_the_first_top_n_are_read():
    questions = [
        q("Who is the President of Azerbaijan?", "Ilham Aliyev"),
        q("Who is the advisor to President Ilham Aliyev?", "Hikmet Hajiyev"),
    ]
    assert kinds_of(questions, top_n=1) == []
    assert kinds_of(questions, top_n=2) == [(1, GIVES_AWAY)]


def test_a_question_with_two_faults_counts_once_in_the_report():
    article = GoldArticle(id="a", name="a", title="t", text=ARTICLE)
    questions = [
        q("Who is the President of Azerbaijan?", "Ilham Aliyev"),
        cloze("They said Ilham Aliyev met _____.", "Nikol Pashinyan"),  # gives away, pronoun
        q("Who met Ilham Aliyev?", "Nikol Pashinyan"),  # gives away 0's answer
    ]
    report = evaluate_bank(article, {"questions": questions})
    assert report.top_questions == 3 and report.quiz_faults == 2
    assert report.fault_rate == pytest.approx(2 / 3)
    assert report.fault_kinds == dict.fromkeys(FAULT_KINDS, 0) | {GIVES_AWAY: 2, PRONOUN: 1}
    assert report.fault_examples == [
        ("They said Ilham Aliyev met _____.", [GIVES_AWAY, PRONOUN]),
        ("Who met Ilham Aliyev?", [GIVES_AWAY]),
    ]


def _gold_as_bank(path) -> tuple[GoldArticle, list[dict]]:
    gold = load_gold(path)
    questions = [
        q(f.question, f.answer, f.type, accepted_answers=list(f.answer_aliases))
        | {"source_sentence": f.sentence}
        for f in gold.facts
    ]
    return gold, questions


@pytest.mark.skipif(not SEED_AND_WIKINEWS, reason=f"shared corpus not found at {CORPUS}")
def test_gold_questions_have_almost_no_question_level_faults():
    # The annotators' questions, one short-answer question per fact in file order: what a
    # teacher keeps. Measured (2026-11): 4 pronoun faults in 445 questions (0.9%), no fragment
    # or bad option (no clozes or options). As a quiz they are not built to go together:
    # 189 of the first 20s' 436 questions (43%) give another's answer away (168) or are a third
    # from one sentence (38), 200 (46%) since a word of a name shows it ("Adamowicz" beside
    # "Paweł Adamowicz"); those kinds are tested by the table above instead.
    total, found = 0, []
    top_total, top_faulty = 0, 0
    for path in SEED_AND_WIKINEWS:
        gold, questions = _gold_as_bank(path)
        total += len(questions)
        found += find_quiz_faults(questions, gold.text, gold.published, top_n=len(questions))
        top = find_quiz_faults(questions, gold.text, gold.published)
        top_total += len(questions[:20])
        top_faulty += len({index for index, _ in top})
    assert total == 29 + 416
    question_level = [kind for _, kind in found if kind in (FRAGMENT, PRONOUN, BAD_OPTION)]
    assert len(question_level) <= 0.015 * total, question_level
    assert top_faulty / top_total <= 0.47
