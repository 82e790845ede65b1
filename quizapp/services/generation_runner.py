"""Generation with bounded cost: every generation runs in a process of its own, within limits.

- The article is first made safe to parse (quizapp.generation.bounds): no pathological shape
  reaches spaCy, and an article with too many words and marks is refused before parsing.
- The generation runs in a child process forked from a warm fork server (the spaCy model loaded
  once per server process: generation_warm), under RLIMIT_CPU (`cpu_seconds` of CPU time) and
  RLIMIT_AS (`memory_mb` beyond the loaded model), at a lower priority than the web workers,
  and is killed after `wall_seconds`. A generation past its CPU time or memory stops with
  GenerationTooComplex (400) and a message for the teacher; one past the clock (a server too
  busy to give it its CPU time) with Busy (503). The next one starts from the warm server again.
- `Gate`: at most `capacity` generations at once in a process (a semaphore) and on the server
  (one lock file per slot, shared by every worker process): Busy (503 with Retry-After) at once
  when the process has `capacity` generation requests already, else after waiting up to
  `wait_seconds` for a slot.
- `one_at_a_time`: the same article twice at once is generated once.

No Flask here: the CLI uses it as the web app does (`Limits.from_config` reads the settings).
"""

from __future__ import annotations

import fcntl
import json
import math
import multiprocessing
import os
import resource
import signal
import threading
import time
import traceback
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..articles import Article
from ..banks import dumps_bank
from ..generation.bounds import TOO_COMPLEX, TooComplex, bound_article
from ..settings import Settings, setting
from . import Invalid
from .limits import TooManyRequests

MB = 1024 * 1024
NICE = 10  # web requests come before a generation
_WARM_MODULE = "quizapp.services.generation_warm"


class GenerationTooComplex(Invalid):
    """An article no generation within the limits can handle; the message says why."""


class Busy(TooManyRequests):
    """No generation now: every slot stayed taken, or the server was too busy to finish it in
    time (503 with Retry-After)."""

    status = 503


@dataclass(frozen=True)
class Limits(Settings):
    """What one generation may use (settings GENERATION_*; see config.py)."""

    cpu_seconds: int = setting("GENERATION_CPU_SECONDS")
    memory_mb: int = setting("GENERATION_MEMORY_MB")  # beyond the loaded model
    wall_seconds: int = setting("GENERATION_WALL_SECONDS")
    max_tokens: int = setting("GENERATION_MAX_TOKENS")


@dataclass(frozen=True)
class Outcome:
    """A finished generation: the bank (a dict in the bank format) and what it cost."""

    bank: dict
    cpu_seconds: float
    peak_growth_mb: float
    changes: tuple[str, ...] = field(default=())
    # what the generation found besides the questions (generation/findings.py)
    findings: dict | None = None


# --- running one generation -------------------------------------------------------------------


def generate(
    article: Article,
    *,
    max_questions: int | None = None,
    limits: Limits = Limits(),
    progress: Callable[[str], None] | None = None,
) -> Outcome:
    """Generate `article`'s bank within `limits` (see the module docstring). `progress`, when
    given, is called with "parsing" when the child starts parsing and "questions" when it starts
    making questions (a background job shows them: quizapp.services.jobs).

    Raises GenerationTooComplex when the article's shape or the generation's CPU time or memory
    is past a limit, Busy when it ran out of time on the clock, RuntimeError when the generator
    itself failed (a bug, logged with its traceback).
    """
    try:
        bounded = bound_article(article, max_tokens=limits.max_tokens)
    except TooComplex as exc:
        raise GenerationTooComplex(str(exc)) from None
    kind, payload, stats = _run_child(
        bounded.article, max_questions, bounded.batch_size, limits, progress
    )
    if kind != "ok":
        raise _failure(kind, payload, limits)
    bank = json.loads(payload)
    # The bank names the article as read, not the copy made safe to parse.
    bank["source"]["sha256"] = article.sha256
    return Outcome(bank, stats["cpu"], stats["growth_mb"], bounded.changes, stats.get("findings"))


