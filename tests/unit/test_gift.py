"""Moodle GIFT: export, round trips, Moodle's documented examples, escaping and bad files."""

from __future__ import annotations

import json

import pytest
from helpers import SEED_BANK, small_bank

from quizapp.banks import QUESTION_KEYS, validate_bank
from quizapp.interchange import InterchangeError
from quizapp.interchange.gift import dumps_gift, escape, parse_gift, unescape

ALL_FIELDS = QUESTION_KEYS  # every field of a question in the bank format


def seed_bank() -> dict:
    return json.loads(SEED_BANK.read_text(encoding="utf-8"))


def round_trip(bank: dict) -> dict:
    warnings: list[str] = []
    back = parse_gift(dumps_gift(bank), title=bank["title"], warnings=warnings)
    assert warnings == []
    return back


def without_quizapp_comments(text: str) -> str:
    """What Moodle gives back: our '// quizapp' comment lines are gone."""
    return "\n".join(line for line in text.split("\n") if not line.startswith("// quizapp"))


# -- export ------------------------------------------------------------------------------------


def test_export_writes_moodle_syntax_for_each_format() -> None:
    text = dumps_gift(small_bank())
    assert "$CATEGORY: $course$/top/Harbour festival" in text
    assert (
        "::q-mayor00001::[plain]Who opened the festival on Saturday?{\n"
        "\t=Quintessa Vorbeck\n\t=Vorbeck\n"
        "\t####Mayor Quintessa Vorbeck opened it (explained-zq1).\n}"
    ) in text
    assert "::q-visitors01::[plain]About how many visitors came to the harbour?{#\n\t=4500:0\n" in (
        text
    )
    assert "{\n\t~Ashby\n\t=Zanthorpe\n\t~Kelmore\n\t~Dunmarch\n" in text
    assert "::q-trust00001::[plain]The _____ paid for the fireworks.{\n\t=Glimmerstone Trust\n" in (
        text
    )
    # Questions are separated by exactly one blank line, and no question holds a blank line.
    blocks = [b for b in text.split("\n\n") if "::q-" in b]
    assert len(blocks) == 4
    assert all("\n\n" not in block for block in blocks)


def test_metadata_comment_is_one_json_line_moodle_ignores() -> None:
    text = dumps_gift(small_bank())
    comments = [line for line in text.split("\n") if line.startswith("// quizapp: ")]
    assert len(comments) == 4
    meta = json.loads(comments[1].removeprefix("// quizapp: "))
    assert meta == {
        "category": "how_many",
        "format": "numeric",
        "source_sentence": "About 4,500 visitors came to the harbour in Zanthorpe.",
        "source_span": [64, 118],
        "score": 0.8,
        "answer": "4,500",
        "accepted_answers": ["4500"],
        "value": 4500,
        "unit": "visitors",
    }


def test_escape_covers_every_special_character() -> None:
    assert escape("a~b=c#d{e}f:g\\h\ni\r\nj") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni\\nj"
    assert unescape(escape("~=#{}:\\ \\n \n")) == "~=#{}:\\ \\n \n"
    assert unescape("\\a \\\\n") == "\\a \\n"  # unknown escapes stay, as in Moodle


# -- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [small_bank, seed_bank], ids=["small", "seed"])
def test_round_trip_gives_back_every_question_field(make) -> None:
    bank = make()
    back = round_trip(bank)
    assert validate_bank(back) == []
    assert [q["id"] for q in back["questions"]] == [q["id"] for q in bank["questions"]]
    for original, imported in zip(bank["questions"], back["questions"], strict=True):
        assert {k: imported[k] for k in ALL_FIELDS} == {k: original[k] for k in ALL_FIELDS}
    # The header comment brings the source back, so a re-import finds the same question set.
    assert back["source"] == bank["source"]
    assert back["generator"] == bank["generator"]


