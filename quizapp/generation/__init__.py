"""The question generator: article text in, a ranked bank of questions out.

Pure: spaCy and the standard library, no Flask, no database.
"""

from .generator import build_bank, generate_bank, generate_banks, parse_articles, question_id

__all__ = ["build_bank", "generate_bank", "generate_banks", "parse_articles", "question_id"]
