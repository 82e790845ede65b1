"""Student routes: home, quiz, result, retry, practice, history, guests (Flask test client)."""

from __future__ import annotations

import re

import pytest
from helpers import PASSWORD, csrf_from, hidden


def _quiz_form(client, set_id: int, query: str = ""):
    page = client.get(f"/sets/{set_id}/quiz{query}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return html, {
        "csrf_token": csrf_from(html),
        "submission_key": hidden(html, "submission_key"),
        "retry": hidden(html, "retry"),
        "confirm_blank": "1",  # blanks allowed without the "unanswered" round trip
    }


def _start_practice(client, set_id: int):
    """Press "Start practising" on the set page; the response redirects to the session."""
    page = client.get(f"/sets/{set_id}").get_data(as_text=True)
    return client.post(
        f"/sets/{set_id}/practice",
        data={"csrf_token": csrf_from(page), "submission_key": hidden(page, "submission_key")},
    )


def _field_names(html: str) -> list[str]:
    return sorted(set(re.findall(r'name="(q\d+)"', html)))


def test_home_lists_published_sets_with_count_and_search(client, factory):
    from helpers import small_bank

    factory.bank_set()
    factory.bank_set(small_bank("Secret draft", "cd" * 32), status="draft")
    html = client.get("/").get_data(as_text=True)
    assert "Harbour festival" in html
    assert "4-question quiz" in html
    assert "Secret draft" not in html
    assert "Harbour festival" in client.get("/?q=harbour").get_data(as_text=True)
    assert "Harbour festival" not in client.get("/?q=volcano").get_data(as_text=True)
    assert client.get("/?q=" + "%" * 500).status_code == 200


def test_quiz_form_has_one_field_per_question_and_no_answer_key(client, factory):
    set_id = factory.bank_set()
    html, _ = _quiz_form(client, set_id)
    assert len(_field_names(html)) == 4
    assert 'type="radio"' in html and 'inputmode="decimal"' in html
    for secret in ("Quintessa", "Vorbeck", "4,500", "4500", "Glimmerstone", "explained-zq"):
        assert secret not in html
    # The multiple-choice answer is offered as one choice among four, nothing marks it.
    counts = {html.count(choice) for choice in ("Ashby", "Zanthorpe", "Kelmore", "Dunmarch")}
    assert counts == {2}  # each as a value and a label


def test_signed_in_student_submits_and_sees_scored_result(client, factory, auth):
    set_id = factory.bank_set()
    _, email = factory.user()
    auth.login(email)
    html, data = _quiz_form(client, set_id)
    who, count, where, trust = _field_names(html)
    data.update({who: "vorbek", count: "4500", where: "Kelmore", trust: ""})
    response = client.post(f"/sets/{set_id}/quiz", data=data)
    assert response.status_code == 303
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 / 4" in result
    assert "<mark>Zanthorpe</mark>" in result
    assert "small typo" in result  # "vorbek" accepted as a one-letter slip
    assert "Retry the 2 I missed" in result
    home = client.get("/").get_data(as_text=True)
    assert "Your best: 50%" in home


