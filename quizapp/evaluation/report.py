"""Reports: per-article tallies, the summary held to the bars, as a text table or JSON data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from .gold import GOLD_TYPES, GoldFact
from .quiz_faults import FAULT_KINDS


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
    quiz_faults: int = 0  # faulty questions among the first top_n (two faults count once)
    fault_kinds: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FAULT_KINDS, 0))
    # the quiz the app serves (quizzes.choose): how many questions, how many with a fault
    served_questions: int = 0
    served_faults: int = 0
    # questions the bank holds besides its list (composition: each would give away a listed one)
    alternates: int = 0

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
        return _ratio(self.defective, self.questions + self.alternates)

    @property
    def fault_rate(self) -> float | None:
        """The share of the first top_n questions with a quiz-level fault."""
        return _ratio(self.quiz_faults, self.top_questions)

    @property
    def served_fault_rate(self) -> float | None:
        """The share of the served quiz's questions with a quiz-level fault."""
        return _ratio(self.served_faults, self.served_questions)

    def to_dict(self) -> dict:
        """The counts and the ratios, JSON-ready."""
        names = ("coverage", "top_coverage", "category_coverage", "wh_share", "defect_rate")
        names += ("fault_rate", "served_fault_rate")
        return asdict(self) | {name: getattr(self, name) for name in names}


@dataclass(kw_only=True)
class ArticleReport(Tally):
    """How one bank does against one gold article; ``uncovered`` is for debugging."""

    name: str
    title: str
    defect_kinds: dict[str, int] = field(default_factory=dict)
    defect_examples: list[tuple[str, list[str]]] = field(default_factory=list)
    fault_examples: list[tuple[str, list[str]]] = field(default_factory=list)
    uncovered: list[GoldFact] = field(default_factory=list)


@dataclass(frozen=True)
class Bars:
    """One set of bars (issue 14, "Bars"); None: not held to that figure."""

    name: str
    coverage: float | None = None  # overall coverage, at least
    category: float | None = None  # coverage of every category, at least
    top_coverage: float | None = None  # facts covered in the first top_n, overall, at least
    wh_share: float | None = None  # real wh-questions among the first top_n, at least
    fault_rate: float | None = None  # quiz-level faults among the first top_n, at most
    defect_rate: float | None = None  # structural defects over all questions, at most
    duplicates: int | None = None  # duplicate questions, at most


BARS = {
    "news": Bars(
        "news",
        coverage=0.85,
        category=0.80,
        top_coverage=0.70,
        wh_share=0.60,
        fault_rate=0.05,
        defect_rate=0.01,
        duplicates=0,
    ),
    "encyclopaedia": Bars(
        "encyclopaedia", coverage=0.80, category=0.70, wh_share=0.50, fault_rate=0.05
    ),
    "seed": Bars("seed", coverage=0.90, top_coverage=0.65, fault_rate=0.0),
}


def _vs(value: float, bar: float) -> str:
    """``value`` as a percentage, with a decimal when whole percent would show the bar itself
    ("89.7% < 90%", not "90% < 90%")."""
    return f"{value:.0%}" if f"{value:.0%}" != f"{bar:.0%}" else f"{value:.1%}"


@dataclass(kw_only=True)
class Summary(Tally):
    """Totals over articles, held to one of the :data:`BARS`."""

    articles: int
    min_top_coverage: float | None = None  # information only: no bar holds it
    min_top_article: str | None = None

    def failed_bars(self, bars: Bars = BARS["news"]) -> list[str]:
        """The bars of ``bars`` missed (by default the Wikinews ones: coverage >= 85%, every
        category >= 80%, >= 70% of the facts in the first top_n, >= 60% real wh-questions among
        them, quiz-level faults among them <= 5%, structural defects <= 1%, no duplicates) as
        readable phrases; [] when all are met."""
        top = self.top_n
        at_least = [
            *((f"{c} coverage", v, bars.category, "") for c, v in self.category_coverage.items()),
            ("overall coverage", self.coverage, bars.coverage, ""),
            (f"top-{top} coverage", self.top_coverage, bars.top_coverage, ""),
            ("wh-questions", self.wh_share, bars.wh_share, f" of the first {top}"),
        ]
        at_most = [
            ("quiz-level faults", self.fault_rate, bars.fault_rate, f" of the first {top}"),
            ("defect rate", self.defect_rate, bars.defect_rate, ""),
        ]
        failed = [
            f"{name} {_vs(value, bar)}{scope} < {bar:.0%}"
            for name, value, bar, scope in at_least
            if value is not None and bar is not None and value < bar
        ]
        failed += [
            f"{name} {value:.1%}{scope} > {bar:.0%}"
            for name, value, bar, scope in at_most
            if value is not None and bar is not None and value > bar
        ]
        if bars.duplicates is not None and self.duplicates > bars.duplicates:
            failed.append(f"{self.duplicates} duplicate questions")
        return failed


