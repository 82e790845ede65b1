"""The generator's input, fuzzed beyond plain text (test_generator_robustness.py): odd Unicode,
HTML, Markdown, JSON records, bytes that are not text, and huge inputs. Whatever comes in, the
answer is a valid bank whose spans index the article text, or an ArticleError of one line
naming the input; never another exception (Hypothesis, at least 100 examples per strategy)."""

from __future__ import annotations

import json
import time

import pytest
from helpers import FUZZ_MIN_EXAMPLES, fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from quizapp.articles import MAX_BYTES, ArticleError, parse_article
from quizapp.banks import validate_bank
from quizapp.generation import generate_bank

FUZZ = fuzz_settings()

# --- the check every example goes through --------------------------------------------------------


def generate(data: bytes, name: str, kind: str | None) -> dict | None:
    """The bank of `data` read as `kind`, checked; None when it is refused with a clear error."""
    try:
        article = parse_article(data, name, kind)
    except ArticleError as exc:
        message = str(exc)
        assert len(message.splitlines()) == 1, f"not one line: {message!r}"
        # "<the name, control characters escaped>: <the reason>"
        assert exc.reason.strip() and message.endswith(f": {exc.reason}"), message
        return None
    bank = generate_bank(article).to_dict()
    assert validate_bank(bank) == []
    json.dumps(bank, ensure_ascii=False).encode("utf-8")  # writable as a UTF-8 file
    for question in bank["questions"]:
        start, end = question["source_span"]
        assert article.text[start:end] == question["source_sentence"], question["id"]
    return bank


class Tally:
    """How the examples of one test ended, so a test shows it reached the generator."""

    def __init__(self) -> None:
        self.examples = self.refused = self.questions = 0

    def add(self, bank: dict | None) -> None:
        self.examples += 1
        self.refused += bank is None
        self.questions += len(bank["questions"]) if bank else 0

    def check(self, *, must_generate: bool = True) -> None:
        print(f"\n{self.examples} examples, {self.refused} refused, {self.questions} questions")
        assert self.examples >= FUZZ_MIN_EXAMPLES
        if must_generate:
            assert self.questions > 0, "no example got as far as writing a question"


# --- strategies ----------------------------------------------------------------------------------

SENTENCES = [
    "Mayor Quintessa Vorbeck opened the harbour festival in Zanthorpe on Saturday.",
    "About 4,500 visitors came, and the Glimmerstone Trust paid for the fireworks.",
    "On 3 May 2024, the council said that 12 people had been hurt in Kelmore.",
    "President Amara Okonkwo of Nigeria met 40 ministers in Abuja on Thursday.",
    "The company, founded in 1988, employs more than 6,000 people in Paris.",
]
SENTENCE = st.sampled_from(SENTENCES)
LONG_TITLE = st.text(st.characters(codec="utf-8"), min_size=290, max_size=420)
BIDI = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\ufe0f\u034f"
ODD_CHARS = st.one_of(
    st.sampled_from(BIDI + INVISIBLE + "\x85\u2028\u2029\xa0\u3000\t\x0b\x0c\r"),
    st.characters(categories=["Cc"]),  # control characters, NUL included
    st.characters(categories=["Mn", "Me"]),  # combining marks
    st.characters(categories=["So", "Sk"]),  # emoji and other symbols
    st.sampled_from(["👩\u200d👩\u200d👧", "🇫🇷", "👍🏽", "e\u0301", "ﬁ", "İ", "ß", "ǅ", "٣"]),
    st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF),  # surrogate-escaped bytes
)
ODD_TEXT = st.lists(
    st.one_of(
        SENTENCE, SENTENCE, st.text(max_size=20), st.lists(ODD_CHARS, max_size=6).map("".join)
    ),
    min_size=1,
    max_size=12,
).map(lambda parts: "".join(p if n % 2 else p + " " for n, p in enumerate(parts)))

