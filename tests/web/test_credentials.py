"""Credentials (issue 19, rows 9 and 14): changing the password (web, with the current one;
`quizapp users set-password` for admins), "Sign out everywhere", what a password change
revokes, the common-password check, and a registration that does not tell whether an email has
an account."""

from __future__ import annotations

import re

import pytest
from helpers import PASSWORD, csrf_from, hidden

NEW = "a brand new passphrase"


def bearer(app, email: str, password: str = PASSWORD) -> str:
    response = app.test_client().post(
        "/api/v1/auth/token", json={"email": email, "password": password}
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()["token"]


def token_works(app, token: str) -> bool:
    client = app.test_client()
    status = client.get("/api/v1/sets", headers={"Authorization": f"Bearer {token}"}).status_code
    assert status in (200, 401)
    return status == 200


def browser(app, email: str, password: str = PASSWORD):
    """A new client signed in as `email`."""
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def signed_in(client) -> bool:
    return client.get("/history").status_code == 200


def change_password(client, current: str, new: str, confirm: str | None = None):
    token = csrf_from(client.get("/account").get_data(as_text=True))
    data = {"current": current, "password": new, "confirm": confirm or new, "csrf_token": token}
    return client.post("/account", data=data)


def can_sign_in(app, email: str, password: str) -> bool:
    response = app.test_client().post(
        "/api/v1/auth/token", json={"email": email, "password": password}
    )
    assert response.status_code in (200, 401)
    return response.status_code == 200


# -- change password (web) ----------------------------------------------------------------------


def test_the_account_page_is_in_the_menu_and_offers_both_actions(app, factory):
    _, email = factory.user()
    client = browser(app, email)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/account"' in home
    page = client.get("/account").get_data(as_text=True)
    assert "Change password" in page and "Sign out everywhere" in page
    assert 'action="/account/sign-out-everywhere"' in page


def test_changing_the_password_signs_out_other_sessions_and_revokes_tokens(app, factory):
    _, email = factory.user()
    here, elsewhere = browser(app, email), browser(app, email)
    tokens = [bearer(app, email), bearer(app, email)]
    response = change_password(here, PASSWORD, NEW)
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    page = here.get("/account").get_data(as_text=True)
    assert "Your password is changed" in page and "2 API tokens were revoked" in page
    assert signed_in(here)  # this session goes on
    assert not signed_in(elsewhere)
    assert not any(token_works(app, token) for token in tokens)
    assert can_sign_in(app, email, NEW) and not can_sign_in(app, email, PASSWORD)


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("not my password", NEW, None, "current password is not right"),
        (PASSWORD, "short", None, "Use 8 to 1024 characters"),
        (PASSWORD, "Password123", None, "most common passwords"),
        (PASSWORD, "QWERTYUIOP", None, "most common passwords"),
        (PASSWORD, PASSWORD, None, "same as the current one"),
        (PASSWORD, NEW, "something else", "The passwords differ"),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(
    app, factory, current, new, confirm, message
):
    _, email = factory.user()
    client, elsewhere = browser(app, email), browser(app, email)
    token = bearer(app, email)
    response = change_password(client, current, new, confirm)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert signed_in(client) and signed_in(elsewhere) and token_works(app, token)
    assert can_sign_in(app, email, PASSWORD)


def test_guessing_the_current_password_is_slowed_like_signing_in(app, factory):
    _, email = factory.user()
    client = browser(app, email)
    statuses = [change_password(client, f"guess {i}", NEW).status_code for i in range(7)]
    assert statuses == [400] * 5 + [429] * 2
    refused = change_password(client, PASSWORD, NEW)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1


def test_the_account_page_needs_a_signed_in_user(client):
    assert client.get("/account").headers["Location"].startswith("/login")


# -- sign out everywhere ------------------------------------------------------------------------


def test_sign_out_everywhere_ends_every_session_and_revokes_every_token(app, factory):
    _, email = factory.user()
    _, other = factory.user()
    here, elsewhere, bystander = browser(app, email), browser(app, email), browser(app, other)
    tokens = [bearer(app, email), bearer(app, email)]
    kept = bearer(app, other)
    token = csrf_from(here.get("/account").get_data(as_text=True))
    response = here.post("/account/sign-out-everywhere", data={"csrf_token": token})
    assert response.status_code == 302
    assert "2 API tokens were revoked" in here.get("/").get_data(as_text=True)
    assert not signed_in(here) and not signed_in(elsewhere)
    assert not any(token_works(app, t) for t in tokens)
    assert signed_in(bystander) and token_works(app, kept)  # nobody else is touched
    assert can_sign_in(app, email, PASSWORD)  # the password still works


def test_plain_sign_out_ends_this_browser_and_keeps_api_tokens(app, factory):
    """As documented: "Sign out" is for this browser; tokens stop with "Sign out everywhere"."""
    _, email = factory.user()
    here = browser(app, email)
    token = bearer(app, email)
    here.post("/logout", data={"csrf_token": csrf_from(here.get("/").get_data(as_text=True))})
    assert not signed_in(here) and token_works(app, token)


# -- quizapp users set-password ----------------------------------------------------------------


def test_set_password_from_standard_input_revokes_sessions_and_tokens(app, factory):
    _, email = factory.user()
    session = browser(app, email)
    token = bearer(app, email)
    result = app.test_cli_runner().invoke(
        args=["users", "set-password", email.upper(), "--password-stdin"], input=f"{NEW}\n"
    )
    assert result.exit_code == 0, result.output
    assert "1 API token(s) revoked" in result.output and NEW not in result.output
    assert not signed_in(session) and not token_works(app, token)
    assert can_sign_in(app, email, NEW) and not can_sign_in(app, email, PASSWORD)


def test_set_password_prompts_twice_when_not_given_on_standard_input(app, factory):
    _, email = factory.user()
    result = app.test_cli_runner().invoke(
        args=["users", "set-password", email], input=f"{NEW}\n{NEW}\n"
    )
    assert result.exit_code == 0, result.output
    assert can_sign_in(app, email, NEW)


@pytest.mark.parametrize(
    ("who", "password", "words"),
    [
        ("nobody@example.com", NEW, "no account"),
        (None, "iloveyo", "8 characters"),
        (None, "iloveyou2", "most common passwords"),
    ],
)
def test_set_password_refusals_are_one_error_line(app, factory, who, password, words):
    _, email = factory.user()
    result = app.test_cli_runner().invoke(
        args=["users", "set-password", who or email, "--password-stdin"], input=f"{password}\n"
    )
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("quizapp: error: ") and words in lines[0]
    assert can_sign_in(app, email, PASSWORD)


# -- the password rule: length and the common-password list ------------------------------------


def test_common_passwords_are_refused_whatever_their_case(app):
    from quizapp.passwords import common_passwords, password_problem

    listed = common_passwords()
    assert len(listed) > 8000 and all(len(p) >= 8 for p in listed)
    for password in ("password1", "Password1", "PASSWORD1", " qwerty123 ", "Iloveyou!"):
        assert "most common passwords" in (password_problem(password) or ""), password
    assert password_problem("short") == "Use at least 8 characters."
    assert password_problem(PASSWORD) is None and password_problem(NEW) is None


def test_registering_with_a_common_password_says_why(client):
    page = client.get("/register").get_data(as_text=True)
    response = client.post(
        "/register",
        data={
            "csrf_token": csrf_from(page),
            "display_name": "Ada",
            "email": "ada@example.com",
            "password": "baseball1",
            "confirm": "baseball1",
        },
    )
    assert response.status_code == 400
    assert "most common passwords" in response.get_data(as_text=True)


def test_create_user_refuses_a_common_password(app):
    from quizapp.services import Invalid
    from quizapp.services.accounts import create_user

    with app.app_context(), pytest.raises(Invalid, match="most common passwords"):
        create_user("t@example.com", "football", "teacher")


# -- registration does not tell whether an email has an account (row 14) -----------------------


def _register(app, email: str, password: str, name: str = "Ada"):
    client = app.test_client()
    page = client.get("/register").get_data(as_text=True)
    response = client.post(
        "/register",
        data={
            "csrf_token": csrf_from(page),
            "display_name": name,
            "email": email,
            "password": password,
            "confirm": password,
        },
    )
    return response, client.get(response.headers.get("Location", "/login")).get_data(as_text=True)


def _neutral(page: str, email: str) -> str:
    """The page without what differs by design: the email typed, the session's CSRF token."""
    return re.sub(r'value="[^"]{40,}"', 'value="TOKEN"', page.replace(email, "EMAIL"))


def test_registration_answers_the_same_for_a_new_and_a_taken_email(app, factory):
    from quizapp.extensions import db
    from quizapp.models import User

    _, taken = factory.user(name="Owner")
    new_response, new_page = _register(app, "fresh@example.com", NEW)
    taken_response, taken_page = _register(app, taken, NEW, name="Intruder")
    assert new_response.status_code == taken_response.status_code == 302
    assert new_response.headers["Location"] == taken_response.headers["Location"] == "/login"
    assert _neutral(new_page, "fresh@example.com") == _neutral(taken_page, taken)
    assert "already exists" not in taken_page
    # Nothing changed for the existing account; the new one works.
    assert can_sign_in(app, taken, PASSWORD) and not can_sign_in(app, taken, NEW)
    assert can_sign_in(app, "fresh@example.com", NEW)
    with app.app_context():
        owner = db.session.scalar(db.select(User).where(User.email == taken))
        assert owner.display_name == "Owner"
        assert db.session.scalar(db.select(db.func.count(User.id))) == 2


def test_a_guest_quiz_is_claimed_when_signing_in_after_registering(app, client, factory):
    set_id = factory.bank_set()
    page = client.get(f"/sets/{set_id}/quiz").get_data(as_text=True)
    token = csrf_from(page)
    taken = client.post(
        f"/sets/{set_id}/quiz",
        data={
            "csrf_token": token,
            "submission_key": hidden(page, "submission_key"),
            "guest_name": "Guest",
            "confirm_blank": "Submit anyway",
        },
    )
    assert taken.status_code == 303
    register = client.get("/register").get_data(as_text=True)
    client.post(
        "/register",
        data={
            "csrf_token": csrf_from(register),
            "display_name": "Ada",
            "email": "ada@example.com",
            "password": NEW,
            "confirm": NEW,
        },
    )
    login = client.get("/login").get_data(as_text=True)
    assert 'value="ada@example.com"' in login
    client.post(
        "/login",
        data={"csrf_token": csrf_from(login), "email": "ada@example.com", "password": NEW},
    )
    assert "Harbour festival" in client.get("/history").get_data(as_text=True)
