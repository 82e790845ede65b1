"""What a teacher does: the dashboard, a new set from an article, review and edit, publish,
class statistics, exports. Every route answers 403 to a student and 404 for another teacher's
set (services.teaching.owned_set)."""

from __future__ import annotations

from functools import wraps

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required

from .. import MAX_ID, charts, tasks
from ..forms import ActionForm
from ..services import (
    Invalid,
    ServiceError,
    answer_keys,
    class_stats,
    editing,
    exchange,
    jobs,
    results,
    reviewing,
    teaching,
)
from ..teacher_forms import (
    BulkForm,
    ImportForm,
    NewSetForm,
    QuestionForm,
    SetDetailsForm,
    SetSettingsForm,
    lines,
)
from .helpers import attachment, page_arg

bp = Blueprint("teacher", __name__, url_prefix="/teach")


def teacher_required(view):
    """Signed out: to the sign-in page. Signed in as a student: 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_teacher:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _me():
    return current_user._get_current_object()


def _set(set_id: int):
    return teaching.owned_set(set_id, _me())


def _upload() -> tuple[str, bytes] | None:
    file = request.files.get("upload")
    if file is None or not file.filename:
        return None
    return file.filename, file.read(teaching.MAX_ARTICLE_BYTES + 1)


@bp.get("/")
@teacher_required
def dashboard():
    listing = class_stats.dashboard(_me(), page_arg())
    return render_template("teacher/dashboard.html", listing=listing)


@bp.route("/sets/new", methods=["GET", "POST"])
@teacher_required
def new_set():
    """The form; a valid article is queued as a generation job (quizapp.tasks), and the teacher
    goes to its progress page."""
    form = NewSetForm()
    if form.validate_on_submit():
        try:
            job, existing = tasks.start_generation(
                _me(),
                title=form.title.data or "",
                text=form.text.data,
                upload=_upload(),
                source_url=form.source_url.data or None,
                published=form.published.data or None,
            )
        except Invalid as exc:
            form.text.errors = [*form.text.errors, str(exc)]
        else:
            if existing is not None:
                flash("You already built a set from this article: here it is.", "info")
                return redirect(url_for("teacher.review", set_id=existing.id), code=303)
            return redirect(url_for("teacher.job", job_id=job.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("teacher/new_set.html", form=form), status


@bp.get("/jobs/<int:job_id>")
@teacher_required
def job(job_id: int):
    """A generation job's progress (refreshing itself); done: its set's review page; failed:
    the message and the form again, filled in with what was sent."""
    job = jobs.owned_job(job_id, _me(), tasks.wait_timeout())
    if job.stage == "done":
        if job.created_set:
            flash(
                f"{job.question_count} questions generated. Review them, then publish.", "success"
            )
        else:
            flash("You already built a set from this article: here it is.", "info")
        return redirect(url_for("teacher.review", set_id=job.set_id), code=303)
    form = None
    if job.stage == "failed":
        form = NewSetForm(
            formdata=None,
            title=job.title,
            text=jobs.retry_text(job),
            source_url=job.source_url,
            published=job.source_published,
        )
    return render_template(
        "teacher/job.html",
        job=job,
        form=form,
        labels=jobs.STAGE_LABELS,
        steps=jobs.STEPS,
        status=jobs.status_of(job),
    )


@bp.get("/jobs/<int:job_id>/status")
@teacher_required
def job_status(job_id: int):
    """The progress page's JSON, for its script: stage, progress, and where to go when done."""
    job = jobs.owned_job(job_id, _me(), tasks.wait_timeout())
    return jsonify(
        status=jobs.status_of(job),
        stage=job.stage,
        label=jobs.STAGE_LABELS[job.stage],
        progress=job.progress,
        error=job.error,
        next=url_for("teacher.job", job_id=job.id) if job.stage in jobs.FINISHED else None,
    )


def _show_arg() -> str:
    """The review page's filter (?show=all|enabled|disabled, or a form's hidden field)."""
    show = request.values.get("show", "all")
    return show if show in reviewing.SHOW else "all"


