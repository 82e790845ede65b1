"""The bank file format: canonical writing, validation and load errors (contracts §2)."""

from __future__ import annotations

import copy
import json

import pytest

from quizapp.banks import (
    BankError,
    dumps_bank,
    load_bank,
    loads_bank,
    validate_bank,
    write_bank,
)
from quizapp.generation.models import Bank, Numeric, Question, Source

SENTENCE = "Afterwards, six men in suits sat around a table, in Gdańsk."


def make_bank() -> Bank:
    """A small valid bank with one question of each format."""
    return Bank(
        title="Talks in Gdańsk",
        source=Source(title="Talks", published="2023-09-21", sha256="ab" * 32),
        generator={"name": "quizapp", "version": "0.1.0"},
        questions=(
            Question(
                id="q-1",
                category="who",
                format="multiple_choice",
                prompt="Who is the Prime Minister of Armenia?",
                answer="Nikol Pashinyan",
                accepted_answers=("Pashinyan",),
                choices=("Ilham Aliyev", "Nikol Pashinyan", "Hikmet Hajiyev", "David Melkomyan"),
                explanation="Armenian Prime Minister Nikol Pashinyan announced …",
                source_sentence="Armenian Prime Minister Nikol Pashinyan announced …",
                source_span=(10, 60),
                score=0.91,
            ),
            Question(
                id="q-2",
                category="how_many",
                format="numeric",
                prompt="How many men in suits sat around the table?",
                answer="six",
                accepted_answers=("6",),
                numeric=Numeric(6, 0, "men"),
                source_sentence=SENTENCE,
                source_span=(0, len(SENTENCE)),
                score=0.8,
            ),
            Question(
                id="q-3",
                category="where",
                format="cloze",
                prompt="Afterwards, six men in suits sat around a table, in _____.",
                answer="Gdańsk",
                accepted_answers=("Gdansk",),
                source_sentence=SENTENCE,
                source_span=(0, len(SENTENCE)),
                score=0.5,
            ),
            Question(
                id="q-4",
                category="when",
                format="short_answer",
                prompt="In what year did the last war take place?",
                answer="2020",
                score=0.0,
            ),
        ),
    )


@pytest.fixture
def bank() -> dict:
    return make_bank().to_dict()


# -- canonical writing ---------------------------------------------------------------------


