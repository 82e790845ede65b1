"""One row per kind of question-rubric.md: an article (the real spaCy model, the whole
generator) and what the bank must then hold, or must not."""

from __future__ import annotations

import json
import re

import pytest

from quizapp.articles import parse_article
from quizapp.generation import generate_bank, readback
from quizapp.generation.nlp import load_nlp
from quizapp.numbers import parse_number
from quizapp.quizzes import choose, gives_away


def bank(text: str, title: str | None = None, published: str | None = None) -> list:
    record = {"text": text, "title": title, "published": published}
    data = json.dumps({k: v for k, v in record.items() if v}).encode("utf-8")
    made = generate_bank(parse_article(data, "case.json", "json"))
    return list(made.questions) + list(made.alternates)  # every question the bank holds


def prompts(questions) -> list[str]:
    return [q.prompt for q in questions]


def test_fragment_a_cloze_starts_with_its_sentence_not_a_connective():
    made = bank("The storm hit Nassau on Monday. However, Abaco lost power for three days.")
    clozes = [p for p in prompts(made) if "_____" in p]
    assert clozes and not any(p.startswith("However") for p in clozes)


def test_not_alone_a_pronoun_nobody_named_gives_no_question():
    made = bank("She has won three gold medals in Tokyo and two in Paris.")
    assert not any(re.search(r"\bshe\b", p, re.IGNORECASE) for p in prompts(made))


def test_meaning_changed_a_claim_keeps_its_source():
    made = bank("Officials said 300 homes were destroyed in Nassau.")
    numbers = [q for q in made if q.category == "how_many" and q.format != "cloze"]
    assert numbers and all(q.prompt.startswith("According to officials") for q in numbers)


def test_trivial_an_answer_in_the_title_comes_last():
    made = bank(
        "Greta Thunberg was named Person of the Year by Time on Wednesday in New York. The "
        "magazine chose her from 12 candidates.",
        title="Greta Thunberg named Time Person of the Year",
    )
    in_title = [q.answer.lower() in "greta thunberg named time person of the year" for q in made]
    assert "Greta Thunberg" in [q.answer for q in made] and not in_title[0]
    assert in_title == sorted(in_title)  # every answer the title shows after all the others


def test_loose_aliases_a_shared_surname_is_not_accepted():
    made = bank(
        "Robert Mugabe ruled Zimbabwe from 1980 until 2017. Grace Mugabe, his wife, "
        "was born in Benoni in 1965."
    )
    for q in made:
        if q.answer in ("Robert Mugabe", "Grace Mugabe"):
            assert "Mugabe" not in q.accepted_answers, q.prompt


def test_bad_options_none_beside_an_open_bound():
    # beside "more than 85%" every option is true or arguably true ("more than 90%" may hold):
    # blind readers failed such options (reads 25-28), so the question is asked without them
    made = bank("More than 85% of voters in Samoa backed a new constitution in 2019.")
    made += bank("In Nepal, more than 100 people have died in floods since Friday.")
    bounded = [q for q in made if q.answer.lower().startswith("more than")]
    assert len(bounded) == 2 and not any(q.choices for q in bounded)
    near = bank("Nearly 85% of voters in Samoa backed a new constitution in 2019.")
    for q in near:  # "nearly" says the value is close: options on the far side stay
        if q.answer.startswith("Nearly") and q.choices:
            key = parse_number(q.answer)
            assert all(parse_number(c) <= key for c in q.choices), q.choices


def test_quiz_rules_the_served_quiz_gives_nothing_away():
    text = (
        "Azerbaijan and Armenia held talks in Yevlakh on Thursday. The talks in Yevlakh lasted "
        "two hours, and Hikmet Hajiyev said Azerbaijan was ready for more talks in Baku. "
        "Nikol Pashinyan said Armenia would accept 40,000 refugees from Karabakh."
    )
    questions = [q.to_dict() for q in bank(text)]
    served = [questions[i] for i in choose(questions, 20)]
    assert served
    assert not any(gives_away(a, b) for a in served for b in served if a is not b)
    per_sentence = {}
    for q in served:
        per_sentence[q["source_sentence"]] = per_sentence.get(q["source_sentence"], 0) + 1
    assert max(per_sentence.values()) <= 2


def test_wrong_wh_word_a_magazine_is_not_a_small_town_of_the_same_name():
    made = bank("Greta Thunberg was named Person of the Year by Time on Wednesday in New York.")
    assert not any("which city" in p.lower() and "Time" not in p for p in prompts(made))
    # asked by its cloze, its wh-question set aside beside it
    assert {q.answer for q in made if q.category == "where"} == {"New York"}


def test_meaning_changed_a_report_stays_a_report():
    made = bank("The attack in Kabul reportedly killed 45 soldiers on Monday.")
    numbers = [q.prompt for q in made if q.category == "how_many" and q.format != "cloze"]
    assert numbers and all("reportedly" in p for p in numbers)


# Rows from the eighth blind read's rejects (bench/reads/2026-12-07-unread-8).


def test_garbled_a_word_written_twice_is_not_copied_into_a_question():
    made = bank("Sviatlana Tsikhanouskaya arrived at at about 20:00 in Minsk on Thursday.")
    assert not any(re.search(r"\bat at\b", p) for p in prompts(made))


def test_garbled_editors_marks_never_reach_a_prompt():
    made = bank(
        "The school in Beichuan was built in 1995 [not in citation given] by the county "
        "government. It housed 600 pupils [citation needed] in Sichuan province."
    )
    assert made and not any("[" in p or "]" in p for p in prompts(made))


def test_garbled_no_adverb_left_trailing_at_the_end():
    made = bank("There are reportedly 1.3 billion people in the free trade area of Africa.")
    assert not any(p.rstrip("?").endswith("reportedly") for p in prompts(made))


def test_wrong_key_no_blank_after_a_word_of_the_same_name():
    made = bank(
        "During his attack in 1240, Prince Godan summoned Sakya Pandita to his court in Gansu."
    )
    assert not any("Sakya _____" in p for p in prompts(made))
    made = bank(
        "The NTSB opened an investigation at Bradley Airport in Connecticut on Thursday, led by "
        "Board Member Jennifer Homendy."
    )
    assert any("Board Member _____" in p for p in prompts(made))  # a role is no part of the name
    assert not any("_____ Member" in p for p in prompts(made))


def test_not_alone_a_definite_noun_with_only_common_words_before_it():
    made = bank("The oil field is about 160 km east of the capital, Riyadh, officials said.")
    assert not any("oil field" in p.lower() for p in prompts(made))


def test_meaning_changed_what_was_denied_is_not_asked_as_fact():
    made = bank(
        "The official also denied that the State Seismological Bureau had received reports "
        "predicting the earthquake in Sichuan."
    )
    assert not any(p.startswith("Which") and "had received" in p for p in prompts(made))


def test_wrong_wh_word_an_empire_is_asked_as_an_empire():
    made = bank(
        "Tibet was officially incorporated into the Mongol Empire during the regency of "
        "Töregene Khatun in 1241, the chronicles say."
    )
    asked = [p for p in prompts(made) if "incorporated" in p and "_____" not in p]
    assert not any("which place" in p.lower() for p in asked)


def test_meaning_changed_a_role_in_history_is_asked_in_the_past():
    made = bank(
        "During his attack in 1240, Prince Godan summoned Sakya Pandita (1182–1251), leader of "
        "the Sakya school of Tibetan Buddhism, to his court in Gansu."
    )
    roles = [p for p in prompts(made) if "leader of the Sakya school" in p and "_____" not in p]
    # "Who was the leader …?" asks for one of many who held it: not asked at all (read 39)
    assert not any(p.startswith(("Who is", "Who was")) for p in roles)


def test_not_alone_an_office_in_a_paragraph_of_history_is_not_asked_by_its_holder():
    # read 39: "Who is the Mayor of Cleveland?" of a paragraph about the 1898 Senate election
    made = bank(
        "The 1898 United States Senate election in Ohio took place on January 12. Cleveland "
        "mayor Robert McKisson, a Republican, opposed Mark Hanna in the legislature."
    )
    assert not any(p.startswith(("Who is the", "Who was the")) for p in prompts(made))


def test_loose_aliases_no_title_or_given_name_accepted_alone():
    made = bank(
        "Premier Zhou Enlai took an interest in the work of the geologist in 1966. Genghis Khan "
        "had raided the region in 1207, and Khubilai Khan ruled it from 1260."
    )
    for q in made:
        if q.answer in ("Zhou Enlai", "Genghis Khan", "Khubilai Khan"):
            assert not {"Enlai", "Khan"} & set(q.accepted_answers), q


def test_wrong_key_an_acronym_key_is_the_full_name_with_the_acronym_accepted():
    made = bank(
        "Leaders of African Union (AU) member states met in Niamey on Sunday. While many "
        "transactions in Africa occur in U.S. dollars, the AU announced an electronic "
        "pan-African payment system on Monday."
    )
    asked = [q for q in made if "payment system" in q.prompt and q.category == "who"]
    assert asked
    assert all(q.answer == "African Union" and "AU" in q.accepted_answers for q in asked)


def test_bad_options_a_person_is_asked_by_name_not_among_the_articles_other_people():
    made = bank(
        "President Alexander Lukashenko said he would not resign. Mr Viktar Babaryka was "
        "arrested in June. Mr Pavel Latushko fled to Warsaw. Mrs Olga Kovalkova spoke in Minsk. "
        "Ms Maria Moroz spoke in Hrodna. Veranika Tsapkala, wife of Valery Tsapkala, spoke in "
        "Minsk on Thursday. Mrs Sviatlana Tsikhanouskaya said she would run in the election."
    )
    asked = [q for q in made if q.category == "who" and q.format != "cloze"]
    assert asked
    # the article's other people were also true, of another kind or silly for the role in 31
    # of 37 who-questions that blind readers saw as multiple choice: the name is typed
    assert all(q.format == "short_answer" and q.choices is None for q in asked)


# Rows from the ninth blind read's rejects (articles in no corpus: bench/reads/2026-12-07-unseen-9).


def test_not_alone_a_pronoun_after_a_month_or_a_blank_number_is_unbound():
    made = bank(
        "Harold was a powerful earl. Upon the death of Edward the Confessor in January 1066, the "
        "Witenagemot chose Harold to succeed. In late September he repelled an invasion by "
        "Harald Hardrada of Norway, before meeting William the Conqueror at Hastings some two "
        "weeks later.",
        title="Harold Godwinson",
    )
    assert not any(re.search(r"\bhe\b", p) for p in prompts(made) if "_____" in p)
    made = bank(
        "The Eiffel Tower is a lattice tower on the Champ de Mars in Paris. Built in 1889, it has "
        "become a global icon of France.",
        title="Eiffel Tower",
    )
    assert not any(re.search(r"\bit\b", p) for p in prompts(made))


def test_garbled_an_ordinal_without_its_complement_and_a_glued_blank():
    made = bank(
        "In 1995 Marie Curie became the first woman to be entombed on her own merits in the "
        "Pantheon in Paris. Boeing claims that the new 290+ seat jetliner is more fuel efficient."
    )
    assert not any(p.endswith("the first woman?") for p in prompts(made))
    assert not any("_____+" in p for p in prompts(made))


def test_not_alone_an_unnamed_subject_is_no_question():
    made = bank("Mount Kilimanjaro is a dormant volcano located in Kilimanjaro Region, Tanzania.")
    assert not any(" a dormant volcano" in p for p in prompts(made) if "_____" not in p)


def test_bad_options_a_year_to_come_gets_years_to_come():
    made = bank(
        "Boeing's European rival, Airbus, is preparing to release a similar aircraft, the A350, "
        "in 2013. The 787 made its first test flight on Tuesday in Everett.",
        published="2009-12-16",
    )
    years = [q for q in made if q.answer == "2013" and q.choices]
    for q in years:
        assert all(int(c) > 2009 for c in q.choices), q


def test_garbled_a_unit_lost_from_how_many():
    from quizapp.generation.readback import wh_reject

    assert wh_reject("How many of lunar material did Armstrong and Aldrin collect?") is not None
    assert wh_reject("How many of the members voted for the law?") is None


