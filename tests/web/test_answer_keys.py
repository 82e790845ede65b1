"""Answer keys (issue 19, row 1; README "Answer keys"): who sees a question's answer, and when.

A student sees a question's key only after answering it (a graded quiz, practice); a retry holds
only questions answered before; a reveal works only for a card the student studies. A set's
flashcards and Anki deck (every key at once) follow its study access: "study_aid", "after_attempt"
(the default) or "teacher_only". test_access_matrix.py checks every key path for every role
(statuses and bodies); this file reproduces the attacks of the issue and checks the rest.
"""

from __future__ import annotations

import html
import io
import re
import zipfile

import pytest
from helpers import PASSWORD, bearer, csrf_from, small_bank

WHO, COUNT, WHERE, TRUST = "q-mayor00001", "q-visitors01", "q-town000001", "q-trust00001"
ALL = [WHO, COUNT, WHERE, TRUST]
# The small bank's keys: what must never reach a student before they answer.
SECRETS = ("Quintessa", "Vorbeck", "Glimmerstone", "explained-zq")
KEY_FIELDS = {"answer", "accepted_answers", "explanation", "numeric", "source_sentence"}
ACCESS = ("study_aid", "after_attempt", "teacher_only")
ROLES = ("guest", "before", "after", "other_teacher", "owner")


def _readable(body: bytes) -> str:
    """A body as text to search: an Anki package unzipped (its SQLite keeps text as it is)."""
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"\n".join(archive.read(name) for name in archive.namelist())
    return body.decode("utf-8", "replace")


def _leaks(body: bytes) -> list[str]:
    text = _readable(body)
    return [secret for secret in SECRETS if secret in text]


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _keys(value) -> set[str]:
    """Every object key anywhere in a JSON value."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _ids(app, set_id: int) -> dict[str, int]:
    from quizapp.extensions import db
    from quizapp.models import Question

    with app.app_context():
        return dict(db.session.query(Question.uid, Question.id).filter_by(set_id=set_id).all())


def _study_access(app, set_id: int) -> tuple[str, bool]:
    from quizapp.extensions import db
    from quizapp.models import QuestionSet

    with app.app_context():
        qset = db.session.get(QuestionSet, set_id)
        return qset.study_access, qset.require_signin


@pytest.fixture
def people(app, factory):
    """The roles: the set's teacher, another teacher, two students; bearer headers for each."""
    owner_id, owner = factory.user("teacher", "Owner")
    _, other_teacher = factory.user("teacher", "Other")
    _, before = factory.user("student", "Before")
    _, after = factory.user("student", "After")
    return {"owner_id": owner_id, "owner": owner, "other_teacher": other_teacher,
            "before": before, "after": after}  # fmt: skip


def _set(factory, people, access: str | None = None) -> int:
    return factory.bank_set(small_bank(), people["owner_id"], study_access=access)


def _signed(app, email: str | None):
    client = app.test_client()
    if email is not None:
        page = client.get("/login").get_data(as_text=True)
        response = client.post(
            "/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_from(page)}
        )
        assert response.status_code == 302
    return client


def _take_quiz(client, set_id: int, answers: dict | None = None) -> dict:
    """A graded quiz through the API on the client's session (cookie + CSRF header)."""
    token = client.get("/api/v1/csrf-token").get_json()["csrf_token"]
    response = client.post(
        f"/api/v1/sets/{set_id}/attempts",
        json={"answers": answers or {}},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def _clients(app, factory, people, access: str) -> tuple[int, dict]:
    """A set with `access` and a signed-in client per role; "after" has taken its quiz."""
    set_id = _set(factory, people, access)
    clients = {role: _signed(app, people.get(role)) for role in ROLES}
    _take_quiz(clients["after"], set_id)
    return set_id, clients


# -- the attacks, reproduced -------------------------------------------------------------


def test_a_guest_cannot_download_the_anki_deck_of_a_published_set(client, factory):
    """Row 1 (a): a guest downloaded /sets/<id>/anki.apkg (every key), then scored 20/20."""
    set_id = factory.bank_set()  # a shipped bank's set: the default study access
    response = client.get(f"/sets/{set_id}/anki.apkg")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Sign in and take the quiz first" in page and not _leaks(response.get_data())
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    # the set's page says why instead of offering the download
    page = client.get(f"/sets/{set_id}").get_data(as_text=True)
    assert "anki.apkg" not in page and "Sign in and take the quiz first" in page


def test_a_guest_never_gets_the_deck_even_after_a_quiz(client, factory):
    """Guests have no identity to attempt with: after their quiz, still no deck by default."""
    set_id = factory.bank_set()
    page = client.get(f"/sets/{set_id}/quiz").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "submission_key": "guest-1", "guest_name": "Gus",
            "confirm_blank": "1"}  # fmt: skip
    assert client.post(f"/sets/{set_id}/quiz", data=form).status_code == 303
    assert client.get(f"/sets/{set_id}/anki.apkg").status_code == 403


