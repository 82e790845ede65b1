"""Anki export speed against bare genanki, measured side by side.

The bar: exporting 10,000 questions with ``quizapp.anki`` takes at most 1.5 x the time bare
genanki needs to write the same notes (one minimal two-field note type, ``html.escape`` on both
fields, ``genanki.Package(...).write_to_file`` to a temporary path).

    python bench/anki_export.py [--questions N] [--repeat N] [--json]

The questions are bank-shaped dicts in a mix of formats (multiple choice, cloze, short answer,
numeric, and an unknown format), split into 10 sets. Each repeat times both paths back to back,
in alternating order; the best time of each path is kept and the ratio is quizapp / bare.
Exit status: 0 when the bar is met, 1 when it is not, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import gc
import html
import io
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BAR = 1.5
FORMATS = ("multiple_choice", "cloze", "short_answer", "numeric", "multiple_choice", "true_false")
CATEGORIES = ("who", "where", "how_many", "when", "what")


def make_questions(count: int) -> list[dict]:
    """``count`` varied bank-format questions (every third one with an ``updated_at``)."""
    questions = []
    for i in range(count):
        fmt = FORMATS[i % len(FORMATS)]
        answer = f"Quintessa Vorbeck-{i}" if fmt != "numeric" else f"{4500 + i:,}"
        sentence = f"On day {i} the festival & fair was opened by {answer} at the <harbour>."
        questions.append(
            {
                "id": f"q-{i:010x}",
                "category": CATEGORIES[i % len(CATEGORIES)],
                "format": fmt,
                "prompt": sentence.replace(answer, "_____")
                if fmt == "cloze"
                else f"Who opened the festival on day {i}?",
                "answer": answer,
                "accepted_answers": [answer.split()[-1]],
                "choices": [f"Ashby {i}", answer, f"Kelmore {i}", f"Dunmarch {i}"]
                if fmt == "multiple_choice"
                else None,
                "numeric": {"value": 4500 + i, "tolerance": 0, "unit": "visitors"}
                if fmt == "numeric"
                else None,
                "explanation": f"The mayor opened it on day {i} (see the article).",
                "source_sentence": sentence,
                "score": 0.5,
                **({"updated_at": "2026-03-01T12:00:00+00:00"} if i % 3 == 0 else {}),
            }
        )
    return questions


def export_quizapp(sets: list[list[dict]], now: datetime) -> int:
    from quizapp.anki import DeckSource, write_apkg

    decks = [
        DeckSource(key=f"bench:{n}", title=f"Bench set {n}", questions=qs, article_title="Bench")
        for n, qs in enumerate(sets)
    ]
    out = io.BytesIO()
    write_apkg(decks, out, now=now)
    return len(out.getvalue())


def export_bare(sets: list[list[dict]], now: datetime, tmp: Path) -> int:
    import genanki

    model = genanki.Model(
        1_500_000_001,
        "bare",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}{{Back}}"}],
    )
    decks = []
    for n, qs in enumerate(sets):
        deck = genanki.Deck(2_000_000_000 + n, f"bare::Bench set {n}")
        for q in qs:
            fields = [html.escape(q["prompt"]), html.escape(q["answer"])]
            deck.add_note(genanki.Note(model=model, fields=fields, guid=genanki.guid_for(q["id"])))
        decks.append(deck)
    path = tmp / "bare.apkg"
    genanki.Package(decks).write_to_file(str(path), timestamp=now.timestamp())
    return path.stat().st_size


def _timed(run: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def measure(count: int, repeat: int) -> dict:
    """Run the benchmark; return its figures as a JSON-ready dict."""
    questions = make_questions(count)
    size = -(-count // 10)
    sets = [questions[i : i + size] for i in range(0, count, size)]
    now = datetime.now(UTC)
    # genanki's write_to_file leaves its temp SQLite file behind: give it a folder we remove.
    with tempfile.TemporaryDirectory(prefix="anki-bench-") as tmp:
        old_tempdir, tempfile.tempdir = tempfile.tempdir, tmp
        try:
            sizes = {
                "quizapp": export_quizapp(sets, now),
                "bare": export_bare(sets, now, Path(tmp)),
            }
            times: dict[str, list[float]] = {"quizapp": [], "bare": []}
            for n in range(repeat):
                order = ("quizapp", "bare") if n % 2 == 0 else ("bare", "quizapp")
                for name in order:
                    if name == "quizapp":
                        times[name].append(_timed(lambda: export_quizapp(sets, now)))
                    else:
                        times[name].append(_timed(lambda: export_bare(sets, now, Path(tmp))))
        finally:
            tempfile.tempdir = old_tempdir
    best = {name: min(values) for name, values in times.items()}
    return {
        "machine": {
            "python": platform.python_version(),
            "os": platform.platform(),
            "cores": os.cpu_count(),
            "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        },
        "questions": count,
        "sets": len(sets),
        "repeat": repeat,
        "times": times,
        "best": best,
        "bytes": sizes,
        "ratio": best["quizapp"] / best["bare"],
        "bar": BAR,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.questions < 10 or args.repeat < 1:
        parser.error("--questions must be >= 10 and --repeat >= 1")
    figures = measure(args.questions, args.repeat)
    ok = figures["ratio"] <= BAR
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0 if ok else 1
    for name, label in (("bare", "(a) bare genanki"), ("quizapp", "(b) quizapp.anki")):
        runs = ", ".join(f"{t:.3f}" for t in figures["times"][name])
        print(
            f"{label:<18} best {figures['best'][name]:.3f} s  [{runs} s]"
            f"  {figures['bytes'][name]:,} bytes"
        )
    print(
        f"{figures['questions']:,} questions in {figures['sets']} sets; ratio (b)/(a): "
        f"{figures['ratio']:.2f}  (bar <= {BAR}): {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
