"""The generator's quality bars (issue 2, generator.md), measured on the development corpus.

These are regression guards on measured figures: coverage of the gold facts, coverage within
the default quiz (first 20), the share of real wh-questions, defects and duplicates.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.articles import parse_article
from quizapp.evaluation import evaluate_dir
from quizapp.generation import generate_bank


def _generate(gold) -> dict:
    record = {"text": gold.text, "title": gold.title, "published": gold.published}
    data = json.dumps(record, ensure_ascii=False).encode("utf-8")
    return generate_bank(parse_article(data, f"{gold.name}.json", "json")).to_dict()


@pytest.fixture(scope="module")
def wikinews(corpus_dir: Path):
    return evaluate_dir(corpus_dir, generate=_generate)


@pytest.fixture(scope="module")
def seed(shared_dir: Path):
    return evaluate_dir(shared_dir / "corpus" / "seed", generate=_generate)


def test_seed_article_bars(seed):
    (report,), summary = seed
    assert summary.coverage >= 0.90
    assert summary.top_coverage >= 0.55
    assert summary.wh_share >= 0.60
    assert summary.defective == 0


def test_wikinews_bars(wikinews):
    # All 28 articles annotated now (8 before): the figures measured on all of them (coverage
    # 79%, how_many 71%, wh 43%) are guarded until issue 14 raises them.
    reports, summary = wikinews
    assert len(reports) == 28
    assert summary.coverage >= 0.78
    for category, value in summary.category_coverage.items():
        assert value is None or value >= 0.70, category
    assert summary.wh_share >= 0.42
    assert summary.defect_rate <= 0.02
    assert summary.duplicates == 0


def test_wikinews_default_quiz_covers_each_article(wikinews):
    reports, _ = wikinews
    for report in reports:
        assert report.top_coverage >= 0.40, report.name
