"""Editing a set's questions: the content rules of an edit (a format change reshapes the
question), versions, order, enabling, questions written by hand, wrong-option suggestions.

Every change of a question's content makes a new version and an immutable revision, so the
answers already given keep the key they were graded against; the new key applies to attempts
made after the edit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..answers import normalise
from ..database import begin_write
from ..extensions import db
from ..generation.models import question_id
from ..models import Question, QuestionRevision, QuestionSet, utcnow
from ..numbers import parse_number
from ..vocabulary import (
    CATEGORIES,
    CLOZE_GAP,
    FORMATS,
    LIMITS,
    MAX_ACCEPTED,
    MAX_CHOICES,
    MAX_OPTION,
    MAX_UNIT,
    question_problems,
)
from . import Conflict, Invalid, NotFound
from .attempts import clean_text
from .catalogue import question_from_bank


def _clean_list(values: Any, what: str, limit: int) -> list[str]:
    if values is None:
        return []
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise Invalid(f"{what} must be a list of texts.")
    cleaned, seen = [], set()
    for value in values:
        value = clean_text(value)
        if value and normalise(value) not in seen:
            seen.add(normalise(value) or value)
            cleaned.append(value)
    if len(cleaned) > limit:
        raise Invalid(f"At most {limit} {what.lower()}.")
    if any(len(v) > MAX_OPTION for v in cleaned):
        raise Invalid(f"{what}: each at most {MAX_OPTION} characters.")
    return cleaned


def _clean_field(changes: Mapping[str, Any], key: str, current: str) -> str:
    if key not in changes or changes[key] is None:
        return current
    value = changes[key]
    if not isinstance(value, str):
        raise Invalid(f"{key.replace('_', ' ').capitalize()} must be text.")
    value = clean_text(value)
    if len(value) > LIMITS[key]:
        raise Invalid(f"{key.replace('_', ' ').capitalize()}: at most {LIMITS[key]} characters.")
    return value


def revised_content(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The question's content with `changes` applied and made consistent with its format
    (contracts §2). Keys: prompt, answer, accepted_answers, choices (all options, the answer
    among them) or wrong_options (the others only), explanation, format, category, tolerance,
    unit. Raises Invalid with a message for the teacher when the result is not a valid
    question."""
    data = dict(current)
    data.pop("updated_at", None)
    for key in ("prompt", "answer", "explanation", "source_sentence"):
        data[key] = _clean_field(changes, key, data.get(key) or "")
    if not data["prompt"]:
        raise Invalid("The question needs a prompt.")
    if not data["answer"]:
        raise Invalid("The question needs an answer.")
    fmt = changes.get("format") or data["format"]
    if fmt not in FORMATS:
        raise Invalid(f"Format must be one of: {', '.join(FORMATS)}.")
    category = changes.get("category") or data["category"]
    if category not in CATEGORIES:
        raise Invalid(f"Category must be one of: {', '.join(CATEGORIES)}.")
    data["format"], data["category"] = fmt, category
    if "accepted_answers" in changes:
        data["accepted_answers"] = _clean_list(
            changes["accepted_answers"], "Accepted answers", MAX_ACCEPTED
        )
    if changes.get("choices") is not None and fmt != "multiple_choice":
        raise Invalid("Choices belong to multiple-choice questions; change the format too.")
    # A question written by hand has no place in the article: [0, 0] says so (contracts §2
    # wants the pair).
    data["source_span"] = list(data.get("source_span") or [0, 0])
    _apply_format(data, current, changes)
    problems = question_problems(data)
    if problems:
        raise Invalid(_teacher_message(problems[0]))
    return data