@pytest.mark.parametrize("make", [small_bank, seed_bank], ids=["small", "seed"])
def test_what_survives_moodle_which_drops_our_comments(make) -> None:
    """GIFT itself cannot carry: category (guessed again), source sentence and span, score,
    the unit, wording and accepted answers of a numeric question and a multiple-choice
    question's accepted answers. Everything else comes back."""
    bank = make()
    back = parse_gift(without_quizapp_comments(dumps_gift(bank)), title="t")
    assert validate_bank(back) == []
    for original, imported in zip(bank["questions"], back["questions"], strict=True):
        assert imported["id"] == original["id"]
        assert imported["format"] == original["format"]
        assert imported["prompt"] == original["prompt"]
        assert imported["explanation"] == original["explanation"]
        if original["format"] == "numeric":
            numeric = imported["numeric"]
            assert numeric["value"] == original["numeric"]["value"]
            assert numeric["tolerance"] == original["numeric"]["tolerance"]
            assert numeric["unit"] is None
        else:
            assert imported["answer"] == original["answer"]
        if original["format"] == "multiple_choice":
            assert set(imported["choices"]) == set(original["choices"])
        if original["format"] in ("short_answer", "cloze"):
            assert imported["accepted_answers"] == original["accepted_answers"]
        assert imported["source_sentence"] == ""
        assert imported["source_span"] == [0, 0]


def test_awkward_texts_round_trip() -> None:
    nasty = "a~b=c#d{e}f:g\\h \\n ::x:: // not a comment\nsecond line <script>alert(1)</script> 😀"
    bank = small_bank()
    for question in bank["questions"]:
        question["prompt"] = "[html]" + nasty + " _____ ?"
        question["explanation"] = "####" + nasty
        question["source_sentence"] = nasty + "\u2028"
    sa, numeric, mc, cloze = bank["questions"]
    sa["answer"] = "%50%" + nasty
    sa["accepted_answers"] = ["[markdown]x", "a->b", "T", "=", "~"]
    mc["choices"] = ["%50%wrong", nasty, "[html]<b>", "->"]
    mc["answer"] = nasty
    cloze["answer"] = "{=}"
    numeric["answer"] = nasty
    numeric["numeric"] = {"value": -2.5, "tolerance": 0.25, "unit": "m{}"}
    assert validate_bank(bank) == []
    back = round_trip(bank)
    for original, imported in zip(bank["questions"], back["questions"], strict=True):
        assert {k: imported[k] for k in ALL_FIELDS} == {k: original[k] for k in ALL_FIELDS}


# -- Moodle's documented examples -----------------------------------------------------------

MOODLE_EXAMPLES = """\
// true/false
::Q1:: 1+1=2 {T}

// multiple choice with specified feedback for right and wrong answers
::Q2:: What's between orange and green in the spectrum?
{ =yellow # right; good! ~red # wrong, it's yellow ~blue # wrong, it's yellow ~purple}

// fill-in-the-blank
::Q3:: Two plus {=two =2} equals four.

// matching
::Q4:: Which animal eats which food? { =cat -> cat food =dog -> dog food }

// math range question
::Q5:: What is a number from 1 to 5? {#3:2}

// math range specified with interval end points
::Q6:: What is a number from 1 to 5? {#1..5}

$CATEGORY: tom/dick/harry

Grant is buried in Grant's tomb.{FALSE}

When was Ulysses S. Grant born?{#1822:5####He was born in 1822.}

::Q7::[html]<p>Which <b>city</b> is the capital of France &amp; its largest?</p>{
\t~%50%Lyon#half right
\t=Paris#yes
\t~Marseille
\t~%-100%Nice
\t####<p>Paris, since 987.</p>
}

Who's buried in Grant's tomb?{=no one =nobody =%50%Grant}

Write an essay about Grant. {}
"""