# Rows from the tenth blind read (bench/reads/2026-12-07-unseen-10).


def test_garbled_said_what_and_a_full_stop_before_the_question_mark():
    made = bank(
        "Principal investigator Peter Smith said in a statement on NASA's website. Justice "
        "Secretary Leila de Lima maintains the government's actions were legal."
    )
    assert not any(p.startswith("Who said in a statement") for p in prompts(made))
    assert not any(p.endswith(".?") for p in prompts(made))


def test_it_of_an_encyclopaedia_topic_is_put_back_and_a_participle_does_not_excuse_it():
    made = bank(
        "The Starry Night is an oil on canvas by the Dutch painter Vincent van Gogh. Painted in "
        "June 1889, it depicts the view from a window at Saint-Rémy-de-Provence. It has been in "
        "the permanent collection of the Museum of Modern Art in New York City since 1941, "
        "acquired through the Lillie P. Bliss Bequest.",
        title="The Starry Night",
    )
    assert not any(re.search(r"\bIt\b", p) for p in prompts(made))
    assert any(p.startswith("The Starry Night has been") for p in prompts(made))


def test_quiz_rules_a_possessive_name_shows_the_answer_and_one_person_is_one_fact():
    from quizapp.generation.composition import Candidate, compose

    pm = Candidate("pm", "Who is the Prime Minister of Armenia?", "Nikol Pashinyan", (), "who",
                   False, "s1")  # fmt: skip
    refugees = Candidate("r", "How many families is Nikol Pashinyan's country ready to receive?",
                         "40,000", (), "how_many", False, "s2")  # fmt: skip
    painter = Candidate("v", "Who painted it?", "Vincent van Gogh", (), "who", False, "s3")
    surname = Candidate("g", "_____'s finest works hang in Paris.", "Van Gogh", (), "who", True,
                        "s4")  # fmt: skip
    listed, _ = compose([pm, refugees, painter, surname])
    names = list(listed)
    assert not {"pm", "r"} <= set(names)
    assert not {"v", "g"} <= set(names)


# Rows from the eleventh blind read (bench/reads/2026-12-07-unseen-11).


def test_meaning_changed_according_to_stays_with_the_claim():
    made = bank(
        "According to the RAI and press agencies, at least 1,500 people have been injured in "
        "L'Aquila. At least five people have died in Tabasco, according to the director of "
        "civil protection."
    )
    counts = [q for q in made if q.category == "how_many" and q.format != "cloze"]
    assert counts and all(q.prompt.startswith("According to") for q in counts), counts


def test_not_alone_a_count_keeps_what_it_is_for_and_a_time_is_not_relative():
    made = bank(
        "The former king, Gyanendra of Nepal, has been given two weeks to leave his palace in "
        "Kathmandu. Three years earlier, in 1934, the firm made its first engine in Kariya."
    )
    assert not any(p.startswith("How many weeks") for p in prompts(made))
    assert not any(p.startswith("_____ earlier") for p in prompts(made))


def test_garbled_no_noun_left_without_its_determiner():
    made = bank(
        "The accident began with a cave-in at the San José copper-gold mine, located in the "
        "Atacama Desert in northern Chile."
    )
    assert not any(re.search(r"\bwas gold mine\b", p) for p in prompts(made))


def test_not_alone_a_nationality_does_not_say_which_historian():
    made = bank(
        "The site remained unknown until American historian Hiram Bingham brought it to "
        "attention in 1911 in Peru."
    )
    assert "Who was the American historian?" not in prompts(made)
    assert "Who is the American historian?" not in prompts(made)


# Rows from the twelfth blind read (bench/reads/2026-12-07-unseen-12).


def test_garbled_a_dateline_is_no_part_of_a_cloze_and_an_editors_word_stays():
    made = bank(
        "San Fernando, Chile — Ten students from the Liceo Bombal were detained by the local "
        'police on August 13. Olivares said the police "stripped off [their] clothes" in '
        "Rancagua on Monday."
    )
    assert not any(p.startswith("San Fernando, Chile —") for p in prompts(made))
    assert not any("off  clothes" in p or "off clothes" in p for p in prompts(made))


def test_quiz_rules_a_cloze_takes_its_sentence_alone():
    data = json.dumps(
        {
            "text": "Of the 97 people on board the airship at Lakehurst, there were 35 fatalities "
            "(13 passengers and 22 crewmen) on 6 May 1937. The fire spread in 34 seconds."
        }
    ).encode("utf-8")
    listed = generate_bank(parse_article(data, "case.json", "json")).questions
    by_sentence: dict[str, list] = {}
    for q in listed:
        by_sentence.setdefault(q.source_sentence, []).append(q)
    for group in by_sentence.values():
        assert len(group) == 1 or not any(q.format == "cloze" for q in group), group


def test_bad_options_no_day_after_the_article_and_since_takes_earlier_years():
    made = bank(
        "The FDIC took over the Security Savings Bank in Henderson on February 27. No complete "
        "copy of the Bible has been sold since 1978, dealers in London say.",
        published="2009-03-01",
    )
    for q in made:
        if q.answer == "February 27" and q.choices:
            assert not any(c.startswith("March") for c in q.choices), q
        if q.prompt.startswith("Since what year") and q.choices:
            assert all(int(c) <= 1978 for c in q.choices), q


# Rows from the thirteenth blind read (bench/reads/2026-12-07-unseen-13).


def test_garbled_an_honorific_is_no_office_and_no_preposition_is_left_at_the_end():
    made = bank(
        "The bridge was designed by Sir Thomas Bouch in Dundee. On 7 July the coalition forces "
        "entered Paris, and Napoleon abdicated in June 1815."
    )
    assert not any(p.startswith("By which sir") for p in prompts(made))
    assert not any(p.rstrip("?").split()[-1] in ("on", "in", "at") for p in prompts(made))


def test_not_alone_a_picture_here_and_a_plural_role():
    made = bank(
        "The station building (pictured) is the only survivor from the Brill Tramway other than "
        "Quainton Road. Here, the Klondikers could follow the Chilkoot trail to the Yukon River. "
        "Visitors included Samuel Colt, the members of the Orléanist Royal Family and the writers."
    )
    assert not any("(pictured)" in p or p.startswith("Here") for p in prompts(made))
    assert not any(p.startswith("Who is the members") for p in prompts(made))


def test_garbled_told_a_press_conference_and_including_how_many():
    made = bank(
        "IPC president Philip Craven told a Rio de Janeiro press conference on Sunday. The fire "
        "destroyed roughly 3.3 square miles of Chicago, including over 17,000 structures."
    )
    assert not any(p.startswith(("Which president told", "Including")) for p in prompts(made))


def test_trivial_a_country_whose_city_the_prompt_names():
    made = bank(
        "Arthur C. Clarke died on Wednesday in a hospital in Colombo, Sri Lanka, aged 90, his "
        "aide Rohan de Silva said."
    )
    assert not any(p.endswith("Colombo, _____, aged 90, his aide Rohan de Silva said.")
                   for p in prompts(made))  # fmt: skip


def test_not_alone_what_says_which_must_stay_in_the_question():
    made = bank(
        "The event of 2005 was held at the Haus der Jugend in Frankfurt am Main on 4 August, "
        "the organisers said."
    )
    assert "Where was the event held?" not in prompts(made)


def test_bad_options_a_holder_of_another_office_is_not_offered():
    made = bank(
        "Len Duvall, chair of the Metropolitan Police Authority, said it supported the police. "
        "Prime Minister Gordon Brown said on Monday he had confidence in the police. Asad Rehman "
        "and Cressida Dick spoke in London. Hamdi Adus Isaac was arrested in Rome on Friday."
    )
    for q in made:
        if q.prompt.startswith("Who is the chair of") and q.choices:
            assert "Gordon Brown" not in q.choices, q


# Rows from the fourteenth blind read (bench/reads/2026-12-07-unseen-14).


def test_not_alone_a_count_or_a_day_keeps_the_time_it_is_bounded_by():
    made = bank(
        "Heavy rains killed over one hundred people in India this week, officials said. Many "
        "passengers were travelling to celebrate Diwali, which occurs on Tuesday this year. The "
        "derailment has resulted in at least 100 casualties in Andhra Pradesh."
    )
    assert not any(p.startswith("How many people did heavy rains kill") for p in prompts(made))
    assert "On what day does Diwali occur?" not in prompts(made)
    assert not any(p.startswith("In how many casualties") for p in prompts(made))


# Rows from the tuning read of this session (bench/reads/2026-12-07-tuning-16).


def test_trivial_a_word_of_the_key_in_the_prompt_is_kept_out_of_the_quiz():
    made = generate_bank(
        parse_article(
            json.dumps(
                {
                    "text": "Richard Guy worked on Conway's Game of Life, a cellular automaton "
                    "devised by John Conway in 1970. Guy taught at the University of Calgary "
                    "for 30 years. Iran does not recognise Israel, and Iranian athletes avoid "
                    "Israeli athletes at tournaments in Tehran."
                }
            ).encode(),
            "case.json",
            "json",
        )
    )
    for q in made.questions:  # "Conway's Game of Life … devised by _____" → John Conway
        if q.category in ("who", "where"):
            shown = set(q.prompt.replace("'s", " ").split())
            assert not any(len(w) > 3 and w in shown for w in q.answer.split()), q.prompt
    assert "Israel" in {q.answer for q in made.alternates}


def test_trivial_a_country_key_is_an_alternate():
    made = generate_bank(
        parse_article(
            json.dumps(
                {
                    "text": "The Suez Canal is a waterway in Egypt, connecting the Mediterranean "
                    "Sea to the Red Sea. It was opened in 1869 after ten years of work by "
                    "Ferdinand de Lesseps."
                }
            ).encode(),
            "case.json",
            "json",
        )
    )
    assert "Egypt" not in {q.answer for q in made.questions}


def test_not_alone_a_surname_alone_is_named_in_full():
    made = bank(
        "Sir Ian Blair was the Commissioner of the Metropolitan Police in London. Asad Rehman "
        "called for Blair's resignation on Thursday. Len Duvall said that Blair had the "
        "confidence of the authority.",
        title="Police authority backs its commissioner",
    )
    leaning = [p for p in prompts(made) if re.search(r"(?<!Ian )\bBlair\b", p)]
    assert not leaning, leaning
    assert any("Ian Blair" in p for p in prompts(made))


def test_not_alone_no_question_drops_what_its_object_is_known_by():
    made = bank(
        "The Guardian ran an article that suggested that Carla Bruni would head an initiative. "
        "Joseph Pulitzer initiated a drive for donations to complete the project. Ian Blair "
        "was at the Old Bailey to hear the verdict. Bank of Nevada will purchase approximately "
        "$111 million of the bank's assets."
    )
    asked = prompts(q for q in made if q.format != "cloze")
    assert "Which news outlet ran an article?" not in asked
    assert "Who initiated a drive for donations?" not in asked
    assert not any(p.startswith("Where was") for p in asked)
    assert not any(p.startswith("How much will Bank of Nevada purchase") for p in asked)


def test_not_alone_a_fronted_participle_does_not_bind_the_pronoun_after_it():
    made = bank(
        "Constructed by the Suez Canal Company between 1859 and 1869, it was officially "
        "opened on 17 November 1869."
    )
    assert not any(re.search(r"\bit was\b", p) for p in prompts(made))


def test_wrong_wh_word_a_province_is_asked_as_a_province():
    made = bank(
        "The Liberal leader toured Ontario on Monday with 40 candidates. Ontario has 121 seats "
        "in the House of Commons, and Quebec has 78."
    )
    asked = [q for q in made if q.answer == "Ontario" and q.format != "cloze"]
    assert not any("city" in q.prompt for q in asked)
    assert all("province" in q.prompt for q in asked)
    for q in asked:  # other provinces of Canada, not states of the United States
        assert not set(q.choices or ()) & {"California", "Texas", "New York"}


def test_not_alone_a_fronted_phrase_names_no_antecedent_and_counts_need_their_moment():
    made = bank(
        "By volume of water, it is the largest lake in South America. A further six crew were "
        "present in Lima. The two plates are converging at a rate of 80 millimeters per year. "
        "But 1.94 million households were still without permanent shelter in Sichuan."
    )
    found = prompts(made)
    assert not any(re.search(r"\bit is\b|further|two plates", p) for p in found), found
    assert not any(p.startswith("How many households") for p in found), found


