"""Load with correctness, and faults during the load, against the real production server.

    python bench/load.py [--db sqlite|postgresql] [--students N] [--submissions N]
                         [--workers N] [--threads N] [--faults] [--json]

The server is bench/load_server.py: `quizapp serve`'s gunicorn, workers and app, plus a minimal
Flask endpoint at /_bench/ in the same workers. With --db postgresql the script starts a
throwaway PostgreSQL cluster of its own (Debian's binaries), so that it can restart it.

N students (client threads, keep-alive connections) work through timed phases, all at once:

1. the minimal endpoint (the baseline), 2. the quiz page of the seed set (signed in),
3. quiz submissions: half the students through the web form (submission key, 303), half
   through the API (`Idempotency-Key`, 201 with the score).

The three phases run in rounds (--rounds, default 5; the submissions are shared out over them),
so that each round's quiz page and submissions are measured against a baseline taken seconds
before them: on a machine shared with other work, throughput drifts between minutes by more than
a change to the app moves it. Every request's latency is recorded; each phase gives requests per
second and p50/p99 over all rounds, and the quiz page and the submissions are reported as ratios
to the baseline, all rounds together and round by round; the bars (issue 16: quiz page ≥ 0.15,
submissions ≥ 0.05) are judged on the median of the rounds' ratios.

With --faults, a fourth phase submits again while the script kills one gunicorn worker with
SIGKILL (a third of the way in) and, on PostgreSQL, restarts the database (two thirds in).
Clients retry a submission that got no answer (reset connection) or a 503 with the same
submission key until it is acknowledged. Recovery is timed: for the worker, until a new worker
process serves a request; for the database, until /healthz answers 200 again.

Afterwards the database is compared with what the clients were told: every acknowledged attempt
is there, with the score the API reported and one response per question; no key has two
attempts; no attempt exists that no client was told about. Exit status 0 when that holds with
0 lost, 0 duplicated and no 5xx outside the fault windows (503s during a database restart are
counted and reported); 1 otherwise.

Rate limits stay on but are raised for the run (one user submits far faster than a person).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.client import HTTPConnection, HTTPException, RemoteDisconnected
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_DIR))
sys.path.insert(0, str(REPO_DIR / "bench"))
sys.path.insert(0, str(REPO_DIR / "tests"))  # live_server.free_port

from live_server import answers_200, free_port  # noqa: E402
from load_cluster import Cluster  # noqa: E402

PASSWORD = "load test password 1"
SET_ID = 1  # the seed set, imported first by the server
RETRY_FOR = 60.0  # seconds a client keeps retrying one submission
BIG = str(10**9)
# Issue 16: req/s as a share of the minimal endpoint's, the median of the rounds'.
BARS = {"quiz page": 0.15, "submissions (all)": 0.05}


# --- one student ---------------------------------------------------------------------------------


class Student:
    """A keep-alive connection with a cookie jar, timing every request."""

    def __init__(self, port: int, index: int, stats: Stats) -> None:
        self.port = port
        self.index = index
        self.stats = stats
        self.cookies: dict[str, str] = {}
        self.conn: HTTPConnection | None = None
        self.token: str | None = None

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict | None = None,
    ) -> tuple[int, dict, bytes]:
        """One request; (status, headers, body). Connection errors raise OSError/HTTPException
        after the connection is dropped (the next request opens a new one)."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        reused = self.conn is not None
        if self.conn is None:
            self.conn = HTTPConnection("127.0.0.1", self.port, timeout=60)
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, HTTPException) as exc:
            self.conn.close()
            self.conn = None
            if (
                reused
                and method == "GET"
                and isinstance(exc, (RemoteDisconnected, ConnectionResetError, BrokenPipeError))
            ):
                # The server closed an idle keep-alive connection (gunicorn keeps one 2 s; the
                # request then finds it closed, or reset): a browser sends a GET again on a new
                # connection, and so do we.
                return self.request(kind, method, path, body, headers)
            self.stats.count(kind, "error")
            raise
        self.stats.record(kind, time.perf_counter() - started, response.status)
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie = value.split(";", 1)[0]
                key, _, val = cookie.partition("=")
                if val:
                    self.cookies[key] = val
                else:
                    self.cookies.pop(key, None)
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data


