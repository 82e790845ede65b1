"""What a student does: browse sets, take a quiz, read the result, practise, see their history."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup

from .. import charts
from ..extensions import csrf
from ..forms import (
    ActionForm,
    QuizFormBase,
    StartForm,
    choice_order,
    field_name,
    practice_form_class,
)
from ..scoring import MAX_ANSWER_CHARS
from ..services import (
    Invalid,
    NotFound,
    SignInRequired,
    answer_keys,
    attempts,
    catalogue,
    exchange,
    limits,
    question_cache,
    results,
    teaching,
)
from .helpers import attachment, id_arg, page_arg, quiz_length, submit_limits

bp = Blueprint("student", __name__)

MAX_GUEST_ATTEMPTS = 50
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,100}")


def _user():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _guest_attempts() -> list[int]:
    value = session.get("guest_attempts", [])
    return [i for i in value if isinstance(i, int)] if isinstance(value, list) else []


def _remember(attempt) -> None:
    if attempt.user_id is None:
        kept = [i for i in _guest_attempts() if i != attempt.id][-(MAX_GUEST_ATTEMPTS - 1) :]
        session["guest_attempts"] = [*kept, attempt.id]
        session.permanent = True  # a guest's results outlive closing the browser


def _guest_scope() -> None:
    """Give an anonymous browser its guest id on the page that shows a form, so a re-sent or
    double-clicked POST carries the same id (and so the same submission key)."""
    if _user() is None and "guest_id" not in session:
        session["guest_id"] = secrets.token_hex(16)


def _submission_key(raw: str | None) -> str | None:
    """The form's key, scoped to the signed-in user or to this browser's guest session.
    A key that is not plain letters and digits (tampered with) is hashed: it still identifies
    its submission, and no odd byte reaches the database."""
    if not raw:
        return None
    if not _PLAIN_KEY.fullmatch(raw):
        raw = hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()
    user = _user()
    if user is not None:
        scope = f"u{user.id}"
    else:
        scope = "g" + session.setdefault("guest_id", secrets.token_hex(16))
    return f"web:{scope}:{raw[:100]}"


def _retried(retry: int | None, qset):
    """The attempt being retried, if the caller may see it and it belongs to `qset`."""
    if retry is None:
        return None
    attempt = attempts.attempt_for(retry, _user(), _guest_attempts())
    if attempt.set_id != qset.id:
        abort(404)
    return attempt


def _missed(retry: int | None, qset) -> list[str] | None:
    """The question ids answered wrong in attempt `retry` (a "retry the ones I missed" quiz)."""
    attempt = _retried(retry, qset)
    if attempt is None:
        return None
    return [item.question_id for item in results.results(attempt) if not item.correct]


@bp.app_errorhandler(SignInRequired)
def _sign_in_first(exc: SignInRequired):
    """A guest at a set whose teacher requires sign-in: to the sign-in page with the reason,
    then back to the page asked for (a form's POST: back to the set's page)."""
    if request.path.startswith("/api/"):
        return jsonify(error=str(exc)), 401, {"WWW-Authenticate": 'Bearer realm="quizapp"'}
    flash(str(exc), "info")
    if request.method == "GET":
        target = request.full_path.rstrip("?")
    else:
        target = url_for("student.set_page", set_id=exc.set_id)
    return redirect(url_for("auth.login", next=target), code=303)


@bp.get("/")
def home():
    search = "".join(c for c in request.args.get("q", "") if c.isprintable())
    search = search[: catalogue.MAX_SEARCH]
    sets = catalogue.published_page(search, _user(), page_arg())
    return render_template("student/home.html", sets=sets, search=search)


@bp.get("/j/<code>")
def join_link(code: str):
    """A teacher's share link: the published set with this join code."""
    qset = teaching.set_by_join_code(code)
    return redirect(url_for("student.set_page", set_id=qset.id))


@bp.get("/join")
def join():
    """The join-code box of the home page."""
    try:
        qset = teaching.set_by_join_code(request.args.get("code", ""))
    except NotFound as exc:
        flash(str(exc), "error")
        return redirect(url_for("student.home"))
    return redirect(url_for("student.set_page", set_id=qset.id))