def _apply_format(data: dict, current: Mapping[str, Any], changes: Mapping[str, Any]) -> None:
    fmt, answer = data["format"], data["answer"]
    if fmt == "multiple_choice":
        old_choices = list(current.get("choices") or [])
        if changes.get("choices") is not None:
            choices = _clean_list(changes["choices"], "Choices", MAX_CHOICES)
        elif changes.get("wrong_options") is not None:
            wrong = _clean_list(changes["wrong_options"], "Wrong options", MAX_CHOICES - 1)
            old_answer = current.get("answer") or ""
            if _swapped(wrong, answer, old_answer):
                # a wrong option made the answer: the old answer takes its place among them
                wrong = [old_answer if normalise(w) == normalise(answer) else w for w in wrong]
            wrong = [w for w in wrong if normalise(w) != normalise(answer)]
            # keep the answer where it stood, so an edit does not move the options around
            spot = old_choices.index(old_answer) if old_answer in old_choices else 0
            choices = wrong[:spot] + [answer] + wrong[spot:]
        elif any(normalise(c) == normalise(answer) for c in old_choices):
            # the new answer was a wrong option: they swap roles, the options stay as they are
            choices = [answer if normalise(c) == normalise(answer) else c for c in old_choices]
        else:
            old_answer = current.get("answer")
            choices = [answer if c == old_answer else c for c in old_choices]
            if answer not in choices:
                choices = [answer, *old_choices]
        if len(choices) - (answer in choices) < 3:
            raise Invalid(
                "A multiple-choice question needs at least 3 wrong options "
                "(use 'Suggest wrong options' or type them, one per line)."
            )
        data["choices"], data["numeric"] = choices, None
    elif fmt == "numeric":
        value = parse_number(answer)
        if value is None:
            raise Invalid(f"A numeric question needs a number as its answer, not {answer!r}.")
        old = current.get("numeric") or {}
        tolerance = changes.get("tolerance", old.get("tolerance", 0))
        if isinstance(tolerance, str):
            tolerance = parse_number(tolerance) if tolerance.strip() else 0
        if not isinstance(tolerance, int | float) or isinstance(tolerance, bool) or tolerance < 0:
            raise Invalid("The tolerance must be a number of 0 or more.")
        unit = changes.get("unit", old.get("unit"))
        if unit is not None and not isinstance(unit, str):
            raise Invalid("The unit must be text.")
        unit = clean_text(unit)
        if len(unit) > MAX_UNIT:
            raise Invalid(f"The unit has at most {MAX_UNIT} characters.")
        data["numeric"] = {"value": value, "tolerance": tolerance, "unit": unit or None}
        data["choices"] = None
    else:
        data["choices"], data["numeric"] = None, None
    if fmt == "cloze" and CLOZE_GAP not in data["prompt"]:
        sentence = data.get("source_sentence") or ""
        start = sentence.casefold().find(answer.casefold())
        given = changes.get("prompt")
        typed = isinstance(given, str) and clean_text(given) != clean_text(current.get("prompt"))
        if typed or start < 0 or len(sentence.casefold()) != len(sentence):
            raise Invalid(f'A cloze prompt needs the gap "{CLOZE_GAP}" where the answer goes.')
        data["prompt"] = sentence[:start] + CLOZE_GAP + sentence[start + len(answer) :]


def _swapped(wrong: list[str], answer: str, old_answer: str) -> bool:
    """The new answer is one of the wrong options given, and the old answer is not among them."""
    key, old_key = normalise(answer), normalise(old_answer)
    keys = {normalise(w) for w in wrong}
    return bool(old_key) and key != old_key and key in keys and old_key not in keys


def _teacher_message(problem: str) -> str:
    if "answer exactly once in choices" in problem:
        return "The answer must be one of the choices, exactly once."
    if "at least 4 distinct choices" in problem:
        return "A multiple-choice question needs the answer and at least 3 different wrong options."
    return problem[:1].upper() + problem[1:] + "."


def _store_version(question: Question, data: dict[str, Any]) -> None:
    question.version += 1
    # A whole second later than the version before at least: Anki compares whole seconds
    # and updates its copy of a note only when ours is newer (quizapp.anki).
    before = question.updated_at
    question.updated_at = max(utcnow(), before + timedelta(seconds=1)) if before else utcnow()
    question.category, question.format = data["category"], data["format"]
    question.prompt, question.answer = data["prompt"], data["answer"]
    question.accepted_answers = list(data["accepted_answers"])
    question.choices = list(data["choices"]) if data["choices"] is not None else None
    question.numeric = dict(data["numeric"]) if data["numeric"] is not None else None
    question.explanation = data["explanation"]
    question.source_sentence = data["source_sentence"]
    db.session.add(
        QuestionRevision(
            question_id=question.id, version=question.version, content=question.content()
        )
    )


_COMPARED = ("category", "format", "prompt", "answer", "accepted_answers", "choices", "numeric")
_COMPARED += ("explanation", "source_sentence")


