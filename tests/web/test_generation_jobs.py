"""Generation as a background job (issue 16): the new-set form and POST /api/v1/sets queue a job
for the task queue's worker (quizapp.tasks, Huey); its stage lives in the database.

Most tests run jobs at once (Huey's immediate mode, the default under TESTING); `queued_app`
keeps them in a real SQLite queue so a test can look at a job before it runs and then run it;
one test runs the real worker, `quizapp worker`, as a process of its own."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest
from helpers import PASSWORD, REPO_DIR, TEST_DATABASE_URL, Auth, Factory, csrf_from, small_bank

ARTICLE = (
    "The festival in Zanthorpe was opened by Mayor Quintessa Vorbeck on Saturday.\n\n"
    "About 4,500 visitors came to the harbour, organisers from the Glimmerstone Trust said. "
    "The Glimmerstone Trust paid for the fireworks, which cost 12,000 euros.\n"
)
WORKER_DEADLINE = 180.0  # seconds for a real worker to start and finish one small job


def _make_app(tmp_path, **config):
    from quizapp import create_app
    from quizapp.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite'}",
            "QUESTION_BANKS": str(REPO_DIR / "question_banks"),
            "PASSWORD_TIME_COST": 1,
            "PASSWORD_MEMORY_KIB": 64,
            "GENERATION_SLOTS": str(tmp_path / "slots"),
            **config,
        }
    )
    with app.app_context():
        if TEST_DATABASE_URL:
            db.drop_all()
        db.create_all()
    return app


@pytest.fixture
def queued_app(tmp_path):
    """An app whose jobs wait in a SQLite queue (tmp_path/queue.sqlite) until something runs
    them: no worker runs here unless the test starts one."""
    from quizapp.extensions import db

    app = _make_app(tmp_path, QUEUE=f"sqlite:///{tmp_path / 'queue.sqlite'}")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _teacher(app, client, factory=None):
    factory = factory or Factory(app)
    user_id, email = factory.user("teacher")
    assert Auth(client).login(email).status_code == 302
    return user_id


def _post_form(client, **data):
    token = csrf_from(client.get("/teach/sets/new").get_data(as_text=True))
    return client.post("/teach/sets/new", data={"csrf_token": token, **data})


def _job_id(response) -> int:
    assert response.status_code == 303, response.get_data(as_text=True)
    found = re.fullmatch(r".*/teach/jobs/(\d+)", response.headers["Location"])
    assert found, response.headers["Location"]
    return int(found.group(1))


def _run_queued(app) -> int:
    """Run every task waiting in `app`'s queue here, as the worker would: how many ran."""
    from quizapp import tasks

    huey = tasks.queue(app)
    ran = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran


# --- the web form ------------------------------------------------------------------------------