def test_garbled_a_fronted_date_stays_with_its_verb_and_a_first_keeps_its_clause():
    made = bank(
        'On May 20, seismologist Tom Parsons warned that there is "high risk" of a major '
        "aftershock over the next weeks. Tzu Chi was the first force from outside China to "
        'join the rescue effort. "Roh left his home at 5:45 a.m.," Moon Jae-in said.'
    )
    found = prompts(made)
    assert not any(p.endswith("on May 20?") for p in found), found
    assert "Who was the first force from outside China?" not in found
    assert not any("Moon Jae in" in p for p in found), found


def test_wrong_wh_word_no_which_organisation_for_a_name_of_unknown_kind():
    made = bank(
        "Brodie Lee won the TNT Championship in Jacksonville in 2020. Cinemark XD generated "
        "$1.85 million in 112 locations. The Yongle Emperor paid a small fortune in Nanjing."
    )
    found = prompts(q for q in made if q.format != "cloze")
    assert not any("organisation" in p or "which place" in p.lower() for p in found), found


def test_fragment_a_connective_set_into_the_first_clause():
    made = bank(
        "Late on Thursday evening, however, the Tonga-Now website quoted Akilisi Pohiva "
        "claiming victory in Nuku'alofa. Hospital chief Paek Seung-wan told reporters that "
        "Roh died of a head injury on Saturday."
    )
    found = prompts(made)
    assert not any("_____" in p and ", however," in p for p in found), found
    assert not any(p.startswith("Which chief") for p in found), found


def test_garbled_spans_from_an_event_two_places_and_passive_participles():
    made = bank(
        "In 1618, only two years after Yonten Gyatso died, the Gelug went to war in Lhasa. "
        "Prior to this, scenes involving Ralph Fiennes were shot at a restaurant in Covent "
        "Garden. The Statue of Liberty is a sculpture on Liberty Island in New York Harbor, "
        "designed by Frédéric Bartholdi and dedicated on October 28, 1886. Of the 97 people on "
        "board, there were 35 fatalities in Lakehurst."
    )
    found = prompts(made)
    assert not any(
        p.startswith(("How many years did Yonten", "By whom", "Of how many")) for p in found
    )
    assert not any(p.startswith("Where") and " at a restaurant" in p for p in found), found


def test_not_alone_an_indefinite_deed_so_far_something_and_an_institutions_his():
    made = bank(
        "Bridie Kean took a defensive rebound in London on Friday. The largest so far was a "
        "magnitude 5.6 which occurred at 7:04 p.m. in Christchurch. In late February the "
        "Tribunal denied his petition for a transfer to a hospital in Russia. "
        '"It lasts three weeks," Armstrong said of something he loved in Paris.'
    )
    found = prompts(made)
    assert "Who took a defensive rebound?" not in found
    assert not any(re.search(r"so far|\bhis petition|something", p) for p in found), found


def test_loose_aliases_no_last_word_of_a_place_the_vote_took_for_a_person():
    made = bank(
        "An emergency services helicopter was flown to a boat on Batt Reef near Cairns on "
        "Monday. The old Canterbury Provincial Chambers building, Piko Wholefoods, and a church "
        "on Durham Street have been destroyed in Christchurch."
    )
    for q in made:
        assert "Reef" not in q.accepted_answers, q  # ("Wholefoods" alone cannot be told)


def test_trivial_a_number_in_the_title_and_a_converted_range():
    made = bank(
        "At least 75 people have been killed by collapsing buildings in central Christchurch. "
        "Winds ranged from 166 and 200 miles (267 and 322 kilometres) per hour in Bridgeton.",
        title="75 people have been killed by collapsing buildings",
    )
    listed = [q for q in made if q.answer in ("At least 75", "322 kilometres")]
    order = [q.answer for q in made]
    others = [a for a in order if a not in ("At least 75", "322 kilometres")]
    assert not listed or not others or order.index(listed[0].answer) > order.index(others[0])


# Rows from read 18 (bench/reads/2026-12-07-fresh-18).


def test_bad_options_cities_of_the_keys_own_state_and_ages_near_the_key():
    made = bank(
        "Thomson is headquartered in Stamford and has 40,000 employees. Barry Stenger, 55, "
        "directs the dining hall in San Francisco."
    )
    for q in made:
        if q.answer == "Stamford" and q.choices:
            assert not set(q.choices) & {"Brooklyn", "New York City", "Los Angeles"}, q.choices
        if q.answer == "55" and q.choices:
            assert all(22 <= int(c) <= 99 for c in q.choices), q.choices


def test_wrong_wh_word_an_era_is_no_organisation():
    made = bank(
        "Queen Hatshepsut built temples at Thebes with gold from Punt. Hatshepsut reigned "
        "approximately 1479–1458 BCE."
    )
    assert not any("organisation" in p for p in prompts(made)), prompts(made)


def test_bad_options_as_precise_as_the_key():
    made = bank(
        "In January 2007, the iPod market share reached 72.7% according to Bloomberg Online."
    )
    (q,) = [q for q in made if q.answer == "72.7%" and q.choices]
    assert all(re.fullmatch(r"\d+\.\d%", c) for c in q.choices)


def test_not_alone_a_bare_percentage_of_nothing_named_is_no_question():
    made = bank("The Zune had 3% of the market in 2007, and Creative had 4.1%.")
    assert "What percentage did Creative have?" not in prompts(made)


def test_wrong_key_a_bound_is_not_asked_as_a_year():
    made = bank(
        "For all iPods released in 2006 and earlier, some equalizer sound settings would "
        "distort the bass sound far too easily, even on undemanding songs."
    )
    assert not any(q.answer == "2006" for q in made)
    kept = bank("Acme Corporation was founded in Chicago in 2006 and later moved to Boston.")
    assert any(q.answer == "2006" for q in kept)  # "and later moved": the next verb's adverb


def test_wrong_key_a_date_key_leaves_out_next_year():
    made = bank("Jacinda Ardern will visit Paris on June 24 next year.")
    assert any(q.answer == "June 24" for q in made)
    assert not any("next year" in q.answer for q in made)


def test_garbled_no_initial_from_another_sentence_before_a_surname():
    # "… arrested by M. Bond leaves the bridge": the parser reads "M. Bond" as a name, which
    # must not stand for "Bond" in the other sentences (a Wikipedia plot summary, read 19)
    made = bank(
        "Bond and Swann return to London where they meet M, Bill Tanner, Q, and Moneypenny; "
        "they intend to arrest C and stop Nine Eyes from going online. Swann leaves Bond, "
        "telling him she cannot be part of a life involving espionage, and is subsequently "
        "kidnapped. On the way, the group is ambushed and Bond is kidnapped, but the rest "
        "still proceed with the plan. After Q succeeds in preventing the Nine Eyes from going"
        " online, a brief struggle between M and C ends with the latter falling to his death."
        " Meanwhile, Bond is taken to the old MI6 building, which is scheduled for "
        "demolition, and frees himself. Moving throughout the ruined labyrinth, he encounters"
        " a disfigured Blofeld, who tells him that he has three minutes to escape the "
        "building before explosives are detonated or die trying to save Swann. Bond finds "
        "Swann and the two escape by boat as the building collapses. Bond shoots down "
        "Blofeld's helicopter, which crashes onto Westminster Bridge. As Blofeld crawls away "
        "from the wreckage, Bond confronts him but ultimately leaves him to be arrested by M."
        " Bond leaves the bridge with Swann.",
        title="Plot",
    )
    asked = [p for p in prompts(made) if "Westminster Bridge" in p or "_____" in p]
    assert asked and not any("M. Bond" in p for p in asked)


def test_not_alone_the_area_needs_more_than_a_place_in_the_title():
    # Read 20's readers split on the two "the area" prompts this let through (one failed both)
    text = "Around 12,000 residents have been evacuated from the area. One person has died."
    made = bank(text, title="Mount Sinabung erupts in Sumatra, Indonesia")
    assert "How many residents have been evacuated from the area?" not in prompts(made)


def test_not_alone_a_former_office_has_many_holders():
    made = bank("Bill Weld, the former governor of Massachusetts, endorsed Joe Smith in Boston.")
    assert not any("former governor" in p and p.startswith("Who is") for p in prompts(made))


def test_bad_options_no_suburb_or_district_of_the_key_city():
    made = bank(
        "Hikmet Hajiyev, advisor to the President of Azerbaijan, said talks will continue in Baku."
    )
    (q,) = [q for q in made if q.answer == "Baku" and q.choices]
    assert not {"Qaraçuxur", "Bilajari", "Bakıxanov"} & set(q.choices)


def test_meaning_changed_no_question_of_what_did_not_happen():
    made = bank(
        "The scores were tied fifteen times and at no point were the Australians more than "
        "five points in front."
    )
    assert not any("at no point" in p for p in prompts(made) if "_____" not in p)


def test_fragment_a_connective_without_its_comma_is_dropped_from_a_cloze():
    made = bank(
        "However the Justices dismissed the application, ruling that the Commonwealth "
        "Electoral Act was enacted within power."
    )
    clozes = [p for p in prompts(made) if "_____" in p]
    assert clozes and not any(p.startswith("However") for p in clozes)


def test_loose_aliases_a_model_name_has_no_surname():
    made = bank(
        "A car chase scene set along the banks of the Tiber River and through the streets of "
        "Rome featured an Aston Martin DB10 and a Jaguar C-X75."
    )
    (q,) = [q for q in made if q.answer == "Aston Martin DB10"]
    assert "Martin" not in q.accepted_answers


def test_wrong_key_the_austrian_alps_are_not_the_alps():
    made = bank("Hoffler Klinik is a private medical clinic in the Austrian Alps.")
    assert not any(q.answer == "Alps" for q in made)
    (q,) = [q for q in made if q.answer == "Hoffler Klinik"]
    assert "Klinik" not in q.accepted_answers  # a clinic's word is no surname


# Every how-many question of the sentence keeps a phrase the first drafts lost: garbled ("How
# many dimensional printers", "had Ministry of Health sent") or meaning changed (a joined verb
# without the fronted "According to Xinhua").
@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "Some exhibits were quite simple. Two three-dimensional printers were displayed at "
            "the Maker Faire, showing attendees how they work.",
            "three-dimensional printers",
        ),
        (
            "Soon afterward, the Ministry of Health said that it had sent ten emergency medical "
            "teams to Wenchuan County.",
            "the Ministry of Health",
        ),
        (
            "According to Xinhua, the earthquake in Sichuan killed 5,335 students and injured "
            "546 children.",
            "Xinhua",
        ),
    ],
)
def test_how_many_questions_keep_what_says_which(text, kept):
    asked = [p for p in prompts(bank(text)) if "how many" in p.lower() and "_____" not in p]
    assert asked and all(kept in p for p in asked)
    assert "Xinhua" not in text or any("children" in p for p in asked)


