"""Moodle XML export (https://docs.moodle.org/en/Moodle_XML_format), built with ElementTree.

The file starts with a ``category`` pseudo-question named after the bank, then one question per
bank question:

- ``multiple_choice`` → ``<question type="multichoice">``: ``<single>true</single>``, shuffled
  answers, fraction 100 for the answer and 0 for the others;
- ``short_answer`` and ``cloze`` → ``shortanswer`` (case-insensitive), fraction 100 for the answer
  and for every accepted answer; a cloze keeps its ``_____`` in the question text;
- ``numeric`` → ``numerical``: ``<answer fraction="100"><text>value</text>
  <tolerance>…</tolerance>``, the unit (if any) as an optional unit with multiplier 1.

``<name>`` and ``<idnumber>`` are the question id, ``<generalfeedback>`` the explanation, and the
category is a tag. Question text, general feedback and choices are ``format="html"`` with the
text HTML-escaped and line breaks as ``<br>``, so ``<script>`` shows as typed; short answers and
numbers are plain, as Moodle stores them. Characters XML 1.0 cannot hold (control characters other
than tab and line breaks) are dropped. Not carried: accepted answers of multiple-choice and numeric
questions, the numeric answer's wording, source sentence and span, score. Export only.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from .common import format_number

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids, line ends as ``\\n``."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def to_html(text: str) -> str:
    """Plain text as an HTML fragment: escaped, line breaks as ``<br>``."""
    return html.escape(_clean(text), quote=False).replace("\n", "<br>\n")


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = None) -> ET.Element:
    """``<tag format=…><text>text</text></tag>`` under ``parent``."""
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = text
    return element


def _value(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def _answer(parent: ET.Element, fraction: int, text: str, fmt: str) -> ET.Element:
    answer = ET.SubElement(parent, "answer", {"fraction": str(fraction), "format": fmt})
    ET.SubElement(answer, "text").text = text
    _text(answer, "feedback", "", "html")
    return answer


def _question(quiz: ET.Element, question: dict) -> None:
    fmt = question["format"]
    qtype = {"multiple_choice": "multichoice", "numeric": "numerical"}.get(fmt, "shortanswer")
    element = ET.SubElement(quiz, "question", {"type": qtype})
    _text(element, "name", _clean(question["id"]))
    _text(element, "questiontext", to_html(question["prompt"]), "html")
    _text(element, "generalfeedback", to_html(question["explanation"]), "html")
    _value(element, "defaultgrade", "1")
    _value(element, "penalty", "0.3333333")
    _value(element, "hidden", "0")
    _value(element, "idnumber", _clean(question["id"]))
    if fmt == "multiple_choice":
        _value(element, "single", "true")
        _value(element, "shuffleanswers", "true")
        _value(element, "answernumbering", "abc")
        for choice in question["choices"]:
            fraction = 100 if choice == question["answer"] else 0
            _answer(element, fraction, to_html(choice), "html")
    elif fmt == "numeric":
        numeric = question["numeric"]
        answer = _answer(element, 100, format_number(numeric["value"]), "moodle_auto_format")
        _value(answer, "tolerance", format_number(numeric["tolerance"]))
        unit = _clean(numeric.get("unit") or "").strip()
        if unit:
            units = ET.SubElement(element, "units")
            entry = ET.SubElement(units, "unit")
            _value(entry, "multiplier", "1")
            _value(entry, "unit_name", unit)
        _value(element, "unitgradingtype", "0")  # units are optional and not graded
        _value(element, "unitpenalty", "0.1000000")
        _value(element, "showunits", "0" if unit else "3")  # 0: typed with the number; 3: none
        _value(element, "unitsleft", "0")
    else:
        _value(element, "usecase", "0")
        answers = [question["answer"], *question["accepted_answers"]]
        for text in dict.fromkeys(_clean(a).strip() for a in answers):
            if text:
                _answer(element, 100, text, "moodle_auto_format")
    tags = ET.SubElement(element, "tags")
    for name in ("quizapp", question["category"]):
        _text(tags, "tag", name)


def dumps_moodle_xml(bank: dict) -> bytes:
    """Moodle XML (UTF-8 bytes with an XML declaration) of a valid ``bank``."""
    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", {"type": "category"})
    name = " ".join(_clean(bank["title"]).split()).replace("/", "//") or "quizapp"
    _text(category, "category", f"$course$/top/{name}")
    _text(category, "info", to_html(f"Questions made by quizapp from: {bank['title']}"), "html")
    for question in bank["questions"]:
        _question(quiz, question)
    ET.indent(quiz)
    return ET.tostring(quiz, encoding="UTF-8", xml_declaration=True) + b"\n"