def test_a_retry_of_questions_never_answered_is_refused(app, client, factory, people):
    """Row 1 (b): a "retry" of the quiz's questions, never attempted, returned every key; the
    real quiz then scored 20/20 and the class's first attempts averaged 100%."""
    set_id = _set(factory, people)
    headers = bearer(client, people["before"])
    response = client.post(
        f"/api/v1/sets/{set_id}/attempts", json={"answers": {}, "questions": ALL}, headers=headers
    )
    assert response.status_code == 403 and response.is_json
    error = response.get_json()["error"]
    assert "only questions you have already answered" in error and WHO in error
    assert not _leaks(response.get_data())
    from quizapp.extensions import db
    from quizapp.models import Attempt

    with app.app_context():
        assert db.session.query(Attempt).count() == 0


def test_a_retry_may_mix_in_no_new_question(client, factory, people):
    set_id = _set(factory, people)
    headers = bearer(client, people["before"])
    url = f"/api/v1/sets/{set_id}/attempts"
    practice_only = {"answers": {}, "questions": [WHO]}
    assert client.post(url, json=practice_only, headers=headers).status_code == 403
    first = client.post(url, json={"answers": {WHO: "Nobody"}}, headers=headers)
    assert first.status_code == 201  # the quiz: every key now shown, each answered
    retry = client.post(
        url, json={"answers": {WHO: "Vorbeck"}, "questions": [WHO]}, headers=headers
    )
    assert retry.status_code == 201
    body = retry.get_json()
    assert (body["score"], body["max_score"]) == (1, 1)
    assert body["results"][0]["expected"] == "Quintessa Vorbeck"


def test_a_question_answered_in_practice_may_be_retried(app, client, factory, people):
    """Practice shows the key after each answer: those questions may be retried."""
    set_id = _set(factory, people)
    ids = _ids(app, set_id)
    from quizapp.extensions import db
    from quizapp.models import QuestionSet, User
    from quizapp.services import attempts

    with app.app_context():
        user = db.session.query(User).filter_by(email=people["before"]).one()
        qset = db.session.get(QuestionSet, set_id)
        practice = attempts.start_practice(qset, [ids[WHO], ids[TRUST]], user=user)
        attempts.answer_practice(practice.id, ids[WHO], "Nobody")
    headers = bearer(client, people["before"])
    url = f"/api/v1/sets/{set_id}/attempts"
    assert (
        client.post(url, json={"answers": {}, "questions": [WHO]}, headers=headers).status_code
        == 201
    )
    refused = client.post(url, json={"answers": {}, "questions": [TRUST]}, headers=headers)
    assert refused.status_code == 403 and TRUST in refused.get_json()["error"]


def test_the_set_s_teacher_may_retry_anything(client, factory, people):
    set_id = _set(factory, people)
    headers = bearer(client, people["owner"])
    response = client.post(
        f"/api/v1/sets/{set_id}/attempts", json={"answers": {}, "questions": ALL}, headers=headers
    )
    assert response.status_code == 201