# Sentences no question of which may read so (a regular expression on the prompt): the row
# names the rubric's kind and what a read found.
@pytest.mark.parametrize(
    ("case", "text", "title", "pattern"),
    [
        (
            "garbled_a_qualifier_left_behind_is_no_question",
            "At least a dozen people were killed and scores more injured in Calicut.",
            None,
            r"many least|many a dozen",
        ),
        (
            "wrong_wh_word_a_drug_is_not_asked_as_an_organisation",
            "ZMapp served as a control in the PALM trial in Congo.",
            None,
            r"^Which organisation",
        ),
        (
            "wrong_key_no_blank_cut_out_of_a_name",
            "Destiny's Child won a Grammy Award in Los Angeles in 2001.",
            None,
            r"_____'s Child|Destiny's _____",
        ),
        (
            "garbled_a_bracketed_acronym_is_not_spliced_into_a_question",
            (
                "Leaders of African Union (AU) member states met in Niamey for an AU summit "
                "on Sunday."
            ),
            None,
            r"Union AU",
        ),
        (
            "trivial_a_blank_whose_word_the_prompt_writes",
            (
                'Often called the "Lost City of the Incas", Machu Picchu is the most familiar'
                " icon of Inca civilization in Peru."
            ),
            None,
            r"Lost City of the _____",
        ),
        (
            "coref_he_in_an_article_about_a_person_is_that_person",
            (
                "Ramanujan initially developed his own mathematical research in isolation. "
                'According to Hans Eysenck, "he tried to interest the leading mathematicians,'
                ' but failed". Seeking mathematicians who could understand his work, in 1913 '
                "he began a mail correspondence with the English mathematician G. H. Hardy at"
                " the University of Cambridge, England. Recognising Ramanujan's work as "
                "extraordinary, Hardy arranged for him to travel to Cambridge."
            ),
            "Srinivasa Ramanujan",
            r"Hans Eysenck begin",
        ),
        (
            "not_alone_a_time_counted_from_an_unseen_event",
            ("Napoleon abdicated 4 days later, and on 7 July coalition forces entered Paris."),
            None,
            r"days later",
        ),
        (
            "garbled_no_by_whom_for_a_passives_agent",
            ("Liberty Island in New York Harbor was designed by Frédéric Bartholdi in 1875."),
            None,
            r"^By ",
        ),
        (
            "not_alone_she_is_never_the_newspaper",
            (
                "Anna Politkovskaya worked for the Novaya Gazeta newspaper in Moscow. Her "
                "death has been confirmed by the Novaya Gazeta and Moscow prosecutors. She "
                "was 48 years old and was writing her fourth book."
            ),
            None,
            r"Novaya Gazeta was",
        ),
        (
            "not_alone_a_role_many_people_hold_is_not_asked_as_one",
            (
                "Swaminathan Krishnan, assistant professor of civil engineering at the "
                "California Institute of Technology, said the earthquake occurred in Sichuan."
            ),
            None,
            r"^Who is the assistant professor",
        ),
        (
            "meaning_changed_the_last_three_is_no_count_of_all",
            "The Gliders have won medals at the last three Paralympics in London.",
            None,
            r"^At how many Paralympics",
        ),
        (
            "not_alone_a_number_of_what_the_sentence_before_said",
            (
                "A large number are made by third party companies, although many, such as the"
                " iPod Hi-Fi, are made by Apple."
            ),
            None,
            r"^A large number",
        ),
        (
            "not_alone_an_inverted_opening_continues_the_sentence_before",
            "Trailing are South Korea with 13% and China with 8% of the world's spam.",
            None,
            r"^Trailing are",
        ),
        (
            "garbled_a_count_with_no_verb_is_no_question",
            (
                "Two existing South American trade blocs, the Andean Community (Comunidad "
                "Andina) and the Southern Common Market (Mercado Común del Sur, or Mercosur),"
                " have been combined and three previously uninvolved states included to "
                "create the community."
            ),
            "South American Community of Nations announced at Third South American Summit",
            r"^How many previously uninvolved states",
        ),
        (
            "garbled_according_to_whom",
            (
                "Members of the Brazilian Landless Workers Movement are accused of beating "
                "Paulo Nunes to death, according to Agência Estado."
            ),
            None,
            r"^According to who ",
        ),
        (
            "not_alone_compounding_the_problem",
            (
                "Compounding the problem, Apple initially would not replace worn-out "
                "batteries in Cupertino."
            ),
            None,
            r"^Compounding",
        ),
        (
            "fragment_in_return_of_what",
            (
                "In return Spectre will be given unlimited access to intelligence gathered by"
                " Nine Eyes."
            ),
            None,
            r"^In return",
        ),
        (
            "fragment_in_comparison_with_what",
            (
                "In comparison, there was a $500 million pledge made recently by the "
                "government of Japan."
            ),
            None,
            r"^In comparison",
        ),
        (
            "wrong_key_a_dateline_is_no_place_of_the_story",
            (
                "OSLO — The 2004 Nobel Peace Prize was awarded today to Dr Wangari Maathai "
                "from Kenya."
            ),
            "Nobel Peace Prize awarded to Kenyan environmental activist",
            r"^Which city",
        ),
        (
            "meaning_changed_only_is_not_moved_into_a_question",
            "Liu only returned to Chengdu several years later.",
            None,
            r"^To which city did Liu only return",
        ),
        (
            "wrong_key_since_belongs_to_a_superlative_not_to_the_verb",
            "The war has created Africa's largest refugee crisis since 1994.",
            None,
            r"^Since what year",
        ),
        (
            "wrong_key_a_compass_word_makes_another_country_of_a_demonym",
            "South Sudanese President Salva Kiir signed a cease-fire agreement on Wednesday.",
            None,
            r"of Sudan",
        ),
        (
            "not_alone_others_point_back",
            "In Nepal, more than 100 people have died and more than 120 others are missing.",
            None,
            r"(?i)how many others",
        ),
        (
            "not_alone_one_of_them_points_back",
            "Andy Morgenstern of Baltimore was one of them.",
            None,
            r"one of them",
        ),
        (
            "meaning_changed_a_character_is_not_asked_as_a_role",
            "Eva Greene is the spurned witch Angelique who is right at home in modern times.",
            None,
            r"^Who is the spurned witch",
        ),
        (
            "not_alone_a_subject_does_not_bind_its_own_possessive",
            (
                "The organization's headquarters is in Lyon, France. Its current "
                "Secretary-General is Ronald Noble, a former United States Under Secretary of "
                "the Treasury for Enforcement."
            ),
            None,
            r"^Its ",
        ),
        (
            "not_alone_an_object_pronoun_is_not_its_own_clauses_subject",
            "In 1904 Theodore Roosevelt made him Secretary of War.",
            None,
            r"\bhim\b",
        ),
        (
            "meaning_changed_the_state_a_subject_did_it_in_is_kept",
            "So far, 68 passengers have emerged injured and 124 bodies have been recovered.",
            None,
            r"emerged\?",
        ),
        (
            "garbled_a_list_of_set_scores_is_not_cut_to_its_first",
            "Federer outlasted Nadal 6-4, 3-6, 6-1, 3-6, 6-3 on Sunday.",
            None,
            r"6-4(?!, 3-6)",
        ),
        (
            "wrong_key_a_former_president_is_not_the_president",
            "The court is also trying former Liberian President Charles Taylor, who is accused of "
            "supporting rebels in the bloody conflict.",
            None,
            r"^Who is the President of Liberia",
        ),
    ],
)
def test_no_question_reads_so(case, text, title, pattern):
    assert not any(re.search(pattern, p) for p in prompts(bank(text, title=title))), case


# Keys that must not come out of these sentences (wrong key): the row names the case.
@pytest.mark.parametrize(
    ("case", "text", "bad"),
    [
        (
            "wrong_key_a_possessive_glued_to_a_name_is_no_key",
            (
                "Protesters carried signs focused on the Bush Administration‘s surveillance "
                "programs and science policies."
            ),
            "‘s",
        ),
        (
            "wrong_key_two_figures_are_no_one_key",
            (
                "South Korea and China have about 4% and 11% of the world's Internet users "
                "respectively, according to Sophos."
            ),
            "4% and 11%",
        ),
    ],
)
def test_no_key_holds(case, text, bad):
    assert not any(bad in q.answer for q in bank(text)), case


def test_garbled_a_list_keeps_its_commas_and_a_pair_its_and():
    made = bank(
        "Laird writes that Altan Khan abolished the native Mongol practices of shamanism and "
        "blood sacrifice in Mongolia."
    )
    assert any("shamanism and blood sacrifice" in p for p in prompts(made))
    listed = bank(
        "On May 16, rescue groups from South Korea, Japan, Singapore, Russia and Taiwan "
        "arrived in Chengdu to join the rescue effort."
    )
    assert not any("South Korea Japan" in p for p in prompts(listed))


def test_garbled_a_name_opening_the_sentence_keeps_its_capital():
    made = bank("Rotten Tomatoes sampled 274 reviews and judged 64% of them to be positive.")
    assert any(p.startswith("How many reviews did Rotten Tomatoes") for p in prompts(made))


def test_bad_options_no_district_of_a_capital_and_no_made_up_money_forms():
    capital = bank("Former President Bill Clinton visited Dhaka on Monday.")
    (q,) = [q for q in capital if q.answer == "Dhaka" and q.choices]
    assert not {"Nagar Naluākot", "Narsingdi"} & set(q.choices)
    relief = bank(
        "The Bush administration has pledged $350 million for the relief effort in Aceh, and "
        "Japan pledged $500 million."
    )
    options = " ".join(c for q in relief for c in (q.choices or ()))
    assert options and not re.search(r"\$\d,\d{3} million", options)  # "$1,100 million"


def test_wrong_key_the_city_alone_is_right_for_city_of_province():
    made = bank(
        "Liu commanded a fleet of hundreds of ships while stationed for a year in Chengdu of "
        "Sichuan."
    )
    (q,) = [q for q in made if q.answer == "Chengdu of Sichuan"]
    assert "Chengdu" in q.accepted_answers


# Read 27's failure kinds


def test_meaning_changed_either_of_two_predicates_is_not_asked_as_one():
    made = bank("At least 134 passengers were rescued or swam ashore after the ferry sank.")
    assert not any(p.startswith("How many passengers were rescued") for p in prompts(made))
    assert any(q.answer == "At least 134" for q in made)  # the cloze keeps both


def test_meaning_changed_a_sentence_inside_a_quotation_is_not_asked_as_fact():
    made = bank(
        '"We update the information as it comes to us. For the injured, the latest figure is '
        '446. We are setting up bases in Quetta and Karachi," said Aleem, a spokesman.'
    )
    assert not any(q.answer == "446" for q in made)


# Read 28's failure kinds


def test_wrong_key_a_hyphenated_number_is_blanked_as_written():
    made = bank("On Thursday, Mr. Jammeh said Gambians would elect him to a new five-year term.")
    (q,) = [q for q in made if q.format == "cloze" and "_____ term" in q.prompt]
    assert q.answer == "five-year" and "five years" in q.accepted_answers


# Read 31's failure kinds


def test_loose_aliases_a_name_before_stadium_is_the_stadium_not_a_person():
    made = bank(
        "The match at Jakarta's Gelora Bung Karno stadium was Iraq's first-ever trip to the "
        "Asian Cup final."
    )
    (q,) = [q for q in made if q.answer == "Gelora Bung Karno"]
    assert q.category == "where" and "Karno" not in q.accepted_answers


def test_fragment_no_cloze_cut_inside_brackets_or_opening_with_a_pronoun():
    made = bank(
        "The Night Watch or The Shooting Company of Frans Banninck Cocq (Dutch: De Schutterij "
        "van Frans Banninck Cocq or De Nachtwacht), is a 1642 painting by Rembrandt van Rijn, "
        "and it is in the collection of the Amsterdam Museum but is prominently displayed in "
        "the Rijksmuseum as the best known painting in its collection."
    )
    clozes = [p for p in prompts(made) if "_____" in p]
    assert not any(p.count("(") != p.count(")") for p in clozes)
    assert not any(p.startswith("It ") for p in clozes)


def test_not_alone_an_object_pronoun_finds_its_name_in_another_clause_or_a_possessor():
    # "Roosevelt made him …" refused (the table above); a name in another clause, or a
    # possessor in the pronoun's own clause, still says who "him" is
    charged = prompts(bank("Police arrested Smith in Detroit and charged him with murder."))
    assert any("charged him" in p for p in charged)
    hired = prompts(bank("Smith's brother hired him in 1990 at the Ford Motor Company in Detroit."))
    assert any("hired him" in p for p in hired)


def test_bad_options_a_year_asked_as_a_bound_gets_none():
    # read 33: beside "After what year …?" every earlier year is literally true as well
    made = bank(
        "Taft was allied with the conservative wing of the Republican Party, while Roosevelt "
        "became more liberal after 1909."
    )
    bounds = [q for q in made if q.prompt.startswith("After what year")]
    assert bounds and all(q.format == "short_answer" and not q.choices for q in bounds)


