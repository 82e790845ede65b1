"""Practice on the web: empty answers, "I don't know", stopping before any answer, and the set
page offering to continue an unfinished practice."""

from __future__ import annotations

from helpers import attempt_count as _attempts
from helpers import count_rows, csrf_from, practice_form, signed_in
from helpers import start_practice as _start_practice


def test_practice_check_with_empty_answer_is_refused(app, client, factory, auth):
    from quizapp.models import Response

    set_id = factory.bank_set()
    signed_in(factory, auth)
    practice = _start_practice(client, set_id)[0].headers["Location"]
    data = {**practice_form(client, practice), "answer": "   ", "submit": "Check"}
    response = client.post(practice, data=data)
    assert response.status_code == 400
    assert "Choose or type an answer" in response.get_data(as_text=True)
    assert count_rows(app, Response) == 0


def test_practice_dont_know_records_a_blank_wrong_answer(app, client, factory, auth):
    from quizapp.models import Response

    set_id = factory.bank_set()
    signed_in(factory, auth)
    practice = _start_practice(client, set_id)[0].headers["Location"]
    data = {**practice_form(client, practice), "answer": "", "dont_know": "1"}
    response = client.post(practice, data=data)
    assert response.status_code == 303
    assert count_rows(app, Response) == 1
    assert count_rows(app, Response, given="", correct=False) == 1
    feedback = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "No answer given." in feedback

    # Stopping now: the result has the one question answered.
    token = csrf_from(client.get(practice).get_data(as_text=True))
    stopped = client.post(f"{practice}/finish", data={"csrf_token": token})
    assert stopped.status_code == 303
    result = client.get(stopped.headers["Location"]).get_data(as_text=True)
    assert "0 / 1" in result
    assert result.count('class="result-item ') == 1


def test_practice_stopped_before_any_answer_is_deleted(app, client, factory, auth):
    set_id = factory.bank_set()
    signed_in(factory, auth)
    practice = _start_practice(client, set_id)[0].headers["Location"]
    assert _attempts(app, mode="practice") == 1
    token = csrf_from(client.get(practice).get_data(as_text=True))
    stopped = client.post(f"{practice}/finish", data={"csrf_token": token})
    assert stopped.status_code == 303
    assert stopped.headers["Location"].endswith(f"/sets/{set_id}")
    assert _attempts(app) == 0


def test_set_page_offers_to_continue_practice(client, factory, auth):
    set_id = factory.bank_set()
    signed_in(factory, auth)
    before = client.get(f"/sets/{set_id}").get_data(as_text=True)
    assert "Continue practising" not in before and "Start practising" in before
    practice = _start_practice(client, set_id)[0].headers["Location"]
    html = client.get(f"/sets/{set_id}").get_data(as_text=True)
    assert "Continue practising" in html and f'href="{practice}"' in html
    assert "0 of 4 answered" in html
    assert "Start a new practice session" in html