@bp.get("/sets/<int:set_id>")
def set_page(set_id: int):
    user = _user()
    qset = catalogue.set_to_take(set_id, user)
    total = catalogue.question_count(qset)
    _guest_scope()
    start = StartForm(submission_key=secrets.token_hex(16))
    return render_template(
        "student/set.html",
        qset=qset,
        quiz_length=min(total, current_app.config["QUIZ_LENGTH"]),
        total=total,
        start=start,
        unfinished=results.unfinished_practice(user, qset.id) if user else [],
        study_closed=answer_keys.study_denial(qset, user),
    )


@bp.get("/sets/<int:set_id>/anki.apkg")
def anki_deck(set_id: int):
    """The set as an Anki deck (its enabled questions, with their answers): for whoever may
    take it and study it (the set's study access; 403 with the reason otherwise)."""
    user = _user()
    qset = answer_keys.require_study(catalogue.set_to_take(set_id, user), user)
    download = exchange.export_set(qset, "apkg")
    return attachment(download.body, download.mimetype, download.filename)


# The form checks its own CSRF token (below), so a stale token re-renders the page with the
# student's answers instead of the global 400 page: nothing typed is lost.
@bp.route("/sets/<int:set_id>/quiz", methods=["GET", "POST"])
@csrf.exempt
def quiz(set_id: int):
    user = _user()
    qset = catalogue.set_to_take(set_id, user)
    retry = id_arg(request.values.get("retry"))
    missed = _missed(retry, qset)
    if missed is not None and not missed:
        flash("You got every question right: nothing to retry.", "info")
        return redirect(url_for("student.result", attempt_id=retry))
    questions = catalogue.quiz_questions(qset, missed, length=quiz_length())
    if not questions:
        flash("This set has no questions yet.", "info")
        return redirect(url_for("student.home"))
    key = request.form.get("submission_key", "")[:100] or secrets.token_hex(16)
    # The questions come from the set's cache (per revision); the form holds only the fields
    # every quiz has, and the answers are read by name (`q<id>`) and rendered by the template.
    form = QuizFormBase()
    values: dict[int, str | None] = {}
    errors: dict[int, list[str]] = {}
    blank = 0
    if request.method == "GET":
        _guest_scope()
        form.submission_key.data = key
        form.retry.data = str(retry or "")
    else:
        values = {q.id: request.form.get(field_name(q)) for q in questions}
        errors = _answer_errors(questions, values)
    if request.method == "POST" and form.validate_on_submit() and not errors:
        answers = {q.uid: values[q.id] for q in questions}
        blank = sum(1 for value in answers.values() if not (value or "").strip())
        if not blank or form.confirm_blank.data:
            try:
                attempt, _created = attempts.submit_quiz(
                    qset,
                    [q.id for q in questions],
                    answers,
                    user=user,
                    guest_name=form.guest_name.data,
                    submission_key=_submission_key(form.submission_key.data),
                    mode="retry" if missed else "quiz",
                    client=request.remote_addr or "",
                    guest_attempts=_guest_attempts(),
                    submit_limits=submit_limits(),
                )
            except Invalid as exc:
                form.guest_name.errors = [*form.guest_name.errors, str(exc)]
                blank = 0
            except limits.TooManyRequests as exc:
                # The answers stay on the page: submitting again later keeps them.
                flash(f"{exc} Your answers are kept below.", "error")
                page = _QuizPage(qset, form, questions, values, errors, key, retry, 0)
                return page.render(429, exc.retry_after)
            else:
                _remember(attempt)
                return redirect(url_for("student.result", attempt_id=attempt.id), code=303)
    if "csrf_token" in form.errors:
        flash(
            "Your session had expired, so nothing was saved yet. Your answers are kept below: "
            "submit again.",
            "error",
        )
    # Unanswered questions: ask once before finishing (Enter in a box must not end the quiz).
    page = _QuizPage(qset, form, questions, values, errors, key, retry, blank)
    return page.render(200 if request.method == "GET" or blank else 400)


def _answer_errors(questions, values: dict) -> dict[int, list[str]]:
    """Answers longer than the grader reads (typed boxes; a choice is checked by the grader)."""
    too_long = [f"At most {MAX_ANSWER_CHARS} characters."]
    return {
        q.id: too_long
        for q in questions
        if not (q.format == "multiple_choice" and q.choices)
        and len(values.get(q.id) or "") > MAX_ANSWER_CHARS
    }


