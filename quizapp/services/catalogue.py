"""Question sets: importing banks, listing what a student may take, choosing a quiz's questions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..banks import BankError, load_bank, validate_bank
from ..config import DEFAULTS
from ..database import begin_write, get_by_id
from ..extensions import db
from ..models import Attempt, Question, QuestionRevision, QuestionSet, User, utcnow
from ..pagination import PER_PAGE, Paged, pages_for
from . import Invalid, NotFound, SignInRequired, question_cache

MAX_SEARCH = 200
DEFAULT_QUIZ_LENGTH = DEFAULTS["QUIZ_LENGTH"]


def safe_url(url: object) -> str | None:
    """An http(s) address, or None: a `javascript:` or `data:` source link is never kept."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in url):  # control characters (NUL, newlines)
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or len(url) > 2000:
        return None
    return url


@dataclass
class ImportResult:
    question_set: QuestionSet
    created: bool
    added: int


def question_from_bank(
    data: dict[str, Any], set_id: int, position: int, enabled: bool = True
) -> Question:
    return Question(
        set_id=set_id,
        uid=data["id"],
        position=position,
        enabled=enabled,
        version=1,
        category=data["category"],
        format=data["format"],
        prompt=data["prompt"],
        answer=data["answer"],
        accepted_answers=list(data.get("accepted_answers") or []),
        choices=list(data["choices"]) if data.get("choices") else None,
        numeric=dict(data["numeric"]) if data.get("numeric") else None,
        explanation=data.get("explanation") or "",
        source_sentence=data.get("source_sentence") or "",
        source_span=list(data["source_span"]) if data.get("source_span") else None,
        score=float(data.get("score") or 0.0),
        # When the question last changed here: its bank's time, else now. Anki re-imports
        # compare it with their copy (quizapp.anki), so a rebuild never looks newer than it is.
        updated_at=_bank_time(data.get("updated_at")) or utcnow(),
    )


def _bank_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def import_bank(
    bank: dict[str, Any],
    *,
    owner: User | None = None,
    status: str = "published",
    article_text: str | None = None,
    _retried: bool = False,
) -> ImportResult:
    """Load a bank (contracts §2) as a question set; idempotent by question id.

    The set is found again by its owner and the article's sha256 (or title when the bank has
    no digest); questions already there (same id) are left alone, new ones are appended.
    Raises Invalid when the bank does not validate, and when a draft was asked for (`status`
    "draft": a teacher's import) but the set found is published or archived and the bank has
    questions it lacks: an import never changes a live set (re-importing what it holds is fine).
    """
    problems = validate_bank(bank) if isinstance(bank, dict) else ["not a JSON object"]
    if problems:
        shown = "; ".join(problems[:3]) + (" …" if len(problems) > 3 else "")
        raise Invalid(f"not a valid question bank: {shown}")
    source = bank.get("source") or {}
    digest = source.get("sha256")
    begin_write()
    query = select(QuestionSet).where(
        QuestionSet.owner_id.is_(None) if owner is None else QuestionSet.owner_id == owner.id
    )
    query = query.where(
        QuestionSet.source_sha256 == digest if digest else QuestionSet.title == bank["title"]
    )
    qset = db.session.scalar(query.order_by(QuestionSet.id).limit(1))
    created = qset is None
    if created:
        qset = QuestionSet(
            owner_id=owner.id if owner else None,
            title=bank["title"],
            status=status,
            source_title=(source.get("title") or None),
            source_url=safe_url(source.get("url")),
            source_published=source.get("published"),
            source_licence=source.get("licence"),
            source_sha256=digest,
            article_text=article_text,
            generator=bank.get("generator"),
            published_at=utcnow() if status == "published" else None,
        )
        db.session.add(qset)
        try:
            db.session.flush()
        except IntegrityError:
            # PostgreSQL: another request made the set from this article a moment ago
            db.session.rollback()
            if _retried:
                raise
            return import_bank(
                bank, owner=owner, status=status, article_text=article_text, _retried=True
            )
    existing = set(db.session.scalars(select(Question.uid).where(Question.set_id == qset.id)))
    if status == "draft" and qset.status != "draft":
        offered = [*bank["questions"], *(bank.get("alternates") or [])]
        new = sum(1 for data in offered if data["id"] not in existing)
        if new:
            # Asked for a draft, this would change what students take (issue 19, #12).
            db.session.rollback()
            raise Invalid(_live_set_message(qset, new))
    position = db.session.scalar(
        select(func.coalesce(func.max(Question.position), -1)).where(Question.set_id == qset.id)
    )
    # A bank's alternates (each would give away a listed question) come after its list,
    # turned off: the teacher may turn one on instead of another.
    listed = [(data, True) for data in bank["questions"]]
    listed += [(data, False) for data in bank.get("alternates") or []]
    new_questions = []
    for data, enabled in listed:
        if data["id"] in existing:
            continue
        existing.add(data["id"])
        position += 1
        new_questions.append(question_from_bank(data, qset.id, position, enabled))
    _insert_questions(new_questions)
    db.session.commit()
    return ImportResult(qset, created, len(new_questions))


