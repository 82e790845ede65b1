"""The question generator: article text in, a ranked bank of questions out.

Pure: spaCy and the standard library, no Flask, no database. The entry points are loaded on
first use, so importing a plain-data module (``quizapp.generation.models``, which the bank
format needs) does not load spaCy: the web app starts without it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_bank", "generate_bank", "generate_banks", "parse_articles", "question_id"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import generator

        return getattr(generator, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