def test_the_service_refuses_a_guest_retry_outside_this_browser_s_attempts(app, factory):
    """The web retry passes the browser's guest attempts: a guest's retry holds only questions
    answered in those."""
    from quizapp.extensions import db
    from quizapp.models import QuestionSet
    from quizapp.services import Forbidden, attempts

    set_id = factory.bank_set()
    with app.app_context():
        qset = db.session.get(QuestionSet, set_id)
        ids = [q.id for q in qset.questions]
        mine, _ = attempts.submit_quiz(qset, ids[:2], {}, user=None, guest_name="Gus")
        with pytest.raises(Forbidden):
            attempts.submit_quiz(qset, ids[:1], {}, user=None, guest_name="Gus", mode="retry")
        with pytest.raises(Forbidden):  # one of them was never answered here
            attempts.submit_quiz(
                qset, ids[1:3], {}, user=None, guest_name="Gus", mode="retry",
                guest_attempts=[mine.id],
            )  # fmt: skip
        retry, created = attempts.submit_quiz(
            qset, ids[:2], {}, user=None, guest_name="Gus", mode="retry", guest_attempts=[mine.id]
        )
        assert created and retry.mode == "retry"


def test_the_web_retry_of_missed_questions_still_works(app, client, factory, auth, people):
    set_id = _set(factory, people)
    auth.login(people["before"])
    page = client.get(f"/sets/{set_id}/quiz").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "submission_key": "first", "confirm_blank": "1"}
    first = client.post(f"/sets/{set_id}/quiz", data=form)
    attempt_id = int(first.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/sets/{set_id}/quiz?retry={attempt_id}").get_data(as_text=True)
    assert not _leaks(page.encode())
    form = {"csrf_token": csrf_from(page), "submission_key": "again", "retry": str(attempt_id),
            "confirm_blank": "1"}  # fmt: skip
    retry = client.post(f"/sets/{set_id}/quiz", data=form)
    assert retry.status_code == 303
    result = client.get(retry.headers["Location"]).get_data(as_text=True)
    assert "Quintessa Vorbeck" in result  # answered twice now: the key is theirs to see


def test_reveal_shows_only_a_card_the_student_studies(app, client, factory, auth, people):
    """Row 1 (c): /study/sets/<id>?reveal=<qid> showed any question's answer."""
    set_id = _set(factory, people, "study_aid")
    other = factory.bank_set(small_bank("Elsewhere", "cd" * 32), people["owner_id"])
    ids, other_ids = _ids(app, set_id), _ids(app, other)
    auth.login(people["before"])
    # another set's question, never studied (its set is closed to them, too): 404
    for url in (
        f"/study/review?reveal={other_ids[WHO]}",
        f"/study/sets/{set_id}?reveal={other_ids[WHO]}",
    ):
        response = client.get(url)
        assert response.status_code == 404 and not _leaks(response.get_data()), url
    # a study aid's question, not a card of theirs and not on offer in "everything due": 404
    response = client.get(f"/study/review?reveal={ids[WHO]}")
    assert response.status_code == 404 and not _leaks(response.get_data())
    # no new cards today: the set's questions are not on offer, so none is revealed
    page = client.get("/study/settings").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "desired_retention": "0.9", "new_per_day": "0"}
    assert client.post("/study/settings", data=form).status_code == 303
    response = client.get(f"/study/sets/{set_id}?reveal={ids[WHO]}")
    assert response.status_code == 404 and not _leaks(response.get_data())
    form["new_per_day"] = "20"
    assert client.post("/study/settings", data=form).status_code == 303
    # the card the session shows: revealed
    front = client.get(f"/study/sets/{set_id}").get_data(as_text=True)
    link = re.search(r'href="([^"]*\?reveal=(\d+))"', front)
    assert link and int(link.group(2)) == ids[WHO]
    back = client.get(link.group(1))
    assert back.status_code == 200 and "Quintessa Vorbeck" in back.get_data(as_text=True)


def test_reveal_of_a_card_from_the_student_s_quiz_works_in_everything_due(app, factory, people):
    set_id, clients = _clients(app, factory, people, "after_attempt")
    ids = _ids(app, set_id)
    response = clients["after"].get(f"/study/review?reveal={ids[WHO]}")
    assert response.status_code == 200 and "Quintessa Vorbeck" in response.get_data(as_text=True)


# -- study access: the Anki deck and the flashcards, per role --------------------------------------

# (study access, role) → may they have the set's flashcards and Anki deck?
OPEN = {
    "study_aid": {"guest", "before", "after", "other_teacher", "owner"},
    "after_attempt": {"after", "owner"},
    "teacher_only": {"owner"},
}
REASONS = {
    ("after_attempt", "guest"): "Sign in and take the quiz first",
    ("after_attempt", "before"): "Take the quiz first; the flashcards and the Anki deck open",
    ("after_attempt", "other_teacher"): "Take the quiz first",
    ("teacher_only", "guest"): "keeps this set's answers to themselves",
    ("teacher_only", "before"): "keeps this set's answers to themselves",
    ("teacher_only", "after"): "keeps this set's answers to themselves",
    ("teacher_only", "other_teacher"): "keeps this set's answers to themselves",
}


