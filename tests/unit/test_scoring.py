"""Answer grading (quizapp.scoring): a table of rules, malformed questions, and a property test."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.scoring import MAX_ANSWER_CHARS, REASONS, Grade, expected_answer, grade, total

PERSON_CHOICES = ["Ilham Aliyev", "Nikol Pashinyan", "Hikmet Hajiyev", "David Melkomyan"]


def q(
    answer: str,
    accepted: list[str] | None = None,
    *,
    fmt: str = "short_answer",
    category: str = "what",
    choices: list[str] | None = None,
    numeric: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A question in the bank format (contracts.md section 2)."""
    return {
        "id": "q-test",
        "category": category,
        "format": fmt,
        "prompt": "?",
        "answer": answer,
        "accepted_answers": accepted or [],
        "choices": choices,
        "numeric": numeric,
    }


def mc(answer: str, choices: list[str], category: str = "who") -> dict[str, Any]:
    return q(
        answer, [answer.split()[-1]], fmt="multiple_choice", category=category, choices=choices
    )


def num(
    answer: str, accepted: list[str], value: float, tolerance: float = 0, unit: str | None = None
):
    numeric = {"value": value, "tolerance": tolerance, "unit": unit}
    return q(answer, accepted, fmt="numeric", category="how_many", numeric=numeric)


PASHINYAN_MC = mc("Nikol Pashinyan", PERSON_CHOICES)
SIX_MC = mc("six", ["three", "four", "six", "nine"], category="how_many")
PASHINYAN = q("Nikol Pashinyan", ["Pashinyan"], category="who")
PASHINYAN_CLOZE = q("Nikol Pashinyan", fmt="cloze", category="who")  # no accepted surname
PUTIN = q("Vladimir Putin", category="who")
VON_DER_LEYEN = q("Ursula von der Leyen", category="who")
EU = q("European Union", category="who")
UN_COUNCIL = q("Security Council", category="who")
RED_CROSS = q("Red Cross Society", category="who")
BANK = q("World Bank", category="who")
NON_PERSON_WHAT = q("Nikol Pashinyan", category="what")
LODZ = q("Łódź", fmt="cloze", category="where")
KREMLIN = q("the Kremlin", fmt="cloze", category="where")
WASHINGTON = q("Washington, D.C.", category="where")
BAKU = q("Baku", fmt="cloze", category="where")
YEREVAN = q("Yerevan", fmt="cloze", category="where")
STEPANAKERT = q("Stepanakert", category="where")
SIX = q("six", ["6"], fmt="cloze", category="how_many")
FORTY_K = q("40,000", ["40 thousand", "forty thousand"], fmt="cloze", category="how_many")
FORTY_K_BARE = q("40,000", fmt="cloze", category="how_many")
MILLION = q("1.5 million", fmt="cloze", category="how_many")
KM = q("295 kilometers", ["295"], fmt="cloze", category="how_many")
YEAR = q("1990", fmt="cloze", category="when")
DATE = q("5 March", fmt="cloze", category="when")
EIGHT = q("eight", fmt="cloze", category="how_many")
SEVEN = q("seven", fmt="cloze", category="how_many")
HOURS = num("about two hours", ["two", "2"], 2, unit="hours")
VIOLATIONS = num("five", ["5"], 5, unit="ceasefire violations")
HUNDRED = num("100", [], 100, tolerance=5)
NO_UNIT = num("12", [], 12)
NEGATIVE = num("-5", [], -5, unit="degrees")
HUGE = num("1.3 billion", [], 1_300_000_000)
NULL_TOLERANCE = num("7", [], 7, tolerance=None)  # type: ignore[arg-type]
PERCENT = q("25%", fmt="cloze", category="how_many")
DAY = num("24 hours", ["24", "twenty-four"], 24, unit="hours")  # as in the seed bank
THREE_YEARS = q("three years", ["three", "3"], fmt="cloze", category="how_many")
KM_NUMERIC = num("295", [], 295, unit="kilometres")
METRES = num("100", [], 100, unit="metres")
LITERS = num("5", [], 5, unit="liters")
TONNES = num("3", [], 3, unit="tonnes")
TONS = num("3", [], 3, unit="tons")
KILOGRAMS = num("5", [], 5, unit="kilograms")
MILES = num("10", [], 10, unit="miles")
WEEKS = num("2", [], 2, unit="weeks")
MINUTES = num("90", [], 90, tolerance=5, unit="minutes")
SECONDS = num("30", [], 30, unit="seconds")
PERCENT_WORD = num("25", [], 25, unit="percent")
PERCENT_SIGN = num("25", [], 25, unit="%")
PER_CENT = num("25", [], 25, unit="per cent")
TWO = num("2", [], 2)
MILLION_NUMERIC = num("1,000,000", [], 1_000_000)

