"""The production server (`python -m quizapp serve`, gunicorn) as a subprocess, and the Chromium
settings, for the browser tests and the scripts in bench/ (which put tests/ on sys.path)."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
# Headless as root; no background connections (the machine's network is closed).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 60.0  # seconds for the server to answer its first request
STOP_TIMEOUT = 30.0  # gunicorn's graceful_timeout is 20 s


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers_200(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except urllib.error.HTTPError as exc:
        exc.close()
        return False
    except OSError:  # refused, reset or timed out while gunicorn starts
        return False


def start_server(instance: Path, workers: int = 2) -> tuple[subprocess.Popen, str]:
    """Start `quizapp serve` on a free port with `instance` as its instance folder (a fresh
    SQLite database: migrations, then the shipped banks) and wait until it answers.
    Raises RuntimeError with the server's log when it exits or does not answer in time."""
    port = free_port()
    env = {**os.environ, "QUIZAPP_INSTANCE": str(instance), "SECRET_KEY": secrets.token_hex(32)}
    env.pop("DATABASE_URL", None)
    log = instance / "server.log"
    command = [sys.executable, "-m", "quizapp", "serve", "--port", str(port)]
    with open(log, "wb") as out:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(
            [*command, "--workers", str(workers)],
            cwd=REPO_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while not answers_200(url + "/"):
        exited = proc.poll() is not None
        if exited or time.monotonic() > deadline:
            stop_server(proc)
            why = f"exited with status {proc.returncode}" if exited else "did not answer in time"
            raise RuntimeError(f"the server {why}:\n{log.read_text(errors='replace')}")
        time.sleep(0.05)  # poll interval, not a wait for something to happen
    return proc, url


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM (gunicorn's graceful stop), then SIGKILL to the whole process group."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # its own session: the master and its workers
            proc.wait()
