"""Reports: per-article tallies, the summary held to the bars, as a text table or JSON data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from .gold import GOLD_TYPES, GoldFact


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(kw_only=True)
class Tally:
    """Counts shared by an article's report and the summary; ratios are None over nothing."""

    top_n: int
    questions: int
    top_questions: int  # how many of the first top_n there are (fewer in a short bank)
    facts: dict[str, int]
    covered: dict[str, int]
    covered_top: dict[str, int]
    wh_top: int
    defective: int
    duplicates: int

    @property
    def total_facts(self) -> int:
        return sum(self.facts.values())

    @property
    def coverage(self) -> float | None:
        return _ratio(sum(self.covered.values()), self.total_facts)

    @property
    def top_coverage(self) -> float | None:
        return _ratio(sum(self.covered_top.values()), self.total_facts)

    @property
    def category_coverage(self) -> dict[str, float | None]:
        return {c: _ratio(self.covered[c], self.facts[c]) for c in GOLD_TYPES}

    @property
    def wh_share(self) -> float | None:
        return _ratio(self.wh_top, self.top_questions)

    @property
    def defect_rate(self) -> float | None:
        return _ratio(self.defective, self.questions)

    def to_dict(self) -> dict:
        """The counts and the ratios, JSON-ready."""
        names = ("coverage", "top_coverage", "category_coverage", "wh_share", "defect_rate")
        return asdict(self) | {name: getattr(self, name) for name in names}


@dataclass(kw_only=True)
class ArticleReport(Tally):
    """How one bank does against one gold article; ``uncovered`` is for debugging."""

    name: str
    title: str
    defect_kinds: dict[str, int] = field(default_factory=dict)
    defect_examples: list[tuple[str, list[str]]] = field(default_factory=list)
    uncovered: list[GoldFact] = field(default_factory=list)


@dataclass(kw_only=True)
class Summary(Tally):
    """Totals over articles, held to the bars of ``docs/generator.md``."""

    articles: int
    min_top_coverage: float | None = None
    min_top_article: str | None = None

    def failed_bars(self) -> list[str]:
        """The bars missed (each category >= 75%, all >= 85%, the first top_n >= 60% in every
        article, >= 50% real wh-questions among them, defects <= 2%, no duplicates) as readable
        phrases; [] when all are met."""
        cats = self.category_coverage.items()
        failed = [f"{c} coverage {v:.0%} < 75%" for c, v in cats if v is not None and v < 0.75]
        if self.coverage is not None and self.coverage < 0.85:
            failed.append(f"overall coverage {self.coverage:.0%} < 85%")
        if self.min_top_coverage is not None and self.min_top_coverage < 0.6:
            low = f"{self.min_top_coverage:.0%} in {self.min_top_article}"
            failed.append(f"top-{self.top_n} coverage {low} < 60%")
        if self.wh_share is not None and self.wh_share < 0.5:
            failed.append(f"wh-questions {self.wh_share:.0%} of the first {self.top_n} < 50%")
        if self.defect_rate is not None and self.defect_rate > 0.02:
            failed.append(f"defect rate {self.defect_rate:.1%} > 2%")
        if self.duplicates:
            failed.append(f"{self.duplicates} duplicate questions")
        return failed


def summarise(reports: Sequence[ArticleReport]) -> Summary:
    """Add up article reports into a :class:`Summary`."""
    scored = [r for r in reports if r.top_coverage is not None]
    lowest = min(scored, key=lambda r: r.top_coverage or 0.0, default=None)
    counts = ("questions", "top_questions", "wh_top", "defective", "duplicates")
    per_category = ("facts", "covered", "covered_top")
    return Summary(
        articles=len(reports),
        top_n=reports[0].top_n if reports else 20,
        **{name: sum(getattr(r, name) for r in reports) for name in counts},
        **{
            n: {c: sum(getattr(r, n)[c] for r in reports) for c in GOLD_TYPES} for n in per_category
        },
        min_top_coverage=lowest.top_coverage if lowest else None,
        min_top_article=lowest.name if lowest else None,
    )


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _row(name: str, width: int, t: Tally) -> str:
    covered, covered_top = sum(t.covered.values()), sum(t.covered_top.values())
    cells = [f"{name:<{width}}", f"{t.total_facts:>5}", f"{covered:>4} {_pct(t.coverage):>4}"]
    cells += [f"{covered_top:>4} {_pct(t.top_coverage):>4}", f"{_pct(t.wh_share):>4}"]
    cells += [f"{t.defective:>7}", f"{t.duplicates:>4}"]
    cells += [f"{f'{t.covered[c]}/{t.facts[c]}' if t.facts[c] else '-':>8}" for c in GOLD_TYPES]
    return "  ".join(cells)


def format_report(reports: Sequence[ArticleReport], summary: Summary) -> str:
    """A plain-text table, one row per article (facts, covered, covered in the first top_n, wh
    share, defects, duplicates, coverage by category), a total row, the overall figures and any
    bars missed."""
    top = f"top-{summary.top_n}"
    width = max([len("article"), *(len(r.name) for r in reports)])
    head = f"{'article':<{width}}  facts  {'covered':>9}  {top:>9}   wh%  defects  dups  "
    head += "  ".join(f"{c:>8}" for c in GOLD_TYPES)
    rule = "-" * len(head)
    lines = [head, rule, *(_row(r.name, width, r) for r in reports), rule]
    by_category = ", ".join(f"{c} {_pct(v)}" for c, v in summary.category_coverage.items())
    rate = "-" if summary.defect_rate is None else f"{summary.defect_rate:.1%}"
    failed = summary.failed_bars()
    lines += [
        _row("total", width, summary),
        "",
        f"coverage: {_pct(summary.coverage)} of {summary.total_facts} facts ({by_category})",
        f"{top} coverage: {_pct(summary.top_coverage)} overall, lowest "
        f"{_pct(summary.min_top_coverage)} ({summary.min_top_article or '-'})",
        f"wh-questions in the {top}: {_pct(summary.wh_share)}",
        f"defects: {rate} ({summary.defective} of {summary.questions} questions); "
        f"duplicates: {summary.duplicates}",
        "bars: all met" if not failed else "bars missed: " + "; ".join(failed),
    ]
    return "\n".join(lines) + "\n"


def report_to_dict(reports: Sequence[ArticleReport], summary: Summary) -> dict:
    """The reports and the summary as JSON-ready data (for ``quizapp evaluate --json``)."""
    total = summary.to_dict() | {"failed_bars": summary.failed_bars()}
    articles = [{"name": r.name, "title": r.title} | r.to_dict() for r in reports]
    return {"articles": articles, "summary": total}
