"""Shared fixtures (the app, its client, the factory, the real server, Chromium, the `shared`
folder beside the repository) and the hooks that mark database tests and fail skips in CI.
Helper functions and constants live in tests/helpers.py."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Re-exported so `from conftest import …` keeps working; new code imports from helpers.
from helpers import (  # noqa: F401
    FUZZ_EXAMPLES,
    FUZZ_MIN_EXAMPLES,
    PASSWORD,
    REPO_DIR,
    SEED_BANK,
    SEED_NAME,
    SHARED_DIR,
    TEST_DATABASE_URL,
    Auth,
    Factory,
    account_settings,
    csrf_from,
    fuzz_settings,
    generation_settings,
    hidden,
    seed_bank,
    seed_quiz_length,
    seed_title_pattern,
    small_bank,
)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared folder; tests that need it are skipped when it is missing."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"shared folder not found at {SHARED_DIR} (expected beside the repository)")
    return SHARED_DIR


@pytest.fixture(scope="session")
def seed_article_path(shared_dir: Path) -> Path:
    """The seed article: a plain-text news story ending with hashtags and a timestamp."""
    path = shared_dir / "seed" / SEED_NAME
    if not path.is_file():
        pytest.skip(f"seed article not found at {path}")
    return path


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    """The annotated Wikinews corpus (`*.json` records with `text` and gold `facts`)."""
    path = shared_dir / "corpus" / "wikinews"
    if not path.is_dir() or not any(path.glob("*.json")):
        pytest.skip(f"Wikinews corpus not found at {path}")
    return path


# --- which tests touch a database ---------------------------------------------------------------

# A test using one of these fixtures is marked `db`: .ci/run runs `pytest -m db` a second time
# with QUIZAPP_TEST_DATABASE_URL on a throwaway PostgreSQL cluster.
DB_FIXTURES = {"app", "cli_app", "fresh_app", "live_server"}


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "db: uses a database (run again on PostgreSQL by .ci/run: pytest -m db)"
    )


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


# --- in CI, a check that cannot run fails ---------------------------------------------------------

# Skips for something missing on the machine (the shared corpus, Chromium, Playwright, the Anki
# library) pass silently on a laptop; with CI=true (.ci/run sets it) they fail, so a CI machine
# without them cannot look green. Deliberate skips (a SQLite-only check on PostgreSQL) stay.
_MISSING = re.compile(
    r"not found|not available|need Debian's Chromium|could not import|No module named", re.I
)


def _missing_in_ci(report) -> bool:
    if not report.skipped or os.environ.get("CI") != "true":
        return False
    reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
    return bool(_MISSING.search(str(reason)))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if _missing_in_ci(report):
        report.outcome = "failed"
        report.longrepr = f"CI=true, and a check could not run: {report.longrepr}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if _missing_in_ci(report):
        report.outcome = "failed"
        report.longrepr = f"CI=true, and a check could not run: {report.longrepr}"


# --- the web app -------------------------------------------------------------------------------


@pytest.fixture
def app(tmp_path):
    """A fresh app and database per test (schema from the models; migrations are tested
    separately), with cheap password hashing."""
    from quizapp import create_app
    from quizapp.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite'}",
            "QUESTION_BANKS": str(REPO_DIR / "question_banks"),
            "PASSWORD_TIME_COST": 1,
            "PASSWORD_MEMORY_KIB": 64,
        }
    )
    with app.app_context():
        if TEST_DATABASE_URL:
            db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def factory(app):
    return Factory(app)


@pytest.fixture
def auth(client):
    return Auth(client)


# --- the real server and Chromium, for the browser tests --------------------------------------


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """`quizapp serve` on a free port with a fresh instance folder, for one test module:
    `.url`, `.instance`, `.database_url` (a fresh PostgreSQL database when
    QUIZAPP_TEST_DATABASE_URL is set, else None: SQLite in the instance) and `.env` (for
    running `quizapp` commands against the same database)."""
    from types import SimpleNamespace

    from live_server import drop_database, fresh_database, start_server, stop_server

    instance = tmp_path_factory.mktemp("instance")
    database_url = fresh_database()
    try:
        proc, url = start_server(instance, database_url=database_url)
    except RuntimeError as exc:
        drop_database(database_url)
        pytest.fail(str(exc))
    try:
        # `env`: what a `quizapp` command needs to reach this server's database.
        env = {**os.environ, "QUIZAPP_INSTANCE": str(instance)}
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        yield SimpleNamespace(url=url, instance=instance, database_url=database_url, env=env)
    finally:
        stop_server(proc)
        drop_database(database_url)


@pytest.fixture(scope="module")
def chromium(live_server):
    """Debian's Chromium through Playwright, closed before the server stops."""
    from live_server import CHROMIUM, CHROMIUM_ARGS

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
