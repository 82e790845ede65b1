"""Headlines: a first line that reads as one, and page titles without their site name."""

from __future__ import annotations

import re

from .datelines import find_dateline

MAX_HEADLINE_WORDS = 15

# A wrapped line of a paragraph ends on one of these; a headline never does.
_OPEN_ENDINGS = frozenset(
    "a an the and or but nor of to in on at by for from with as into onto than that which who"
    " whose whom is are was were be been has have had will would can could should may might must"
    " his her its their our your my this these those said says".split()
)
_DANGLING = frozenset("a an the and or but nor of".split())
# Words a title-case headline leaves in lower case.
_MINOR_WORDS = frozenset(
    "a an the and or but nor of to in on at by for from with as into onto up via vs v over off per"
    " after before amid says".split()
)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\Z")
# A last word that is an abbreviation: its full stop ends no sentence.
_ABBREVIATED_END = re.compile(r"(?:\b(?:[A-Z]\.){2,}|\b(?:Inc|Co|Corp|Ltd|Jr|Sr|Bros|St)\.)\Z")
_LIST_MARK = re.compile(r"(?:[-*+•·>|]|\d{1,3}[.)])(?:\s|\Z)")
_BYLINE = re.compile(r"(?:by|from|posted by|written by|photo:?|image:?)\s", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+(?:[|\-–—·•»]|::)\s+")
MAX_SITE_WORDS = 6
_SITE_WORDS = re.compile(
    r"\b(?:news|wiki\w*|times|post|daily|herald|tribune|journal|gazette|online|tv|radio"
    r"|magazine|the free)\b|\.(?:com|org|net|co|uk|au|in)\b",
    re.IGNORECASE,
)


def _words(line: str) -> list[str]:
    return [w.strip("\"'“”‘’()[],;:!?") for w in line.split()]


def _title_case(words: list[str]) -> bool:
    """Most words capitalised, as in "Hurricane Dorian Leaves Trail of Destruction"."""
    major = [w for w in words if w and w.lower() not in _MINOR_WORDS]
    capital = [w for w in major if w[0].isupper() or w[0].isdigit()]
    return len(major) >= 2 and len(capital) * 4 >= len(major) * 3


def is_headline(line: str, following: str | None, blank_after: bool) -> bool:
    """Whether ``line``, the first line of a text, is its headline rather than body text.

    ``following`` is the first line of body text after it (None when there is none) and
    ``blank_after`` says whether an empty line or a dateline separates them.  A headline is
    short (at most 15 words), starts with a capital or digit, does not end like a sentence
    (".", ",", ";", ":") or mid-phrase ("of", "the"), is not a dateline, list item or byline,
    and is followed by body text: a line that is not its continuation (not starting in lower
    case) and that is set apart by an empty line or is a whole paragraph half as long again.
    A sentence-case line must also be shorter than the line after it; a single word must be
    named again in it ("Montana").
    """
    text = line.strip()
    words = _words(text)
    nxt = (following or "").strip()
    if not nxt or not 1 <= len(words) <= MAX_HEADLINE_WORDS:
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "\"'“‘"):
        return False
    if (text[-1] in ".,;:-–—" or text.endswith("...")) and not (
        _ABBREVIATED_END.search(text) and _title_case(words)
    ):
        return False  # ("Luton Town F.C.", "Apple Inc.": the full stop is the abbreviation's)
    # A wrapped line ends mid-phrase; after an empty line only a dangling article or conjunction
    # counts, so "Living fossil moves in" stays a headline.
    last = words[-1].lower()
    if last in (_DANGLING if blank_after else _OPEN_ENDINGS):
        return False
    if _LIST_MARK.match(text) or _BYLINE.match(text) or find_dateline(text):
        return False
    if text.startswith("#") or "http://" in text or "https://" in text:
        return False
    if nxt[0].islower() or nxt[0] in ",;:)]}":
        return False  # the line goes on: a wrapped paragraph, not a headline
    ends = bool(_SENTENCE_END.search(nxt))
    # Straight after it, without an empty line, must come a whole paragraph on one line, much
    # longer than it: the next line of a hard-wrapped paragraph is about as long as the first.
    if not blank_after and not (ends and 2 * len(nxt) >= 3 * len(text)):
        return False
    if len(words) == 1:
        return bool(words[0]) and words[0].casefold() in nxt.casefold()
    if _title_case(words):
        return True
    return len(_words(nxt)) > len(words) or ends


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def page_title(title: str | None, site_names: tuple[str | None, ...] = ()) -> str | None:
    """A page ``<title>`` without the site name around it.

    "Armenia and Azerbaijan hold talks - Wikinews, the free news source" and
    "BBC News | Armenia and Azerbaijan hold talks" give the headline.  A part is dropped when it
    is a known ``site_names`` entry, or when it is short (at most six words) and no longer than
    what is left (shorter, for a leading part); only the outermost parts are tried.
    """
    if not title:
        return title
    known = [s for s in site_names if s]
    parts = _SEPARATORS.split(title)
    seps = _SEPARATORS.findall(title)

    def removable(part: str, rest: list[str], trailing: bool) -> bool:
        if any(_same(part, site) for site in known) or _SITE_WORDS.search(part):
            return len(part.split()) <= MAX_SITE_WORDS
        words, rest_words = len(part.split()), sum(len(p.split()) for p in rest)
        # a site name usually trails ("Story - Wikinews, the free news source"), so a trailing
        # part as long as the rest still goes; a leading one must be shorter
        return words <= MAX_SITE_WORDS and (words <= rest_words if trailing else words < rest_words)

    changed = True
    while changed and len(parts) > 1:
        changed = False
        if removable(parts[-1], parts[:-1], True):
            parts, seps, changed = parts[:-1], seps[:-1], True
        elif (
            len(parts) > 1
            and seps[0].strip() != "-"  # "Site - Story" is rare, "Brexit - MPs vote" is not
            and removable(parts[0], parts[1:], False)
        ):
            parts, seps, changed = parts[1:], seps[1:], True
    out = parts[0] + "".join(s + p for s, p in zip(seps, parts[1:], strict=True))
    return out.strip() or title


