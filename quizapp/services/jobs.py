"""Generation jobs: a teacher's article becomes a set in the task queue's worker (quizapp/tasks.py),
not in a web request. A job row (models.GenerationJob) holds the stage, the progress, the set
made or the error, so every worker and app server sees the same state. The generation itself
runs as it always did: in a child process within the GENERATION_* limits, in one of the
MAX_GENERATIONS slots (services.generation_runner)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlalchemy import select, update

from ..database import begin_write
from ..extensions import db
from ..models import GenerationJob, QuestionSet, User, utcnow
from . import Invalid, NotFound, ServiceError, generation_runner, teaching

# The bar shows how far a job is; parsing and making questions take most of the time.
PROGRESS = {
    "queued": 0,
    "reading": 5,
    "parsing": 15,
    "questions": 60,
    "storing": 90,
    "done": 100,
    "failed": 100,
}
STAGE_LABELS = {
    "queued": "Waiting for the question generator",
    "reading": "Reading the article",
    "parsing": "Parsing the sentences",
    "questions": "Making questions",
    "storing": "Storing the set",
    "done": "Done",
    "failed": "Failed",
}
STEPS = ("reading", "parsing", "questions", "storing")
FINISHED = ("done", "failed")
FAILED_UNEXPECTEDLY = (
    "The question generator failed on this article, and nothing was saved. Try again; if it "
    "fails again, paste a shorter part of the article."
)

INTERRUPTED = (
    "The generation was interrupted (the server stopped while it ran), and nothing was saved. "
    "Try again."
)

log = logging.getLogger("quizapp.generation")


class JobFailed(ServiceError):
    """A job that ended without a set; the message and status are the job's."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def status_of(job: GenerationJob) -> str:
    """The job's status: queued, running, done or failed."""
    if job.stage in FINISHED or job.stage == "queued":
        return job.stage
    return "running"


def start(owner: User, **sent) -> tuple[GenerationJob | None, QuestionSet | None, bool]:
    """Check a teacher's article (`sent`: the fields of a teaching.ArticleSent, by name;
    teaching.check_new_set) and keep it as a queued job: (job, None, True), for the caller to
    hand to the queue. The same article as a set of the owner's: (None, that set, False); as a
    job not finished yet (a double click): (that job, None, False), not to be queued again.
    Raises Forbidden and Invalid as check_new_set does."""
    article = teaching.ArticleSent(**sent)
    new = teaching.check_new_set(owner, article)
    digest = new.article.sha256
    existing = teaching.set_from_article(owner.id, digest)
    if existing is not None:
        return None, existing, False
    if article.upload is not None and article.upload[1]:
        try:
            source = article.upload[1].decode("utf-8")  # check_new_set read it as UTF-8
        except UnicodeDecodeError:
            raise Invalid(f"{new.source_name}: the file is not UTF-8 text.") from None
    else:
        source = article.text or ""
    begin_write()
    running = db.session.scalar(
        select(GenerationJob)
        .where(
            GenerationJob.owner_id == owner.id,
            GenerationJob.source_sha256 == digest,
            GenerationJob.stage.not_in(FINISHED),
        )
        .limit(1)
    )
    if running is not None:
        db.session.commit()
        return running, None, False
    job = GenerationJob(
        owner_id=owner.id,
        stage="queued",
        progress=0,
        title=new.title,
        source_url=new.source_url,
        source_published=new.published,
        source_name=new.source_name[:200],
        source_kind=new.source_kind,
        source_text=source,
        source_sha256=digest,
    )
    db.session.add(job)
    db.session.commit()
    return job, None, True


def owned_job(job_id: int, user: User | None, stale_after: float | None = None) -> GenerationJob:
    """The teacher's own job. Raises Forbidden for a non-teacher, NotFound for a job that does
    not exist or is someone else's (its existence is not revealed). A job under way whose
    stage has not moved for `stale_after` seconds lost its worker (stopped or killed): it is
    recorded as failed, so its page offers a retry instead of waiting for ever."""
    teaching.require_teacher(user)
    job = db.session.get(GenerationJob, job_id)
    if job is None or job.owner_id != user.id:
        raise NotFound("No such generation job.")
    if stale_after is not None and status_of(job) == "running":
        if (utcnow() - job.updated_at).total_seconds() > stale_after:
            db.session.rollback()
            _record(job_id, stage="failed", error=INTERRUPTED, error_status=503)
            job = db.session.get(GenerationJob, job_id)
    return job


