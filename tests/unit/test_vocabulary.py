"""The question vocabulary (quizapp.vocabulary) and the table of interchange formats
(quizapp.interchange.FILE_FORMATS) are the single sources of their lists: every consumer reads
them, and no other module or template spells the lists out again."""

from __future__ import annotations

import ast
import copy
import re
from pathlib import Path

import click
import pytest
from helpers import small_bank

from quizapp import banks, interchange, models, scoring, teacher_forms, vocabulary
from quizapp.cli import export_command
from quizapp.generation import models as generation_models
from quizapp.services import editing, exchange, results
from quizapp.vocabulary import (
    CATEGORIES,
    CATEGORY_LABELS,
    FORMAT_LABELS,
    FORMATS,
    answer_key_problems,
    question_problems,
)

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "quizapp"
# Literals that hold the category names for another reason than listing the vocabulary.
ALLOWED = {
    # the annotation types of the gold corpus (its own file format), not the app's categories
    "quizapp/evaluation/gold.py",
}


# -- one source ----------------------------------------------------------------------------------


def _strings(node: ast.AST) -> list[str]:
    """The string constants a collection literal lists: its items, or the first argument of
    each item that is a call (``SelectChoice("cloze", "…")``), or a dict's keys."""
    items = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", [])
    out = []
    for item in items:
        if isinstance(item, ast.Call) and item.args:
            item = item.args[0]
        if isinstance(item, ast.Constant) and isinstance(item.value, str):
            out.append(item.value)
    return out


def _copies(tree: ast.AST) -> list[tuple[int, list[str]]]:
    """Collection literals listing every format, or four or more categories."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Dict):
            continue
        if isinstance(node, ast.Dict) and not all(
            isinstance(v, ast.Constant) and isinstance(v.value, str) for v in node.values
        ):
            continue  # a table of other values per name (weights), not a label dict
        names = set(_strings(node))
        if set(FORMATS) <= names or len(names & set(CATEGORIES)) >= 4:
            found.append((node.lineno, sorted(names)))
    return found


def test_no_module_but_the_vocabulary_lists_the_formats_or_categories() -> None:
    stray = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name == "quizapp/vocabulary.py" or name in ALLOWED:
            continue
        for line, names in _copies(ast.parse(path.read_text(encoding="utf-8"))):
            stray.append(f"{name}:{line}: {names}")
    assert stray == []


def test_the_copy_finder_finds_the_old_copies() -> None:
    """What the test above looks for, as the code held it before the vocabulary."""
    old = """
FORMATS = ("multiple_choice", "cloze", "short_answer", "numeric")
CATEGORY_ORDER = ("who", "where", "how_many", "when", "what")
FORMAT_CHOICES = [
    SelectChoice("multiple_choice", "Multiple choice"),
    SelectChoice("short_answer", "Short answer"),
    SelectChoice("cloze", "Fill in the blank (cloze)"),
    SelectChoice("numeric", "Number"),
]
CATEGORY_WEIGHT = {"how_many": 1.0, "who": 0.95, "when": 0.85, "where": 0.85, "what": 0.6}
"""
    assert [line for line, _ in _copies(ast.parse(old))] == [2, 3, 4]


def test_no_template_spells_out_the_labels() -> None:
    quoted = re.compile(r"""['"](\w+)['"]\s*:""")
    stray = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            keys = set(quoted.findall(line))
            if len(keys & set(FORMATS)) >= 2 or len(keys & set(CATEGORIES)) >= 2:
                stray.append(f"{path.relative_to(ROOT)}:{number}")
    assert stray == []


def test_every_consumer_reads_the_vocabulary() -> None:
    assert models.FORMATS is FORMATS and models.CATEGORIES is CATEGORIES
    assert generation_models.FORMATS is FORMATS
    assert generation_models.CATEGORIES is CATEGORIES
    assert scoring.FORMATS is FORMATS
    assert scoring.MAX_ANSWER_CHARS == vocabulary.MAX_ANSWER_CHARS
    assert banks.QUESTION_KEYS is vocabulary.FIELDS
    assert banks.CLOZE_GAP is vocabulary.CLOZE_GAP
    assert banks.MAX_CHARS["id"] == vocabulary.MAX_ID
    assert editing.LIMITS is vocabulary.LIMITS
    form = teacher_forms.QuestionForm
    assert [c.value for c in teacher_forms.FORMAT_CHOICES] == [
        name for name, _ in vocabulary.menu(vocabulary.FORMAT_KINDS)
    ]
    assert sorted(c.value for c in teacher_forms.FORMAT_CHOICES) == sorted(FORMATS)
    assert [c.value for c in teacher_forms.CATEGORY_CHOICES] == list(CATEGORIES)
    assert form.format.kwargs["choices"] is teacher_forms.FORMAT_CHOICES


