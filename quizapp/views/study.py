"""Flashcards: study a set or everything due, rate cards, settings, statistics."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import StringField
from wtforms.validators import ValidationError

from .. import MAX_ID, charts, scheduling
from ..forms import ActionForm, BaseForm
from ..models import utcnow
from ..services import Invalid, answer_keys, catalogue, study
from ..services.study import stats as study_stats
from .helpers import id_arg

bp = Blueprint("study", __name__, url_prefix="/study")

RATING_WORDS = {1: "again", 2: "hard", 3: "good", 4: "easy"}


@bp.before_request
@login_required
def _signed_in():
    """Every page here is a signed-in student's own (a guest is sent to sign in)."""


def _number(value: str | None, what: str) -> int:
    """A whole number from a form field; Invalid (a 400 page) otherwise."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_ID:
        raise Invalid(f"The form's {what} is missing or not a number; reload the page.")
    return int(value)


def _session_url(set_id: int | None) -> str:
    if set_id is None:
        return url_for("study.review")
    return url_for("study.set_session", set_id=set_id)


@bp.get("/")
def home():
    user_id = current_user.id
    return render_template(
        "study/home.html",
        progress=study.progress(user_id),
        sets=study.card_sets(user_id),
        settings=study.settings_for(user_id),
    )


@bp.get("/review")
def review():
    """Everything due, across sets."""
    return _session(None)


@bp.get("/sets/<int:set_id>")
def set_session(set_id: int):
    """One set's cards; a set the student may not take (a draft) is a 404, one whose
    flashcards are not open to them yet (its study access) a 403 saying why."""
    return _session(set_id)


def _session(set_id: int | None):
    user_id = current_user.id
    qset = None
    if set_id is not None:
        qset = catalogue.set_to_take(set_id, current_user)
        answer_keys.require_study(qset, current_user)
    now = utcnow()
    reveal = id_arg(request.args.get("reveal"))
    if reveal is not None:
        # Only a card the student studies: one of theirs, or a new card on offer now.
        item = study.item_for(user_id, reveal, set_id, now)
    else:
        item = study.next_item(user_id, set_id, now)
    back = study.answer_side(user_id, item, now) if item and reveal is not None else None
    return render_template(
        "study/session.html",
        qset=qset,
        scope=qset.title if qset is not None else "everything due",
        set_id=set_id,
        item=item,
        back=back,
        progress=study.progress(user_id, set_id, now),
        form=ActionForm(),
    )


@bp.post("/reviews")
def rate():
    """Record a rating (POST → redirect → GET). The form carries the card's review count, so a
    double click or a re-sent form records one review only. CSRF is checked for every POST."""
    set_id = id_arg(request.form.get("set")) if request.form.get("set") else None
    question_id = _number(request.form.get("question_id"), "question")
    reps = _number(request.form.get("reps"), "card version")
    rating = request.form.get("rating", "")
    if rating not in ("1", "2", "3", "4"):
        raise Invalid("Choose a rating: Again, Hard, Good or Easy.")
    if set_id is not None:
        qset = catalogue.set_to_take(set_id, current_user)
        if study.studyable_question(current_user.id, question_id).set_id != qset.id:
            abort(404)
    result = study.record_review(current_user.id, question_id, int(rating), reps=reps)
    if result.recorded:
        flash(
            f"{scheduling.RATING_NAMES[int(rating)]}: next review in "
            f"{scheduling.long_interval(result.interval)}.",
            "success",
        )
    else:
        flash("That card was already rated (the form was sent twice); here is the next.", "info")
    return redirect(_session_url(set_id), code=303)


class SettingsForm(BaseForm):
    desired_retention = StringField(
        "Desired retention",
        description=(
            "The share of cards you want to remember when they come due: from 0.70 to 0.99 "
            "(or 70% to 99%). Higher means shorter intervals and more reviews."
        ),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    new_per_day = StringField(
        "New cards per day",
        description="How many new cards a day's sessions may introduce: 0 to 500.",
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )

    def validate_desired_retention(self, field) -> None:
        field.parsed = parse_retention(field.data)

    def validate_new_per_day(self, field) -> None:
        text = (field.data or "").strip()
        if not (text.isascii() and text.isdigit()) or not 0 <= int(text) <= study.MAX_NEW_PER_DAY:
            raise ValidationError(
                f"Enter a whole number from 0 to {study.MAX_NEW_PER_DAY}, such as 20."
            )
        field.parsed = int(text)


def parse_retention(text: str | None) -> float:
    """ "0.9", "0,9", "90" and "90%" all mean 0.90. Raises ValidationError with the range."""
    message = (
        f"Enter a number from {scheduling.MIN_RETENTION:.2f} to {scheduling.MAX_RETENTION:.2f} "
        "(70% to 99%), such as 0.90."
    )
    text = (text or "").strip().replace(",", ".")
    percent = text.endswith("%")
    text = text.rstrip("%").strip()
    try:
        value = float(text) if text.isascii() and len(text) <= 10 else float("nan")
    except ValueError:
        raise ValidationError(message) from None
    if percent or value > 1:
        value /= 100
    if not scheduling.MIN_RETENTION <= value <= scheduling.MAX_RETENTION:  # NaN fails too
        raise ValidationError(message)
    return round(value, 4)


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    user_id = current_user.id
    form = SettingsForm()
    if request.method == "GET":
        current = study.settings_for(user_id)
        form.desired_retention.data = f"{current.desired_retention:.2f}"
        form.new_per_day.data = str(current.new_per_day)
    elif form.validate_on_submit():
        study.save_settings(user_id, form.desired_retention.parsed, form.new_per_day.parsed)
        flash("Flashcard settings saved.", "success")
        return redirect(url_for("study.settings"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("study/settings.html", form=form), status


@bp.get("/stats")
def stats():
    data = study_stats.stats(current_user.id)
    per_day = [(f"{d.day:%d %b}", d.total) for d in data.per_day]
    due = [
        ("Today" if n == 0 else f"{day:%a %d}", count)
        for n, (day, count) in enumerate(data.due_per_day)
    ]
    weeks = [(w.label.removeprefix("Week of "), w.percent) for w in data.weeks if w.total]
    return render_template(
        "study/stats.html",
        data=data,
        reviews_chart=charts.bar_chart(
            per_day, title=f"Reviews per day, last {study_stats.REVIEW_DAYS} days"
        )
        if data.reviews
        else None,
        due_chart=charts.bar_chart(
            due, title=f"Cards due over the next {study_stats.DUE_DAYS} days"
        ),
        retention_chart=charts.line_chart(
            weeks, title="Retention per week (review cards not rated Again)", noun="week"
        )
        if weeks
        else None,
        rating_names=scheduling.RATING_NAMES,
    )