def result_set(job: GenerationJob) -> QuestionSet | None:
    return db.session.get(QuestionSet, job.set_id) if job.set_id is not None else None


def failure(job: GenerationJob) -> ServiceError:
    """The error a failed job ended with, to raise: Busy (503, Retry-After) when the generator
    was busy or out of time on the clock, else JobFailed with the job's status."""
    message = job.error or FAILED_UNEXPECTEDLY
    if job.error_status == generation_runner.Busy.status:
        return generation_runner.Busy(message, 60)
    return JobFailed(message, job.error_status or 400)


def wait(job_id: int, timeout: float, interval: float = 0.1) -> GenerationJob:
    """The job once it has finished, for a client that waits (the API without Prefer:
    respond-async). Raises generation_runner.Busy when it is still running after `timeout`
    seconds (it goes on: the same article again finds its set)."""
    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()  # a fresh read each time: the worker writes the job
        job = db.session.get(GenerationJob, job_id)
        if job is None or job.stage in FINISHED or time.monotonic() > deadline:
            break
        time.sleep(interval)
    if job is None or job.stage not in FINISHED:
        raise generation_runner.Busy(
            "The question generator is still working on this article. Send it again in a "
            "minute to get its set.",
            60,
        )
    return job


# --- in the worker -----------------------------------------------------------------------------


def _record(job_id: int, **values) -> None:
    """Write the job's row in a transaction of its own (the stage is seen at once)."""
    if "stage" in values:
        values.setdefault("progress", PROGRESS[values["stage"]])
    begin_write()
    db.session.execute(
        update(GenerationJob)
        .where(GenerationJob.id == job_id)
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def mark_stage(job_id: int, stage: str) -> None:
    """Record that job `job_id` reached `stage` (one of STEPS)."""
    _record(job_id, stage=stage)


def run(
    job_id: int,
    *,
    limits: generation_runner.Limits,
    gate: generation_runner.Gate,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Run a queued job to its end (the worker's task): read the article again, generate within
    `limits` in one of `gate`'s slots, store the set; record each stage as it starts, and the
    set or the error at the end. Never raises for the job's own failures (they are recorded);
    a job already finished, or gone, is left alone."""
    job = db.session.get(GenerationJob, job_id)
    if job is None or job.stage in FINISHED:
        db.session.rollback()
        return
    owner = db.session.get(User, job.owner_id)
    pasted = job.source_kind == "pasted"
    sent = teaching.ArticleSent(
        title=job.title,
        text=job.source_text if pasted else None,
        upload=None if pasted else (job.source_name, job.source_text.encode("utf-8")),
        source_url=job.source_url,
        published=job.source_published,
    )
    db.session.rollback()

    def stage(name: str) -> None:
        mark_stage(job_id, name)
        if progress is not None:
            progress(name)

    try:
        stage("reading")
        new = teaching.check_new_set(owner, sent)
        qset = teaching.set_from_article(owner.id, new.article.sha256)
        created = False
        if qset is None:
            qset, created = teaching.build_set(owner, new, limits=limits, gate=gate, progress=stage)
        set_id, count = qset.id, len(qset.questions)
    except ServiceError as exc:
        db.session.rollback()
        _record(job_id, stage="failed", error=str(exc), error_status=exc.status)
        return
    except Exception:  # noqa: BLE001 - a generator bug: logged, the teacher gets a message
        log.exception("generation job %s failed", job_id)
        db.session.rollback()
        _record(job_id, stage="failed", error=FAILED_UNEXPECTEDLY, error_status=500)
        return
    # The article is kept with the set; the job keeps only its outcome.
    _record(
        job_id,
        stage="done",
        set_id=set_id,
        created_set=created,
        question_count=count,
        source_text="",
    )


def retry_text(job: GenerationJob) -> str:
    """The article of a failed job as text to paste again (an uploaded web page as its text)."""
    if job.source_kind in ("pasted", "txt", "md"):
        return job.source_text
    try:
        return teaching.read_source(upload=(job.source_name, job.source_text.encode())).text
    except ServiceError:
        return job.source_text