FORM = "application/x-www-form-urlencoded"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


def _fields(html: str) -> dict[str, list[str]]:
    """The quiz's answer fields: name → radio values ([] for a text box)."""
    fields: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]+>", html):
        name = re.search(r'name="(q\d+)"', tag)
        if not name:
            continue
        kind = re.search(r'type="(\w+)"', tag)
        values = fields.setdefault(name.group(1), [])
        value = re.search(r'value="([^"]*)"', tag)
        if kind and kind.group(1) == "radio" and value:
            values.append(value.group(1))
    return fields


def sign_in(student: Student, email: str) -> None:
    _status, _headers, page = student.request("setup", "GET", "/login")
    body = urllib.parse.urlencode(
        {"email": email, "password": PASSWORD, "csrf_token": _csrf(page.decode())}
    ).encode()
    status, _headers, _ = student.request("setup", "POST", "/login", body, {"Content-Type": FORM})
    if status != 302:
        raise RuntimeError(f"sign-in of {email} answered {status}")


def get_token(student: Student, email: str) -> None:
    body = json.dumps({"email": email, "password": PASSWORD}).encode()
    status, _h, data = student.request(
        "setup", "POST", "/api/v1/auth/token", body, {"Content-Type": "application/json"}
    )
    if status != 200:
        raise RuntimeError(f"token for {email} answered {status}")
    student.token = json.loads(data)["token"]


# --- recording -----------------------------------------------------------------------------------


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, dict[str, int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(seconds)
            bucket = self.statuses.setdefault(kind, {})
            bucket[str(status)] = bucket.get(str(status), 0) + 1

    def count(self, kind: str, what: str) -> None:
        with self.lock:
            bucket = self.statuses.setdefault(kind, {})
            bucket[what] = bucket.get(what, 0) + 1


@dataclass
class Told:
    """What the clients were told: submission key → (attempt id, score or None)."""

    acknowledged: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)  # a retry told another attempt id
    given_up: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def tell(self, key: str, attempt_id: int, score: int | None) -> None:
        with self.lock:
            before = self.acknowledged.get(key)
            if before is not None and before[0] != attempt_id:
                self.conflicts.append(key)
            self.acknowledged[key] = (attempt_id, score)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


# --- submissions ---------------------------------------------------------------------------------


def submit_web(student: Student, form: dict, told: Told, kind: str) -> None:
    """One quiz through the web form, retried with the same key until acknowledged."""
    key = secrets.token_hex(16)
    data = {"csrf_token": form["csrf"], "submission_key": key, "confirm_blank": "y"}
    for name, values in form["fields"].items():
        data[name] = secrets.choice(values) if values else secrets.choice(["12", "Baku", ""])
    body = urllib.parse.urlencode(data).encode()
    _retrying(
        lambda: student.request(kind, "POST", f"/sets/{SET_ID}/quiz", body, {"Content-Type": FORM}),
        lambda status, headers, _data: (
            told.tell(key, int(headers["location"].rstrip("/").rsplit("/", 1)[1]), None)
            if status == 303
            else None
        ),
        key,
        told,
        ok=303,
    )


def submit_api(student: Student, question_ids: list[str], told: Told, kind: str) -> None:
    key = secrets.token_hex(16)
    answers = {qid: secrets.choice(["Armenia", "12", "Baku", "1988"]) for qid in question_ids}
    body = json.dumps({"answers": answers}).encode()
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {student.token}",
        "Idempotency-Key": key,
    }

    def acknowledged(status, _headers, data):
        if status == 201:
            result = json.loads(data)
            told.tell(f"api:{key}", result["attempt_id"], result["score"])

    _retrying(
        lambda: student.request(kind, "POST", f"/api/v1/sets/{SET_ID}/attempts", body, headers),
        acknowledged,
        f"api:{key}",
        told,
        ok=201,
    )


