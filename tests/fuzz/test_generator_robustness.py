"""The generator never crashes and always writes a valid bank, whatever text it is given."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.articles import ArticleError, parse_article
from quizapp.banks import validate_bank
from quizapp.generation import generate_bank

WORDS = st.sampled_from(
    "the a of in on at to President Mr. Azerbaijan Baku Paris 2020 1988 six 40,000 "
    "40 thousand at least more than people were killed said he she it they who which "
    "Thursday July 1, 2020 % percent $ million ( ) , . ; : “ ” ' - — #tag \n".split(" ")
)
SENTENCES = st.lists(WORDS, min_size=1, max_size=60).map(" ".join)
TEXT = st.one_of(
    st.text(min_size=1, max_size=400),
    SENTENCES,
    st.lists(SENTENCES, min_size=1, max_size=6).map("\n\n".join),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_gives_a_valid_bank_or_a_clear_error(text: str):
    try:
        article = parse_article(text.encode("utf-8", "surrogatepass"), "fuzz.txt", "txt")
    except ArticleError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("fuzz.txt: ")
        return
    bank = generate_bank(article).to_dict()
    assert validate_bank(bank) == []
    for q in bank["questions"]:
        start, end = q["source_span"]
        assert article.text[start:end] == q["source_sentence"]
