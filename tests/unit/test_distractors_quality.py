"""Wrong options a teacher would keep, and the answers a key accepts (issue 14, rubric).

Names with the real spaCy model: the options share the key's fine kind, are never a form of
the key or a name the prompt shows; numbers are written like the key and are possible values.
"""

from __future__ import annotations

import json
import random
import re
from functools import cache
from types import SimpleNamespace

import pytest

from quizapp.answers import normalise
from quizapp.articles import parse_article, read_article
from quizapp.generation import generate_bank
from quizapp.generation.distractors import NumberIndex, name_options, number_distractors
from quizapp.generation.entities import NameInfo, NameTable
from quizapp.generation.fine_types import MentionContext, fine_kind, is_variant
from quizapp.generation.gazetteer import load_gazetteer
from quizapp.generation.generator import parse_articles
from quizapp.generation.keys import accepted_answers, surname
from quizapp.generation.number_forms import nice_perturbations, number_text
from quizapp.generation.suggest import suggest_distractors
from quizapp.numbers import parse_number, parse_quantity

MUGABE = """Zimbabwe mourns its former president

Former Zimbabwean president Robert Mugabe died on Friday in Singapore at the age of 95, \
President Emmerson Mnangagwa announced. Cde Mugabe was an icon of liberation, Mnangagwa said.

Mugabe's widow Grace Mugabe was at his side. Opposition leader Nelson Chamisa offered \
condolences. South African President Cyril Ramaphosa praised Mugabe as a liberation fighter. \
Former vice-president Joice Mujuru said she was saddened.
"""

ORGS = """Parties and papers react to the budget

The Labour Party and the Green Party criticised the budget on Monday, while the Conservative \
Party defended it. The Daily Telegraph and The Guardian called it timid, and the Financial \
Times said markets were calm. Shares in Barclays Bank and Tesco Ltd rose. The Liberal \
Democrats were silent. Oxford University economists said the plan was sound.
"""


@cache
def table(text: str) -> tuple[NameTable, MentionContext]:
    article = parse_article(text.encode("utf-8"), "case.txt", "txt")
    (parsed,) = parse_articles([article])
    ents = [e for d in parsed.docs for e in d.ents]
    return NameTable(ents, load_gazetteer()), MentionContext(ents)


def options_for(text: str, key: str, prompt: str = "", limit: int = 3) -> list[str]:
    names, context = table(text)
    info = names.get(key)
    assert info is not None, key
    fact = SimpleNamespace(kind=info.kind, info=info, text=key)
    return name_options(fact, prompt, names, load_gazetteer(), limit, context=context)


# --- fine kinds ------------------------------------------------------------------------------


def _org(name: str) -> NameInfo:
    return NameInfo(name, "ORG", "organisation", name, 1)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Progressive Party", "party"),
        ("New York Times", "news outlet"),
        ("Sky News", "news outlet"),
        ("Reuters", "news outlet"),
        ("Hirtenberger Defence Group", "company"),
        ("HDT Limited", "company"),
        ("Ridgeback Biotherapeutics", "company"),
        ("Domain.com", "company"),
        ("Ministry of Defence", "ministry"),
        ("Supreme Court", "court"),
        ("Court of Session", "court"),
        ("Toronto Police", "security force"),
        ("University of Miami", "university"),
        ("NATO", "international"),
        ("REGN-EB3", "product"),
        ("Costco", "organisation"),
    ],
)
def test_organisations_are_not_one_kind(name: str, kind: str):
    assert fine_kind(name, _org(name)) == kind


def test_context_words_type_a_bare_name():
    _, context = table(
        "A newspaper reacts\n\nThe opposition daily Népszava reported the deal on Monday. "
        "The regulator fined the retailer Zalando on Tuesday."
    )
    assert fine_kind("Népszava", _org("Népszava"), context) == "news outlet"
    assert fine_kind("Zalando", _org("Zalando"), context) == "company"


# --- names: the key's kind, never a form of it -----------------------------------------------