def _retrying(send, on_answer, key: str, told: Told, ok: int) -> None:
    deadline = time.monotonic() + RETRY_FOR
    pause = 0.05
    while True:
        try:
            status, headers, data = send()
        except (OSError, HTTPException):
            status = None
        else:
            if status == ok:
                on_answer(status, headers, data)
                return
            if status not in (502, 503, 504):
                raise RuntimeError(f"submission answered {status}: {data[:200]!r}")
        if time.monotonic() > deadline:
            with told.lock:
                told.given_up.append(key)
            return
        time.sleep(pause)  # back off before retrying the same submission
        pause = min(1.0, pause * 2)


# --- the run -------------------------------------------------------------------------------------


def _run_phase(students: list[Student], work, per_student: int) -> float:
    """Run `work(student, i)` per_student times in every student's thread; wall seconds."""
    barrier = threading.Barrier(len(students) + 1)
    errors: list[BaseException] = []

    def run(student: Student) -> None:
        barrier.wait()
        try:
            for i in range(per_student):
                work(student, i)
        except BaseException as exc:  # noqa: BLE001 - reported after the phase
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in students]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{len(errors)} client(s) failed; first: {errors[0]!r}")
    return time.perf_counter() - started


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _ready_workers(log: Path) -> set[int]:
    """Worker pids that logged "Worker ready" (quizapp.server's post_worker_init hook)."""
    found = re.findall(r"Worker ready \(pid: (\d+)\)", log.read_text(errors="replace"))
    return {int(pid) for pid in found}


def _healthz_ok(port: int) -> bool:
    return answers_200(f"http://127.0.0.1:{port}/healthz")


def _wait_for(condition, seconds: float) -> float | None:
    """Poll `condition` until it holds (seconds it took) or `seconds` pass (None)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            return None
        time.sleep(0.02)
    return round(time.monotonic() - started, 2)


def inject_faults(
    server: subprocess.Popen,
    port: int,
    log: Path,
    cluster: Cluster | None,
    progress,
    total: int,
    report: dict,
) -> None:
    """Kill a worker a third of the way in, restart PostgreSQL two thirds in; time recovery
    (None: not within 60 s)."""
    _wait_for(lambda: progress() >= total // 3, 600)
    before = _ready_workers(log)
    victim = _children(server.pid)[0]
    os.kill(victim, signal.SIGKILL)
    back = _wait_for(lambda: bool(_ready_workers(log) - before), 60)
    report["worker_kill"] = {"pid": victim, "new_worker_ready_s": back}
    if cluster is None:
        return
    _wait_for(lambda: progress() >= 2 * total // 3, 600)
    started = time.monotonic()
    cluster.restart()
    restart_s = round(time.monotonic() - started, 2)
    back = _wait_for(lambda: _healthz_ok(port), 60)
    report["postgres_restart"] = {
        "pg_ctl_restart_s": restart_s,
        "healthz_200_after_s": None if back is None else round(restart_s + back, 2),
    }


def verify(database_url: str, told: Told, expected_questions: int) -> dict:
    """Compare the attempts in the database with what the clients were told."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT a.id, a.submission_key, a.score, count(r.id) FROM attempts a "
                "LEFT JOIN responses r ON r.attempt_id = a.id WHERE a.set_id = :s "
                "GROUP BY a.id, a.submission_key, a.score"
            ),
            {"s": SET_ID},
        ).all()
    engine.dispose()
    by_id = {row[0]: row for row in rows}
    keys = [row[1] for row in rows]
    lost = [k for k, (aid, _s) in told.acknowledged.items() if aid not in by_id]
    wrong_score = [
        k
        for k, (aid, score) in told.acknowledged.items()
        if score is not None and aid in by_id and by_id[aid][2] != score
    ]
    told_ids = {aid for aid, _s in told.acknowledged.values()}
    untold = [row[0] for row in rows if row[0] not in told_ids]
    partial = [row[0] for row in rows if row[3] != expected_questions]
    return {
        "acknowledged": len(told.acknowledged),
        "attempts_in_database": len(rows),
        "lost": len(lost),
        "duplicated": len(keys) - len(set(keys)) + len(told.conflicts),
        "wrong_score": len(wrong_score),
        "stored_but_never_acknowledged": len(untold),
        "attempts_without_all_responses": len(partial),
        "given_up": len(told.given_up),
    }