_QUESTION_COLUMNS = frozenset(Question.__table__.columns.keys()) - {"id"}


def _insert_questions(questions: list[Question]) -> None:
    """Insert new questions and their first revisions in bulk: one multi-row INSERT … RETURNING
    for the questions and one for the revisions (per 1,000 rows), not a flush per question."""
    if not questions:
        return
    rows = [{k: v for k, v in vars(q).items() if k in _QUESTION_COLUMNS} for q in questions]
    ids = dict(
        db.session.execute(insert(Question).returning(Question.uid, Question.id), rows).all()
    )
    revisions = [
        {"question_id": ids[q.uid], "version": 1, "content": q.content()} for q in questions
    ]
    # RETURNING makes SQLAlchemy send one multi-row INSERT (insertmanyvalues), not executemany.
    db.session.execute(insert(QuestionRevision).returning(QuestionRevision.id), revisions)


def _live_set_message(qset: QuestionSet, new: int) -> str:
    title = qset.title
    return (
        f"This file is from the same article as your {qset.status} set “{title}”, which lacks "
        f"{new} of its questions. An import adds questions to drafts only, so nothing was "
        f"imported: to add them, put “{title}” back to draft, import the file again, review the "
        "new questions, then publish it again."
    )


def import_bank_files(paths: list[str | Path]) -> list[tuple[Path, ImportResult | str]]:
    """Import each bank file; a bad file gets a message naming it, the others still load."""
    results: list[tuple[Path, ImportResult | str]] = []
    for path in map(Path, paths):
        try:
            results.append((path, import_bank(load_bank(path))))
        except BankError as exc:  # its message names the file
            db.session.rollback()
            results.append((path, str(exc)))
        except (Invalid, OSError, SQLAlchemyError) as exc:
            db.session.rollback()
            results.append((path, f"{path}: {exc}"))
    return results


def import_bank_dir(folder: str | Path) -> list[tuple[Path, ImportResult | str]]:
    """Import every `*.json` bank in `folder` (see `import_bank_files`)."""
    return import_bank_files(sorted(Path(folder).glob("*.json")))


@dataclass
class SetSummary:
    question_set: QuestionSet
    question_count: int
    best_percent: float | None


def _enabled_count():
    return (
        select(func.count(Question.id))
        .where(Question.set_id == QuestionSet.id, Question.enabled.is_(True))
        .scalar_subquery()
    )


@dataclass
class SetsPage(Paged):
    """One page of the published sets (`SetSummary`s)."""

    items: list[SetSummary]
    page: int
    pages: int
    total: int


def published_page(search: str | None = None, user: User | None = None, page: int = 1) -> SetsPage:
    """A page of PER_PAGE of `published_sets` (a page past the last gives the last): what the
    page shows is read, whatever the number of sets."""
    query = _published(search)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page, pages = pages_for(total, page)
    rows = db.session.execute(
        query.add_columns(_enabled_count()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    best = best_percent_by_set(user, [q.id for q, _n in rows]) if user is not None else {}
    items = [SetSummary(qset, n, best.get(qset.id)) for qset, n in rows]
    return SetsPage(items, page, pages, total)


def _published(search: str | None):
    """The published sets matching `search`, newest first (a query of QuestionSet)."""
    query = select(QuestionSet).where(QuestionSet.status == "published")
    words = (search or "")[:MAX_SEARCH].split()
    for word in words:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                QuestionSet.title.ilike(pattern, escape="\\"),
                QuestionSet.source_title.ilike(pattern, escape="\\"),
            )
        )
    return query.order_by(QuestionSet.source_published.desc().nulls_last(), QuestionSet.id.desc())