def test_round_trip_is_byte_for_byte(tmp_path, bank):
    path = write_bank(make_bank(), tmp_path / "talks.json")
    written = path.read_bytes()
    assert written == dumps_bank(bank).encode("utf-8")
    loaded = load_bank(path)
    assert loaded == bank
    write_bank(loaded, tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == written


def test_dumps_is_indented_utf8_json_with_final_newline(bank):
    text = dumps_bank(bank)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert '\n  "format": "quizapp-bank",\n' in text
    assert "Gdańsk" in text and "\\u" not in text
    assert json.loads(text) == bank


def test_dumps_puts_keys_in_contract_order_whatever_the_input_order(bank):
    shuffled = dict(reversed(list(bank.items())))
    shuffled["source"] = dict(reversed(list(bank["source"].items())))
    shuffled["questions"] = [dict(reversed(list(q.items()))) for q in bank["questions"]]
    shuffled["questions"][1]["numeric"] = {"unit": "men", "tolerance": 0, "value": 6}
    assert dumps_bank(shuffled) == dumps_bank(bank)
    data = json.loads(dumps_bank(shuffled))
    assert list(data) == ["format", "version", "title", "source", "generator", "questions"]
    assert list(data["source"]) == ["title", "url", "published", "licence", "sha256"]
    assert list(data["questions"][0])[:3] == ["id", "category", "format"]
    assert list(data["questions"][0])[-1] == "score"
    assert list(data["questions"][1]["numeric"]) == ["value", "tolerance", "unit"]


def test_dumps_keeps_extension_keys_after_known_ones(bank):
    bank["questions"][0] = {"x_note": "kept", "updated_at": "2024-01-02T03:04:05Z"} | bank[
        "questions"
    ][0]
    keys = list(json.loads(dumps_bank(bank))["questions"][0])
    assert keys[-3:] == ["score", "updated_at", "x_note"]


def test_dumps_rejects_values_json_cannot_hold(bank):
    bank["questions"][0]["score"] = float("nan")
    with pytest.raises(BankError, match="cannot be written as JSON"):
        dumps_bank(bank)


def test_write_bank_leaves_no_temporary_files(tmp_path, bank):
    write_bank(bank, tmp_path / "b.json")
    write_bank(bank, tmp_path / "b.json")
    assert [p.name for p in tmp_path.iterdir()] == ["b.json"]


# -- validation ----------------------------------------------------------------------------


def test_valid_bank_has_no_problems(bank):
    assert validate_bank(bank) == []
    bank["questions"][0]["updated_at"] = "2024-05-01T10:00:00+00:00"
    assert validate_bank(bank) == []


def _set(path: str, value):
    """A mutation of the bank: set the dotted ``path`` (ints index lists) to ``value``."""

    def mutate(data: dict) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        target = data
        for part in parents:
            target = target[part]
        target[last] = value

    return mutate


def _delete(path: str):
    def mutate(data: dict) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        target = data
        for part in parents:
            target = target[part]
        del target[last]

    return mutate


CASES = [
    (_set("format", "anki"), "format: expected 'quizapp-bank', got 'anki'"),
    (_set("version", 2), "version: expected 1, got 2"),
    (_set("version", True), "version: expected 1, got True"),
    (_set("title", None), "title: expected a string, got null"),
    (_set("source", "wikinews"), "source: expected an object, got string"),
    (_set("source.url", 3), "source.url: expected a string or null, got number"),
    (_set("generator", []), "generator: expected an object, got list"),
    (_set("questions", {}), "questions: expected a list, got object"),
    (_set("questions.0", "q"), "questions[0]: expected an object, got string"),
    (_delete("questions.2.answer"), "questions[2]: missing key 'answer'"),
    (_set("questions.1.prompt", None), "questions[1]: prompt: expected a string, got null"),
    (_set("questions.1.id", " "), "questions[1]: id: must not be empty"),
    (_set("questions.3.category", "why"), "questions[3]: category: 'why' is not one of"),
    (_set("questions.3.format", "essay"), "questions[3]: format: 'essay' is not one of"),
    (_set("questions.0.accepted_answers", "Pashinyan"), "questions[0]: accepted_answers:"),
    (_set("questions.0.accepted_answers", [1]), "questions[0]: accepted_answers:"),
    (_set("questions.0.choices", None), "questions[0]: multiple_choice needs a list of choices"),
    (_set("questions.0.choices", "a b c d"), "questions[0]: choices: expected a list"),
    (
        _set("questions.0.choices", ["Ilham Aliyev", "Hikmet Hajiyev", "David Melkomyan", "X"]),
        "questions[0]: multiple_choice needs the answer exactly once in choices",
    ),
    (
        _set("questions.0.choices", ["Nikol Pashinyan", "Nikol Pashinyan", "A", "B", "C"]),
        "questions[0]: multiple_choice needs the answer exactly once in choices",
    ),
    (
        _set("questions.0.choices", ["Nikol Pashinyan", "Ilham Aliyev", "ilham aliyev ", "B"]),
        "questions[0]: multiple_choice needs at least 4 distinct choices, has 3",
    ),
    (
        _set("questions.0.choices", ["Nikol Pashinyan", "A", "B"]),
        "questions[0]: multiple_choice needs at least 4 distinct choices, has 3",
    ),
    (_set("questions.2.prompt", "Six men sat in ____."), "questions[2]: cloze prompt must"),
    (_set("questions.1.numeric", None), "questions[1]: numeric format needs"),
    (_set("questions.1.numeric", 6), "questions[1]: numeric: expected an object or null"),
    (_delete("questions.1.numeric.unit"), "questions[1]: numeric: missing key 'unit'"),
    (_set("questions.1.numeric.value", "6"), "questions[1]: numeric.value: expected a number"),
    (_set("questions.1.numeric.tolerance", -1), "questions[1]: numeric.tolerance: expected"),
    (_set("questions.1.numeric.unit", 1), "questions[1]: numeric.unit: expected a string or null"),
    (_set("questions.1.source_span", [5]), "questions[1]: source_span: expected two integers"),
    (_set("questions.1.source_span", [1.0, 2]), "questions[1]: source_span: expected two"),
    (_set("questions.1.source_span", [9, 2]), "questions[1]: source_span: need 0 <= start <= end"),
    (_set("questions.1.score", 1.5), "questions[1]: score: expected a number in [0, 1], got 1.5"),
    (_set("questions.1.score", -0.1), "questions[1]: score: expected a number in [0, 1]"),
    (_set("questions.1.score", "high"), "questions[1]: score: expected a number in [0, 1]"),
    (_set("questions.1.updated_at", 5), "questions[1]: updated_at: expected an ISO 8601 string"),
    (_set("questions.1.updated_at", "yesterday"), "questions[1]: updated_at: 'yesterday' is not"),
    (_set("questions.3.id", "q-1"), "questions[3]: duplicate id 'q-1' (first at questions[0])"),
]


@pytest.mark.parametrize(("mutate", "expected"), CASES)
def test_each_validation_problem_is_reported(bank, mutate, expected):
    mutate(bank)
    problems = validate_bank(bank)
    assert any(p.startswith(expected) for p in problems), problems


def test_validation_reports_every_problem_not_just_the_first(bank):
    bank["version"] = 3
    bank["questions"][0]["score"] = 2
    bank["questions"][2]["category"] = "why"
    problems = validate_bank(bank)
    assert len(problems) == 3
    assert problems[0].startswith("version:")
    assert problems[1].startswith("questions[0]: score:")
    assert problems[2].startswith("questions[2]: category:")


def test_a_non_object_is_not_a_bank():
    assert validate_bank([]) == ["bank: expected a JSON object, got list"]


def test_non_multiple_choice_formats_need_no_choices(bank):
    assert bank["questions"][1]["choices"] is None
    assert bank["questions"][1]["format"] == "numeric"
    assert not [p for p in validate_bank(bank) if p.startswith("questions[1]")]


# -- load errors ---------------------------------------------------------------------------


def test_load_bank_of_a_missing_file_names_it(tmp_path):
    path = tmp_path / "nope.json"
    with pytest.raises(BankError, match=r"nope\.json: cannot read: No such file"):
        load_bank(path)


def test_load_bank_of_a_directory(tmp_path):
    with pytest.raises(BankError, match="is a directory"):
        load_bank(tmp_path)


def test_load_bank_of_non_utf8_bytes(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"title": "Gdańsk"}'.encode("latin-1", errors="replace") + b"\xff")
    with pytest.raises(BankError, match=r"latin1\.json: not UTF-8 text \(bad byte at offset"):
        load_bank(path)


def test_load_bank_accepts_a_byte_order_mark(tmp_path, bank):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + dumps_bank(bank).encode("utf-8"))
    assert load_bank(path) == bank


