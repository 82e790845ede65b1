"""Where the generator loses the gold facts a bank does not cover.

For every gold fact of a corpus folder that no question of its bank covers (judged as
`quizapp evaluate` judges, `evaluation.checks.fact_covered`), the first stage that lost it:

- **no fact**: no fact the generator found in the article has the gold answer;
- **no draft**: a fact has it, but no question could be written (no wh-question, no cloze);
- **readback**: every draft with the answer was refused by the readback, counted by the reason it
  gave ("bare definite" when only `readback.bare_definite` refused it);
- **ranking**: a draft passed the readback but the bank holds none (another question asked
  the same answer, or the composer dealt it out).

    .venv/bin/python bench/coverage_losses.py ../shared/corpus/wikinews
    .venv/bin/python bench/coverage_losses.py ../shared/corpus/wikipedia --limit 100 --json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizapp.articles import parse_article  # noqa: E402
from quizapp.evaluation.checks import fact_covered  # noqa: E402
from quizapp.evaluation.gold import load_gold  # noqa: E402
from quizapp.generation import ranking, readback  # noqa: E402
from quizapp.generation.generator import _Builder, build_bank, parse_articles  # noqa: E402
from quizapp.generation.titles import bank_title  # noqa: E402


def _refusal(draft, title: str | None) -> str | None:
    reason = ranking.rejected(draft, title)
    if reason != readback.NOT_ALONE:
        return reason
    q = draft.question
    own = (
        readback.cloze_reject(q.prompt, draft.fact.sent, draft.fact.answer)
        if q.format == "cloze"
        else readback.wh_reject(q.prompt)
    )
    return reason if own is not None else "bare definite"


def losses(path: Path) -> list[dict]:
    """One record per uncovered gold fact of the gold file at `path`."""
    gold = load_gold(path)
    record = {"text": gold.text, "title": gold.title, "published": gold.published}
    article = parse_article(json.dumps(record).encode("utf-8"), f"{gold.name}.json", "json")
    (parsed,) = parse_articles([article])
    builder = _Builder(parsed, bank_title(article, parsed.docs))
    drafts = builder.drafts()
    bank = build_bank(parsed).to_dict()
    held = bank["questions"] + bank.get("alternates", [])
    found = [
        {"category": f.category, "answer": f.text, "accepted_answers": []}
        for _, _, f in builder.facts
    ]
    out = []
    for fact in gold.facts:
        if fact_covered(fact, held):
            continue
        stage, reasons = "ranking", []
        if not fact_covered(fact, found):
            stage = "no fact"
        else:
            mine = [d for d in drafts if fact_covered(fact, [d.question.to_dict()])]
            refused = [_refusal(d, article.title) for d in mine]
            if not mine:
                stage = "no draft"
            elif all(r is not None for r in refused):
                stage, reasons = "readback", sorted(set(refused))
        out.append(
            {
                "article": gold.name,
                "category": fact.type,
                "answer": fact.answer,
                "stage": stage,
                "reasons": reasons,
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a folder of gold files")
    parser.add_argument("--limit", type=int, default=None, help="only the first N gold files")
    parser.add_argument("--json", action="store_true", help="every lost fact, as JSON")
    args = parser.parse_args(argv)
    paths = [p for p in sorted(args.corpus.glob("*.json")) if load_gold(p).facts]
    records = [r for p in paths[: args.limit] for r in losses(p)]
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=1))
        return 0
    stages = Counter(r["stage"] for r in records)
    print(f"{len(records)} uncovered gold facts in {len(paths[: args.limit])} articles")
    for stage, count in stages.most_common():
        per = Counter(r["category"] for r in records if r["stage"] == stage)
        print(f"  {stage:10} {count:5}   " + ", ".join(f"{c} {n}" for c, n in per.most_common()))
    reasons = Counter(x for r in records for x in r["reasons"])
    print(
        "  readback reasons (a fact may have several): "
        + ", ".join(f"{k} {v}" for k, v in reasons.most_common())
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
