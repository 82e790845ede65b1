"""The Anki exporter, checked by importing its packages with the real Anki backend (PyPI `anki`)."""

from __future__ import annotations

import copy
import html
import io
import itertools
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import genanki
import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from helpers import REPO_DIR, SEED_BANK, small_bank
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp import anki as exporter
from quizapp.anki import (
    AnkiExportError,
    DeckSource,
    apkg_bytes,
    cloze_text,
    deck_id,
    deck_name,
    escape,
    note_guid,
    slug,
    write_apkg,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TYPE_NAMES = {
    "qa": "quizapp: question and answer",
    "multiple_choice": "quizapp: multiple choice",
    "cloze": "quizapp: cloze",
    "type_in": "quizapp: type the answer",
}
MODEL_IDS = {
    exporter.QA_MODEL_ID: "qa",
    exporter.MULTIPLE_CHOICE_MODEL_ID: "multiple_choice",
    exporter.CLOZE_MODEL_ID: "cloze",
    exporter.TYPE_IN_MODEL_ID: "type_in",
}
PAYLOAD = "<script>alert('x')</script> & <b>"


def bank_deck(bank: dict) -> DeckSource:
    return DeckSource(
        key=f"sha256:{bank['source']['sha256']}",
        title=bank["title"],
        questions=bank["questions"],
        article_title=bank["source"]["title"],
        source_url=bank["source"]["url"],
    )


def harbour() -> DeckSource:
    return bank_deck(small_bank())


def seed() -> DeckSource:
    return bank_deck(json.loads(SEED_BANK.read_text(encoding="utf-8")))


def fallbacks() -> DeckSource:
    """A cloze whose answer is not in its sentence, and a format the exporter does not know."""
    return DeckSource(
        "set:Fallbacks",
        "Fallbacks",
        [
            question("q-fall1", "cloze", source_sentence="Someone else paid for them."),
            question("q-fall2", "true_false"),
        ],
    )


def question(qid: str, fmt: str, **fields) -> dict:
    base = {
        "id": qid,
        "category": "who",
        "format": fmt,
        "prompt": "Who paid for the fireworks?",
        "answer": "Glimmerstone Trust",
        "accepted_answers": [],
        "choices": None,
        "numeric": None,
        "explanation": "",
        "source_sentence": "The Glimmerstone Trust paid for the fireworks.",
    }
    return base | fields


def package_rows(data: bytes) -> tuple[dict, list[dict]]:
    """The package's col row (decks and models as JSON) and its notes, read with sqlite3."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sorted(zf.namelist()) == ["collection.anki2", "media"]
        collection = zf.read("collection.anki2")
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(collection)
        decks, models = conn.execute("SELECT decks, models FROM col").fetchone()
        notes = [
            {"guid": g, "mid": m, "mod": mod, "tags": t.split(), "fields": f.split("\x1f")}
            for g, m, mod, t, f in conn.execute("SELECT guid, mid, mod, tags, flds FROM notes")
        ]
        cards = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
    finally:
        conn.close()
    assert cards == len(notes)  # one card per note
    return {"decks": json.loads(decks), "models": json.loads(models)}, notes


# --- the real Anki ------------------------------------------------------------------------------


class Anki:
    """A fresh Anki collection under tmp_path that imports packages as Anki's GUI does."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir()
        self.folder = folder
        self.col = Collection(str(folder / "collection.anki2"))
        self.count = itertools.count()

    def import_(self, data: bytes):
        path = self.folder / f"import-{next(self.count)}.apkg"
        path.write_bytes(data)
        request = ImportAnkiPackageRequest(
            package_path=str(path), options=ImportAnkiPackageOptions()
        )
        return self.col.import_anki_package(request).log

    def notes(self) -> dict:
        """Notes by GUID."""
        return {n.guid: n for n in map(self.col.get_note, self.col.find_notes(""))}

    def note_types(self) -> dict[str, int]:
        return {n.name: n.id for n in self.col.models.all_names_and_ids()}


@pytest.fixture
def anki(tmp_path):
    collection = Anki(tmp_path / "anki")
    yield collection
    collection.col.close()


def visible(rendered: str) -> str:
    """The text a learner sees in rendered card HTML, whitespace removed (tags split words)."""
    text = re.sub(r"<style>.*?</style>", "", rendered, flags=re.S)
    return "".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def squash(text: str) -> str:
    return "".join(text.split())


def expected_kind(q: dict) -> str:
    fmt = q["format"]
    if fmt == "cloze":
        found = q["answer"].casefold() in q["source_sentence"].casefold()
        return "cloze" if found else "qa"
    return {
        "multiple_choice": "multiple_choice",
        "short_answer": "type_in",
        "numeric": "type_in",
    }.get(fmt, "qa")


def test_one_note_per_question_with_the_note_type_of_its_format(anki) -> None:
    decks = [harbour(), seed(), fallbacks()]
    summary = write_apkg(decks, io.BytesIO(), now=NOW)
    log = anki.import_(apkg_bytes(decks, now=NOW))
    questions = [q for d in decks for q in d.questions]
    total = 4 + len(seed().questions) + len(fallbacks().questions)
    assert len(questions) == total and summary.notes == total and len(log.new) == total
    assert anki.col.note_count() == total and anki.col.card_count() == total
    notes = anki.notes()
    assert {expected_kind(q) for q in questions} == set(TYPE_NAMES)
    for q in questions:
        assert notes[note_guid(q["id"])].note_type()["name"] == TYPE_NAMES[expected_kind(q)]
    assert summary.decks[0].note_types == {"type_in": 2, "multiple_choice": 1, "cloze": 1}


def test_every_card_renders_its_prompt_and_its_answer(anki) -> None:
    decks = [harbour(), seed(), fallbacks()]
    anki.import_(apkg_bytes(decks, now=NOW))
    notes = anki.notes()
    for q in (q for d in decks for q in d.questions):
        note = notes[note_guid(q["id"])]
        (card,) = note.cards()
        front, back = card.question(), card.answer()
        kind = expected_kind(q)
        if kind == "cloze":
            sentence = squash(q["source_sentence"])
            assert sentence in visible(back)
            shown = visible(front).split("[...]")
            assert len(shown) == 2 and squash(q["answer"]).join(shown) == sentence
            continue
        assert squash(q["prompt"]) in visible(front) and squash(q["prompt"]) in visible(back)
        if kind == "multiple_choice":
            for letter, choice in zip("ABCDEFG", q["choices"], strict=False):
                assert squash(f"{letter}. {choice}") in visible(front)
            letter = "ABCDEFG"[q["choices"].index(q["answer"])]
            answer_part = visible(back).split(visible(front))[-1]
            assert answer_part.startswith(squash(f"{letter}. {q['answer']}"))
        elif kind == "type_in":
            assert "[[type:Answer]]" in front and "[[type:Answer]]" in back
            # What Anki's reviewer compares the typed text with: the field without HTML.
            expected = html.unescape(re.sub(r"<[^>]+>", "", note["Answer"]))
            assert expected == q["answer"]
            assert "typeGood" in anki.col.compare_answer(expected, q["answer"])
        else:
            answer = squash(q["answer"])
            assert answer in visible(back) and answer not in visible(front)


def test_a_script_in_any_field_renders_as_text(anki) -> None:
    sentence = f"The {PAYLOAD} paid for the fireworks."
    nasty = {
        "prompt": f"Who {PAYLOAD}?",
        "explanation": f"Because {PAYLOAD}.",
        "source_sentence": sentence,
        "accepted_answers": [PAYLOAD],
    }
    questions = [
        question("q-1", "short_answer", **nasty, answer=PAYLOAD),
        question("q-2", "multiple_choice", **nasty, answer=PAYLOAD, choices=["a", PAYLOAD, "c"]),
        question(
            "q-3",
            "cloze",
            **nasty | {"source_sentence": f"The Trust paid {PAYLOAD}."},
            answer="Trust",
        ),
        question("q-4", "true_false", **nasty, answer=PAYLOAD),
    ]
    deck = DeckSource("k", f"Set {PAYLOAD}", questions, PAYLOAD, "javascript:alert(1)")
    data = apkg_bytes([deck], now=NOW)
    _, rows = package_rows(data)
    for row in rows:  # genanki's own check, which the exporter skips as redundant
        for field in row["fields"]:
            assert genanki.Note._find_invalid_html_tags_in_field(field) == []
            assert "javascript:" not in field or "href" not in field
    anki.import_(data)
    for note in anki.notes().values():
        for side in (note.cards()[0].question(), note.cards()[0].answer()):
            assert "<script" not in side and "<b>" not in side
            assert "&lt;script&gt;" in side
            assert squash(PAYLOAD) in visible(side)
    assert {n.note_type()["name"] for n in anki.notes().values()} == set(TYPE_NAMES.values())


def test_tags_and_deck_names(anki) -> None:
    anki.import_(apkg_bytes([harbour(), seed()], now=NOW))
    notes = anki.notes()
    bank = small_bank()
    for q in bank["questions"]:
        assert sorted(notes[note_guid(q["id"])].tags) == sorted(
            ["quizapp", q["category"], "harbour-festival"]
        )
        (card,) = notes[note_guid(q["id"])].cards()
        assert anki.col.decks.name(card.did) == "quizapp::Harbour festival"
    names = {d.name for d in anki.col.decks.all_names_and_ids()}
    assert "quizapp::Harbour festival" in names
    # Anki adds the parent deck "quizapp" and has its own "Default".
    assert names == {"Default", "quizapp", "quizapp::Harbour festival", deck_name(seed().title)}


def test_reimporting_an_unchanged_export_adds_no_note_and_no_note_type(anki) -> None:
    data = apkg_bytes([harbour(), seed()], now=NOW)
    anki.import_(data)
    types, count = anki.note_types(), anki.col.note_count()
    log = anki.import_(data)
    assert not log.new and len(log.duplicate) == 4 + len(seed().questions)
    later = apkg_bytes([harbour(), seed()], now=datetime(2026, 7, 1, tzinfo=UTC))
    log = anki.import_(later)  # a rebuild: same GUIDs, so updates at most
    assert not log.new and not log.conflicting
    assert anki.note_types() == types and anki.col.note_count() == count


def test_an_edited_question_updates_its_note_in_place_and_keeps_its_reviews(anki) -> None:
    bank = small_bank()
    for q in bank["questions"]:
        q["updated_at"] = "2026-05-01T10:00:00+00:00"
    anki.import_(apkg_bytes([bank_deck(bank)], now=NOW))
    guid = note_guid("q-mayor00001")
    note = anki.notes()[guid]
    assert note.mod == int(datetime(2026, 5, 1, 10, tzinfo=UTC).timestamp())
    (card,) = note.cards()
    card.start_timer()
    anki.col.sched.answerCard(card, 3)
    reviewed = anki.col.get_card(card.id)
    assert reviewed.reps == 1

    edited = copy.deepcopy(bank)
    q = edited["questions"][0]
    q.update(prompt="Who opened the harbour festival?", answer="Mayor Quintessa Vorbeck")
    q["updated_at"] = "2026-05-02T09:30:00Z"
    log = anki.import_(apkg_bytes([bank_deck(edited)], now=datetime(2026, 7, 1, tzinfo=UTC)))
    assert len(log.updated) == 1 and not log.new and len(log.duplicate) == 3

    after = anki.notes()[guid]
    assert after.id == note.id
    assert after["Prompt"] == "Who opened the harbour festival?"
    assert after["Answer"] == "Mayor Quintessa Vorbeck"
    (card_after,) = after.cards()
    assert card_after.id == card.id
    assert (card_after.reps, card_after.ivl, card_after.type) == (
        reviewed.reps,
        reviewed.ivl,
        reviewed.type,
    )
    assert anki.col.db.scalar("SELECT count() FROM revlog WHERE cid = ?", card.id) == 1


def test_a_rebuild_keeps_the_learners_own_edits(anki) -> None:
    bank = small_bank()
    for q in bank["questions"]:
        q["updated_at"] = "2026-05-01T10:00:00+00:00"
    anki.import_(apkg_bytes([bank_deck(bank)], now=NOW))
    note = anki.notes()[note_guid("q-trust00001")]
    note["Explanation"] = "my own mnemonic"
    anki.col.update_note(note)
    # Exported later but the question has not changed since: the learner's edit is newer.
    log = anki.import_(apkg_bytes([bank_deck(bank)], now=datetime.now(UTC)))
    assert not log.updated and not log.new
    assert anki.notes()[note_guid("q-trust00001")]["Explanation"] == "my own mnemonic"


def test_two_sets_give_two_decks_in_one_package(anki) -> None:
    summary = write_apkg([harbour(), seed()], io.BytesIO(), now=NOW)
    assert [d.notes for d in summary.decks] == [4, len(seed().questions)]
    assert [d.name for d in summary.decks] == ["quizapp::Harbour festival", deck_name(seed().title)]
    anki.import_(apkg_bytes([harbour(), seed()], now=NOW))
    by_deck: dict[str, int] = {}
    for note in anki.notes().values():
        name = anki.col.decks.name(note.cards()[0].did)
        by_deck[name] = by_deck.get(name, 0) + 1
    assert by_deck == {d.name: d.notes for d in summary.decks}


def test_ids_are_identical_across_runs(tmp_path) -> None:
    """Deck ids, note type ids and GUIDs come from the data alone: no randomness, no clock."""
    bank_path = tmp_path / "bank.json"
    bank_path.write_text(json.dumps(small_bank()), encoding="utf-8")
    code = textwrap.dedent(
        """
        import json, sys
        from quizapp.anki import DeckSource, write_apkg
        bank = json.load(open(sys.argv[1], encoding="utf-8"))
        deck = DeckSource("sha256:" + bank["source"]["sha256"], bank["title"], bank["questions"])
        write_apkg([deck], sys.argv[2])
        """
    )
    packages = []
    for run, seed_value in enumerate(("1", "2")):
        out = tmp_path / f"run{run}.apkg"
        env = {"PYTHONHASHSEED": seed_value, "PATH": "/usr/bin:/bin"}
        subprocess.run(
            [sys.executable, "-c", code, str(bank_path), str(out)],
            check=True,
            cwd=REPO_DIR,
            env=env,
        )
        packages.append(package_rows(out.read_bytes()))
    (col_1, notes_1), (col_2, notes_2) = packages
    assert set(col_1["decks"]) == set(col_2["decks"]) == {"1", str(deck_id("sha256:" + "ab" * 32))}
    assert set(col_1["models"]) == set(col_2["models"])
    assert {int(m) for m in col_1["models"]} <= set(MODEL_IDS)
    assert [n["guid"] for n in notes_1] == [n["guid"] for n in notes_2]
    assert all(m["mod"] == exporter.MODEL_MTIME for m in col_1["models"].values())


def test_no_temporary_files_are_left_behind(tmp_path, monkeypatch) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    fd, witness = tempfile.mkstemp()  # the redirection works: a temp file would land here
    os.close(fd)
    assert Path(witness).parent == temp
    Path(witness).unlink()

    write_apkg([harbour(), seed()], tmp_path / "deck.apkg", now=NOW)
    write_apkg([harbour()], io.BytesIO())
    apkg_bytes([seed()])
    bad = DeckSource("bad", "Bad", [question("q-ok", "cloze"), {"id": "q-bad", "prompt": ""}])
    with pytest.raises(AnkiExportError, match="Bad"):  # fails in the second set
        write_apkg([harbour(), bad], tmp_path / "failed.apkg")

    class BrokenPipe(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    with pytest.raises(AnkiExportError, match="Broken pipe"):  # fails after the package is built
        write_apkg([seed()], BrokenPipe())
    with pytest.raises(AnkiExportError, match="cannot write"):
        write_apkg([seed()], tmp_path / "missing" / "deck.apkg")
    assert list(temp.iterdir()) == []
    assert not (tmp_path / "failed.apkg").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.apkg", "temp"]


def test_card_styling_reads_well_at_night_and_on_phones(anki) -> None:
    anki.import_(apkg_bytes([harbour(), fallbacks()], now=NOW))
    for name in TYPE_NAMES.values():
        css = anki.col.models.by_name(name)["css"]
        for selector in (".nightMode .card", ".card.nightMode", ".night_mode .card", "@media"):
            assert selector in css
    (card,) = anki.notes()[note_guid("q-town000001")].cards()
    assert ".nightMode" in card.question()


def test_the_exporter_imports_neither_flask_nor_the_models() -> None:
    code = textwrap.dedent(
        """
        import importlib.util, pathlib, sys
        init = pathlib.Path(sys.argv[1]) / "__init__.py"
        spec = importlib.util.spec_from_file_location(
            "standalone_exporter", init, submodule_search_locations=[sys.argv[1]]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        q = {"id": "q1", "format": "cloze", "prompt": "_____ won.", "answer": "Ann",
             "source_sentence": "Ann won."}
        assert module.apkg_bytes([module.DeckSource("k", "T", [q])])
        roots = {m.split(".")[0] for m in sys.modules}
        print(sorted(roots & {"flask", "quizapp", "sqlalchemy", "flask_sqlalchemy", "werkzeug"}))
        """
    )
    path = REPO_DIR / "quizapp" / "anki"  # the package, loaded without quizapp/__init__.py
    out = subprocess.run([sys.executable, "-c", code, str(path)], check=True, capture_output=True)
    assert out.stdout.decode().strip() == "[]"


# --- pure helpers and bad input -----------------------------------------------------------------


def test_slug() -> None:
    assert slug("Harbour festival") == "harbour-festival"
    assert slug("  Café in Zürich: 2024 -- review!! ") == "café-in-zürich-2024-review"
    assert slug("snake_case  and\ttabs") == "snake-case-and-tabs"
    assert slug("") == slug("?!") == "untitled"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_slug_is_always_a_valid_anki_tag(title: str) -> None:
    tag = slug(title)
    assert tag and tag == tag.casefold() and not any(c.isspace() for c in tag)
    assert slug(tag) == tag
    genanki.Note(tags=[tag])  # genanki rejects tags with spaces


def test_guid_and_deck_id_are_stable() -> None:
    # Pinned: changing the derivation would turn every re-import into duplicates.
    assert note_guid("q-mayor00001") == genanki.guid_for("quizapp-question:q-mayor00001")
    assert note_guid("q-mayor00001") == note_guid("q-mayor00001") != note_guid("q-mayor00002")
    assert deck_id("set:Harbour festival") == deck_id("set:Harbour festival")
    assert deck_id("set:Harbour festival") != deck_id("set:Harbour Festival")
    assert all(2**31 <= deck_id(str(n)) < 2**53 for n in range(1000))
    assert deck_id("sha256:" + "ab" * 32) == 6959112737738894


@pytest.mark.parametrize(
    ("sentence", "answer", "prompt", "expected"),
    [
        (
            "It cost $4.5 (approx.) in 2024.",
            "$4.5 (approx.)",
            None,
            "It cost {{c1::$4.5 (approx.)}} in 2024.",
        ),
        ("Written in C++ and a+b.", "C++", None, "Written in {{c1::C++}} and a+b."),
        ("See note [1] here.", "[1]", None, "See note {{c1::&#91;1]}} here."),
        ("Aliyev met Ali.", "Ali", None, "Aliyev met {{c1::Ali}}."),
        ("Aliyev met ali.", "Ali", None, "Aliyev met {{c1::ali}}."),
        ("Aliyev met.", "Ali", None, "{{c1::Ali}}yev met."),
        ("ALIYEV met.", "Ali", None, "{{c1::ALI}}YEV met."),
        ("Ann met Ann.", "Ann", "Ann met _____.", "Ann met {{c1::Ann}}."),
        ("Ann met Ann.", "Ann", "_____ met", "{{c1::Ann}} met Ann."),
        (
            "Bo saw Ann, then Ann left.",
            "Ann",
            "then _____ left",
            "Bo saw Ann, then {{c1::Ann}} left.",
        ),
        ("the TRUST paid", "Trust", None, "the {{c1::TRUST}} paid"),
        ("Tom & <Jerry> won.", "<Jerry>", None, "Tom &amp; {{c1::&lt;Jerry&gt;}} won."),
        (
            "Ratio a::b {{c2::x}} here.",
            "a::b",
            None,
            "Ratio {{c1::a&#58;&#58;b}} &#123;&#123;c2::x&#125;&#125; here.",
        ),
        ("Nothing to see.", "Zanthorpe", None, None),
        ("", "x", None, None),
    ],
)
def test_cloze_text(sentence, answer, prompt, expected) -> None:
    assert cloze_text(sentence, answer, prompt) == expected


def test_escape() -> None:
    assert escape("<script>alert('x') & \"y\"</script>") == (
        "&lt;script&gt;alert('x') &amp; \"y\"&lt;/script&gt;"
    )
    assert escape(None) == "" and escape(4500) == "4500"
    assert escape("one\ntwo\r\nthree") == "one<br>two<br>three"
    assert escape("&amp;") == "&amp;amp;"  # text, never pre-escaped HTML


def test_deck_names() -> None:
    assert deck_name("Harbour festival") == "quizapp::Harbour festival"
    assert deck_name("  A::B  set ") == "quizapp::A:B set"  # "::" would nest decks
    assert deck_name("") == "quizapp::Untitled set"


def test_last_modified_is_updated_at_else_the_export_time() -> None:
    questions = [
        question("q-1", "cloze", updated_at="2026-05-01T10:00:00+02:00"),
        question("q-2", "cloze", updated_at="2026-05-01T10:00:00"),  # naive: UTC
        question("q-3", "cloze"),
        question("q-4", "cloze", updated_at="yesterday"),
        question("q-5", "cloze", updated_at=12),
    ]
    _, notes = package_rows(apkg_bytes([DeckSource("k", "T", questions)], now=NOW))
    may = datetime(2026, 5, 1, 10, tzinfo=UTC).timestamp()
    assert [n["mod"] for n in notes] == [may - 7200, may] + [NOW.timestamp()] * 3


def test_fallbacks_for_unusable_formats() -> None:
    questions = [
        question("q-1", "multiple_choice", choices=None),
        question("q-2", "multiple_choice", choices=["a", "b", "c"]),  # answer not a choice
        question("q-3", "multiple_choice", choices="Glimmerstone Trust"),
        question("q-4", "cloze", source_sentence="Someone else paid."),
        question("q-5", "cloze", source_sentence=None),
        question("q-6", "true_false"),
        question("q-7", None),
        question("q-8", "numeric", numeric={"value": 1, "unit": "<b>"}, answer=7),
        question("q-9", "short_answer", accepted_answers="Trust", category=None),
    ]
    summary = write_apkg([DeckSource("k", "T", questions)], io.BytesIO(), now=NOW)
    assert summary.decks[0].note_types == {"type_in": 5, "qa": 4}
    _, notes = package_rows(apkg_bytes([DeckSource("k", "T", questions)], now=NOW))
    kinds = [MODEL_IDS[n["mid"]] for n in notes]
    assert kinds == ["type_in"] * 3 + ["qa"] * 4 + ["type_in"] * 2
    assert notes[7]["fields"][:4] == ["Who paid for the fireworks?", "7", "", "&lt;b&gt;"]
    assert notes[8]["tags"] == ["quizapp", "t"]


@pytest.mark.parametrize(
    ("decks", "message"),
    [
        ([], "no question sets"),
        ([DeckSource("k", "Empty", [])], "'Empty' has no questions"),
        ([DeckSource("k", "T", [None])], "question 1: expected an object"),
        ([DeckSource("k", "T", [{"prompt": "p", "answer": "a"}])], "question 1: no id"),
        ([DeckSource("k", "T", [question("q-1", "cloze", answer=" ")])], r"\(q-1\): no answer"),
        ([DeckSource("k", "T", [question("q-1", "qa", prompt=None)])], "no prompt"),
        ([harbour(), harbour()], "share the key"),
        (["not a deck"], "expected a DeckSource"),
    ],
)
def test_bad_input_raises_a_clear_error(decks, message) -> None:
    assert issubclass(AnkiExportError, ValueError)
    with pytest.raises(AnkiExportError, match=message):
        apkg_bytes(decks)


def test_an_unwritable_path_is_a_clear_error(tmp_path) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(AnkiExportError, match="cannot write"):
        write_apkg([harbour()], tmp_path / "folder")  # a directory
    with pytest.raises(AnkiExportError, match="cannot write"):
        write_apkg([harbour()], tmp_path / "no" / "such" / "dir.apkg")
    assert [p.name for p in tmp_path.iterdir()] == ["folder"]  # no partial file left


def test_a_failed_export_keeps_the_previous_package(tmp_path) -> None:
    target = tmp_path / "deck.apkg"
    write_apkg([harbour()], target, now=NOW)
    before = target.read_bytes()
    with pytest.raises(AnkiExportError):
        write_apkg([harbour(), DeckSource("k2", "Empty", [])], target)
    assert target.read_bytes() == before
    write_apkg([seed()], target, now=NOW)
    assert target.read_bytes() == apkg_bytes([seed()], now=NOW)
    assert [p.name for p in tmp_path.iterdir()] == ["deck.apkg"]


def test_same_titles_and_repeated_questions() -> None:
    first = harbour()
    second = DeckSource("other", first.title, first.questions[:2] + [question("q-new", "cloze")])
    summary = write_apkg([first, second], io.BytesIO(), now=NOW)
    assert [d.name for d in summary.decks] == [
        "quizapp::Harbour festival",
        "quizapp::Harbour festival (2)",
    ]
    assert [(d.notes, d.duplicates) for d in summary.decks] == [(4, 0), (1, 2)]
    assert summary.notes == 5


def test_path_file_object_and_bytes_give_the_same_package(tmp_path) -> None:
    out = io.BytesIO()
    summary = write_apkg([harbour()], out, now=NOW)
    write_apkg([harbour()], tmp_path / "deck.apkg", now=NOW)
    write_apkg([harbour()], str(tmp_path / "deck2.apkg"), now=NOW)
    data = apkg_bytes([harbour()], now=NOW)
    assert out.getvalue() == data == (tmp_path / "deck.apkg").read_bytes()
    assert data == (tmp_path / "deck2.apkg").read_bytes() and summary.size == len(data)


questions_strategy = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            key: st.one_of(
                st.none(),
                st.text(max_size=20),
                st.integers(),
                st.lists(st.one_of(st.text(max_size=8), st.none(), st.integers()), max_size=5),
                st.dictionaries(st.sampled_from(["value", "unit"]), st.text(max_size=5)),
            )
            for key in (
                "id",
                "category",
                "prompt",
                "answer",
                "accepted_answers",
                "choices",
                "numeric",
                "explanation",
                "source_sentence",
                "updated_at",
            )
        }
        | {"format": st.sampled_from(["multiple_choice", "cloze", "short_answer", "numeric", "x"])},
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=150, deadline=None)
@given(questions_strategy)
def test_any_question_data_exports_or_raises_a_clear_error(questions) -> None:
    try:
        summary = write_apkg([DeckSource("k", "T", questions)], io.BytesIO(), now=NOW)
    except AnkiExportError:
        return
    _, notes = package_rows(apkg_bytes([DeckSource("k", "T", questions)], now=NOW))
    assert len(notes) == summary.notes