CASES: list[tuple[str, dict[str, Any], str | None, str]] = [
    # Multiple choice: exact after NFC + strip only; anything else that is no choice is flagged.
    ("mc right", PASHINYAN_MC, "Nikol Pashinyan", "exact"),
    ("mc right, surrounding spaces", PASHINYAN_MC, "  Nikol Pashinyan\n", "exact"),
    (
        "mc right, decomposed accents",
        mc("Łódź", ["Łódź", "Kraków"], "where"),
        "Ło\u0301dz\u0301",
        "exact",
    ),
    ("mc other choice", PASHINYAN_MC, "Ilham Aliyev", "wrong"),
    ("mc case differs", PASHINYAN_MC, "nikol pashinyan", "not_a_choice"),
    ("mc surname alone", PASHINYAN_MC, "Pashinyan", "not_a_choice"),
    ("mc inner spacing", PASHINYAN_MC, "Nikol  Pashinyan", "not_a_choice"),
    ("mc typo", PASHINYAN_MC, "Nikol Pashinyn", "not_a_choice"),
    ("mc no choice", PASHINYAN_MC, "Emmanuel Macron", "not_a_choice"),
    ("mc digits for word", SIX_MC, "6", "not_a_choice"),
    ("mc number right", SIX_MC, "six", "exact"),
    ("mc number wrong", SIX_MC, "nine", "wrong"),
    ("mc blank", PASHINYAN_MC, "", "blank"),
    ("mc none", PASHINYAN_MC, None, "blank"),
    ("mc whitespace", PASHINYAN_MC, " \t\n ", "blank"),
    # Blank typed answers.
    ("typed none", PASHINYAN, None, "blank"),
    ("typed empty", PASHINYAN, "", "blank"),
    ("typed whitespace", PASHINYAN, "\u3000 \t", "blank"),
    # Case, accents, punctuation, spacing, articles.
    ("exact", PASHINYAN, "Nikol Pashinyan", "exact"),
    ("lower case", PASHINYAN, "nikol pashinyan", "exact"),
    ("upper case", PASHINYAN, "NIKOL PASHINYAN", "exact"),
    ("accents folded", LODZ, "lodz", "exact"),
    ("accents kept", LODZ, "Łódź", "exact"),
    ("accents partial", LODZ, "Lódz", "exact"),
    ("accented other word", LODZ, "Łęczna", "wrong"),
    ("article dropped", KREMLIN, "Kremlin", "exact"),
    ("article added", q("Kremlin", fmt="cloze"), "the kremlin", "exact"),
    ("punctuation ignored", WASHINGTON, "washington dc", "exact"),
    ("punctuation only", WASHINGTON, "?!...", "wrong"),
    ("trailing punctuation", PASHINYAN, "Nikol Pashinyan!", "exact"),
    ("spacing collapsed", PASHINYAN, "  nikol     pashinyan ", "exact"),
    ("spacing removed", PASHINYAN, "NikolPashinyan", "exact"),
    ("hyphen for space", PASHINYAN, "Nikol-Pashinyan", "exact"),
    ("another place", BAKU, "Yerevan", "wrong"),
    # Accepted answers.
    ("accepted surname", PASHINYAN, "pashinyan", "accepted"),
    ("accepted digits", SIX, "6", "accepted"),
    ("accepted words", FORTY_K, "Forty Thousand", "accepted"),
    ("accepted in numeric", HOURS, "two", "accepted"),
    # Surname alone: a person, never an organisation or a non-"who" question.
    ("surname of person", PUTIN, "Putin", "surname"),
    ("surname, no accepted list", PASHINYAN_CLOZE, "PASHINYAN", "surname"),
    ("first name is not surname", PUTIN, "Vladimir", "wrong"),
    # The name without its title or suffix was wrong while the surname alone was right (issue 16).
    (
        "name without title",
        q("Prince Adam Czartoryski", category="who"),
        "Adam Czartoryski",
        "surname",
    ),
    (
        "name without suffix",
        q("Martin Luther King Jr.", category="who"),
        "Martin Luther King",
        "surname",
    ),
    (
        "first and middle names",
        q("Martin Luther King Jr.", category="who"),
        "Martin Luther",
        "wrong",
    ),
    ("particles and surname", VON_DER_LEYEN, "von der Leyen", "surname"),
    ("surname with particles", VON_DER_LEYEN, "Leyen", "surname"),
    ("org last word", EU, "Union", "wrong"),
    ("org council", UN_COUNCIL, "Council", "wrong"),
    ("org society", RED_CROSS, "Society", "wrong"),
    ("org bank", BANK, "Bank", "wrong"),
    ("surname, not a who question", NON_PERSON_WHAT, "Pashinyan", "wrong"),
    ("org full name", EU, "the European Union", "exact"),
    # One typo, on answers of five letters or more without digits.
    ("typo deletion", PASHINYAN, "Pashinyn", "typo"),
    ("typo in full name", PASHINYAN, "Nikol Pashinyn", "typo"),
    ("typo substitution", STEPANAKERT, "Stepanakart", "typo"),
    ("typo insertion", STEPANAKERT, "Stepanakertt", "typo"),
    ("typo transposition", STEPANAKERT, "Stepanaketr", "typo"),
    ("typo transposition first", YEREVAN, "eYrevan", "typo"),
    ("typo on surname of person", PASHINYAN_CLOZE, "Pashinyna", "typo"),
    ("typo exactly five letters", q("Paris", fmt="cloze"), "Pariss", "typo"),
    ("two typos", STEPANAKERT, "Stepanakrat", "wrong"),
    ("two typos far apart", PASHINYAN, "Nikil Pashinyn", "wrong"),
    ("non-adjacent swap", STEPANAKERT, "Stepanekart", "wrong"),
    ("typo in four letters", BAKU, "Baky", "wrong"),
    ("deletion in four letters", BAKU, "Bak", "wrong"),
    ("typo org word still typo", EU, "European Unoin", "typo"),
    ("typo digit for letter", STEPANAKERT, "Stepanaker7", "wrong"),
    ("typo number word", EIGHT, "eighty", "wrong"),
    ("typo number word misspelt", SEVEN, "sevn", "wrong"),
    ("typo digits", FORTY_K_BARE, "40001", "wrong"),
    ("typo year", YEAR, "1991", "wrong"),
    # Numbers by value.
    ("six as digits", SIX, "6.0", "number"),
    ("six as words", q("6", fmt="cloze", category="how_many"), "six", "number"),
    ("forty thousand, digits", FORTY_K_BARE, "40000", "exact"),
    ("forty thousand, spaced", FORTY_K_BARE, "40 000", "exact"),
    ("forty thousand, words", FORTY_K_BARE, "40 thousand", "number"),
    ("forty thousand, spelled", FORTY_K_BARE, "forty thousand", "number"),
    ("forty thousand, 40k", FORTY_K_BARE, "40k", "number"),
    ("forty thousand, other", FORTY_K_BARE, "41,000", "wrong"),
    ("million, digits", MILLION, "1,500,000", "number"),
    ("million, decimal", MILLION, "1500000.0", "number"),
    ("million, other", MILLION, "1.6 million", "wrong"),
    ("year by value", YEAR, "1990.0", "number"),
    ("number vague", FORTY_K_BARE, "thousands", "wrong"),
    ("number range", FORTY_K_BARE, "40,000-50,000", "wrong"),
    ("percent", PERCENT, "25 percent", "number"),
    ("percent other", PERCENT, "26%", "wrong"),
    ("cloze unit kept", KM, "295 km", "number"),  # was "wrong": km is kilometers
    ("cloze unit omitted", KM, "295", "accepted"),
    ("cloze unit same", KM, "295 kilometres", "number"),  # was "wrong": British spelling
    ("cloze unit singular", KM, "295 kilometer", "number"),
    ("cloze wrong unit", KM, "295 miles", "wrong"),
    ("date needs its month", DATE, "5", "wrong"),
    ("date other month", DATE, "5 April", "wrong"),
    ("date exact", DATE, "5 march", "exact"),
    # Numeric questions: value, tolerance, units.
    ("numeric exact", HOURS, "about two hours", "exact"),
    ("numeric digits", HOURS, "2", "accepted"),
    ("numeric with unit", HOURS, "2 hours", "number"),
    ("numeric singular unit", HOURS, "2 hour", "number"),
    ("numeric words with unit", HOURS, "two hours", "number"),
    ("numeric qualifier", HOURS, "roughly 2 hours", "number"),
    ("numeric wrong unit", HOURS, "2 days", "wrong"),
    ("numeric wrong value", HOURS, "3 hours", "wrong"),
    ("numeric two-word unit", VIOLATIONS, "5 ceasefire violations", "number"),
    ("numeric unit head noun", VIOLATIONS, "5 violations", "number"),
    ("numeric other unit", VIOLATIONS, "5 ceasefires", "wrong"),
    ("tolerance inside", HUNDRED, "104", "number"),
    ("tolerance edge", HUNDRED, "95", "number"),
    ("tolerance outside", HUNDRED, "106", "wrong"),
    ("tolerance outside low", HUNDRED, "94.9", "wrong"),
    ("tolerance null", NULL_TOLERANCE, "7.0", "number"),
    ("no unit, bare", NO_UNIT, "12.00", "number"),
    ("no unit, one word", NO_UNIT, "12 people", "number"),
    ("no unit, many words", NO_UNIT, "12 people or so", "wrong"),
    ("negative", NEGATIVE, "-5 degrees", "number"),
    ("negative, unicode minus", NEGATIVE, "−5", "exact"),
    ("negative, unicode minus and unit", NEGATIVE, "−5.0 degree", "number"),
    ("negative sign dropped, bare", NEGATIVE, "5", "wrong"),
    ("negative given for positive", HUNDRED, "-100", "wrong"),
    ("negative sign dropped", NEGATIVE, "5 degrees", "wrong"),
    ("huge", HUGE, "1,300,000,000", "number"),
    ("huge bn", HUGE, "1.3bn", "number"),
    ("huge off by one", HUGE, "1,300,000,001", "wrong"),
    ("overflowing digits", HUGE, "9" * 400, "wrong"),
    ("not a number", HOURS, "a while", "wrong"),
    # Unit abbreviations (quizapp.units), seed bank "2 hours" and "24 hours".
    ("hours as hrs", HOURS, "2 hrs", "number"),
    ("hours as hr", HOURS, "2 hr", "number"),
    ("hours as h", HOURS, "2 h", "number"),
    ("hours as HRS", HOURS, "2 HRS", "number"),
    ("hours, words and hrs", HOURS, "two hrs", "number"),
    ("hours, qualifier and hrs", HOURS, "about 2 hrs", "number"),
    ("hours, trailing full stop", HOURS, "2 hours.", "number"),
    ("hours as hrs, other value", HOURS, "3 hrs", "wrong"),
    ("24 hours as hrs", DAY, "24 hrs", "number"),
    ("24 hours as h", DAY, "24 h", "number"),
    ("24 hours, words and hrs", DAY, "twenty-four hrs", "number"),
    ("24 hours as hrs, other value", DAY, "25 hrs", "wrong"),
    ("d is not day", HOURS, "2 d", "wrong"),
    ("mo is not month", WEEKS, "2 mo", "wrong"),
    ("bare s is not second", SECONDS, "30 s", "wrong"),
    ("seconds as secs", SECONDS, "30 secs", "number"),
    ("seconds as sec", SECONDS, "30 sec", "number"),
    ("minutes as min", MINUTES, "90 min", "number"),
    ("minutes as mins", MINUTES, "90 mins", "number"),
    ("weeks as wks", WEEKS, "2 wks", "number"),
    ("weeks as wk", WEEKS, "2 wk", "number"),
    ("years as yrs", THREE_YEARS, "3 yrs", "number"),
    ("years as yr", THREE_YEARS, "3 yr", "number"),
    ("years as yrs, other value", THREE_YEARS, "4 yrs", "wrong"),
    ("kilometres as kms", KM, "295 kms", "number"),
    ("kilometres as KM", KM, "295 KM", "number"),
    ("kilometres, unit in British", KM_NUMERIC, "295 kilometers", "number"),
    ("kilometres, km for British unit", KM_NUMERIC, "295 km", "number"),
    ("kilometres are not miles", KM_NUMERIC, "295 mi", "wrong"),
    ("kilometres as km, other value", KM_NUMERIC, "296 km", "wrong"),
    ("miles as mi", MILES, "10 mi", "number"),
    ("miles are not km", MILES, "10 km", "wrong"),
    ("kilograms as kg", KILOGRAMS, "5 kg", "number"),
    ("kilograms as kgs", KILOGRAMS, "5 kgs", "number"),
    ("metres as meters", METRES, "100 meters", "number"),
    ("metres as meter", METRES, "100 meter", "number"),
    ("m is not metres", METRES, "100 m", "wrong"),
    ("litres as liters", LITERS, "5 litres", "number"),
    ("tonnes", TONNES, "3 tonnes", "number"),
    ("tonnes are not tons", TONNES, "3 tons", "wrong"),
    ("tons are not tonnes", TONS, "3 tonnes", "wrong"),
    ("percent unit, sign", PERCENT_WORD, "25%", "exact"),
    ("percent unit, per cent", PERCENT_WORD, "25 per cent", "number"),
    ("percent unit, other noun", PERCENT_WORD, "25 people", "wrong"),
    ("% unit, percent", PERCENT_SIGN, "25 percent", "number"),
    ("% unit, per cent", PERCENT_SIGN, "25 per cent", "number"),
    ("% unit, other noun", PERCENT_SIGN, "25 people", "wrong"),
    ("% unit, other value", PERCENT_SIGN, "26%", "wrong"),
    ("per cent unit, sign", PER_CENT, "25%", "exact"),
    ("per cent unit, percent", PER_CENT, "25 percent", "number"),
    ("cloze percent, per cent", PERCENT, "25 per cent", "number"),
    # A unit typed against its number.
    ("glued hrs", HOURS, "2hrs", "number"),
    ("glued h", HOURS, "2h", "number"),
    ("glued H", HOURS, "2H", "number"),
    ("glued hours", HOURS, "2hours", "number"),
    ("glued hrs, decimal", HOURS, "2.0hrs", "number"),
    ("glued hrs, qualifier", HOURS, "about 2hrs", "number"),
    ("glued hrs, other value", HOURS, "3hrs", "wrong"),
    ("glued 24hrs", DAY, "24hrs", "number"),
    ("glued 24h", DAY, "24h", "number"),
    ("glued 24hours", DAY, "24hours", "exact"),
    ("glued km", KM, "295km", "number"),
    ("glued km, thousands", num("1,000", [], 1000, unit="km"), "1,000km", "number"),
    ("glued mi", KM, "295mi", "wrong"),
    ("glued kg", KILOGRAMS, "5kg", "number"),
    ("glued metres", METRES, "100metres", "number"),
    ("glued m is million", METRES, "100m", "wrong"),
    ("glued s is not second", SECONDS, "30s", "wrong"),
    ("glued secs", SECONDS, "30secs", "number"),
    ("glued percent", PERCENT_SIGN, "25percent", "number"),
    ("glued ordinal", HOURS, "2nd", "wrong"),
    ("glued ordinal, no unit", TWO, "2nd", "wrong"),
    ("glued exponent", MILLION_NUMERIC, "1e6", "wrong"),
    ("glued hours and minutes", HOURS, "2h30", "wrong"),
    ("glued other noun", VIOLATIONS, "5violations", "wrong"),  # only known units are split
    # Time units convert: seconds, minutes, hours, days, weeks (not months or years).
    ("hours as minutes", HOURS, "120 minutes", "number"),
    ("hours as mins", HOURS, "120 mins", "number"),
    ("hours as seconds", HOURS, "7,200 seconds", "number"),
    ("hours as glued secs", HOURS, "7200secs", "number"),
    ("hours as minutes, other value", HOURS, "121 minutes", "wrong"),
    ("hours as bare minutes number", HOURS, "120", "wrong"),
    ("24 hours as a day", DAY, "1 day", "number"),
    ("24 hours as one day", DAY, "one day", "number"),
    ("24 hours as minutes", DAY, "1440 minutes", "number"),
    ("24 hours as days, other value", DAY, "2 days", "wrong"),
    ("24 hours as a week", DAY, "1 week", "wrong"),
    ("24 hours as days, same number", DAY, "24 days", "wrong"),
    ("weeks as days", WEEKS, "14 days", "number"),
    ("weeks as hours", WEEKS, "336 hours", "number"),
    ("weeks as days, other value", WEEKS, "15 days", "wrong"),
    ("weeks as months", WEEKS, "0.5 months", "wrong"),
    ("minutes as hours", MINUTES, "1.5 hours", "number"),
    ("minutes as glued h", MINUTES, "1.5h", "number"),
    ("minutes as seconds", MINUTES, "5400 seconds", "number"),
    ("minutes as hours, inside tolerance", MINUTES, "1.55 hours", "number"),
    ("minutes as hours, outside tolerance", MINUTES, "1.6 hours", "wrong"),
    ("minutes as hours, one hour", MINUTES, "1 hour", "wrong"),
    ("seconds as minutes", SECONDS, "0.5 minutes", "number"),
    ("years are not converted", THREE_YEARS, "36 months", "wrong"),
    ("years are not weeks", THREE_YEARS, "156 weeks", "wrong"),
    ("compound time", HOURS, "1 hour 60 minutes", "wrong"),
    ("compound glued time", HOURS, "1h 60min", "wrong"),
    # Garbage is graded, never a crash.
    ("control characters", PASHINYAN, "\x00\x01\x7f", "wrong"),
    ("emoji", PASHINYAN, "🤷‍♂️🙂", "wrong"),
    ("binary-ish", HOURS, "\udcff\x00\ufffd", "wrong"),
    ("emoji mc", PASHINYAN_MC, "🙂", "not_a_choice"),
    ("script injection", PASHINYAN, "<script>alert(1)</script>", "wrong"),
    ("very long right prefix", PASHINYAN, "Nikol Pashinyan" + " x" * 10_000, "wrong"),
    ("very long number", HUNDRED, "1" * 100_000, "wrong"),
    ("very long letters", STEPANAKERT, "a" * 100_000, "wrong"),
]

