"""Moodle XML export: well-formed XML that gives the questions back, with Moodle's types."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET

import pytest
from helpers import SEED_BANK, small_bank

from quizapp.interchange.moodle_xml import dumps_moodle_xml

TYPES = {
    "multiple_choice": "multichoice",
    "short_answer": "shortanswer",
    "cloze": "shortanswer",
    "numeric": "numerical",
}


def seed_bank() -> dict:
    return json.loads(SEED_BANK.read_text(encoding="utf-8"))


def plain(element: ET.Element | None) -> str:
    """The plain text of an html-format <text> as the exporter wrote it."""
    assert element is not None
    return html.unescape((element.text or "").replace("<br>\n", "\n"))


def questions(data: bytes) -> list[ET.Element]:
    root = ET.fromstring(data)
    assert root.tag == "quiz"
    first, *rest = root.findall("question")
    assert first.get("type") == "category"
    return rest


def test_declaration_and_category() -> None:
    data = dumps_moodle_xml(small_bank())
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<quiz>")
    category = ET.fromstring(data).find("question[@type='category']/category/text")
    assert category is not None and category.text == "$course$/top/Harbour festival"


@pytest.mark.parametrize("make", [small_bank, seed_bank], ids=["small", "seed"])
def test_xml_gives_the_questions_back(make) -> None:
    bank = make()
    elements = questions(dumps_moodle_xml(bank))
    assert len(elements) == len(bank["questions"])
    for question, element in zip(bank["questions"], elements, strict=True):
        assert element.get("type") == TYPES[question["format"]]
        assert element.findtext("name/text") == question["id"]
        assert element.findtext("idnumber") == question["id"]
        assert element.find("questiontext").get("format") == "html"
        assert plain(element.find("questiontext/text")) == question["prompt"]
        assert plain(element.find("generalfeedback/text")) == question["explanation"]
        tags = [t.text for t in element.findall("tags/tag/text")]
        assert tags == ["quizapp", question["category"]]
        answers = element.findall("answer")
        if question["format"] == "multiple_choice":
            assert element.findtext("single") == "true"
            by_text = {plain(a.find("text")): a.get("fraction") for a in answers}
            assert set(by_text) == set(question["choices"])
            assert [t for t, f in by_text.items() if f == "100"] == [question["answer"]]
            assert sorted(by_text.values()) == ["0"] * (len(by_text) - 1) + ["100"]
        elif question["format"] == "numeric":
            (answer,) = answers
            assert answer.get("fraction") == "100"
            assert float(answer.findtext("text")) == question["numeric"]["value"]
            assert float(answer.findtext("tolerance")) == question["numeric"]["tolerance"]
            unit = question["numeric"]["unit"]
            assert element.findtext("units/unit/unit_name") == unit
            assert element.findtext("units/unit/multiplier") == "1"
        else:
            assert element.findtext("usecase") == "0"
            texts = [a.findtext("text") for a in answers]
            assert texts == list(dict.fromkeys([question["answer"], *question["accepted_answers"]]))
            assert {a.get("fraction") for a in answers} == {"100"}


def test_markup_and_emoji_are_escaped_not_interpreted() -> None:
    bank = small_bank()
    mc = bank["questions"][2]
    mc["prompt"] = "Is <script>alert('x')</script> & \"this\" ]]> safe?\nYes 😀"
    mc["choices"] = ["<b>Ashby</b>", "Zanthorpe", "Kelmore & co", "Dunmarch"]
    bank["questions"][0]["answer"] = "a < b & c"
    bank["questions"][0]["prompt"] = "control\x01\x1fchars"
    data = dumps_moodle_xml(bank)
    assert b"<script>" not in data and b"<b>" not in data
    elements = questions(data)
    text = elements[2].findtext("questiontext/text")
    assert text == (
        "Is &lt;script&gt;alert('x')&lt;/script&gt; &amp; \"this\" ]]&gt; safe?<br>\nYes 😀"
    )
    assert plain(elements[2].find("questiontext/text")) == mc["prompt"]
    assert {plain(a.find("text")) for a in elements[2].findall("answer")} == set(mc["choices"])
    assert elements[0].findtext("answer/text") == "a < b & c"  # short answers stay plain
    assert plain(elements[0].find("questiontext/text")) == "controlchars"  # not valid in XML
