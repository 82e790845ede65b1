"""Response headers every page gets (reliability.md, security rows)."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, abort, request
from markupsafe import Markup

from ..vocabulary import CATEGORY_LABELS, FORMAT_LABELS

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def when(moment: datetime | None, year: bool = True) -> Markup:
    """A <time> element in UTC ("27 Nov 2026, 21:59 UTC"); app.js shows it in local time."""
    if moment is None:
        return Markup("")
    text = moment.strftime("%d %b %Y, %H:%M UTC" if year else "%d %b, %H:%M UTC")
    return Markup('<time datetime="{}" data-local>{}</time>').format(moment.isoformat(), text)


def register(app: Flask) -> None:
    app.jinja_env.filters["when"] = when
    # Globals, so imported macros see them too: the question vocabulary's labels.
    app.jinja_env.globals.update(format_labels=FORMAT_LABELS, category_labels=CATEGORY_LABELS)

    @app.before_request
    def no_nul_in_paths():
        # No route takes a NUL in its path; PostgreSQL refuses one in a query (a 500 before).
        if "\x00" in request.path:
            abort(404)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.endpoint != "static":
            # Pages carry personal results and CSRF tokens: never from a shared cache.
            headers.setdefault("Cache-Control", "no-store")
        return response