def test_bad_json_error_gives_line_and_column():
    with pytest.raises(BankError) as info:
        loads_bank('{\n  "format": "quizapp-bank",\n  "version": 1,,\n}', name="b.json")
    assert str(info.value).startswith("b.json: invalid JSON at line 3, column 16: ")
    assert isinstance(info.value, ValueError)


def test_empty_text_is_reported_as_empty():
    with pytest.raises(BankError, match=r"^<bank>: empty file, expected bank JSON$"):
        loads_bank("  \n")


def test_validation_failure_is_one_line_quoting_the_first_problems(bank):
    for question in bank["questions"]:
        question["score"] = 7
    bank["title"] = 1
    with pytest.raises(BankError) as info:
        loads_bank(json.dumps(bank), name="x.json")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("x.json: not a valid question bank: title: expected a string")
    assert message.endswith("(and 2 more)")
    assert message.count("questions[") == 2
    assert len(info.value.problems) == 5


def test_loads_bank_returns_the_data_of_a_valid_bank(bank):
    assert loads_bank(dumps_bank(bank)) == bank
    assert loads_bank(dumps_bank(copy.deepcopy(bank)), name="y") == bank


def test_alternates_are_validated_and_share_the_id_space(bank):
    spare = copy.deepcopy(bank["questions"][0])
    bank["alternates"] = [spare]
    problems = validate_bank(bank)
    assert any("alternates[0]: duplicate id" in p for p in problems)
    spare["id"] = "q-spare"
    spare["format"] = "essay"
    assert any(p.startswith("alternates[0]: format") for p in validate_bank(bank))
    spare["format"] = bank["questions"][0]["format"]
    assert validate_bank(bank) == []
    bank["alternates"] = "none"
    assert "alternates: expected a list, got string" in validate_bank(bank)


def test_alternates_are_written_after_the_questions(bank):
    spare = {**copy.deepcopy(bank["questions"][0]), "id": "q-spare"}
    text = dumps_bank({**bank, "alternates": [spare]})
    assert text.index('"alternates"') > text.index('"questions"')
    assert loads_bank(text)["alternates"][0]["id"] == "q-spare"
