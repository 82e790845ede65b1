"""The task queue (Huey): generation jobs run in a worker process, not in a web request.

QUIZAPP_QUEUE (config QUEUE) says where queued tasks wait:

- `sqlite:///path/queue.sqlite` (the default: `queue.sqlite` in the instance folder): one
  machine, no extra service; `quizapp serve` starts the worker beside the web server.
- `redis://host:6379/0`: several app servers and workers on other machines share the queue
  (`pip install redis`); every one of them also needs the same DATABASE_URL, where the jobs'
  stages are kept.
- `immediate`: a task runs at once, in the request that queues it (tests; the default when
  TESTING is on and no queue is set).

The worker is `quizapp worker` (quizapp.cli), a Huey consumer with MAX_GENERATIONS threads: each
job's generation runs in a child process within the GENERATION_* limits
(services.generation_runner), so the worker's own threads only wait.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

from .models import GenerationJob, QuestionSet, User
from .services import generation_runner, jobs

EXTENSION = "quizapp_queue"
QUEUE_NAME = "quizapp"


def queue_url(app: Flask) -> str:
    """The queue the settings give (see the module docstring)."""
    url = app.config.get("QUEUE")
    if url:
        return url
    if app.testing:
        return "immediate"
    return f"sqlite:///{Path(app.instance_path) / 'queue.sqlite'}"


def make_huey(url: str) -> Huey:
    """A Huey instance for `url`. Raises RuntimeError for a scheme it does not know."""
    if url == "immediate":
        return MemoryHuey(QUEUE_NAME, immediate=True, results=False)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(QUEUE_NAME, filename=str(path), results=False, timeout=10)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(QUEUE_NAME, url=url, results=False)
    raise RuntimeError(
        f"QUIZAPP_QUEUE must be sqlite:///<path>, redis://<host>… or immediate, not {url!r}"
    )


class _Queue:
    """An app's Huey instance and its generation task, made on first use (a command that never
    queues anything leaves no queue file behind)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._made: tuple[Huey, object] | None = None
        self._lock = threading.Lock()

    def _make(self) -> tuple[Huey, object]:
        with self._lock:
            if self._made is None:
                huey = make_huey(queue_url(self.app))
                app = self.app

                @huey.task(name="generate_set")
                def generate_set(job_id: int) -> None:
                    with app.app_context():
                        limits = generation_runner.Limits.from_config(app.config)
                        gate = generation_runner.Gate.from_config(app.config, app.instance_path)
                        jobs.run(job_id, limits=limits, gate=gate)

                self._made = (huey, generate_set)
            return self._made

    @property
    def huey(self) -> Huey:
        return self._make()[0]

    def generate_set(self, job_id: int) -> None:
        self._make()[1](job_id)


def init_app(app: Flask) -> None:
    """Give `app` its queue (made on first use) with the generation task on it."""
    app.extensions[EXTENSION] = _Queue(app)


def queue(app: Flask | None = None) -> Huey:
    return (app or current_app).extensions[EXTENSION].huey


def start_generation(owner: User, **fields) -> tuple[GenerationJob | None, QuestionSet | None]:
    """jobs.start, and the new job handed to the worker: (job, None), or (None, the set
    already made from this article). Raises as jobs.start does."""
    job, existing, fresh = jobs.start(owner, **fields)
    if fresh:
        current_app.extensions[EXTENSION].generate_set(job.id)
    return job, existing


def wait_timeout(app: Flask | None = None) -> float:
    """How long a client that waits for its set (the API without Prefer: respond-async) may
    wait: a slot, the generation, and the storing."""
    config = (app or current_app).config
    return config["GENERATION_WAIT_SECONDS"] + config["GENERATION_WALL_SECONDS"] + 30