def test_trivial_the_title_with_a_kind_of_building_after_it():
    # read 33: "… which later became _____." → "Peterborough Cathedral" under "Peterborough"
    assert readback.trivial("Peterborough Cathedral", "Peterborough")
    assert not readback.trivial("Ely Cathedral", "Peterborough")
    data = json.dumps(
        {
            "title": "Peterborough",
            "text": "The Anglo-Saxon period saw the establishment of a monastery, then known as "
            "Medeshamstede, which later became Peterborough Cathedral.",
        }
    ).encode("utf-8")
    made = generate_bank(parse_article(data, "case.json", "json"))
    assert made.questions
    assert made.questions[0].answer != "Peterborough Cathedral"


def test_not_alone_an_aside_dated_by_the_day_of_writing_is_dropped_from_a_cloze():
    # read 33: "(2000 yesterday UTC)" kept every cloze of a story's lead sentence out
    made = bank(
        "A magnitude 6.4 earthquake hit southern Taiwan around 4:00am local time (2000 "
        "yesterday UTC) southeast of Tainan, a city with about two million people."
    )
    clozes = [p for p in prompts(made) if "_____" in p]
    assert clozes
    assert not any("yesterday" in p or "(" in p for p in clozes)


def _listed(text: str) -> list:
    made = generate_bank(parse_article(json.dumps({"text": text}).encode(), "case.json", "json"))
    return list(made.questions)


def _alternates(text: str) -> list:
    made = generate_bank(parse_article(json.dumps({"text": text}).encode(), "case.json", "json"))
    return list(made.alternates)


def _all_from_txt(text: str) -> list:
    """Every question (listed and alternates) of a plain-text article: headline, blank line,
    paragraphs."""
    made = generate_bank(parse_article(text.encode(), "article.txt", "txt"))
    return [*made.questions, *made.alternates]


def _listed_from_txt(text: str) -> list:
    """The listed questions (no alternates) of a plain-text article."""
    return list(generate_bank(parse_article(text.encode(), "article.txt", "txt")).questions)


def test_trivial_a_continent_or_an_ocean_and_a_day_beside_its_neighbour_are_not_listed():
    # read 34: Vanuatu "located in the _____" (South Pacific), Madagascar "off the southeastern
    # coast of _____" (Africa), "battered northern Philippines _____ and Sunday" (Saturday)
    listed = _listed(
        "Madagascar is an island country in the Indian Ocean, off the southeastern coast of "
        "Africa. The slow-moving typhoon battered the northern Philippines Saturday and Sunday, "
        "triggering floods and landslides that killed 10 people in Luzon."
    )
    answers = {q.answer for q in listed}
    assert not answers & {"Africa", "Indian Ocean", "the Indian Ocean", "Saturday"}
    assert readback.continent_key("the South Pacific")
    assert not readback.continent_key("South Africa")
    assert readback.day_beside_a_day("battered the Philippines _____ and Sunday")


def test_not_alone_and_garbled_from_read_34():
    # "that post", a count of what remains, "the war" with nothing to say which
    assert readback.wh_reject("Which defense minister will return to that post?") == (
        readback.NOT_ALONE
    )
    assert readback.wh_reject("How many shuttle missions remain?") == readback.NOT_ALONE
    assert readback.wh_reject("Who took bronze in that race?") == readback.NOT_ALONE
    crane = prompts(
        bank(
            "Although Crane was born after the war, and had not at the time experienced battle "
            "firsthand, the novel is known for its realism.",
            title="The Red Badge of Courage",
        )
    )
    assert not any("after the war" in p for p in crane)
    # a date used as an adjective is no blank: "Following a _____, release date"
    tour = prompts(
        bank("Following a July 4, 2005, release date, Stevens promoted Illinois with a world tour.")
    )
    assert not any("a _____, release" in p for p in tour)


def test_loose_aliases_a_kind_of_body_is_not_the_name():
    # read 35: "University" accepted for the University of Pennsylvania (a town in Florida is
    # called University)
    made = bank(
        "For the most part, Franklin Peale's education was informal, though he took some "
        "classes at the University of Pennsylvania."
    )
    keyed = [q for q in made if q.answer == "University of Pennsylvania"]
    assert keyed
    assert all("University" not in q.accepted_answers for q in keyed)


def test_garbled_from_read_36_a_name_cut_from_its_kind_a_dropped_quotation_typed_quotes():
    album = prompts(
        bank(
            "Sky Blue Sky is the sixth studio album by Chicago rock band Wilco, released on "
            "May 15, 2007, by Nonesuch Records."
        )
    )
    assert not any(p.endswith("rock band?") or "rock band released" in p for p in album)
    pilot = prompts(
        bank(
            "The pilot episode of the American comedy television series Parks and Recreation "
            "originally aired on April 9, 2009."
        )
    )
    assert not any("television series originally" in p for p in pilot)
    coin = prompts(
        bank(
            'Numismatist Mark Benvenuto called the twenty-cent piece "a chapter of U.S. coinage '
            'history that closed almost before it began".'
        )
    )
    assert "Who called the twenty-cent piece?" not in coin
    assert readback.typed_quotes("which lies along the Pacific ``Rim of Fire.''")


def test_not_alone_and_trivial_from_reads_37_and_38():
    # "How much did Antigua and Barbuda sustain?": a how-much question that ends on its verb
    # (lost in what, earned where?) was failed 8 times of 8; one that goes on is asked
    listed = _listed(
        "Hurricane Gonzalo struck the Leeward Islands in October 2014. Antigua and Barbuda "
        "sustained US$40 million in losses, and three people died on Saint Martin and Saint "
        "Barthélemy. Cinemark XD generated $1.85 million in 112 XD locations during the opening "
        "weekend."
    )
    prompts_ = [q.prompt for q in listed]
    assert "How much did Antigua and Barbuda sustain?" not in prompts_
    assert "How much did Cinemark XD generate during the opening weekend?" in prompts_
    nlp = load_nlp()
    sent = next(nlp("The probe will spend at least 15 months studying the planet.").sents)
    assert readback.amount_without_measure("How many months will the probe spend?", sent)
    sent = next(nlp("The government spent $441 billion on relief efforts.").sents)
    assert not readback.amount_without_measure(
        "How much did the government spend on relief efforts?", sent
    )
    # the Earth and the home nations are general knowledge, like a country or a continent
    assert readback.continent_key("Earth") and readback.continent_key("the Earth")
    assert readback.country_key("England") and readback.country_key("Scotland")
    assert not readback.country_key("Buckinghamshire")


def test_not_alone_a_capital_that_only_opens_the_sentence_names_no_company():
    # read 38: "Digital" (tagged an organisation) did not say which company "the company" is
    text = (
        "Digital cameras, camcorders and organizers had well-established mainstream markets, "
        "but the company found existing digital music players big and clunky, so Apple decided "
        "to develop its own."
    )
    sent = next(load_nlp()(text).sents)
    prompt = text.replace("Apple", "_____")
    assert readback.bare_definite(prompt, sent)


def cloze(sentence: str, answer: str) -> str | None:
    """The readback's verdict on `sentence` with `answer` blanked, parsed alone."""
    doc = load_nlp()(sentence)
    start = sentence.index(answer)
    span = doc.char_span(start, start + len(answer), alignment_mode="expand")
    prompt = sentence[:start] + "_____" + sentence[start + len(answer) :]
    return readback.cloze_reject(prompt, next(doc.sents), span)


def test_read_40_not_alone_and_wrong_key():
    nlp = load_nlp()

    # a verbless description the parse made a second subject is no antecedent for "it"
    assert (
        cloze(
            "One of the newest designations in the U.S. Highway System, it was created in 2003 "
            "as a renumbering of U.S. Route 666.",
            "2003",
        )
        == readback.NOT_ALONE
    )
    # "they" needs something plural: one scientist in the blank, "water" and "life" before it
    assert (
        cloze(
            "Water, of course, is essential to life as we know it, but project scientist Peter "
            "Smith said they've found more than just water.",
            "Peter Smith",
        )
        == readback.NOT_ALONE
    )
    # … which a company or a people is
    assert (
        cloze(
            "The English had plundered and burnt their way across northern France from Calais "
            "to Paris.",
            "Calais",
        )
        is None
    )
    # a blank after "<Title word> of" cuts a name in half; an office does not
    assert (
        cloze(
            "Naguib Mahfouz's Children of Gabalawi was banned in Egypt, because it was viewed "
            "as criticizing Islam.",
            "Gabalawi",
        )
        == readback.CUT_NAME
    )
    assert (
        cloze(
            "Herbert Greenfield was a Canadian politician who served as the fourth Premier of "
            "Alberta from 1921 until 1925.",
            "Alberta",
        )
        is None
    )
    # a role without its film has many answers
    assert readback.wh_reject("Who did Nicholas Hoult play?") == readback.NOT_ALONE
    assert readback.wh_reject("Who did Nicholas Hoult play in The Favourite?") is None
    # a list is no key, nor a given name the paragraph writes in full
    assert readback.list_key("Mendips, Quantocks and Exmoor")
    assert not readback.list_key("Antigua and Barbuda")
    sent = next(
        nlp(
            "Most of the narrative centres on Michael Dawson, and critics responded well to "
            "Michael's emotional journey."
        ).sents
    )
    assert readback.given_name_only("Michael", sent)
    assert not readback.given_name_only("Dawson", sent)


def test_read_40_a_quoted_title_is_nobody_and_a_picture_is_not_shown():
    listed = _listed(
        '"Meet Kevin Johnson" is the eighth episode of the fourth season of Lost and first aired '
        "March 20, 2008, on ABC. Adam Williams and Rachel Bradley (James Nesbitt, pictured, and "
        "Helen Baxendale) are a new couple who go through dating, marriage and the birth of a "
        "child. The station building and its associated house (pictured) were built by the "
        "Metropolitan Railway in 1868."
    )
    made = listed + _alternates(
        '"Meet Kevin Johnson" is the eighth episode of the fourth season of Lost and first aired '
        "March 20, 2008, on ABC."
    )
    assert not any(q.prompt.startswith("Who is the eighth episode") for q in made)
    assert not any("pictured" in q.prompt for q in listed)


def test_read_41_trivial_region_of_a_large_city_and_a_bare_ordinal():
    # where a large city lies is general knowledge; a small place's region is not
    assert readback.container_of_a_known_city("The game was played in Boston, _____.")
    assert readback.container_of_a_known_city("The team is based in Toronto, _____, Canada.")
    assert not readback.container_of_a_known_city(
        "A refinery burned at Ichihara, _____ prefecture."
    )
    listed = _listed(
        "The 1921 Centre vs. Harvard football game was played on October 29, 1921, at Harvard "
        "Stadium in Boston, Massachusetts. Centre won the game 6–0."
    )
    assert "Massachusetts" not in {q.answer for q in listed}
    # "The first is the price of gas": the first of what?
    sent = next(
        load_nlp()("The first is the price of gas, which has dropped to 2004 levels.").sents
    )
    assert readback.leaning_pronoun(sent)
    sent = next(load_nlp()("Ousainu Darboe came in second with 17 percent of the vote.").sents)
    assert not readback.leaning_pronoun(sent)


def test_meaning_changed_he_is_the_person_the_lead_defines():
    # read 39: "He wrote several books" after "… where he met President Theodore Roosevelt"
    # became "Theodore Roosevelt wrote several books"; read 41: "She was introduced …" after
    # "… played by Rachel Bright" became the actress
    made = []
    for text in (
        "Ezra Meeker (1830–1928) was an American pioneer who traveled the Oregon Trail by "
        "ox-drawn wagon in 1852. In 1906, he retraced his steps along the Oregon Trail; he "
        "reached Washington, D.C., where he met President Theodore Roosevelt. He wrote several "
        "books, and traveled the Trail again by airplane in 1924.",
        "Poppy Meadow is a fictional character from the BBC soap opera EastEnders, played by "
        "Rachel Bright. She was introduced by executive producer Bryan Kirkwood on 11 January "
        "2011 as the best friend of established character Jodie Gold.",
    ):
        made += _listed(text) + _alternates(text)
    prompts_ = " | ".join(q.prompt for q in made)
    assert "Roosevelt wrote" not in prompts_ and "Theodore Roosevelt travel" not in prompts_
    assert "Rachel Bright was introduced" not in prompts_
    assert "was Rachel Bright introduced" not in prompts_
    assert "Ezra Meeker travel the Trail again" in prompts_
    assert "was Poppy Meadow introduced" in prompts_


