"""The secret key: a short one is refused outside tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def bare_config(tmp_path, monkeypatch):
    from helpers import REPO_DIR

    monkeypatch.setenv("QUIZAPP_INSTANCE", str(tmp_path))
    for name in ("SECRET_KEY", "FLASK_DEBUG", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'keys.sqlite'}",
        "QUESTION_BANKS": str(REPO_DIR / "question_banks"),
    }


def test_short_secret_key_is_refused_outside_tests(bare_config):
    from quizapp import create_app

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({**bare_config, "SECRET_KEY": "short"})


@pytest.mark.parametrize(
    "extra", [{"SECRET_KEY": "short", "TESTING": True}, {"SECRET_KEY": "k" * 64}]
)
def test_secret_key_accepted_when_testing_or_long(bare_config, extra):
    from quizapp import create_app
    from quizapp.extensions import db

    app = create_app({**bare_config, **extra})
    assert app.config["SECRET_KEY"] == extra["SECRET_KEY"]
    with app.app_context():
        db.engine.dispose()
