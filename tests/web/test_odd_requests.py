"""Odd requests answered with a page, never a 500: a file in place of a text field, odd ids,
and the titles of the error pages."""

from __future__ import annotations

import io
import re

import pytest
from helpers import PASSWORD, csrf_from, hidden, signed_in
from helpers import quiz_form as _quiz
from helpers import start_practice as _start_practice


def _file() -> tuple[io.BytesIO, str]:
    return io.BytesIO(b"Zanthorpe\x00\xff" * 10), "answer.txt"


@pytest.mark.parametrize(
    "target",
    [
        "login:email",
        "register:display_name",
        "quiz:question",
        "quiz:guest_name",
        "quiz:submission_key",
        "practice:guest_name",
    ],
)
def test_file_in_place_of_a_text_field_is_never_a_server_error(client, factory, target):
    set_id = factory.bank_set()
    page, field = target.split(":")
    if page in ("login", "register"):
        html = client.get(f"/{page}").get_data(as_text=True)
        data = {
            "csrf_token": csrf_from(html),
            "email": "someone@example.com",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "display_name": "Someone",
        }
        url = f"/{page}"
    elif page == "quiz":
        _, data, names = _quiz(client, set_id)
        data.update({"guest_name": "Robin", "confirm_blank": "1"})
        if field == "question":
            field = names[0]
        url = f"/sets/{set_id}/quiz"
    else:
        html = client.get(f"/sets/{set_id}").get_data(as_text=True)
        data = {"csrf_token": csrf_from(html), "submission_key": hidden(html, "submission_key")}
        url = f"/sets/{set_id}/practice"
    data[field] = _file()
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code < 500
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/sets/9223372036854775808",
        "/attempts/99999999999999999999",
        "/practice/99999999999999999999",
        "/api/v1/sets/99999999999999999999",
        "/sets/{set_id}/quiz?retry=%C2%B2",
        "/sets/{set_id}/quiz?retry=99999999999999999999",
        "{practice}?after=%C2%B2",
    ],
)
def test_odd_ids_are_404(client, factory, auth, path):
    set_id = factory.bank_set()
    signed_in(factory, auth)
    practice = _start_practice(client, set_id)[0].headers["Location"]
    response = client.get(path.format(set_id=set_id, practice=practice))
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.is_json and isinstance(response.get_json()["error"], str)


@pytest.mark.parametrize(
    ("method", "path", "status", "title"),
    [
        ("get", "/nowhere", 404, "404 · Page not found"),
        ("get", "/sets/999", 404, "404 · Page not found"),
        ("delete", "/", 405, "405 · Not allowed here"),
    ],
)
def test_error_page_title_and_message(client, method, path, status, title):
    response = getattr(client, method)(path)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    page_title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert page_title.startswith(title)
    card = re.search(r'<section class="card empty-state">(.*?)</section>', html, re.S).group(1)
    message = re.search(r"<p>(.*?)</p>", card, re.S).group(1).strip()
    assert message and message not in page_title and title.split(" · ")[1] not in message
