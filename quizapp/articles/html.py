"""HTML to plain text: one line per block, plus title, date, URL and licence from the tags."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .headlines import is_site_heading, page_title
from .metadata import clean, first_url, iso_date
from .model import ArticleError

_SKIP = frozenset("script style noscript template nav footer svg iframe canvas".split())
_BLOCKS = frozenset(
    "address article aside blockquote body br caption dd details div dl dt figcaption figure form"
    " h1 h2 h3 h4 h5 h6 header hr li main ol p pre section summary table td th tr ul".split()
)
_DATE_META = (
    "article:published_time datepublished date dc.date dc.date.issued dcterms.date pubdate"
    " publish-date og:published_time <time>".split()
)


class _HTMLText(HTMLParser):
    """Collects block-separated text, the title, the first <h1> and date/URL metadata."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.buffer: list[str] = []
        self.skip = 0
        self.title: list[str] | None = None
        self.h1: list[str] | None = None
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP or self.skip:
            self.skip += tag in _SKIP
            return
        if self.title is not None and tag in _BLOCKS:  # an unclosed <title>
            self.handle_endtag("title")
        attr = {key.lower(): value or "" for key, value in attrs}
        if tag == "meta" and attr.get("content"):
            key = attr.get("property") or attr.get("name") or attr.get("itemprop") or ""
            self.meta.setdefault(key.lower(), attr["content"])
        elif tag == "link" and "canonical" in attr.get("rel", "").lower().split():
            self.meta.setdefault("<canonical>", attr.get("href", ""))
        elif tag == "time" and attr.get("datetime"):
            self.meta.setdefault("<time>", attr["datetime"])
        elif tag == "title" and "<title>" not in self.meta:
            self.title = []
        elif tag == "h1" and "<h1>" not in self.meta:
            self.h1 = []
        if tag in _BLOCKS:
            self._flush(paragraph=tag != "br")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP or self.skip:
            self.skip -= self.skip > 0 and tag in _SKIP
            return
        if tag == "title" and self.title is not None:
            self.meta.setdefault("<title>", "".join(self.title))
            self.title = None
        elif tag == "h1" and self.h1 is not None:
            self.meta.setdefault("<h1>", "".join(self.h1))
            self.h1 = None
        if tag in _BLOCKS and tag != "br":
            self._flush(paragraph=True)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.title is not None:
            self.title.append(data)
            return
        self.buffer.append(data)
        if self.h1 is not None:
            self.h1.append(data)

    def _flush(self, paragraph: bool) -> None:
        line = " ".join("".join(self.buffer).split())
        self.buffer = []
        if line:
            self.lines.append(line)
        if paragraph and self.lines and self.lines[-1]:
            self.lines.append("")


def _defuse(html: str) -> str:
    """Drop comments and escape each "<" that no ">" closes before the next "<".

    html.parser rescans an unterminated tag or comment to the end of the input at every "<",
    which takes hours on a crafted 2 MB upload; after this it runs in linear time.
    """
    parts, pos = [], 0
    while (start := html.find("<!--", pos)) >= 0:
        parts.append(html[pos:start])
        end = html.find("-->", start + 4)
        pos = len(html) if end < 0 else end + 3
    parts.append(html[pos:])
    return re.sub(r"<(?=[^<>]*(?:<|\Z))", "&lt;", "".join(parts))


def from_html(text: str, name: str) -> tuple[str, dict[str, str | None]]:
    parser = _HTMLText()
    try:
        parser.feed(_defuse(text))
        parser.close()
        parser._flush(paragraph=True)
    except Exception as exc:  # html.parser is lenient; this is a last resort for odd input
        raise ArticleError(name, f"cannot parse HTML ({exc})") from None
    found = parser.meta
    meta = {
        "title": _title(found),
        "published": next(filter(None, (iso_date(found.get(k)) for k in _DATE_META)), None),
        "url": first_url(found.get("<canonical>"), found.get("og:url")),
        "licence": clean(found.get("license") or found.get("dcterms.license")),
    }
    return "\n".join(parser.lines).strip("\n"), meta


def _title(found: dict[str, str]) -> str | None:
    """The headline: the first ``<h1>`` unless it is the site's logo, else ``og:title`` or
    ``<title>`` without the site name ("… - Wikinews, the free news source", "… | BBC News")."""
    sites = (clean(found.get("og:site_name")), clean(found.get("application-name")))
    page = clean(found.get("og:title")) or clean(found.get("<title>"))
    h1 = clean(found.get("<h1>"))
    if h1 and not is_site_heading(h1, page, sites):
        return h1
    return page_title(page, sites)
