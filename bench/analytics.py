"""Class results at 1,000 / 10,000 / 100,000 responses: the teacher's results page, the results
CSV and `GET /api/v1/sets/<id>/stats`, through Flask's test client on SQLite.

For each size a fresh SQLite database gets the seed bank (97 questions) and, by bulk inserts,
graded 20-question quizzes (responses / 20 attempts) by 30 students (a tenth by guests), with
random right, wrong and blank answers. Each endpoint is requested once untimed, then timed
`--repeat` times (median); then once more under tracemalloc for the peak of Python memory
allocated during the request. Since issue 16 the results page and the stats API read counters
kept by submissions (the seeding's bulk inserts are counted once, by `counters.rebuild`). The
bar (issue 16): at 100,000 responses each endpoint takes ≤ 3 × its time at 1,000, with memory
per request flat.

    .venv/bin/python bench/analytics.py               # 1k, 10k, 100k; 5 repeats
    .venv/bin/python bench/analytics.py --sizes 1000 100000 --repeat 9 --json
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SEED_BANK = REPO / "question_banks" / "000_6624782c086abe22.json"
QUIZ = 20
STUDENTS = 30
PASSWORD = "correct horse battery"
BATCH = 5_000


def seed(app, responses: int, rng: random.Random) -> int:
    """The set, its teacher (teacher@example.com), students and `responses` responses."""
    from sqlalchemy import insert, select

    from quizapp.banks import load_bank
    from quizapp.extensions import db
    from quizapp.models import Attempt, Question, Response, User
    from quizapp.services import counters
    from quizapp.services.accounts import AccountSettings, create_user
    from quizapp.services.catalogue import import_bank

    with app.app_context():
        teacher = create_user(
            "teacher@example.com",
            PASSWORD,
            "teacher",
            "Ms Teacher",
            settings=AccountSettings.from_config(app.config),
        )
        qset = import_bank(load_bank(SEED_BANK), owner=teacher).question_set
        set_id = qset.id
        questions = db.session.execute(
            select(Question.id, Question.version, Question.answer).where(Question.set_id == set_id)
        ).all()
        db.session.execute(
            insert(User),
            [
                {
                    "email": f"s{n}@example.com",
                    "display_name": f"Student {n:02}",
                    "role": "student",
                    "password_hash": "x",
                    "session_nonce": f"{n:032}",
                }
                for n in range(STUDENTS)
            ],
        )
        students = list(db.session.scalars(select(User.id).where(User.role == "student")))
        start = datetime(2026, 1, 5, 9, tzinfo=UTC)
        attempts = responses // QUIZ
        next_id = 1
        pending_attempts: list[dict] = []
        pending_responses: list[dict] = []

        def flush() -> None:
            if pending_attempts:
                db.session.execute(insert(Attempt), pending_attempts)
                pending_attempts.clear()
            if pending_responses:
                db.session.execute(insert(Response), pending_responses)
                pending_responses.clear()

        for n in range(attempts):
            asked = rng.sample(questions, QUIZ)
            at = start + timedelta(minutes=n)
            guest = rng.random() < 0.1
            score = 0
            ability = rng.random()
            for question_id, version, answer in asked:
                roll = rng.random()
                if roll < ability:
                    given, correct, reason = answer, True, "exact"
                elif roll < ability + 0.1:
                    given, correct, reason = "", False, "blank"
                else:
                    given, correct, reason = rng.choice(["Paris", "1999", "nobody"]), False, "wrong"
                score += correct
                pending_responses.append(
                    {
                        "attempt_id": next_id,
                        "question_id": question_id,
                        "question_version": version,
                        "given": given,
                        "correct": correct,
                        "reason": reason,
                        "answered_at": at,
                    }
                )
            pending_attempts.append(
                {
                    "id": next_id,
                    "set_id": set_id,
                    "user_id": None if guest else rng.choice(students),
                    "guest_name": f"Guest {n}" if guest else None,
                    "mode": "quiz",
                    "state": "graded",
                    "question_ids": [q[0] for q in asked],
                    "score": score,
                    "max_score": QUIZ,
                    "started_at": at - timedelta(minutes=5),
                    "submitted_at": at,
                }
            )
            next_id += 1
            if len(pending_responses) >= BATCH:
                flush()
        flush()
        # The bulk inserts bypass the submissions that keep the class results counters.
        counters.rebuild(set_id)
        db.session.commit()
    return set_id


def measure(responses: int, repeat: int, tmp: Path) -> dict:
    from quizapp import create_app
    from quizapp.extensions import db

    path = tmp / f"analytics-{responses}.sqlite"
    app = create_app(
        {
            "SECRET_KEY": "bench-analytics-" + "0" * 32,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "PASSWORD_TIME_COST": 1,
            "PASSWORD_MEMORY_KIB": 64,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
    t0 = time.perf_counter()
    set_id = seed(app, responses, random.Random(responses))
    seeded = time.perf_counter() - t0
    client = app.test_client()
    login = client.post("/login", data={"email": "teacher@example.com", "password": PASSWORD})
    assert login.status_code in (302, 303), login.status_code
    urls = {
        "results page": f"/teach/sets/{set_id}/stats",
        "results CSV": f"/teach/sets/{set_id}/results.csv",
        "stats API": f"/api/v1/sets/{set_id}/stats",
    }
    found = {"responses": responses, "seed_s": round(seeded, 2), "endpoints": {}}
    for name, url in urls.items():

        def get(url=url) -> int:
            # Read as a browser would, chunk by chunk (a streamed CSV is produced here), without
            # keeping the body: the memory measured is the server's, not the client's copy.
            response = client.get(url, buffered=False)
            assert response.status_code == 200, (url, response.status_code)
            size = sum(len(chunk) for chunk in response.iter_encoded())
            response.close()
            return size

        size = get()
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            get()
            times.append(time.perf_counter() - t)
        tracemalloc.start()
        tracemalloc.reset_peak()
        get()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        found["endpoints"][name] = {
            "ms": round(statistics.median(times) * 1000, 1),
            "min_ms": round(min(times) * 1000, 1),
            "peak_mb": round(peak / 2**20, 2),
            "bytes": size,
        }
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        runs = [measure(n, args.repeat, Path(tmp)) for n in args.sizes]
    base = runs[0]["endpoints"]
    verdict = True
    for run in runs:
        for name, figures in run["endpoints"].items():
            figures["ratio"] = round(figures["ms"] / base[name]["ms"], 2)
    last = runs[-1]["endpoints"]
    for figures in last.values():
        verdict &= figures["ratio"] <= 3.0
    # The CSV has a row per attempt: its size, so its time, grows with the attempts. What can
    # stay flat is the time per attempt written.
    for run in runs:
        csv = run["endpoints"]["results CSV"]
        attempts = run["responses"] // QUIZ
        csv["ms_per_1000_attempts"] = round(csv["ms"] * 1000 / attempts, 1)
        csv["per_attempt_ratio"] = round(
            csv["ms_per_1000_attempts"]
            / runs[0]["endpoints"]["results CSV"]["ms_per_1000_attempts"],
            2,
        )
    flat = (
        all(f["ratio"] <= 3.0 for name, f in last.items() if name != "results CSV")
        and last["results CSV"]["per_attempt_ratio"] <= 3.0
    )
    result = {
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "runs": runs,
        "pass": verdict,
        "page_api_and_csv_per_attempt_pass": flat,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{result['when']}, {result['machine']}; median of {args.repeat}")
        print(
            f"{'responses':>10}  {'endpoint':<13} {'ms':>8} {'× 1st':>6}"
            f" {'peak MB':>8} {'bytes':>10}"
        )
        for run in runs:
            for name, f in run["endpoints"].items():
                print(
                    f"{run['responses']:>10,}  {name:<13} {f['ms']:>8.1f} {f['ratio']:>6.2f}"
                    f" {f['peak_mb']:>8.2f} {f['bytes']:>10,}"
                )
        for run in runs:
            csv = run["endpoints"]["results CSV"]
            print(
                f"{run['responses']:>10,}  CSV per 1,000 attempts written: "
                f"{csv['ms_per_1000_attempts']:.1f} ms ({csv['per_attempt_ratio']:.2f} × 1st)"
            )
        print("bar (largest ≤ 3 × smallest, each endpoint):", "PASS" if verdict else "FAIL")
        print("page and API ≤ 3 ×, CSV per attempt written ≤ 3 ×:", "PASS" if flat else "FAIL")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
