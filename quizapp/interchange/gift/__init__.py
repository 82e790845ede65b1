"""Moodle GIFT: write a bank as GIFT, read GIFT files (ours and teachers' Moodle exports).

Export, one block per question (Moodle's syntax; https://docs.moodle.org/en/GIFT_format)::

    // quizapp: {"category": "who", "format": "short_answer", "source_sentence": "…", …}
    ::q-mayor00001::[plain]Who opened the festival on Saturday?{
        =Quintessa Vorbeck
        =Vorbeck
        ####Mayor Quintessa Vorbeck opened it.
    }

The question id is the ``::title::``; texts are ``[plain]`` (shown as typed, never as HTML) with
``\\ ~ = # { } :`` escaped by a backslash and newlines written as ``\\n``. Multiple choice is
``{=right ~wrong …}``, short answer and cloze ``{=answer =accepted …}`` (a cloze keeps its
``_____`` in the text), numeric ``{#value:tolerance}``; the explanation is the general feedback
``####…``. What GIFT has no field for (category, format, source sentence and span, score,
updated_at; a numeric question's answer text, unit and accepted answers; a multiple-choice
question's accepted answers) rides in the ``// quizapp:`` JSON comment above the question,
which Moodle ignores and :func:`parse_gift` reads back. A ``// quizapp-bank:`` comment at the
top carries the bank's source and generator.

Import follows Moodle's own parser (question/format/gift/format.php): blank lines separate
questions, ``//`` lines are comments, ``$CATEGORY:`` is ignored, ``::title::`` becomes the id
when it looks like one (letters, digits, ``_ . -``, at most 64), ``[html]`` / ``[moodle]`` /
``[plain]`` / ``[markdown]`` markers are removed (HTML is turned into plain text), per-answer
feedback ``#…`` is dropped and only 100% answers are right. Conversions, each with a warning:
true/false → short answer "True"/"False" (quizapp's multiple choice needs four choices), as is
multiple choice with fewer than four distinct choices or with more than one 100% choice (every
100% choice becomes an accepted answer). Skipped, with a warning: matching, essay, description
and multiple-answer questions (no single 100% choice). Syntax errors raise InterchangeError.
"""

from .pieces import html_to_text
from .reader import parse_gift
from .syntax import BANK_PREFIX, GAP, META_PREFIX, escape, unescape
from .writer import dumps_gift

__all__ = [
    "BANK_PREFIX",
    "GAP",
    "META_PREFIX",
    "dumps_gift",
    "escape",
    "html_to_text",
    "parse_gift",
    "unescape",
]
