"""The answer key never reaches a student before they submit: pages, the API (cookie and
bearer) and practice question pages."""

from __future__ import annotations

import pytest
from helpers import PASSWORD, csrf_from, hidden, small_bank

SECRETS = (
    "Quintessa",
    "Vorbeck",
    "4,500",
    "4500",
    "Glimmerstone",
    "explained-zq",
    *{q["source_sentence"] for q in small_bank()["questions"]},
)


def _assert_no_secrets(body: str, where: str) -> None:
    leaked = [secret for secret in SECRETS if secret in body]
    assert not leaked, f"{where} leaks {leaked}"


def _practice_url(client, set_id: int, guest_name: str | None) -> str:
    page = client.get(f"/sets/{set_id}").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "submission_key": hidden(page, "submission_key")}
    if guest_name:
        data["guest_name"] = guest_name
    response = client.post(f"/sets/{set_id}/practice", data=data)
    assert response.status_code == 303
    return response.headers["Location"]


@pytest.mark.parametrize("who", ["anonymous", "student"])
def test_pages_before_submitting_leak_no_answers(client, factory, auth, who):
    set_id = factory.bank_set()
    if who == "student":
        auth.login(factory.user()[1])
    for path in ("/", "/?q=harbour", f"/sets/{set_id}", f"/sets/{set_id}/quiz"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_no_secrets(response.get_data(as_text=True), f"{who} {path}")


@pytest.mark.parametrize("who", ["anonymous", "student"])
def test_api_before_submitting_leaks_no_answers(client, factory, auth, who):
    set_id = factory.bank_set()
    if who == "student":
        auth.login(factory.user()[1])
    for path in ("/api/v1/sets", f"/api/v1/sets/{set_id}"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_no_secrets(response.get_data(as_text=True), f"{who} {path}")


def test_api_via_bearer_leaks_no_answers(client, factory):
    set_id = factory.bank_set()
    _, email = factory.user()
    token = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    for path in ("/api/v1/sets", f"/api/v1/sets/{set_id}"):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        _assert_no_secrets(response.get_data(as_text=True), f"bearer {path}")


@pytest.mark.parametrize("who", ["guest", "student"])
def test_practice_question_pages_leak_no_answers(client, factory, auth, who):
    set_id = factory.bank_set()
    if who == "student":
        auth.login(factory.user()[1])
    url = _practice_url(client, set_id, "Robin" if who == "guest" else None)
    for number in range(4):
        html = client.get(url).get_data(as_text=True)
        assert f"{number} of 4 answered" in html
        _assert_no_secrets(html, f"practice question {number + 1}")
        data = {"csrf_token": csrf_from(html), "question_id": hidden(html, "question_id")}
        assert client.post(url, data={**data, "answer": "no idea"}).status_code == 303