def _back_to_review(qset, question_id: int | None = None):
    """Back to the review page a change was made on, its filter kept: at the question changed,
    or (a change to several) on the page given."""
    show = _show_arg()
    args: dict = {} if show == "all" else {"show": show}
    if question_id is None:
        page, anchor = page_arg(), None
    else:
        page, anchor = reviewing.place_of(qset, question_id, show)[1], f"q{question_id}"
    if page > 1:
        args["page"] = page
    return redirect(url_for("teacher.review", set_id=qset.id, _anchor=anchor, **args), code=303)


@bp.get("/sets/<int:set_id>")
@teacher_required
def review(set_id: int):
    """The set and its questions, reviewing.PER_PAGE to a page (?page=, ?show=)."""
    qset = _set(set_id)
    details = SetDetailsForm(
        title=qset.title, source_url=qset.source_url, published=qset.source_published
    )
    return render_template(
        "teacher/review.html",
        qset=qset,
        details=details,
        bulk=BulkForm(),
        settings=SetSettingsForm(
            study_access=qset.study_access, require_signin=qset.require_signin
        ),
        action=ActionForm(),
        listing=reviewing.review_page(qset, page_arg(), _show_arg()),
        highlight=results.highlight,
    )


@bp.post("/sets/<int:set_id>")
@teacher_required
def save_details(set_id: int):
    qset = _set(set_id)
    form = SetDetailsForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(errors), "error")
        return redirect(url_for("teacher.review", set_id=qset.id), code=303)
    try:
        teaching.update_set(
            qset,
            title=form.title.data,
            source_url=form.source_url.data or "",
            published=form.published.data or "",
        )
    except Invalid as exc:
        flash(str(exc), "error")
    else:
        flash("Details saved.", "success")
    return redirect(url_for("teacher.review", set_id=qset.id), code=303)


@bp.post("/sets/<int:set_id>/settings")
@teacher_required
def save_settings(set_id: int):
    """Who may have the set's flashcards and Anki deck before taking it; sign-in required."""
    qset = _set(set_id)
    form = SetSettingsForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(errors), "error")
        return redirect(url_for("teacher.review", set_id=qset.id), code=303)
    answer_keys.save_settings(
        qset, study_access=form.study_access.data, require_signin=bool(form.require_signin.data)
    )
    flash("Settings saved.", "success")
    return redirect(url_for("teacher.review", set_id=qset.id), code=303)


