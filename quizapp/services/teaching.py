"""What a teacher does to a set as a whole: who may, building it from an article, publishing
it with a join code. Editing its questions: quizapp/services/editing.py."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..articles import Article, ArticleError, parse_article
from ..database import begin_write
from ..extensions import db
from ..models import (
    SET_STATUSES,
    Attempt,
    Question,
    QuestionSet,
    User,
    utcnow,
)
from . import Conflict, Forbidden, Invalid, NotFound, generation_runner
from .attempts import clean_text
from .catalogue import import_bank, safe_url

# Generation runs about 5,000 words a second (in the task queue's worker: services.jobs), so
# this keeps it to seconds.
MAX_ARTICLE_BYTES = 200_000
MAX_TITLE = 300
JOIN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud in class
JOIN_LENGTH = 6
UPLOAD_KINDS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html"}
UPLOAD_KINDS[".htm"] = "html"


# --- who may do what ---------------------------------------------------------------------------


def require_teacher(user: User | None) -> User:
    """Raises Forbidden unless `user` is a teacher."""
    if user is None or not user.is_teacher:
        raise Forbidden("Only teachers can do that.")
    return user


def owned_set(set_id: int, user: User | None) -> QuestionSet:
    """The teacher's own set. Raises Forbidden for a non-teacher, NotFound for a set that does
    not exist or belongs to someone else (its existence is not revealed)."""
    require_teacher(user)
    qset = db.session.get(QuestionSet, set_id)
    if qset is None or qset.owner_id != user.id:
        raise NotFound("No such question set.")
    return qset


def owned_question(qset: QuestionSet, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.set_id != qset.id:
        raise NotFound("No such question in this set.")
    return question


def question_by_uid(qset: QuestionSet, uid: str) -> Question:
    question = db.session.scalar(
        select(Question).where(Question.set_id == qset.id, Question.uid == uid[:64])
    )
    if question is None:
        raise NotFound("No such question in this set.")
    return question


# --- building a set ----------------------------------------------------------------------------


def _upload_kind(filename: str) -> str:
    dot = filename.rfind(".")
    kind = UPLOAD_KINDS.get(filename[dot:].lower()) if dot >= 0 else None
    if kind is None:
        raise Invalid(f"{filename}: upload a .txt, .md or .html file.")
    return kind


def read_source(text: str | None = None, upload: tuple[str, bytes] | None = None) -> Article:
    """The article from pasted text or an uploaded (file name, bytes).
    Raises Invalid with a message naming the problem (empty, too large, binary, not UTF-8)."""
    return _read(text, upload)[0]


def _read(text: str | None, upload: tuple[str, bytes] | None) -> tuple[Article, str, str]:
    """(article, name, kind): `read_source`, with the name and kind ("txt", "md", "html";
    "pasted" for pasted text) it was read as."""
    if upload is not None and upload[1]:
        name, data = upload
        name = clean_text(name)[:200] or "upload"
        kind = _upload_kind(name)
    elif text is not None and text.strip():
        name, data, kind = "the pasted text", text.encode("utf-8", "replace"), "txt"
    else:
        raise Invalid("Paste the article's text or choose a file to upload.")
    if len(data) > MAX_ARTICLE_BYTES:
        raise Invalid(
            f"{name}: too large ({len(data):,} bytes; the limit is {MAX_ARTICLE_BYTES:,} bytes, "
            "about 30,000 words). Split the article or paste the part to ask about."
        )
    try:
        article = parse_article(data, name, kind)
    except ArticleError as exc:
        raise Invalid(str(exc)) from None
    return article, name, "pasted" if upload is None or not upload[1] else kind


@dataclass(frozen=True)
class ArticleSent:
    """What a teacher sends for a new set, as sent (the form, the API, a job's row): the title,
    the article as pasted `text` or an `upload` (file name, bytes), its source address and its
    published date. `check_new_set` checks it into a `NewSet`."""

    title: str = ""
    text: str | None = None
    upload: tuple[str, bytes] | None = None
    source_url: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class NewSet:
    """A teacher's article for a new set, checked (`check_new_set`): the article as read, the
    copy the generator is told about (the teacher's title and date), the cleaned fields, and
    where the text came from (`source_name`, `source_kind`: "pasted", "txt", "md", "html")."""

    article: Article
    told: Article
    title: str
    source_url: str | None
    published: str | None
    source_name: str
    source_kind: str


def check_new_set(owner: User, sent: ArticleSent) -> NewSet:
    """Read and check what a teacher sent for a new set (no parsing, no generation). Raises
    Forbidden for a non-teacher, Invalid with a message for an empty, oversized or unreadable
    article, a bad source address or date."""
    require_teacher(owner)
    article, name, kind = _read(sent.text, sent.upload)
    title = clean_text(sent.title)[:MAX_TITLE]
    source_url, published = sent.source_url, sent.published
    _check_source(source_url, published)
    # The teacher's title and date tell the generator what the article is about (a title
    # explains "the festival"; a date names "yesterday"), unless the article says it itself.
    told = replace(
        article,
        title=article.title or title or None,
        published=article.published or published or None,
    )
    return NewSet(article, told, title, source_url or None, published or None, name, kind)


def _check_source(source_url: str | None, published: str | None) -> None:
    """Raises Invalid for a source address that is not a web address or a date not ISO."""
    if source_url and safe_url(source_url) is None:
        raise Invalid("The source address must be a web address starting with http:// or https://.")
    if published and not _iso_date(published):
        raise Invalid("The published date must look like 2024-05-31.")


def set_from_article(owner_id: int, sha256: str) -> QuestionSet | None:
    """The owner's set made from the article with this digest, if any."""
    return db.session.scalar(
        select(QuestionSet)
        .where(QuestionSet.owner_id == owner_id, QuestionSet.source_sha256 == sha256)
        .order_by(QuestionSet.id)
        .limit(1)
    )


def create_set(
    owner: User,
    *,
    limits: generation_runner.Limits,
    gate: generation_runner.Gate,
    **sent,
) -> tuple[QuestionSet, bool]:
    """Generate questions from an article (`sent`: the fields of an `ArticleSent`, by name) and
    store them as a draft set of `owner`, in this thread, within `limits` in one of `gate`'s
    slots (the settings GENERATION_* and MAX_GENERATIONS: `Limits.from_config`,
    `Gate.from_config`): (set, created). The same article again gives back the set already built
    from it (created False) — a double-clicked "Generate" makes one set. Raises
    Invalid for bad input or an article the generator finds no question in, or one too complex to
    process (generation_runner.GenerationTooComplex); Busy (503) when every generation slot stays
    taken. The web form and the API queue a job instead (services.jobs)."""
    new = check_new_set(owner, ArticleSent(**sent))
    wait = gate.wait_seconds + limits.wall_seconds
    with _one_generation_per_article(owner, new.article, wait) as existing:
        if existing is not None:
            return existing, False
        return build_set(owner, new, limits=limits, gate=gate)


def build_set(
    owner: User,
    new: NewSet,
    *,
    limits: generation_runner.Limits,
    gate: generation_runner.Gate,
    progress: Callable[[str], None] | None = None,
) -> tuple[QuestionSet, bool]:
    """Generate `new`'s questions within `limits` (one of `gate`'s slots) and store them as a
    draft set of `owner`: (set, created). `progress` is told each stage ("parsing",
    "questions", "storing"). Raises as `create_set` does."""
    bank, findings = _generate_bank(new.told, limits, gate, progress)
    if not bank["questions"] and not bank.get("alternates"):
        raise Invalid(
            "No questions could be made from this text: it needs full sentences naming "
            "people, places, numbers or dates that a student can follow without the rest of "
            "the article (a title saying what the article is about helps)."
        )
    if progress is not None:
        progress("storing")
    bank["title"] = new.title or bank["title"]
    bank["source"]["title"] = new.article.title or new.title or bank["source"]["title"]
    bank["source"]["url"] = safe_url(new.source_url) or bank["source"]["url"]
    bank["source"]["published"] = new.published or bank["source"]["published"]
    result = import_bank(bank, owner=owner, status="draft", article_text=new.article.text)
    if result.created and findings is not None:
        result.question_set.findings = findings  # suggestions never parse it again
        db.session.commit()
    return result.question_set, result.created


@contextmanager
def _one_generation_per_article(
    owner: User, article: Article, wait: float
) -> Iterator[QuestionSet | None]:
    """Held while `owner`'s article is generated and stored; gives the set already made from it
    (found by the article's digest, before any parsing), or None. The same article twice at once
    in this process (a double click) is generated once: the second waits for the first's set
    (up to `wait` seconds: the slot wait and wall-clock limits, then Busy)."""
    with generation_runner.one_at_a_time(("set", owner.id, article.sha256), timeout=wait):
        session = db.session()
        if session.in_transaction() and not (session.new or session.dirty or session.deleted):
            session.commit()  # a read-only transaction: see sets committed while this waited
        yield set_from_article(owner.id, article.sha256)


def _generate_bank(
    article: Article,
    limits: generation_runner.Limits,
    gate: generation_runner.Gate,
    progress: Callable[[str], None] | None = None,
) -> tuple[dict, dict | None]:
    """The article's bank and what the generation found besides it (its findings), generated
    within `limits` in one of `gate`'s slots (quizapp.services.generation_runner)."""
    with gate.slot(retry_after=limits.cpu_seconds):
        outcome = generation_runner.generate(article, limits=limits, progress=progress)
    logging.getLogger("quizapp.generation").info(
        "generated %d questions: %.1f s of CPU, %.0f MB peak growth%s",
        len(outcome.bank["questions"]),
        outcome.cpu_seconds,
        outcome.peak_growth_mb,
        f" ({'; '.join(outcome.changes)})" if outcome.changes else "",
    )
    return outcome.bank, outcome.findings


def _iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


# --- the set -----------------------------------------------------------------------------------


def _new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_LENGTH))


