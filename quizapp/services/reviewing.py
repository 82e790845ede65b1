"""The teacher's review page of a set, one page of questions at a time: a set generated from a
long article has thousands of questions, and the page must stay small whatever the set."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Question, QuestionSet
from ..pagination import PER_PAGE, Paged, pages_for
from .teaching import clip, context_in_article

SHOW = ("all", "enabled", "disabled")


@dataclass
class ReviewItem:
    question: Question
    number: int  # its place in the set (1-based), as students and the results page count
    context: tuple[str, str, str] | None  # (before, sentence, after) in the article
    sentence: str  # the source sentence, cut around the answer when it is very long


@dataclass
class ReviewPage(Paged):
    items: list[ReviewItem]
    page: int
    pages: int
    show: str
    total: int  # questions in the set
    enabled: int  # of which enabled
    matching: int  # questions the filter shows, on every page


def _order(qset: QuestionSet) -> list[tuple[int, bool]]:
    """(id, enabled) of every question of the set, in set order: small even for 13,000."""
    rows = db.session.execute(
        select(Question.id, Question.enabled)
        .where(Question.set_id == qset.id)
        .order_by(Question.position, Question.id)
    )
    return [(qid, bool(enabled)) for qid, enabled in rows]


def _matches(enabled: bool, show: str) -> bool:
    return show == "all" or enabled == (show == "enabled")


def review_page(qset: QuestionSet, page: int = 1, show: str = "all") -> ReviewPage:
    """One page of PER_PAGE questions of the set (those `show` picks: all, enabled, disabled),
    each with its number in the set and a bounded window of its article. A page past the last
    gives the last page."""
    show = show if show in SHOW else "all"
    if show == "all":
        return _all_page(qset, page)
    order = _order(qset)
    number = {qid: n for n, (qid, _enabled) in enumerate(order, 1)}
    picked = [qid for qid, enabled in order if _matches(enabled, show)]
    page, pages = pages_for(len(picked), page)
    ids = picked[(page - 1) * PER_PAGE : page * PER_PAGE]
    questions = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(ids)))}
    items = [
        ReviewItem(
            question=questions[qid],
            number=number[qid],
            context=context_in_article(qset.article_text, questions[qid]),
            sentence=clip(questions[qid].source_sentence or "", questions[qid].answer),
        )
        for qid in ids
    ]
    return ReviewPage(
        items=items,
        page=page,
        pages=pages,
        show=show,
        total=len(order),
        enabled=sum(1 for _qid, enabled in order if enabled),
        matching=len(picked),
    )


def _all_page(qset: QuestionSet, page: int) -> ReviewPage:
    """`review_page` of all the questions: counted by the database and read a page at a time
    by the index on (set, position), whatever the size of the set."""
    total, enabled = db.session.execute(
        select(func.count(Question.id), func.sum(case((Question.enabled, 1), else_=0))).where(
            Question.set_id == qset.id
        )
    ).one()
    page, pages = pages_for(total, page)
    questions = db.session.scalars(
        select(Question)
        .where(Question.set_id == qset.id)
        .order_by(Question.set_id, Question.position, Question.id)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    first = (page - 1) * PER_PAGE + 1
    items = [
        ReviewItem(
            question=question,
            number=first + i,
            context=context_in_article(qset.article_text, question),
            sentence=clip(question.source_sentence or "", question.answer),
        )
        for i, question in enumerate(questions)
    ]
    return ReviewPage(
        items=items,
        page=page,
        pages=pages,
        show="all",
        total=total,
        enabled=int(enabled or 0),
        matching=total,
    )


def place_of(qset: QuestionSet, question_id: int, show: str = "all") -> tuple[int, int]:
    """(number in the set, review page) of a question under the filter `show`, so that a change
    made on the review page returns to the page it was made on; (0, 1) when it is not in the
    set. A question the filter now hides (just disabled, say) gives the page it was on."""
    show = show if show in SHOW else "all"
    before = 0
    for n, (qid, enabled) in enumerate(_order(qset), 1):
        if qid == question_id:
            return n, before // PER_PAGE + 1
        before += _matches(enabled, show)
    return 0, 1
