"""Flask-WTF forms; the quiz form is built per quiz, one field per question."""

from __future__ import annotations

from collections.abc import Sequence

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, RadioField, StringField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional
from wtforms.widgets import NumberInput

from .models import Question
from .passwords import MAX_LENGTH, MIN_LENGTH
from .scoring import MAX_ANSWER_CHARS

NAME_LENGTH = Length(max=80, message="At most 80 characters.")


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    submit = SubmitField("Sign in")


class RegisterForm(FlaskForm):
    display_name = StringField("Your name", validators=[DataRequired(), NAME_LENGTH])
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        "Password",
        description=f"At least {MIN_LENGTH} characters.",
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )
    submit = SubmitField("Create account")


class ActionForm(FlaskForm):
    """A button that changes state (sign out, finish practice): CSRF only."""


class StartForm(FlaskForm):
    """Start a quiz or a practice session; guests give a display name."""

    guest_name = StringField("Display name", validators=[Optional(), NAME_LENGTH])
    submission_key = HiddenField()


class QuizFormBase(FlaskForm):
    guest_name = StringField("Display name", validators=[Optional(), NAME_LENGTH])
    submission_key = HiddenField()
    retry = HiddenField()
    submit = SubmitField("Submit answers")

    question_fields: list[tuple[Question, str]]


def field_name(question: Question) -> str:
    return f"q{question.id}"


def _answer_field(question: Question, label: str):
    limit = Length(max=MAX_ANSWER_CHARS, message=f"At most {MAX_ANSWER_CHARS} characters.")
    if question.format == "multiple_choice" and question.choices:
        # Validated by the grader ("not one of the choices"), so a blank answer is allowed.
        return RadioField(
            label, choices=[SelectChoice(c, c) for c in question.choices], validate_choice=False
        )
    if question.format == "numeric":
        return StringField(
            label,
            validators=[Optional(), limit],
            widget=NumberInput(step="any"),
            render_kw={"inputmode": "decimal", "autocomplete": "off"},
        )
    return StringField(
        label,
        validators=[Optional(), limit],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"},
    )


def quiz_form_class(questions: Sequence[Question]) -> type[QuizFormBase]:
    """A form class with one answer field per question (WTForms' dynamic composition)."""

    class QuizForm(QuizFormBase):
        pass

    names = []
    for number, question in enumerate(questions, start=1):
        name = field_name(question)
        setattr(QuizForm, name, _answer_field(question, f"Question {number}"))
        names.append((question, name))
    QuizForm.question_fields = names
    return QuizForm


def practice_form_class(question: Question) -> type[FlaskForm]:
    class PracticeForm(FlaskForm):
        answer = _answer_field(question, "Your answer")
        question_id = HiddenField()
        submit = SubmitField("Check")

    return PracticeForm
