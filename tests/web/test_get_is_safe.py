"""No state change on GET: logout and the POST-only routes."""

from __future__ import annotations

from helpers import csrf_from, hidden

from quizapp.extensions import db
from quizapp.models import Attempt


def _practice_url(client, set_id: int, guest_name: str | None) -> str:
    page = client.get(f"/sets/{set_id}").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "submission_key": hidden(page, "submission_key")}
    if guest_name:
        data["guest_name"] = guest_name
    response = client.post(f"/sets/{set_id}/practice", data=data)
    assert response.status_code == 303
    return response.headers["Location"]


def test_get_logout_is_405_and_keeps_the_session(client, factory, auth):
    _, email = factory.user()
    auth.login(email)
    assert client.get("/logout").status_code == 405
    assert client.get("/history").status_code == 200


def test_get_on_post_only_routes_changes_nothing(app, client, factory, auth):
    set_id = factory.bank_set()
    auth.login(factory.user()[1])
    url = _practice_url(client, set_id, None)
    attempt_id = url.rstrip("/").rsplit("/", 1)[1]
    assert client.get(f"/sets/{set_id}/practice").status_code == 405
    assert client.get(f"/practice/{attempt_id}/finish").status_code == 405
    with app.app_context():
        assert db.session.get(Attempt, int(attempt_id)).state == "in_progress"
        assert db.session.query(Attempt).count() == 1
