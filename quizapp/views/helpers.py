"""Small pieces several blueprints share: ids and page numbers from requests, file downloads."""

from __future__ import annotations

from flask import Response, abort, current_app, request

from .. import MAX_ID
from ..services import accounts, attempts


# Settings are read from the app's config when a request needs them (services take them as
# arguments and never read the config), so a change to app.config applies at once.
def account_settings() -> accounts.AccountSettings:
    """Password hashing, sign-in limits and API tokens (services.accounts)."""
    return accounts.AccountSettings.from_config(current_app.config)


def submit_limits() -> attempts.SubmitLimits:
    """The limits on quiz submissions and guest attempts (services.attempts)."""
    return attempts.SubmitLimits.from_config(current_app.config)


def quiz_length() -> int:
    """Questions in a set's default quiz (QUIZ_LENGTH)."""
    return current_app.config["QUIZ_LENGTH"]


def id_arg(value: str | None) -> int | None:
    """A database id from a query argument; None when absent, 404 when malformed."""
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_ID:
        abort(404)
    return int(value)


def page_arg(name: str = "page") -> int:
    """The page number a paged list asks for (?page=, or a form field): 1 when missing or not
    a number; the service clamps it to the pages there are."""
    raw = request.values.get(name, "1")
    return int(raw[:6]) if raw.isascii() and raw.isdigit() else 1


def attachment(body: bytes | str, mimetype: str, filename: str) -> Response:
    """A download: the browser saves `body` as `filename` (an ASCII name) instead of showing it."""
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