@dataclass
class _QuizPage:
    qset: object
    form: QuizFormBase
    questions: list
    values: dict
    errors: dict
    seed: str
    retry: int | None
    blank: int

    def render(self, status: int, retry_after: int | None = None):
        page = render_template(
            "student/quiz.html",
            qset=self.qset,
            form=self.form,
            questions=self.questions,
            fieldsets=self._fieldsets(),
            retry=self.retry,
            blank=self.blank,
        )
        headers = {"Retry-After": str(retry_after)} if retry_after else {}
        return page, status, headers

    def _fieldsets(self) -> list[Markup]:
        """Each question's fieldset (templates/student/_quiz_question.html). Per request: the
        choices' order (the form's key) and what the student sent; the pieces of an untouched
        question (no answer, no error) are rendered once per set revision."""
        pieces = current_app.jinja_env.get_template("student/_quiz_question.html").module
        cached = question_cache.for_set(self.qset)
        total = len(self.questions)
        fieldsets = []
        for number, q in enumerate(self.questions, 1):
            value = self.values.get(q.id)
            errors = self.errors.get(q.id)
            unanswered = bool(self.blank) and not (value or "").strip()
            touched = value is not None or errors or unanswered
            if touched:
                head = pieces.head(q, number, total, unanswered)
                tail = pieces.tail(q, number, value, errors, MAX_ANSWER_CHARS)
            else:
                head, tail = cached.remembered(
                    ("quiz-ends", q.id, number, total),
                    lambda q=q, number=number: (
                        pieces.head(q, number, total, False),
                        pieces.tail(q, number, None, None, MAX_ANSWER_CHARS),
                    ),
                )
            if not (q.format == "multiple_choice" and q.choices):
                fieldsets.append(Markup("").join((head, tail)))
                continue
            name = field_name(q)
            # The question's unchecked choices, made as the orders ask for them: (index,
            # option) → its piece (at most len(choices)² of them).
            kept = cached.remembered(("quiz-choices", q.id), dict)
            choices = []
            for index, option in enumerate(choice_order(q.choices, f"{self.seed}:{q.uid}")):
                if value is not None and option == value:
                    choices.append(pieces.choice(name, index, option, True))
                    continue
                piece = kept.get((index, option))
                if piece is None:
                    piece = kept[(index, option)] = pieces.choice(name, index, option, False)
                choices.append(piece)
            fieldsets.append(Markup("").join((head, *choices, tail)))
        return fieldsets


@bp.get("/attempts/<int:attempt_id>")
def result(attempt_id: int):
    user = _user()
    attempt = attempts.attempt_for(attempt_id, user, _guest_attempts())
    if attempt.state == "in_progress" and attempts.is_taker(attempt, user):
        # Its taker goes on practising; the set's teacher sees the answers so far.
        return redirect(url_for("student.practice", attempt_id=attempt.id))
    items = results.results(attempt)
    missed = sum(1 for item in items if not item.correct)
    return render_template(
        "student/result.html",
        attempt=attempt,
        items=items,
        missed=missed,
        by_category=results.by_category(items),
        practise=StartForm(submission_key=secrets.token_hex(16), retry=attempt.id)
        if missed
        else None,
    )


@bp.post("/sets/<int:set_id>/practice")
def start_practice(set_id: int):
    user = _user()
    qset = catalogue.set_to_take(set_id, user)
    form = StartForm()
    if not form.validate_on_submit():
        flash("That form had expired or was incomplete; please start again.", "error")
        return redirect(url_for("student.set_page", set_id=set_id))
    retried = _retried(id_arg(form.retry.data), qset)
    missed = None
    if retried is not None:
        missed = [i.question_id for i in results.results(retried) if not i.correct]
        if not missed:
            flash("You got every question right: nothing to practise.", "info")
            return redirect(url_for("student.result", attempt_id=retried.id))
    questions = catalogue.quiz_questions(qset, missed, length=quiz_length())
    guest_name = form.guest_name.data or (retried.guest_name if retried is not None else None)
    try:
        attempt = attempts.start_practice(
            qset,
            [q.id for q in questions],
            user=user,
            guest_name=guest_name,
            submission_key=_submission_key(form.submission_key.data),
            client=request.remote_addr or "",
            submit_limits=submit_limits(),
        )
    except Invalid as exc:
        flash(str(exc), "error")
        return redirect(url_for("student.set_page", set_id=set_id))
    _remember(attempt)
    return redirect(url_for("student.practice", attempt_id=attempt.id), code=303)


