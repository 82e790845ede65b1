"""One answer matcher: the grader (scoring.grade) and the evaluator's gold-fact coverage
(evaluation.fact_covered) reach the same verdicts, for generated answers and their variants and
for the cases where they used to disagree.

The evaluator counts a question as covering a gold fact when the grader would mark the gold
answer right for the question, or would mark the question's answer right for the fact asked as
a question ("June 2014" holds the fact "2014"); a surname standing beside a full name among the
question's answers is not used on its own. Multiple choice is left out of the property: a
student picks a choice (exact), while the evaluator judges the key as typed text.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.answers import surname_matches, texts_match
from quizapp.evaluation import GoldFact, fact_covered
from quizapp.scoring import grade

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()  # fmt: skip
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
# Spellings of one unit: each is right for any other.
_UNITS = [
    ("hours", "hrs", "h", "hour", "Hrs."),
    ("kilometres", "km", "kilometers", "kms"),
    ("minutes", "mins", "min", "minute"),
    ("percent", "%", "per cent"),
    ("days", "day"),
]
_PEOPLE = ["Nikol Pashinyan", "Yingluck Shinawatra", "Ursula von der Leyen", "Greta Thunberg"]
_THINGS = ["Kremlin", "Easter Island", "Hurricane Dorian", "European Union", "Gdańsk",
           "Ministry of Health", "Łódź", "COVID-19", "New York"]  # fmt: skip


def _words(n: int) -> str:
    """English words for 0 <= n < 1,000,000: 1234 -> "one thousand two hundred thirty-four"."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _ONES[n % 10])
    if n < 1000:
        rest = "" if n % 100 == 0 else " " + _words(n % 100)
        return _ONES[n // 100] + " hundred" + rest
    rest = "" if n % 1000 == 0 else " " + _words(n % 1000)
    return _words(n // 1000) + " thousand" + rest


def _question(
    answer: str,
    category: str,
    fmt: str = "short_answer",
    accepted: list[str] | None = None,
    numeric: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "id": "q",
        "category": category,
        "format": fmt,
        "prompt": "Which?",
        "answer": answer,
        "accepted_answers": accepted or [],
        "choices": None,
        "numeric": numeric,
    }


def _verdicts(question: dict[str, Any], given: str) -> tuple[bool, bool]:
    """(the grader's verdict on `given` typed for `question`, or on one of the question's
    answers typed for `given` as a question; whether the evaluator counts the fact `given` as
    covered by the question)."""
    fact = GoldFact(type=question["category"], question="", answer=given)
    texts = [question["answer"], *question["accepted_answers"]]
    mine = [t for t in texts if not any(surname_matches(t, other) for other in texts)]
    as_question = _question(given, question["category"]) if given.strip() else None
    graded = grade(question, given).correct or (
        as_question is not None and any(grade(as_question, text).correct for text in mine)
    )
    return graded, fact_covered(fact, [question])


def _typo(text: str, data: st.DataObject) -> str:
    """`text` with one insertion, deletion, substitution or swap."""
    if len(text) < 2:
        return text + "x"
    i = data.draw(st.integers(0, len(text) - 2))
    kind = data.draw(st.sampled_from(["insert", "delete", "replace", "swap"]))
    letter = data.draw(st.sampled_from("aeiouxyz"))
    if kind == "insert":
        return text[:i] + letter + text[i:]
    if kind == "delete":
        return text[:i] + text[i + 1 :]
    if kind == "replace":
        return text[:i] + letter + text[i + 1 :]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _surface(text: str, data: st.DataObject) -> str:
    """Case, punctuation, whitespace and article changes a student might make."""
    case = data.draw(st.sampled_from([str, str.lower, str.upper, str.title]))
    text = case(text)
    if data.draw(st.booleans()):
        text = data.draw(st.sampled_from(["the ", "The ", "a ", ""])) + text
    if data.draw(st.booleans()):
        text = text.replace(" ", data.draw(st.sampled_from(["  ", "\t", " - ", ", ", ""])))
    return (
        data.draw(st.sampled_from(["", " ", "\n"]))
        + text
        + data.draw(st.sampled_from(["", ".", "!", "?", " ", "'"]))
    )


@st.composite
def _number_case(draw) -> tuple[dict[str, Any], str]:
    """A numeric key (digits or words, maybe a unit, maybe a numeric field) and a variant."""
    data = draw(st.data())
    n = draw(st.integers(0, 999_999))
    unit = draw(st.sampled_from([None, *_UNITS]))
    key = draw(st.sampled_from([str(n), f"{n:,}", _words(n)]))
    if unit:
        key += " " + unit[0]
    fmt = draw(st.sampled_from(["short_answer", "cloze", "numeric"]))
    numeric = None
    if fmt == "numeric":
        tolerance = draw(st.sampled_from([0, 0, 1, 5]))
        numeric = {"value": n, "tolerance": tolerance, "unit": unit[0] if unit else None}
    category = draw(st.sampled_from(["how_many", "when", "what"]))
    shown = draw(st.sampled_from([n, n, n + 1, n - 1, n * 10, n + 1_000_000_001, -n]))
    variant = draw(st.sampled_from([str(shown), f"{shown:,}", _words(abs(shown) % 1_000_000)]))
    if draw(st.booleans()):
        spelling = draw(st.sampled_from([*(unit or ("hours",)), "March", "new cases"]))
        variant += draw(st.sampled_from([" ", ""])) + spelling
    if draw(st.booleans()):
        variant = _typo(variant, data)
    return _question(key, category, fmt, numeric=numeric), _surface(variant, data)


@st.composite
def _name_case(draw) -> tuple[dict[str, Any], str]:
    """A name key (person or thing, maybe with accepted answers) and a variant."""
    data = draw(st.data())
    category = draw(st.sampled_from(["who", "where", "what"]))
    key = draw(st.sampled_from(_PEOPLE + _THINGS))
    accepted = draw(st.sampled_from([[], [key.split()[-1]], ["Moscow"]]))
    variant = draw(
        st.sampled_from(
            [key, key.split()[-1], key.split()[0], draw(st.sampled_from(_PEOPLE + _THINGS))]
        )
    )
    if draw(st.booleans()):
        variant = _typo(variant, data)
    if draw(st.booleans()):
        variant = _typo(variant, data)
    fmt = draw(st.sampled_from(["short_answer", "cloze"]))
    return _question(key, category, fmt, accepted), _surface(variant, data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.one_of(_number_case(), _name_case()))
def test_grader_and_evaluator_agree_on_generated_variants(case) -> None:
    question, variant = case
    graded, covered = _verdicts(question, variant)
    assert graded == covered, (question, variant)
    key = question["answer"]
    assert texts_match(variant, key) == texts_match(key, variant)
    if question["category"] == "what" and not question["accepted_answers"]:
        if question["format"] != "numeric":  # texts_match knows no numeric field
            right = grade(question, variant).correct
            assert right or not texts_match(variant, key)  # the same answer is a right one


@settings(max_examples=200, deadline=None)
@given(key=st.text(min_size=1, max_size=30), variant=st.text(max_size=30))
def test_grader_and_evaluator_agree_on_any_text(key: str, variant: str) -> None:
    question = _question(key.strip() or "x", "who")
    graded, covered = _verdicts(question, variant)
    assert graded == covered


# (question answer, accepted answers, category, answer given, right?, why). Each row is a case
# where the evaluator (answers.texts_match / matches_any) and the grader used to disagree; the
# verdict is what a teacher would accept.
KNOWN_DISAGREEMENTS = [
    ("24 hours", [], "how_many", "24 hrs", True, "a unit abbreviation (evaluator said no)"),
    ("24 hours", [], "how_many", "24hrs", True, "a unit glued to its number"),
    ("3 hrs.", [], "how_many", "3 hours", True, "an abbreviation with a full stop in the key"),
    ("2.5 hours", [], "how_many", "2.5h", True, "a one-letter abbreviation"),
    ("5 kilometres", [], "how_many", "5 km", True, "km is kilometres"),
    ("2 hours", [], "how_many", "120 minutes", True, "time units convert"),
    ("14 days", [], "how_many", "2 weeks", True, "time units convert"),
    ("40,000 refugee families", [], "how_many", "40000", True, "the counted noun left out"),
    ("1.3 billion", [], "how_many", "1300000001", False,
     "1,300,000,001 is not 1.3 billion written exactly (evaluator said yes)"),
    ("0.10000000001", [], "how_many", "0.1", False, "only float rounding is forgiven"),
    ("5", [], "how_many", "- 5", False, "a minus sign typed apart is still a minus sign"),
    ("- 5", [], "how_many", "-5", True, "the same negative number"),
    ("New York", [], "where", "NewYork", True, "spacing is ignored"),
    ("Kremlin", [], "where", "Kremlinn", True, "one typo in a word of five letters or more"),
    ("Nikol Pashinyan", [], "who", "Pashinyn", True, "a typo in the surname"),
    ("Shinawatra", ["Thaksin Shinawatra"], "who", "Yingluck Shinawatra", False,
     "another person with the same surname (evaluator said yes)"),
    ("Kimura", ["Hana Kimura"], "who", "Kyoko Kimura", False, "another Kimura"),
    ("Court", [], "who", "High Court", False, "one word of a name is not its surname"),
    ("Goddess of Stardom", [], "who", "Stardom", False, "a title, not a person's surname"),
    ("Ministry of Health", [], "who", "Health", False, "an organisation has no surname"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "accepted", "category", "given", "right", "why"), KNOWN_DISAGREEMENTS
)
def test_known_disagreements_are_settled(answer, accepted, category, given, right, why) -> None:
    question = _question(answer, category, accepted=accepted)
    assert grade(question, given).correct is right, why
    assert _verdicts(question, given) == (right, right), why


# (question answer, accepted answers, category, gold answer, covered?, why): coverage through
# the grader's verdict the other way, the question's answer typed for the fact.
COVERED_THE_OTHER_WAY = [
    ("June 2014", ["2014 June"], "when", "2014", True, "the key holds the year and more"),
    ("Adam Czartoryski", ["Czartoryski"], "who", "Prince Adam Czartoryski", True,
     "the name without its title"),
    ("Michelle Obama", [], "who", "First Lady Michelle Obama", True, "the name without its title"),
    ("four", [], "how_many", "four out of five", True, "the counted words may be left out"),
    ("Mozart", [], "who", "Bach and Mozart", False, "one of two people is not the answer"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "accepted", "category", "gold", "covered", "why"), COVERED_THE_OTHER_WAY
)
def test_coverage_the_other_way_is_the_graders_verdict(
    answer, accepted, category, gold, covered, why
) -> None:
    question = _question(answer, category, accepted=accepted)
    fact = GoldFact(type=category, question="", answer=gold)
    assert fact_covered(fact, [question]) is covered, why
    as_question = _question(gold, category)
    assert any(grade(as_question, t).correct for t in [answer, *accepted]) is covered, why