def summarise(reports: Sequence[ArticleReport]) -> Summary:
    """Add up article reports into a :class:`Summary`."""
    scored = [r for r in reports if r.top_coverage is not None]
    lowest = min(scored, key=lambda r: r.top_coverage or 0.0, default=None)
    counts = ("questions", "top_questions", "wh_top", "defective", "duplicates", "quiz_faults")
    counts += ("served_questions", "served_faults", "alternates")
    per_category = ("facts", "covered", "covered_top")
    return Summary(
        articles=len(reports),
        top_n=reports[0].top_n if reports else 20,
        **{name: sum(getattr(r, name) for r in reports) for name in counts},
        **{
            n: {c: sum(getattr(r, n)[c] for r in reports) for c in GOLD_TYPES} for n in per_category
        },
        fault_kinds={k: sum(r.fault_kinds.get(k, 0) for r in reports) for k in FAULT_KINDS},
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


def _fault_line(summary: Summary) -> str:
    kinds = ", ".join(f"{kind} {n}" for kind, n in summary.fault_kinds.items())
    rate = "-" if summary.fault_rate is None else f"{summary.fault_rate:.1%}"
    served = "-" if summary.served_fault_rate is None else f"{summary.served_fault_rate:.1%}"
    return (
        f"quiz-level faults in the top-{summary.top_n}: {rate} ({summary.quiz_faults} of "
        f"{summary.top_questions} questions): {kinds}\n"
        f"quiz-level faults in the quiz the app serves (quizzes.choose): {served} "
        f"({summary.served_faults} of {summary.served_questions} questions)"
    )


def format_report(
    reports: Sequence[ArticleReport], summary: Summary, bars: Bars = BARS["news"]
) -> str:
    """A plain-text table, one row per article (facts, covered, covered in the first top_n, wh
    share, defects, duplicates, coverage by category), a total row, the overall figures (quiz-
    level faults of the first top_n with counts per kind among them) and any of ``bars``
    missed."""
    top = f"top-{summary.top_n}"
    width = max([len("article"), *(len(r.name) for r in reports)])
    head = f"{'article':<{width}}  facts  {'covered':>9}  {top:>9}   wh%  defects  dups  "
    head += "  ".join(f"{c:>8}" for c in GOLD_TYPES)
    rule = "-" * len(head)
    lines = [head, rule, *(_row(r.name, width, r) for r in reports), rule]
    by_category = ", ".join(f"{c} {_pct(v)}" for c, v in summary.category_coverage.items())
    rate = "-" if summary.defect_rate is None else f"{summary.defect_rate:.1%}"
    failed = summary.failed_bars(bars)
    lines += [
        _row("total", width, summary),
        "",
        f"coverage: {_pct(summary.coverage)} of {summary.total_facts} facts ({by_category}) in "
        f"{summary.questions} listed questions and {summary.alternates} alternates",
        f"{top} coverage: {_pct(summary.top_coverage)} overall, lowest "
        f"{_pct(summary.min_top_coverage)} ({summary.min_top_article or '-'})",
        f"wh-questions in the {top}: {_pct(summary.wh_share)}",
        _fault_line(summary),
        f"defects: {rate} ({summary.defective} of {summary.questions + summary.alternates} "
        "questions); "
        f"duplicates: {summary.duplicates}",
        f"bars ({bars.name}): all met"
        if not failed
        else f"bars ({bars.name}) missed: " + "; ".join(failed),
    ]
    return "\n".join(lines) + "\n"


def report_to_dict(
    reports: Sequence[ArticleReport], summary: Summary, bars: Bars = BARS["news"]
) -> dict:
    """The reports and the summary as JSON-ready data (for ``quizapp evaluate --json``); the
    summary names the bars held to (``bars``) and those missed (``failed_bars``)."""
    total = summary.to_dict() | {"bars": bars.name, "failed_bars": summary.failed_bars(bars)}
    articles = [{"name": r.name, "title": r.title} | r.to_dict() for r in reports]
    return {"articles": articles, "summary": total}
