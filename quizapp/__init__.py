"""quizapp: quizzes and flashcards generated from news articles."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

__version__ = "0.1.0"

_HERE = Path(__file__).resolve().parent


def _share_dir(name: str) -> Path:
    """Top-level folders of the checkout, or their copies shipped inside the wheel."""
    shipped = _HERE / "_share" / name
    return shipped if shipped.is_dir() else _HERE.parent / name


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory."""
    app = Flask(
        __name__,
        template_folder=str(_share_dir("templates")),
        static_folder=str(_share_dir("static")),
    )
    app.config.from_mapping(QUESTION_BANKS=str(_share_dir("question_banks")))
    if test_config:
        app.config.update(test_config)
    from .cli import register

    register(app)
    return app
