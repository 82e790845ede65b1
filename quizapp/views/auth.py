"""Register, sign in, sign out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from ..forms import ActionForm, LoginForm, RegisterForm
from ..services import Invalid, accounts, attempts, limits

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        printable = target.isprintable()  # a newline would break the Location header
        if printable and not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("student.home")


def _too_many(template: str, form, exc: limits.TooManyRequests):
    """The form again with the reason, as a 429 that says when to come back."""
    flash(str(exc), "error")
    response = make_response(render_template(template, form=form), 429)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _start_session(user) -> None:
    # A fresh session on sign-in (no fixation): keep nothing from the anonymous one except
    # the quizzes taken as a guest in this browser, which become the account's.
    guest_attempts = session.get("guest_attempts", [])
    session.clear()
    login_user(user)
    session.permanent = True
    if isinstance(guest_attempts, list) and attempts.claim_guest_attempts(user, guest_attempts):
        flash("The quizzes you took as a guest in this browser are now in your results.", "info")


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("student.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register(
                form.email.data,
                form.password.data,
                form.display_name.data,
                request.remote_addr or "",
            )
        except limits.TooManyRequests as exc:
            return _too_many("auth/register.html", form, exc)
        except Invalid as exc:
            flash(str(exc), "error")
            return render_template("auth/register.html", form=form), 400
        else:
            _start_session(user)
            flash(f"Welcome, {user.display_name}! Your account is ready.", "success")
            return redirect(url_for("student.home"))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.sign_in(form.email.data, form.password.data, request.remote_addr or "")
        except limits.TooManyRequests as exc:
            return _too_many("auth/login.html", form, exc)
        if user is None:
            flash("That email and password don't match an account.", "error")
            return render_template("auth/login.html", form=form), 401
        target = _safe_next(request.args.get("next"))
        _start_session(user)
        flash(f"Signed in as {user.display_name}.", "success")
        return redirect(target)
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    form = ActionForm()
    if not form.validate_on_submit():
        flash("Your sign-out form had expired; please try again.", "error")
        return redirect(url_for("student.home"))
    accounts.end_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("student.home"))
