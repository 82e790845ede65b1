"""Fit the acceptability model (quizapp/generation/acceptability.py) on the blind reads' verdicts.

Every committed read under `bench/reads/` holds the banks a reader saw and one verdict per
question (Y/N). This script pairs them, computes the model's features for each judged question,
fits an L2-regularised logistic regression (numpy, Newton's method), and reports how well it
tells kept from failed questions on reads it was *not* fitted on (leave one read out: the AUC,
and the share kept among each read's top half by the model against the read as a whole).

    .venv/bin/python bench/fit_acceptability.py            # cross-validation, then the weights
    .venv/bin/python bench/fit_acceptability.py --write    # also writes the weights file

The weights go to `quizapp/data/acceptability.json`, which the generator reads.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizapp.generation.acceptability import ArticleWords, features  # noqa: E402
from quizapp.generation.models import Numeric, Question  # noqa: E402

READS = ROOT / "bench" / "reads"
WEIGHTS = ROOT / "quizapp" / "data" / "acceptability.json"
L2 = 3.0


def _question(d: dict) -> Question:
    numeric = d.get("numeric")
    return Question(
        id=d.get("id", ""),
        category=d.get("category", ""),
        format=d.get("format", ""),
        prompt=d.get("prompt", ""),
        answer=d.get("answer", ""),
        accepted_answers=tuple(d.get("accepted_answers") or ()),
        choices=tuple(d["choices"]) if d.get("choices") else None,
        numeric=Numeric(**numeric) if numeric else None,
        source_sentence=d.get("source_sentence", ""),
        source_span=tuple(d.get("source_span") or (0, 0)),
    )


def load() -> tuple[list[str], list[dict[str, float]], list[int]]:
    """(read name, features, 1 if kept) for every judged question of every committed read."""
    groups, rows, labels = [], [], []
    for read in sorted(p for p in READS.iterdir() if (p / "verdicts").is_dir()):
        for verdicts in sorted((read / "verdicts").glob("*.tsv")):
            bank_file = read / "banks" / f"{verdicts.stem}.json"
            if not bank_file.exists():
                continue
            bank = json.loads(bank_file.read_text(encoding="utf-8"))
            questions = bank.get("questions", [])
            text_file = read / "texts" / f"{verdicts.stem}.txt"
            text = text_file.read_text(encoding="utf-8") if text_file.exists() else ""
            words = ArticleWords(text)
            for line in verdicts.read_text(encoding="utf-8").splitlines():
                parts = line.split("\t")
                if len(parts) < 3 or not parts[1].strip().isdigit():
                    continue
                pos = int(parts[1])
                if not 1 <= pos <= len(questions) or parts[2].strip() not in ("Y", "N"):
                    continue
                groups.append(read.name)
                question = _question(questions[pos - 1])
                rows.append(features(question, bank.get("title"), words))
                labels.append(1 if parts[2].strip() == "Y" else 0)
    return groups, rows, labels


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (the bias is not penalised)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def auc(scores: np.ndarray, y: np.ndarray) -> float:
    pos, neg = scores[y == 1], scores[y == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the weights file")
    parser.add_argument("--l2", type=float, default=L2)
    args = parser.parse_args()
    groups, rows, labels = load()
    names = list(rows[0])
    x = np.array([[r[n] for n in names] for r in rows])
    y = np.array(labels, dtype=float)
    g = np.array(groups)
    print(f"{len(y)} judged questions from {len(set(groups))} reads; {y.mean():.1%} kept")
    all_scores = np.zeros(len(y))
    print(f"{'held-out read':34} {'n':>4} {'kept':>6} {'AUC':>6} {'top half kept':>14}")
    for read in sorted(set(groups)):
        test = g == read
        w = fit(x[~test], y[~test], args.l2)
        s = x[test] @ w
        all_scores[test] = s
        top = s >= np.median(s)
        print(
            f"{read:34} {test.sum():4d} {y[test].mean():6.1%} {auc(s, y[test]):6.3f} "
            f"{y[test][top].mean():14.1%}"
        )
    top = np.zeros(len(y), dtype=bool)
    for read in set(groups):
        idx = np.where(g == read)[0]
        top[idx] = all_scores[idx] >= np.median(all_scores[idx])
    print(
        f"pooled out-of-read AUC {auc(all_scores, y):.3f}; kept in the top half "
        f"{y[top].mean():.1%} against {y.mean():.1%} overall"
    )
    probs = 1 / (1 + np.exp(-all_scores))
    recent = np.array([r.startswith("2026-12-07") for r in groups])
    for name, mask in (("all reads", np.ones(len(y), dtype=bool)), ("2026-12-07 reads", recent)):
        print(f"{name}: questions left and kept among them, if those under p were left out")
        for t in (0.0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45):
            left = mask & (probs >= t)
            share, kept = left.sum() / mask.sum(), y[left].mean()
            print(f"  p >= {t:.2f}: {share:6.1%} left, {kept:6.1%} kept")
    w = fit(x, y, args.l2)
    weights = {n: round(float(v), 4) for n, v in zip(names, w, strict=True)}
    for n, v in sorted(weights.items(), key=lambda kv: -abs(kv[1])):
        print(f"  {n:24} {v:+.3f}")
    if args.write:
        means = {n: round(float(v), 4) for n, v in zip(names, x.mean(axis=0), strict=True)}
        model = {"reads": len(set(groups)), "questions": len(y), "weights": weights}
        model["means"] = means
        WEIGHTS.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
