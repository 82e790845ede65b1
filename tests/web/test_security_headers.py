"""Security headers on every kind of response (error pages included) and the session cookie's
flags."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "path",
    ["/", "/login", "/sets/1", "/sets/1/quiz", "/nowhere", "/api/v1/sets", "/api/v1/sets/999"],
)
def test_security_headers_on_every_kind_of_response(client, factory, path):
    factory.bank_set()
    response = client.get(path)
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp or "frame-ancestors 'self'" in csp
    assert "script-src 'self'" in csp
    assert response.headers.get("X-Content-Type-Options") == "nosniff"


def test_error_pages_carry_security_headers(client):
    for response in (client.delete("/"), client.post("/api/v1/auth/token", data="x")):
        assert response.status_code in (400, 405)
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_httponly_and_samesite_lax(client, factory, auth):
    _, email = factory.user()
    response = auth.login(email)
    assert response.status_code == 302
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies
    for cookie in cookies:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