TAGS = (
    "p div span a b i em strong br hr h1 h2 h3 ul ol li table tr td th blockquote pre code "
    "title meta link time script style noscript template svg iframe nav footer header main "
    "article section figure figcaption img input form textarea select option body html head "
    "P DIV SCRIPT Title x-custom foo:bar"
).split()
ATTRIBUTES = st.lists(
    st.tuples(
        st.sampled_from(
            ["class", "href", "content", "property", "name", "rel", "datetime", "itemprop", "id"]
            + ["onclick", "style", "src", "CONTENT", "x"]
        ),
        st.one_of(
            st.sampled_from(
                ["og:title", "article:published_time", "canonical", "2024-05-03", "og:url"]
                + ["https://example.org/a", "javascript:alert(1)", "dc.date", "license"]
            ),
            st.text(max_size=15),
        ),
        st.sampled_from(['"', "'", ""]),
    ),
    max_size=3,
).map(lambda attrs: "".join(f" {k}={q}{v}{q}" for k, v, q in attrs))
ENTITIES = st.sampled_from(
    ["&amp;", "&lt;", "&gt;", "&nbsp;", "&#x1F600;", "&#0;", "&#xD800;", "&#99999999;", "&#65"]
    + ["&foo;", "&", "&amp", "&#x;", "&#-1;", "&eacute;", "&NotANamedEntity;", "&#x110000;"]
)
HTML_PIECE = st.one_of(
    SENTENCE,
    SENTENCE,
    st.text(max_size=20),
    ENTITIES,
    st.tuples(st.sampled_from(TAGS), ATTRIBUTES, st.booleans()).map(
        lambda t: f"<{t[0]}{t[1]}{' /' if t[2] else ''}>"
    ),
    st.sampled_from(TAGS).map(lambda tag: f"</{tag}>"),
    st.sampled_from(
        ["<!--", "-->", "<!-- c -->", "<![CDATA[x]]>", "<!DOCTYPE html>", "<?php x ?>", "<", ">"]
        + ["<script>if (a < b) { x = '</p>'; }</script>", "<style>p{}</style>", "</", "<p"]
        + ['<meta property="article:published_time" content="2021-02-03T10:00:00Z">']
        + ['<time datetime="July 4, 2019">', "<title>A & B</title>", "<h1>Head</h1>"]
    ),
    st.tuples(st.sampled_from(["title", "h1"]), LONG_TITLE).map(
        lambda t: f"<{t[0]}>{t[1]}</{t[0]}>"
    ),
)
HTML = st.lists(HTML_PIECE, min_size=1, max_size=40).map("".join)
DEEP_HTML = st.tuples(st.sampled_from(TAGS), st.integers(1, 3000), SENTENCE).map(
    lambda t: f"<{t[0]}>" * t[1] + t[2] + f"</{t[0]}>" * (t[1] // 2)
)

MD_LINE = st.one_of(
    SENTENCE,
    LONG_TITLE.map(lambda title: "# " + title),
    st.tuples(
        st.sampled_from(
            ["", "# ", "## ", "###### ", "####### ", "> ", "> > ", "- ", "* ", "+ ", "1. ", "2) "]
            + ["- [ ] ", "- [x] ", "    ", "\t", "| ", "#"]
        ),
        st.lists(
            st.one_of(
                SENTENCE,
                st.text(max_size=12),
                st.sampled_from(
                    ["*", "**", "_", "__", "~~", "`", "``", "\\*", "\\", "[", "]", "(", ")", "!["]
                    + ["[link](http://x.org)", "![img](a.png)", "<https://x.org>", "[ref][1]"]
                    + ["*emphasis*", "**strong**", "`code`", "_under_", "~~gone~~", "<b>", "#"]
                ),
            ),
            max_size=6,
        ).map(" ".join),
    ).map("".join),
    st.sampled_from(
        ["```", "~~~", "```python", "===", "---", "***", "___", "[1]: http://x.org", "<!-- c -->"]
        + ["", "    code block", "|a|b|", "|-|-|", "Title\n=====", "Sub\n---"]
    ),
)
MARKDOWN = st.lists(MD_LINE, min_size=1, max_size=15).map("\n".join)

JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)
METADATA = {
    "title": st.one_of(st.text(max_size=30), LONG_TITLE, JSON_VALUE),
    "published": st.one_of(
        st.sampled_from(["2024-05-03", "May 3, 2020", "3000-99-99"]), JSON_VALUE
    ),
    "source": st.one_of(st.sampled_from(["https://example.org/a", "ftp://x"]), JSON_VALUE),
    "url": JSON_VALUE,
    "licence": JSON_VALUE,
    "license": JSON_VALUE,
}
RECORD = st.one_of(
    st.fixed_dictionaries({"text": ODD_TEXT}, optional=METADATA),
    st.fixed_dictionaries({"text": ODD_TEXT}, optional=METADATA),
    st.fixed_dictionaries({}, optional={"text": JSON_VALUE, **METADATA}),
    JSON_VALUE,
)
NAMES = st.one_of(
    st.sampled_from(["fuzz.txt", "a.md", "page.html", "record.json", "-", "<stdin>"]),
    st.text(min_size=1, max_size=20),  # control characters and line breaks in a file name too
)


