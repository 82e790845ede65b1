"""Blind reads by the rubric's protocol (../shared/docs/question-rubric.md): draw, then tally.

    python bench/blind_read.py draw --seed S [--news 5] [--wiki 10] --out DIR
    python bench/blind_read.py tally DIR [--json]

`draw` picks, by the seed (with --tuning: from the tuning half instead, for a read to learn
from), Wikinews articles and Wikipedia paragraphs from the held-out half of
the corpus (never tuned on: the even-numbered Wikinews articles and the Wikipedia topics in
HELD_OUT_TOPICS), writes each text to DIR/texts/NAME.txt, generates its bank with the CLI as a
user would (`quizapp generate … -o DIR/banks/`) and records the draw in DIR/draw.json. The
reader gets only DIR/texts, DIR/banks and the rubric, and writes DIR/verdicts/*.tsv, one line
per question read:

    bank <TAB> position <TAB> Y|N <TAB> kind <TAB> options <TAB> reason

(position counts from 1; kind is one of the rubric's kinds, "-" for a Y; options is Y when a
multiple-choice question has three good wrong options, N when not, "-" for other formats).

`tally` counts the first 10 questions of each bank: acceptable / read for news and for
Wikipedia, the share of multiple-choice questions with three good wrong options, and the
failure kinds with counts.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
HELD_OUT_TOPICS = (
    "sino_tibetan",
    "ipod",
    "the_legend_of_zelda",
    "spectre_2015_film",
    "2008_sichuan_earthquake",
)
FIRST = 10


def halves(held_out: bool = True) -> tuple[list[Path], list[Path]]:
    """The held-out Wikinews articles (even numbers) and Wikipedia paragraphs (topics above),
    or with `held_out=False` the tuning half (odd numbers, the other topics)."""
    news = [
        p
        for p in sorted((SHARED / "wikinews").glob("*.json"))
        if (int(p.name[:2]) % 2 == 0) == held_out
    ]
    wiki = [
        p
        for p in sorted((SHARED / "wikipedia").glob("*.json"))
        if any(topic in p.name for topic in HELD_OUT_TOPICS) == held_out
    ]
    return news, wiki


def read_before(folders: list[Path]) -> set[str]:
    """The texts drawn by earlier reads (their draw.json)."""
    names: set[str] = set()
    for folder in folders:
        drawn = json.loads((folder / "draw.json").read_text(encoding="utf-8"))
        names.update(drawn["news"], drawn["wikipedia"])
    return names


def draw(
    seed: int,
    n_news: int,
    n_wiki: int,
    out: Path,
    tuning: bool = False,
    skip_news: set[str] = frozenset(),
    skip_wiki: set[str] = frozenset(),
) -> None:
    """Draw `n_news` articles and `n_wiki` paragraphs of one half (fewer when fewer are left
    after leaving out `skip_news` / `skip_wiki`, texts earlier reads showed), and generate
    their banks with the CLI."""
    news, wiki = halves(held_out=not tuning)
    news = [p for p in news if p.stem not in skip_news]
    wiki = [p for p in wiki if p.stem not in skip_wiki]
    rng = random.Random(seed)
    picked = {
        "news": rng.sample(news, min(n_news, len(news))),
        "wikipedia": rng.sample(wiki, min(n_wiki, len(wiki))),
    }
    (out / "texts").mkdir(parents=True, exist_ok=True)
    (out / "banks").mkdir(parents=True, exist_ok=True)
    for paths in picked.values():
        for path in paths:
            record = json.loads(path.read_text(encoding="utf-8"))
            (out / "texts" / f"{path.stem}.txt").write_text(record["text"], encoding="utf-8")
    quizapp = Path(sys.executable).with_name("quizapp")
    paths = [str(p) for group in picked.values() for p in group]
    subprocess.run([str(quizapp), "generate", *paths, "-o", str(out / "banks")], check=True)
    half = "tuning" if tuning else "held-out"
    record = {"seed": seed, "half": half, **{k: [p.stem for p in v] for k, v in picked.items()}}
    (out / "draw.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def _rows(folder: Path) -> list[list[str]]:
    rows = []
    for path in sorted((folder / "verdicts").glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            if len(cells) >= 5 and cells[1].strip().isdigit():
                rows.append([c.strip() for c in cells])
    return rows


def tally(folder: Path) -> dict:
    """The figures of a read: per group, acceptable / read among the first 10 of each bank,
    multiple-choice questions with three good wrong options, failure kinds."""
    drawn = json.loads((folder / "draw.json").read_text(encoding="utf-8"))
    banks = {
        name: json.loads((folder / "banks" / f"{name}.json").read_text(encoding="utf-8"))
        for group in ("news", "wikipedia")
        for name in drawn[group]
    }
    rows = _rows(folder)
    result = {"seed": drawn["seed"]}
    for group in ("news", "wikipedia"):
        names = set(drawn[group])
        read = [r for r in rows if r[0] in names and int(r[1]) <= FIRST]
        ok = sum(r[2].upper() == "Y" for r in read)
        mc = [
            r
            for r in read
            if banks[r[0]]["questions"][int(r[1]) - 1]["format"] == "multiple_choice"
        ]
        good_options = sum(r[4].upper() == "Y" for r in mc)
        kinds = Counter(r[3] for r in read if r[2].upper() != "Y")
        result[group] = {
            "banks": len(names),
            "read": len(read),
            "acceptable": ok,
            "share": ok / len(read) if read else None,
            "multiple_choice": len(mc),
            "three_good_options": good_options,
            "options_share": good_options / len(mc) if mc else None,
            "failure_kinds": dict(kinds.most_common()),
        }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("draw")
    d.add_argument("--seed", type=int, required=True)
    d.add_argument("--news", type=int, default=5)
    d.add_argument("--wiki", type=int, default=10)
    d.add_argument("--out", type=Path, required=True)
    d.add_argument(
        "--tuning", action="store_true", help="draw from the tuning half (a read to learn from)"
    )
    d.add_argument(
        "--skip-news",
        type=Path,
        nargs="*",
        default=[],
        help="earlier read folders whose news articles are left out",
    )
    d.add_argument(
        "--skip-wiki",
        type=Path,
        nargs="*",
        default=[],
        help="earlier read folders whose Wikipedia paragraphs are left out",
    )
    t = sub.add_parser("tally")
    t.add_argument("folder", type=Path)
    t.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "draw":
        draw(
            args.seed,
            args.news,
            args.wiki,
            args.out,
            tuning=args.tuning,
            skip_news=read_before(args.skip_news),
            skip_wiki=read_before(args.skip_wiki),
        )
        return 0
    figures = tally(args.folder)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"seed {figures['seed']}")
    for group in ("news", "wikipedia"):
        g = figures[group]
        share = "-" if g["share"] is None else f"{g['share']:.0%}"
        opts = "-" if g["options_share"] is None else f"{g['options_share']:.0%}"
        print(
            f"{group}: {g['acceptable']} of {g['read']} acceptable ({share}) in {g['banks']} "
            f"banks; multiple choice with three good wrong options {g['three_good_options']} of "
            f"{g['multiple_choice']} ({opts})"
        )
        for kind, n in g["failure_kinds"].items():
            print(f"    {kind}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
