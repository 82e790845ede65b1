"""The four note types: fixed ids and modification time, CSS, card templates, genanki models.

A note's kind (``"qa"``, ``"multiple_choice"``, ``"type_in"``, ``"cloze"``) is chosen in
:mod:`.fields`; :func:`new_note_types` gives the genanki model of each kind.
"""

from __future__ import annotations

import genanki

# Fixed ids (genanki's suggested range 2**30..2**31): never random, so a re-import reuses them.
QA_MODEL_ID = 1_618_033_988
MULTIPLE_CHOICE_MODEL_ID = 1_414_213_562
CLOZE_MODEL_ID = 1_732_050_807
TYPE_IN_MODEL_ID = 1_259_921_049
# The note types' "last modified" (2026-01-01 UTC). Anki updates a note type on import only
# when this is newer than its copy: bump it whenever the templates or the CSS below change.
MODEL_MTIME = 1_767_225_600

CSS = """\
.card {
  --fg: #1f2328; --muted: #59636e; --accent: #0b5cad; --rule: #d1d9e0; --quote: #f3f5f7;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px; line-height: 1.45; text-align: left; color: var(--fg);
  background-color: #ffffff; max-width: 40em; margin: 0 auto; padding: 0.75em;
  overflow-wrap: anywhere;
}
.nightMode .card, .card.nightMode, .night_mode .card, .card.night_mode {
  --fg: #e6edf3; --muted: #9aa5b1; --accent: #6cb6ff; --rule: #3d444d; --quote: #262c36;
  background-color: #1c2128;
}
.prompt { font-weight: 600; }
.unit, .accepted, .article { color: var(--muted); font-size: 0.85em; }
.unit::before { content: "Unit: "; }
.accepted::before { content: "Also accepted: "; }
.answer, .cloze { color: var(--accent); font-weight: 700; }
ol.choices { list-style: none; padding-left: 0; }
ol.choices li { margin: 0.35em 0; }
.letter { font-weight: 700; }
.explanation { margin-top: 0.75em; }
.source { margin: 0.75em 0 0; padding: 0.5em 0.75em; border-left: 3px solid var(--rule);
  background-color: var(--quote); }
hr#answer { border: 0; border-top: 1px solid var(--rule); }
a { color: var(--accent); }
#typeans { width: 100%; box-sizing: border-box; font-size: 1em; padding: 0.3em; }
@media (max-width: 480px) { .card { font-size: 18px; padding: 0.5em; } }
"""


def _sections(*names: str) -> str:
    """Template parts shown only when their field is not empty."""
    return "".join(
        f'{{{{#{n}}}}}<div class="{n.lower()}">{{{{{n}}}}}</div>{{{{/{n}}}}}' for n in names
    )


_PROMPT = '<div class="prompt">{{Prompt}}</div>'
_ANSWER = '<hr id="answer"><div class="answer">{{Answer}}</div>'
_TYPED = _PROMPT + _sections("Unit")
_CLOZE = '<div class="prompt">{{cloze:Text}}</div>'
_SPECS = {  # kind: (id, name, fields, front, back)
    "qa": (
        QA_MODEL_ID,
        "quizapp: question and answer",
        "Prompt Answer Explanation Source Article",
        _PROMPT,
        "{{FrontSide}}" + _ANSWER + _sections("Explanation", "Source", "Article"),
    ),
    "multiple_choice": (
        MULTIPLE_CHOICE_MODEL_ID,
        "quizapp: multiple choice",
        "Prompt Choices Answer Explanation Source Article",
        _PROMPT + "{{Choices}}",
        "{{FrontSide}}" + _ANSWER + _sections("Explanation", "Source", "Article"),
    ),
    "type_in": (
        TYPE_IN_MODEL_ID,
        "quizapp: type the answer",
        "Prompt Answer Accepted Unit Explanation Source Article",
        _TYPED + "{{type:Answer}}",
        _TYPED
        + '<hr id="answer">{{type:Answer}}'
        + _sections("Accepted", "Explanation", "Source", "Article"),
    ),
    "cloze": (
        CLOZE_MODEL_ID,
        "quizapp: cloze",
        "Text Explanation Article",
        _CLOZE,
        _CLOZE + _sections("Explanation", "Article"),
    ),
}


class _Model(genanki.Model):
    """A note type written with MODEL_MTIME as its ``mod`` instead of the export time, so an
    unchanged note type never looks newer to Anki than the copy a learner may have restyled."""

    def to_json(self, timestamp, deck_id):
        return super().to_json(MODEL_MTIME, deck_id)


def new_note_types() -> dict[str, genanki.Model]:
    """Fresh note types per export (genanki mutates them while writing)."""
    return {
        kind: _Model(
            model_id,
            name,
            fields=[{"name": f} for f in fields.split()],
            templates=[
                {"name": "Cloze" if kind == "cloze" else "Card 1", "qfmt": front, "afmt": back}
            ],
            css=CSS,
            model_type=genanki.Model.CLOZE if kind == "cloze" else genanki.Model.FRONT_BACK,
        )
        for kind, (model_id, name, fields, front, back) in _SPECS.items()
    }
