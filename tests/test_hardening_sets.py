"""Issue 19, rows #3, #8, #11 and #12: the review page of a set from a huge article stays small
and is paginated; guests can be required to sign in, are limited per address and set, and can
be left out of the class results; a practice session follows its set's state; an import never
writes into a published set. Each test reproduces its row and failed before the fix."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import PASSWORD, csrf_from, hidden, small_bank

# --- helpers -------------------------------------------------------------------------------------


def _signed_in(factory, auth, role: str = "student") -> tuple[int, str]:
    user_id, email = factory.user(role)
    assert auth.login(email).status_code == 302
    return user_id, email


def _post(client, path: str, data: dict | None = None, page: str = "/", **kw):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kw)


def _set(app, set_id: int):
    from quizapp.extensions import db
    from quizapp.models import QuestionSet

    return db.session.get(QuestionSet, set_id)


def _change(app, set_id: int, **values) -> None:
    """Set columns of a set directly (the settings form is another part of the issue)."""
    from quizapp.extensions import db

    with app.app_context():
        qset = _set(app, set_id)
        for key, value in values.items():
            setattr(qset, key, value)
        db.session.commit()


def _status(app, set_id: int, status: str) -> None:
    from quizapp.services import teaching

    with app.app_context():
        teaching.update_set(_set(app, set_id), status=status)


def _question_ids(app, set_id: int) -> list[int]:
    from quizapp.extensions import db
    from quizapp.models import Question

    with app.app_context():
        return list(
            db.session.scalars(
                db.select(Question.id)
                .where(Question.set_id == set_id)
                .order_by(Question.position, Question.id)
            )
        )


def _count(app, model, **where) -> int:
    from quizapp.extensions import db

    with app.app_context():
        query = db.select(db.func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return db.session.scalar(query)


def _quiz_form(client, set_id: int) -> dict:
    page = client.get(f"/sets/{set_id}/quiz")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return {
        "csrf_token": csrf_from(html),
        "submission_key": hidden(html, "submission_key"),
        "confirm_blank": "1",
    }


def _start_practice(client, set_id: int, guest_name: str | None = None):
    page = client.get(f"/sets/{set_id}").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "submission_key": hidden(page, "submission_key")}
    if guest_name is not None:
        data["guest_name"] = guest_name
    return client.post(f"/sets/{set_id}/practice", data=data)


def _next(response) -> tuple[str, str]:
    """(path, next) of a redirect to the sign-in page."""
    where = urlsplit(response.headers["Location"])
    return where.path, parse_qs(where.query)["next"][0]


# --- #3: the review page of a huge article ------------------------------------------------------

SIZE = 199_000  # just under the 200 KB an article may have
QUESTIONS = 260  # six pages of 50 (the old page repeated the whole paragraph for each)


def _sentence(i: int) -> str:
    return f"Councillor Varnholt{i:05d} opened bridge number {i} over the river on a wet Monday."


def _article(shape: str) -> str:
    """About SIZE characters: one paragraph without a line break, paragraphs of eight
    sentences (a realistic article), or one endless sentence with no full stop."""
    if shape == "endless sentence":
        words, n = [], 0
        while sum(map(len, words)) + len(words) < SIZE:
            words.append(f"and Varnholt{n:05d} crossed bridge {n}")
            n += 1
        return " ".join(words)
    sentences, total, i = [], 0, 0
    while total < SIZE:
        sentences.append(_sentence(i))
        total += len(sentences[-1]) + 1
        i += 1
    if shape == "one paragraph":
        return " ".join(sentences)
    paragraphs = [" ".join(sentences[k : k + 8]) for k in range(0, len(sentences), 8)]
    return "\n\n".join(paragraphs)


def _big_set(app, owner_id: int, shape: str) -> int:
    """A set of QUESTIONS questions whose sentences sit in a ~200 KB article of `shape`, made
    through the import service (no generator needed)."""
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services.catalogue import import_bank

    text = _article(shape)
    questions = []
    for n in range(QUESTIONS):
        if shape == "endless sentence":
            sentence, start, answer = text, 0, f"Varnholt{n * 7:05d}"
        else:
            i = n * 8
            sentence, answer = _sentence(i), f"Varnholt{i:05d}"
            start = text.index(sentence)
        questions.append(
            {
                "id": f"q-big-{n:05d}",
                "category": "who",
                "format": "short_answer",
                "prompt": f"Who opened the bridge in question {n}?",
                "answer": answer,
                "accepted_answers": [],
                "choices": None,
                "numeric": None,
                "explanation": "",
                "source_sentence": sentence,
                "source_span": [start, start + len(sentence)],
                "score": 0.5,
            }
        )
    bank = {**small_bank(f"Bridges ({shape})", "b1" * 32), "questions": questions}
    with app.app_context():
        owner = db.session.get(User, owner_id)
        result = import_bank(bank, owner=owner, status="draft", article_text=text)
        return result.question_set.id


def _listed(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li id="q(\d+)"', html)]


@pytest.mark.parametrize("shape", ["one paragraph", "realistic", "endless sentence"])
def test_review_page_of_a_200_kb_article_stays_under_1_mb_and_pages_list_each_question_once(
    app, client, factory, auth, shape
):
    teacher_id, _ = _signed_in(factory, auth, "teacher")
    set_id = _big_set(app, teacher_id, shape)
    expected = _question_ids(app, set_id)
    first = client.get(f"/teach/sets/{set_id}")
    assert first.status_code == 200
    assert len(first.get_data()) < 1_000_000  # before: 52 MB for one paragraph
    html = first.get_data(as_text=True)
    pages = int(re.search(r"page 1 of (\d+)", html).group(1))
    assert pages == -(-QUESTIONS // 50)
    listed, sizes = [], []
    for page in range(1, pages + 1):
        response = client.get(f"/teach/sets/{set_id}?page={page}")
        assert response.status_code == 200
        sizes.append(len(response.get_data()))
        listed += _listed(response.get_data(as_text=True))
    assert max(sizes) < 1_000_000, sizes
    assert sorted(listed) == sorted(expected) and len(listed) == len(set(listed))
    # in set order, numbered as in the set (the third page starts at 101)
    assert listed == expected
    third = client.get(f"/teach/sets/{set_id}?page=3").get_data(as_text=True)
    assert '<span class="question__number">101</span>' in third
    # each question keeps its sentence, marked, with a bounded window of context
    last = client.get(f"/teach/sets/{set_id}?page={pages}").get_data(as_text=True)
    marked = re.findall(r"<p>([^<]*)<mark>([^<]*)</mark>([^<]*)</p>", last)
    assert len(marked) == QUESTIONS - (pages - 1) * 50
    for before, sentence, after in marked:
        assert len(before) <= 160 and len(after) <= 160
        assert 0 < len(sentence) <= 610
    if shape != "endless sentence":
        assert any(_sentence((QUESTIONS - 1) * 8) == s for _b, s, _a in marked)


def test_review_pages_out_of_range_or_malformed_fall_back(app, client, factory, auth):
    teacher_id, _ = _signed_in(factory, auth, "teacher")
    set_id = _big_set(app, teacher_id, "realistic")
    last = _listed(client.get(f"/teach/sets/{set_id}?page=6").get_data(as_text=True))
    for query in ("page=7", "page=999999999999", "page=-1&show=nonsense"):
        response = client.get(f"/teach/sets/{set_id}?{query}")
        assert response.status_code == 200
        wanted = last if "page=-1" not in query else _question_ids(app, set_id)[:50]
        assert _listed(response.get_data(as_text=True)) == wanted, query


def test_bulk_disable_and_the_filter_work_page_by_page(app, client, factory, auth):
    teacher_id, _ = _signed_in(factory, auth, "teacher")
    set_id = _big_set(app, teacher_id, "one paragraph")
    ids = _question_ids(app, set_id)
    page2 = client.get(f"/teach/sets/{set_id}?page=2").get_data(as_text=True)
    ticked = _listed(page2)[:3]
    response = client.post(
        f"/teach/sets/{set_id}/questions/bulk",
        data={
            "csrf_token": csrf_from(page2),
            "action": "disable",
            "question": [str(i) for i in ticked],
            "page": "2",
            "show": "all",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/teach/sets/{set_id}?page=2")
    back = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 questions disabled" in back
    assert f"{len(ids) - 3} of {len(ids)} questions enabled" in back
    disabled = client.get(f"/teach/sets/{set_id}?show=disabled").get_data(as_text=True)
    assert _listed(disabled) == ticked
    # a question toggled on page 4 comes back to page 4, at the question
    page4 = client.get(f"/teach/sets/{set_id}?page=4").get_data(as_text=True)
    target = _listed(page4)[10]
    response = client.post(
        f"/teach/sets/{set_id}/questions/{target}/toggle",
        data={"csrf_token": csrf_from(page4), "enabled": "0", "show": "all"},
    )
    assert response.headers["Location"].endswith(f"/teach/sets/{set_id}?page=4#q{target}")
    # under the "enabled" filter, it returns to the filtered page it was on
    response = client.post(
        f"/teach/sets/{set_id}/questions/{ids[-1]}/toggle",
        data={"csrf_token": csrf_from(page4), "enabled": "0", "show": "enabled"},
    )
    assert response.headers["Location"].endswith(
        f"/teach/sets/{set_id}?show=enabled&page=6#q{ids[-1]}"
    )


# --- #8: guests ---------------------------------------------------------------------------------


def test_a_set_that_requires_sign_in_sends_guests_to_sign_in(app, client, factory, auth):
    from quizapp.models import Attempt

    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    form = _quiz_form(client, set_id)  # a guest's quiz page, opened before the change
    _change(app, set_id, require_signin=True)

    for path in (f"/sets/{set_id}", f"/sets/{set_id}/quiz"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert _next(response) == ("/login", path)
    login = client.get(f"/sets/{set_id}/quiz", follow_redirects=True).get_data(as_text=True)
    assert "Your teacher asks you to sign in to take" in login
    # the submission route and practice: nothing stored
    response = client.post(f"/sets/{set_id}/quiz", data={**form, "guest_name": "Robin"})
    assert response.status_code == 303 and _next(response) == ("/login", f"/sets/{set_id}")
    response = client.post(
        f"/sets/{set_id}/practice",
        data={"csrf_token": form["csrf_token"], "guest_name": "Robin", "submission_key": "k1"},
    )
    assert response.status_code == 303 and _next(response) == ("/login", f"/sets/{set_id}")
    assert _count(app, Attempt, set_id=set_id) == 0
    # the API: a clear 401
    response = client.get(f"/api/v1/sets/{set_id}")
    assert response.status_code == 401
    assert "sign in" in response.get_json()["error"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    # the service refuses a guest whichever view calls it
    from quizapp.services import SignInRequired, attempts

    with app.app_context():
        qset = _set(app, set_id)
        ids = [q.id for q in qset.questions]
        with pytest.raises(SignInRequired):
            attempts.submit_quiz(qset, ids, {}, user=None, guest_name="Robin")
        with pytest.raises(SignInRequired):
            attempts.start_practice(qset, ids, user=None, guest_name="Robin")
    # a signed-in student takes it, and lands back on the quiz after signing in
    _user_id, email = factory.user()
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        f"/login?next=/sets/{set_id}/quiz",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_from(page)},
    )
    assert response.headers["Location"] == f"/sets/{set_id}/quiz"
    response = client.post(f"/sets/{set_id}/quiz", data=_quiz_form(client, set_id))
    assert response.status_code == 303 and "/attempts/" in response.headers["Location"]


def test_a_set_open_to_guests_stays_open(app, client, factory):
    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    assert client.get(f"/sets/{set_id}/quiz").status_code == 200
    assert client.get(f"/api/v1/sets/{set_id}").status_code == 200


def test_guest_attempts_are_limited_per_address_and_set(app, factory):
    from quizapp.models import Attempt

    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    other_set = factory.bank_set(small_bank("Other", "cd" * 32), teacher_id)
    limit = 10  # GUEST_ATTEMPTS_PER_SET in GUEST_WINDOW_SECONDS (an hour), checked below

    def guest(address: str):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        return client

    flooder = guest("203.0.113.7")
    for _ in range(limit):
        form = {**_quiz_form(flooder, set_id), "guest_name": "Flood"}
        assert flooder.post(f"/sets/{set_id}/quiz", data=form).status_code == 303
    form = {**_quiz_form(flooder, set_id), "guest_name": "Flood"}
    refused = flooder.post(f"/sets/{set_id}/quiz", data=form)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    text = refused.get_data(as_text=True)
    assert "guest attempts at this set" in text and "sign in to go on" in text
    # a practice session is a guest attempt too: a clear 429 page
    practice = _start_practice(flooder, set_id, guest_name="Flood")
    assert practice.status_code == 429
    assert "guest attempts at this set" in practice.get_data(as_text=True)
    assert _count(app, Attempt, set_id=set_id) == limit
    # the same address at another set, another address, a signed-in student: not limited
    form = {**_quiz_form(flooder, other_set), "guest_name": "Flood"}
    assert flooder.post(f"/sets/{other_set}/quiz", data=form).status_code == 303
    neighbour = guest("203.0.113.8")
    form = {**_quiz_form(neighbour, set_id), "guest_name": "Kim"}
    assert neighbour.post(f"/sets/{set_id}/quiz", data=form).status_code == 303
    student = guest("203.0.113.7")
    _user_id, email = factory.user()
    page = student.get("/login").get_data(as_text=True)
    student.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_from(page)}
    )
    assert student.post(f"/sets/{set_id}/quiz", data=_quiz_form(student, set_id)).status_code == 303
    assert (app.config["GUEST_ATTEMPTS_PER_SET"], app.config["GUEST_WINDOW_SECONDS"]) == (
        limit,
        3600,
    )


def _results_world(app, factory):
    """A published set: one student answering everything right, five guests answering nothing."""
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services import attempts

    teacher_id, teacher_email = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    student_id, _ = factory.user("student", "Sam Student")
    with app.app_context():
        qset = _set(app, set_id)
        ids = [q.id for q in qset.questions]
        right = {q.uid: q.answer for q in qset.questions}
        student = db.session.get(User, student_id)
        attempts.submit_quiz(qset, ids, right, user=student)
        for n in range(5):
            attempts.submit_quiz(qset, ids, {}, user=None, guest_name=f"Guest {n}")
    return set_id, teacher_email


def test_class_results_can_leave_guests_out(app, client, factory, auth):
    set_id, teacher_email = _results_world(app, factory)
    assert auth.login(teacher_email).status_code == 302
    # by default guests count (as before), and the page says how many
    everyone = client.get(f"/teach/sets/{set_id}/stats").get_data(as_text=True)
    assert "6 attempts · mean 17%" in everyone
    assert "5 of these by guests" in everyone
    assert f"/teach/sets/{set_id}/stats?attempts=all&amp;versions=all&amp;guests=0" in everyone
    students = client.get(f"/teach/sets/{set_id}/stats?guests=0").get_data(as_text=True)
    assert "1 attempt · mean 100%" in students
    assert "Guest 0" not in students and "Sam Student" in students
    assert f"/teach/sets/{set_id}/results.csv?guests=0" in students
    # the CSV
    rows = list(csv.reader(io.StringIO(client.get(f"/teach/sets/{set_id}/results.csv").text)))
    assert len(rows) == 1 + 6
    rows = list(
        csv.reader(io.StringIO(client.get(f"/teach/sets/{set_id}/results.csv?guests=0").text))
    )
    assert [row[0] for row in rows[1:]] == ["Sam Student"]
    # the API
    stats = client.get(f"/api/v1/sets/{set_id}/stats").get_json()
    assert (stats["attempts"], stats["guests"], stats["guest_attempts"]) == (6, True, 5)
    stats = client.get(f"/api/v1/sets/{set_id}/stats?guests=0").get_json()
    assert (stats["attempts"], stats["mean_percent"], stats["guests"]) == (1, 100.0, False)
    assert all(q["facility"] == 1.0 for q in stats["questions"])
    assert client.get(f"/api/v1/sets/{set_id}/stats?guests=no").status_code == 400


# --- #11: practice follows its set --------------------------------------------------------------


def _practice_form(client, url: str) -> dict:
    html = client.get(url).get_data(as_text=True)
    return {"csrf_token": csrf_from(html), "question_id": hidden(html, "question_id")}


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_practice_stops_when_its_set_goes_back_to_draft_or_is_archived(
    app, client, factory, auth, status
):
    from quizapp.models import Response

    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    _signed_in(factory, auth)
    url = _start_practice(client, set_id).headers["Location"]
    attempt_id = int(url.rsplit("/", 1)[1])
    form = _practice_form(client, url)
    _status(app, set_id, status)
    # the teacher changes a key while the set is a draft
    from quizapp.extensions import db
    from quizapp.models import Question
    from quizapp.services import editing

    with app.app_context():
        question = db.session.get(Question, int(form["question_id"]))
        editing.edit_question(question, {"answer": "Drafted Newanswer"})
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert ("back to draft" if status == "draft" else "archived") in html
    assert 'name="question_id"' not in html and "Drafted Newanswer" not in html
    assert "Stop and see the result" in html
    # an answer sent anyway is not graded, and no key is shown
    answered = client.post(url, data={**form, "answer": "Drafted Newanswer", "submit": "Check"})
    assert answered.status_code == 409
    assert "Drafted Newanswer" not in answered.get_data(as_text=True)
    assert _count(app, Response, attempt_id=attempt_id) == 0
    # published again, the session goes on with the published questions
    _status(app, set_id, "published")
    assert 'name="question_id"' in client.get(url).get_data(as_text=True)


def test_practice_never_serves_a_disabled_question(app, client, factory, auth):
    from quizapp.extensions import db
    from quizapp.models import Attempt, Question
    from quizapp.services import Conflict, attempts, editing

    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    _signed_in(factory, auth)
    url = _start_practice(client, set_id).headers["Location"]
    attempt_id = int(url.rsplit("/", 1)[1])
    with app.app_context():
        order = db.session.get(Attempt, attempt_id).question_ids
        editing.set_enabled(_set(app, set_id), [order[0], order[2]], False)
    served = []
    for _ in range(4):
        form = _practice_form(client, url)
        served.append(int(form["question_id"]))
        client.post(url, data={**form, "dont_know": "1"})
        html = client.get(url).get_data(as_text=True)
        if 'name="question_id"' not in html:
            break
    assert served == [order[1], order[3]]
    # the disabled ones are never graded either, and the page does not loop
    with app.app_context():
        with pytest.raises(Conflict):
            attempts.answer_practice(attempt_id, order[0], "Vorbeck")
        assert db.session.get(Question, order[0]).enabled is False
    page = client.get(url)
    assert page.status_code == 200
    assert "withdrawn the questions left" in page.get_data(as_text=True)
    finish = _post(client, f"{url}/finish", page=url)
    assert finish.status_code == 303
    result = client.get(finish.headers["Location"]).get_data(as_text=True)
    assert "0 / 2" in result or "0 of 2" in result


def test_a_guest_practice_session_stops_once_the_set_requires_sign_in(app, client, factory):
    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    url = _start_practice(client, set_id, guest_name="Robin").headers["Location"]
    assert 'name="question_id"' in client.get(url).get_data(as_text=True)
    _change(app, set_id, require_signin=True)
    html = client.get(url).get_data(as_text=True)
    assert "asks you to sign in" in html and 'name="question_id"' not in html


# --- #12: imports never write into a published set ---------------------------------------------


def _bank(n: int, digest: str = "9a" * 32) -> dict:
    base = small_bank("Ninety-nine", digest)
    template = base["questions"][0]
    questions = [
        {**template, "id": f"q-live-{i:04d}", "prompt": f"Who opened festival number {i}?"}
        for i in range(n)
    ]
    return {**base, "questions": questions}


def _import(client, bank: dict):
    page = client.get("/teach/import").get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(page),
        "title": "",
        "upload": (io.BytesIO(json.dumps(bank).encode()), "bank.json"),
    }
    return client.post("/teach/import", data=data, content_type="multipart/form-data")


@pytest.mark.parametrize("status", ["published", "archived"])
def test_an_import_never_writes_into_a_published_set(app, client, factory, auth, status):
    from quizapp.models import Question, QuestionSet

    teacher_id, _ = _signed_in(factory, auth, "teacher")
    set_id = factory.bank_set(_bank(99), teacher_id, status=status)
    assert len(_question_ids(app, set_id)) == 99
    response = _import(client, _bank(100))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"your {status} set “Ninety-nine”" in html and "nothing was imported" in html
    assert len(_question_ids(app, set_id)) == 99  # 99 stays 99
    assert _count(app, QuestionSet) == 1 and _count(app, Question) == 99
    # the same questions again change nothing and find the set, as before
    response = _import(client, _bank(99))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/teach/sets/{set_id}"
    # back to draft, the import adds the new question for review
    _status(app, set_id, "draft")
    assert _import(client, _bank(100)).status_code == 303
    assert len(_question_ids(app, set_id)) == 100


def test_the_import_service_refuses_a_draft_into_a_live_set(app, factory):
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services import Invalid
    from quizapp.services.catalogue import import_bank

    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(_bank(99), teacher_id)
    with app.app_context():
        owner = db.session.get(User, teacher_id)
        with pytest.raises(Invalid, match="nothing was imported"):
            import_bank(_bank(100), owner=owner, status="draft")
    assert len(_question_ids(app, set_id)) == 99
