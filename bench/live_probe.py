"""What the benchmarks of a running server share (generation_cost.py, generation_queue.py):
`quizapp serve` on a fresh instance with teachers' accounts, and a probe timing `GET /` one
request at a time while something else runs. Not a benchmark itself."""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_DIR / "tests"))

from live_server import create_account, start_server, stop_server  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    """The value at `share` (0 to 1) of the sorted values, nearest rank; NaN for none."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


@dataclass(frozen=True)
class Server:
    """A running `quizapp serve`: its port and its instance folder (database and queue)."""

    port: int
    instance: Path

    def add_teacher(self, password: str, name: str, prefix: str = "teacher") -> str:
        """A new teacher account in the server's database (`quizapp users create`): its email."""
        env = {**os.environ, "QUIZAPP_INSTANCE": str(self.instance)}
        env.pop("DATABASE_URL", None)
        email = f"{prefix}-{secrets.token_hex(3)}@example.com"
        create_account(env, email, password, "teacher", name)
        return email


@contextmanager
def serving(prefix: str, *, workers: int, threads: int, env: dict[str, str]) -> Iterator[Server]:
    """`quizapp serve` (tests/live_server.py) on a fresh SQLite database in a new temporary
    instance folder named with `prefix`, with `env` added to its environment; stopped on exit."""
    instance = Path(tempfile.mkdtemp(prefix=prefix))
    proc, url = start_server(instance, workers=workers, threads=threads, env=env)
    try:
        yield Server(int(url.rsplit(":", 1)[1]), instance)
    finally:
        stop_server(proc)


class Probe(threading.Thread):
    """Times GET / one request at a time until stopped."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.times: list[float] = []
        self.statuses: dict[int, int] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        conn = HTTPConnection("127.0.0.1", self.port, timeout=120)
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                conn.request("GET", "/")
                response = conn.getresponse()
                response.read()
            except OSError:
                conn.close()
                conn = HTTPConnection("127.0.0.1", self.port, timeout=120)
                continue
            self.times.append(time.perf_counter() - started)
            self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
        conn.close()


def probe_while(port: int, work: Callable[[], object]) -> Probe:
    """The probe's figures for the time `work()` runs (the measuring window)."""
    probe = Probe(port)
    probe.start()
    try:
        work()
    finally:
        probe.stop.set()
        probe.join()
    return probe