def test_the_form_queues_a_job_and_its_page_shows_the_stage(queued_app):
    from quizapp import tasks
    from quizapp.services import jobs

    client = queued_app.test_client()
    _teacher(queued_app, client)
    job_id = _job_id(_post_form(client, title="Harbour festival", text=ARTICLE))
    # Queued, not run: the request did no generation.
    assert tasks.queue(queued_app).pending_count() == 1
    page = client.get(f"/teach/jobs/{job_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Waiting for the question generator" in html
    assert 'progress id="job-progress" max="100" value="0"' in html
    # Without JavaScript it refreshes itself; with it, job.js polls the status.
    assert '<noscript><meta http-equiv="refresh"' in html
    assert "js/job.js" in html and f"/teach/jobs/{job_id}/status" in html
    status = client.get(f"/teach/jobs/{job_id}/status").get_json()
    assert status == {
        "status": "queued",
        "stage": "queued",
        "label": "Waiting for the question generator",
        "progress": 0,
        "error": None,
        "next": None,
    }
    # The worker records each stage; every app server reads it from the database.
    with queued_app.app_context():
        jobs.mark_stage(job_id, "parsing")
    html = client.get(f"/teach/jobs/{job_id}").get_data(as_text=True)
    assert 'value="15"' in html
    assert re.search(r'data-step="parsing" aria-current="step">\s*Parsing the sentences', html)
    assert re.search(r'data-step="reading">\s*Reading the article ✓', html)
    status = client.get(f"/teach/jobs/{job_id}/status").get_json()
    assert (status["status"], status["stage"], status["progress"]) == ("running", "parsing", 15)


def test_a_finished_job_lands_on_the_sets_review_page(queued_app):
    client = queued_app.test_client()
    _teacher(queued_app, client)
    job_id = _job_id(_post_form(client, title="Harbour festival", text=ARTICLE))
    assert _run_queued(queued_app) == 1
    status = client.get(f"/teach/jobs/{job_id}/status").get_json()
    assert (status["status"], status["progress"]) == ("done", 100)
    assert status["next"] == f"/teach/jobs/{job_id}"
    done = client.get(f"/teach/jobs/{job_id}")
    assert done.status_code == 303
    review = client.get(done.headers["Location"])
    html = review.get_data(as_text=True)
    assert review.status_code == 200 and "Harbour festival" in html
    assert re.search(r"\d+ questions generated", html)


def test_a_double_click_queues_one_job(queued_app):
    client = queued_app.test_client()
    _teacher(queued_app, client)
    first = _job_id(_post_form(client, text=ARTICLE))
    second = _job_id(_post_form(client, text=ARTICLE))
    assert first == second
    assert _run_queued(queued_app) == 1
    # Once the set is made, the same article goes straight to it.
    again = _post_form(client, text=ARTICLE)
    assert again.status_code == 303 and "/teach/sets/" in again.headers["Location"]


def test_a_failed_job_says_why_and_keeps_the_article(app, client, factory):
    _teacher(app, client, factory)
    text = "hello hello, nothing to ask about"
    job_id = _job_id(_post_form(client, title="My greeting", text=text))
    page = client.get(f"/teach/jobs/{job_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "No questions could be made" in html
    assert "Traceback" not in html and "refresh" not in html
    # the article and title, in the form to try again (it posts to the new-set form)
    assert re.search(rf">\s*{text}</textarea>", html) and 'value="My greeting"' in html
    assert 'action="/teach/sets/new"' in html
    status = client.get(f"/teach/jobs/{job_id}/status").get_json()
    assert status["status"] == "failed" and "No questions could be made" in status["error"]


def test_bad_input_is_refused_by_the_form_before_any_job(app, client, factory):
    from quizapp.extensions import db
    from quizapp.models import GenerationJob

    _teacher(app, client, factory)
    response = _post_form(client, text="   ")
    assert response.status_code == 400
    assert "Paste the article" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(GenerationJob.id))) == 0


def test_a_job_is_seen_by_its_owner_only(queued_app):
    owner = queued_app.test_client()
    factory = Factory(queued_app)
    _teacher(queued_app, owner, factory)
    job_id = _job_id(_post_form(owner, text=ARTICLE))
    other = queued_app.test_client()
    _teacher(queued_app, other, factory)
    assert other.get(f"/teach/jobs/{job_id}").status_code == 404
    assert other.get(f"/teach/jobs/{job_id}/status").status_code == 404
    assert other.get(f"/api/v1/jobs/{job_id}").status_code == 404
    student = queued_app.test_client()
    _, email = factory.user("student")
    Auth(student).login(email)
    assert student.get(f"/teach/jobs/{job_id}").status_code == 403
    assert student.get(f"/api/v1/jobs/{job_id}").status_code == 403
    anonymous = queued_app.test_client()
    assert anonymous.get(f"/teach/jobs/{job_id}").status_code == 302
    assert anonymous.get(f"/api/v1/jobs/{job_id}").status_code == 401
    assert owner.get(f"/teach/jobs/{job_id}").status_code == 200


