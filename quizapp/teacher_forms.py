"""Forms of the teacher pages: a new set, the set's details, a question's edit form, bulk
actions. Lists (accepted answers, wrong options) are one item per line."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
)

from .forms import BaseForm
from .services.teaching import MAX_ARTICLE_BYTES, MAX_TITLE
from .vocabulary import CATEGORY_KINDS, FORMAT_KINDS, LIMITS, MAX_UNIT, menu

FORMAT_CHOICES = [SelectChoice(name, label) for name, label in menu(FORMAT_KINDS)]
CATEGORY_CHOICES = [SelectChoice(name, label) for name, label in menu(CATEGORY_KINDS)]
_KB = MAX_ARTICLE_BYTES // 1000
DATE = Regexp(r"^\d{4}-\d{2}-\d{2}$", message="Use the form 2024-05-31.")


def _finite(form, field) -> None:
    """Stop at NaN and infinity (a signalling NaN would crash NumberRange)."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation("Give a number.")


def lines(text: str | None) -> list[str]:
    """The non-empty lines of a text area."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class NewSetForm(BaseForm):
    title = StringField(
        "Title",
        description="Shown to students. Left empty, the article's headline or first sentence.",
        validators=[Optional(), Length(max=MAX_TITLE)],
    )
    text = TextAreaField(
        "Article text",
        description=f"Paste the article, or upload a file below (at most {_KB} KB).",
        validators=[Optional(), Length(max=MAX_ARTICLE_BYTES)],
    )
    source_url = URLField(
        "Source address", validators=[Optional(), Length(max=2000)], description="Optional."
    )
    published = StringField(
        "Published on",
        description="Optional, e.g. 2024-05-31: dates in the article are read relative to it.",
        validators=[Optional(), DATE],
    )
    submit = SubmitField("Generate questions")


class SetDetailsForm(BaseForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=MAX_TITLE)])
    source_url = URLField("Source address", validators=[Optional(), Length(max=2000)])
    published = StringField("Published on", validators=[Optional(), DATE])
    submit = SubmitField("Save details")


STUDY_ACCESS_CHOICES = [
    SelectChoice("after_attempt", "After a first attempt (the default)"),
    SelectChoice("study_aid", "Study aid: before the quiz too"),
    SelectChoice("teacher_only", "Teacher only"),
]


class SetSettingsForm(BaseForm):
    """Who may have the set's answer keys before taking it (its flashcards and Anki deck), and
    whether taking it needs an account."""

    study_access = SelectField(
        "Flashcards and Anki deck",
        choices=STUDY_ACCESS_CHOICES,
        description=(
            "Both show every answer. After a first attempt: a signed-in student who has taken "
            "the quiz. Study aid: anyone who may take it, before taking it too. Teacher only: "
            "you alone. Whatever you choose, students see a question's answer once they have "
            "answered it."
        ),
    )
    require_signin = BooleanField(
        "Require sign-in to take this set",
        description="Guests (without an account) cannot take it.",
    )
    submit = SubmitField("Save settings")


class QuestionForm(BaseForm):
    """Edit a question, or write one by hand."""

    format = SelectField("Format", choices=FORMAT_CHOICES)
    category = SelectField("Kind of question", choices=CATEGORY_CHOICES)
    prompt = TextAreaField(
        "Question",
        description='For a fill-in-the-blank question, put "_____" where the answer goes.',
        validators=[DataRequired(), Length(max=LIMITS["prompt"])],
        render_kw={"rows": 3},
    )
    answer = StringField("Answer", validators=[DataRequired(), Length(max=LIMITS["answer"])])
    accepted = TextAreaField(
        "Also accept",
        description="Other right answers, one per line (spelling variants, short forms).",
        validators=[Optional(), Length(max=6000)],
        render_kw={"rows": 3},
    )
    wrong_options = TextAreaField(
        "Wrong options",
        description="For multiple choice: at least 3, one per line.",
        validators=[Optional(), Length(max=3000)],
        render_kw={"rows": 4},
    )
    tolerance = DecimalField(
        "Tolerance",
        description="For a number: how far from the answer still counts as right.",
        validators=[Optional(), _finite, NumberRange(min=0, message="0 or more.")],
        places=None,
    )
    unit = StringField("Unit", validators=[Optional(), Length(max=MAX_UNIT)])
    explanation = TextAreaField(
        "Explanation",
        description="Shown to students after they answer.",
        validators=[Optional(), Length(max=LIMITS["explanation"])],
        render_kw={"rows": 3},
    )
    source_sentence = TextAreaField(
        "Source sentence",
        description="The sentence of the article the answer comes from.",
        validators=[Optional(), Length(max=LIMITS["source_sentence"])],
        render_kw={"rows": 2},
    )
    version = HiddenField()
    suggest = SubmitField("Suggest wrong options")
    submit = SubmitField("Save question")

    def changes(self) -> dict:
        """The form as the changes `editing.edit_question` takes."""
        data = {
            "format": self.format.data,
            "category": self.category.data,
            "prompt": self.prompt.data or "",
            "answer": self.answer.data or "",
            "accepted_answers": lines(self.accepted.data),
            "explanation": self.explanation.data or "",
            "source_sentence": self.source_sentence.data or "",
            "unit": self.unit.data or None,
        }
        if self.format.data == "multiple_choice":
            data["wrong_options"] = lines(self.wrong_options.data)
        if self.tolerance.data is not None:
            data["tolerance"] = float(self.tolerance.data)
        return data


class BulkForm(BaseForm):
    action = SelectField(
        "With the ticked questions",
        choices=[SelectChoice("enable", "Enable"), SelectChoice("disable", "Disable")],
    )
    submit = SubmitField("Apply")


class ImportForm(BaseForm):
    title = StringField(
        "Title",
        description="Left empty: the file's name (or the bank's title).",
        validators=[Optional(), Length(max=MAX_TITLE)],
    )
    submit = SubmitField("Import")