CORRECT = {"exact", "accepted", "surname", "typo", "number"}


@pytest.mark.parametrize(
    ("question", "answer", "reason"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_grade(question: dict[str, Any], answer: str | None, reason: str) -> None:
    result = grade(question, answer)
    assert (result.reason, result.correct) == (reason, reason in CORRECT)
    assert result.reason in REASONS
    assert result.given == (answer or "").strip()[:MAX_ANSWER_CHARS].rstrip()


def test_given_is_stripped_and_capped() -> None:
    result = grade(PASHINYAN, "  " + "x" * (MAX_ANSWER_CHARS * 3) + "  ")
    assert result == Grade(False, "wrong", "x" * MAX_ANSWER_CHARS)
    assert grade(PASHINYAN, "  Pashinyan \n").given == "Pashinyan"


def _without(key: str) -> dict[str, Any]:
    return {k: v for k, v in HOURS.items() if k != key}


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ([("answer", "x")], "mapping"),
        (None, "mapping"),
        ({}, "missing"),
        (_without("answer"), "answer"),
        (_without("format"), "format"),
        (_without("accepted_answers"), "accepted_answers"),
        (_without("numeric"), "numeric"),
        ({**HOURS, "format": "essay"}, "format"),
        ({**HOURS, "answer": "  "}, "answer"),
        ({**HOURS, "answer": 2}, "answer"),
        ({**HOURS, "accepted_answers": "2"}, "accepted_answers"),
        ({**HOURS, "accepted_answers": [2]}, "accepted_answers"),
        ({**HOURS, "numeric": None}, "numeric"),
        ({**HOURS, "numeric": {"tolerance": 0}}, "numeric"),
        ({**HOURS, "numeric": {"value": "2"}}, "numeric"),
        ({**HOURS, "numeric": {"value": True}}, "numeric"),
        ({**HOURS, "numeric": {"value": float("nan")}}, "numeric"),
        ({**HOURS, "numeric": {"value": 2, "tolerance": -1}}, "tolerance"),
        ({**HOURS, "numeric": {"value": 2, "unit": 3}}, "unit"),
        ({**PASHINYAN_MC, "choices": None}, "choices"),
        ({**PASHINYAN_MC, "choices": ["Ilham Aliyev", "Vladimir Putin"]}, "choices"),
    ],
)
def test_malformed_question_raises(question: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        grade(question, "2")
    with pytest.raises(ValueError, match=message):
        expected_answer(question)


def test_given_must_be_text() -> None:
    with pytest.raises(TypeError):
        grade(PASHINYAN, 2)  # type: ignore[arg-type]


def test_expected_answer() -> None:
    assert expected_answer(HOURS) == "about two hours"
    assert expected_answer(PASHINYAN_MC) == "Nikol Pashinyan"


def test_total() -> None:
    grades = [grade(PASHINYAN, a) for a in ("Pashinyan", "Putin", None, "Pashinyn")]
    assert total(grades) == (2, 4)
    assert total(iter(grades)) == (2, 4)
    assert total([]) == (0, 0)


def test_no_generation_import() -> None:
    code = "import sys, quizapp.scoring; assert 'quizapp.generation' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def _question(fmt: str, answer: str, category: str) -> dict[str, Any]:
    if fmt == "multiple_choice":
        return q(answer, fmt=fmt, category=category, choices=["x", answer, "y", "z"])
    numeric = {"value": 2, "tolerance": 0, "unit": "hours"} if fmt == "numeric" else None
    return q(answer, ["Pashinyan"], fmt=fmt, category=category, numeric=numeric)


@settings(max_examples=300, deadline=None)
@given(
    fmt=st.sampled_from(["multiple_choice", "cloze", "short_answer", "numeric"]),
    category=st.sampled_from(["who", "where", "how_many", "when", "what"]),
    answer=st.text(min_size=1, max_size=40).filter(str.strip),
    given_text=st.one_of(st.none(), st.text(max_size=600), st.sampled_from(["2 hours", "six"])),
)
def test_grade_never_raises_and_answer_is_right(
    fmt: str, category: str, answer: str, given_text: str | None
) -> None:
    question = _question(fmt, answer, category)
    result = grade(question, given_text)
    assert result.reason in REASONS
    assert result.correct == (result.reason in CORRECT)
    assert len(result.given) <= MAX_ANSWER_CHARS
    assert grade(question, answer) == Grade(True, "exact", answer.strip())