def update_set(
    qset: QuestionSet,
    *,
    title: str | None = None,
    status: str | None = None,
    source_url: str | None = None,
    published: str | None = None,
) -> QuestionSet:
    """Change a set's title, source or status. Publishing gives it a join code (kept when it is
    unpublished and published again). Raises Invalid for an unknown status, an empty title or
    publishing a set without an enabled question."""
    if status is not None and status not in SET_STATUSES:
        raise Invalid(f"Status must be one of: {', '.join(SET_STATUSES)}.")
    if title is not None:
        title = clean_text(title)
        if not title:
            raise Invalid("A set needs a title.")
        if len(title) > MAX_TITLE:
            raise Invalid(f"A title has at most {MAX_TITLE} characters.")
    _check_source(source_url, published)
    set_id = qset.id
    begin_write()
    qset = db.session.get(QuestionSet, set_id)
    if title is not None:
        qset.title = title
    if source_url is not None:
        qset.source_url = safe_url(source_url)
    if published is not None:
        qset.source_published = published or None
    if status == "published" and qset.status != "published":
        enabled = db.session.scalar(
            select(func.count(Question.id)).where(
                Question.set_id == qset.id, Question.enabled.is_(True)
            )
        )
        if not enabled:
            db.session.rollback()
            raise Invalid("Enable at least one question before publishing.")
        qset.published_at = utcnow()
    if status is not None:
        qset.status = status
    if qset.status == "published" and not qset.join_code:
        for _ in range(10):  # 31⁶ ≈ 900 million codes: a clash is rare, retry it
            code = _new_join_code()
            if db.session.scalar(select(QuestionSet.id).where(QuestionSet.join_code == code)):
                continue
            qset.join_code = code
            break
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("That join code was just taken; please try again.") from None
    return qset