def _failure(kind: str, detail: str | None, limits: Limits) -> Exception:
    if kind == "cpu":
        return GenerationTooComplex(
            f"{TOO_COMPLEX}it needed more than {_seconds(limits.cpu_seconds)} of computing "
            "time. Split it into parts, or paste the part to ask about."
        )
    if kind == "memory":
        return GenerationTooComplex(
            f"{TOO_COMPLEX}it needed more than {limits.memory_mb:,} MB of memory. "
            "Split it into parts, or paste the part to ask about."
        )
    if kind == "wall":
        return Busy(
            "The server is too busy to make questions from this article now (it took longer "
            f"than {_seconds(limits.wall_seconds)}). Nothing was saved: try again in a minute.",
            60,
        )
    return RuntimeError(f"the generation failed ({kind}): {detail or 'no detail'}")


def _seconds(n: int) -> str:
    return "1 second" if n == 1 else f"{n} seconds"


def _context():
    ctx = multiprocessing.get_context("forkserver")
    # The fork server imports the warm generator (first: it sets the thread counts before
    # numpy loads) and this module once; a child forked from it imports only the parent's main
    # script again, if any (multiprocessing's rule: `quizapp`'s is two lines, and `python -m
    # quizapp` has none).
    ctx.set_forkserver_preload([_WARM_MODULE, __name__])
    return ctx


def _run_child(
    article: Article,
    max_questions: int | None,
    batch_size: int,
    limits: Limits,
    progress: Callable[[str], None] | None = None,
) -> tuple[str, str | None, dict]:
    """(kind, payload, stats) from a child process: ("ok", bank JSON, …), or the limit it hit
    ("cpu", "memory", "wall"), or ("error", traceback) / ("died", exit status). The child's
    ("stage", name, {}) messages on the way go to `progress`."""
    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_child_main,
        args=(send, article, max_questions, batch_size, limits.cpu_seconds, limits.memory_mb),
        name="quizapp-generation",
        daemon=True,
    )
    child.start()
    send.close()
    result: tuple[str, str | None, dict] | None = None
    deadline = time.monotonic() + limits.wall_seconds
    try:
        while True:
            if not receive.poll(max(0.0, deadline - time.monotonic())):
                child.kill()
                result = ("wall", None, {})
                break
            try:
                result = receive.recv()
            except (EOFError, OSError):
                result = None  # the child died before answering
                break
            if result[0] != "stage":
                break
            if progress is not None:
                progress(result[1])
            result = None
        child.join(10)
        if child.exitcode is None:
            child.kill()
            child.join()
    finally:
        receive.close()
    if result is None:
        code = child.exitcode
        if code in (-signal.SIGXCPU, -signal.SIGKILL):
            result = ("cpu", None, {})
        elif code in (-signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS, MEMORY_EXIT):
            result = ("memory", None, {})
        else:
            result = ("died", f"exit status {code}", {})
    child.close()
    return result


MEMORY_EXIT = 3  # the child's exit status when even reporting a MemoryError failed