def phase_figures(stats: Stats, kind: str, seconds: float) -> dict:
    times = stats.times.get(kind, [])
    return {
        "requests": len(times),
        "seconds": round(seconds, 2),
        "req_per_s": round(len(times) / seconds, 1) if seconds else None,
        "p50_ms": round(percentile(times, 0.50) * 1000, 2),
        "p99_ms": round(percentile(times, 0.99) * 1000, 2),
        "statuses": stats.statuses.get(kind, {}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--students", type=int, default=16)
    parser.add_argument("--submissions", type=int, default=3200, help="in the timed phase")
    parser.add_argument("--requests", type=int, default=1600, help="per page phase and round")
    parser.add_argument(
        "--rounds", type=int, default=5, help="rounds of the timed phases (the submissions shared)"
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    # SIGTERM (e.g. `timeout`) cleans up like Ctrl-C: the server and the cluster are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if args.students < 2 or args.students % 2:
        parser.error("--students must be an even number ≥ 2 (half web, half API)")

    workdir = Path(tempfile.mkdtemp(prefix="quizapp-load-"))
    cluster = Cluster() if args.db == "postgresql" else None
    database_url = cluster.start() if cluster else f"sqlite:///{workdir / 'quizapp.sqlite'}"
    instance = workdir / "instance"
    instance.mkdir()
    port = free_port()
    env = {
        **os.environ,
        "QUIZAPP_INSTANCE": str(instance),
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "QUIZAPP_SUBMIT_LIMIT_PER_USER": BIG,
        "QUIZAPP_SUBMIT_LIMIT_PER_CLIENT": BIG,
    }
    log = instance / "server.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                str(REPO_DIR / "bench" / "load_server.py"),
                str(port),
                str(args.workers),
                str(args.threads),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    report: dict = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "load_before": round(os.getloadavg()[0], 2),
        "database": args.db,
        "students": args.students,
        "workers": args.workers,
        "threads": args.threads,
    }
    try:
        deadline = time.monotonic() + 60
        while not _healthz_ok(port):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{log.read_text()}")
            time.sleep(0.05)
        report.update(_load(args, port, database_url, env, server, log, cluster))
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if cluster:
            cluster.stop()
    passed = (
        report["check"]["lost"] == 0
        and report["check"]["duplicated"] == 0
        and report["check"]["wrong_score"] == 0
        and report["check"]["stored_but_never_acknowledged"] == 0
        and report["check"]["attempts_without_all_responses"] == 0
        and report["check"]["given_up"] == 0
        and report["five_xx_outside_faults"] == 0
        and report["five_hundreds"] == 0
        and _recovered(report.get("faults", {}))
    )
    report["result"] = "PASS" if passed else "FAIL"
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0 if passed else 1


def _load(args, port, database_url, env, server, log, cluster) -> dict:
    stats = Stats()
    told = Told()
    students = [Student(port, i, stats) for i in range(args.students)]
    web, api = students[::2], students[1::2]
    # Accounts straight in the database, with the production password hashing.
    os.environ["DATABASE_URL"] = database_url
    os.environ["QUIZAPP_INSTANCE"] = env["QUIZAPP_INSTANCE"]
    from quizapp import create_app
    from quizapp.services.accounts import AccountSettings, create_user

    app = create_app()
    emails = [f"student{s.index}@load.example" for s in students]
    with app.app_context():
        for email in emails:
            create_user(
                email, PASSWORD, "student", None, settings=AccountSettings.from_config(app.config)
            )
        from quizapp.extensions import db

        db.engine.dispose()
    forms: dict[int, dict] = {}
    for student, email in zip(students, emails, strict=True):
        if student in web:
            sign_in(student, email)
            _s, _h, page = student.request("setup", "GET", f"/sets/{SET_ID}/quiz")
            html = page.decode()
            forms[student.index] = {"csrf": _csrf(html), "fields": _fields(html)}
        else:
            get_token(student, email)
    _s, _h, data = api[0].request(
        "setup",
        "GET",
        f"/api/v1/sets/{SET_ID}",
        headers={"Authorization": f"Bearer {api[0].token}"},
    )
    question_ids = [q["id"] for q in json.loads(data)["questions"]]
    expected = len(question_ids)

    def submission(kind: str):
        def work(student: Student, _i: int) -> None:
            if student.index % 2 == 0:
                submit_web(student, forms[student.index], told, f"{kind} (web)")
            else:
                submit_api(student, question_ids, told, f"{kind} (API)")

        return work

    # Warm-up, untimed: every worker loads its caches.
    per_page = max(1, args.requests // len(students))
    _run_phase(students, lambda s, i: s.request("warm-up", "GET", "/_bench/"), 5)
    _run_phase(web, lambda s, i: s.request("warm-up", "GET", f"/sets/{SET_ID}/quiz"), 5)
    _run_phase(students, submission("warm-up"), 2)

    # The timed phases, in rounds: each round measures the minimal endpoint, the quiz page and
    # the submissions one after another, and its ratios are taken against its own baseline, so
    # that the machine's drift between minutes (other work on the cores) falls on both sides of
    # a ratio. The ratios reported are the median of the rounds'.
    per_submit = max(1, args.submissions // len(students))
    per_round = max(1, per_submit // args.rounds)
    seconds_of = {"minimal": 0.0, "quiz page": 0.0, "submit": 0.0}
    rounds = []
    for _round in range(args.rounds):
        rates = {}
        for key, work, each in (
            ("minimal", lambda s, i: s.request("minimal", "GET", "/_bench/"), per_page),
            (
                "quiz page",
                lambda s, i: s.request("quiz page", "GET", f"/sets/{SET_ID}/quiz"),
                per_page,
            ),
            ("submit", submission("submit"), per_round),
        ):
            seconds = _run_phase(students, work, each)
            seconds_of[key] += seconds
            rates[key] = each * len(students) / seconds
        rounds.append(
            {
                "minimal_req_per_s": round(rates["minimal"], 1),
                "quiz_page_ratio": round(rates["quiz page"] / rates["minimal"], 3),
                "submissions_ratio": round(rates["submit"] / rates["minimal"], 4),
            }
        )
    phases = {
        "minimal endpoint": phase_figures(stats, "minimal", seconds_of["minimal"]),
        "quiz page": phase_figures(stats, "quiz page", seconds_of["quiz page"]),
        "submission (web)": phase_figures(stats, "submit (web)", seconds_of["submit"]),
        "submission (API)": phase_figures(stats, "submit (API)", seconds_of["submit"]),
    }
    phases["submissions (all)"] = {
        "requests": phases["submission (web)"]["requests"] + phases["submission (API)"]["requests"],
        "seconds": round(seconds_of["submit"], 2),
    }
    phases["submissions (all)"]["req_per_s"] = round(
        phases["submissions (all)"]["requests"] / seconds_of["submit"], 1
    )
    base = phases["minimal endpoint"]
    ratios = {}
    for name in ("quiz page", "submission (web)", "submission (API)"):
        figures = phases[name]
        ratios[name] = {
            "req_per_s": round(figures["req_per_s"] / base["req_per_s"], 3),
            "p50": round(figures["p50_ms"] / base["p50_ms"], 2),
            "p99": round(figures["p99_ms"] / base["p99_ms"], 2),
        }
    bars = {
        "quiz page": statistics.median(r["quiz_page_ratio"] for r in rounds),
        "submissions (all)": statistics.median(r["submissions_ratio"] for r in rounds),
    }
    five_xx = sum(
        n
        for kind, bucket in stats.statuses.items()
        for code, n in bucket.items()
        if code.startswith("5")
    )
    result = {
        "phases": phases,
        "ratios_to_minimal": ratios,
        "rounds": rounds,
        "median_ratios": {
            name: {"ratio": round(value, 3), "bar": BARS[name], "met": value >= BARS[name]}
            for name, value in bars.items()
        },
        "five_xx_outside_faults": five_xx,
    }

    if args.faults:
        fault_report: dict = {"pids_before": _children(server.pid)}
        done = {"n": 0}
        total = per_submit * len(students)
        fault_work = submission("faults")

        def counted(student: Student, i: int) -> None:
            fault_work(student, i)
            done["n"] += 1

        injector = threading.Thread(
            target=inject_faults,
            args=(server, port, log, cluster, lambda: done["n"], total, fault_report),
        )
        injector.start()
        seconds = _run_phase(students, counted, per_submit)
        injector.join()
        fault_report.pop("pids_before")
        fault_report["submissions"] = total
        fault_report["seconds"] = round(seconds, 2)
        fault_report["statuses"] = {
            kind: bucket for kind, bucket in stats.statuses.items() if kind.startswith("faults")
        }
        result["faults"] = fault_report
    result["five_hundreds"] = sum(bucket.get("500", 0) for bucket in stats.statuses.values())
    result["check"] = verify(database_url, told, expected)
    return result


def _recovered(faults: dict, within: float = 10.0) -> bool:
    """Service came back by itself within `within` seconds after each fault."""
    times = [faults.get("worker_kill", {}).get("new_worker_ready_s", 0)]
    if "postgres_restart" in faults:
        times.append(faults["postgres_restart"]["healthz_200_after_s"])
    return all(t is not None and t <= within for t in times)


def format_report(report: dict) -> str:
    lines = [
        f"{report['when']}  {report['machine']}  load {report['load_before']} before the run",
        f"database {report['database']}, {report['workers']} workers × {report['threads']} "
        f"threads, {report['students']} students (half web, half API)",
        "",
        f"{'phase':<22}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}   statuses",
    ]
    for name, f in report["phases"].items():
        if "p50_ms" not in f:
            lines.append(f"{name:<22}{f['requests']:>9}{f['req_per_s']:>9}")
            continue
        lines.append(
            f"{name:<22}{f['requests']:>9}{f['req_per_s']:>9}{f['p50_ms']:>9}{f['p99_ms']:>9}"
            f"   {f['statuses']}"
        )
    lines += ["", "ratios to the minimal endpoint (req/s, p50, p99), all rounds together:"]
    for name, r in report["ratios_to_minimal"].items():
        lines.append(f"  {name:<20} {r['req_per_s']:>6} {r['p50']:>7} {r['p99']:>7}")
    lines += ["", "req/s as a share of the minimal endpoint's, round by round:"]
    for number, r in enumerate(report["rounds"], 1):
        lines.append(
            f"  round {number}: minimal {r['minimal_req_per_s']} req/s, quiz page "
            f"{r['quiz_page_ratio']}, submissions {r['submissions_ratio']}"
        )
    for name, m in report["median_ratios"].items():
        verdict = "met" if m["met"] else "NOT met"
        lines.append(f"  median, {name}: {m['ratio']} (bar ≥ {m['bar']}: {verdict})")
    if "faults" in report:
        f = report["faults"]
        lines += ["", f"faults during {f['submissions']} more submissions ({f['seconds']} s):"]
        if "worker_kill" in f:
            lines.append(
                f"  kill -9 of worker {f['worker_kill']['pid']}: its replacement ready after "
                f"{f['worker_kill']['new_worker_ready_s']} s (the other workers kept serving)"
            )
        if "postgres_restart" in f:
            r = f["postgres_restart"]
            lines.append(
                f"  PostgreSQL restart ({r['pg_ctl_restart_s']} s): /healthz 200 again "
                f"{r['healthz_200_after_s']} s after it began"
            )
        for kind, bucket in f["statuses"].items():
            lines.append(f"  {kind}: {bucket}")
    lines += ["", "database against what clients were told:"]
    lines += [f"  {k.replace('_', ' ')}: {v}" for k, v in report["check"].items()]
    lines.append(
        f"5xx outside fault windows: {report['five_xx_outside_faults']}; "
        f"500s anywhere: {report['five_hundreds']}"
    )
    lines.append(f"result: {report['result']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