@pytest.mark.parametrize(
    ("option", "key", "variant"),
    [
        ("Cde Mugabe", "Robert Mugabe", True),
        ("Mugabe", "Robert Mugabe", True),
        ("Ridgeback", "Ridgeback Biotherapeutics", True),
        ("NTSB", "National Transportation Safety Board", True),
        ("Hirtenberger", "Hirtenberger Defence Group", True),
        ("Supreme Court", "Court of Session", False),
        ("Grace Mugabe", "Robert Mugabe", True),  # a variant by its words; `other_person` keeps it
        ("John Tory", "Bruce McArthur", False),
    ],
)
def test_variants_of_the_key(option: str, key: str, variant: bool):
    assert is_variant(option, key) is variant


def test_a_person_gets_other_people_never_the_keys_variants():
    options = options_for(MUGABE, "Robert Mugabe", limit=10)
    assert len(options) >= 3
    assert not {"Cde Mugabe", "Mugabe", "Cde"} & set(options)
    assert "Grace Mugabe" in options  # another person of the article who shares the name
    assert {"Singapore", "Zimbabwe"}.isdisjoint(options)
    names, _ = table(MUGABE)
    assert all(names.get(o).kind == "person" for o in options)


def test_a_name_the_prompt_shows_is_never_an_option():
    options = options_for(MUGABE, "Emmerson Mnangagwa", "Who praised Mugabe as a fighter?", 10)
    assert options and not any("Mugabe" in o for o in options)
    options = options_for(MUGABE, "Cyril Ramaphosa", "Whom did Nelson Chamisa praise?", 10)
    assert "Nelson Chamisa" not in options


@pytest.mark.parametrize(
    ("key", "allowed"),
    [
        ("Labour Party", {"Green Party", "Conservative Party"}),
        ("Financial Times", {"Daily Telegraph", "Guardian"}),
        ("Tesco Ltd", {"Barclays Bank"}),
    ],
)
def test_organisations_get_options_of_their_own_kind_or_fewer(key: str, allowed: set[str]):
    options = options_for(ORGS, key, limit=10)
    assert set(options) <= allowed, options
    assert options  # each has at least one of its kind in the article


def test_too_few_of_a_kind_gives_fewer_options():
    # one university in the article: no wrong university to offer
    assert options_for(ORGS, "Oxford University") == []


# --- numbers: the key's form, possible values -------------------------------------------------


def _number_fact(sentence: str):
    from quizapp.generation.facts import find_facts

    article = parse_article(sentence.encode("utf-8"), "case.txt", "txt")
    (parsed,) = parse_articles([article])
    names = NameTable([e for d in parsed.docs for e in d.ents])
    facts = [f for d in parsed.docs for s in d.sents for f in find_facts(s, names)]
    (fact,) = [f for f in facts if f.category == "how_many"]
    return fact, NumberIndex(facts)


@pytest.mark.parametrize(
    ("sentence", "check"),
    [
        # counts whole: no "7.6 stores"
        ("The chain closed 12 stores in the region last year.", "whole"),
        ("The civil war has been going on for seventeen years.", "spelled"),
        ("The singer signed a $50 million deal with the company.", "dollar"),
        ("The victim, Andrew Kinsman, was 49 years old.", "age"),
        ("Turnout reached about 71% in the district elections.", "percent"),
    ],
)
def test_number_options_are_written_like_the_key_and_possible(sentence: str, check: str):
    fact, index = _number_fact(sentence)
    options = number_distractors(fact, index)
    assert len(options) == 3, (fact.text, options)
    values = [parse_number(o) for o in options]
    assert None not in values and fact.quantity.value not in values
    if check == "whole":
        assert all(float(v).is_integer() for v in values), options
    if check == "spelled":
        assert all(re.fullmatch(r"[a-z-]+ years", o) for o in options), options
    if check == "dollar":
        assert all(o.startswith("$") and o.endswith(" million") for o in options), options
    if check == "age":
        assert all(1 <= v <= 110 for v in values), options
    if check == "percent":
        assert all(
            o.startswith("about ") and o.endswith("%") and v <= 100
            for o, v in zip(options, values, strict=True)
        ), options


@pytest.mark.parametrize(
    ("value", "like", "written"),
    [
        (9e9, "six billion", "nine billion"),
        (7.5e7, "$50 million", "$75 million"),
        (3.0e6, "US$2.5m", "US$3m"),
        (42, "seventeen", "forty-two"),
        (1200, "1,600", "1,200"),
        (8000, "6000", "8000"),
    ],
)
def test_a_value_is_written_as_the_key_is(value: float, like: str, written: str):
    assert number_text(value, like) == written


