"""Interchange dispatchers and helpers; property tests of the GIFT and CSV round trips."""

from __future__ import annotations

import json

import pytest
from helpers import SEED_BANK, small_bank
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quizapp.banks import validate_bank
from quizapp.interchange import (
    FORMATS,
    InterchangeError,
    decode_text,
    export_bank,
    format_for_path,
    guess_category,
    import_bytes,
    import_text,
    stable_id,
)


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("out.gift", "gift"),
        ("OUT.GIFT", "gift"),
        ("moodle-export.txt", "gift"),
        ("dir/set.xml", "moodle-xml"),
        ("set.csv", "csv"),
        ("bank.json", "json"),
    ],
)
def test_format_for_path(path: str, fmt: str) -> None:
    assert format_for_path(path) == fmt


@pytest.mark.parametrize("path", ["deck.apkg", "noext", "notes.pdf"])
def test_format_for_path_refuses_other_extensions(path: str) -> None:
    with pytest.raises(InterchangeError, match="cannot tell the format of"):
        format_for_path(path)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_export_is_bytes_and_json_and_text_formats_import_back(fmt: str) -> None:
    bank = small_bank()
    data = export_bank(bank, fmt)
    assert isinstance(data, bytes) and data
    if fmt == "moodle-xml":
        with pytest.raises(InterchangeError, match="can be exported but not imported"):
            import_bytes(data, fmt, "t")
        return
    back = import_bytes(data, fmt, title=bank["title"])
    assert validate_bank(back) == []
    assert [q["id"] for q in back["questions"]] == [q["id"] for q in bank["questions"]]
    if fmt == "json":
        assert back == bank


def test_export_refuses_unknown_formats_and_invalid_banks() -> None:
    with pytest.raises(InterchangeError, match="unknown format 'pdf'"):
        export_bank(small_bank(), "pdf")
    bank = small_bank()
    bank["questions"][2]["choices"] = ["only", "two"]
    with pytest.raises(InterchangeError, match=r"bank is not valid: questions\[2\]"):
        export_bank(bank, "gift")


@pytest.mark.parametrize("fmt", ["gift", "csv", "moodle-xml", "json"])
def test_a_question_without_source_span_exports(fmt: str) -> None:
    """Questions a teacher wrote in the app have no span (None); they export as [0, 0]."""
    bank = small_bank()
    bank["questions"][0]["source_span"] = None
    data = export_bank(bank, fmt)
    assert bank["questions"][0]["source_span"] is None  # the caller's bank is not changed
    if fmt in ("gift", "csv"):
        back = import_bytes(data, fmt, "t")
        assert back["questions"][0]["source_span"] == [0, 0]
    if fmt == "json":
        assert json.loads(data)["questions"][0]["source_span"] == [0, 0]


def test_bad_json_becomes_an_interchange_error() -> None:
    with pytest.raises(InterchangeError, match="invalid JSON at line 1"):
        import_text("{nope", "json", "upload.json")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "upload.csv: the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "upload.csv: this is a binary file"),
        ("prompt,answer\nQui?,Fran\xe7ois\n".encode("latin-1"), "not UTF-8 text"),
    ],
)
def test_decode_text_refuses_empty_binary_and_legacy_encodings(data: bytes, message: str) -> None:
    with pytest.raises(InterchangeError, match=message):
        decode_text(data, "upload.csv")


def test_decode_text_drops_the_bom() -> None:
    assert decode_text("\ufeffprompt".encode()) == "prompt"


@pytest.mark.parametrize(
    ("prompt", "answer", "fmt", "category"),
    [
        ("Who opened the festival?", "Ann", "short_answer", "who"),
        ("Whose idea was it?", "Ann", "short_answer", "who"),
        ("Where did it happen?", "Oslo", "short_answer", "where"),
        ("In which city did it happen?", "Oslo", "short_answer", "where"),
        ("How many people came?", "40", "short_answer", "how_many"),
        ("How much did it cost?", "$5", "numeric", "how_many"),
        ("When did it start?", "Monday", "short_answer", "when"),
        ("In what year did it open?", "1999", "numeric", "when"),
        ("What is the name of the ship?", "Argo", "short_answer", "what"),
        ("Who said when it would end?", "Ann", "short_answer", "who"),
        ("The harbour opened in _____.", "1999", "cloze", "when"),
        ("The bill came to _____ dollars.", "40", "cloze", "how_many"),
        ("The ship is called _____.", "Argo", "cloze", "what"),
        ("Name a number.", "7", "numeric", "how_many"),
    ],
)
def test_guess_category(prompt: str, answer: str, fmt: str, category: str) -> None:
    assert guess_category(prompt, answer, fmt) == category


def test_stable_id_ignores_case_and_punctuation_but_not_the_answer() -> None:
    one = stable_id("Who won?", "Ann Lee", "who", "short_answer")
    assert one == stable_id("who  won", "ann lee!", "who", "short_answer")
    assert one != stable_id("Who won?", "Bob", "who", "short_answer")
    assert one != stable_id("Who won?", "Ann Lee", "who", "cloze")
    assert one.startswith("q-") and len(one) == 12


def test_seed_bank_survives_gift_and_csv_and_back_to_json() -> None:
    seed = json.loads(SEED_BANK.read_text(encoding="utf-8"))
    seed.pop("alternates", None)  # the formats carry a set's questions, not its alternates
    via_gift = import_bytes(export_bank(seed, "gift"), "gift", seed["title"])
    assert via_gift == seed
    via_csv = import_bytes(export_bank(seed, "csv"), "csv", seed["title"])
    assert via_csv["questions"] == seed["questions"]


# -- properties ------------------------------------------------------------------------------

# Printable text plus every character the formats treat specially, and line breaks. Surrounding
# whitespace is not kept by GIFT (Moodle trims every text), so generated texts have none.
_SPECIAL = list("~=#{}:\\|'\"@+-%[]_<>&;,\n\t ")
_SPECIAL += ["->", "//", "####", "_____", "[html]", "%50%", "'=", "T", "😀"]
TEXT = st.lists(
    st.one_of(
        st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8),
        st.sampled_from(_SPECIAL),
    ),
    min_size=1,
    max_size=12,
).map("".join)


def _usable(text: str) -> bool:
    return text == text.strip(" \t\n\r\x0b") and bool(text.strip())


def _bank(prompt: str, answer: str, explanation: str, fmt: str) -> dict:
    bank = small_bank()
    question = bank["questions"][0 if fmt == "short_answer" else 2]
    question.update(prompt=prompt, answer=answer, explanation=explanation)
    if fmt == "multiple_choice":
        question["choices"] = ["Ashby", answer, "Kelmore", "Dunmarch"]
    bank["questions"] = [question]
    return bank


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prompt=TEXT,
    answer=TEXT,
    explanation=st.one_of(st.just(""), TEXT),
    fmt=st.sampled_from(["short_answer", "multiple_choice"]),
    via=st.sampled_from(["gift", "csv"]),
)
def test_random_texts_survive_gift_and_csv(
    prompt: str, answer: str, explanation: str, fmt: str, via: str
) -> None:
    assume(_usable(prompt) and _usable(answer) and (explanation == "" or _usable(explanation)))
    bank = _bank(prompt, answer, explanation, fmt)
    assume(validate_bank(bank) == [])
    back = import_bytes(export_bank(bank, via), via, title="t")
    (original,) = bank["questions"]
    (imported,) = back["questions"]
    assert {k: imported[k] for k in original} == original
