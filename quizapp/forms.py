"""Flask-WTF forms; the quiz form is built per quiz, one field per question."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from wtforms import EmailField, HiddenField, PasswordField, RadioField, StringField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional

from .models import Question
from .passwords import MAX_LENGTH, MIN_LENGTH
from .vocabulary import MAX_ANSWER_CHARS

NAME_LENGTH = Length(max=80, message="At most 80 characters.")


class BaseForm(FlaskForm):
    """Forms read the fields of the request body only: a file sent in place of a text field
    is ignored (and the field reads as missing), never a crash."""

    class Meta:
        def wrap_formdata(self, form, formdata):
            if formdata is _Auto:
                if request.method in ("POST", "PUT", "PATCH", "DELETE"):
                    return request.form
                return None
            return formdata


class LoginForm(BaseForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    submit = SubmitField("Sign in")


def _new_password(label: str, missing: str) -> PasswordField:
    """A field for a password being chosen, held to quizapp.passwords' lengths; `missing`: the
    message when it is left empty."""
    return PasswordField(
        label,
        description=f"At least {MIN_LENGTH} characters, not a common password; "
        "a few unrelated words work well.",
        validators=[
            InputRequired(message=missing),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=f"Use {MIN_LENGTH} to {MAX_LENGTH} characters.",
            ),
        ],
    )


def _repeated(label: str) -> PasswordField:
    """The chosen password again (the field named `password`)."""
    return PasswordField(
        label, validators=[DataRequired(), EqualTo("password", message="The passwords differ.")]
    )


class RegisterForm(BaseForm):
    display_name = StringField("Your name", validators=[DataRequired(), NAME_LENGTH])
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = _new_password("Password", "Choose a password.")
    confirm = _repeated("Repeat the password")
    submit = SubmitField("Create account")


class ChangePasswordForm(BaseForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    password = _new_password("New password", "Choose a new password.")
    confirm = _repeated("Repeat the new password")
    submit = SubmitField("Change password")


class ActionForm(BaseForm):
    """A button that changes state (sign out, finish practice): CSRF only."""


class StartForm(BaseForm):
    """Start a quiz or a practice session; guests give a display name."""

    guest_name = StringField("Display name", validators=[Optional(), NAME_LENGTH])
    submission_key = HiddenField()
    retry = HiddenField()  # practise the questions missed in this attempt


class QuizFormBase(BaseForm):
    guest_name = StringField("Display name", validators=[Optional(), NAME_LENGTH])
    submission_key = HiddenField()
    retry = HiddenField()
    submit = SubmitField("Submit answers")
    confirm_blank = SubmitField("Submit anyway")

    question_fields: list[tuple[Question, str]]


def field_name(question: Question) -> str:
    return f"q{question.id}"


def choice_order(choices: Sequence[str], seed: str) -> list[str]:
    """The choices shuffled by `seed` (the quiz form's submission key, drawn afresh for every
    quiz page): students, and the same student's next try, see their own order, and a page
    sent back (unanswered questions, an expired session) keeps it. Position never tells the
    answer."""

    def key(choice: str) -> str:
        return hashlib.sha256(f"{seed}\x1f{choice}".encode("utf-8", "replace")).hexdigest()

    return sorted(choices, key=key)


def _answer_field(question: Question, label: str, seed: str):
    limit = Length(max=MAX_ANSWER_CHARS, message=f"At most {MAX_ANSWER_CHARS} characters.")
    if question.format == "multiple_choice" and question.choices:
        # Validated by the grader ("not one of the choices"), so a blank answer is allowed.
        ordered = choice_order(question.choices, f"{seed}:{question.uid}")
        return RadioField(
            label, choices=[SelectChoice(c, c) for c in ordered], validate_choice=False
        )
    if question.format == "numeric":
        # A text box with the number keypad: "2,5", "two" or "40 thousand" reach the grader
        # as typed (a type=number box would silently drop or change them).
        return StringField(
            label,
            validators=[Optional(), limit],
            render_kw={"inputmode": "decimal", "autocomplete": "off", "class": "number-input"},
        )
    return StringField(
        label,
        validators=[Optional(), limit],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"},
    )


def quiz_form_class(questions: Sequence[Question], seed: str = "") -> type[QuizFormBase]:
    """A form class with one answer field per question (WTForms' dynamic composition); the
    choices of multiple-choice questions are in an order of their own for each `seed`."""

    class QuizForm(QuizFormBase):
        pass

    names = []
    for number, question in enumerate(questions, start=1):
        name = field_name(question)
        setattr(QuizForm, name, _answer_field(question, f"Question {number}", seed))
        names.append((question, name))
    QuizForm.question_fields = names
    return QuizForm


def practice_form_class(question: Question, seed: str = "") -> type[FlaskForm]:
    class PracticeForm(BaseForm):
        answer = _answer_field(question, "Your answer", seed)
        question_id = HiddenField()
        submit = SubmitField("Check")
        dont_know = SubmitField("I don't know")

    return PracticeForm