def set_by_join_code(code: str) -> QuestionSet:
    """The published set with this code (spaces, dashes and case ignored). Raises NotFound."""
    cleaned = "".join(c for c in (code or "").upper() if c.isalnum())[:16]
    qset = None
    if cleaned:
        qset = db.session.scalar(select(QuestionSet).where(QuestionSet.join_code == cleaned))
    if qset is None or qset.status != "published":
        raise NotFound("No open quiz has that code. Check it with your teacher.")
    return qset


def delete_set(qset: QuestionSet) -> None:
    """Delete a draft nobody has answered; a set with attempts is archived instead."""
    begin_write()
    if db.session.scalar(select(func.count(Attempt.id)).where(Attempt.set_id == qset.id)):
        db.session.rollback()
        raise Conflict("Students have answered this set: archive it instead of deleting it.")
    db.session.delete(db.session.get(QuestionSet, qset.id))
    db.session.commit()


# The review page shows each question's sentence with this much of its paragraph on either
# side: a question from a 200 KB paragraph without line breaks must not carry the paragraph.
CONTEXT_CHARS = 150
SENTENCE_CHARS = 600  # a longer sentence is shown around the answer


def context_in_article(
    article_text: str | None, question: Question, around: int = CONTEXT_CHARS
) -> tuple[str, str, str] | None:
    """The question's source sentence in its article, with at most `around` characters of its
    paragraph on each side, cut at a word and marked "…" (before, sentence, after); a sentence
    longer than SENTENCE_CHARS is cut around the answer the same way. None when the set has no
    article or the sentence is not in it."""
    sentence = question.source_sentence or ""
    if not article_text or not sentence:
        return None
    start = -1
    span = question.source_span
    if span and article_text[span[0] : span[1]].strip() == sentence.strip():
        start = span[0] + article_text[span[0] : span[1]].find(sentence.strip())
    if start < 0:
        start = article_text.find(sentence)
    if start < 0:
        return None
    end = start + len(sentence)
    # Only the window is searched for the paragraph's edges: never the whole article per question.
    lower = max(0, start - around)
    para_start = article_text.rfind("\n", lower, start) + 1 or lower
    upper = min(len(article_text), end + around)
    para_end = article_text.find("\n", end, upper)
    para_end = upper if para_end < 0 else para_end
    before = article_text[para_start:start]
    if para_start == lower and lower > 0 and article_text[lower - 1] != "\n":
        before = "…" + _from_word(before)
    after = article_text[end:para_end]
    if para_end == upper and upper < len(article_text) and article_text[upper] != "\n":
        after = _to_word(after) + "…"
    return before, clip(article_text[start:end], question.answer, SENTENCE_CHARS), after


def _from_word(text: str) -> str:
    cut = text.find(" ")
    return text[cut + 1 :] if 0 <= cut < len(text) // 2 else text


def _to_word(text: str) -> str:
    cut = text.rfind(" ")
    return text[:cut] if cut > len(text) // 2 else text


def clip(text: str, keep: str, limit: int = SENTENCE_CHARS) -> str:
    """`text` whole when it has at most `limit` characters, else about `limit` characters of it
    around the first occurrence of `keep` (or its start), each cut end marked "…"."""
    if len(text) <= limit:
        return text
    found = text.find(keep) if keep else -1
    centre = found + len(keep) // 2 if found >= 0 else 0
    lower = max(0, min(centre - limit // 2, len(text) - limit))
    upper = lower + limit
    part = text[lower:upper]
    if lower > 0:
        part = "…" + _from_word(part)
    if upper < len(text):
        part = _to_word(part) + "…"
    return part