def test_read_42_datelines_percentages_names_and_said_nothing():
    # a blank inside a dateline ("NAYPYIDAW, Myanmar, Jan. 31 (UPI) --", "ISTANBUL (AP) —")
    for text in (
        "NAYPYIDAW, Myanmar, Jan. 31 (UPI) -- Myanmar's new military-led Parliament opened "
        "Monday, nearly three months after elections widely rejected as a sham.",
        "ISTANBUL (AP) — Serena Williams ended her best season in suitable style, beating Li "
        "Na on Sunday for her second straight WTA Championships title.",
    ):
        made = _listed(text) + _alternates(text)
        assert made
        assert not any(
            q.prompt.startswith(("_____, Myanmar", "NAYPYIDAW", "ISTANBUL")) for q in made
        )
    # the size of a change is asked "By what percentage"; a company's revenue is no city's
    text = "Toyota's revenue increased 49 percent to $835 million in 2008."
    made = _listed(text) + _alternates(text)
    assert any(
        q.prompt.startswith("By what percentage did Toyota's revenue increase") for q in made
    )
    assert not any(q.prompt.startswith(("What percentage", "Which city's")) for q in made)
    # the ampersand of a name stays
    text = (
        "The Concert in Central Park is the first live album by American folk rock duo Simon & "
        "Garfunkel, released in February 1982 on Warner Bros. Records."
    )
    made = _listed(text) + _alternates(text)
    assert not any("Simon Garfunkel" in q.prompt for q in made)
    # a verb of saying without what was said; a record label is no "company" to release on
    assert (
        readback.wh_reject(
            "On what day did team leader Alex Wolszczan say in a Penn State release?"
        )
        == readback.GARBLED
    )
    assert readback.wh_reject("What did Alex Wolszczan say in a release?") is None
    assert (
        readback.wh_reject("On which company was the album released in February 1982?")
        == readback.GARBLED
    )
    # a count of the names listed right after it
    assert readback.count_listed(
        "Chadderton was distinguished by its _____ mansions, Foxdenton Hall and Chadderton Hall.",
        "two",
    )
    assert not readback.count_listed("There were _____ deaths in the city.", "two")


def test_read_42_not_alone_it_and_another():
    # the subject of "released it" is not what "it" is
    assert (
        cloze("Epic Records released it as the lead single on March 27, 2023.", "Epic Records")
        == readback.NOT_ALONE
    )
    # "another" that ends the sentence's own count leans on nothing
    assert (
        cloze(
            "The barn owl is found in most parts of the world, with one major lineage in the New "
            "World, one in Australasia, and another in Eurasia and Africa.",
            "Australasia",
        )
        is None
    )
    assert readback.leaning_phrase("Another bomb exploded in the market.")


def test_not_alone_a_definite_the_made_title_explains():
    # an article without a headline gets a title from its lead ("Mother: song"), which the
    # student reads: "the song" then says which (readers accept what the title explains)
    text = (
        '"Mother" is a song by American singer-songwriter Meghan Trainor from her album '
        "Takin' It Back. The song reached the top 30 in Belgium, Ireland, Suriname, and the "
        "United Kingdom."
    )
    made = _listed(text) + _alternates(text)
    assert any(q.prompt.startswith("The song reached the top") for q in made)


def test_not_alone_a_figure_of_the_quarter():
    # read 42: "… were added in the quarter", "at the end of the quarter": which quarter?
    assert readback.leaning_phrase("The subscriber base was _____ at the end of the quarter.")
    assert not readback.leaning_phrase("Federer lost in the quarter-final to _____.")


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        # read 43: a dateline written with a colon
        (
            "Kuwait ex-minister jailed\n\nCairo: A special Kuwaiti court had sentenced a former "
            "health minister to seven years in prison on corruption charges, the first such "
            "verdict in the country.",
            ("Cairo:", "_____:"),
        ),
        # read 45: an agency closes the dateline without a dash
        (
            "Villarreal signs Moreno\n\nBarcelona, June 12 (IANS) Spanish football club "
            "Villarreal on Tuesday announced the signing of Spanish striker Gerard Moreno to a "
            "five-year contract, after three seasons with Espanyol.",
            ("Barcelona", "_____, June 12", "IANS"),
        ),
    ],
)
def test_garbled_no_dateline_stays_in_a_cloze(text, dateline):
    prompts_ = [q.prompt for q in _all_from_txt(text)]
    assert prompts_ and not any(p.startswith(dateline) or "(IANS)" in p for p in prompts_)


def test_read_43_spliced_dates_and_partial_give_aways():
    assert (
        readback.wh_reject("From what date was Edward 18 March 978 King of the English?")
        == readback.GARBLED
    )
    assert readback.wh_reject("Who was born on 12 May 1920 in Paris?") is None
    # "Yale" shows the key "Yale University"; "(died 411)" the year of "September 411"
    assert gives_away(
        {"prompt": "Allison Merritt, a graduate student at Yale, said the result was exciting."},
        {"answer": "Yale University"},
    )
    assert gives_away(
        {"prompt": "Constantine III (died 411) was a Roman general."}, {"answer": "September 411"}
    )
    assert not gives_away({"prompt": "He moved to Boston in 1990."}, {"answer": "York University"})


def test_asked_again_a_surname_after_the_full_name():
    # read 43: "_____ of Joe Gibbs Racing was the listed winner" (Aric Almirola), then "…
    # making _____ the official race winner" (Almirola): the same person asked twice
    text = (
        "The 2007 AT&T 250 was a NASCAR Busch Series stock car race that took place on June "
        "23, 2007. Held at the Milwaukee Mile in West Allis, Wisconsin, the race was the 17th"
        " of 35 in the 2007 season of the Busch Series. Aric Almirola (pictured) of Joe Gibbs"
        " Racing was the listed winner of the race. Gibbs intended for NASCAR Nextel Cup "
        "Series regular Denny Hamlin to run the race, but the Cup Series was racing that "
        "weekend at Sonoma Raceway in Sonoma, California, and Hamlin did not arrive in time "
        "to start the race. Almirola started instead and ran the first 59 laps before he was "
        "pulled out of the car under caution; Hamlin finished the race and came from behind "
        "to win after losing a lap to the leaders during the driver change. NASCAR rules "
        "state that the driver who starts the race gets credit for the result, making "
        "Almirola the official race winner. The driver change frustrated Almirola, who "
        "proceeded to leave the track before the race ended."
    )
    keys = [q.answer for q in _listed(text)]
    assert not ("Aric Almirola" in keys and "Almirola" in keys)


def test_garbled_a_question_with_a_clause_spliced_on_by_but():
    prompt = "Who were Gibbs but intended for NASCAR Nextel Cup Series to run the race?"
    assert readback.wh_reject(prompt) == readback.GARBLED


def test_gives_away_a_word_of_a_name():
    # read 44: "After Bardanes's failed rebellion …" shows the key "Bardanes Tourkos";
    # "the wife of Emperor Leo I" beside "Verina"; "U2 delayed …" shows the key "U2"
    assert gives_away(
        {"prompt": "After Bardanes's failed rebellion in 803, Thomas fell."},
        {"answer": "Bardanes Tourkos"},
    )
    assert gives_away(
        {"prompt": "Basiliscus was the brother of Verina."}, {"answer": "Empress Aelia Verina"}
    )
    assert gives_away({"prompt": "U2 delayed performing the song in 1987."}, {"answer": "U2"})
    # a common word written in lower case, a title or a kind word shows nothing
    assert not gives_away({"prompt": "The tree fell in 1987."}, {"answer": "Joshua Tree Tour"})
    assert not gives_away({"prompt": "The Emperor fled."}, {"answer": "Emperor Leo I"})


def test_not_alone_a_figure_without_its_company():
    # reads 42 and 44: "Revenue rose _____ to $14.4 billion": whose revenue, which period?
    assert readback.leaning_phrase("Revenue rose _____ to $14.4 billion.")
    assert readback.wh_reject("By what percentage did revenue increase to $835 million?") == (
        readback.NOT_ALONE
    )
    assert not readback.leaning_phrase("Sales of the iPod rose _____ in 2005.")
    assert not readback.leaning_phrase("Microsoft said revenue rose _____.")


def test_read_45_bounded_spans_given_names_and_apostrophes():
    # "less than two years" is not "two"
    text = "Moldova vote\n\nThe poll is the third parliamentary election in less than two years."
    for q in _all_from_txt(text):
        if q.answer == "less than two years":
            assert not {"two", "2"} & set(q.accepted_answers)
    # "Lu" (alone once) after "Lu Jing" elsewhere in the article
    text = (
        "Schools reopen\n\nLu Jing said the date would be announced later.\n\n"
        "\u201cWe will not ask schools to teach on weekends,\u201d said Lu."
    )
    assert not any(q.answer == "Lu" for q in _all_from_txt(text))
    # the apostrophe of "two years' probation" left after the blank
    assert cloze("Michael Applebaum has also received two years' probation.", "two years") == (
        readback.GARBLED
    )


def test_read_48_wrong_key_a_blank_never_holds_part_of_a_name_or_a_date():
    # the blank held "St George" of the Order of St Michael and St George, "Theatre" of Ford's
    # Theatre, "Eye" of Echoes of the Eye, "January 1963" of 15 January 1963
    assert (
        cloze(
            "Eastick was made a Companion of the Order of St Michael and St George and knighted "
            "for his volunteer work.",
            "St George",
        )
        == readback.CUT_NAME
    )
    assert (
        cloze("Hay stood by his deathbed after Lincoln was shot at Ford's Theatre.", "Theatre")
        == readback.CUT_NAME
    )
    assert cloze("An expansion, Echoes of the Eye, was released in 2021.", "Eye") == (
        readback.CUT_NAME
    )
    assert (
        cloze(
            "The offensive lasted from 28 December 1962 to 15 January 1963 in Katanga.",
            "January 1963",
        )
        == readback.CUT_NAME
    )
    assert cloze("The title, The Promise, refers to a pledge made to the maid.", "Promise") == (
        readback.CUT_NAME
    )
    # the whole name and date stay askable
    assert cloze("Hay stood by his deathbed after Lincoln was shot at Ford's Theatre.", "Hay") != (
        readback.CUT_NAME
    )
    assert cloze("The Prime Minister of France met the union leaders in Paris.", "France") != (
        readback.CUT_NAME
    )


def test_read_48_wrong_key_a_title_word_that_opens_a_name_and_a_currency_sign_stay_in_it():
    made = _all_from_txt(
        "Stadium vote\n\nThe Metro Council voted Tuesday night to approve funding for the "
        "hotly-debated Major League Soccer stadium proposed for the Nashville Fairgrounds.\n\n"
        "Galgut, who was previously nominated in 2003 and 2010, picked up the £50,000 prize "
        "at a ceremony on Wednesday."
    )
    keys = {q.answer for q in made}
    assert "League Soccer" not in keys and "50,000" not in keys
    assert any(q.answer == "£50,000" for q in made)


def test_read_48_meaning_changed_he_goes_on_being_who_he_was_not_whom_he_named():
    made = _all_from_txt(
        "Earl Russell\n\nFrank Russell was a British nobleman and barrister. He married "
        "Mabel Scott in 1890, but they soon separated. In June 1901, he was arrested for "
        'bigamy.\n\nGibson said 38 bodies were in a morgue. "I know the figure of 65 has been '
        'mentioned (by Prime Minister John Key). It will be higher," he warned. "We have been '
        'pulling 20 or 30 people out of buildings," he told National Radio.'
    )
    assert not any(
        "Mabel Scott arrested" in q.prompt or "Mabel Scott was" in q.prompt for q in made
    )
    assert not any("John Key told" in q.prompt for q in made)
    # "20 or 30": one end of an either-or is no key
    assert not any(q.answer in ("20", "30") for q in made)