def _own_practice(attempt_id: int):
    return attempts.practice_for(attempt_id, _user(), _guest_attempts())


def _practice_page(attempt, *, question=None, form=None, feedback=None, stopped=None) -> str:
    """The practice page: the question to answer (its `form`), the `feedback` on the last
    answer, or why the session `stopped`; with the count answered and the finish button."""
    return render_template(
        "student/practice.html",
        attempt=attempt,
        question=question,
        form=form,
        feedback=feedback,
        stopped=stopped,
        answered=results.answered_count(attempt),
        finish=ActionForm(),
    )


@bp.route("/practice/<int:attempt_id>", methods=["GET", "POST"])
@csrf.exempt  # checked by the form, as for the quiz
def practice(attempt_id: int):
    attempt = _own_practice(attempt_id)
    shown = id_arg(request.args.get("after"))
    feedback = results.feedback(attempt, shown) if shown is not None else None
    question = attempts.next_question(attempt)
    # A session follows its set: back to draft, archived or now for signed-in students only,
    # it stops (no question is served or graded); questions withdrawn since are skipped.
    stopped = attempts.practice_stopped(attempt)
    if stopped is None and question is None and attempt.state == "in_progress":
        stopped = "Your teacher has withdrawn the questions left in this session: stop here to "
        stopped += "see your result."
    if stopped is not None and feedback is None:
        return _practice_page(attempt, stopped=stopped), 409 if request.method == "POST" else 200
    if question is None and feedback is None:
        return redirect(url_for("student.result", attempt_id=attempt.id))
    form = None
    if question is not None and feedback is None:
        form = practice_form_class(question, seed=f"practice:{attempt.id}")()
        if request.method == "POST":
            sent = form.question_id.data or ""
            if sent.isascii() and sent.isdigit() and sent != str(question.id):
                # A re-sent answer to a question already answered: show its feedback again.
                return redirect(
                    url_for("student.practice", attempt_id=attempt.id, after=sent), code=303
                )
            if form.validate_on_submit() and sent == str(question.id):
                given = None if form.dont_know.data else form.answer.data
                if given is None or (given or "").strip():
                    attempts.answer_practice(attempt.id, question.id, given)
                    return redirect(
                        url_for("student.practice", attempt_id=attempt.id, after=question.id),
                        code=303,
                    )
                form.answer.errors = ["Choose or type an answer, or press “I don't know”."]
            if "csrf_token" in form.errors:
                flash("Your session had expired; please answer again.", "error")
        form.question_id.data = str(question.id)
    status = 400 if request.method == "POST" else 200
    return _practice_page(attempt, question=question, form=form, feedback=feedback), status


@bp.post("/practice/<int:attempt_id>/finish")
def finish_practice(attempt_id: int):
    attempt = _own_practice(attempt_id)
    set_id = attempt.set_id
    if not ActionForm().validate_on_submit():
        flash("That form had expired; please try again.", "error")
        return redirect(url_for("student.practice", attempt_id=attempt.id))
    if attempts.finish_practice(attempt.id) is None:
        flash("Practice stopped before any answer: nothing was recorded.", "info")
        return redirect(url_for("student.set_page", set_id=set_id), code=303)
    return redirect(url_for("student.result", attempt_id=attempt_id), code=303)


@bp.get("/history")
@login_required
def history():
    user = current_user._get_current_object()
    listing = results.history_page(user, page_arg())
    points = [
        (f"{a.submitted_at:%d %b} · {a.question_set.title[:30]}", a.percent)
        for a in results.recent_quizzes(user)
    ]
    chart = (
        charts.line_chart(points, title="Your quiz scores over time", noun="quiz")
        if points
        else None
    )
    return render_template(
        "student/history.html",
        attempts=listing.items,
        listing=listing,
        chart=chart,
        unfinished=results.unfinished_practice(user),
    )
