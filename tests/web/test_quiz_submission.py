"""Taking a quiz on the web: blank answers confirmed once, one attempt per re-sent form, the best
score from full quizzes only, choice order tied to the submission key, and a submission key
that belongs to one set."""

from __future__ import annotations

import re

from helpers import attempt_count as _attempts
from helpers import csrf_from, practice_form, signed_in, small_bank
from helpers import quiz_form as _quiz
from helpers import start_practice as _start_practice

WHO, COUNT, WHERE, TRUST = "q-mayor00001", "q-visitors01", "q-town000001", "q-trust00001"


CHOICES = ("Ashby", "Zanthorpe", "Kelmore", "Dunmarch")


def _radio_order(html: str) -> list[str]:
    return re.findall(r'type="radio"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*type="radio"', html)


def _choices_in_page(html: str) -> list[str]:
    found = [a or b for a, b in _radio_order(html)]
    assert sorted(found) == sorted(CHOICES)
    return found


def test_blank_answers_ask_for_confirmation_then_submit(app, client, factory, auth):
    set_id = factory.bank_set()
    signed_in(factory, auth)
    _, data, (who, count, where, trust) = _quiz(client, set_id)
    data.update({who: "Typed-answer-kept", count: "", trust: ""})
    response = client.post(f"/sets/{set_id}/quiz", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "You left 3 questions unanswered" in html
    assert 'value="Typed-answer-kept"' in html
    assert 'name="confirm_blank"' in html
    assert _attempts(app) == 0

    confirmed = client.post(f"/sets/{set_id}/quiz", data={**data, "confirm_blank": "1"})
    assert confirmed.status_code == 303
    assert _attempts(app) == 1


def test_all_answered_submits_without_confirmation(app, client, factory, auth):
    set_id = factory.bank_set()
    signed_in(factory, auth)
    _, data, (who, count, where, trust) = _quiz(client, set_id)
    data.update({who: "Vorbeck", count: "4500", where: "Ashby", trust: "x"})
    response = client.post(f"/sets/{set_id}/quiz", data=data)
    assert response.status_code == 303
    assert _attempts(app) == 1


def test_fresh_guest_double_submit_makes_one_attempt(app, factory):
    set_id = factory.bank_set()
    guest = app.test_client()
    _, data, _ = _quiz(guest, set_id)
    data.update({"guest_name": "Robin", "confirm_blank": "1"})
    first = guest.post(f"/sets/{set_id}/quiz", data=data)
    second = guest.post(f"/sets/{set_id}/quiz", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert _attempts(app) == 1


def test_fresh_guest_double_start_makes_one_practice(app, factory):
    set_id = factory.bank_set()
    guest = app.test_client()
    first, data = _start_practice(guest, set_id, guest_name="Robin")
    second = guest.post(f"/sets/{set_id}/practice", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert _attempts(app, mode="practice") == 1


def test_best_score_counts_full_quizzes_only(app, client, factory, auth):
    from quizapp.models import Attempt

    set_id = factory.bank_set()
    signed_in(factory, auth)
    # A full quiz with one of four right: 25 %.
    _, data, (who, *_rest) = _quiz(client, set_id)
    data.update({who: "Vorbeck", "confirm_blank": "1"})
    location = client.post(f"/sets/{set_id}/quiz", data=data).headers["Location"]
    attempt_id = location.rsplit("/", 1)[1]
    assert "Your best: 25%" in client.get("/").get_data(as_text=True)

    # Retrying the three missed, all right: 100 % of a retry does not count.
    _, data, names = _quiz(client, set_id, f"?retry={attempt_id}")
    assert len(names) == 3
    data.update(dict(zip(names, ["4500", "Zanthorpe", "Glimmerstone Trust"], strict=True)))
    retried = client.post(f"/sets/{set_id}/quiz", data=data)
    assert retried.status_code == 303
    assert "3 / 3" in client.get(retried.headers["Location"]).get_data(as_text=True)
    assert _attempts(app, mode="retry") == 1
    assert "Your best: 25%" in client.get("/").get_data(as_text=True)

    # A practice session with one right answer, stopped early (1 / 1) does not count either.
    practice = _start_practice(client, set_id)[0].headers["Location"]
    answer = {**practice_form(client, practice), "answer": "Vorbeck", "submit": "Check"}
    assert client.post(practice, data=answer).status_code == 303
    finish = csrf_from(client.get(practice).get_data(as_text=True))
    stopped = client.post(f"{practice}/finish", data={"csrf_token": finish})
    assert stopped.status_code == 303
    assert "1 / 1" in client.get(stopped.headers["Location"]).get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert "Your best: 25%" in home and "Your best: 100%" not in home

    history = client.get("/history").get_data(as_text=True)
    assert "<td>Retry of missed</td>" in history and "<td>Practice</td>" in history

    # Through the API, chosen questions are a retry too.
    csrf = client.get("/api/v1/csrf-token").get_json()["csrf_token"]
    response = client.post(
        f"/api/v1/sets/{set_id}/attempts",
        json={"answers": {WHO: "Vorbeck"}, "questions": [WHO]},
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 201
    from quizapp.extensions import db

    with app.app_context():
        assert db.session.get(Attempt, response.get_json()["attempt_id"]).mode == "retry"
    assert "Your best: 25%" in client.get("/").get_data(as_text=True)


def test_choice_order_varies_with_the_submission_key(client, factory, auth):
    set_id = factory.bank_set()
    signed_in(factory, auth)
    positions = set()
    for _ in range(30):
        html = client.get(f"/sets/{set_id}/quiz").get_data(as_text=True)
        positions.add(_choices_in_page(html).index("Zanthorpe"))
    assert len(positions) >= 3


def test_re_rendered_quiz_keeps_the_choice_order(client, factory, auth):
    set_id = factory.bank_set()
    signed_in(factory, auth)
    for _ in range(5):
        html, data, _ = _quiz(client, set_id)
        response = client.post(f"/sets/{set_id}/quiz", data=data)
        assert response.status_code == 200
        again = response.get_data(as_text=True)
        assert "unanswered" in again
        assert _choices_in_page(again) == _choices_in_page(html)


def test_submission_key_reused_for_another_set_is_409(app, client, factory, auth):
    set_a = factory.bank_set()
    set_b = factory.bank_set(small_bank("Second set", "cd" * 32))
    signed_in(factory, auth)
    _, data_a, _ = _quiz(client, set_a)
    first = client.post(f"/sets/{set_a}/quiz", data={**data_a, "confirm_blank": "1"})
    assert first.status_code == 303
    _, data_b, _ = _quiz(client, set_b)
    data_b.update({"submission_key": data_a["submission_key"], "confirm_blank": "1"})
    response = client.post(f"/sets/{set_b}/quiz", data=data_b)
    assert response.status_code == 409
    assert "Traceback" not in response.get_data(as_text=True)
    assert _attempts(app) == 1
    assert _attempts(app, set_id=set_b) == 0
