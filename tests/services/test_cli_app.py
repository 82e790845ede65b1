"""The app's commands (contracts §4): `users create`, `import`, and the preparation `serve`
does before it starts gunicorn. Each test has its own empty database and instance folder."""

from __future__ import annotations

import json
import logging.config
import os
import subprocess
import sys

import pytest
from helpers import PASSWORD, REPO_DIR, SEED_BANK, TEST_DATABASE_URL, seed_bank, small_bank
from sqlalchemy import func, select, text

from quizapp.extensions import db
from quizapp.models import Question, QuestionSet, User

# every question row of the seed set: its list, then its alternates (turned off)
SEED_SIZE = len(seed_bank()["questions"]) + len(seed_bank().get("alternates", []))
SEED_LISTED = len(seed_bank()["questions"])  # what GIFT and CSV carry

# migrations/env.py's deprecated `db.get_engine()` call is reported by test_migrations.py.
pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")


@pytest.fixture
def cli_app(tmp_path, monkeypatch):
    """An app on an empty database (the commands migrate it themselves), cheap hashing: a
    SQLite file, or the emptied QUIZAPP_TEST_DATABASE_URL."""
    from quizapp import create_app

    monkeypatch.setenv("QUIZAPP_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    # migrations/env.py calls logging.config.fileConfig, disabling this process's loggers.
    monkeypatch.setattr(logging.config, "fileConfig", lambda *args, **kwargs: None)
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'cli.sqlite'}",
            "QUESTION_BANKS": str(REPO_DIR / "question_banks"),
            "PASSWORD_TIME_COST": 1,
            "PASSWORD_MEMORY_KIB": 64,
        }
    )
    if TEST_DATABASE_URL:  # a shared database: start from nothing
        with app.app_context():
            db.drop_all()
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def invoke(cli_app):
    runner = cli_app.test_cli_runner()
    return lambda *args, **kwargs: runner.invoke(args=list(args), **kwargs)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def _assert_one_error_line(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    lines = _error_lines(result)
    assert len(lines) == 1 and lines[0].startswith("quizapp: error: "), lines
    for word in words:
        assert word.lower() in lines[0].lower()


# -- users create ----------------------------------------------------------------------------


def _create(invoke, email: str, *args: str, **kwargs):
    return invoke("users", "create", "--email", email, *args, **kwargs)


def test_users_create_makes_a_teacher(cli_app, invoke):
    result = _create(invoke, "Teach@Example.com", "--role", "teacher", "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    assert "teach@example.com" in result.stdout
    with cli_app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.role) == ("teach@example.com", "teacher")
        assert user.password_hash.startswith("$argon2id$")


def test_users_create_defaults_to_student(cli_app, invoke):
    assert _create(invoke, "s@example.com", "--password", PASSWORD).exit_code == 0
    with cli_app.app_context():
        assert db.session.scalar(select(User.role)) == "student"


def test_users_create_prompts_for_the_password(cli_app, invoke):
    result = _create(invoke, "p@example.com", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    with cli_app.app_context():
        from quizapp.services.accounts import authenticate

        assert authenticate("p@example.com", PASSWORD) is not None


def test_users_create_duplicate_email_is_one_error_line(cli_app, invoke):
    assert _create(invoke, "d@example.com", "--password", PASSWORD).exit_code == 0
    result = _create(invoke, "D@EXAMPLE.com", "--password", PASSWORD)
    _assert_one_error_line(result, "already exists")
    assert _count(cli_app, User) == 1


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--email", "x@example.com", "--password", "short"), ("8 characters",)),
        (("--email", "not-an-email", "--password", PASSWORD), ("email",)),
    ],
    ids=["short-password", "bad-email"],
)
def test_users_create_bad_input_is_one_error_line(cli_app, invoke, args, words):
    _assert_one_error_line(invoke("users", "create", *args), *words)
    assert _count(cli_app, User) == 0


def test_users_create_bad_role_is_one_error_line(cli_app, invoke):
    result = _create(invoke, "r@example.com", "--role", "admin", "--password", PASSWORD)
    _assert_one_error_line(result, "role")


# -- import ----------------------------------------------------------------------------------


def test_import_seed_bank_creates_a_set_of_its_questions(cli_app, invoke):
    result = invoke("import", str(SEED_BANK))
    assert result.exit_code == 0, result.output
    assert f"{SEED_SIZE} new questions" in result.stderr
    with cli_app.app_context():
        qset = db.session.scalar(select(QuestionSet))
        assert qset.status == "published" and len(qset.questions) == SEED_SIZE