@pytest.mark.parametrize("access", ACCESS)
def test_anki_deck_and_flashcards_follow_the_study_access(app, factory, people, access):
    set_id, clients = _clients(app, factory, people, access)
    ids = _ids(app, set_id)
    for role in ROLES:
        client, allowed = clients[role], role in OPEN[access]
        deck = client.get(f"/sets/{set_id}/anki.apkg")
        set_page = client.get(f"/sets/{set_id}").get_data(as_text=True)
        if allowed:
            assert deck.status_code == 200 and deck.get_data()[:2] == b"PK", role
            assert "Quintessa Vorbeck" in _readable(deck.get_data()), role
            assert f'href="/sets/{set_id}/anki.apkg"' in set_page, role
            assert "study-closed" not in set_page, role
        else:
            reason = REASONS[(access, role)]
            assert deck.status_code == 403, role
            assert reason in _page(deck) and not _leaks(deck.get_data()), role
            assert "anki.apkg" not in set_page and reason in html.unescape(set_page), role
        session = client.get(f"/study/sets/{set_id}")
        reveal = client.get(f"/study/sets/{set_id}?reveal={ids[WHO]}")
        if role == "guest":
            assert session.status_code == reveal.status_code == 302  # to sign in
            continue
        if allowed:
            assert session.status_code == 200, role
            assert reveal.status_code == 200 and "Quintessa" in reveal.get_data(as_text=True), role
        else:
            assert session.status_code == reveal.status_code == 403, role
            assert REASONS[(access, role)] in _page(session), role
            assert not _leaks(reveal.get_data()), role


@pytest.mark.parametrize("access", ACCESS)
def test_study_api_follows_the_study_access(app, client, factory, people, access):
    set_id, clients = _clients(app, factory, people, access)
    for role in ("before", "after", "other_teacher", "owner"):
        headers = bearer(client, people[role])
        due = client.get(f"/api/v1/study/due?set={set_id}&new=1", headers=headers)
        review = client.post(
            "/api/v1/study/reviews",
            json={"question_id": WHO, "rating": 3, "set_id": set_id},
            headers=headers,
        )
        if role in OPEN[access]:
            assert due.status_code == 200 and review.status_code == 201, role
            assert not KEY_FIELDS & _keys(due.get_json()), role
        else:
            assert due.status_code == 403 and due.is_json, role
            assert REASONS[(access, role)] in due.get_json()["error"], role
            assert review.status_code == 404, role  # not a card they may study


def test_the_default_is_after_a_first_attempt(app, client, factory, people):
    from quizapp.services.answer_keys import DEFAULT_STUDY_ACCESS

    assert DEFAULT_STUDY_ACCESS == "after_attempt"
    assert _study_access(app, factory.seed_set()) == ("after_attempt", False)  # a shipped bank
    assert _study_access(app, _set(factory, people)) == ("after_attempt", False)
    headers = bearer(client, people["owner"])
    made = client.post(
        "/api/v1/sets",
        json={
            "text": "Mayor Ada Lovelace opened the new bridge in Kelmore on Monday. "
            "About 300 people came to see it."
        },
        headers=headers,
    )
    assert made.status_code == 201
    assert made.get_json()["study_access"] == "after_attempt"
    assert made.get_json()["require_signin"] is False


def test_practice_or_a_retry_does_not_open_the_flashcards(app, factory, people):
    """Only a graded quiz opens them (the attempt the teacher's "first attempts" counts)."""
    from quizapp.extensions import db
    from quizapp.models import QuestionSet, User
    from quizapp.services import answer_keys, attempts

    set_id = _set(factory, people)
    ids = _ids(app, set_id)
    with app.app_context():
        user = db.session.query(User).filter_by(email=people["before"]).one()
        qset = db.session.get(QuestionSet, set_id)
        practice = attempts.start_practice(qset, list(ids.values()), user=user)
        for question_id in ids.values():
            attempts.answer_practice(practice.id, question_id, "Nobody")
        assert db.session.get(type(practice), practice.id).state == "graded"
        attempts.submit_quiz(qset, [ids[WHO]], {}, user=user, mode="retry")
        assert answer_keys.study_denial(qset, user) == answer_keys.TAKE_QUIZ_FIRST
        attempts.submit_quiz(qset, list(ids.values()), {}, user=user)
        assert answer_keys.study_denial(qset, user) is None


