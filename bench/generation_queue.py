"""Generation as a background job (issue 16): the web while a 200 KB article is made into a set.

    python bench/generation_queue.py [--workers N] [--threads T] [--idle-seconds S] [--json]

`python -m quizapp serve` (tests/live_server.py: 2 workers × 4 threads by default, a fresh
SQLite database and queue) starts the web server and the generation worker (`quizapp worker`,
a Huey consumer). A teacher signs in through the web form; one small article goes through the
form first (untimed: the worker's fork server loads the spaCy model). Then a probe times
`GET /` (keep-alive, one request at a time) for `--idle-seconds` while idle, and again while a
200 KB article (Wikinews articles one after another, as bench/generation_cost.py makes it) goes
through the new-set form: the form's POST answers with the job's progress page at once, and the
teacher's browser polls the job's JSON status (as static/js/job.js does, every 0.7 s) until it
is done.

Reported: the form's POST time (the web thread it holds), the job's time to done and the
stages seen, and GET / p50 and p99 idle and during the generation. The bar: p99 during the
generation ≤ 2 × p99 idle, the POST under a second, the job done, no 5xx.
Exit status 0 when the bars hold, 1 otherwise. Timing figures move with whatever else runs on
the machine: the ratio is measured within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from datetime import UTC, datetime
from http.client import HTTPConnection
from urllib.parse import urlencode, urlsplit

# bench/ is on the path as the script's folder
from generation_cost import realistic
from live_probe import Probe, percentile, probe_while, serving

PASSWORD = "generation queue password 5"
RATIO_BAR = 2.0
POST_BAR_S = 1.0
POLL_S = 0.7  # static/js/job.js's interval
# (a bridge with a name: "the new bridge" alone would be no question a reader keeps)
SMALL = "Mayor Ada Lovelace opened the Kelmore Bridge over the Tees on Monday, officials said."


class Browser:
    """One keep-alive connection with a session cookie (enough for the sign-in and the form)."""

    def __init__(self, port: int) -> None:
        self.host, self.port = "127.0.0.1", port
        self.conn = HTTPConnection(self.host, port, timeout=300)
        self.cookie = ""

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (ConnectionError, OSError):
                # the server closes a keep-alive connection idle for a few seconds
                self.conn.close()
                self.conn = HTTPConnection(self.host, self.port, timeout=300)
                if attempt == 2:
                    raise
        seconds = time.perf_counter() - started
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        return (
            response.status,
            dict(response.getheaders()),
            data.decode("utf-8", "replace"),
            seconds,
        )

    def csrf(self, path: str) -> str:
        _s, _h, html, _t = self.request("GET", path)
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        if not found:
            raise RuntimeError(f"no CSRF token on {path}")
        return found.group(1)

    def new_set(self, text: str) -> tuple[str, float]:
        """POST the new-set form: (the job's page path, the POST's seconds)."""
        token = self.csrf("/teach/sets/new")
        status, headers, body, seconds = self.request(
            "POST", "/teach/sets/new", {"csrf_token": token, "text": text}
        )
        location = headers.get("Location", "")
        if status != 303 or "/teach/jobs/" not in location:
            raise RuntimeError(f"the form answered {status} {location} {body[:300]!r}")
        return urlsplit(location).path, seconds

    def wait_job(self, path: str) -> dict:
        """Poll the job's status until it ends: its end status and the stages seen."""
        stages: list[str] = []
        started = time.perf_counter()
        while True:
            status, _h, body, _s = self.request("GET", path + "/status")
            if status != 200:
                raise RuntimeError(f"job status answered {status}: {body[:300]!r}")
            job = json.loads(body)
            if not stages or stages[-1] != job["stage"]:
                stages.append(job["stage"])
            if job["status"] in ("done", "failed"):
                return {
                    "status": job["status"],
                    "error": job["error"],
                    "stages": stages,
                    "seconds": round(time.perf_counter() - started, 2),
                }
            time.sleep(POLL_S)  # the page's polling interval


def _figures(probe: Probe) -> dict:
    return {
        "requests": len(probe.times),
        "statuses": probe.statuses,
        "p50_ms": round(percentile(probe.times, 0.5) * 1000, 2),
        "p99_ms": round(percentile(probe.times, 0.99) * 1000, 2),
    }


def measure(workers: int, threads: int, idle_seconds: float) -> dict:
    env = {"QUIZAPP_LOG_FORMAT": "text"}
    with serving("quizapp-genqueue-", workers=workers, threads=threads, env=env) as server:
        email = server.add_teacher(PASSWORD, "Teacher")
        teacher = Browser(server.port)
        token = teacher.csrf("/login")
        status, _h, _b, _s = teacher.request(
            "POST", "/login", {"csrf_token": token, "email": email, "password": PASSWORD}
        )
        if status != 302:
            raise RuntimeError(f"sign-in answered {status}")
        warm_path, _ = teacher.new_set(SMALL)  # untimed: the fork server loads the model
        warm = teacher.wait_job(warm_path)
        if warm["status"] != "done":
            raise RuntimeError(f"the warm-up job failed: {warm}")
        idle = probe_while(server.port, lambda: time.sleep(idle_seconds))  # the idle window
        article = realistic()
        result: dict = {}

        def generate() -> None:
            path, post_seconds = teacher.new_set(article)
            result.update(post_seconds=round(post_seconds, 3), **teacher.wait_job(path))

        busy = probe_while(server.port, generate)
    idle_figures, busy_figures = _figures(idle), _figures(busy)
    ratio = busy_figures["p99_ms"] / idle_figures["p99_ms"]
    no_5xx = all(s < 500 for s in {**idle.statuses, **busy.statuses})
    return {
        "workers": workers,
        "threads": threads,
        "article_bytes": len(article.encode("utf-8")),
        "idle": idle_figures,
        "during_generation": busy_figures,
        "p99_ratio": round(ratio, 2),
        "job": result,
        "pass": ratio <= RATIO_BAR
        and result.get("status") == "done"
        and result.get("post_seconds", 99) <= POST_BAR_S
        and no_5xx,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = measure(args.workers, args.threads, args.idle_seconds)
    report["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}"
    report["when"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        idle, busy, job = report["idle"], report["during_generation"], report["job"]
        print(f"GET / idle:               p50 {idle['p50_ms']} ms, p99 {idle['p99_ms']} ms")
        print(f"GET / during generation:  p50 {busy['p50_ms']} ms, p99 {busy['p99_ms']} ms")
        print(f"p99 ratio {report['p99_ratio']} (bar ≤ {RATIO_BAR})")
        print(
            f"{report['article_bytes']:,}-byte article: form POST {job['post_seconds']} s, "
            f"job {job['status']} after {job['seconds']} s, stages {' → '.join(job['stages'])}"
        )
        print("PASS" if report["pass"] else "FAIL")
    return 0 if report["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