def test_moodle_documentation_examples_parse_as_expected() -> None:
    warnings: list[str] = []
    bank = parse_gift(MOODLE_EXAMPLES, title="Examples", warnings=warnings)
    assert validate_bank(bank) == []
    questions = {q["id"]: q for q in bank["questions"]}
    q1 = questions["Q1"]  # true/false -> short answer (multiple choice needs four choices)
    assert (q1["format"], q1["answer"], q1["accepted_answers"]) == ("short_answer", "True", ["T"])
    assert q1["prompt"] == "1+1=2 (True or false?)"
    q2 = questions["Q2"]
    assert q2["format"] == "multiple_choice"
    assert q2["prompt"] == "What's between orange and green in the spectrum?"
    assert q2["answer"] == "yellow"  # the "# right; good!" feedback is dropped
    assert q2["choices"] == ["yellow", "red", "blue", "purple"]
    q3 = questions["Q3"]  # missing word: the blank goes where the answers were
    assert (q3["format"], q3["prompt"]) == ("cloze", "Two plus _____ equals four.")
    assert (q3["answer"], q3["accepted_answers"]) == ("two", ["2"])
    assert "Q4" not in questions  # matching: skipped with a warning
    assert questions["Q5"]["numeric"] == {"value": 3, "tolerance": 2, "unit": None}
    assert questions["Q6"]["numeric"] == {"value": 3, "tolerance": 2, "unit": None}
    assert questions["Q5"]["category"] == "how_many"
    false, born, q7, tomb = bank["questions"][5:]
    assert (false["answer"], false["format"]) == ("False", "short_answer")
    assert born["numeric"] == {"value": 1822, "tolerance": 5, "unit": None}
    assert (born["category"], born["explanation"]) == ("when", "He was born in 1822.")
    assert born["id"].startswith("q-") and len(born["id"]) == 12
    assert q7["prompt"] == "Which city is the capital of France & its largest?"
    assert (q7["answer"], q7["choices"]) == ("Paris", ["Lyon", "Paris", "Marseille", "Nice"])
    assert (q7["explanation"], q7["category"]) == ("Paris, since 987.", "where")
    assert (tomb["answer"], tomb["accepted_answers"], tomb["category"]) == (
        "no one",
        ["nobody"],
        "who",
    )
    assert [w.split(":", 1)[0] for w in warnings] == [
        "line 2",  # T/F converted
        "line 12",  # matching skipped
        "line 22",  # T/F converted
        "line 26",  # partial-credit choices count as wrong
        "line 34",  # partial-credit answer dropped
        "line 36",  # essay skipped
    ]
    assert "matching" in warnings[1] and "essay" in warnings[5]


# What Moodle's own GIFT export writes (question/format/gift/format.php, writequestion).
MOODLE_EXPORT = """\
// question: 0  name: Switch category to $course$/top/Default for History
$CATEGORY: $course$/top/Default for History


// question: 2  name: Capital
::Capital::[html]<p>What is the capital of France?&nbsp;</p>{
\t~%50%Lyon#
\t=Paris#<p>Yes</p>
\t~Marseille#
\t~Nice#
\t####<p>Paris has been the capital<br>since 987.</p>
}


// question: 3  name: Born
::Born::[html]<p>When was Grant born?</p>{#
\t=%100%1822:0#
\t=%50%1822:2#Close
\t~#Too far
\t####<p>He was born in 1822.</p>
}


// question: 4  name: Tomb
::Tomb::[moodle]Who is buried in Grant's tomb?{
\t=%100%no one#
\t=%100%nobody#
\t=%0%Grant#
}


// question: 5  name: TF
::TF::[html]<p>Grant is buried in Grant's tomb.</p>{TRUE#Wrong#Right####General}
"""


