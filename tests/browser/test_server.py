"""The production server (`quizapp serve`, gunicorn with several worker processes): limits that
hold across processes, /healthz, JSON log lines, and a graceful stop on SIGTERM."""

from __future__ import annotations

import json
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from helpers import PASSWORD, REPO_DIR
from live_server import drop_database, fresh_database, start_server, stop_server

SUBMIT_LIMIT = 5
LOGIN_LIMIT = 4
ATTEMPTS = 12  # requests released together, more than either limit

pytestmark = pytest.mark.db  # each server gets a fresh database (PostgreSQL in .ci/run's rerun)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Three single-threaded workers, so requests sent together land in several processes."""
    instance = tmp_path_factory.mktemp("instance")
    database_url = fresh_database()
    env = {
        "QUIZAPP_SUBMIT_LIMIT_PER_USER": str(SUBMIT_LIMIT),
        "QUIZAPP_LOGIN_FREE_FAILURES": str(LOGIN_LIMIT),
        "QUIZAPP_BEHIND_PROXY": "1",  # X-Forwarded-For from this machine (a pretend proxy)
    }
    try:
        proc, url = start_server(instance, workers=3, threads=1, env=env, database_url=database_url)
    except RuntimeError as exc:
        drop_database(database_url)
        pytest.fail(str(exc))
    cli_env = {"QUIZAPP_INSTANCE": str(instance), **env}
    if database_url:
        cli_env["DATABASE_URL"] = database_url
    try:
        yield url, instance / "server.log", cli_env
    finally:
        stop_server(proc)
        drop_database(database_url)


def _user(cli_env: dict, email: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "quizapp", "users", "create", "--email", email]
        + ["--password", PASSWORD],
        cwd=REPO_DIR,
        env={**env, **cli_env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def _post_json(url: str, body: dict, headers: dict | None = None) -> tuple[int, dict, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.loads(exc.read()), dict(exc.headers)


def _together(count: int, call) -> list:
    """Run `call(i)` in `count` threads released at the same moment; their results."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        results[i] = call(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _request_lines(log: Path) -> list[dict]:
    lines = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if record["logger"] == "quizapp.request":
                lines.append(record)
    return lines


def test_the_submission_limit_holds_across_worker_processes(server):
    url, log, cli_env = server
    _user(cli_env, "limits@example.com")
    status, body, _ = _post_json(
        url + "/api/v1/auth/token", {"email": "limits@example.com", "password": PASSWORD}
    )
    assert status == 200
    auth = {"Authorization": f"Bearer {body['token']}"}

    def submit(i: int):
        headers = {**auth, "Idempotency-Key": f"limit-{i}"}
        return _post_json(url + "/api/v1/sets/1/attempts", {"answers": {}}, headers)[0]

    statuses = _together(ATTEMPTS, submit)
    # Never more than the limit. Each request counts the others' hits as well as its own, so in
    # a burst on PostgreSQL one or two fewer may get through (SQLite serialises: exactly 5).
    assert 1 <= statuses.count(201) <= SUBMIT_LIMIT
    assert statuses.count(429) == ATTEMPTS - statuses.count(201)
    served_by = {r["pid"] for r in _request_lines(log) if r["path"] == "/api/v1/sets/1/attempts"}
    assert len(served_by) >= 2  # the count was shared by several processes


def test_the_sign_in_limit_holds_across_worker_processes(server):
    url, log, cli_env = server
    _user(cli_env, "guessed@example.com")

    def guess(i: int):
        body = {"email": "guessed@example.com", "password": f"wrong guess {i}"}
        return _post_json(url + "/api/v1/auth/token", body)[0]

    started = time.monotonic()
    statuses = _together(ATTEMPTS, guess)
    spread = time.monotonic() - started
    # Past the free failures each further try waits 1, 2, 4 … s after the last failure: a burst
    # that a loaded machine spreads over `spread` seconds may rightly check that many more.
    later = int(math.log2(spread + 1))
    assert statuses.count(401) <= LOGIN_LIMIT + later  # passwords actually checked
    assert statuses.count(429) >= ATTEMPTS - LOGIN_LIMIT
    assert set(statuses) <= {401, 429}
    # The guesses delay that address only: the owner, from another one, signs in at once.
    right = {"email": "guessed@example.com", "password": PASSWORD}
    owner = {"X-Forwarded-For": "192.0.2.7"}
    assert _post_json(url + "/api/v1/auth/token", right, owner)[0] == 200


def test_healthz_and_json_log_lines(server):
    url, log, _cli_env = server
    request = urllib.request.Request(url + "/healthz", headers={"X-Request-ID": "probe-7"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert json.loads(response.read()) == {"status": "ok", "database": "ok"}
    lines = _request_lines(log)
    (probe,) = [r for r in lines if r["request_id"] == "probe-7"]
    assert probe["path"] == "/healthz" and probe["status"] == 200 and probe["level"] == "info"
    # gunicorn's own messages share the format: every line of the log after start-up is JSON.
    text = log.read_text(errors="replace").splitlines()
    json_lines = [line for line in text if not line.startswith("quizapp: ")]
    assert json_lines and all(json.loads(line)["time"] for line in json_lines)


def _read_response(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_sigterm_lets_a_request_in_flight_finish(tmp_path):
    database_url = fresh_database()
    proc, url = start_server(tmp_path / "instance", workers=1, database_url=database_url)
    try:
        port = int(url.rsplit(":", 1)[1])
        body = json.dumps({"email": "nobody@example.com", "password": "x"}).encode()
        head = (
            f"POST /api/v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Expect: 100-continue\r\nConnection: close\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(head)
            # The worker has read the request line and headers: the request is in flight.
            assert sock.recv(64).startswith(b"HTTP/1.1 100 Continue")
            proc.send_signal(signal.SIGTERM)
            # The server has begun its graceful stop …
            log = tmp_path / "instance" / "server.log"
            while "Handling signal: term" not in log.read_text(errors="replace"):
                assert proc.poll() is None, "the server exited with a request in flight"
            # … but still answers the request it had begun.
            sock.sendall(body)
            response = _read_response(sock)
        status_line, _, rest = response.partition(b"\r\n")
        assert status_line == b"HTTP/1.1 401 UNAUTHORIZED"
        assert json.loads(rest.split(b"\r\n\r\n", 1)[1])["error"]
        assert proc.wait(timeout=30) == 0
        assert "Shutting down: Master" in log.read_text()
    finally:
        stop_server(proc)
        drop_database(database_url)
