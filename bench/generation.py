"""Generation throughput against the spaCy parser alone, measured side by side.

The bar: generating banks for the articles of the shared Wikinews corpus runs at no less than
0.75 x the throughput of ``nlp.pipe`` alone on the same paragraph texts.

    python bench/generation.py [--repeat N] [--json] [--batch-size N] [--corpus DIR]

Both paths get the articles already read (``read_article``) and the model already loaded; one
untimed pass of each warms them up (and loads the gazetteer). Then, for N repeats in alternating
order, it times (a) ``list(nlp.pipe(texts))`` on the body paragraph texts the generator parses
and (b) ``list(generate_banks(articles))``. Throughput is words per second (whitespace-separated
words of those paragraph texts, the same count for both paths), the median over the repeats;
the throughput ratio is (b)/(a) of those medians, checked against the bar.
Exit status: 0 when the bar is met, 1 when it is not, 2 for bad usage or a missing corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

BAR = 0.75
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wikinews"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict:
    """Where the figures come from."""
    import spacy

    from quizapp.generation.nlp import model_label

    affinity = getattr(os, "sched_getaffinity", None)
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": len(affinity(0)) if affinity else os.cpu_count(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "model": model_label(),
    }


def _timed(run: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def measure(corpus: Path, repeat: int, batch_size: int | None = None) -> dict:
    """Run the benchmark; return its figures as a JSON-ready dict."""
    from quizapp.articles import read_article
    from quizapp.generation import generate_banks
    from quizapp.generation.nlp import load_nlp

    paths = sorted(corpus.glob("*.json"))
    if not paths:
        raise FileNotFoundError(f"{corpus}: no articles (*.json)")
    articles = [read_article(p) for p in paths]
    texts = [a.text[s:e] for a in articles for s, e in a.paragraphs]
    words = sum(len(t.split()) for t in texts)

    nlp = load_nlp()

    def parse() -> None:
        list(nlp.pipe(texts, batch_size=batch_size))

    def generate() -> None:
        list(generate_banks(articles))

    parse()  # warm-up, untimed
    generate()  # warm-up, untimed; also loads the gazetteer

    parse_s: list[float] = []
    generate_s: list[float] = []
    for i in range(repeat):
        if i % 2 == 0:
            parse_s.append(_timed(parse))
            generate_s.append(_timed(generate))
        else:
            generate_s.append(_timed(generate))
            parse_s.append(_timed(parse))

    parse_wps = statistics.median(words / s for s in parse_s)
    generate_wps = statistics.median(words / s for s in generate_s)
    ratio = generate_wps / parse_wps
    # The same ratio within each repeat (a and b timed back to back): steadier under load drift.
    paired = statistics.median(a / b for a, b in zip(parse_s, generate_s, strict=True))
    return {
        "benchmark": "generation",
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "corpus": {
            "articles": len(articles),
            "paragraphs": len(texts),
            "words": words,
            "characters": sum(map(len, texts)),
        },
        "repeat": repeat,
        "parse_batch_size": batch_size or nlp.batch_size,
        "parse": {"seconds": parse_s, "words_per_second": parse_wps},
        "generate": {"seconds": generate_s, "words_per_second": generate_wps},
        "throughput_ratio": ratio,
        "paired_ratio_median": paired,
        "bar": BAR,
        "passed": ratio >= BAR,
    }


def format_result(r: dict) -> str:
    m, c = r["machine"], r["corpus"]
    secs = lambda xs: ", ".join(f"{x:.3f}" for x in xs)  # noqa: E731
    return "\n".join(
        [
            f"generation benchmark  {r['date']}",
            f"machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), {m['os']}",
            f"software: Python {m['python']}, spaCy {m['spacy']}, model {m['model']}",
            f"corpus: {c['articles']} articles, {c['paragraphs']} paragraphs, "
            f"{c['words']:,} words; {r['repeat']} repeats (median), alternating order",
            f"(a) nlp.pipe alone      {r['parse']['words_per_second']:>9,.0f} words/s"
            f"   [{secs(r['parse']['seconds'])} s]  (batch size {r['parse_batch_size']})",
            f"(b) generate_banks      {r['generate']['words_per_second']:>9,.0f} words/s"
            f"   [{secs(r['generate']['seconds'])} s]",
            f"throughput ratio (b)/(a): {r['throughput_ratio']:.3f}  "
            f"(bar >= {r['bar']:.2f}): {'PASS' if r['passed'] else 'FAIL'}",
            f"(median of the per-repeat ratios: {r['paired_ratio_median']:.3f})",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed repeats (default 3)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help=f"articles (default {DEFAULT_CORPUS})"
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        help="batch size of the nlp.pipe baseline (default: the model's own, 256 for the "
        "shipped model; the generator streams in batches of 64)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.batch_size is not None and args.batch_size < 1:
        parser.error("--batch-size must be at least 1")
    try:
        result = measure(args.corpus, args.repeat, args.batch_size)
    except FileNotFoundError as exc:
        print(f"bench/generation.py: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2) if args.json else format_result(result))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
