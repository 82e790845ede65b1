"""The shapes the parser may see: an article made safe to parse, or refused as too complex.

spaCy's cost depends on the text's shape, not only its size (bench/generation_cost.py): a run
of brackets or quotes with no space in it costs time quadratic in its length in the tokenizer
(4,000 `[` take a second, 99,000 take minutes), and the parser's memory grows with the words
and marks it holds at once (`nlp.pipe` batches). So before any parsing:

- a run of more than MAX_MARK_RUN marks (neither letter, digit nor space) keeps its first
  MAX_MARK_RUN and the rest become spaces; a "word" of more than MAX_WORD characters without a
  space gets a space every MAX_WORD characters;
- brackets nested deeper than MAX_NESTING are blanked (with their closing partners);
- a body paragraph is cut into spans of at most MAX_SPAN characters, and a stretch of more than
  MAX_SENTENCE characters without a sentence end is cut at a space, so no sentence is longer;
- an article of more than MAX_TOKENS words and marks is refused (TooComplex);
- spaCy parses at most about BATCH_TOKENS words and marks at once (`batch_size`).

Every change keeps the text's length, so offsets (paragraphs, question spans) stay those of the
article as read. An ordinary article passes unchanged. Pure: standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..articles import Article

MAX_MARK_RUN = 10  # "?!?!", "...", '."' and a "----------" rule stay as written
MAX_WORD = 200  # a long web address stays whole
MAX_NESTING = 5
MAX_SPAN = 10_000  # the generator's own piece size (generator.MAX_PIECE)
MAX_SENTENCE = 3_000  # about 500 words; a question's sentence has at most 90
MAX_TOKENS = 50_000  # a 200 KB news article has about 38,000
BATCH_TOKENS = 10_000
DEFAULT_BATCH = 256  # spaCy's own batch size for the model (nlp.batch_size)

TOO_COMPLEX = "This article is too complex to process: "

_MARKS = re.compile(rf"[^\w\s]{{{MAX_MARK_RUN + 1},}}")
_LONG_WORD = re.compile(rf"\S{{{MAX_WORD + 1},}}")
_BRACKETS = re.compile(r"[()\[\]{}]")
_PARTNER = {")": "(", "]": "[", "}": "{"}
_TOKENS = re.compile(r"\w+|[^\w\s]")
# as the generator cuts pieces: after a sentence end and the spaces after it
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n+")
_SOFT_BREAK = re.compile(r"[,;:—]?\s+")


class TooComplex(ValueError):
    """An article whose shape no generation within the limits can parse; str() says why, for
    the teacher, starting with TOO_COMPLEX."""


@dataclass(frozen=True)
class Bounded:
    """An article safe to parse: `article` (same text length, spans cut), the `batch_size` for
    `nlp.pipe`, its estimated `tokens`, and `changes` (what was done, for logs; empty when the
    article passed unchanged)."""

    article: Article
    batch_size: int
    tokens: int
    changes: tuple[str, ...]


def bound_article(article: Article, max_tokens: int = MAX_TOKENS) -> Bounded:
    """The article made safe to parse (see the module's docstring).

    Raises TooComplex when it has more than `max_tokens` words and marks once made safe.
    """
    text = article.text
    chars = list(text)
    counts = {"marks": 0, "words": 0, "nesting": 0}
    for start, end in article.paragraphs:
        _shorten_runs(text, start, end, chars, counts)
        _flatten_nesting(chars, start, end, counts)
    safe = "".join(chars) if any(counts.values()) else text
    spans: list[tuple[int, int]] = []
    cuts = 0
    for start, end in article.paragraphs:
        pieces = _spans(safe, start, end)
        cuts += len(pieces) - 1
        spans.extend(pieces)
    span_tokens = [len(_TOKENS.findall(safe, a, b)) for a, b in spans]
    tokens = sum(span_tokens)
    if tokens > max_tokens:
        raise TooComplex(
            f"{TOO_COMPLEX}it has about {tokens:,} words and punctuation marks, more than the "
            f"{max_tokens:,} one generation can take. Split it into parts, or paste the part "
            "to ask about."
        )
    batch = min(DEFAULT_BATCH, max(1, BATCH_TOKENS // max(span_tokens, default=1)))
    changes = [
        f"{counts['marks']:,} runs of marks shortened" if counts["marks"] else "",
        f"{counts['words']:,} long words broken" if counts["words"] else "",
        f"{counts['nesting']:,} deeply nested brackets blanked" if counts["nesting"] else "",
        f"paragraphs cut {cuts:,} times" if cuts else "",
    ]
    bounded = article
    if safe is not text or cuts:
        bounded = replace(article, text=safe, paragraphs=tuple(spans))
    return Bounded(bounded, batch, tokens, tuple(c for c in changes if c))


def _shorten_runs(text: str, start: int, end: int, chars: list[str], counts: dict) -> None:
    for m in _MARKS.finditer(text, start, end):
        counts["marks"] += 1
        chars[m.start() + MAX_MARK_RUN : m.end()] = " " * (m.end() - m.start() - MAX_MARK_RUN)
    # words are looked for in the text with its runs of marks already shortened
    shortened = "".join(chars[start:end]) if counts["marks"] else text[start:end]
    for m in _LONG_WORD.finditer(shortened):
        counts["words"] += 1
        for i in range(m.start() + MAX_WORD, m.end(), MAX_WORD + 1):
            chars[start + i] = " "


def _flatten_nesting(chars: list[str], start: int, end: int, counts: dict) -> None:
    """Blank brackets opened at a depth beyond MAX_NESTING, and their partners. Depth counts
    within one paragraph; a closing bracket without its opener is left alone."""
    stack: list[tuple[str, int, bool]] = []  # (bracket, position, blanked)
    segment = "".join(chars[start:end])
    for m in _BRACKETS.finditer(segment):
        bracket, at = m.group(), start + m.start()
        if bracket in "([{":
            deep = len(stack) >= MAX_NESTING
            stack.append((bracket, at, deep))
            if deep:
                chars[at] = " "
                counts["nesting"] += 1
        elif stack and stack[-1][0] == _PARTNER[bracket]:
            _, _, deep = stack.pop()
            if deep:
                chars[at] = " "


def _spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] as spans of at most MAX_SPAN characters (cut as the generator cuts its
    pieces), each cut again wherever MAX_SENTENCE characters pass without a sentence end."""
    pieces = []
    while end - start > MAX_SPAN:
        cut = _cut_point(text, start, start + MAX_SPAN, _SENTENCE_END)
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    spans = []
    for a, b in pieces:
        last = a  # where the current sentence began
        for m in _SENTENCE_END.finditer(text, a, b):
            while m.start() - last > MAX_SENTENCE:
                cut = _cut_point(text, last, last + MAX_SENTENCE, _SOFT_BREAK)
                spans.append((a, cut))
                a = last = cut
            last = m.end()
        while b - last > MAX_SENTENCE:
            cut = _cut_point(text, last, last + MAX_SENTENCE, _SOFT_BREAK)
            spans.append((a, cut))
            a = last = cut
        spans.append((a, b))
    return spans


def _cut_point(text: str, start: int, limit: int, breaks: re.Pattern[str]) -> int:
    """Where to end a span starting at `start` that must end by `limit`: after the last break
    in the window's second half, else after its last space, else at `limit`."""
    half = start + (limit - start) // 2
    cut = 0
    for m in breaks.finditer(text, half, limit):
        cut = m.end()
    if not cut or cut > limit:
        space = text.rfind(" ", half, limit)
        cut = space + 1 if space > 0 else limit
    return cut
