"""CSV: export for spreadsheets, round trips, list cells, formula injection and bad files."""

from __future__ import annotations

import csv
import io
import json

import pytest
from helpers import SEED_BANK, small_bank

from quizapp.banks import QUESTION_KEYS, validate_bank
from quizapp.interchange import InterchangeError, export_bank
from quizapp.interchange.csv_format import (
    COLUMNS,
    dumps_csv,
    join_list,
    parse_csv,
    protect,
    split_list,
    unprotect,
)

QUESTION_FIELDS = QUESTION_KEYS  # every field of a question in the bank format


def seed_bank() -> dict:
    return json.loads(SEED_BANK.read_text(encoding="utf-8"))


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_export_is_utf8_with_bom_a_header_and_one_row_per_question() -> None:
    data = export_bank(small_bank(), "csv")
    assert data.startswith(b"\xef\xbb\xbf")  # so Excel reads UTF-8
    text = data.decode("utf-8-sig")
    assert text.split("\r\n", 1)[0] == ",".join(COLUMNS)
    table = rows(text)
    assert [row["id"] for row in table] == [q["id"] for q in small_bank()["questions"]]
    numeric, mc = table[1], table[2]
    assert (numeric["numeric_value"], numeric["numeric_tolerance"], numeric["numeric_unit"]) == (
        "4500",
        "0",
        "visitors",
    )
    assert numeric["answer"] == "4,500" and numeric["choices"] == ""
    assert mc["choices"] == "Ashby | Zanthorpe | Kelmore | Dunmarch"
    assert (mc["source_start"], mc["source_end"], mc["score"]) == ("64", "118", "0.7")


@pytest.mark.parametrize("make", [small_bank, seed_bank], ids=["small", "seed"])
def test_round_trip_gives_back_every_question_field(make) -> None:
    """CSV carries every question field; the bank's source and generator are not carried
    (an imported CSV has a source titled after the import and no digest)."""
    bank = make()
    warnings: list[str] = []
    back = parse_csv(dumps_csv(bank), title="Imported", warnings=warnings)
    assert warnings == []
    assert validate_bank(back) == []
    for original, imported in zip(bank["questions"], back["questions"], strict=True):
        assert {k: imported[k] for k in QUESTION_FIELDS} == {
            k: original[k] for k in QUESTION_FIELDS
        }
    assert back["title"] == "Imported"
    assert back["source"] == {
        "title": "Imported",
        "url": None,
        "published": None,
        "licence": None,
        "sha256": "",
    }


def test_updated_at_and_awkward_texts_round_trip() -> None:
    nasty = '=HYPERLINK("http://x") | a \\| b, "quoted"\nline two; tab\there 😀 <script>'
    bank = small_bank()
    for question in bank["questions"]:
        question["prompt"] = nasty + " _____"
        question["explanation"] = "-" + nasty
        question["updated_at"] = "2024-05-06T07:08:09+00:00"
    bank["questions"][0]["answer"] = "@" + nasty
    bank["questions"][0]["accepted_answers"] = ["a|b", "c\\", "\\|", "+1"]
    bank["questions"][2]["choices"] = ["a | b", "Zanthorpe", "'=x", "''y"]
    back = parse_csv(dumps_csv(bank), title="t")
    for original, imported in zip(bank["questions"], back["questions"], strict=True):
        assert imported == original