def test_a_job_whose_worker_died_is_offered_again(queued_app):
    """A job stuck in a stage for longer than a generation may take lost its worker: its page
    says so and gives the article back, instead of refreshing for ever."""
    from datetime import timedelta

    from quizapp.extensions import db
    from quizapp.models import GenerationJob, utcnow
    from quizapp.services import jobs

    client = queued_app.test_client()
    _teacher(queued_app, client)
    job_id = _job_id(_post_form(client, text=ARTICLE))
    with queued_app.app_context():
        jobs.mark_stage(job_id, "parsing")
    assert client.get(f"/teach/jobs/{job_id}/status").get_json()["status"] == "running"
    with queued_app.app_context():
        job = db.session.get(GenerationJob, job_id)
        job.updated_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    page = client.get(f"/teach/jobs/{job_id}").get_data(as_text=True)
    assert "The generation was interrupted" in page and "Zanthorpe" in page
    assert client.get(f"/teach/jobs/{job_id}/status").get_json()["status"] == "failed"


# --- the API -----------------------------------------------------------------------------------


def _bearer(client, factory) -> dict:
    _, email = factory.user("teacher")
    token = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.get_json()['token']}"}


def test_the_api_answers_201_with_the_set_to_a_client_that_waits(app, client, factory):
    from quizapp.extensions import db
    from quizapp.models import GenerationJob

    headers = _bearer(client, factory)
    response = client.post("/api/v1/sets", json={"text": ARTICLE}, headers=headers)
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "draft" and len(body["questions"]) >= 3
    with app.app_context():  # made by a job, like the web form's
        job = db.session.scalar(db.select(GenerationJob))
        assert (job.stage, job.set_id, job.created_set) == ("done", body["id"], True)


def test_the_api_with_prefer_respond_async_answers_202_and_a_job_to_poll(queued_app):
    client = queued_app.test_client()
    headers = {**_bearer(client, Factory(queued_app)), "Prefer": "respond-async, wait=5"}
    response = client.post("/api/v1/sets", json={"text": ARTICLE}, headers=headers)
    assert response.status_code == 202
    assert response.headers["Preference-Applied"] == "respond-async"
    job = response.get_json()
    assert response.headers["Location"] == job["status_url"] == f"/api/v1/jobs/{job['id']}"
    assert (job["status"], job["stage"], job["progress"], job["set_id"]) == (
        "queued",
        "queued",
        0,
        None,
    )
    polled = client.get(job["status_url"], headers=headers)
    assert polled.status_code == 200 and polled.get_json()["status"] == "queued"
    assert _run_queued(queued_app) == 1
    done = client.get(job["status_url"], headers=headers).get_json()
    assert (done["status"], done["progress"], done["error"]) == ("done", 100, None)
    assert done["set"]["id"] == done["set_id"] and len(done["set"]["questions"]) >= 3
    assert "answer" in done["set"]["questions"][0]  # the owner's view of the set


def test_the_api_reports_a_failed_job(app, client, factory):
    headers = _bearer(client, factory)
    response = client.post(
        "/api/v1/sets", json={"text": "hello hello"}, headers={**headers, "Prefer": "respond-async"}
    )
    assert response.status_code == 202  # run at once in tests: already failed
    job = client.get(response.headers["Location"], headers=headers).get_json()
    assert job["status"] == "failed" and job["error"].startswith("No questions could be made")
    # a client that waits gets the job's error, as before jobs
    waited = client.post("/api/v1/sets", json={"text": "hello hello"}, headers=headers)
    assert waited.status_code == 400
    assert waited.get_json()["error"].startswith("No questions could be made")


# --- the worker's side -------------------------------------------------------------------------