def test_the_database_constraints_list_the_vocabulary() -> None:
    table = models.Question.__table__
    checks = {c.name: str(c.sqltext) for c in table.constraints if hasattr(c, "sqltext")}
    for column, names in (("format", FORMATS), ("category", CATEGORIES)):
        check = next(text for name, text in checks.items() if name.endswith(column))
        assert re.findall(r"'(\w+)'", check) == list(names)


def test_the_results_by_category_follow_the_vocabulary_order() -> None:
    items = [
        results.ResultItem(**{**_item_fields(), "category": c, "correct": True})
        for c in reversed(CATEGORIES)
    ]
    assert [row[0] for row in results.by_category(items)] == list(CATEGORIES)


def _item_fields() -> dict:
    fields = results.ResultItem.__dataclass_fields__
    return {name: None for name in fields}


def test_the_menus_put_each_format_once_with_its_label() -> None:
    pairs = vocabulary.menu(vocabulary.FORMAT_KINDS)
    assert sorted(name for name, _ in pairs) == sorted(FORMATS)
    assert dict(pairs)["cloze"] == "Fill in the blank (cloze)"
    assert FORMAT_LABELS["cloze"] == "Fill in the blank"
    assert set(CATEGORY_LABELS) == set(CATEGORIES)


def test_templates_show_the_vocabulary_labels(app) -> None:
    with app.test_request_context():
        macros = app.jinja_env.get_template("_macros.html").module
        for name, label in FORMAT_LABELS.items():
            assert str(macros.format_name(name)).strip() == label
        for name, label in CATEGORY_LABELS.items():
            assert f">{label}</span>" in str(macros.category_tag(name))


# -- validation ----------------------------------------------------------------------------------


def _questions() -> dict[str, dict]:
    return {q["format"]: q for q in small_bank()["questions"]}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_good_question_of_every_format_has_no_problems(fmt: str) -> None:
    question = _questions()[fmt]
    assert question_problems(question) == []
    assert answer_key_problems(question) == []


def _changed(fmt: str, **changes) -> dict:
    question = copy.deepcopy(_questions()[fmt])
    question.update(changes)
    return question


BAD = [
    ([1, 2], "expected an object, got list"),
    ({k: v for k, v in _questions()["cloze"].items() if k != "answer"}, "missing key 'answer'"),
    (_changed("cloze", format="essay"), "format: 'essay' is not one of"),
    (_changed("cloze", category="why"), "category: 'why' is not one of"),
    (_changed("cloze", answer="  "), "answer: must not be empty"),
    (_changed("cloze", prompt="No gap here."), 'cloze prompt must contain the gap "_____"'),
    (_changed("cloze", id="q" * 65), "id: at most 64 characters, got 65"),
    (_changed("cloze", accepted_answers=[3]), "accepted_answers: expected a list of strings"),
    (_changed("multiple_choice", choices=None), "multiple_choice needs a list of choices"),
    (
        _changed("multiple_choice", choices=["Ashby", "Kelmore", "Dunmarch", "Mossby"]),
        "multiple_choice needs the answer",
    ),
    (_changed("numeric", numeric=None), 'numeric format needs "numeric"'),
    (_changed("numeric", numeric={"value": "4500"}), "numeric.value: expected a number"),
    (
        _changed("numeric", numeric={"value": 4500, "tolerance": -1, "unit": None}),
        "numeric.tolerance: expected a number >= 0",
    ),
]


@pytest.mark.parametrize(("question", "message"), BAD)
def test_a_bad_question_is_told_what_is_wrong(question, message: str) -> None:
    problems = question_problems(question)
    assert any(message in p for p in problems), problems
    if isinstance(question, dict) and "answer" in question and "choices" in question:
        if "id" not in message and "cloze" not in message:
            assert any(message.split(":")[0] in p for p in answer_key_problems(question))


