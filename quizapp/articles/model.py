"""The article as read, and the error for input that cannot be read as one."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any


class ArticleError(ValueError):
    """Input that cannot be read as an article; str() is one clear line naming the input and the
    reason.  Attributes: ``name`` (the file name or ``"<stdin>"``) and ``reason``."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        line = re.sub(r"[\x00-\x1f\x7f\x85\u2028\u2029]", lambda m: ascii(m[0])[1:-1], name)
        super().__init__(f"{line}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.name, self.reason))


@dataclass(frozen=True)
class Article:
    """An article as read: its text, where body paragraphs are in it, and metadata."""

    text: str  # the article text as read (.html/.md: the extracted plain text); offsets refer here
    name: str  # file name as given, or "<stdin>"
    title: str | None
    published: str | None  # ISO date "YYYY-MM-DD"
    url: str | None
    licence: str | None
    paragraphs: tuple[tuple[int, int], ...]  # (start, end) offsets of the body paragraphs in text

    @property
    def sha256(self) -> str:
        """Hex SHA-256 digest of the text as read, UTF-8 encoded."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()
