"""Running an evaluation: one bank against its gold article, or every gold file in a folder."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from quizapp.banks import load_bank
from quizapp.quizzes import choose

from .checks import duplicates, fact_covered, is_wh_question, structural_defects
from .gold import GOLD_TYPES, GoldArticle, load_gold
from .quiz_faults import FAULT_KINDS, find_quiz_faults
from .report import ArticleReport, Summary, summarise


def evaluate_bank(gold: GoldArticle, bank: dict, top_n: int = 20) -> ArticleReport:
    """Measure ``bank`` (a bank dict) against ``gold``: coverage over every question the bank
    holds (its list and its alternates, which a teacher turns on with a click) and over the
    first ``top_n`` of its list (the default quiz), the wh share and the quiz-level faults of
    the first ``top_n``, defects and duplicates over every question (up to five defective and
    five faulty questions kept as examples)."""
    questions = [q for q in bank.get("questions") or [] if isinstance(q, dict)]
    alternates = [q for q in bank.get("alternates") or [] if isinstance(q, dict)]
    held = questions + alternates
    top = questions[:top_n]
    facts, covered, covered_top = ({c: 0 for c in GOLD_TYPES} for _ in range(3))
    uncovered = []
    for fact in gold.facts:
        facts[fact.type] += 1
        if fact_covered(fact, held):
            covered[fact.type] += 1
            covered_top[fact.type] += fact_covered(fact, top)
        else:
            uncovered.append(fact)
    kinds: Counter[str] = Counter()
    found = []
    for question in held:
        if defects := structural_defects(question, gold.text):
            kinds.update(defects)
            found.append((str(question.get("prompt") or question.get("id") or ""), defects))
    faults: dict[int, list[str]] = {}  # index in the first top_n -> its fault kinds
    fault_kinds = dict.fromkeys(FAULT_KINDS, 0)
    for index, kind in find_quiz_faults(top, gold.text, gold.published, top_n=top_n):
        faults.setdefault(index, []).append(kind)
        fault_kinds[kind] += 1
    fault_examples = [(str(top[i].get("prompt") or ""), faults[i]) for i in list(faults)[:5]]
    # The quiz the app serves by default (quizzes.choose: the first 20 that give nothing away)
    served = [questions[i] for i in choose(questions, top_n)]
    served_faults = {i for i, _ in find_quiz_faults(served, gold.text, gold.published, top_n)}
    return ArticleReport(
        name=gold.name,
        title=gold.title,
        top_n=top_n,
        questions=len(questions),
        alternates=len(alternates),
        top_questions=len(top),
        facts=facts,
        covered=covered,
        covered_top=covered_top,
        wh_top=sum(is_wh_question(q) for q in top),
        defective=len(found),
        duplicates=duplicates(held),
        defect_kinds=dict(kinds),
        defect_examples=found[:5],
        quiz_faults=len(faults),
        served_questions=len(served),
        served_faults=len(served_faults),
        fault_kinds=fault_kinds,
        fault_examples=fault_examples,
        uncovered=uncovered,
    )


def evaluate_dir(
    gold_dir: str | Path,
    *,
    banks_dir: str | Path | None = None,
    generate: Callable[[GoldArticle], dict] | None = None,
    progress: Callable[[int, int, GoldArticle], object] | None = None,
    top_n: int = 20,
) -> tuple[list[ArticleReport], Summary]:
    """Evaluate a bank for every gold file with facts in ``gold_dir`` (or for that one file): read
    from ``banks_dir/<gold stem>.json`` if given, else made by ``generate(article)``; calls
    ``progress(done, total, article)`` after each article. Raises ``ValueError`` for a malformed
    gold file or path, or no source of banks; :class:`quizapp.banks.BankError` for a bad bank."""
    if banks_dir is None and generate is None:
        raise ValueError("evaluate_dir needs banks_dir or generate")

    def bank_for(article: GoldArticle) -> dict:
        if banks_dir is not None:
            return load_bank(Path(banks_dir) / f"{article.name}.json")
        assert generate is not None
        return generate(article)

    gold_dir = Path(gold_dir)
    if not gold_dir.exists():
        raise ValueError(f"{gold_dir}: no such file or directory")
    paths = [gold_dir] if gold_dir.is_file() else sorted(gold_dir.glob("*.json"))
    articles = [article for article in map(load_gold, paths) if article.facts]
    reports = []
    for done, article in enumerate(articles, 1):
        reports.append(evaluate_bank(article, bank_for(article), top_n=top_n))
        if progress is not None:
            progress(done, len(articles), article)
    return reports, summarise(reports)
