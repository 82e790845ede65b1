"""What one generation costs on adversarial shapes, and the server while four run (issue 19, row 2).

    python bench/generation_cost.py [--shapes A,B,…] [--no-shapes] [--no-server]
                                    [--four A,B,C,D] [--max-generations K] [--workers N]
                                    [--threads T] [--json]

Part 1, per shape. Each input of up to 200 KB (the app's article limit) goes through
`quizapp.services.generation_runner.generate` with the default limits (GENERATION_CPU_SECONDS
15, GENERATION_MEMORY_MB 500, GENERATION_WALL_SECONDS 60): the shape guard, then a child forked
from the warm fork server. Reported per shape: what happened (questions made, no question,
refused by the guard before parsing, or stopped at a limit), the child's CPU seconds and its
peak memory growth (VmHWM at the end minus VmRSS at the start, i.e. beyond the loaded model),
and the wall time. The bar: every shape finishes or stops with CPU ≤ 15 s and peak memory
growth ≤ 500 MB (a stopped generation is held to its limits by the kernel: RLIMIT_CPU and
RLIMIT_AS).

Part 2, the server. `python -m quizapp serve` (tests/live_server.py: 2 workers × 4 threads, a
fresh SQLite database) with the default settings (MAX_GENERATIONS 2, GENERATION_WAIT_SECONDS
20). A probe times `GET /` (keep-alive, one request at a time) while idle, then while four
teachers post four inputs to `POST /api/v1/sets` at once (`--four`; by default the four shapes
that cost most and still finish: a realistic 200 KB article, names in sentences, nested
parentheses, tiny paragraphs). With `--max-generations 4` all four run at once. The
bar: `GET /` p99 ≤ 1 s during the four, and no 500. (The first generation in each worker starts
its fork server, about two seconds of model loading: a warm-up posts small articles first.)

Exit status 0 when the bars hold, 1 otherwise. Timing figures move with whatever else runs on
the machine; the CPU and memory figures much less.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import threading
import time
from datetime import UTC, datetime
from http.client import HTTPConnection
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_DIR))

# bench/ is on the path as the script's folder
from live_probe import percentile, probe_while, serving  # noqa: E402

CORPUS = REPO_DIR.parent / "shared" / "corpus" / "wikinews"
LIMIT_BYTES = 200_000
CPU_BAR_S = 15.0
MEMORY_BAR_MB = 500.0
P99_BAR_S = 1.0
PASSWORD = "generation cost password 3"
FIRST = ["Alice", "Bruno", "Chiara", "Dmitri", "Esther", "Farid", "Greta", "Hiro", "Ines", "Jonas"]
LAST = ["Abara", "Brandt", "Costa", "Dumont", "Ekwueme", "Fischer", "Garcia", "Haddad", "Ivanova"]
PLACES = ["Paris", "Lagos", "Osaka", "Lima", "Oslo", "Quito", "Hanoi", "Perth", "Tunis", "Riga"]


def realistic(rotate: int = 0, size: int = LIMIT_BYTES - 1_000) -> str:
    """Wikinews articles one after another (starting at the `rotate`-th), about `size` bytes."""
    paths = sorted(CORPUS.glob("*.json"))
    paths = paths[rotate:] + paths[:rotate]
    texts = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in paths]
    out = "\n\n".join(texts)
    while len(out.encode("utf-8")) < size:
        out += "\n\n" + out
    return out.encode("utf-8")[:size].decode("utf-8", "ignore").rsplit("\n", 1)[0]


def _names(n: int) -> str:
    out = []
    for i in range(n):
        a, b = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
        place, year = PLACES[(i * 7) % len(PLACES)], 1900 + i % 120
        out.append(f"{a} {b}{i} met the mayor of {place} in {year}.")
    return " ".join(out)


def _numbers_in_sentences(n: int) -> str:
    return " ".join(
        f"In {1950 + i % 70}, {i * 37 % 9000 + 100:,} people visited {PLACES[i % len(PLACES)]}."
        for i in range(n)
    )


def _fit(text: str) -> str:
    data = text.encode("utf-8")
    return text if len(data) <= LIMIT_BYTES else data[:LIMIT_BYTES].decode("utf-8", "ignore")


SHAPES = {
    "brackets": lambda: "[" * 99_000 + "]" * 99_000,
    "quotes": lambda: '"' * 195_000,
    "nested parentheses": lambda: "(a " * 33_000 + ")" * 33_000,
    "nested clauses": lambda: "(Alice met Bob " * 9_000 + ")" * 9_000,
    "numbers": lambda: _fit(" ".join(str(n * 7919 % 1_000_003) for n in range(40_000))),
    "numbers in sentences": lambda: _fit(_numbers_in_sentences(6_000)),
    "names in sentences": lambda: _fit(_names(5_000)),
    "tiny paragraphs": lambda: "\n\n".join("Tom ran." for _ in range(19_000)),
    "tiny paragraphs (fewer)": lambda: "\n\n".join("Tom ran far." for _ in range(12_000)),
    "endless sentence": lambda: " ".join(["Alice met Bob in Paris and"] * 7_000),
    "runs of marks": lambda: "!?" * 99_000,
    "emoji": lambda: "\U0001f600" * 49_000,
    "one word": lambda: "a" * 199_000,
    "commas": lambda: _fit("Alice, " * 28_000),
    "realistic article": realistic,
}


FOUR = ["realistic article", "names in sentences", "nested parentheses", "tiny paragraphs (fewer)"]


# --- part 1: one generation per shape -----------------------------------------------------------


def measure_shape(name: str) -> dict:
    from quizapp.articles import parse_article
    from quizapp.services.generation_runner import Busy, GenerationTooComplex, Limits, generate

    text = SHAPES[name]()
    data = text.encode("utf-8")
    assert len(data) <= LIMIT_BYTES, (name, len(data))
    article = parse_article(data, "bench.txt", "txt")
    limits = Limits()
    started = time.perf_counter()
    row = {"shape": name, "kb": round(len(data) / 1000, 1)}
    try:
        outcome = generate(article, limits=limits)
    except (GenerationTooComplex, Busy) as exc:
        message = str(exc)
        if "computing time" in message:
            row.update(result="stopped: CPU limit", cpu_s=float(limits.cpu_seconds))
        elif "memory" in message:
            row.update(result="stopped: memory limit", growth_mb=float(limits.memory_mb))
        elif isinstance(exc, Busy):
            row.update(result="stopped: wall-clock limit")
        else:
            row.update(result="refused before parsing", cpu_s=0.0, growth_mb=0.0)
        row["message"] = message
    else:
        count = len(outcome.bank["questions"])
        row.update(
            result=f"{count} question{'' if count == 1 else 's'}" if count else "no question",
            cpu_s=outcome.cpu_seconds,
            growth_mb=outcome.peak_growth_mb,
            changes=list(outcome.changes),
        )
    row["wall_s"] = round(time.perf_counter() - started, 2)
    row["pass"] = row.get("cpu_s", 0) <= CPU_BAR_S and row.get("growth_mb", 0) <= MEMORY_BAR_MB
    return row


# --- part 2: the server while four generate ----------------------------------------------------


def _request(conn: HTTPConnection, method: str, path: str, body=None, headers=None):
    payload = json.dumps(body).encode() if body is not None else None
    headers = dict(headers or {})
    if payload is not None:
        headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    conn.request(method, path, body=payload, headers=headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, dict(response.getheaders()), data, time.perf_counter() - started


def measure_server(workers: int, threads: int, four: list[str], max_generations: int) -> dict:
    env = {"QUIZAPP_LOG_FORMAT": "text", "QUIZAPP_MAX_GENERATIONS": str(max_generations)}
    with serving("quizapp-gencost-", workers=workers, threads=threads, env=env) as server:
        port = server.port
        tokens = []
        for i in range(4):
            email = server.add_teacher(PASSWORD, f"Teacher {i}", prefix=f"teacher{i}")
            conn = HTTPConnection("127.0.0.1", port, timeout=120)
            status, _h, data, _s = _request(
                conn, "POST", "/api/v1/auth/token", {"email": email, "password": PASSWORD}
            )
            conn.close()
            if status != 200:
                raise RuntimeError(f"token for {email}: {status} {data[:200]!r}")
            tokens.append(json.loads(data)["token"])

        def post(token: str, text: str, results: list, index: int) -> None:
            conn = HTTPConnection("127.0.0.1", port, timeout=300)
            headers = {"Authorization": f"Bearer {token}"}
            status, head, data, seconds = _request(
                conn, "POST", "/api/v1/sets", {"text": text}, headers
            )
            conn.close()
            body = json.loads(data) if data.startswith(b"{") else {}
            results[index] = {
                "status": status,
                "seconds": round(seconds, 2),
                "questions": len(body.get("questions", [])),
                "error": body.get("error"),
                "retry_after": head.get("Retry-After"),
            }

        def run_all(texts: list[str]) -> list[dict]:
            results: list = [None] * len(texts)
            posters = [
                threading.Thread(target=post, args=(tokens[i % 4], text, results, i))
                for i, text in enumerate(texts)
            ]
            for t in posters:
                t.start()
            for t in posters:
                t.join()
            return results

        # warm-up: both workers start their fork servers (untimed)
        small = [
            f"{FIRST[i]} {LAST[i]} opened the bridge in {PLACES[i]} on Monday, officials said."
            for i in range(6)
        ]
        for pair in (small[0:2], small[2:4], small[4:6]):
            run_all(pair)
        idle = probe_while(port, lambda: time.sleep(10))  # the probe's measuring window
        posts: list[dict] = []
        texts = [realistic() if name == "realistic article" else SHAPES[name]() for name in four]
        busy = probe_while(port, lambda: posts.extend(run_all(texts)))
    p99 = percentile(busy.times, 0.99)
    statuses = [p["status"] for p in posts]
    return {
        "max_generations": max_generations,
        "workers": workers,
        "threads": threads,
        "idle": {
            "requests": len(idle.times),
            "p50_ms": round(percentile(idle.times, 0.5) * 1000, 1),
            "p99_ms": round(percentile(idle.times, 0.99) * 1000, 1),
        },
        "during_four": {
            "requests": len(busy.times),
            "statuses": busy.statuses,
            "p50_ms": round(percentile(busy.times, 0.5) * 1000, 1),
            "p99_ms": round(p99 * 1000, 1),
            "max_ms": round(max(busy.times) * 1000, 1) if busy.times else None,
        },
        "posts": [{"shape": name, **post} for name, post in zip(four, posts, strict=True)],
        "pass": p99 <= P99_BAR_S and 500 not in statuses and all(s < 500 for s in busy.statuses),
    }


# --- report ---------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shapes", help="comma-separated shape names (default: all)")
    parser.add_argument("--no-server", action="store_true", help="skip part 2")
    parser.add_argument("--no-shapes", action="store_true", help="skip part 1")
    parser.add_argument(
        "--four",
        default=",".join(FOUR),
        help="the four shapes posted at once in part 2 (default: the four costliest that finish)",
    )
    parser.add_argument(
        "--max-generations",
        type=int,
        default=2,
        help="QUIZAPP_MAX_GENERATIONS for the server (4: all four run at once)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    names = args.shapes.split(",") if args.shapes else list(SHAPES)
    report: dict = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "load_before": os.getloadavg()[0],
    }
    ok = True
    if not args.no_shapes:
        rows = []
        for name in names:
            row = measure_shape(name)
            rows.append(row)
            ok &= row["pass"]
            if not args.json:
                cpu = f"{row['cpu_s']:.2f}" if "cpu_s" in row else "-"
                mem = f"{row['growth_mb']:.0f}" if "growth_mb" in row else "-"
                print(
                    f"{name:24} {row['kb']:6.1f} KB  {row['result']:26} CPU {cpu:>6} s  "
                    f"peak +{mem:>4} MB  wall {row['wall_s']:6.2f} s  "
                    f"{'ok' if row['pass'] else 'OVER'}",
                    flush=True,
                )
        report["shapes"] = rows
    if not args.no_server:
        four = args.four.split(",")
        if len(four) != 4 or not set(four) <= set(SHAPES):
            parser.error(f"--four takes four of: {', '.join(SHAPES)}")
        server = measure_server(args.workers, args.threads, four, args.max_generations)
        report["server"] = server
        ok &= server["pass"]
        if not args.json:
            idle, busy = server["idle"], server["during_four"]
            print(
                f"\nGET / idle: p50 {idle['p50_ms']} ms, p99 {idle['p99_ms']} ms "
                f"({idle['requests']} requests)"
            )
            print(
                f"GET / during four generations: p50 {busy['p50_ms']} ms, p99 {busy['p99_ms']} "
                f"ms, max {busy['max_ms']} ms ({busy['requests']} requests, {busy['statuses']})"
            )
            for post in server["posts"]:
                print(f"  POST /api/v1/sets: {post}")
    report["pass"] = ok
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"\n{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