def test_whole_keys_get_whole_perturbations():
    for seed in range(30):
        values = nice_perturbations(17.0, random.Random(seed), whole=True)
        assert values and all(float(v).is_integer() for v in values)


def test_years_are_never_after_the_article():
    bank = generate_bank(
        parse_article(
            b'{"title": "A town remembers", "published": "2019-03-01", '
            b'"text": "The bridge in Lisbon was opened in 2015 by the mayor."}',
            "case.json",
            "json",
        )
    )
    for q in bank.held:
        if q.category == "when" and q.format == "multiple_choice":
            assert all(int(c) <= 2019 for c in q.choices), q.choices


# --- the teacher's "Suggest wrong options" ----------------------------------------------------


def test_suggest_finds_the_articles_people_for_a_person():
    options = suggest_distractors("Robert Mugabe", "who", article_text=MUGABE)
    names, _ = table(MUGABE)
    assert len(options) == 3
    for option in options:
        info = names.get(option)
        assert info is not None and info.kind == "person" and info.canonical == option
        assert not is_variant(option, "Robert Mugabe") or option == "Grace Mugabe"
    assert "Cde Mugabe" not in options


def test_suggest_keeps_the_fine_kind_of_an_organisation():
    options = suggest_distractors("Labour Party", "who", article_text=ORGS)
    assert set(options) <= {"Green Party", "Conservative Party"}


def test_suggest_writes_numbers_like_the_answer():
    options = suggest_distractors("$50 million", "how_many")
    assert len(options) == 3 and all(o.startswith("$") for o in options)
    ages = suggest_distractors("95", "how_many", prompt="How old was Robert Mugabe?")
    assert len(ages) == 3 and all(1 <= parse_number(a) <= 110 for a in ages)


# --- the seed article ------------------------------------------------------------------------


def test_seed_options_show_no_variant_of_the_key(seed_article_path):
    bank = generate_bank(read_article(seed_article_path))
    mcq = [q for q in bank.held if q.format == "multiple_choice"]
    assert len([q for q in mcq if q.category in ("who", "where")]) >= 5
    for q in mcq:
        wrong = [c for c in q.choices if c != q.answer]
        assert len({normalise(c) for c in q.choices}) == 4
        if q.category in ("who", "where"):
            for option in wrong:
                assert not is_variant(option, q.answer), (q.prompt, q.answer, option)
                assert f" {normalise(option)} " not in f" {normalise(q.prompt)} ", q.prompt
        if q.category == "how_many":
            key = parse_quantity(q.answer)
            for option in wrong:
                value = parse_quantity(option)
                assert value is not None and value.qualifier == key.qualifier, option
                if float(key.value).is_integer():
                    assert float(value.value).is_integer(), option


# --- keys and accepted answers ---------------------------------------------------------------


def _person_fact(names: NameTable, name: str, text: str | None = None):
    info = names.get(text or name)
    # the parser's own label on the answer: a person (keys.py accepts a surname only then)
    answer = SimpleNamespace(root=SimpleNamespace(ent_type_="PERSON"))
    return SimpleNamespace(
        category="who", kind="person", info=info, text=text or name, answer=answer
    )


def test_a_surname_is_accepted_only_when_nobody_else_has_it():
    names, _ = table(MUGABE)
    robert = accepted_answers(_person_fact(names, "Robert Mugabe"), "Robert Mugabe", MUGABE, names)
    assert "Mugabe" not in robert  # Grace Mugabe shares it
    chamisa = accepted_answers(
        _person_fact(names, "Nelson Chamisa"), "Nelson Chamisa", MUGABE, names
    )
    assert chamisa == ("Chamisa",)


def test_a_cloze_holding_the_surname_accepts_the_full_name():
    names, _ = table(MUGABE)
    fact = _person_fact(names, "Emmerson Mnangagwa", "Mnangagwa")
    assert "Emmerson Mnangagwa" in accepted_answers(fact, "Mnangagwa", MUGABE, names)


@pytest.mark.parametrize(
    ("name", "last"),
    [
        ("Elizabeth II", None),
        ("Cuba Gooding Jr.", None),
        ("Ilham Aliyev", "Aliyev"),
        ("Marie d'Agoult", "d'Agoult"),
        ("Jay Z", None),
        ("Cde", None),
    ],
)
def test_only_a_real_surname_is_one(name: str, last: str | None):
    assert surname(name) == last


