"""What a teacher does to a set as a whole: who may, building it from an article, publishing
it with a join code. Editing its questions: quizapp/services/editing.py."""

from __future__ import annotations

import json
import secrets
from dataclasses import replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..articles import Article, ArticleError, parse_article
from ..banks import dumps_bank
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
from . import Conflict, Forbidden, Invalid, NotFound
from .attempts import clean_text
from .catalogue import import_bank, safe_url

# Generation runs inside the request: about 5,000 words a second, so this keeps it to seconds.
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
        return parse_article(data, name, kind)
    except ArticleError as exc:
        raise Invalid(str(exc)) from None


def create_set(
    owner: User,
    *,
    title: str = "",
    text: str | None = None,
    upload: tuple[str, bytes] | None = None,
    source_url: str | None = None,
    published: str | None = None,
) -> tuple[QuestionSet, bool]:
    """Generate questions from an article and store them as a draft set of `owner`:
    (set, created). The same article again gives back the set already built from it
    (created False) — a double-clicked "Generate" makes one set. Raises Invalid for bad input
    or an article the generator finds no question in."""
    from ..generation import generate_bank

    require_teacher(owner)
    article = read_source(text, upload)
    title = clean_text(title)[:MAX_TITLE]
    if source_url and safe_url(source_url) is None:
        raise Invalid("The source address must be a web address starting with http:// or https://.")
    if published and not _iso_date(published):
        raise Invalid("The published date must look like 2024-05-31.")
    # The teacher's title and date tell the generator what the article is about (a title
    # explains "the festival"; a date names "yesterday"), unless the article says it itself.
    told = replace(
        article,
        title=article.title or title or None,
        published=article.published or published or None,
    )
    bank = json.loads(dumps_bank(generate_bank(told)))
    if not bank["questions"]:
        raise Invalid(
            "No questions could be made from this text: it needs full sentences naming people, "
            "places, numbers or dates that a student can follow without the rest of the article "
            "(a title saying what the article is about helps)."
        )
    bank["title"] = title or bank["title"]
    bank["source"]["title"] = article.title or title or bank["source"]["title"]
    bank["source"]["url"] = safe_url(source_url) or bank["source"]["url"]
    bank["source"]["published"] = published or bank["source"]["published"]
    result = import_bank(bank, owner=owner, status="draft", article_text=article.text)
    return result.question_set, result.created


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
    if source_url and safe_url(source_url) is None:
        raise Invalid("The source address must be a web address starting with http:// or https://.")
    if published and not _iso_date(published):
        raise Invalid("The published date must look like 2024-05-31.")
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


def context_in_article(article_text: str | None, question: Question) -> tuple[str, str, str] | None:
    """The paragraph of the article holding the question's source sentence, split around it
    (before, sentence, after); None when the set has no article or the sentence is not in it."""
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
    para_start = article_text.rfind("\n", 0, start) + 1
    para_end = article_text.find("\n", end)
    para_end = len(article_text) if para_end < 0 else para_end
    return article_text[para_start:start], article_text[start:end], article_text[end:para_end]
