"""One write per submission, and a quiz page that renders what changes (issue 16): through
Flask's test client on SQLite, the median time of a signed-in web submission and of the quiz
page, for the seed set (97 questions) and a set of 1,000, as ratios to the trivial
`GET /healthz` timed interleaved in the same run; and the SQL statements, transactions and write
transactions of one submission (SQLAlchemy engine events).

Bars: a submission ≤ 5 ms and ≤ 12 statements in 1 write transaction; the quiz page ≤ 3 ×
/healthz, and the same (± 20%) at 1,000 questions as at 97.

    .venv/bin/python bench/submission.py               # 201 repeats
    .venv/bin/python bench/submission.py --repeat 501 --json
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SEED_BANK = REPO / "question_banks" / "000_6624782c086abe22.json"
PASSWORD = "correct horse battery"


def big_bank(size: int) -> dict:
    """The seed bank's questions repeated (new ids, numbered prompts) up to `size` questions."""
    seed = json.loads(SEED_BANK.read_text(encoding="utf-8"))
    bank = copy.deepcopy(seed)
    bank["title"] = f"{seed['title']} ({size} questions)"
    bank["source"]["sha256"] = "ee" * 32
    bank["alternates"] = []
    questions = []
    while len(questions) < size:
        for question in seed["questions"]:
            if len(questions) == size:
                break
            copy_no = len(questions) // len(seed["questions"])
            q = copy.deepcopy(question)
            q["id"] = f"{question['id'][:50]}-{copy_no}"
            questions.append(q)
    bank["questions"] = questions
    return bank


def build(folder: Path):
    """An app on a fresh SQLite file: the seed set, a set of 1,000 questions, one student."""
    from quizapp import create_app
    from quizapp.banks import load_bank
    from quizapp.extensions import db
    from quizapp.services.accounts import AccountSettings, create_user
    from quizapp.services.catalogue import import_bank

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "PASSWORD_TIME_COST": 1,
            "PASSWORD_MEMORY_KIB": 8,
            "SUBMIT_LIMIT_PER_USER": 10**9,
            "SUBMIT_LIMIT_PER_CLIENT": 10**9,
        }
    )
    with app.app_context():
        db.create_all()
        create_user(
            "student@example.com",
            PASSWORD,
            "student",
            "Sam",
            settings=AccountSettings.from_config(app.config),
        )
        small = import_bank(load_bank(SEED_BANK)).question_set
        large = import_bank(big_bank(1000)).question_set
        sizes = {small.id: 97, large.id: 1000}
    return app, sizes


def sign_in(client) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"email": "student@example.com", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code in (302, 303), response.status_code


def form_of(client, set_id: int) -> dict:
    """The quiz form's fields as a browser would send them, every question answered."""
    page = client.get(f"/sets/{set_id}/quiz").get_data(as_text=True)
    data = {"csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="(q\d+)"', tag)
        if not name:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data.setdefault(name.group(1), value.group(1) if value and "radio" in tag else "an answer")
    return data


class Counter:
    """SQL statements, transactions (BEGIN) and write transactions (BEGIN IMMEDIATE)."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.statements = self.begins = self.writes = self.commits = 0
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)

    def _statement(self, _conn, _cursor, statement, *_args) -> None:
        if statement.startswith("BEGIN"):
            self.begins += 1
            self.writes += "IMMEDIATE" in statement
        else:
            self.statements += 1

    def _commit(self, _conn) -> None:
        self.commits += 1

    def reset(self) -> None:
        self.statements = self.begins = self.writes = self.commits = 0


def interleaved(client, call, repeat: int) -> tuple[float, float]:
    """(median ms of `call(i)`, median ms of GET /healthz), alternating."""
    mine, trivial = [], []
    for i in range(repeat):
        t = time.perf_counter()
        call(i)
        mine.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        client.get("/healthz")
        trivial.append((time.perf_counter() - t) * 1000)
    return statistics.median(mine), statistics.median(trivial)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=201)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from quizapp.extensions import db

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        app, sizes = build(Path(tmp))
        client = app.test_client()
        sign_in(client)
        with app.app_context():
            counter = Counter(db.engine)
        run = 0
        for set_id, size in sizes.items():
            quiz = f"/sets/{set_id}/quiz"
            data = form_of(client, set_id)

            def page(_i, quiz=quiz):
                assert client.get(quiz).status_code == 200

            def submit(_i, quiz=quiz, data=data):
                nonlocal run
                run += 1
                response = client.post(quiz, data={**data, "submission_key": f"bench{run}"})
                assert response.status_code == 303, response.status_code

            for _ in range(5):  # warm: caches, the student's flashcards
                page(0)
                submit(0)
            counter.reset()
            submit(0)
            counted = dict(
                statements=counter.statements,
                transactions=counter.begins,
                write_transactions=counter.writes,
                commits=counter.commits,
            )
            page_ms, health_page = interleaved(client, page, args.repeat)
            submit_ms, health_submit = interleaved(client, submit, args.repeat)
            rows.append(
                {
                    "questions": size,
                    "quiz_page_ms": page_ms,
                    "quiz_page_x": page_ms / health_page,
                    "submission_ms": submit_ms,
                    "submission_x": submit_ms / health_submit,
                    "healthz_ms": (health_page + health_submit) / 2,
                    **counted,
                }
            )
    small, large = rows[0], rows[-1]
    flat = large["quiz_page_x"] / small["quiz_page_x"]
    ok = (
        all(r["submission_ms"] <= 5 for r in rows)
        and all(r["statements"] <= 12 and r["write_transactions"] == 1 for r in rows)
        and all(r["quiz_page_x"] <= 3 for r in rows)
        and 0.8 <= flat <= 1.2
    )
    if args.json:
        print(json.dumps({"rows": rows, "page_1000_over_97": flat, "pass": ok}, indent=2))
        return 0 if ok else 1
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, Python "
        f"{platform.python_version()}; SQLite; median of {args.repeat}, interleaved with /healthz"
    )
    for r in rows:
        print(
            f"{r['questions']:>5,} questions: quiz page {r['quiz_page_ms']:5.2f} ms "
            f"({r['quiz_page_x']:.2f} x /healthz); submission {r['submission_ms']:5.2f} ms "
            f"({r['submission_x']:.2f} x), {r['statements']} statements in "
            f"{r['transactions']} transactions ({r['write_transactions']} writing, "
            f"{r['commits']} commits); /healthz {r['healthz_ms']:.2f} ms"
        )
    print(f"quiz page at {large['questions']:,} / at {small['questions']}: {flat:.2f}")
    print(
        "bars (submission <= 5 ms, <= 12 statements, 1 write transaction; quiz page <= 3 x "
        "/healthz and within 20% at 1,000):",
        "PASS" if ok else "FAIL",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
