"""Guests: their results are claimed at sign-in; names lose invisible characters."""

from __future__ import annotations

from helpers import PASSWORD, csrf_from
from helpers import attempt_count as _attempts
from helpers import quiz_form as _quiz


def test_guest_results_are_claimed_at_sign_in(app, client, factory, auth):
    from quizapp.extensions import db
    from quizapp.models import Attempt

    set_id = factory.bank_set()
    _, data, _ = _quiz(client, set_id)
    data.update({"guest_name": "Robin", "confirm_blank": "1"})
    location = client.post(f"/sets/{set_id}/quiz", data=data).headers["Location"]
    attempt_id = int(location.rsplit("/", 1)[1])

    user_id, email = factory.user()
    assert auth.login(email).status_code == 302
    assert "now in your results" in client.get("/").get_data(as_text=True)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert (attempt.user_id, attempt.guest_name) == (user_id, None)
    assert client.get(location).status_code == 200
    assert f"/attempts/{attempt_id}" in client.get("/history").get_data(as_text=True)


def test_registered_name_drops_invisible_characters(app, client):
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import User

    token = csrf_from(client.get("/register").get_data(as_text=True))
    response = client.post(
        "/register",
        data={
            "csrf_token": token,
            "display_name": "Ada\u200b\u202eLovelace\x00",
            "email": "ada@example.com",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 302
    with app.app_context():
        name = db.session.scalar(select(User.display_name).where(User.email == "ada@example.com"))
    assert name == "AdaLovelace"


def test_guest_name_of_invisible_characters_is_refused(app, client, factory):
    set_id = factory.bank_set()
    _, data, _ = _quiz(client, set_id)
    data.update({"guest_name": "\u200b\u200c\u200d\u2060\ufeff", "confirm_blank": "1"})
    response = client.post(f"/sets/{set_id}/quiz", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter a display name" in html and 'id="guest-error"' in html
    assert _attempts(app) == 0