@pytest.mark.parametrize(
    ("kind", "answer", "text", "accepted"),
    [
        ("facility", "Bradley International Airport", "Near Bradley International Airport.", ()),
        ("place", "Kenwood Mall", "Shoppers at Kenwood Mall ran.", ()),
        ("organisation", "Organisation of Islamic Cooperation", "The OIC met.", ("OIC",)),
        ("organisation", "Organisation of Islamic Cooperation", "The body met.", ()),
        ("organisation", "Daily Bulletin", "The Daily Bulletin said.", ()),
    ],
)
def test_no_last_word_alone_and_acronyms_only_when_written(kind, answer, text, accepted):
    fact = SimpleNamespace(category="who", kind=kind, info=None, text=answer)
    assert accepted_answers(fact, answer, text) == accepted


@pytest.mark.parametrize(
    ("answer", "other"),
    [
        ("July 1, 2020", "1 July 2020"),
        ("February 4", "4 February"),
        ("1 July 2020", "July 1, 2020"),
    ],
)
def test_dates_in_both_orders(answer: str, other: str):
    fact = SimpleNamespace(category="when", kind="date", info=None, text=answer)
    assert accepted_answers(fact, answer, "") == (other,)


def test_numbers_keep_their_variants():
    fact = SimpleNamespace(category="how_many", kind="count", info=None, text="40 thousand")
    assert {"40,000", "forty thousand"} <= set(accepted_answers(fact, "40 thousand", ""))


def test_a_scale_word_is_written_once_in_number_options():
    from quizapp.articles import parse_article
    from quizapp.generation.distractors import number_distractors
    from quizapp.generation.generator import _Builder, parse_articles

    text = b"Samsung raised 30 trillion won in Seoul in 2019."
    (parsed,) = parse_articles([parse_article(text, "case.txt")])
    builder = _Builder(parsed)
    (fact,) = [f for _, _, f in builder.facts if f.category == "how_many"]
    options = number_distractors(fact, builder.numbers)
    assert len(options) == 3
    assert all(o.endswith(" trillion") and o.count("trillion") == 1 for o in options), options


def _made(text: str, title: str):
    from quizapp.articles import parse_article
    from quizapp.generation import generate_bank

    data = json.dumps({"text": text, "title": title}).encode("utf-8")
    return generate_bank(parse_article(data, "case.json", "json")).held


ROLES = (
    "President Rodrigo Duterte threatened the network's franchise in 2017. "
    "Solicitor General Jose Calida filed a quo warranto petition on February 10. "
    "Presidential Spokesperson Harry Roque said the network must follow the law. "
    "ABS-CBN chief executive Carlo Katigbak apologised at a Senate hearing in Manila. "
    "Senator Grace Poe chaired the hearing in Manila on February 24. "
    "Martial law was imposed by President Ferdinand Marcos in 1972."
)


def test_which_president_offers_only_people_the_article_calls_president():
    for q in _made(ROLES, "Network shut down"):
        if "which president" in q.prompt.lower() and q.choices:
            assert set(q.choices) <= {"Rodrigo Duterte", "Ferdinand Marcos"}, q
        if "general" in q.prompt.lower():
            assert "which general" not in q.prompt.lower(), q.prompt  # "solicitor general"


def test_a_ring_name_and_the_subject_himself_are_never_wrong_options():
    text = (
        "US wrestler Jon Huber, who performed under the ring name Luke Harper and later under "
        "the ring name Brodie Lee, died on Saturday. Huber's tag team partner Erick Rowan wrote "
        "on Instagram. Wrestlers Cody Rhodes, Kenny Omega and Chris Jericho paid tribute. "
        "Huber was signed to AEW in 2020."
    )
    for q in _made(text, "Wrestler dies"):
        for option in q.choices or ():
            if option != q.answer:
                assert option not in ("Luke Harper", "Brodie Lee"), q
                if "Huber" in q.prompt:
                    assert "Huber" not in option, q


def test_an_option_past_a_thousand_of_its_scale_moves_up_one():
    from quizapp.generation.number_forms import number_text

    assert number_text(1.1e9, "$350 million") == "$1.1 billion"  # not "$1,100 million"
    assert number_text(740e6, "$350 million") == "$740 million"
    assert number_text(2.5e6, "500 thousand") == "2.5 million"
