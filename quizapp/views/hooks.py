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


STATIC_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
# Pages carry personal results and CSRF tokens: never from a shared cache.
SECURITY_HEADERS = (*STATIC_HEADERS, ("Cache-Control", "no-store"))


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
        # Each one unless the response set it already: one pass over the headers, not one
        # per header (every response runs this).
        present = {name.lower() for name, _value in headers.items()}
        wanted = SECURITY_HEADERS if request.endpoint != "static" else STATIC_HEADERS
        headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
        return response