def is_site_heading(h1: str, title: str | None, site_names: tuple[str | None, ...] = ()) -> bool:
    """Whether an ``<h1>`` is the site's name (a logo heading) rather than the story's headline:
    a known site name, or the part of the page title that :func:`page_title` drops."""
    if any(site and _same(h1, site) for site in site_names):
        return True
    if not title:
        return False
    kept = page_title(title, site_names) or ""
    parts = _SEPARATORS.split(title)
    return (
        len(parts) > 1 and any(_same(h1, p) for p in parts) and h1.casefold() not in kept.casefold()
    )


Spans = tuple[tuple[int, int], ...]
TITLE_SEARCH = 3  # how many leading paragraphs may hold a known title (after a site banner)


def take_headline(
    text: str, paragraphs: Spans, title: str | None
) -> tuple[Spans, str | None, str | None]:
    """The body paragraphs without the headline, the title, and the date of a dateline that
    follows the headline.

    With a known ``title`` (HTML, Markdown, JSON metadata), the paragraph that repeats it among
    the first three is dropped.  Without one, a first paragraph that :func:`is_headline` accepts
    becomes the title and is dropped.  Either way datelines right after the headline are dropped
    too, and the body always keeps at least one paragraph.
    """
    lines = [text[s:e] for s, e in paragraphs]
    at = None
    if title:
        at = next((i for i, line in enumerate(lines[:TITLE_SEARCH]) if _same(line, title)), None)
    elif len(lines) > 1:
        body = next((i for i in range(1, len(lines)) if not find_dateline(lines[i])), 0)
        blank = body > 1 or text[paragraphs[0][1] : paragraphs[1][0]].count("\n") >= 2
        if body and is_headline(lines[0], lines[body], blank):
            at, title = 0, lines[0]
    if at is None:
        return paragraphs, title, None
    rest = at + 1
    date = None
    while rest < len(lines) - 1 and (found := find_dateline(lines[rest])):
        date, rest = date or found, rest + 1
    kept = paragraphs[:at] + paragraphs[rest:]
    return (kept, title, date) if kept else (paragraphs, title, None)
