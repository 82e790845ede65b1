"""A ``.json`` record with a ``text`` key (the ``shared/corpus/wikinews`` format) to text."""

from __future__ import annotations

import json

from .metadata import clean, first_url, iso_date
from .model import ArticleError


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "true/false"}
    return "null" if value is None else names.get(type(value), "a number")


def from_json(text: str, name: str) -> tuple[str, dict[str, str | None]]:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleError(
            name, f"invalid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except ValueError:  # int() refusing a huge number
        raise ArticleError(name, "invalid JSON (a number is too long)") from None
    except RecursionError:
        raise ArticleError(name, "invalid JSON (nested too deeply)") from None
    if not isinstance(record, dict):
        raise ArticleError(name, f'JSON is {_json_type(record)}, not an object with a "text" key')
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        what = "empty" if isinstance(body, str) else _json_type(body) if "text" in record else ""
        reason = f'"text" is {what}' if what else 'no "text" key'
        raise ArticleError(name, f'JSON record needs a non-empty string "text" ({reason})')
    try:
        body.encode("utf-8")
    except UnicodeEncodeError:
        raise ArticleError(name, 'JSON "text" is not valid Unicode (lone surrogate)') from None
    meta = {key: clean(record.get(key)) for key in ("title", "licence", "license")}
    meta["licence"] = meta["licence"] or meta.pop("license")
    meta["published"] = iso_date(record.get("published"))
    meta["url"] = first_url(record.get("source"), record.get("url"))
    return body.replace("\r\n", "\n").replace("\r", "\n"), meta