@bp.post("/sets/<int:set_id>/status")
@teacher_required
def change_status(set_id: int):
    qset = _set(set_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    status = request.form.get("status", "")
    if status == "delete":
        teaching.delete_set(qset)
        flash("Set deleted.", "success")
        return redirect(url_for("teacher.dashboard"), code=303)
    try:
        qset = teaching.update_set(qset, status=status)
    except Invalid as exc:
        flash(str(exc), "error")
    else:
        told = {
            "published": "Published: share the link or the join code with your class.",
            "draft": "Back to draft: students no longer see it.",
            "archived": "Archived: students no longer see it; results are kept.",
        }
        flash(told[qset.status], "success")
    return redirect(url_for("teacher.review", set_id=qset.id), code=303)


@bp.post("/sets/<int:set_id>/questions/bulk")
@teacher_required
def bulk(set_id: int):
    qset = _set(set_id)
    form = BulkForm()
    if not form.validate_on_submit():
        abort(400)
    ticked = request.form.getlist("question")
    ids = [int(i) for i in ticked if i.isascii() and i.isdigit() and int(i) <= MAX_ID]
    try:
        changed = editing.set_enabled(qset, ids, form.action.data == "enable")
    except Invalid as exc:
        flash(str(exc), "error")
    else:
        done = "enabled" if form.action.data == "enable" else "disabled"
        flash(f"{changed} question{'' if changed == 1 else 's'} {done}.", "success")
    return _back_to_review(qset)


@bp.post("/sets/<int:set_id>/questions/<int:question_id>/toggle")
@teacher_required
def toggle(set_id: int, question_id: int):
    qset = _set(set_id)
    question = teaching.owned_question(qset, question_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    editing.set_enabled(qset, [question.id], request.form.get("enabled") == "1")
    return _back_to_review(qset, question.id)


@bp.post("/sets/<int:set_id>/questions/<int:question_id>/move")
@teacher_required
def move(set_id: int, question_id: int):
    qset = _set(set_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    step = -1 if request.form.get("direction") == "up" else 1
    editing.move_question(qset, question_id, step)
    return _back_to_review(qset, question_id)


@bp.post("/sets/<int:set_id>/questions/<int:question_id>/distractors")
@teacher_required
def regenerate(set_id: int, question_id: int):
    """New wrong options for a question, saved at once as a new version."""
    qset = _set(set_id)
    question = teaching.owned_question(qset, question_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        editing.regenerate_distractors(question, question.version)
    except Invalid as exc:
        flash(str(exc), "error")
    else:
        number = reviewing.place_of(qset, question.id)[0]
        flash(f"Question {number}: new wrong options saved.", "success")
    return _back_to_review(qset, question.id)


def _fill(form: QuestionForm, question) -> None:
    form.format.data = question.format
    form.category.data = question.category
    form.prompt.data = question.prompt
    form.answer.data = question.answer
    form.accepted.data = "\n".join(question.accepted_answers or [])
    form.wrong_options.data = "\n".join(c for c in (question.choices or []) if c != question.answer)
    numeric = question.numeric or {}
    form.tolerance.data = numeric.get("tolerance")
    form.unit.data = numeric.get("unit") or ""
    form.explanation.data = question.explanation
    form.source_sentence.data = question.source_sentence
    form.version.data = str(question.version)


@bp.route("/sets/<int:set_id>/questions/<int:question_id>", methods=["GET", "POST"])
@teacher_required
def edit_question(set_id: int, question_id: int):
    qset = _set(set_id)
    question = teaching.owned_question(qset, question_id)
    form = QuestionForm()
    if request.method == "GET":
        _fill(form, question)
    elif form.validate_on_submit():
        if form.suggest.data:
            _suggest_into(form, qset)
        else:
            version = form.version.data or ""
            try:
                _question, changed = editing.edit_question(
                    question,
                    form.changes(),
                    expected_version=int(version[:18])
                    if version.isascii() and version.isdigit()
                    else None,
                )
            except ServiceError as exc:
                form.prompt.errors = [*form.prompt.errors, str(exc)]
            else:
                flash("Saved as a new version." if changed else "Nothing changed.", "success")
                return _back_to_review(qset, question.id)
    return render_template(
        "teacher/question.html",
        qset=qset,
        question=question,
        form=form,
        context=teaching.context_in_article(qset.article_text, question),
    ), (400 if form.errors else 200)


def _suggest_into(form: QuestionForm, qset) -> None:
    """Fill the wrong options with suggestions for the answer typed (nothing saved yet);
    pressing again offers others."""
    raw = request.form.get("round", "0")
    round_no = int(raw) % 1000 if raw.isascii() and raw.isdigit() else 0
    try:
        options = editing.suggest_options(
            qset,
            answer=form.answer.data or "",
            category=form.category.data,
            prompt=form.prompt.data or "",
            exclude=lines(form.wrong_options.data),
            round_no=round_no,
        )
    except Invalid as exc:
        form.wrong_options.errors = [str(exc)]
        return
    form.format.data = "multiple_choice"
    form.wrong_options.data = "\n".join(options)
    flash("New wrong options suggested: check them, then save.", "info")


@bp.route("/sets/<int:set_id>/questions/new", methods=["GET", "POST"])
@teacher_required
def add_question(set_id: int):
    qset = _set(set_id)
    form = QuestionForm()
    if request.method == "GET":
        form.format.data = "short_answer"
        form.category.data = "what"
    elif form.validate_on_submit():
        if form.suggest.data:
            _suggest_into(form, qset)
        else:
            try:
                question = editing.add_question(qset, form.changes())
            except Invalid as exc:
                form.prompt.errors = [*form.prompt.errors, str(exc)]
            else:
                flash("Question added at the end of the set.", "success")
                return _back_to_review(qset, question.id)
    return render_template(
        "teacher/question.html", qset=qset, question=None, form=form, context=None
    ), (400 if form.errors else 200)


@bp.get("/sets/<int:set_id>/stats")
@teacher_required
def stats(set_id: int):
    qset = _set(set_id)
    which = request.args.get("attempts", "all")
    if which not in class_stats.WHICH:
        which = "all"
    current = request.args.get("versions") == "current"
    guests = _guests_arg()
    report = class_stats.class_report(qset, which, current_only=current, guests=guests)
    chart = (
        charts.bar_chart(report.histogram, title="Scores of the class", noun="attempt")
        if report.attempt_count
        else ""
    )
    return render_template(
        "teacher/stats.html",
        qset=qset,
        report=report,
        chart=chart,
        students=class_stats.students(qset, guests=guests, page=page_arg("students_page")),
        attempts=class_stats.recent_attempts(qset, which, guests=guests, page=page_arg()),
    )


@bp.get("/sets/<int:set_id>/students/<int:user_id>")
@teacher_required
def student(set_id: int, user_id: int):
    qset = _set(set_id)
    user, found = class_stats.student_attempts(qset, user_id)
    items = results.results_of(found)
    return render_template(
        "teacher/student.html",
        qset=qset,
        student=user,
        attempts=[(a, items[a.id]) for a in found],
    )


def _guests_arg() -> bool:
    """Whether guests' attempts count in the class results: yes unless ?guests=0 (the
    results page's "Signed-in students only")."""
    return request.args.get("guests") != "0"


@bp.get("/sets/<int:set_id>/results.csv")
@teacher_required
def results_csv(set_id: int):
    qset = _set(set_id)
    # Streamed: rows are read from the database as the download is written.
    body = stream_with_context(class_stats.results_csv(qset, "all", guests=_guests_arg()))
    return attachment(body, "text/csv", f"set-{qset.id}-results.csv")


@bp.app_context_processor
def _export_formats():
    return {"export_formats": [(f.name, f.label) for f in exchange.FILE_FORMATS.values()]}


@bp.get("/sets/<int:set_id>/export/<fmt>")
@teacher_required
def export(set_id: int, fmt: str):
    """The set's enabled questions in one of the interchange formats, as a download."""
    qset = _set(set_id)
    if fmt not in exchange.FILE_FORMATS:
        abort(404)
    download = exchange.export_set(qset, fmt)
    return attachment(download.body, download.mimetype, download.filename)


@bp.route("/import", methods=["GET", "POST"])
@teacher_required
def import_set():
    """A set from a GIFT, CSV or quizapp JSON file (a draft, to review before publishing)."""
    form = ImportForm()
    if form.validate_on_submit():
        file = request.files.get("upload")
        if file is None or not file.filename:
            form.title.errors = ["Choose a .gift, .csv or .json file to import."]
        else:
            try:
                result, warnings = exchange.import_upload(
                    _me(),
                    file.filename,
                    file.read(exchange.MAX_IMPORT_BYTES + 1),
                    title=form.title.data or "",
                )
            except Invalid as exc:
                form.title.errors = [str(exc)]
            else:
                count = f"{result.added} question{'' if result.added == 1 else 's'}"
                if result.created:
                    flash(f"{count} imported as a draft: review them, then publish.", "success")
                else:
                    flash(f"This file was imported before, into this set: {count} new.", "info")
                for warning in warnings[:10]:
                    flash(f"Note: {warning}", "info")
                if len(warnings) > 10:
                    flash(f"… and {len(warnings) - 10} more notes like these.", "info")
                return redirect(url_for("teacher.review", set_id=result.question_set.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("teacher/import.html", form=form), status
