"""Small pieces several blueprints share: ids from query strings, file downloads."""

from __future__ import annotations

from flask import Response, abort

from .. import MAX_ID


def id_arg(value: str | None) -> int | None:
    """A database id from a query argument; None when absent, 404 when malformed."""
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_ID:
        abort(404)
    return int(value)


def attachment(body: bytes | str, mimetype: str, filename: str) -> Response:
    """A download: the browser saves `body` as `filename` (an ASCII name) instead of showing it."""
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