def _child_main(
    conn, article: Article, max_questions: int | None, batch_size: int, cpu: int, memory_mb: int
) -> None:
    """In the child: set the limits, generate, send (kind, payload, stats) and exit."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _lower_priority()
    start_cpu = _cpu_seconds()
    # SIGXCPU (no handler: the process ends) at the soft limit, SIGKILL two seconds later.
    soft = math.ceil(start_cpu + cpu)
    _lower_limit(resource.RLIMIT_CPU, soft, soft + 2)
    start_rss = _status_kb("VmRSS")
    vm = _status_kb("VmSize") * 1024
    if vm:  # (Linux; elsewhere only the CPU and wall-clock limits hold)
        _lower_limit(resource.RLIMIT_AS, vm + memory_mb * MB, vm + memory_mb * MB)
    try:
        from ..generation import build_bank, parse_articles

        conn.send(("stage", "parsing", {}))
        (parsed,) = parse_articles([article], batch_size=batch_size)
        conn.send(("stage", "questions", {}))
        made = build_bank(parsed, max_questions)
        payload = dumps_bank(made)
        findings = made.findings  # kept with the set, for wrong-option suggestions
        del parsed, made
        kind = "ok"
    except MemoryError:
        kind, payload, findings = "memory", None, None
    except Exception:  # noqa: BLE001 - reported to the parent, which raises it there
        kind, payload, findings = "error", traceback.format_exc(limit=20), None
    stats = {
        "cpu": round(_cpu_seconds() - start_cpu, 2),
        "growth_mb": round((_status_kb("VmHWM") - start_rss) / 1024, 1),
        "findings": findings,
    }
    try:
        conn.send((kind, payload, stats))
        conn.close()
    except MemoryError:
        os._exit(MEMORY_EXIT)


def _lower_priority() -> None:
    """Web requests come before a generation (the fork server and its children)."""
    try:
        os.setpriority(os.PRIO_PROCESS, 0, max(NICE, os.getpriority(os.PRIO_PROCESS, 0)))
    except OSError:
        pass


def _lower_limit(kind: int, soft: int, hard: int) -> None:
    _, current = resource.getrlimit(kind)
    if current != resource.RLIM_INFINITY:
        hard = min(hard, current)
        soft = min(soft, hard)
    resource.setrlimit(kind, (soft, hard))


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _status_kb(key: str) -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- how many at once -------------------------------------------------------------------------


_keys: dict[Hashable, list] = {}  # key -> [lock, callers holding or waiting for it]
_keys_lock = threading.Lock()


@contextmanager
def one_at_a_time(key: Hashable, timeout: float, retry_after: int = 15) -> Iterator[None]:
    """Run the block for one caller per `key` at a time in this process: a double-clicked
    "Generate" waits for the first click's generation (up to `timeout` seconds, then Busy) and
    then finds its set, instead of generating the same article again."""
    with _keys_lock:
        entry = _keys.setdefault(key, [threading.Lock(), 0])
        entry[1] += 1
    try:
        if not entry[0].acquire(timeout=max(0.0, timeout)):
            raise Busy(
                "This article is being made into questions already (another click or tab): "
                f"try again in {retry_after} seconds.",
                retry_after,
            )
        try:
            yield
        finally:
            entry[0].release()
    finally:
        with _keys_lock:
            entry[1] -= 1
            if not entry[1]:
                del _keys[key]


class Gate:
    """At most `capacity` generations at once in this process and across every process using
    the same `folder` (slot-N lock files: fcntl.flock, released by the kernel when a process
    dies).

    `slot()` raises Busy at once when this process already has `capacity` generation requests
    (running, or waiting for a slot), so a worker keeps threads for other pages; otherwise it
    waits up to `wait_seconds` for one of the server's slots, then raises Busy.
    """

    _semaphores: dict[tuple[str, int], threading.BoundedSemaphore] = {}
    _lock = threading.Lock()

    def __init__(self, capacity: int, folder: str | os.PathLike, wait_seconds: float) -> None:
        self.capacity = capacity
        self.folder = Path(folder)
        self.wait_seconds = wait_seconds
        key = (str(self.folder.resolve()), capacity)
        with Gate._lock:
            self._semaphore = Gate._semaphores.setdefault(key, threading.BoundedSemaphore(capacity))

    @classmethod
    def from_config(cls, config: Mapping, instance_path: str | os.PathLike) -> Gate:
        """The gate the settings give: MAX_GENERATIONS slots in GENERATION_SLOTS (default
        instance/generation-slots), GENERATION_WAIT_SECONDS of waiting."""
        folder = config.get("GENERATION_SLOTS") or Path(instance_path) / "generation-slots"
        return cls(config["MAX_GENERATIONS"], folder, config["GENERATION_WAIT_SECONDS"])

    def busy(self, retry_after: int) -> Busy:
        return Busy(
            "The question generator is busy with other articles. Nothing was saved: try again "
            f"in {retry_after} seconds.",
            retry_after,
        )

    @contextmanager
    def slot(self, retry_after: int = 15) -> Iterator[int]:
        """Hold one slot (its number) for the block; Busy as the class docstring says."""
        deadline = time.monotonic() + self.wait_seconds
        if not self._semaphore.acquire(blocking=False):
            raise self.busy(retry_after)
        try:
            fd, number = self._take_file(deadline, retry_after)
            try:
                yield number
            finally:
                os.close(fd)  # closing releases the flock
        finally:
            self._semaphore.release()

    def _take_file(self, deadline: float, retry_after: int) -> tuple[int, int]:
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            for number in range(self.capacity):
                fd = os.open(self.folder / f"slot-{number}", os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(fd)
                    continue
                return fd, number
            left = deadline - time.monotonic()
            if left <= 0:
                raise self.busy(retry_after)
            time.sleep(min(0.2, left))