def test_moodle_own_export_parses_with_windows_line_ends() -> None:
    warnings: list[str] = []
    text = MOODLE_EXPORT.replace("\n", "\r\n")
    capital, born, tomb, true_false = parse_gift(text, title="t", warnings=warnings)["questions"]
    assert capital["prompt"] == "What is the capital of France?"
    assert capital["explanation"] == "Paris has been the capital\nsince 987."
    assert (capital["answer"], capital["choices"]) == (
        "Paris",
        ["Lyon", "Paris", "Marseille", "Nice"],
    )
    assert born["numeric"] == {"value": 1822, "tolerance": 0, "unit": None}
    assert (born["category"], born["explanation"]) == ("when", "He was born in 1822.")
    assert (tomb["answer"], tomb["accepted_answers"]) == ("no one", ["nobody"])
    assert (true_false["answer"], true_false["explanation"]) == ("True", "General")
    assert true_false["prompt"] == "Grant is buried in Grant's tomb. (True or false?)"
    assert [q["id"] for q in (capital, born, tomb, true_false)] == ["Capital", "Born", "Tomb", "TF"]
    assert warnings == [
        "line 6: partial-credit choices count as wrong (only 100% choices are right)",
        "line 16: partial-credit answers and extra ranges dropped",
        "line 25: partial-credit answers dropped (only 100% answers are accepted)",
        "line 33: true/false question imported as a short answer 'True' "
        "(quizapp's multiple choice needs four choices)",
    ]


def test_ids_are_stable_and_repeats_are_numbered() -> None:
    text = "Who won?{=Ann}\n\nWho won?{=Ann =Anne}\n\nWho won?{=Ann}\n"
    warnings: list[str] = []
    first = parse_gift(text, title="t", warnings=warnings)
    second = parse_gift(text, title="t")
    ids = [q["id"] for q in first["questions"]]
    assert ids == [q["id"] for q in second["questions"]]
    assert ids[1] == ids[0] + "-2" and len(ids) == 2
    assert warnings == ["line 5: the same question as at line 1; skipped"]


def test_titles_that_are_not_ids_get_a_hash_id() -> None:
    bank = parse_gift(
        "::Capital of France::Capital?{=Paris}\n\n::Q1::A?{=b}\n\n::Q1::C?{=d}", title="t"
    )
    ids = [q["id"] for q in bank["questions"]]
    assert ids[0].startswith("q-") and ids[1] == "Q1" and ids[2].startswith("q-")


def test_multiple_choice_conversions() -> None:
    warnings: list[str] = []
    bank = parse_gift(
        "Two right?{=a =b ~c ~d}\n\nWho?{~%50%a ~%50%b ~c ~d}\n\nGrant is {~x =y ~z} here.",
        title="t",
        warnings=warnings,
    )
    two, cloze = bank["questions"]
    assert (two["format"], two["answer"], two["accepted_answers"]) == ("short_answer", "a", ["b"])
    assert (cloze["format"], cloze["prompt"], cloze["answer"]) == (
        "cloze",
        "Grant is _____ here.",
        "y",
    )
    assert warnings == [
        "line 1: multiple choice with more than one 100% choice: imported as short answer",
        "line 3: multiple-answer question (no single 100% choice); skipped",
        "line 5: multiple choice with only 3 distinct choices (quizapp needs 4): imported as cloze",
    ]


def test_stale_metadata_does_not_override_an_edited_answer() -> None:
    text = (
        dumps_gift(small_bank()).replace("=4500:0", "=4600:10").replace("=Zanthorpe", "=Kelmore2")
    )
    back = parse_gift(text, title="t")
    numeric, mc = back["questions"][1], back["questions"][2]
    assert numeric["answer"] == "4600" and numeric["accepted_answers"] == []
    assert numeric["numeric"] == {"value": 4600, "tolerance": 10, "unit": "visitors"}
    assert mc["answer"] == "Kelmore2" and mc["accepted_answers"] == []


# -- bad files ---------------------------------------------------------------------------------

