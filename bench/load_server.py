"""The production server as `quizapp serve` runs it, plus one minimal Flask endpoint at
/_bench/ served by the same gunicorn workers: the baseline bench/load.py measures against.

    python bench/load_server.py PORT WORKERS THREADS

Settings come from the environment as for `quizapp serve` (QUIZAPP_INSTANCE, DATABASE_URL,
SECRET_KEY, QUIZAPP_* limits).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask  # noqa: E402
from werkzeug.middleware.dispatcher import DispatcherMiddleware  # noqa: E402

from quizapp import create_app, server  # noqa: E402


def minimal_app() -> Flask:
    """The smallest Flask endpoint: what the server, WSGI and Flask cost on their own."""
    app = Flask("minimal")

    @app.get("/")
    def ok():
        return "ok"

    return app


def bench_app() -> Flask:
    app = create_app()
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/_bench": minimal_app()})
    return app


def main() -> None:
    port, workers, threads = (int(arg) for arg in sys.argv[1:4])
    app = create_app()
    server.ensure_secret_key(app)
    server.upgrade_database(app)
    for path, result in server.import_shipped_banks(app):
        if isinstance(result, str):
            sys.exit(f"load_server: {path}: {result}")
    from quizapp.extensions import db

    with app.app_context():
        db.engine.dispose()  # the workers open their own connections after the fork
    server.serve("127.0.0.1", port, workers, threads=threads, app_factory=bench_app)


if __name__ == "__main__":
    main()