def test_import_again_adds_nothing(cli_app, invoke):
    assert invoke("import", str(SEED_BANK)).exit_code == 0
    result = invoke("import", str(SEED_BANK))
    assert result.exit_code == 0
    assert "0 new questions" in result.stderr
    assert (_count(cli_app, QuestionSet), _count(cli_app, Question)) == (1, SEED_SIZE)


def test_import_corrupt_file_fails_but_good_file_loads(cli_app, invoke, tmp_path):
    bad = tmp_path / "corrupt.json"
    bad.write_text('{"format": "quizapp-bank", "questions": [', encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(json.dumps(small_bank()), encoding="utf-8")
    result = invoke("import", str(bad), str(good))
    assert result.exit_code == 2
    errors = [line for line in _error_lines(result) if line.startswith("quizapp: error:")]
    assert len(errors) == 1 and str(bad) in errors[0]
    assert "Traceback" not in result.output
    assert (_count(cli_app, QuestionSet), _count(cli_app, Question)) == (1, 4)


def test_import_error_names_the_file_once(invoke, tmp_path):
    bad = tmp_path / "corrupt.json"
    bad.write_text("{", encoding="utf-8")
    [line] = _error_lines(invoke("import", str(bad)))
    assert line.count("corrupt.json") == 1, line


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00binary", b"[]", b'{"format": "other"}'])
def test_import_rejects_non_banks(cli_app, invoke, tmp_path, content):
    path = tmp_path / "weird.json"
    path.write_bytes(content)
    result = invoke("import", str(path))
    assert result.exit_code == 2 and "weird.json" in result.stderr
    assert "Traceback" not in result.output


def test_import_of_a_missing_file_is_exit_2(invoke, tmp_path):
    result = invoke("import", str(tmp_path / "missing.json"))
    assert result.exit_code == 2 and "missing.json" in result.stderr


# -- serve's preparation ---------------------------------------------------------------------


def test_serve_preparation_twice_imports_the_shipped_banks_once(cli_app):
    from quizapp import server

    added = []
    for _ in range(2):
        server.upgrade_database(cli_app)
        results = server.import_shipped_banks(cli_app)
        assert [r for _, r in results if isinstance(r, str)] == []
        added.append(sum(r.added for _, r in results))
    assert added == [SEED_SIZE, 0]
    assert _count(cli_app, QuestionSet) == 1


# -- the real entry point --------------------------------------------------------------------


def test_console_entry_point_writes_only_into_its_instance_folder(tmp_path):
    instance = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FLASK_APP")}
    env["QUIZAPP_INSTANCE"] = str(instance)
    args = ("users", "create", "--email", "t@example.com", "--role", "teacher")
    result = subprocess.run(
        [sys.executable, "-m", "quizapp", *args, "--password", PASSWORD],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "created teacher t@example.com" in result.stdout
    # Only `serve` keeps a secret key (for its workers); an account needs just the database.
    assert sorted(p.name for p in instance.iterdir()) == ["quizapp.sqlite"]


def test_serve_keeps_a_private_secret_key_for_its_workers(app, tmp_path, monkeypatch):
    from quizapp.server import ensure_secret_key

    monkeypatch.delenv("SECRET_KEY", raising=False)
    app.instance_path = str(tmp_path)
    ensure_secret_key(app)
    key = (tmp_path / "secret_key").read_text()
    assert len(key) == 64
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
    ensure_secret_key(app)
    assert (tmp_path / "secret_key").read_text() == key


def test_console_entry_point_error_is_one_line_on_stderr(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FLASK_APP")}
    env["QUIZAPP_INSTANCE"] = str(tmp_path / "instance")
    result = subprocess.run(
        [sys.executable, "-m", "quizapp", "users", "create", "--email", "t@example.com"]
        + ["--password", "short"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == ["quizapp: error: Use at least 8 characters."]


def test_import_gift_as_a_teachers_draft_idempotently(cli_app, invoke, tmp_path):
    assert (
        invoke(
            "users",
            "create",
            "--email",
            "t@example.com",
            "--role",
            "teacher",
            "--password",
            PASSWORD,
        ).exit_code
        == 0
    )
    gift = tmp_path / "seed.gift"
    assert invoke("export", str(SEED_BANK), "-o", str(gift)).exit_code == 0
    result = invoke("import", "--owner", "t@example.com", "--draft", str(gift))
    assert result.exit_code == 0, result.output
    assert f"{SEED_LISTED} new questions" in result.stderr
    assert "0 new questions" in invoke("import", "--owner", "t@example.com", str(gift)).stderr
    with cli_app.app_context():
        qset = db.session.scalar(select(QuestionSet))
        assert qset.status == "draft" and qset.owner.email == "t@example.com"
        assert len(qset.questions) == SEED_LISTED


def test_import_bad_gift_names_the_line_and_unknown_owner_is_refused(invoke, tmp_path):
    bad = tmp_path / "bad.gift"
    bad.write_text("::a:: Who? {=A ~B\n\n::b:: When? {#abc}\n", encoding="utf-8")
    result = invoke("import", str(bad))
    assert result.exit_code == 2 and "line 1" in result.stderr
    result = invoke("import", "--owner", "nobody@example.com", str(SEED_BANK))
    assert result.exit_code == 2 and "no teacher account" in result.stderr


# -- the commands go through the services, with the app's settings (issue 16) ----------------


def test_users_create_and_set_password_hash_with_the_apps_settings(cli_app, invoke):
    # cli_app asks for argon2 at t=1, 64 KiB: the commands pass the app's settings on.
    assert _create(invoke, "h@example.com", "--password", PASSWORD).exit_code == 0
    with cli_app.app_context():
        assert "$m=64,t=1," in db.session.scalar(select(User.password_hash))
    new = PASSWORD + "-new"
    result = invoke("users", "set-password", "H@example.com", "--password-stdin", input=new)
    assert result.exit_code == 0, result.output
    assert "0 API token(s) revoked" in result.stdout
    with cli_app.app_context():
        from quizapp.services.accounts import authenticate

        assert "$m=64,t=1," in db.session.scalar(select(User.password_hash))
        assert authenticate("h@example.com", new) is not None


def test_import_owner_is_a_teacher_found_by_email_in_any_case(cli_app, invoke, tmp_path):
    assert _create(invoke, "s@example.com", "--password", PASSWORD).exit_code == 0
    result = invoke("import", "--owner", "s@example.com", str(SEED_BANK))
    _assert_one_error_line(result, "--owner s@example.com", "no teacher account")
    assert _create(invoke, "t@example.com", "--role", "teacher", "--password", PASSWORD)
    bank = tmp_path / "bank.json"
    bank.write_text(json.dumps(small_bank()), encoding="utf-8")
    result = invoke("import", "--owner", " T@Example.COM ", str(bank))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [f"{bank}: set 1 created, 4 new questions"]
    with cli_app.app_context():
        assert db.session.scalar(select(QuestionSet)).owner.email == "t@example.com"


def test_import_refused_by_a_live_set_leaves_the_next_file_to_load(cli_app, invoke, tmp_path):
    # A draft import into a published set with new questions is refused inside its write
    # transaction; the command goes on with the next file.
    first, more, other = tmp_path / "first.json", tmp_path / "more.json", tmp_path / "other.json"
    bank = small_bank()
    first.write_text(json.dumps({**bank, "questions": bank["questions"][:2]}), encoding="utf-8")
    more.write_text(json.dumps(bank), encoding="utf-8")
    other.write_text(json.dumps(small_bank("Other", "cd" * 32)), encoding="utf-8")
    assert invoke("import", str(first)).exit_code == 0
    result = invoke("import", "--draft", str(more), str(other))
    assert result.exit_code == 2
    errors = [line for line in _error_lines(result) if line.startswith("quizapp: error:")]
    assert len(errors) == 1 and str(more) in errors[0] and "nothing was imported" in errors[0]
    assert f"{other}: set 2 created, 4 new questions" in result.stderr
    assert (_count(cli_app, QuestionSet), _count(cli_app, Question)) == (2, 6)


def test_export_of_a_set_id_without_a_database_is_one_error_line(invoke, tmp_path):
    # cli_app's database has no tables yet (nothing migrated it)
    result = invoke("export", "1", "-o", str(tmp_path / "set.json"))
    _assert_one_error_line(result, "set 1: cannot read the database")
    assert not (tmp_path / "set.json").exists()


def test_serve_prepares_then_serves_on_fresh_connections(cli_app, invoke, monkeypatch):
    from quizapp import server

    served = []

    def fake_serve(host, port, workers, *, threads, log_format):
        with cli_app.app_context():
            served.append((host, port, workers, threads, log_format, db.engine.pool.checkedin()))

    monkeypatch.setattr(server, "serve", fake_serve)
    monkeypatch.setattr(server, "start_worker", lambda: pytest.fail("--no-worker started one"))
    result = invoke("serve", "--port", "5055", "--workers", "3", "--threads", "2", "--no-worker")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"quizapp: database ready; {SEED_SIZE} new questions imported",
        "quizapp: serving on http://127.0.0.1:5055/",
    ]
    # the preparation's connections are closed before gunicorn forks its workers
    log_format = cli_app.config["LOG_FORMAT"]
    assert served == [("127.0.0.1", 5055, 3, 2, log_format, 0)]
    assert _count(cli_app, Question) == SEED_SIZE
