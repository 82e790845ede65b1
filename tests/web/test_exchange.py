"""Sets in and out of GIFT, Moodle XML, CSV, bank JSON and Anki: the web downloads, the import
page and `quizapp export` / `quizapp import` (formats themselves: tests/unit/test_interchange.py,
tests/unit/test_anki.py)."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest
from helpers import SEED_BANK, csrf_from, seed_bank, small_bank

from quizapp.banks import loads_bank, validate_bank


@pytest.fixture
def teacher(client, factory, auth):
    user_id, email = factory.user("teacher", "Ms Teacher")
    auth.login(email)
    return user_id, email


def _same_questions(a: dict, b: dict, fields=("id", "category", "format", "prompt", "answer")):
    def key(bank):
        return sorted(tuple(q[f] for f in fields) for q in bank["questions"])

    assert key(a) == key(b)


@pytest.mark.parametrize("fmt", ["json", "gift", "moodle-xml", "csv", "apkg"])
def test_teacher_downloads_each_format(client, factory, teacher, fmt):
    set_id = factory.bank_set(small_bank(), owner_id=teacher[0], status="draft")
    response = client.get(f"/teach/sets/{set_id}/export/{fmt}")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "harbour-festival." in disposition
    body = response.get_data()
    if fmt == "json":
        _same_questions(loads_bank(body.decode()), small_bank())
    elif fmt == "gift":
        assert b"Quintessa Vorbeck" in body and b"{" in body
    elif fmt == "moodle-xml":
        types = [q.get("type") for q in ET.fromstring(body).iter("question")]
        assert {"multichoice", "shortanswer", "numerical"} <= set(types)
    elif fmt == "csv":
        assert body.startswith(b"\xef\xbb\xbf") and b"Glimmerstone" in body
    else:
        assert body[:2] == b"PK"  # a zip: the .apkg package


def test_export_leaves_out_disabled_questions_and_unknown_formats_are_404(
    app, client, factory, teacher
):
    from quizapp.extensions import db
    from quizapp.models import Question

    set_id = factory.bank_set(small_bank(), owner_id=teacher[0])
    with app.app_context():
        db.session.execute(
            db.update(Question).where(Question.uid == "q-trust00001").values(enabled=False)
        )
        db.session.commit()
    bank = json.loads(client.get(f"/teach/sets/{set_id}/export/json").get_data())
    assert [q["id"] for q in bank["questions"]] == ["q-mayor00001", "q-visitors01", "q-town000001"]
    assert client.get(f"/teach/sets/{set_id}/export/docx").status_code == 404


def test_gift_and_csv_round_trip_through_the_app(client, factory, auth, teacher):
    seed = json.loads(SEED_BANK.read_text(encoding="utf-8"))
    set_id = factory.bank_set(seed, owner_id=teacher[0])
    exported = {fmt: client.get(f"/teach/sets/{set_id}/export/{fmt}") for fmt in ("gift", "csv")}
    # another teacher imports them (the same teacher would get their own set back)
    _, email = factory.user("teacher", "Mr Other")
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    auth.login(email)
    for fmt, name in (("gift", "seed.gift"), ("csv", "seed.csv")):
        page = client.get("/teach/import").get_data(as_text=True)
        response = client.post(
            "/teach/import",
            data={
                "csrf_token": csrf_from(page),
                "title": f"Seed via {fmt}",
                "upload": (io.BytesIO(exported[fmt].get_data()), name),
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]
        new_id = int(response.headers["Location"].rsplit("/", 1)[1])
        back = json.loads(client.get(f"/teach/sets/{new_id}/export/json").get_data())
        assert back["title"] == f"Seed via {fmt}"
        _same_questions(back, seed)
        assert validate_bank(back) == []


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bad.gift", b"::q1:: Who? {=Ann ~Bob\n", "line 1"),
        ("bad.csv", b"id,prompt\nq1,Who?\n", "line"),
        ("bad.json", b"{not json", "invalid JSON at line 1"),
        ("empty.gift", b"", "empty"),
        ("bin.gift", b"\x00\x01\x02" * 10, "binary"),
        ("latin.csv", "prompt,answer\ncafé,x\n".encode("cp1252"), "not UTF-8"),
        ("deck.apkg", b"PK\x03\x04", "cannot tell the format"),
        ("quiz.xml", b"<quiz/>", "Moodle XML can be exported but not imported"),
    ],
)
def test_bad_imports_say_what_is_wrong(app, client, teacher, name, data, message):
    from quizapp.extensions import db
    from quizapp.models import QuestionSet

    page = client.get("/teach/import").get_data(as_text=True)
    response = client.post(
        "/teach/import",
        data={"csrf_token": csrf_from(page), "upload": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(QuestionSet.id))) == 0


def test_import_without_a_file_asks_for_one(client, teacher):
    page = client.get("/teach/import").get_data(as_text=True)
    response = client.post("/teach/import", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 400 and "Choose a .gift" in response.get_data(as_text=True)


def test_students_download_a_published_set_for_anki_but_not_a_draft(client, factory):
    # a study aid: anyone who may take it may download it (tests/web/test_answer_keys.py: the rest)
    published = factory.bank_set(small_bank(), study_access="study_aid")
    draft = factory.bank_set(small_bank("Draft", "cd" * 32), status="draft")
    page = client.get(f"/sets/{published}").get_data(as_text=True)
    assert f"/sets/{published}/anki.apkg" in page and "Download for Anki" in page
    response = client.get(f"/sets/{published}/anki.apkg")
    assert response.status_code == 200 and response.get_data()[:2] == b"PK"
    assert client.get(f"/sets/{draft}/anki.apkg").status_code == 404


# -- the command line --------------------------------------------------------------------------


def test_cli_export_every_format_from_a_bank_file(runner, tmp_path):
    for name in ("seed.gift", "seed.xml", "seed.csv", "seed.json", "seed.apkg"):
        result = runner.invoke(args=["export", str(SEED_BANK), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 1000
    assert f"{len(seed_bank()['questions'])} questions" in result.output
    result = runner.invoke(
        args=["export", str(SEED_BANK), "-o", str(tmp_path / "deck.bin"), "--format", "apkg"]
    )
    assert result.exit_code == 0 and (tmp_path / "deck.bin").read_bytes()[:2] == b"PK"


def test_cli_export_several_sets_into_one_package_only(runner, tmp_path):
    other = tmp_path / "other.json"
    other.write_text(json.dumps(small_bank()), encoding="utf-8")
    result = runner.invoke(
        args=["export", str(SEED_BANK), str(other), "-o", str(tmp_path / "a.apkg")]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["export", str(SEED_BANK), str(other), "-o", str(tmp_path / "a.gift")]
    )
    assert result.exit_code == 2 and "holds one set" in result.output


def test_cli_export_a_set_from_the_database(app, runner, factory, tmp_path):
    set_id = factory.bank_set(small_bank())
    result = runner.invoke(args=["export", str(set_id), "-o", str(tmp_path / "set.json")])
    assert result.exit_code == 0, result.output
    _same_questions(json.loads((tmp_path / "set.json").read_text()), small_bank())
    result = runner.invoke(args=["export", "424242", "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 2 and "no such question set" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere.json", "-o", "x.json"], "cannot read"),
        (["{bank}", "-o", "x.docx"], "cannot tell the format"),
    ],
)
def test_cli_export_bad_input_is_one_line_and_exit_2(runner, tmp_path, args, message):
    args = [a.replace("{bank}", str(SEED_BANK)) for a in args]
    args = [str(tmp_path / a) if a.startswith(("x.", "nowhere")) else a for a in args]
    result = runner.invoke(args=["export", *args])
    assert result.exit_code == 2 and message in result.output


def test_import_tells_what_it_converted_or_skipped(client, teacher):
    gift = b"::tf:: The sky is green {F}\n\n::m:: Pair them {=a -> 1 =b -> 2 =c -> 3}\n\n"
    gift += b"::q:: Who opened it? {=Ann =Anna}\n"
    page = client.get("/teach/import").get_data(as_text=True)
    response = client.post(
        "/teach/import",
        data={"csrf_token": csrf_from(page), "upload": (io.BytesIO(gift), "mixed.gift")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "2 questions imported" in html
    assert "line 1: true/false question imported as a short answer" in html
    assert "line 3: matching question; skipped" in html


def test_a_question_written_by_hand_exports_as_a_valid_bank(client, factory, teacher):
    set_id = factory.bank_set(small_bank(), owner_id=teacher[0], status="draft")
    page = f"/teach/sets/{set_id}/questions/new"
    token = csrf_from(client.get(page).get_data(as_text=True))
    fields = {"format": "short_answer", "category": "who", "prompt": "Who?", "answer": "Ann"}
    assert client.post(page, data={"csrf_token": token, **fields}).status_code == 303
    exported = client.get(f"/teach/sets/{set_id}/export/json").get_data(as_text=True)
    bank = loads_bank(exported)  # validates: the hand-written question has a [0, 0] span
    assert bank["questions"][-1]["source_span"] == [0, 0]


def test_an_edit_in_the_app_updates_the_anki_note_in_place(app, client, factory, teacher, tmp_path):
    """Download the deck, edit a question as the teacher, download again: the real Anki
    updates that note (same id), adds none, and a second identical download changes nothing."""
    pytest.importorskip("anki")
    from test_anki import Anki

    from quizapp.anki import note_guid

    # edited within the same second as it was imported: still newer to Anki
    set_id = factory.bank_set(small_bank(), owner_id=teacher[0])
    collection = Anki(tmp_path / "anki")
    try:
        first = collection.import_(client.get(f"/sets/{set_id}/anki.apkg").get_data())
        assert len(first.new) == 4
        note = collection.notes()[note_guid("q-mayor00001")]

        api = {"X-CSRFToken": client.get("/api/v1/csrf-token").get_json()["csrf_token"]}
        edited = client.patch(
            f"/api/v1/sets/{set_id}/questions/q-mayor00001",
            json={"prompt": "Who opened the harbour festival?"},
            headers=api,
        )
        assert edited.status_code == 200
        second = collection.import_(client.get(f"/teach/sets/{set_id}/export/apkg").get_data())
        assert len(second.updated) == 1 and not second.new
        after = collection.notes()[note_guid("q-mayor00001")]
        assert after.id == note.id and after["Prompt"] == "Who opened the harbour festival?"

        third = collection.import_(client.get(f"/sets/{set_id}/anki.apkg").get_data())
        assert not third.new and not third.updated
        assert len(collection.notes()) == 4
    finally:
        collection.col.close()


def test_files_sharing_a_title_stay_apart_and_never_reach_a_published_set(
    app, client, factory, teacher
):
    from quizapp.extensions import db
    from quizapp.models import QuestionSet

    published = factory.bank_set(small_bank("Week 1", "ab" * 32), owner_id=teacher[0])

    def upload(content: bytes, name: str, title: str = "") -> int:
        page = client.get("/teach/import").get_data(as_text=True)
        data = {"csrf_token": csrf_from(page), "upload": (io.BytesIO(content), name)}
        if title:
            data["title"] = title
        response = client.post("/teach/import", data=data, content_type="multipart/form-data")
        assert response.status_code == 303, response.get_data(as_text=True)[-3000:]
        return int(response.headers["Location"].rsplit("/", 1)[1])

    first = upload(b"::q1:: Who came first? {=Ann =Anna}\n", "quiz.gift")
    second = upload(b"::q2:: Who came second? {=Bob}\n", "quiz.gift")
    third = upload(b"::q3:: Who came third? {=Cy}\n", "other.gift", title="Week 1")
    again = upload(b"::q1:: Who came first? {=Ann =Anna}\n", "quiz.gift")
    assert len({first, second, third, published}) == 4 and again == first
    with app.app_context():
        week1 = db.session.get(QuestionSet, published)
        assert [q.uid for q in week1.questions] == [q["id"] for q in small_bank()["questions"]]
        assert db.session.get(QuestionSet, third).status == "draft"