BAD = """\
// a comment

::A:: Who is it? {
=Bob
~Al

::B:: How many? {#abc}

::C:: How many? {#1..x}

::D What? {=x}

::E:: Stray } brace {=x}

::F:: no blank line between {=x}
::G:: questions {=y}

::H:: A range {#5..1}

::I:: {=x}

::J:: Tolerance {#5:-1}

::K:: All wrong {~a ~b ~c ~d}

::L:: An empty choice {=a ~ ~c}

::M:: Nested {=a {b}
"""


def test_each_kind_of_error_names_its_line() -> None:
    with pytest.raises(InterchangeError) as caught:
        parse_gift(BAD, title="t")
    assert caught.value.problems == [
        "line 3: unclosed '{' (question started at line 3)",
        "line 7: numerical answer 'abc' is not a number",
        "line 9: numerical answer 'x' is not a number",
        "line 11: question title '::' is not closed with '::'",
        "line 13: '}' without a matching '{'",
        "line 16: unexpected '{' after the answer block; separate questions with a blank line "
        "(or escape it as \\{)",
        "line 18: numerical range '5..1' ends below its start",
        "line 20: the question text is empty",
        "line 22: numerical tolerance '-1' is negative",
        "line 24: multiple choice has no right answer (mark it with '=')",
        "line 26: empty choice",
        "line 28: '{' inside the answer block opened at line 28 (escape it as \\{)",
    ]
    assert str(caught.value).startswith("line 3: unclosed '{' (question started at line 3); ")


def test_error_line_inside_a_multi_line_question() -> None:
    text = "Intro?{=a}\n\n// c\n::Q::\nHow many?\n{#\n\t=12:1\n\t=%50%zz\n}\n"
    with pytest.raises(InterchangeError, match=r"^line 8: numerical answer 'zz' is not a number$"):
        parse_gift(text, title="t")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("  \n\t\n", "the file is empty"),
        ("PK\x03\x04\x00\x00binary", "binary file"),
        ("// only a comment\n", "no questions found in the GIFT text"),
        ("Just a description.\n", "no questions found in the GIFT text (line 1: no answer block"),
        ("Match {=a -> b =c -> d}", "(line 1: matching question; skipped"),
    ],
)
def test_empty_binary_or_question_less_files(text: str, message: str) -> None:
    with pytest.raises(InterchangeError) as caught:
        parse_gift(text, title="t")
    assert message in str(caught.value)


def test_many_problems_are_collected_and_capped_in_the_message() -> None:
    text = "\n\n".join(f"Q{i}? {{#x{i}}}" for i in range(30))
    with pytest.raises(InterchangeError) as caught:
        parse_gift(text, title="t")
    assert len(caught.value.problems) == 30
    assert caught.value.problems[29] == "line 59: numerical answer 'x29' is not a number"
    assert str(caught.value).endswith("(and 10 more)")


def test_unusable_quizapp_comments_are_ignored_with_a_warning() -> None:
    text = (
        '// quizapp: {"category": "colour", "updated_at": "yesterday", "score": 0.4}\n'
        "::q-1::Who won?{=Ann}\n"
        "\n"
        "// quizapp: {not json\n"
        "::q-2::Where?{=Oslo}\n"
    )
    warnings: list[str] = []
    first, second = parse_gift(text, title="t", warnings=warnings)["questions"]
    assert (first["category"], first["score"], "updated_at" in first) == ("who", 0.4, False)
    assert second["category"] == "where"
    assert warnings == [
        "line 4: unreadable quizapp comment ignored",
        "line 1: quizapp comment has an unusable 'category'; ignored",
        "line 1: quizapp comment has an unusable 'updated_at'; ignored",
    ]


def test_a_question_glued_to_a_category_line_is_ignored_with_a_warning() -> None:
    warnings: list[str] = []
    text = "$CATEGORY: $course$/top/X\nWho?{=Ann}\n\nWhere?{=Oslo}\n"
    (question,) = parse_gift(text, title="t", warnings=warnings)["questions"]
    assert question["answer"] == "Oslo"
    assert warnings == ["line 1: text after a $CATEGORY line needs a blank line; ignored"]