def test_a_guest_quiz_claimed_at_sign_in_opens_the_flashcards(app, client, factory, auth, people):
    set_id = _set(factory, people)
    page = client.get(f"/sets/{set_id}/quiz").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "submission_key": "g1", "guest_name": "Gus",
            "confirm_blank": "1"}  # fmt: skip
    assert client.post(f"/sets/{set_id}/quiz", data=form).status_code == 303
    assert client.get(f"/sets/{set_id}/anki.apkg").status_code == 403
    auth.login(people["before"])  # the guest's quiz becomes theirs
    assert client.get(f"/sets/{set_id}/anki.apkg").status_code == 200


def test_closing_a_set_hides_its_cards_everywhere(app, factory, people):
    """Cards made by a quiz stay, but a set turned "teacher only" shows none of them: not in
    everything due, not on the flashcards page, not in the API."""
    set_id, clients = _clients(app, factory, people, "after_attempt")
    student = clients["after"]
    home = student.get("/study/").get_data(as_text=True)
    assert f'/study/sets/{set_id}"' in home
    owner = clients["owner"]
    page = owner.get(f"/teach/sets/{set_id}").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "study_access": "teacher_only"}
    assert owner.post(f"/teach/sets/{set_id}/settings", data=form).status_code == 303
    assert f'/study/sets/{set_id}"' not in student.get("/study/").get_data(as_text=True)
    due = student.get("/study/review")
    assert due.status_code == 200 and not _leaks(due.get_data())
    assert "Who opened the festival" not in due.get_data(as_text=True)
    assert student.get("/api/v1/study/due?new=1").get_json() == []


# -- no key in what a non-owner is sent before answering ------------------------------------------


@pytest.mark.parametrize("access", ACCESS)
def test_the_api_never_sends_key_fields_to_non_owners(app, client, factory, people, access):
    set_id = _set(factory, people, access)
    for role in ("before", "other_teacher"):
        headers = bearer(client, people[role])
        for url in ("/api/v1/sets", f"/api/v1/sets/{set_id}", "/api/v1/study/due?new=1"):
            response = client.get(url, headers=headers)
            assert response.status_code == 200, url
            assert not KEY_FIELDS & _keys(response.get_json()), url
            assert not _leaks(response.get_data()), url
        # the teacher API is the owner's: another teacher gets 404, without keys
        for method, url, body in [
            ("PATCH", f"/api/v1/sets/{set_id}", {"title": "Mine now"}),
            ("PATCH", f"/api/v1/sets/{set_id}", {"study_access": "study_aid"}),
            ("PATCH", f"/api/v1/sets/{set_id}/questions/{WHO}", {"enabled": True}),
            ("GET", f"/api/v1/sets/{set_id}/stats", None),
        ]:
            response = client.open(url, method=method, json=body, headers=headers)
            assert response.status_code in (403, 404), (role, url)
            assert not _leaks(response.get_data()), (role, url)
    assert _study_access(app, set_id)[0] == access


@pytest.mark.parametrize("fmt", ["json", "gift", "moodle-xml", "csv", "apkg"])
def test_exports_are_the_owner_s_alone(app, factory, people, fmt):
    set_id, clients = _clients(app, factory, people, "study_aid")
    for role in ROLES:
        response = clients[role].get(f"/teach/sets/{set_id}/export/{fmt}")
        if role == "owner":
            assert response.status_code == 200 and "Vorbeck" in _readable(response.get_data())
        else:
            assert response.status_code in (302, 403, 404), role
            assert not _leaks(response.get_data()), role


# -- the teacher's choice: the settings form and the API -------------------------------------------


