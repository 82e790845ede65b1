"""A throwaway PostgreSQL cluster (Debian's binaries) for bench/load.py: start, restart, stop."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """initdb into a new temporary folder on a free port, trust authentication on 127.0.0.1;
    run as the `postgres` user when this process is root (PostgreSQL refuses to run as root)."""

    def __init__(self) -> None:
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not versions:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.bin = versions[-1].parent
        self.folder = Path(tempfile.mkdtemp(prefix="quizapp-pg-"))
        self.port = _free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self.as_user, *args], capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{Path(args[0]).name} failed: {done.stderr.strip()}")

    def _ctl(self, action: str, *extra: str) -> None:
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.folder / "data"),
            "-w",
            "-l",
            str(self.folder / "log"),
            action,
            *extra,
        )

    def start(self) -> str:
        """Create and start the cluster and a `quizapp` database; its URL."""
        if self.as_user:
            shutil.chown(self.folder, "postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.folder / "data"),
            "-A",
            "trust",
            "-U",
            "postgres",
        )
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._ctl("start", "-o", options)
        subprocess.run(
            [
                str(self.bin / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-qc",
                "CREATE DATABASE quizapp",
            ],
            check=True,
            capture_output=True,
        )
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/quizapp"

    def restart(self) -> None:
        """A fast restart: open connections are cut, the server is back when this returns."""
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        try:
            self._ctl("stop", "-m", "fast")
        except RuntimeError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)