def _encode(text: str) -> bytes:
    """UTF-8, with surrogate-escaped bytes (U+DC80..U+DCFF) turned back into the raw bytes."""
    return text.encode("utf-8", "surrogateescape")


# --- properties ----------------------------------------------------------------------------------


def test_odd_unicode_in_any_format():
    tally = Tally()

    @FUZZ
    @given(text=ODD_TEXT, kind=st.sampled_from(["txt", "md", "html"]))
    def run(text, kind):
        tally.add(generate(_encode(text), f"odd.{kind}", kind))

    run()
    tally.check()


def test_html_tags_entities_and_broken_nesting():
    tally = Tally()

    @FUZZ
    @given(html=st.one_of(HTML, HTML, HTML, DEEP_HTML))
    def run(html):
        tally.add(generate(html.encode("utf-8", "surrogatepass"), "x.html", "html"))

    run()
    tally.check()


def test_markdown_markup_of_every_kind():
    tally = Tally()

    @FUZZ
    @given(markdown=MARKDOWN)
    def run(markdown):
        tally.add(generate(markdown.encode("utf-8", "surrogatepass"), "x.md", "md"))

    run()
    tally.check()


def test_json_records_with_keys_of_any_type():
    tally = Tally()

    @FUZZ
    @given(record=RECORD, pretty=st.booleans())
    def run(record, pretty):
        text = json.dumps(record, indent=2 if pretty else None)
        tally.add(generate(text.encode("utf-8"), "record.json", "json"))

    run()
    tally.check()


def test_random_bytes_under_any_name_and_kind():
    """Bytes may happen to be text (then a bank) or not (then a clear error)."""
    tally = Tally()

    @FUZZ
    @given(data=st.binary(min_size=1, max_size=2000), name=NAMES, kind=st.sampled_from(
        [None, "txt", "md", "html", "json"]))  # fmt: skip
    def run(data, name, kind):
        tally.add(generate(data, name, kind))

    run()
    tally.check(must_generate=False)


def test_spans_leave_out_the_spaces_after_a_sentence():
    """Found by the Markdown fuzz: two spaces between sentences (in any format) made a span
    end two characters after its source sentence."""
    sentence = SENTENCES[0]
    for kind in ("txt", "md"):
        bank = generate(f"{sentence}  {SENTENCES[3]}".encode(), f"two-spaces.{kind}", kind)
        assert bank is not None and bank["questions"]


def test_a_long_title_is_shortened_to_fit_the_bank():
    """Found by the Markdown fuzz: a title over the bank's 300 characters (a Markdown heading,
    an HTML <h1> or <title>, a JSON record's "title") made an invalid bank, which `quizapp
    generate` wrote anyway and the web form refused as "not a valid question bank"."""
    title, body = "Long " * 70, " ".join(SENTENCES[:2])
    for kind, text in (
        ("md", f"# {title}\n\n{body}"),
        ("html", f"<title>{title}</title><h1>{title}</h1><p>{body}</p>"),
        ("json", json.dumps({"title": title, "text": body})),
    ):
        bank = generate(text.encode(), f"long-title.{kind}", kind)
        # a headline too long for a bank gives way to a title made from the lead, never cut
        assert bank is not None and 0 < len(bank["title"]) <= 300, kind
        assert not bank["title"].endswith("…") and "Long Long" not in bank["title"], kind


