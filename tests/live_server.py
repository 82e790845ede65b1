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
# A CSP violation is logged by Chromium anyway; this makes sure it reaches page.on("console")
# as an error even for report-only policies.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + e.blockedURI);
});
"""
# Run in the page: what a basic accessibility audit finds (labels, one h1, unique ids, named
# buttons and links, legends, no sideways scroll).
A11Y_AUDIT = """() => {
  const problems = [];
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  if (document.documentElement.lang !== "en") problems.push("html lang is not en");
  const h1 = document.querySelectorAll("h1").length;
  if (h1 !== 1) problems.push(`${h1} h1 elements`);
  const ids = {};
  for (const el of document.querySelectorAll("[id]")) {
    if (ids[el.id]) problems.push(`duplicate id ${el.id}`);
    ids[el.id] = true;
  }
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden") continue;
    const named = (el.labels && el.labels.length) || el.getAttribute("aria-label") ||
      el.getAttribute("aria-labelledby");
    if (!named) problems.push(`unlabelled ${el.tagName} ${el.name}`);
    if (el.type === "radio" && !el.closest("fieldset")) problems.push(`radio outside fieldset`);
  }
  for (const el of document.querySelectorAll("button, a[href]")) {
    if (visible(el) && !el.textContent.trim() && !el.getAttribute("aria-label"))
      problems.push(`${el.tagName} without text`);
  }
  for (const fs of document.querySelectorAll("fieldset")) {
    if (!fs.querySelector("legend")) problems.push("fieldset without legend");
  }
  if (document.scrollingElement.scrollWidth > window.innerWidth + 1)
    problems.push(`sideways scroll: ${document.scrollingElement.scrollWidth}px`);
  return problems;
}"""


class Problems:
    """Console errors (CSP violations included, see CSP_LISTENER), uncaught exceptions and
    failed responses seen by one page."""

    def __init__(self, page) -> None:
        self.seen: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.seen.append(f"page error: {error}"))
        page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error":
            self.seen.append(f"console error: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.seen.append(f"HTTP {response.status}: {response.url}")


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


def fresh_database() -> str | None:
    """With QUIZAPP_TEST_DATABASE_URL (PostgreSQL), a new empty database on that server for
    one server's run, as a URL; None on SQLite (the instance folder holds a fresh file)."""
    base = os.environ.get("QUIZAPP_TEST_DATABASE_URL")
    if not base:
        return None
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"quizapp_live_{secrets.token_hex(6)}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str | None) -> None:
    """Drop a database made by `fresh_database` (nothing on SQLite)."""
    if not url:
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    engine = create_engine(os.environ["QUIZAPP_TEST_DATABASE_URL"], isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def start_server(
    instance: Path,
    workers: int = 2,
    threads: int = 4,
    env: dict[str, str] | None = None,
    database_url: str | None = None,
) -> tuple[subprocess.Popen, str]:
    """Start `quizapp serve` on a free port with `instance` as its instance folder and wait
    until it answers: migrations, then the shipped banks, on a fresh SQLite file there, or on
    `database_url`; `env` adds environment variables (QUIZAPP_* settings).
    Raises RuntimeError with the server's log when it exits or does not answer in time."""
    port = free_port()
    instance.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "QUIZAPP_INSTANCE": str(instance),
        "SECRET_KEY": secrets.token_hex(32),
        **(env or {}),
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    log = instance / "server.log"
    command = [sys.executable, "-m", "quizapp", "serve", "--port", str(port)]
    with open(log, "wb") as out:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(
            [*command, "--workers", str(workers), "--threads", str(threads)],
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


def create_account(env: dict, email: str, password: str, role: str, name: str) -> None:
    """`quizapp users create` against a server's database (`env`: the live_server's)."""
    subprocess.run(
        [sys.executable, "-m", "quizapp", "users", "create", "--email", email,
         "--role", role, "--name", name, "--password", password],
        cwd=REPO_DIR, env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM (gunicorn's graceful stop), then SIGKILL to the whole process group."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # its own session: the master and its workers
            proc.wait()