def test_the_teacher_sets_study_access_and_sign_in_on_the_set_page(app, factory, people):
    set_id = _set(factory, people)
    owner = _signed(app, people["owner"])
    page = owner.get(f"/teach/sets/{set_id}").get_data(as_text=True)
    assert f'action="/teach/sets/{set_id}/settings"' in page
    assert re.search(
        r'<option selected value="after_attempt">|<option value="after_attempt" selected', page
    )
    assert 'name="require_signin"' in page
    form = {"csrf_token": csrf_from(page), "study_access": "study_aid", "require_signin": "y"}
    response = owner.post(f"/teach/sets/{set_id}/settings", data=form)
    assert response.status_code == 303
    assert _study_access(app, set_id) == ("study_aid", True)
    page = owner.get(response.headers["Location"]).get_data(as_text=True)
    assert "Settings saved." in page
    assert re.search(
        r'<option selected value="study_aid">|<option value="study_aid" selected', page
    )
    assert re.search(r'name="require_signin"[^>]*checked|checked[^>]*name="require_signin"', page)
    # unticked: sign-in no longer required; the study access as chosen
    form = {"csrf_token": csrf_from(page), "study_access": "teacher_only"}
    assert owner.post(f"/teach/sets/{set_id}/settings", data=form).status_code == 303
    assert _study_access(app, set_id) == ("teacher_only", False)


@pytest.mark.parametrize(
    "form", [{"study_access": "everyone"}, {"study_access": ""}, {"study_access": "x" * 5000}]
)
def test_a_bad_setting_is_told_and_changes_nothing(app, factory, people, form):
    set_id = _set(factory, people)
    owner = _signed(app, people["owner"])
    page = owner.get(f"/teach/sets/{set_id}").get_data(as_text=True)
    response = owner.post(
        f"/teach/sets/{set_id}/settings", data={"csrf_token": csrf_from(page), **form}
    )
    assert response.status_code == 303
    assert "Not a valid choice" in owner.get(response.headers["Location"]).get_data(as_text=True)
    assert _study_access(app, set_id) == ("after_attempt", False)


def test_settings_need_the_csrf_token_and_the_set_s_teacher(app, factory, people):
    set_id = _set(factory, people)
    owner = _signed(app, people["owner"])
    owner.get(f"/teach/sets/{set_id}")
    assert (
        owner.post(f"/teach/sets/{set_id}/settings", data={"study_access": "study_aid"}).status_code
        == 400
    )
    other = _signed(app, people["other_teacher"])
    page = other.get("/teach/").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "study_access": "study_aid"}
    assert other.post(f"/teach/sets/{set_id}/settings", data=form).status_code == 404
    student = _signed(app, people["before"])
    page = student.get("/").get_data(as_text=True)
    form["csrf_token"] = csrf_from(page)
    assert student.post(f"/teach/sets/{set_id}/settings", data=form).status_code == 403
    assert _study_access(app, set_id) == ("after_attempt", False)


def test_the_teacher_api_patches_study_access_and_sign_in(app, client, factory, people):
    set_id = _set(factory, people)
    headers = bearer(client, people["owner"])
    url = f"/api/v1/sets/{set_id}"
    response = client.patch(url, json={"study_access": "teacher_only"}, headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["study_access"], body["require_signin"]) == ("teacher_only", False)
    assert not KEY_FIELDS & _keys(body)
    response = client.patch(url, json={"require_signin": True, "title": "Renamed"}, headers=headers)
    assert response.status_code == 200
    assert (response.get_json()["title"], response.get_json()["require_signin"]) == (
        "Renamed",
        True,
    )
    assert _study_access(app, set_id) == ("teacher_only", True)
    for bad, says in [
        ({"study_access": "everyone"}, "'study_access' must be one of"),
        ({"study_access": ["study_aid"]}, "'study_access' must be one of"),
        ({"study_access": {"a": 1}}, "'study_access' must be one of"),
        ({"require_signin": "yes"}, "'require_signin' must be true or false"),
        ({"require_signin": 1}, "'require_signin' must be true or false"),
        ({"title": "Again", "study_access": "nope"}, "'study_access' must be one of"),
    ]:
        response = client.patch(url, json=bad, headers=headers)
        assert response.status_code == 400 and says in response.get_json()["error"], bad
    assert _study_access(app, set_id) == ("teacher_only", True)
    sets = client.get("/api/v1/sets", headers=headers).get_json()
    assert [s["title"] for s in sets if s["id"] == set_id] == ["Renamed"]  # no partial change