def test_list_cells_escape_the_separator() -> None:
    items = ["a|b", "back\\slash", "\\|", "plain", "trailing\\"]
    cell = join_list(items)
    assert cell == "a\\|b | back\\\\slash | \\\\\\| | plain | trailing\\\\"
    assert split_list(cell) == items
    assert split_list("a|b |  c ||") == ["a", "b", "c"]  # hand-typed: trimmed, empties dropped
    assert split_list("C:\\temp | x") == ["C:\\temp", "x"]  # other backslashes are text


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("'=x", "''=x"),
        ("'Tis", "'Tis"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_cells_are_prefixed_and_the_import_undoes_exactly_that(
    cell: str, written: str
) -> None:
    assert protect(cell) == written
    assert unprotect(written) == cell


def test_exported_file_has_no_cell_a_spreadsheet_would_run() -> None:
    bank = small_bank()
    bank["questions"][0]["prompt"] = "=cmd|' /C calc'!A0"
    bank["questions"][0]["explanation"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    bank["questions"][1]["numeric"]["value"] = -3
    for row in csv.reader(io.StringIO(dumps_csv(bank), newline="")):
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row)
    back = parse_csv(dumps_csv(bank), title="t")["questions"]
    assert back[0]["prompt"] == "=cmd|' /C calc'!A0"
    assert back[1]["numeric"]["value"] == -3


def test_hand_made_spreadsheet_with_few_columns() -> None:
    text = (
        "\ufeffQuestion;Answer;Choices;Numeric value;Notes\r\n"
        "Who opened the festival?;Quintessa Vorbeck;;;x\r\n"
        "Where is the harbour?;Zanthorpe;Ashby | Kelmore | Dunmarch;;\r\n"
        "How many visitors came?;about 4 500;;4 500;\r\n"
        "In which year did it open?;1999;;;\r\n"
        "The _____ paid for the fireworks.;Glimmerstone Trust;;;\r\n"
    )
    warnings: list[str] = []
    bank = parse_csv(text, title="Festival", warnings=warnings)
    assert warnings == ["line 1: column 'Notes' is not a quizapp column; ignored"]
    who, where, count, year, cloze = bank["questions"]
    assert (who["format"], who["category"]) == ("short_answer", "who")
    assert (where["format"], where["category"]) == ("multiple_choice", "where")
    assert where["choices"] == ["Ashby", "Kelmore", "Dunmarch", "Zanthorpe"]
    assert (count["format"], count["category"]) == ("numeric", "how_many")
    assert count["numeric"] == {"value": 4500, "tolerance": 0, "unit": None}
    assert year["category"] == "when"
    assert (cloze["format"], cloze["category"]) == ("cloze", "what")
    assert all(q["id"].startswith("q-") and len(q["id"]) == 12 for q in bank["questions"])
    again = parse_csv(text, title="Festival")
    assert [q["id"] for q in again["questions"]] == [q["id"] for q in bank["questions"]]


def test_each_kind_of_row_error_names_its_line() -> None:
    text = (
        "id,prompt,answer,format,category,numeric_value,numeric_tolerance,choices,score\n"
        "q-1,Who?,Bob,essay,,,,,\n"
        'q-2,"How many\n(two lines)?",x,numeric,,abc,,,\n'
        "q 3,What?,y,,colour,,,,\n"
        "q-4,Which?,z,multiple_choice,,,,,\n"
        ",Where?,,,,,,,\n"
        "q-6,How far?,5 km,numeric,,5,-1,,\n"
        "q-7,Ok?,yes,,,,,,1.5\n"
        "q-8,Fine?,yes,,,,,,\n"
        "q-8,Again?,yes,,,,,,\n"
    )
    with pytest.raises(InterchangeError) as caught:
        parse_csv(text, title="t")
    assert caught.value.problems == [
        "line 2: column 'format' must be one of multiple_choice, cloze, short_answer, numeric, "
        "not 'essay'",
        "line 3: numeric_value 'abc' is not a number",
        "line 5: column 'category' must be one of who, where, how_many, when, what, not 'colour'",
        "line 5: id 'q 3' may hold only letters, digits, '_', '.' and '-' (at most 64, starting "
        "with a letter or digit); leave it empty for a generated id",
        "line 6: a multiple_choice question needs its choices (column 'choices')",
        "line 7: column 'answer' is empty",
        "line 8: numeric_tolerance '-1' is not a number >= 0",
        "line 9: score '1.5' is not a number between 0 and 1",
        "line 11: id 'q-8' is already used at line 10",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("\ufeff \r\n", "the file is empty"),
        ("a\x00b,c", "binary file"),
        ("prompt,answer\r\n", "no questions found in the CSV text"),
        ("prompt,answer\r\n,,\r\n", "no questions found in the CSV text"),
        ("foo,bar\n1,2\n", "line 1: the header has no 'prompt' or 'answer' column"),
        ('prompt,answer\n"Who?,Bob\n', "line 2: not readable as CSV"),
        ("prompt,answer,prompt\nA?,b,c\n", "line 1: column 'prompt' appears twice"),
    ],
)
def test_bad_files(text: str, message: str) -> None:
    with pytest.raises(InterchangeError) as caught:
        parse_csv(text, title="t")
    assert message in str(caught.value)


def test_validation_problems_name_the_row() -> None:
    text = "prompt,answer,choices\nWhich?,a,a | b | B\n"  # only two distinct choices
    with pytest.raises(InterchangeError, match=r"line 2 \(question 'q-[0-9a-f]{10}'\): "):
        parse_csv(text, title="t")


def test_an_answer_cell_with_stray_spaces_or_case_is_its_choice_not_another() -> None:
    text = "prompt,answer,choices\nCapital of France?,Paris ,Paris | London | Berlin | Rome\n"
    text += "Capital of Spain?,madrid,Madrid | Lisbon | Porto | Seville\n"
    first, second = parse_csv(text, title="Capitals")["questions"]
    assert (first["answer"], sorted(first["choices"])) == (
        "Paris",
        ["Berlin", "London", "Paris", "Rome"],
    )
    assert second["answer"] == "Madrid" and len(second["choices"]) == 4


def test_a_no_break_space_inside_a_choice_survives_the_round_trip() -> None:
    """Found by the Hypothesis round trip in CI: only the spaces around " | " are separators."""
    bank = small_bank()
    town = bank["questions"][2]
    town.update(answer="0\xa0", choices=["Ashby", "0\xa0", "Kelmore", "Dunmarch"])
    back = parse_csv(dumps_csv(bank), title="x")["questions"][2]
    assert (back["answer"], back["choices"]) == ("0\xa0", ["Ashby", "0\xa0", "Kelmore", "Dunmarch"])
