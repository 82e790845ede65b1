"""Running the app in production: migrate, import the shipped banks, serve with gunicorn."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from flask import Flask


def upgrade_database(app: Flask) -> None:
    """Apply every Alembic migration (creates the SQLite file under instance/ if needed)."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=app.config["MIGRATIONS"])


def import_shipped_banks(app: Flask) -> list[tuple[Path, object]]:
    """Load `QUESTION_BANKS/*.json` (idempotent: a second run adds nothing)."""
    from .services.catalogue import import_bank_dir

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


def default_workers() -> int:
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


def serve(host: str, port: int, workers: int, threads: int = 4) -> None:
    """Serve `create_app()` with gunicorn (gthread workers); returns when the server stops."""
    if sys.platform == "win32":  # pragma: no cover - gunicorn is Unix-only
        raise RuntimeError("quizapp serve needs Linux or macOS (gunicorn)")
    from gunicorn.app.base import BaseApplication

    from . import create_app

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"[{host}]:{port}" if ":" in host else f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", threads)
            self.cfg.set("graceful_timeout", 20)
            self.cfg.set("timeout", 60)
            self.cfg.set("accesslog", "-")
            self.cfg.set("errorlog", "-")
            self.cfg.set("proc_name", "quizapp")
            self.cfg.set("control_socket_disable", True)

        def load(self):
            return create_app()

    Server().run()
