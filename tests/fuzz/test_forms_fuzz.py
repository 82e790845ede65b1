"""Every form answers random input with a page, never a 5xx (Hypothesis)."""

from __future__ import annotations

import pytest
from helpers import csrf_from, hidden
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=400, max_size=700),
    st.sampled_from(["", " ", "0", "-1", "1e999", "NaN", "<script>alert(1)</script>", "\x00"]),
)
FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _form(fields: list[str]):
    names = st.one_of(st.sampled_from(fields), st.text(min_size=1, max_size=12))
    return st.dictionaries(names, TEXT, max_size=len(fields) + 2)


@pytest.fixture
def signed_in(client, factory, auth):
    set_id = factory.bank_set()
    _, email = factory.user()
    auth.login(email)
    return set_id


def _post(client, path: str, data: dict, token: str | None):
    if token is not None:
        data = {**data, "csrf_token": token}
    response = client.post(path, data=data)
    assert response.status_code < 500, (path, data)
    assert "Traceback" not in response.get_data(as_text=True)
    return response


@FUZZ
@given(data=_form(["guest_name", "submission_key", "retry", "q1", "q2", "q3", "q4"]))
def test_quiz_form_never_500(client, signed_in, data):
    page = client.get(f"/sets/{signed_in}/quiz").get_data(as_text=True)
    _post(client, f"/sets/{signed_in}/quiz", data, csrf_from(page))


@FUZZ
@given(data=_form(["guest_name", "submission_key", "q1", "q2", "q3", "q4"]))
def test_guest_quiz_form_never_500(client, factory, data):
    set_id = factory.bank_set()
    page = client.get(f"/sets/{set_id}/quiz").get_data(as_text=True)
    _post(client, f"/sets/{set_id}/quiz", data, csrf_from(page))


@FUZZ
@given(data=_form(["email", "password"]), with_token=st.booleans())
def test_login_form_never_500(client, data, with_token):
    token = csrf_from(client.get("/login").get_data(as_text=True)) if with_token else None
    _post(client, "/login", data, token)


@FUZZ
@given(data=_form(["display_name", "email", "password", "confirm"]))
def test_register_form_never_500(client, data):
    token = csrf_from(client.get("/register").get_data(as_text=True))
    _post(client, "/register", data, token)


@FUZZ
@given(data=_form(["guest_name", "submission_key"]), answer=_form(["answer", "question_id"]))
def test_practice_forms_never_500(client, signed_in, data, answer):
    page = client.get(f"/sets/{signed_in}").get_data(as_text=True)
    start = _post(client, f"/sets/{signed_in}/practice", data, csrf_from(page))
    if start.status_code in (302, 303) and "/practice/" in start.headers["Location"]:
        url = start.headers["Location"]
        html = client.get(url, follow_redirects=True).get_data(as_text=True)
        if 'name="question_id"' in html:
            answer = {"question_id": hidden(html, "question_id"), **answer}
            _post(client, url, answer, csrf_from(html))
        _post(client, url + "/finish", {}, csrf_from(html))


def test_nul_bytes_never_reach_the_database(client, signed_in, auth):
    """PostgreSQL refuses NUL in text: every way one can arrive gets a page, not a 500."""
    set_id = signed_in
    page = client.get(f"/sets/{set_id}/quiz").get_data(as_text=True)
    key_post = _post(
        client,
        f"/sets/{set_id}/quiz",
        {"submission_key": "ab\x00cd", "confirm_blank": "1", "q1": "x\x00y"},
        csrf_from(page),
    )
    assert key_post.status_code == 303
    assert client.get("/?q=Harbour%00").status_code == 200
    auth.logout()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    _post(client, "/login", {"email": "pupil\x00@example.com", "password": "x" * 10}, token)
    response = client.post(
        "/api/v1/auth/token", json={"email": "a\x00@example.com", "password": "p\x00"}
    )
    assert response.status_code == 401
    token = csrf_from(client.get("/register").get_data(as_text=True))
    fields = {"display_name": "N\x00ul", "email": "n\x00ul@example.com"}
    registered = _post(
        client,
        "/register",
        {**fields, "password": "x" * 10 + "y", "confirm": "x" * 10 + "y"},
        token,
    )
    assert registered.status_code == 302  # stored without the NUL
