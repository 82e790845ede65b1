"""Shared fixtures: the `shared` folder beside the repository (seed article, Wikinews corpus)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

# The repository and `shared` sit side by side (/work/main and /work/shared; CI clones the
# repository with ../shared beside it as well).
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
SEED_NAME = "000_6624782c086abe22.txt"


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


# --- Hypothesis ----------------------------------------------------------------------------------

FUZZ_MIN_EXAMPLES = 100
# A long run: QUIZAPP_FUZZ_EXAMPLES=1000 (reliability.md asks for 10,000 now and then).
FUZZ_EXAMPLES = max(
    FUZZ_MIN_EXAMPLES, int(os.environ.get("QUIZAPP_FUZZ_EXAMPLES", FUZZ_MIN_EXAMPLES))
)


def fuzz_settings():
    """@settings for the fuzz suites: FUZZ_EXAMPLES examples, no deadline, fixtures allowed."""
    from hypothesis import HealthCheck, settings

    return settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# --- the web app -------------------------------------------------------------------------------

REPO_DIR = Path(__file__).resolve().parents[1]
SEED_BANK = REPO_DIR / "question_banks" / "000_6624782c086abe22.json"


def seed_bank() -> dict:
    """The shipped seed bank (tests read its title and sizes instead of restating them)."""
    return json.loads(SEED_BANK.read_text(encoding="utf-8"))


def seed_title_pattern():
    """A pattern for links to the seed set: its title's first words."""
    import re

    return re.compile("^" + re.escape(" ".join(seed_bank()["title"].split()[:3])))


def seed_quiz_length() -> int:
    """How many questions the seed set's default quiz has (quizzes.choose of its bank)."""
    from quizapp.quizzes import choose

    return len(choose(seed_bank()["questions"], 20))


PASSWORD = "correct horse battery"


def account_settings(app):
    """The accounts' settings of `app` (its cheap hashing), for tests calling the services."""
    from quizapp.services.accounts import AccountSettings

    return AccountSettings.from_config(app.config)


def generation_settings(app) -> dict:
    """`limits` and `gate` from `app`'s settings, for tests calling teaching.create_set."""
    from quizapp.services import generation_runner

    return {
        "limits": generation_runner.Limits.from_config(app.config),
        "gate": generation_runner.Gate.from_config(app.config, app.instance_path),
    }


def small_bank(title: str = "Harbour festival", digest: str = "ab" * 32) -> dict:
    """A hand-made bank whose answers are unusual words, so a leak is easy to grep for."""
    sentence_1 = "The festival was opened by Mayor Quintessa Vorbeck on Saturday."
    sentence_2 = "About 4,500 visitors came to the harbour in Zanthorpe."
    sentence_3 = "The Glimmerstone Trust paid for the fireworks."
    return {
        "format": "quizapp-bank",
        "version": 1,
        "title": title,
        "source": {
            "title": title,
            "url": "https://example.org/festival",
            "published": "2024-05-04",
            "licence": None,
            "sha256": digest,
        },
        "generator": {"name": "quizapp", "version": "0.1.0", "nlp_model": "hand-made"},
        "questions": [
            {
                "id": "q-mayor00001",
                "category": "who",
                "format": "short_answer",
                "prompt": "Who opened the festival on Saturday?",
                "answer": "Quintessa Vorbeck",
                "accepted_answers": ["Vorbeck"],
                "choices": None,
                "numeric": None,
                "explanation": "Mayor Quintessa Vorbeck opened it (explained-zq1).",
                "source_sentence": sentence_1,
                "source_span": [0, len(sentence_1)],
                "score": 0.9,
            },
            {
                "id": "q-visitors01",
                "category": "how_many",
                "format": "numeric",
                "prompt": "About how many visitors came to the harbour?",
                "answer": "4,500",
                "accepted_answers": ["4500"],
                "choices": None,
                "numeric": {"value": 4500, "tolerance": 0, "unit": "visitors"},
                "explanation": "About 4,500 visitors came (explained-zq2).",
                "source_sentence": sentence_2,
                "source_span": [64, 64 + len(sentence_2)],
                "score": 0.8,
            },
            {
                "id": "q-town000001",
                "category": "where",
                "format": "multiple_choice",
                "prompt": "Where is the harbour the visitors came to?",
                "answer": "Zanthorpe",
                "accepted_answers": [],
                "choices": ["Ashby", "Zanthorpe", "Kelmore", "Dunmarch"],
                "numeric": None,
                "explanation": "The harbour is in Zanthorpe (explained-zq3).",
                "source_sentence": sentence_2,
                "source_span": [64, 64 + len(sentence_2)],
                "score": 0.7,
            },
            {
                "id": "q-trust00001",
                "category": "who",
                "format": "cloze",
                "prompt": "The _____ paid for the fireworks.",
                "answer": "Glimmerstone Trust",
                "accepted_answers": [],
                "choices": None,
                "numeric": None,
                "explanation": "The Glimmerstone Trust paid (explained-zq4).",
                "source_sentence": sentence_3,
                "source_span": [120, 120 + len(sentence_3)],
                "score": 0.6,
            },
        ],
    }


# Route and service tests run on a fresh SQLite file each; with QUIZAPP_TEST_DATABASE_URL set
# (e.g. postgresql+psycopg://…), on that database instead, emptied before every test.
TEST_DATABASE_URL = os.environ.get("QUIZAPP_TEST_DATABASE_URL")


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


class Factory:
    """Small builders for users, sets and attempts (each commits through the services)."""

    def __init__(self, app):
        self.app = app
        self.count = 0

    def user(self, role: str = "student", name: str | None = None):
        from quizapp.services.accounts import create_user

        self.count += 1
        with self.app.app_context():
            user = create_user(
                f"{role}{self.count}@example.com",
                PASSWORD,
                role,
                name,
                settings=account_settings(self.app),
            )
            return user.id, user.email

    def bank_set(
        self,
        bank: dict | None = None,
        owner_id: int | None = None,
        status="published",
        study_access: str | None = None,
    ):
        """A set from `bank` (the small bank); `study_access` None keeps the default
        (after_attempt: flashcards and the Anki deck open after a first quiz)."""
        from quizapp.extensions import db
        from quizapp.models import User
        from quizapp.services.answer_keys import save_settings
        from quizapp.services.catalogue import import_bank

        with self.app.app_context():
            owner = db.session.get(User, owner_id) if owner_id else None
            qset = import_bank(bank or small_bank(), owner=owner, status=status).question_set
            if study_access is not None:
                qset = save_settings(qset, study_access=study_access)
            return qset.id

    def seed_set(self) -> int:
        import json

        return self.bank_set(json.loads(SEED_BANK.read_text(encoding="utf-8")))


@pytest.fixture
def factory(app):
    return Factory(app)


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = PASSWORD):
        page = self.client.get("/login")
        token = csrf_from(page.get_data(as_text=True))
        return self.client.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def logout(self):
        token = csrf_from(self.client.get("/").get_data(as_text=True))
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client):
    return Auth(client)


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    import re

    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


def hidden(html: str, name: str) -> str:
    import re

    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    assert found, f"no hidden field {name}"
    return found.group(1)


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