def edit_question(
    question: Question,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> tuple[Question, bool]:
    """Apply `changes` (see `revised_content`; also `enabled`) to a question: (question, whether
    its content changed). A content change makes a new version; responses keep the version
    they answered. Raises Invalid for a bad edit and Conflict when `expected_version` is given
    and someone saved another version meanwhile."""
    question_id = question.id
    begin_write()
    question = db.session.get(Question, question_id, with_for_update=True)
    if expected_version is not None and question.version != expected_version:
        db.session.rollback()
        raise Conflict(
            "Someone saved this question while you were editing it: reload to see their "
            "version, then make your change again."
        )
    try:
        data = revised_content(question.content(), changes)
    except Invalid:
        db.session.rollback()
        raise
    current = question.content()
    changed = any(data.get(k) != current.get(k) for k in _COMPARED)
    if changed:
        _store_version(question, data)
    if "enabled" in changes:
        if not isinstance(changes["enabled"], bool):
            db.session.rollback()
            raise Invalid("'enabled' must be true or false.")
        question.enabled = changes["enabled"]
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("Someone saved this question at the same time; reload and retry.") from None
    return question, changed


def set_enabled(qset: QuestionSet, question_ids: Sequence[int], enabled: bool) -> int:
    """Enable or disable several questions of the set at once; how many changed."""
    if not question_ids:
        raise Invalid("Tick at least one question first.")
    begin_write()
    questions = db.session.scalars(
        select(Question).where(Question.set_id == qset.id, Question.id.in_(list(question_ids)))
    ).all()
    changed = 0
    for question in questions:
        if question.enabled != enabled:
            question.enabled = enabled
            changed += 1
    db.session.commit()
    return changed


def move_question(qset: QuestionSet, question_id: int, step: int) -> None:
    """Move a question up (step -1) or down (+1) in the set's order."""
    if step not in (-1, 1):
        raise Invalid("A question moves one place up or down.")
    begin_write()
    ordered = list(
        db.session.scalars(
            select(Question)
            .where(Question.set_id == qset.id)
            .order_by(Question.position, Question.id)
        )
    )
    index = next((i for i, q in enumerate(ordered) if q.id == question_id), None)
    if index is None:
        db.session.rollback()
        raise NotFound("No such question in this set.")
    other = index + step
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, question in enumerate(ordered):
            question.position = position
    db.session.commit()


def add_question(qset: QuestionSet, fields: Mapping[str, Any]) -> Question:
    """A question written by the teacher, appended to the set. `fields` as for an edit, plus
    format and category (required) and source_sentence (optional). Raises Invalid."""
    blank = {
        "id": "q-new",
        "category": fields.get("category") or "what",
        "format": fields.get("format") or "short_answer",
        "prompt": "",
        "answer": "",
        "accepted_answers": [],
        "choices": None,
        "numeric": None,
        "explanation": "",
        "source_sentence": "",
        "source_span": None,
        "score": 1.0,
    }
    data = revised_content(blank, fields)
    uid = question_id(
        data["source_sentence"] or data["prompt"], data["answer"], data["category"], data["format"]
    )
    begin_write()
    if db.session.scalar(
        select(Question.id).where(Question.set_id == qset.id, Question.uid == uid)
    ):
        db.session.rollback()
        raise Invalid("This set already has that question.")
    position = db.session.scalar(
        select(func.coalesce(func.max(Question.position), -1)).where(Question.set_id == qset.id)
    )
    question = question_from_bank({**data, "id": uid, "score": 1.0}, qset.id, position + 1)
    db.session.add(question)
    try:
        db.session.flush()
        db.session.add(
            QuestionRevision(question_id=question.id, version=1, content=question.content())
        )
        db.session.commit()
    except IntegrityError:  # PostgreSQL: the same question added by a double submit
        db.session.rollback()
        raise Invalid("This set already has that question.") from None
    return question


def suggest_options(
    qset: QuestionSet,
    *,
    answer: str,
    category: str,
    prompt: str = "",
    exclude: Sequence[str] = (),
    round_no: int = 0,
) -> list[str]:
    """Three wrong options for `answer` other than `exclude` where possible (the article's
    names of the answer's kind, or numbers and dates in the answer's format). Raises Invalid
    when none are found."""
    from ..generation.suggest import findings_for_text, suggest_distractors

    if category not in CATEGORIES:
        category = "what"
    if qset.findings is None and qset.article_text:
        # A set made before findings were kept: the article is parsed this once, and what it
        # finds is stored, so the next suggestion costs no parse.
        qset.findings = findings_for_text(qset.article_text) or {}
        db.session.commit()
    options = suggest_distractors(
        answer,
        category,
        prompt=prompt,
        findings=qset.findings or None,
        exclude=list(exclude),
        round_no=round_no,
    )
    if len(options) < 3:
        raise Invalid("No plausible wrong options were found for this answer; type three yourself.")
    return options


def regenerate_distractors(question: Question, round_no: int = 0) -> Question:
    """Replace a question's wrong options with new suggestions and make it multiple choice
    (a new version). Raises Invalid when no options are found."""
    current = [c for c in (question.choices or []) if c != question.answer]
    options = suggest_options(
        question.question_set,
        answer=question.answer,
        category=question.category,
        prompt=question.prompt,
        exclude=current,
        round_no=round_no,
    )
    edited, _ = edit_question(question, {"format": "multiple_choice", "wrong_options": options})
    return edited