def test_double_submit_makes_one_attempt(app, client, factory, auth):
    from quizapp.extensions import db
    from quizapp.models import Attempt

    set_id = factory.bank_set()
    _, email = factory.user()
    auth.login(email)
    _, data = _quiz_form(client, set_id)
    first = client.post(f"/sets/{set_id}/quiz", data=data)
    second = client.post(f"/sets/{set_id}/quiz", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.query(Attempt).count() == 1


def test_submit_without_csrf_token_is_refused_and_keeps_answers(app, client, factory, auth):
    from quizapp.extensions import db
    from quizapp.models import Attempt

    set_id = factory.bank_set()
    _, email = factory.user()
    auth.login(email)
    html, data = _quiz_form(client, set_id)
    who = _field_names(html)[0]
    data.pop("csrf_token")
    data[who] = "Kept answer"
    response = client.post(f"/sets/{set_id}/quiz", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Kept answer" in page and "submit again" in page
    with app.app_context():
        assert db.session.query(Attempt).count() == 0


def test_retry_the_ones_missed_asks_only_those(client, factory, auth):
    set_id = factory.bank_set()
    _, email = factory.user()
    auth.login(email)
    html, data = _quiz_form(client, set_id)
    who, count, where, trust = _field_names(html)
    data.update({who: "Quintessa Vorbeck", count: "4500", where: "Zanthorpe", trust: "nope"})
    location = client.post(f"/sets/{set_id}/quiz", data=data).headers["Location"]
    attempt_id = location.rsplit("/", 1)[1]
    html, data = _quiz_form(client, set_id, f"?retry={attempt_id}")
    assert _field_names(html) == [trust]
    assert "The _____ paid for the fireworks." in html
    data[trust] = "glimmerstone trust"
    result = client.get(client.post(f"/sets/{set_id}/quiz", data=data).headers["Location"])
    assert "1 / 1" in result.get_data(as_text=True)


def test_guest_takes_quiz_under_a_display_name(client, factory):
    set_id = factory.bank_set()
    html, data = _quiz_form(client, set_id)
    response = client.post(f"/sets/{set_id}/quiz", data=data)
    assert response.status_code == 400
    assert "display name" in response.get_data(as_text=True)
    data["guest_name"] = "Robin"
    response = client.post(f"/sets/{set_id}/quiz", data=data)
    assert response.status_code == 303
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Robin (guest)" in result and "0 / 4" in result
    # Another browser cannot read the guest's result.
    other = client.application.test_client()
    assert other.get(response.headers["Location"]).status_code == 404


def test_result_is_private_to_its_owner(client, factory, auth):
    set_id = factory.bank_set()
    _, owner = factory.user()
    _, other = factory.user()
    auth.login(owner)
    _, data = _quiz_form(client, set_id)
    location = client.post(f"/sets/{set_id}/quiz", data=data).headers["Location"]
    auth.logout()
    assert client.get(location).status_code == 404
    auth.login(other)
    assert client.get(location).status_code == 404


def test_practice_mode_one_question_at_a_time(client, factory, auth):
    set_id = factory.bank_set()
    _, email = factory.user()
    auth.login(email)
    start = _start_practice(client, set_id)
    assert start.status_code == 303
    practice_url = start.headers["Location"]
    answers = ["Vorbeck", "4,500", "Ashby", "Glimmerstone Trust"]
    for number, given in enumerate(answers, start=1):
        html = client.get(practice_url).get_data(as_text=True)
        assert f"{number - 1} of 4 answered" in html
        for secret in ("explained-zq", "Glimmerstone"):
            assert secret not in html
        data = {
            "csrf_token": csrf_from(html),
            "question_id": hidden(html, "question_id"),
            "answer": given,
        }
        feedback = client.post(practice_url, data=data)
        assert feedback.status_code == 303
        shown = client.get(feedback.headers["Location"]).get_data(as_text=True)
        assert ("Right!" in shown) == (given != "Ashby")
        # Sending the same answer again changes nothing.
        assert client.post(practice_url, data=data).status_code in (303, 302)
    result = client.get(practice_url, follow_redirects=True).get_data(as_text=True)
    assert "3 / 4" in result


def test_history_lists_attempts_with_a_chart(client, factory, auth):
    set_id = factory.bank_set()
    _, email = factory.user()
    auth.login(email)
    for _ in range(2):
        _, data = _quiz_form(client, set_id)
        client.post(f"/sets/{set_id}/quiz", data=data)
    html = client.get("/history").get_data(as_text=True)
    assert html.count("0 / 4") == 2
    assert "<svg" in html and 'role="img"' in html


def test_history_needs_sign_in(client):
    response = client.get("/history")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_draft_set_is_not_found_for_students(client, factory, auth):
    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(owner_id=teacher_id, status="draft")
    _, email = factory.user()
    auth.login(email)
    for path in (f"/sets/{set_id}", f"/sets/{set_id}/quiz"):
        assert client.get(path).status_code == 404


def test_unknown_pages_and_bad_ids_are_clear_4xx(client, factory):
    set_id = factory.bank_set()
    assert client.get("/sets/999").status_code == 404
    assert client.get("/attempts/999").status_code == 404
    assert client.get(f"/sets/{set_id}/quiz?retry=abc").status_code == 404
    assert client.get(f"/sets/{set_id}/quiz?retry=999").status_code == 404
    assert client.delete("/").status_code == 405
    page = client.get("/nowhere")
    assert page.status_code == 404 and "Traceback" not in page.get_data(as_text=True)


def test_register_sign_in_and_out(client):
    page = client.get("/register").get_data(as_text=True)
    response = client.post(
        "/register",
        data={
            "csrf_token": csrf_from(page),
            "display_name": "Ada",
            "email": "ada@example.com",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    # Registration does not sign in (it must not tell whether the email had an account):
    # the next step is the sign-in page, with the email filled in.
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    login = client.get("/login").get_data(as_text=True)
    assert 'value="ada@example.com"' in login
    response = client.post(
        "/login",
        data={"csrf_token": csrf_from(login), "email": "ada@example.com", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert "Signed in as Ada" in client.get("/").get_data(as_text=True)
    cookie = client.get_cookie("session").value
    token = csrf_from(client.get("/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    # The old session cookie no longer signs anybody in (the nonce changed).
    client.set_cookie("session", cookie)
    assert client.get("/history").status_code == 302


def test_history_offers_to_continue_unfinished_practice(client, factory, auth):
    set_id = factory.bank_set()
    _, email = factory.user()
    auth.login(email)
    start = _start_practice(client, set_id)
    html = client.get("/history").get_data(as_text=True)
    assert "Continue practising Harbour festival" in html
    assert start.headers["Location"] in html
    assert "No attempts yet" in html


def test_quiz_left_open_for_61_minutes_still_submits(client, factory, auth, monkeypatch):
    import time

    set_id = factory.bank_set()
    _, email = factory.user()
    auth.login(email)
    html, data = _quiz_form(client, set_id)
    data[_field_names(html)[0]] = "Vorbeck"
    later = time.time() + 61 * 60
    monkeypatch.setattr(time, "time", lambda: later)  # itsdangerous reads time.time()
    response = client.post(f"/sets/{set_id}/quiz", data=data)
    assert response.status_code == 303
    assert "1 / 4" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_sets_teacher_reads_an_unfinished_practice_instead_of_taking_it(client, factory, auth):
    teacher_id, teacher = factory.user("teacher")
    set_id = factory.bank_set(owner_id=teacher_id)
    _, email = factory.user()
    auth.login(email)
    start = _start_practice(client, set_id)
    attempt_id = start.headers["Location"].rsplit("/", 1)[1]
    auth.logout()
    auth.login(teacher)
    shown = client.get(f"/attempts/{attempt_id}")
    assert shown.status_code == 200 and "0 / 4" in shown.get_data(as_text=True)
    assert client.get(f"/practice/{attempt_id}").status_code == 404


def test_times_are_marked_utc_for_the_script_to_localise(client, factory, auth):
    set_id = factory.bank_set()
    _, email = factory.user()
    auth.login(email)
    html, data = _quiz_form(client, set_id)
    result = client.get(client.post(f"/sets/{set_id}/quiz", data=data).headers["Location"])
    assert re.search(r'<time datetime="[^"]+\+00:00" data-local>[^<]+ UTC</time>', result.text)


def test_result_breaks_the_score_down_by_kind_of_question(client, factory, auth):
    set_id = factory.bank_set()
    _, email = factory.user()
    auth.login(email)
    html, data = _quiz_form(client, set_id)
    who, count, where, trust = _field_names(html)
    data.update({who: "Vorbeck", count: "12", where: "Zanthorpe", trust: "Glimmerstone Trust"})
    page = client.get(client.post(f"/sets/{set_id}/quiz", data=data).headers["Location"]).text
    rows = re.findall(
        r'<th scope="row">([^<]+)</th>.*?<td class="num">(\d+) / (\d+)</td>', page, re.S
    )
    assert rows == [("Who", "2", "2"), ("Where", "1", "1"), ("How many", "0", "1")]


@pytest.mark.parametrize("signed_in", [True, False])
def test_practise_the_missed_questions_one_by_one(client, factory, auth, signed_in):
    set_id = factory.bank_set()
    if signed_in:
        auth.login(factory.user()[1])
    html, data = _quiz_form(client, set_id)
    who, count, where, trust = _field_names(html)
    data.update({who: "Vorbeck", count: "4500", "guest_name": "Robin"})
    result = client.get(client.post(f"/sets/{set_id}/quiz", data=data).headers["Location"]).text
    assert "Practise them one by one" in result
    form = result[result.index('action="/sets/') :]
    start = client.post(
        f"/sets/{set_id}/practice",
        data={
            "csrf_token": csrf_from(form),
            "submission_key": hidden(form, "submission_key"),
            "retry": hidden(form, "retry"),
        },
    )
    assert start.status_code == 303
    page = client.get(start.headers["Location"]).text
    assert "0 of 2 answered" in page  # the two missed: the town and the trust
