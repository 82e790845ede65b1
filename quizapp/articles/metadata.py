"""Metadata values (title, date, URL, licence) from JSON records and HTML tags, tidied."""

from __future__ import annotations

import re

from .datelines import find_dateline

_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def iso_date(value: object) -> str | None:
    """An ISO date from a metadata value ("2019-01-12", "2019-01-12T10:00:00Z", "May 3, 2020")."""
    if not isinstance(value, str):
        return None
    match = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value)
    return find_dateline(match[1] if match else value)


def clean(value: object) -> str | None:
    """A metadata string stripped and made encodable, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    return " ".join(value.split()).encode("utf-8", "replace").decode("utf-8")


def first_url(*values: object) -> str | None:
    """The first value that is an http(s) URL."""
    return next((u for u in map(clean, values) if u and _URL.fullmatch(u)), None)
