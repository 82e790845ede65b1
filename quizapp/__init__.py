"""quizapp: quizzes and flashcards generated from news articles."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

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


class _IdConverter(IntegerConverter):
    """`<int:…>` in URLs, bounded to what a database id can hold (a bigger number is a 404)."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


# Ids are INTEGER columns: PostgreSQL refuses a bigger number in a query (500 before this).
MAX_ID = 2**31 - 1
MIN_SECRET_KEY = 32


def _check_secret_key(app: Flask) -> None:
    key = app.config["SECRET_KEY"]
    if not app.testing and not app.debug and len(str(key)) < MIN_SECRET_KEY:
        raise RuntimeError(
            f"SECRET_KEY is too short ({len(str(key))} characters; use at least "
            f"{MIN_SECRET_KEY}, e.g. python -c 'import secrets; print(secrets.token_hex(32))')"
        )


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory: settings from the environment, then `test_config` on top."""
    from . import config, database, sessions  # noqa: F401 - database registers the SQLite set-up
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
    _check_secret_key(app)
    app.url_map.converters["int"] = _IdConverter
    app.jinja_env.add_extension("jinja2.ext.do")

    if app.config.get("PROXY_FIX"):
        from .server import TrustedProxyFix

        try:
            app.wsgi_app = TrustedProxyFix(app.wsgi_app, app.config["TRUSTED_PROXIES"])
        except ValueError as exc:
            raise RuntimeError(str(exc)) from None
    app.session_interface = sessions.RefreshingSessionInterface()
    db.init_app(app)
    migrate.init_app(app, db, directory=app.config["MIGRATIONS"], render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"

    from .services.accounts import load_session_user

    login_manager.user_loader(load_session_user)

    from . import logs
    from .views import api, auth, errors, health, hooks, student, study, teacher

    app.register_blueprint(health.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(student.bp)
    app.register_blueprint(study.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(teacher.bp)
    errors.register(app)
    hooks.register(app)
    logs.register(app)

    from . import tasks
    from .cli import register

    tasks.init_app(app)
    register(app)
    return app
