"""Running the app in production: migrate, import the shipped banks, serve with gunicorn."""

from __future__ import annotations

import ctypes
import ipaddress
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import db
from .logs import logging_config
from .services.catalogue import import_bank_dir


class TrustedProxyFix:
    """werkzeug's ProxyFix (one hop of X-Forwarded-For and X-Forwarded-Proto) for requests
    whose direct peer is a trusted proxy; from any other peer the headers are ignored, so a
    client that reaches the app's port directly is counted by its own address (issue 19, #14).
    `trusted`: addresses or networks ("127.0.0.1", "10.0.0.0/24", "::1"). Raises ValueError
    for one that is neither."""

    def __init__(self, app, trusted: Iterable[str]) -> None:
        self.app = app
        self.fixed = ProxyFix(app, x_for=1, x_proto=1)
        self.networks = []
        for entry in trusted:
            try:
                self.networks.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError:
                raise ValueError(
                    f"QUIZAPP_TRUSTED_PROXIES: {entry!r} is not an address or a network"
                ) from None

    def trusts(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return any(address in network for network in self.networks)

    def __call__(self, environ, start_response):
        if self.trusts(environ.get("REMOTE_ADDR", "")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)


def upgrade_database(app: Flask) -> None:
    """Apply every Alembic migration (creates the SQLite file under instance/ if needed)."""
    with app.app_context():
        upgrade(directory=app.config["MIGRATIONS"])


def import_shipped_banks(app: Flask) -> list[tuple[Path, object]]:
    """Load `QUESTION_BANKS/*.json` (idempotent: a second run adds nothing)."""
    with app.app_context():
        return import_bank_dir(app.config["QUESTION_BANKS"])


def ensure_secret_key(app: Flask) -> None:
    """Without SECRET_KEY in the environment, keep one in the instance folder (mode 0600) so
    that every worker, and the next start, signs sessions with the same key."""
    if os.environ.get("SECRET_KEY"):
        return
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))


def close_connections(app: Flask) -> None:
    """Close the database connections of this process, before gunicorn forks its workers:
    each worker opens its own (a connection shared across a fork breaks both)."""
    with app.app_context():
        db.engine.dispose()


GRACEFUL_SECONDS = 20  # a stopping server lets requests in flight run this long


def _worker_ready(worker) -> None:
    """gunicorn hook: a worker has loaded the app and takes requests from now on (a log line
    operators and bench/load.py can wait for; "Booting worker" comes before the app loads)."""
    worker.log.info("Worker ready (pid: %s)", worker.pid)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the worker gets SIGTERM if `quizapp serve` dies without stopping it."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_worker() -> subprocess.Popen:
    """`quizapp worker` (the generation jobs' consumer, quizapp.tasks) as a child process with
    this process's environment, so it reaches the same database and queue."""
    return subprocess.Popen(
        [sys.executable, "-m", "quizapp", "worker"],
        stdin=subprocess.DEVNULL,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )


def stop_worker(proc: subprocess.Popen) -> None:
    """SIGINT (Huey's graceful stop: the jobs under way finish), SIGTERM after
    GRACEFUL_SECONDS, SIGKILL after as many again."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        if proc.poll() is not None:
            return
        proc.send_signal(sig)
        try:
            proc.wait(GRACEFUL_SECONDS)
            return
        except subprocess.TimeoutExpired:
            continue


def default_workers() -> int:
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


def serve(
    host: str,
    port: int,
    workers: int,
    threads: int = 4,
    log_format: str = "json",
    app_factory: Callable[[], Flask] | None = None,
) -> None:
    """Serve `create_app()` (or `app_factory()`) with gunicorn: gthread workers, logs in
    `log_format` to stderr, a graceful stop on SIGTERM or SIGINT (requests in flight finish,
    up to GRACEFUL_SECONDS). Returns when the server stops; raises ValueError for an unknown
    log format."""
    if sys.platform == "win32":  # pragma: no cover - gunicorn is Unix-only
        raise RuntimeError("quizapp serve needs Linux or macOS (gunicorn)")
    from gunicorn.app.base import BaseApplication

    from . import create_app

    log_config = logging_config(log_format)

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"[{host}]:{port}" if ":" in host else f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", threads)
            self.cfg.set("graceful_timeout", GRACEFUL_SECONDS)
            self.cfg.set("timeout", 60)
            # One line per request comes from the app (quizapp.logs), not gunicorn's access log.
            self.cfg.set("accesslog", None)
            self.cfg.set("errorlog", "-")
            self.cfg.set("logconfig_dict", log_config)
            self.cfg.set("proc_name", "quizapp")
            self.cfg.set("control_socket_disable", True)
            self.cfg.set("post_worker_init", _worker_ready)

        def load(self):
            app = (app_factory or create_app)()
            # Password hashings at once on the machine, across the workers (accounts._in_slot).
            app.config["PASSWORD_HASH_SLOTS_DIR"] = str(Path(app.instance_path) / "hashing-slots")
            return app

    Server().run()