def test_a_job_goes_through_every_stage_in_order(queued_app):
    from quizapp.extensions import db
    from quizapp.models import GenerationJob, User
    from quizapp.services import generation_runner, jobs

    teacher_id, _ = Factory(queued_app).user("teacher")
    with queued_app.app_context():
        job, _, fresh = jobs.start(db.session.get(User, teacher_id), text=ARTICLE)
        assert fresh
        seen: list[tuple[str, str]] = []

        def progress(stage: str) -> None:  # what another server reads at each stage
            with queued_app.app_context():
                row = db.session.get(GenerationJob, job.id)
                seen.append((stage, row.stage))

        limits = generation_runner.Limits.from_config(queued_app.config)
        gate = generation_runner.Gate.from_config(queued_app.config, queued_app.instance_path)
        jobs.run(job.id, limits=limits, gate=gate, progress=progress)
        stages = ["reading", "parsing", "questions", "storing"]
        assert seen == [(stage, stage) for stage in stages]
        job = db.session.get(GenerationJob, job.id)
        assert (job.stage, job.progress, job.error) == ("done", 100, None)
        assert job.question_count >= 3 and job.source_text == ""


def test_a_generated_set_is_stored_in_bulk(app, factory):
    """One INSERT for the questions and one for their revisions, whatever the set's size."""
    from sqlalchemy import event

    from quizapp.extensions import db
    from quizapp.models import Question, QuestionRevision
    from quizapp.services.catalogue import import_bank

    bank = small_bank()
    template = bank["questions"][0]
    bank["questions"] = [{**template, "id": f"q-bulk{n:07d}"} for n in range(300)]
    inserts: list[str] = []
    with app.app_context():

        def count(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip().upper().startswith("INSERT"):
                inserts.append(statement.split("(")[0].split()[-1].strip('"'))

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            result = import_bank(bank, status="draft")
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert result.added == 300
        assert inserts == ["question_sets", "questions", "question_revisions"]
        revisions = db.session.scalars(
            db.select(QuestionRevision)
            .join(Question, Question.id == QuestionRevision.question_id)
            .where(Question.set_id == result.question_set.id)
        ).all()
        assert len(revisions) == 300
        assert {r.content["id"] for r in revisions} == {q["id"] for q in bank["questions"]}
        question = db.session.scalar(db.select(Question).where(Question.uid == "q-bulk0000007"))
        assert question.position == 7 and question.content()["prompt"] == template["prompt"]


def test_a_real_worker_process_runs_the_job(queued_app, tmp_path):
    """`quizapp worker` (a Huey consumer) in a process of its own, on the same database and
    queue, turns the form's job into a set."""
    client = queued_app.test_client()
    _teacher(queued_app, client)
    env = {
        **os.environ,
        "QUIZAPP_INSTANCE": str(tmp_path / "worker-instance"),
        "DATABASE_URL": queued_app.config["SQLALCHEMY_DATABASE_URI"],
        "QUIZAPP_QUEUE": queued_app.config["QUEUE"],
        "SECRET_KEY": "w" * 64,
        "QUIZAPP_LOG_FORMAT": "text",
    }
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "quizapp", "worker", "--threads", "1"],
            cwd=REPO_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        job_id = _job_id(_post_form(client, title="Harbour festival", text=ARTICLE))
        deadline = time.monotonic() + WORKER_DEADLINE
        status = {}
        while time.monotonic() < deadline and worker.poll() is None:
            status = client.get(f"/teach/jobs/{job_id}/status").get_json()
            if status["status"] in ("done", "failed"):
                break
            time.sleep(0.1)  # poll interval, not a wait for something to happen
        assert status.get("status") == "done", (status, log.read_text(errors="replace"))
        done = client.get(f"/teach/jobs/{job_id}")
        assert done.status_code == 303 and "/teach/sets/" in done.headers["Location"]
    finally:
        worker.send_signal(signal.SIGINT)  # Huey's graceful stop
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    assert worker.returncode == 0, log.read_text(errors="replace")


def test_the_worker_refuses_an_immediate_queue(tmp_path):
    env = {
        **os.environ,
        "QUIZAPP_INSTANCE": str(tmp_path),
        "QUIZAPP_QUEUE": "immediate",
        "SECRET_KEY": "w" * 64,
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "quizapp", "worker"],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "there is no worker" in result.stderr and "Traceback" not in result.stderr