def test_read_48_garbled_no_time_of_nothing_no_small_clause_no_aside_spilled():
    made = _all_from_txt(
        "E. coli cases\n\nThrough midday Tuesday, no other cases have been reported.\n\n"
        "Her departure leaves a divided Conservative Party seeking a leader who can unify "
        "its warring factions.\n\n"
        "Post-war, Tom Eastick was state president of the Returned Sailors', Soldiers' and "
        "Airmen's Imperial League of Australia (the Returned & Services League from 1965) for "
        "fifteen years."
    )
    wh = [q.prompt for q in made if q.format != "cloze"]
    assert not any("no other cases" in p for p in wh)
    assert not any(p.startswith("Which party does") for p in wh)
    assert not any("1965" in p or q.answer == "1965" for p, q in zip(wh, made, strict=False))
    assert not any(q.answer == "1965" and q.format != "cloze" for q in made)


def test_read_48_loose_aliases_a_companys_adjective_and_a_unit_written_singular():
    made = _all_from_txt(
        "Outer Wilds\n\nOuter Wilds is a 2019 action-adventure video game developed by Mobius "
        "Digital and published by Annapurna Interactive.\n\nHaving been in the position for "
        "only 44 day, Truss officially had the shortest tenure of any prime minister."
    )
    for q in made:
        assert "Interactive" not in q.accepted_answers and "Digital" not in q.accepted_answers
        if q.answer == "44 day":
            assert "44 days" in q.accepted_answers


# Articles and a question the bank must not hold (listed or alternate), each failed by a reader.
_NO_SUCH_QUESTION = [
    pytest.param(
        "Operation Grandslam\n\nIn December 1962 Katangese gendarmes attacked UN peacekeepers. "
        "Katanga's leader, Moïse Tshombe, repeatedly violated agreements he had made with the "
        "UN and the Congolese government.",
        lambda q: q.prompt == "Who is Katanga's leader?",
        id="read 48: a role of 1962 is no 'Who is'",
    ),
    pytest.param(
        'Wrestler dies\n\nJon Huber died on Saturday.\n\n"Heartbroken and numb," writes '
        "Huber's longtime tag team partner Erick Rowan on Instagram.",
        lambda q: q.answer == "Heartbroken",
        id="an adjective the model took for a person is no key",
    ),
]


_NO_SUCH_QUESTION += [
    pytest.param(
        "Berlin film festival\n\nBerlinale saw acclaimed director Steven Spielberg receive "
        "the Honorary Golden Bear for Lifetime Achievement.",
        lambda q: q.prompt.startswith("Which director receive"),
        id="read 51: the subject of a bare infinitive keeps no uninflected verb",
    ),
    pytest.param(
        "John Young Brown\n\nAfter an unsuccessful gubernatorial bid in 1871, Brown served in "
        "the House from 1872 to 1877, and was censured for a speech.",
        lambda q: q.prompt.startswith("From what year") and q.answer == "1872",
        id="read 51: the start of a range is not asked without its end",
    ),
    pytest.param(
        "Kentucky governors\n\nAfter the Republicans won the 1895 election, William Goebel was "
        "chosen as the Democrats' 1899 candidate, although a disgruntled faction selected Brown.",
        lambda q: q.answer == "1899" and q.category == "how_many",
        id="read 51: a year before a singular noun is no count",
    ),
    pytest.param(
        "Niels Bohr\n\nIn September 1943 Bohr fled to Britain. There Niels Bohr joined the "
        "Tube Alloys nuclear weapons project, and later the Manhattan Project.",
        lambda q: q.prompt.startswith("There Niels Bohr"),
        id="read 51: a locative 'There' opening a cloze points back",
    ),
    pytest.param(
        "Niels Bohr\n\nIn three articles published in 1913, he proposed the Bohr model of the "
        "atom.",
        lambda q: q.prompt == "In what year were three articles published?",
        id="read 51: a bare count as the subject says nothing of which",
    ),
    pytest.param(
        "Spacecraft lands on the moon\n\nIntuitive Machines built the Odysseus lander. NASA "
        "paid the company a reported $118 million for the moon mission.",
        lambda q: "NASA paid the company" in q.prompt,
        id="read 51: the verb's subject is not the company its object names",
    ),
]


@pytest.mark.parametrize(("text", "bad"), _NO_SUCH_QUESTION)
def test_no_such_question(text, bad):
    made = _all_from_txt(text)
    assert not [q.prompt for q in made if bad(q)]


def test_read_47_a_broadcasters_dateline_and_a_fact_whose_question_fails_is_asked_by_cloze():
    made = _all_from_txt(
        "City council passes budget\n\nCHICAGO (CBS)\u2013The Chicago City Council voted 29 to "
        "21 on Tuesday to approve Mayor Lori Lightfoot's $11.6 billion budget for 2020.\n\n"
        "The budget closes a $838 million gap, aldermen said."
    )
    assert made and not any("CBS" in q.prompt or "CHICAGO" in q.prompt for q in made)
    # "According to aldermen, how much does the budget close?" loses the gap; its cloze asks it
    gap = [q for q in made if q.answer == "$838 million"]
    assert gap and all(q.format == "cloze" and "gap" in q.prompt for q in gap)


def test_not_alone_a_dummy_it_and_a_fronted_possessive_need_no_antecedent():
    # Wikinews: "On September 25, it was reported Baker was hospitalized …" and "At the time
    # of her murder, Qandeel Baloch, nicknamed …, had about 750,000 followers" stand alone
    nlp = load_nlp()
    doc = nlp("On September 25, it was reported Baker was hospitalized in critical condition.")
    assert not readback.leaning_pronoun(next(doc.sents), doc[1:3])
    doc = nlp(
        'At the time of her murder, Qandeel Baloch, nicknamed the "Kim Kardashian of '
        'Pakistan," had about 750,000 followers on Facebook, and wrote about feminism.'
    )
    start = doc.text.index("about 750,000")
    assert not readback.leaning_pronoun(
        next(doc.sents), doc.char_span(start, start + len("about 750,000"))
    )
    # a result clause's "it" is the thing called so
    doc = nlp('Game Informer called it "so creative that it rivals the best of Hollywood".')
    assert readback.leaning_pronoun(next(doc.sents), doc[0:2])


def test_not_alone_a_headlines_one_person_is_the_storys_she():
    made = _all_from_txt(
        "Japanese wrestler Hana Kimura dies aged 22\n\nThe promotion Stardom announced the "
        "death on Saturday. She had joined Stardom in 2019.\n\nHana Kimura was a star of the "
        "reality show Terrace House."
    )
    assert any(q.answer == "2019" and "Hana Kimura" in q.prompt for q in made)
    assert not any("dies aged" in q.prompt for q in made)


def test_a_person_is_no_place_for_a_surname_or_an_office_of_state():
    # Wikinews: "US Secretary of State Mike Pompeo" was voted a place ("of State" read as "the
    # state of"), "Eric Clapton" too (Clapton is a district of London)
    from quizapp.generation.entities import NameTable, repair_spans

    nlp = load_nlp()
    docs = [
        repair_spans(nlp(t))
        for t in (
            "US Secretary of State Mike Pompeo posted a message on Twitter blaming Iran.",
            "In 1966, Baker, Jack Bruce and singer/guitarist Eric Clapton formed Cream.",
        )
    ]
    names = NameTable([e for d in docs for e in d.ents])
    assert names.get("Mike Pompeo").kind == "person"
    assert names.get("Eric Clapton").kind == "person"


def test_meaning_changed_he_of_a_fronted_phrase_is_not_the_person_it_names():
    # Wikipedia (Chopin): "In letters to Woyciechowski, he indicated …; his letter … revealed
    # …. His final Conservatory report …" — "His" is Chopin's, never Woyciechowski's
    made = bank(
        "Four boarders at his parents' apartments became Chopin's intimates: Tytus "
        "Woyciechowski, Jan Nepomucen Białobłocki, Jan Matuszyński and Julian Fontana; the "
        "latter two would become part of his Paris milieu. He was friendly with members of "
        "Warsaw's young artistic and intellectual world, including Fontana, Józef Bohdan "
        "Zaleski and Stefan Witwicki. He was also attracted to the singing student Konstancja "
        "Gładkowska. In letters to Woyciechowski, he indicated which of his works, and even "
        "which of their passages, were influenced by his fascination with her; his letter of "
        "15 May 1830 revealed that the slow movement (Larghetto) of his Piano Concerto No. 1 "
        "(in E minor) was secretly dedicated to her. His final Conservatory report (July "
        '1829) read: "Chopin F., third-year student, exceptional talent, musical genius."',
        title="Frédéric Chopin",
    )
    assert not any(
        "Woyciechowski's final" in q.prompt or "Gładkowska's final" in q.prompt for q in made
    )


def test_more_facts_an_appositive_age_of_a_person_the_model_called_an_organisation():
    # Wikinews: "Adamowicz, 53, has supported …" (the model: ORG) gave no age question
    made = _all_from_txt(
        "Gdansk mayor stabbed\n\nGdańsk mayor Paweł Adamowicz was stabbed on stage on "
        "Sunday. Adamowicz, 53, has supported LGBT rights and the inclusion of minority groups."
    )
    ages = [q for q in made if q.answer == "53"]
    assert ages and any(q.prompt == "How old was Paweł Adamowicz?" for q in ages)


def test_not_alone_another_set_against_the_sentences_own_noun_and_a_subjectless_parse():
    # "another state" after "in 36 states", "and another his sister": the sentence says which
    assert not readback.leaning_phrase(
        "The researchers also found in _____ states most of the people who died were "
        "affected by pollution generated in another state."
    )
    assert not readback.leaning_phrase(
        "A military coup removed Thaksin Shinawatra in _____, and another his sister in 2014."
    )
    assert readback.leaning_phrase("Another _____ people were injured on Monday.")
    # a parse with no subject at all: the first person after the fronted "his" binds it
    assert (
        cloze(
            "In his WWE run from 2012 to 2019, as Luke Harper, Huber, an imposing figure standing "
            "six feet five inches tall, aligned with Erick Rowan as part of The Wyatt Family.",
            "six feet five inches",
        )
        is None
    )


def test_wrong_key_a_place_the_model_cut_short_and_a_name_going_on_in_a_numeral():
    # Wikipedia: "born in _____ Wola" (the model's place "Żelazowa"), "in _____ I/FBS football
    # history" (NCAA Division I)
    made = bank(
        "Fryderyk Chopin was born in Żelazowa Wola, 46 kilometres west of Warsaw, in what was "
        "then the Duchy of Warsaw."
    )
    assert not any(q.answer == "Żelazowa" for q in made)
    assert (
        cloze(
            "Knute Rockne has the highest winning percentage in NCAA Division I/FBS football "
            "history.",
            "NCAA Division",
        )
        == readback.CUT_NAME
    )


def test_an_encyclopaedia_topics_name_makes_a_person_and_a_sentence_cut_at_op_is_no_sentence():
    # Wikipedia (Chopin): the model called "Chopin" an organisation in 4 of 5 mentions, so
    # "He" stayed unresolved and his questions were refused; "In 1844 he wrote only the Op."
    # is no sentence
    made = bank(
        "In 1835 Chopin obtained French citizenship. Chopin's music was admired by Schumann. "
        "Liszt praised Chopin. Berlioz wrote about Chopin's harmony. In 1844 he wrote only "
        "the Op. 58 sonata. He died in Paris in 1849.",
        title="Frédéric Chopin",
    )
    assert any(q.answer == "1849" and "Frédéric Chopin" in q.prompt for q in made)
    assert not any(q.prompt.endswith("Op?") or "the Op." in q.prompt for q in made)


def test_gives_away_a_key_or_its_surname_shown_as_a_possessive():
    # Wikipedia: "invited by _____ … owned by members of Stirling's family" (Jane Stirling);
    # "an ambush on _____'s camp, … half of Liu Yun's entire escort" (Liu Yun)
    made = bank(
        "In late summer Chopin was invited by Jane Stirling to visit Scotland, where he stayed "
        "at Calder House, owned by members of Stirling's family. The Karmapa launched a "
        "surprise ambush on Liu Yun's camp, killing half of Liu Yun's entire escort.",
        title="Frédéric Chopin",
    )
    for q in made:
        if q.answer in ("Jane Stirling", "Liu Yun"):
            assert q.answer.split()[-1] not in q.prompt, q.prompt


