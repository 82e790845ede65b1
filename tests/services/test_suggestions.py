"""Wrong-option suggestions ("Suggest", "New wrong options") come from what the generation
found, kept with the set: a click parses nothing (issue 19, #4)."""

from __future__ import annotations

import pytest
from helpers import generation_settings, small_bank

from quizapp.extensions import db
from quizapp.generation import generator, suggest
from quizapp.models import QuestionSet, User
from quizapp.services import editing, teaching

ARTICLE = (
    "Prime Minister Nikol Pashinyan spoke in Yerevan on Thursday. "
    "President Ilham Aliyev answered from Baku on Friday. "
    "Hikmet Hajiyev, an adviser to the president, met David Melkomyan in Yevlakh. "
    "Gegam Stepanyan said more than 10,000 people had left Stepanakert."
)


@pytest.fixture
def no_parsing(monkeypatch):
    """Count the generator's parses (and refuse them where a test says so)."""
    calls = []
    real = generator.parse_articles

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(generator, "parse_articles", counting)
    monkeypatch.setattr(suggest, "parse_articles", counting)  # its own module-level name
    return calls


def test_a_generated_set_keeps_its_findings_and_suggests_without_parsing(app, factory, no_parsing):
    owner_id, _ = factory.user("teacher")
    with app.app_context():
        owner = db.session.get(User, owner_id)
        qset, created = teaching.create_set(owner, text=ARTICLE, **generation_settings(app))
        assert created and qset.findings and qset.findings["names"]
        options = editing.suggest_options(qset, answer="Nikol Pashinyan", category="who")
    assert no_parsing == []  # generation ran in its own process; the click parsed nothing
    assert len(options) == 3 and "Nikol Pashinyan" not in options
    people = {"Ilham Aliyev", "Hikmet Hajiyev", "David Melkomyan", "Gegam Stepanyan"}
    assert set(options) <= people


def test_a_set_without_findings_parses_its_article_once(app, factory, no_parsing):
    owner_id, _ = factory.user("teacher")
    bank = small_bank()
    with app.app_context():
        from quizapp.services.catalogue import import_bank

        owner = db.session.get(User, owner_id)
        qset = import_bank(bank, owner=owner, status="draft", article_text=ARTICLE).question_set
        assert qset.findings is None
        first = editing.suggest_options(qset, answer="Ilham Aliyev", category="who")
        assert len(no_parsing) == 1
        db.session.expire_all()
        qset = db.session.get(QuestionSet, qset.id)
        assert qset.findings and qset.findings["names"]  # stored for the next click
        again = editing.suggest_options(qset, answer="Ilham Aliyev", category="who", round_no=1)
        assert len(no_parsing) == 1
    assert len(first) == 3 and len(again) == 3 and "Ilham Aliyev" not in first + again


def test_findings_that_cannot_be_read_mean_no_article_names_not_an_error(app, factory):
    owner_id, _ = factory.user("teacher")
    with app.app_context():
        from quizapp.services.catalogue import import_bank

        owner = db.session.get(User, owner_id)
        qset = import_bank(small_bank(), owner=owner, status="draft").question_set
        qset.findings = {"version": 999, "names": "garbage"}
        db.session.commit()
        # a number needs no article; a name without readable findings finds none
        assert len(editing.suggest_options(qset, answer="40,000", category="how_many")) == 3
        with pytest.raises(editing.Invalid):
            editing.suggest_options(qset, answer="Quintessa Vorbeck", category="who")