def test_a_bank_question_is_stricter_than_an_answer_key() -> None:
    """A grader needs only the answer key: a multiple-choice answer among its choices (after
    Unicode NFC), a numeric value. A bank file needs the whole question."""
    few = _changed("multiple_choice", choices=["Ashby", "Zanthorpe"])
    assert answer_key_problems(few) == []
    assert question_problems(few) == ["multiple_choice needs at least 4 distinct choices, has 2"]
    composed = "Zanth\u00f6rpe"
    choices = ["Ashby", "Zanto\u0308rpe".replace("to\u0308", "tho\u0308"), "Kelmore", "Dunmarch"]
    decomposed = _changed("multiple_choice", answer=composed, choices=choices)
    assert answer_key_problems(decomposed) == []
    assert question_problems(decomposed) == [
        "multiple_choice needs the answer exactly once in choices"
    ]
    bare_value = _changed("numeric", numeric={"value": 4500})
    assert answer_key_problems(bare_value) == []
    assert "numeric: missing key 'tolerance'" in question_problems(bare_value)
    hand_written = _changed("short_answer", source_span=None, score=None)
    assert answer_key_problems(hand_written) == []
    assert len(question_problems(hand_written)) == 2


def test_the_grader_and_the_bank_reader_refuse_through_the_vocabulary() -> None:
    bad = _changed("cloze", format="essay")
    with pytest.raises(ValueError, match="format: 'essay' is not one of"):
        scoring.grade(bad, "x")
    bank = small_bank()
    bank["questions"][3] = bad
    assert "questions[3]: format: 'essay' is not one of" in banks.validate_bank(bank)[0]
    assert banks.validate_question(bad) == question_problems(bad)


# -- the table of interchange formats ------------------------------------------------------------


def test_the_services_read_the_table() -> None:
    assert exchange.FILE_FORMATS is interchange.FILE_FORMATS
    assert set(interchange.FORMATS) == {
        f.name for f in interchange.FILE_FORMATS.values() if f.one_bank
    }


def test_the_cli_offers_the_formats_of_the_table() -> None:
    option = next(p for p in export_command.params if p.name == "fmt")
    assert isinstance(option.type, click.Choice)
    assert list(option.type.choices) == list(interchange.FILE_FORMATS)
    for fmt in interchange.FILE_FORMATS.values():
        assert f".{fmt.extension}" in option.help


@pytest.mark.parametrize("fmt", list(interchange.FILE_FORMATS))
def test_the_cli_tells_each_format_from_its_extension(runner, tmp_path, fmt: str) -> None:
    source = tmp_path / "bank.json"
    banks.write_bank(small_bank(), source)
    extension = interchange.FILE_FORMATS[fmt].extension
    out = tmp_path / f"out.{extension}"
    result = runner.invoke(args=["export", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(f"as {fmt}")
    assert out.read_bytes()


@pytest.fixture
def teacher(client, factory, auth):
    user_id, email = factory.user("teacher", "Ms Table")
    auth.login(email)
    return user_id


@pytest.mark.parametrize("fmt", list(interchange.FILE_FORMATS))
def test_every_format_of_the_table_has_an_export_route(client, factory, teacher, fmt) -> None:
    row = interchange.FILE_FORMATS[fmt]
    set_id = factory.bank_set(small_bank(), owner_id=teacher, status="draft")
    response = client.get(f"/teach/sets/{set_id}/export/{fmt}")
    assert response.status_code == 200
    assert response.mimetype == row.media_type.split(";")[0]
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="harbour-festival.{row.extension}"'
    page = client.get(f"/teach/sets/{set_id}").get_data(as_text=True)
    assert f"/teach/sets/{set_id}/export/{fmt}" in page
    assert row.label in page


def test_a_format_not_in_the_table_is_404(client, factory, teacher) -> None:
    set_id = factory.bank_set(small_bank(), owner_id=teacher, status="draft")
    assert client.get(f"/teach/sets/{set_id}/export/pdf").status_code == 404


def test_formats_without_a_reader_say_so_on_import() -> None:
    for row in interchange.FILE_FORMATS.values():
        if row.read is None and row.one_bank:
            with pytest.raises(interchange.InterchangeError, match="exported but not imported"):
                interchange.import_text("x", row.name, "t")