def test_garbled_a_time_when_nothing_happened_but_not_until_says_when_it_did():
    made = _all_from_txt(
        "E. coli cases\n\nThrough midday Tuesday, no other cases have been reported.\n\n"
        "For political reasons, Congress did not approve Montana statehood until 1889."
    )
    assert not any(q.answer == "Tuesday" for q in made)
    assert any(q.answer == "1889" for q in made)


def test_read_49_tags_alternatives_differences_and_questions_that_drop_their_point():
    from quizapp.generation import fact_checks

    # "(Reuters) - Stage Stores Inc …": the agency's tag is no part of a cloze
    made = _all_from_txt(
        "Stage Stores files for bankruptcy\n\n(Reuters) - Stage Stores Inc filed for Chapter "
        "11 bankruptcy late on Sunday, following the collapse of luxury store chain Neiman "
        "Marcus."
    )
    assert made and not any("Reuters" in q.prompt for q in made)
    # the total less the other part; a conversion after a hyphenated unit
    assert readback.sum_in_prompt(
        "The total number of Ebola cases is now up to 585, including _____ confirmed "
        "infections and 48 probable cases.",
        "537",
    )
    assert readback.conversion("The _____-mile (60 km) long river is tidal for 27 miles.")
    # a company is no sum, nor "part of" a role
    made = bank(
        "BioShock 2 was developed by 2K Marin and published by 2K Games. Neal Freedman of the "
        "National Cancer Institute, part of the National Institutes of Health, led the study."
    )
    assert not any(q.answer == "2K Games" and q.category == "how_many" for q in made)
    assert not any(q.prompt.startswith("Who is the part of") for q in made)
    # one of two alternatives is no key
    doc = load_nlp()(
        "He probably died in Australia, either in Bairnsdale on Boxing Day 1893 or in Perth in "
        "1896."
    )
    assert fact_checks.either_or(doc[-3:-2])
    # a verb without what it was about; a cause dropped; an ordinal's purpose cut off
    assert fact_checks.ends_on_a_bare_verb("On what day did Iran celebrate?")
    assert not fact_checks.ends_on_a_bare_verb("Which organisation did Notre Dame join?")
    assert not fact_checks.ends_on_a_bare_verb("In what year did the state sponsor a vote?")
    assert fact_checks.cause_dropped(
        "How many deaths occurred in 2015 in India?",
        "As per UNICEF, around 49,200 deaths occurred in 2015 in India owing to Measles-Rubella.",
    )
    assert fact_checks.ordinal_purpose_cut(
        "In what year did Sounders FC become the second expansion team in MLS history?",
        "In 2009 Sounders FC became the second expansion team in MLS history to win the U.S. "
        "Open Cup.",
    )


def test_read_50_aliases_year_options_and_names_shared_or_written_family_first():
    # "under two hours" is not "two"; "Guerre" of Croix de Guerre and "Islamists" of Salafi
    # Islamists are no family names
    made = _all_from_txt(
        "Marathon record\n\nEliud Kipchoge became the first man to run a marathon in under two "
        "hours on Saturday.\n\nSmith, the first living Jewish recipient of the Victoria Cross, "
        "was also awarded the French Croix de Guerre (with palm)."
    )
    for q in made:
        if q.answer == "under two hours":
            assert not {"two", "2"} & set(q.accepted_answers)
        assert "Guerre" not in q.accepted_answers
    # no date: the article's latest year bounds the year options
    made = _all_from_txt(
        "Kosgei breaks record\n\nBrigid Kosgei won the Chicago marathon in 2018. On Sunday she "
        "ran it again and set a world record, 16 years after Paula Radcliffe's mark of 2003."
    )
    years = [c for q in made if q.choices and q.answer == "2018" for c in q.choices]
    assert all(int(y) <= 2018 for y in years)
    # "Park" of Park Geun-hye is named in full; "Lee" of two Lees is no name to ask by
    made = _all_from_txt(
        "South Korean President accepts PM's resignation\n\nSouth Korean President Park "
        "Geun-hye accepted the resignation of Prime Minister Lee Wan-koo on Monday. Chung "
        "Hong-won was the first prime minister under Park. Lee took office in February. The "
        "memo named Lee Byung-kee, Park's chief of staff."
    )
    assert not any(re.search(r"\bunder Park\b(?! Geun-hye)", q.prompt) for q in made)
    assert not any(re.search(r"\bLee\b(?! Wan-koo| Byung-kee)", q.prompt) for q in made)


def test_read_51_trivial_an_acronym_spelled_out_a_gloss_a_year_beside_its_neighbour():
    listed = _listed(
        "Earthquake hits China\n\nThe U.S. Geological Survey (USGS) said a strong earthquake "
        "has hit Sichuan province in southwestern China. Le Jardin, or The Garden, painted in "
        "1920, was taken from the Museum of Modern Art in Stockholm during a robbery on May 11, "
        "1987. The Peace dollar is a United States dollar coin minted from 1921 to 1928, and "
        "again in 1934 and 1935. A painting by Henri Matisse has been recovered, the "
        "London-based Art Loss Register said Monday."
    )
    keys = {q.answer for q in listed}
    assert not keys & {"U.S. Geological Survey", "Le Jardin", "1934", "1935", "Monday"}
    assert listed


def test_read_51_a_dated_role_is_asked_in_the_past():
    made = _all_from_txt(
        "Matisse painting recovered\n\nHe said that Lars Nittive, the director of Stockholm's "
        "Museum of Modern Art in 1987, was absolutely correct."
    )
    assert not any(q.prompt.startswith("Who is the director") for q in made)


def test_read_51_a_definite_pointing_back_within_the_prompt_stands_alone():
    # "the aircraft" is the "passenger plane" of the same sentence, "the engine" the jet's;
    # the bank of this story was empty while both were refused as not alone
    made = _all_from_txt(
        "Runway fire at Sydney airport\n\nAn engine failure on a passenger plane taking off "
        "from Sydney on Friday prompted the aircraft to circle before a safe emergency "
        "landing, the airline Qantas said.\n\nQantas did not say how many passengers were on "
        "board the twin jet Boeing 737-800 bound for Brisbane when the engine failed with a "
        "loud bang."
    )
    assert any("prompted the aircraft" in q.prompt for q in made)
    assert any("when the engine failed" in q.prompt for q in made)
    # but "deadline" of "deadline extension" introduces no deadline
    made = _all_from_txt(
        "Brexit\n\nAfter failed negotiations for a deal on trade and deadline extension the "
        "deadline currently stands at October 31, 2019."
    )
    assert not any("the deadline" in q.prompt for q in made)


def test_read_51_it_after_a_first_sentence_defining_the_railroad_is_the_railroad():
    # the model voted "Branford Steam Railroad" a person; "The … Railroad is" says it is not
    made = _all_from_txt(
        "Branford Steam Railroad\n\nThe Branford Steam Railroad is a 7.2-mile (11.6 km) "
        "standard-gauge industrial railroad that serves the Tilcon Connecticut stone quarry in "
        "North Branford, Connecticut, in the United States. It was founded in 1903 by Louis A. "
        "Fisk, a businessman from Branford, Connecticut, to transport passengers to a trotting "
        "park for horses."
    )
    assert any(q.prompt.startswith("The Branford Steam Railroad was founded") for q in made)


def test_read_51_a_symbol_in_brackets_and_a_possessive_after_a_verbless_description():
    made = _all_from_txt(
        "Germanium\n\nGermanium (Ge) is a chemical element with atomic number 32. It is "
        "chemically similar to silicon and tin (Sn). The National Telecommunications "
        "Commission (NTC) issued a cease and desist order to the network on May 5, 2020."
    )
    bracketed = [q for q in made if "(_____)" in q.prompt]
    listed = _listed_from_txt(
        "Germanium\n\nGermanium (Ge) is a chemical element with atomic number 32."
    )
    assert not [q for q in listed if "(_____)" in q.prompt]
    assert all(q.answer in ("Ge", "Sn", "NTC") for q in bracketed)
    made = _all_from_txt(
        "Tryon Creek\n\nTryon Creek is a tributary of the Willamette River. Part of the "
        "drainage basin of the Columbia River, its watershed covers about 6.5 square miles in "
        "Multnomah and Clackamas counties."
    )
    assert not any("its watershed" in q.prompt for q in made)


def test_read_51_a_hyphenated_age_leaves_the_definite_bare_and_an_announcements_day_is_aside():
    made = _all_from_txt(
        "Book prize awarded\n\nMarilynne Robinson won the Orange Prize on Wednesday. The "
        "62-year-old novelist beat British first-time novelist Samantha Harvey."
    )
    assert not any("the 62-year-old novelist" in q.prompt for q in made)
    listed = _listed_from_txt(
        "Official: General Motors to close Ontario plant\n\nGeneral Motors is planning to "
        "announce the closure of its Oshawa, Ontario, plant Monday, which will eventually "
        "result in the loss of about 2,500 jobs. GM opened its factory in Oshawa, near "
        "Toronto, in 1953."
    )
    assert listed and not [q for q in listed if q.answer == "Monday"]


def test_read_49_50_an_age_of_nobody_more_of_nothing_and_a_windy_weekday():
    made = _all_from_txt(
        "Avalanche in Tyrol\n\nA father and son were killed in an avalanche on Sunday. About an "
        "hour after the avalanche, the 22-year-old man was located under the snow, but could "
        "not be revived.\n\nTwo more rounds follow, with the last run-off set for mid-January."
    )
    assert not any("_____-year-old man" in q.prompt for q in made)
    assert not any(q.prompt.startswith("_____ more rounds") for q in made)
    listed = _listed_from_txt(
        "Fire contained\n\nThe Brush Creek Fire was 90 percent contained on Sunday. Saturday "
        "was too windy for bucket-carrying helicopters, fire officials said."
    )
    assert not [q for q in listed if q.answer == "Saturday"]


def test_not_alone_a_wh_question_with_nothing_to_tell_what_it_is_about():
    # readers kept 47 of 155 wh-questions with no name, number, date or title word after their
    # first word (reads 9-51), 58 of 101 that shared a word with the title
    assert readback.unanchored("How many inmates were killed?", "Fire at market in Honduras")
    assert readback.unanchored("In what month was work abandoned?", None)
    assert not readback.unanchored(
        "How many inmates were killed?", "Honduras prison fire kills inmates"
    )
    assert not readback.unanchored("How many people died in Nepal?", None)
    assert not readback.unanchored("In what year was the iPod released?", None)
    made = _all_from_txt(
        "Prison fire in Honduras\n\nMore than 350 inmates were killed when fire swept through "
        "the prison in Comayagua. Six men in suits sat around a table in Yevlakh on Thursday."
    )
    assert not any(q.prompt == "How many men in suits sat around a table?" for q in made)


def test_trivial_a_figure_or_plural_the_title_gives_a_decade_beside_its_neighbour_a_state():
    assert readback.trivial("$15 billion", "Airbus wins Qatar Airways order worth $15bn")
    assert readback.trivial("five-month", "Weisselberg gets 5 months in jail")
    assert readback.trivial("Western Jackdaws", "Western Jackdaw")
    assert not readback.trivial("two", "Plane crash kills 40")
    assert readback.year_beside_year("contested elections through the 1920s and _____.", "1930s")
    assert not readback.year_beside_year("from the 1920s to _____.", "1950s")
    listed = _listed(
        "Ford Island\n\nFord Island is an islet in the center of Pearl Harbor, Oahu, in the US "
        "state of Hawaii. In 1917 the US Army bought part of Ford Island for use by an "
        "aviation division."
    )
    assert listed and not any(q.answer == "Hawaii" for q in listed)


def test_loose_aliases_no_last_word_of_a_thing_no_bare_number_past_a_strict_bound():
    made = _all_from_txt(
        "Silverchair\n\nSilverchair were reunited at the 2005 Wave Aid concerts, and went on to "
        "release Young Modern. The band later recorded with Blind Faith.\n\nIn the city of "
        "Dujiangyan, a whole school collapsed with 900 students buried and fewer than 60 "
        "survived. Russian President Vladimir Putin met Emmanuel Macron."
    )
    aliases = {a for q in made for a in q.accepted_answers}
    assert not aliases & {"Modern", "Faith", "60", "sixty"}
    putin = [q for q in made if q.answer == "Vladimir Putin"]
    assert not putin or all("Putin" in q.accepted_answers for q in putin)
