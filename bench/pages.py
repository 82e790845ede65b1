"""Paged lists stay flat: My results, the home page, My sets and the review page at 50 and at
5,000 rows, through Flask's test client on SQLite (issue 16: every paginated page at 5,000 rows
within 1.5 × its time at 50).

For each size a fresh SQLite database gets the seed bank, one student with that many graded
attempts, that many published sets of one teacher and a set of that many questions (bulk
inserts). Each page (the first, and a middle one) is requested once untimed, then timed
`--repeat` times, interleaved with the trivial `GET /healthz` (median): `GET /history` (My
results), `GET /` (home page, signed out), `GET /teach/` (My sets) and
`GET /teach/sets/<id>` (review page).

    .venv/bin/python bench/pages.py                # 50 and 5,000; 21 repeats
    .venv/bin/python bench/pages.py --repeat 51 --json
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# bench/ is on the path as the script's folder
from submission import interleaved  # noqa: E402

SEED_BANK = REPO / "question_banks" / "000_6624782c086abe22.json"
PASSWORD = "correct horse battery"


def build(folder: Path, rows: int):
    """An app on a fresh SQLite file: one student with `rows` graded attempts, one teacher with
    `rows` published sets and a set of `rows` questions (`BENCH_BIG_SET`)."""
    from sqlalchemy import insert, select

    from quizapp import create_app
    from quizapp.banks import load_bank
    from quizapp.extensions import db
    from quizapp.models import Attempt, Question, QuestionSet
    from quizapp.services.accounts import AccountSettings, create_user
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
        student = create_user(
            "student@example.com",
            PASSWORD,
            "student",
            "Sam",
            settings=AccountSettings.from_config(app.config),
        )
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
                for k in range(rows)
            ],
        )
        teacher = create_user(
            "teacher@example.com",
            PASSWORD,
            "teacher",
            "Tess",
            settings=AccountSettings.from_config(app.config),
        )
        db.session.execute(
            insert(QuestionSet),
            [
                {
                    "owner_id": teacher.id,
                    "title": f"Bench set {k:05}",
                    "status": "published",
                    "source_published": f"2026-{1 + k % 12:02}-{1 + k % 28:02}",
                    "created_at": start + timedelta(minutes=k),
                }
                for k in range(rows)
            ],
        )
        big = QuestionSet(
            owner_id=teacher.id, title="Big set", status="draft", article_text=qset.article_text
        )
        db.session.add(big)
        db.session.flush()
        model = db.session.scalars(select(Question).where(Question.set_id == qset.id)).all()
        db.session.execute(
            insert(Question),
            [
                {
                    "set_id": big.id,
                    "uid": f"q-bench{k:06}",
                    "position": k,
                    "enabled": bool(k % 7),
                    "version": 1,
                    "category": model[k % len(model)].category,
                    "format": model[k % len(model)].format,
                    "prompt": model[k % len(model)].prompt,
                    "answer": model[k % len(model)].answer,
                    "accepted_answers": model[k % len(model)].accepted_answers,
                    "choices": model[k % len(model)].choices,
                    "numeric": model[k % len(model)].numeric,
                    "explanation": model[k % len(model)].explanation,
                    "source_sentence": model[k % len(model)].source_sentence,
                    "source_span": model[k % len(model)].source_span,
                    "score": model[k % len(model)].score,
                }
                for k in range(rows)
            ],
        )
        db.session.commit()
        app.config["BENCH_BIG_SET"] = big.id
    return app


def timed(client, path: str, repeat: int) -> tuple[float, float]:
    """(median ms of `path`, median ms of /healthz), interleaved, after one untimed each."""
    client.get(path)
    client.get("/healthz")

    def get(_i: int) -> None:
        assert client.get(path).status_code == 200

    return interleaved(client, get, repeat)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 5000])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    pages = ("My results", "home page", "My sets", "review page")
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            app = build(Path(tmp), size)
            client = app.test_client()
            middle = max(1, -(-size // 50) // 2)
            paths = {
                "home page": "/",
                "My sets": "/teach/",
                "review page": f"/teach/sets/{app.config['BENCH_BIG_SET']}",
                "My results": "/history",
            }
            found = {"rows": size}
            for name in ("home page", "My sets", "review page", "My results"):
                who = "student" if name == "My results" else "teacher"
                if name != "home page":
                    client.post(
                        "/login", data={"email": f"{who}@example.com", "password": PASSWORD}
                    )
                first, health = timed(client, paths[name], args.repeat)
                mid, _ = timed(client, f"{paths[name]}?page={middle}", args.repeat)
                found[name] = {"first_ms": first, "middle_ms": mid, "health_ms": health}
                client.post("/logout")
                client.delete_cookie("session")
            rows.append(found)
            with app.app_context():
                from quizapp.extensions import db

                db.session.remove()
                db.engine.dispose()
    base = rows[0]
    ok = True
    for row in rows:
        for name in pages:
            figures = row[name]
            figures["first_x"] = figures["first_ms"] / base[name]["first_ms"]
            figures["middle_x"] = figures["middle_ms"] / base[name]["middle_ms"]
            ok &= figures["first_x"] <= 1.5 and figures["middle_x"] <= 1.5
    if args.json:
        print(json.dumps({"rows": rows, "pass": ok}, indent=2))
    else:
        print(
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, Python "
            f"{platform.python_version()}; SQLite; median of {args.repeat}"
        )
        for row in rows:
            for name in pages:
                f = row[name]
                print(
                    f"{name:<12} {row['rows']:>6,} rows: first page {f['first_ms']:6.1f} ms "
                    f"({f['first_x']:.2f} x at {base['rows']}), middle page "
                    f"{f['middle_ms']:6.1f} ms ({f['middle_x']:.2f} x); "
                    f"/healthz {f['health_ms']:.2f} ms"
                )
        print("bar (<= 1.5 x the time at the smallest size):", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