def test_anki_markup_in_plain_text_stays_text(anki) -> None:
    """ "[sound:x.mp3]" typed in a question is shown, never played."""
    q = question("q-snd", "short_answer", prompt="Who said [sound:x.mp3] first?", answer="Ann")
    anki.import_(apkg_bytes([DeckSource("k", "Sounds", [q])], now=NOW))
    (note,) = anki.notes().values()
    card = note.cards()[0]
    assert card.question_av_tags() == []
    assert "[sound:x.mp3]" in visible(card.question()).replace("&#91;", "[")


def test_a_cloze_answer_edited_away_from_its_sentence_still_updates_in_place(anki) -> None:
    bank = small_bank()
    for q in bank["questions"]:
        q["updated_at"] = "2026-05-01T10:00:00+00:00"
    anki.import_(apkg_bytes([bank_deck(bank)], now=NOW))
    guid = note_guid("q-trust00001")
    before = anki.notes()[guid]
    edited = copy.deepcopy(bank)
    trust = next(q for q in edited["questions"] if q["id"] == "q-trust00001")
    trust.update(answer="Glimmerstone Foundation", updated_at="2026-05-02T10:00:00+00:00")
    log = anki.import_(apkg_bytes([bank_deck(edited)], now=NOW))
    assert len(log.updated) == 1 and not log.conflicting and not log.new
    after = anki.notes()[guid]
    assert after.id == before.id and "{{c1::Glimmerstone Foundation}}" in after["Text"]
