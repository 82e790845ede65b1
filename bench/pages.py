"""Paged lists stay flat: My results at 50 and at 5,000 graded attempts of one student, through
Flask's test client on SQLite (issue 16: every paginated page at 5,000 rows within 1.5 × its
time at 50).

For each size a fresh SQLite database gets the seed bank and one student with that many graded
attempts (bulk inserts). `GET /history` (the first page, and a middle one) is requested once
untimed, then timed `--repeat` times, interleaved with the trivial `GET /healthz` (median).

    .venv/bin/python bench/pages.py                # 50 and 5,000; 21 repeats
    .venv/bin/python bench/pages.py --repeat 51 --json
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SEED_BANK = REPO / "question_banks" / "000_6624782c086abe22.json"
PASSWORD = "correct horse battery"


def build(folder: Path, attempts: int):
    """An app on a fresh SQLite file with one student who has `attempts` graded attempts."""
    from sqlalchemy import insert, select

    from quizapp import create_app
    from quizapp.banks import load_bank
    from quizapp.extensions import db
    from quizapp.models import Attempt, Question
    from quizapp.services.accounts import create_user
    from quizapp.services.catalogue import import_bank

    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "PASSWORD_TIME_COST": 1,
            "PASSWORD_MEMORY_KIB": 8,
        }
    )
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with app.app_context():
        db.create_all()
        student = create_user("student@example.com", PASSWORD, "student", "Sam")
        qset = import_bank(load_bank(SEED_BANK)).question_set
        qids = list(db.session.scalars(select(Question.id).where(Question.set_id == qset.id)))[:20]
        db.session.execute(
            insert(Attempt),
            [
                {
                    "set_id": qset.id,
                    "user_id": student.id,
                    "mode": "quiz",
                    "state": "graded",
                    "question_ids": qids,
                    "score": k % 21,
                    "max_score": 20,
                    "started_at": start + timedelta(minutes=k),
                    "submitted_at": start + timedelta(minutes=k, seconds=30),
                }
                for k in range(attempts)
            ],
        )
        db.session.commit()
    return app


def timed(client, path: str, repeat: int) -> tuple[float, float]:
    """(median ms of `path`, median ms of /healthz), interleaved."""
    client.get(path)
    client.get("/healthz")
    page, trivial = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        assert client.get(path).status_code == 200
        page.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        client.get("/healthz")
        trivial.append((time.perf_counter() - t) * 1000)
    return statistics.median(page), statistics.median(trivial)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 5000])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            app = build(Path(tmp), size)
            client = app.test_client()
            client.post("/login", data={"email": "student@example.com", "password": PASSWORD})
            middle = max(1, -(-size // 50) // 2)
            first, health = timed(client, "/history", args.repeat)
            mid, _ = timed(client, f"/history?page={middle}", args.repeat)
            rows.append(
                {"attempts": size, "first_ms": first, "middle_ms": mid, "health_ms": health}
            )
    base = rows[0]
    for row in rows:
        row["first_x"] = row["first_ms"] / base["first_ms"]
        row["middle_x"] = row["middle_ms"] / base["middle_ms"]
    ok = all(r["first_x"] <= 1.5 and r["middle_x"] <= 1.5 for r in rows)
    if args.json:
        print(json.dumps({"rows": rows, "pass": ok}, indent=2))
    else:
        print(
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, Python "
            f"{platform.python_version()}; SQLite; median of {args.repeat}"
        )
        for r in rows:
            print(
                f"My results, {r['attempts']:>6,} attempts: first page {r['first_ms']:6.1f} ms "
                f"({r['first_x']:.2f} x at {base['attempts']}), middle page "
                f"{r['middle_ms']:6.1f} ms ({r['middle_x']:.2f} x); "
                f"/healthz {r['health_ms']:.2f} ms"
            )
        print("bar (<= 1.5 x the time at the smallest size):", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
