"""Read an article from anything a teacher has into plain text plus metadata.

Inputs: a ``.txt``, ``.md`` or ``.html``/``.htm`` file, a ``.json`` record with a ``text`` key
(the ``shared/corpus/wikinews`` format), or standard input (``-``).  Input that cannot be read as
an article raises :class:`ArticleError`, whose message is one line naming the input and the reason.

Modules: :mod:`.model` (the Article type and its error), :mod:`.reading` (bytes to text and the
entry points), :mod:`.datelines` (datelines, hashtags and body paragraphs), :mod:`.headlines`
(a first line that is a headline, page titles without the site name), :mod:`.metadata`
(tidying metadata values), and one per markup: :mod:`.json_record`, :mod:`.markdown`,
:mod:`.html`.
"""

from __future__ import annotations

from .datelines import find_dateline
from .model import Article, ArticleError
from .reading import KINDS, MAX_BYTES, STDIN_NAME, parse_article, read_article

__all__ = [
    "KINDS",
    "MAX_BYTES",
    "STDIN_NAME",
    "Article",
    "ArticleError",
    "find_dateline",
    "parse_article",
    "read_article",
]