def published_sets(search: str | None = None, user: User | None = None) -> list[SetSummary]:
    """The published sets, newest first, matching `search` in the title or source title;
    with a signed-in user, their best score per set (percent)."""
    query = _published(search).add_columns(_enabled_count())
    rows = db.session.execute(query).all()
    best = best_percent_by_set(user) if user is not None else {}
    return [SetSummary(qset, n, best.get(qset.id)) for qset, n in rows]


def best_percent_by_set(user: User, set_ids: list[int] | None = None) -> dict[int, float]:
    """{set id: best percentage} over the user's graded full quizzes (not retries of missed
    questions, not practice); of the sets `set_ids` only, when given."""
    ratio = func.max(Attempt.score * 100.0 / Attempt.max_score)
    query = select(Attempt.set_id, ratio).where(
        and_(
            Attempt.user_id == user.id,
            Attempt.mode == "quiz",
            Attempt.state == "graded",
            Attempt.max_score > 0,
        )
    )
    if set_ids is not None:
        query = query.where(Attempt.set_id.in_(set_ids))
    rows = db.session.execute(query.group_by(Attempt.set_id)).all()
    return {set_id: float(value) for set_id, value in rows}


def sets_for(user: User | None) -> list[SetSummary]:
    """Sets the caller may take: the published ones (and, for a teacher, their own)."""
    count = _enabled_count()
    visible = QuestionSet.status == "published"
    if user is not None and user.is_teacher:
        visible = or_(visible, QuestionSet.owner_id == user.id)
    rows = db.session.execute(select(QuestionSet, count).where(visible).order_by(QuestionSet.id))
    return [SetSummary(qset, n, None) for qset, n in rows.all()]


def can_take(qset: QuestionSet, user: User | None) -> bool:
    if qset.status == "published":
        return True
    return user is not None and qset.owner_id is not None and qset.owner_id == user.id


def set_to_take(set_id: int, user: User | None) -> QuestionSet:
    """The set if `user` may take it (published, or their own). Raises NotFound otherwise —
    a draft is not revealed to exist — and SignInRequired for a guest when the set's teacher
    requires sign-in (`refuse_guest`)."""
    qset = get_by_id(QuestionSet, set_id)
    if qset is None or not can_take(qset, user):
        raise NotFound("No such question set.")
    refuse_guest(qset, user)
    return qset


def refuse_guest(qset: QuestionSet, user: User | None) -> None:
    """Raises SignInRequired when `user` is a guest (None) and the set requires sign-in."""
    if user is None and qset.require_signin:
        raise SignInRequired(
            f"Your teacher asks you to sign in to take “{qset.title}”: sign in, or create an "
            "account first.",
            qset.id,
        )


def question_count(qset: QuestionSet) -> int:
    """How many enabled questions the set has (a quiz asks min(this, QUIZ_LENGTH))."""
    return db.session.scalar(
        select(func.count(Question.id)).where(
            Question.set_id == qset.id, Question.enabled.is_(True)
        )
    )


def enabled_questions(qset: QuestionSet) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.set_id == qset.id, Question.enabled.is_(True))
            .order_by(Question.position, Question.id)
        )
    )


def quiz_questions(
    qset: QuestionSet, only: list[str] | None = None, *, length: int = DEFAULT_QUIZ_LENGTH
) -> list:
    """The default quiz (`length` enabled questions, the setting QUIZ_LENGTH; best first, none
    giving away another's answer: `quizapp.quizzes.choose`), or the listed question ids (a retry of
    missed questions) in set order, as `question_cache.CachedQuestion`s (chosen once per revision of
    the set). Raises Invalid for ids not in the set."""
    chosen = question_cache.quiz(qset, length, only)
    if chosen is None:
        raise Invalid("Some of those questions are not in this set.")
    return chosen
