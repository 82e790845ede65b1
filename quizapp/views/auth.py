"""Register, sign in, sign out; the account page (change password, sign out everywhere)."""

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

from ..forms import ActionForm, ChangePasswordForm, LoginForm, RegisterForm
from ..services import Invalid, accounts, attempts, limits
from .helpers import account_settings

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        printable = target.isprintable()  # a newline would break the Location header
        if printable and not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("student.home")


def _too_many(template: str, form, exc: limits.TooManyRequests, **context):
    """The form again with the reason, as a 429 (or a 503 when the server is busy) that says
    when to come back."""
    flash(str(exc), "error")
    response = make_response(render_template(template, form=form, **context), exc.status)
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
            accounts.register(
                form.email.data,
                form.password.data,
                form.display_name.data,
                request.remote_addr or "",
                settings=account_settings(),
            )
        except limits.TooManyRequests as exc:
            return _too_many("auth/register.html", form, exc)
        except Invalid as exc:
            flash(str(exc), "error")
            return render_template("auth/register.html", form=form), 400
        # The same answer whether the email was new or had an account already, so the page
        # does not tell which emails have accounts (ASVS 6.3.8); without mail to prove the
        # address, the next step is signing in, which only the password's owner can do.
        email = accounts.normalise_email(form.email.data)
        session["register_email"] = email
        flash(
            f"If {email} had no account here, it has one now: sign in with the password you "
            "chose. If it had one already, nothing was changed: sign in with that account's "
            "password.",
            "success",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if request.method == "GET" and session.get("register_email"):
        form.email.data = session.pop("register_email")
    if form.validate_on_submit():
        try:
            user = accounts.sign_in(
                form.email.data,
                form.password.data,
                request.remote_addr or "",
                settings=account_settings(),
            )
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


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The account page: change the password (with the current one), sign out everywhere."""
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    context = {"tokens": accounts.live_tokens(user)}
    if form.validate_on_submit():
        try:
            revoked = accounts.change_password(
                user,
                form.current.data,
                form.password.data,
                request.remote_addr or "",
                settings=account_settings(),
            )
        except limits.TooManyRequests as exc:
            return _too_many("auth/account.html", form, exc, **context)
        except Invalid as exc:
            flash(str(exc), "error")
            return render_template("auth/account.html", form=form, **context), 400
        # Every session was ended with the old password; this one goes on, on a fresh cookie.
        _start_session(user)
        tokens = "1 API token was" if revoked == 1 else f"{revoked} API tokens were"
        flash(
            f"Your password is changed. Every other session is signed out and {tokens} revoked.",
            "success",
        )
        return redirect(url_for("auth.account"))
    status = 400 if form.errors else 200
    return render_template("auth/account.html", form=form, **context), status


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    form = ActionForm()
    if not form.validate_on_submit():
        flash("Your sign-out form had expired; please try again.", "error")
        return redirect(url_for("auth.account"))
    revoked = accounts.sign_out_everywhere(current_user._get_current_object())
    logout_user()
    session.clear()
    tokens = "1 API token was" if revoked == 1 else f"{revoked} API tokens were"
    flash(f"You are signed out on every device, and {tokens} revoked.", "info")
    return redirect(url_for("student.home"))
