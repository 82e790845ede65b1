"""quizapp: quizzes and flashcards generated from news articles."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

__version__ = "0.1.0"

_HERE = Path(__file__).resolve().parent


def _share_dir(name: str) -> Path:
    """Top-level folders of the checkout, or their copies shipped inside the wheel."""
    shipped = _HERE / "_share" / name
    return shipped if shipped.is_dir() else _HERE.parent / name


def _secret_key(app: Flask) -> None:
    """SECRET_KEY from the environment, else the one `quizapp serve` keeps in the instance
    folder, else a random key for this process only (tests, one-off commands)."""
    if app.config.get("SECRET_KEY"):
        return
    path = Path(app.instance_path) / "secret_key"
    if not app.testing and path.is_file():
        app.config["SECRET_KEY"] = path.read_text().strip()
    else:
        app.config["SECRET_KEY"] = secrets.token_hex(32)


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory: settings from the environment, then `test_config` on top."""
    from . import config, database  # noqa: F401 - database registers the SQLite set-up
    from .extensions import csrf, db, login_manager, migrate

    app = Flask(
        __name__,
        instance_path=os.environ.get("QUIZAPP_INSTANCE") or None,
        template_folder=str(_share_dir("templates")),
        static_folder=str(_share_dir("static")),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        QUESTION_BANKS=str(_share_dir("question_banks")),
        MIGRATIONS=str(_share_dir("migrations")),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{Path(app.instance_path) / 'quizapp.sqlite'}",
    )
    app.config.update(config.from_environment())
    if test_config:
        app.config.update(test_config)
    _secret_key(app)
    app.jinja_env.add_extension("jinja2.ext.do")

    db.init_app(app)
    migrate.init_app(app, db, directory=app.config["MIGRATIONS"], render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"

    from .services.accounts import load_session_user

    login_manager.user_loader(load_session_user)

    from .views import api, auth, errors, hooks, student

    app.register_blueprint(auth.bp)
    app.register_blueprint(student.bp)
    app.register_blueprint(api.bp)
    errors.register(app)
    hooks.register(app)

    from .cli import register

    register(app)
    return app
