"""The JSON API at its edges: bodies JSON allows but the app refuses, token expiry and
revocation, and the CSRF header that cookie-authenticated writes need."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from helpers import PASSWORD, api_token, signed_in
from helpers import attempt_count as _attempts

WHO, COUNT, WHERE, TRUST = "q-mayor00001", "q-visitors01", "q-town000001", "q-trust00001"


@pytest.fixture
def api_student(client, factory):
    set_id = factory.bank_set()
    _, email = factory.user()
    return set_id, {"Authorization": f"Bearer {api_token(client, email)}"}


@pytest.mark.parametrize(
    "body",
    [
        '{"answers": ' + "[" * 1000 + "]" * 1000 + "}",
        '{"answers": ' + '{"a": ' * 1000 + "1" + "}" * 1000 + "}",
        '{"answers": {"q-mayor00001": "\\ud800"}}',
        '{"answers": {"q-visitors01": 1e999}}',
        '{"answers": {"q-visitors01": -1e999}}',
    ],
    ids=["deep-list", "deep-object", "lone-surrogate", "1e999", "-1e999"],
)
def test_api_refuses_unusable_json(app, client, api_student, body):
    set_id, headers = api_student
    response = client.post(
        f"/api/v1/sets/{set_id}/attempts",
        data=body.encode("ascii"),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400
    assert response.is_json and isinstance(response.get_json()["error"], str)
    assert _attempts(app) == 0


def test_api_deeply_nested_token_body_is_400(client):
    body = "[" * 1000 + "]" * 1000
    response = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert response.status_code == 400 and response.is_json


def test_api_valid_body_is_still_201(app, client, api_student):
    set_id, headers = api_student
    response = client.post(
        f"/api/v1/sets/{set_id}/attempts",
        data=b'{"answers": {"q-visitors01": 4500, "q-mayor00001": "Vorbeck"}}',
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201
    assert response.get_json()["score"] == 2
    assert _attempts(app) == 1


def test_token_has_an_expiry_about_30_days_ahead(client, factory):
    _, email = factory.user()
    response = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200
    expires = datetime.fromisoformat(response.get_json()["expires_at"])
    assert expires.tzinfo is not None
    ahead = expires - datetime.now(UTC)
    assert timedelta(days=30) - timedelta(minutes=5) < ahead <= timedelta(days=30)


def test_expired_token_is_401(app, client, factory):
    from sqlalchemy import update

    from quizapp.extensions import db
    from quizapp.models import ApiToken

    _, email = factory.user()
    headers = {"Authorization": f"Bearer {api_token(client, email)}"}
    assert client.get("/api/v1/sets", headers=headers).status_code == 200
    with app.app_context():
        past = datetime.now(UTC) - timedelta(seconds=1)
        db.session.execute(update(ApiToken).values(expires_at=past))
        db.session.commit()
    response = client.get("/api/v1/sets", headers=headers)
    assert response.status_code == 401 and response.is_json


def test_revoked_token_stops_working_but_others_do_not(client, factory):
    _, email = factory.user()
    first = {"Authorization": f"Bearer {api_token(client, email)}"}
    second = {"Authorization": f"Bearer {api_token(client, email)}"}
    revoked = client.delete("/api/v1/auth/token", headers=first)
    assert revoked.status_code == 204
    assert client.get("/api/v1/sets", headers=first).status_code == 401
    assert client.get("/api/v1/sets", headers=second).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("post", "/api/v1/sets/{set_id}/attempts", {}),
        ("post", "/api/v1/sets/{set_id}/attempts", {"X-CSRFToken": ""}),
        ("delete", "/api/v1/auth/token", {}),
    ],
)
def test_cookie_api_write_without_csrf_header(app, client, factory, auth, method, path, headers):
    set_id = factory.bank_set()
    signed_in(factory, auth)
    response = getattr(client, method)(
        path.format(set_id=set_id), json={"answers": {WHO: "Vorbeck"}}, headers=headers
    )
    assert response.status_code == 400
    assert response.get_json() == {"error": "Missing or invalid X-CSRFToken header."}
    assert _attempts(app) == 0
