"""The Alembic migrations build exactly the schema the models describe, and go down and up."""

from __future__ import annotations

import logging.config

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from helpers import TEST_DATABASE_URL
from sqlalchemy import inspect, text

from quizapp.extensions import db

# migrations/env.py tries Flask-SQLAlchemy's deprecated `db.get_engine()` first; that warning
# has its own test below, the others look at the schema.
GET_ENGINE_DEPRECATED = "ignore:'get_engine' is deprecated:DeprecationWarning"


@pytest.fixture
def fresh_app(tmp_path, monkeypatch):
    """An app on an empty database (no create_all): a SQLite file, or the emptied
    QUIZAPP_TEST_DATABASE_URL; its instance folder under tmp_path."""
    from quizapp import create_app

    monkeypatch.setenv("QUIZAPP_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    # migrations/env.py calls logging.config.fileConfig, which would disable every logger
    # created so far in this test process; the migrations themselves are what is tested here.
    monkeypatch.setattr(logging.config, "fileConfig", lambda *args, **kwargs: None)
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    if TEST_DATABASE_URL:  # a shared database: start from nothing
        with app.app_context():
            db.drop_all()
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    yield app
    with app.app_context():
        db.engine.dispose()


def _differences(app) -> list:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _tables(app) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names())


@pytest.mark.filterwarnings(GET_ENGINE_DEPRECATED)
def test_upgrade_builds_the_models_schema(fresh_app):
    import flask_migrate

    with fresh_app.app_context():
        flask_migrate.upgrade(directory=fresh_app.config["MIGRATIONS"])
    assert _tables(fresh_app) >= {t for t in db.metadata.tables} | {"alembic_version"}
    assert _differences(fresh_app) == []


@pytest.mark.filterwarnings(GET_ENGINE_DEPRECATED)
def test_downgrade_to_base_and_upgrade_again(fresh_app):
    import flask_migrate

    directory = fresh_app.config["MIGRATIONS"]
    with fresh_app.app_context():
        flask_migrate.upgrade(directory=directory)
        flask_migrate.downgrade(directory=directory, revision="base")
    assert _tables(fresh_app) <= {"alembic_version"}
    with fresh_app.app_context():
        flask_migrate.upgrade(directory=directory)
    assert _differences(fresh_app) == []


def test_migrations_run_without_deprecation_warnings(fresh_app):
    import flask_migrate

    with fresh_app.app_context():
        flask_migrate.upgrade(directory=fresh_app.config["MIGRATIONS"])
    assert "users" in _tables(fresh_app)
