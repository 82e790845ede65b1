"""The session cookie: Flask's signed cookie, re-signed less often.

Flask re-signs a permanent session's cookie on every response (SESSION_REFRESH_EACH_REQUEST), so
that it expires PERMANENT_SESSION_LIFETIME after the last request. Serialising, compressing and
signing it again cost every signed-in page and form post about as much as a small SQL statement
(bench/load.py). Here an unchanged session's cookie is re-signed only once it is REFRESH_AFTER
old: it still expires PERMANENT_SESSION_LIFETIME after the last request, give or take that much.
A changed session is saved at once, as before.
"""

from __future__ import annotations

import time

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

REFRESH_AFTER = 3600  # seconds


class Session(SecureCookieSession):
    """A session that knows when its cookie was signed (None: no cookie, or a bad one)."""

    signed_at: float | None = None


class RefreshingSessionInterface(SecureCookieSessionInterface):
    session_class = Session

    def open_session(self, app: Flask, request: Request) -> Session | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed.timestamp()
        return session

    def should_set_cookie(self, app: Flask, session) -> bool:
        if not super().should_set_cookie(app, session):
            return False
        if session.modified:
            return True
        signed = getattr(session, "signed_at", None)
        return signed is None or time.time() - signed >= REFRESH_AFTER