BINARY_MARKS = [b"\x00", b"\xff", b"\xfe", b"\xc0\x80", b"\xed\xa0\x80", b"\x80", b"\xf8\x88"]


def test_binary_data_is_a_clear_error():
    """A NUL byte or a byte sequence UTF-8 never has: always an ArticleError, of one line."""
    tally = Tally()

    @FUZZ
    @given(
        before=st.binary(max_size=1000),
        mark=st.sampled_from(BINARY_MARKS),
        after=st.binary(max_size=1000),
        name=NAMES,
        kind=st.sampled_from([None, "txt", "md", "html", "json"]),
    )
    def run(before, mark, after, name, kind):
        # A space before the mark: a lead byte at the end of `before` would make "\x80" valid
        # UTF-8 ("\xc2\x80" is U+0080), and the input a text after all.
        assert generate(before + b" " + mark + after, name, kind) is None, "read as an article"
        tally.add(None)

    run()
    tally.check(must_generate=False)


# --- huge inputs ---------------------------------------------------------------------------------

PARAGRAPH = " ".join(SENTENCES) + " "


def _huge(case: str) -> tuple[bytes, str]:
    """Big inputs near and over the article size limit (MAX_BYTES), built on demand."""
    if case == "one 1.1 MB paragraph":
        # Over spaCy's 1,000,000-character limit for one Doc; long words keep the parse short.
        filler = ("Pneumonoultramicroscopicsilicovolcanoconiosis " * 19 + "ended. ") * 1_300
        return (PARAGRAPH + filler).encode(), "txt"
    if case == "20,000 one-word lines":
        return b"word\n" * 20_000, "txt"
    if case == "a single 500 KB word":
        return b"x" * 500_000, "txt"
    if case == "1 byte over the limit":
        return b"a " * (MAX_BYTES // 2) + b"a", "txt"
    if case == "HTML nested 300,000 deep":
        return b"<div>" * 300_000 + PARAGRAPH.encode(), "html"
    if case == "1.2 MB of Markdown markup":
        # reference definitions, rules, comments and images: markup that leaves no text
        block = "[r]: http://x.org\n***\n<!-- c -->\n" + "![i *a* _b_ `c`](a.png)" * 40 + "\n"
        return (block * (1_200_000 // len(block)) + PARAGRAPH).encode(), "md"
    if case == "JSON nested 1,000,000 deep":
        return b"[" * 1_000_000, "json"
    raise AssertionError(case)


HUGE = [
    "one 1.1 MB paragraph",
    "20,000 one-word lines",
    "a single 500 KB word",
    "1 byte over the limit",
    "HTML nested 300,000 deep",
    "1.2 MB of Markdown markup",
    "JSON nested 1,000,000 deep",
]


@pytest.mark.parametrize("case", HUGE)
def test_huge_input_gives_a_bank_or_a_clear_error(case):
    data, kind = _huge(case)
    started = time.perf_counter()
    bank = generate(data, f"huge.{kind}", kind)
    took = time.perf_counter() - started  # reported, not asserted (speed belongs in bench/)
    outcome = "refused" if bank is None else f"{len(bank['questions'])} questions"
    print(f"\n{case}: {len(data):,} bytes, {outcome}, {took:.1f} s")


@FUZZ
@given(
    text=st.text(alphabet=st.sampled_from('ab. !?\n"”'), max_size=3000),
    limit=st.integers(min_value=2, max_value=400),
)
def test_long_paragraphs_are_cut_into_pieces_that_cover_them(text, limit):
    from quizapp.generation.generator import _pieces

    pieces = list(_pieces(text, 0, len(text), limit))
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:], strict=False))
    assert all(0 < end - start <= limit for start, end in pieces) or text == ""
