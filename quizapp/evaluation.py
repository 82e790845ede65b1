"""Measuring question banks against the gold facts of annotated articles (contracts §3).

Pure: the standard library, :mod:`quizapp.answers` and :mod:`quizapp.numbers`.
:func:`evaluate_dir` is what ``quizapp evaluate GOLD_DIR [--banks DIR]`` runs.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from quizapp import answers, numbers
from quizapp.banks import CLOZE_GAP, load_bank

GOLD_TYPES = ("who", "where", "how_many", "when")

# Defect names reported by structural_defects().
EMPTY_PROMPT = "empty prompt"
SHORT_PROMPT = "prompt under 3 words"
LEAKS_ANSWER = "prompt leaks the answer"
NO_GAP = "cloze prompt without gap"
NOT_IN_ARTICLE = "answer not in the article"
NO_NUMBER = "how_many answer without a number"
BAD_CHOICES = "multiple choice without one key and 3 distinct distractors"

_WH_WORDS = frozenset("who whom whose what which where when why how".split())
# Words that may stand before the wh-word: prepositions and qualifiers ("For about how many",
# "According to which", "More than how many", "As of what date").
_LEADERS = frozenset(
    "about according after against among around as at before behind between by during for from "
    "in inside into near of off on onto out outside over per since than through to towards under "
    "until upon with within approximately roughly nearly almost exactly just only more less fewer "
    "least most".split()
)
_AUXILIARIES = frozenset(
    "is are was were be been am do does did has have had will would can could may "
    "might must shall should".split()
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_POSSESSIVE = re.compile(r"(?<=\w)['’]s?(?!\w)")
_NUMBER_START = re.compile(r"(?<![\w.,])(?:\d|[^\W\d_]+)")
_normalised = lru_cache(maxsize=32)(answers.normalise)  # article texts are normalised often


@dataclass(frozen=True)
class GoldFact:
    """One annotated fact: a question a teacher would ask and its accepted answers."""

    type: str
    question: str
    answer: str
    answer_aliases: tuple[str, ...] = ()
    sentence: str = ""


@dataclass(frozen=True)
class GoldArticle:
    """An annotated article (``corpus/wikinews/*.json``); ``name`` is the file stem."""

    id: str
    name: str
    title: str
    text: str
    published: str | None = None
    facts: tuple[GoldFact, ...] = ()
    path: str = ""


def load_gold(path: str | Path) -> GoldArticle:
    """Read one gold article file. Raises ``ValueError`` naming the file if it is malformed."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read gold file: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise ValueError(f"{path}: a gold file is a JSON object with a 'text' string")
    facts = []
    for index, raw in enumerate(data.get("facts") or []):
        if not isinstance(raw, dict) or raw.get("type") not in GOLD_TYPES:
            raise ValueError(f"{path}: facts[{index}]: needs a type in {', '.join(GOLD_TYPES)}")
        if not isinstance(raw.get("answer"), str) or not raw["answer"].strip():
            raise ValueError(f"{path}: facts[{index}]: needs a non-empty answer")
        aliases = tuple(str(a) for a in raw.get("answer_aliases") or ())
        question, sentence = str(raw.get("question") or ""), str(raw.get("sentence") or "")
        facts.append(GoldFact(raw["type"], question, raw["answer"], aliases, sentence))
    return GoldArticle(
        id=str(data.get("id") or path.stem),
        name=path.stem,
        title=str(data.get("title") or ""),
        text=data["text"],
        published=data.get("published"),
        facts=tuple(facts),
        path=str(path),
    )


def fact_covered(fact: GoldFact, questions: Iterable[dict]) -> bool:
    """Whether a question of the fact's category has an answer or accepted answer matching the
    gold answer or an alias (contracts §3; for ``who`` facts a surname matches the full name)."""
    targets = [fact.answer, *fact.answer_aliases]
    for question in questions:
        if question.get("category") == fact.type:
            candidates = [question.get("answer") or "", *(question.get("accepted_answers") or [])]
            if answers.matches_any(candidates, targets, person=fact.type == "who"):
                return True
    return False


def _contains_words(haystack: str, needle: str) -> bool:
    """Whether normalised ``needle`` occurs as whole words in normalised ``haystack``, also as a
    possessive ("Niger" in "Niger's president")."""
    needle = f" {answers.normalise(needle)} "
    forms = (haystack, _POSSESSIVE.sub("", haystack))
    return needle != "  " and any(needle in f" {_normalised(form)} " for form in forms)


def _has_number(text: str) -> bool:
    """Whether a number (digits or words: "6", "six", "a dozen") occurs in ``text``."""
    return any(ch.isdigit() for ch in text) or any(
        numbers.parse_number(text[m.start() :]) is not None for m in _WORD.finditer(text)
    )


@lru_cache(maxsize=16)
def _numbers_in(text: str) -> frozenset[float]:
    """The values of all numbers written in ``text``, in digits or words."""
    found = (
        numbers.parse_number(text[m.start() : m.start() + 80]) for m in _NUMBER_START.finditer(text)
    )
    return frozenset(value for value in found if value is not None)


def _in_article(answer: str, article_text: str) -> bool:
    if _contains_words(article_text, answer):
        return True
    value = numbers.parse_number(answer)  # "six" / "6", "40 thousand" / "40,000"
    return value is not None and value in _numbers_in(article_text)


def _leaks(question: dict, prompt: str) -> bool:
    # A worded alias (a surname) in the prompt gives the answer away too; bare numbers among
    # the accepted answers ("6" for "six") are too common in prompts to count.
    keys = [a for a in question.get("accepted_answers") or [] if re.search(r"[^\W\d_]{3}", a)]
    return any(_contains_words(prompt, key) for key in [question.get("answer") or "", *keys])


def _bad_choices(question: dict) -> bool:
    choices, answer = question.get("choices"), question.get("answer") or ""
    if not isinstance(choices, list) or choices.count(answer) != 1:
        return True
    # A choice that matches the key ("6" beside "six") is another key, not a distractor.
    others = [c for c in choices if c != answer and not answers.texts_match(c, answer)]
    return len({answers.normalise(c) for c in others} - {""}) < 3


def structural_defects(question: dict, article_text: str) -> list[str]:
    """Names of the structural defects of ``question`` (a bank question dict), [] if none: the
    module's ``EMPTY_PROMPT``, ``SHORT_PROMPT``, ``NO_GAP``, ``LEAKS_ANSWER`` (answer or worded
    alias in the prompt), ``NOT_IN_ARTICLE`` (numbers may match by value), ``NO_NUMBER``, and
    ``BAD_CHOICES`` (not exactly one key and three distinct distractors)."""
    prompt, answer = (question.get("prompt") or "").strip(), question.get("answer") or ""
    checks = [
        (EMPTY_PROMPT, not prompt),
        (SHORT_PROMPT, 0 < len(prompt.split()) < 3),
        (NO_GAP, question.get("format") == "cloze" and CLOZE_GAP not in prompt),
        (LEAKS_ANSWER, bool(prompt) and _leaks(question, prompt)),
        (NOT_IN_ARTICLE, not answer.strip() or not _in_article(answer, article_text)),
        (NO_NUMBER, question.get("category") == "how_many" and not _has_number(answer)),
        (BAD_CHOICES, question.get("format") == "multiple_choice" and _bad_choices(question)),
    ]
    return [name for name, failed in checks if failed]


def _opens_with_wh(text: str) -> bool:
    """A wh-word first, or within the first six words right after a preposition or qualifier
    with no verb before it ("For about how many", "Scientists from which university")."""
    words = _WORD.findall(text.casefold())[:6]
    for i, word in enumerate(words):
        if word in _WH_WORDS:
            return i == 0 or (words[i - 1] in _LEADERS and _AUXILIARIES.isdisjoint(words[:i]))
    return False


def is_wh_question(question: dict) -> bool:
    """Whether ``question`` is a real wh-question: not a cloze, its prompt ends with "?" and opens
    with a wh-word, also after prepositions ("According to which …?", "For about how many …?"),
    in a short opening phrase ("Off the coast of which …?") or after an introductory one ("By
    the time …, how many …?")."""
    prompt = (question.get("prompt") or "").strip()
    if question.get("format") == "cloze" or not prompt.endswith("?") or CLOZE_GAP in prompt:
        return False
    head, comma, rest = prompt.partition(",")
    lead = _WORD.match(head.casefold())
    return _opens_with_wh(prompt) or (
        bool(comma) and lead is not None and lead[0] in _LEADERS and _opens_with_wh(rest)
    )


def duplicates(questions: Iterable[dict]) -> int:
    """How many questions repeat an earlier one: the same normalised prompt, or the same
    category, format, normalised answer and (non-empty) source sentence."""
    seen: set[tuple] = set()
    count = 0
    for q in questions:
        keys = {("prompt", answers.normalise(q.get("prompt") or ""))}
        if sentence := (q.get("source_sentence") or "").strip():
            answer = answers.normalise(q.get("answer") or "")
            keys.add(("fact", q.get("category"), q.get("format"), answer, sentence))
        count += not seen.isdisjoint(keys)
        seen |= keys
    return count


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


def evaluate_bank(gold: GoldArticle, bank: dict, top_n: int = 20) -> ArticleReport:
    """Measure ``bank`` (a bank dict) against ``gold``: coverage over all questions and over the
    first ``top_n`` (the default quiz), the wh share of the first ``top_n``, defects (up to five
    kept as examples) and duplicates over all questions."""
    questions = [q for q in bank.get("questions") or [] if isinstance(q, dict)]
    top = questions[:top_n]
    facts, covered, covered_top = ({c: 0 for c in GOLD_TYPES} for _ in range(3))
    uncovered = []
    for fact in gold.facts:
        facts[fact.type] += 1
        if fact_covered(fact, questions):
            covered[fact.type] += 1
            covered_top[fact.type] += fact_covered(fact, top)
        else:
            uncovered.append(fact)
    kinds: Counter[str] = Counter()
    found = []
    for question in questions:
        if defects := structural_defects(question, gold.text):
            kinds.update(defects)
            found.append((str(question.get("prompt") or question.get("id") or ""), defects))
    return ArticleReport(
        name=gold.name,
        title=gold.title,
        top_n=top_n,
        questions=len(questions),
        top_questions=len(top),
        facts=facts,
        covered=covered,
        covered_top=covered_top,
        wh_top=sum(is_wh_question(q) for q in top),
        defective=len(found),
        duplicates=duplicates(questions),
        defect_kinds=dict(kinds),
        defect_examples=found[:5],
        uncovered=uncovered,
    )


@dataclass(kw_only=True)
class Summary(Tally):
    """Totals over articles, held to the bars of ``docs/generator.md``."""

    articles: int
    min_top_coverage: float | None = None
    min_top_article: str | None = None

    def failed_bars(self) -> list[str]:
        """The bars missed (each category >= 75%, all >= 85%, the first top_n >= 60% in every
        article, defects <= 2%, no duplicates) as readable phrases; [] when all are met."""
        cats = self.category_coverage.items()
        failed = [f"{c} coverage {v:.0%} < 75%" for c, v in cats if v is not None and v < 0.75]
        if self.coverage is not None and self.coverage < 0.85:
            failed.append(f"overall coverage {self.coverage:.0%} < 85%")
        if self.min_top_coverage is not None and self.min_top_coverage < 0.6:
            low = f"{self.min_top_coverage:.0%} in {self.min_top_article}"
            failed.append(f"top-{self.top_n} coverage {low} < 60%")
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
