"""The `quizapp` command line (contracts §4); `flask --app quizapp` offers the same commands."""

from __future__ import annotations

import json
import logging.config
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from . import server, tasks
from .articles import Article, ArticleError, parse_article, read_article
from .banks import BankError, dumps_bank, write_bank
from .config import from_environment
from .evaluation import BARS, evaluate_dir, format_report, report_to_dict
from .interchange import FILE_FORMATS, InterchangeError, format_for_path
from .logs import logging_config
from .services import Invalid, NotFound, exchange
from .services.accounts import (
    AccountSettings,
    create_user,
    set_password,
    teacher_by_email,
    user_by_email,
)
from .services.generation_runner import Busy, GenerationTooComplex, Limits, generate


def _fail(message: str, status: int = 2) -> None:
    click.echo(f"quizapp: error: {message}", err=True)
    sys.exit(status)


def _read_all(paths: tuple[str, ...]) -> tuple[list[Article], list[str]]:
    articles, failures = [], []
    for path in paths:
        try:
            articles.append(read_article(path))
        except ArticleError as exc:
            click.echo(f"quizapp: error: {exc}", err=True)
            failures.append(str(exc))
    return articles, failures


@click.command("generate")
@click.argument("articles", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(), help="FILE.json for one article, or a folder.")
@click.option("--max-questions", type=click.IntRange(min=1), help="Keep the best N questions.")
def generate_command(articles: tuple[str, ...], output: str | None, max_questions: int | None):
    """Generate a question bank from each ARTICLE (.txt, .md, .html, .json or - for stdin),
    each within the limits of the QUIZAPP_GENERATION_* settings (as in the web app)."""
    many = len(articles) > 1
    if many and output and output.endswith(".json") and not Path(output).is_dir():
        _fail("-o FILE.json takes one article; give a folder for several")
    if many and not output:
        _fail("several articles need -o DIR")
    loaded, failures = _read_all(articles)
    out_dir = Path(output) if output and (many or not output.endswith(".json")) else None
    try:
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
        elif output:
            Path(output).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail(f"{output}: cannot write there ({exc.strerror or exc})")
    names = _output_names(loaded)
    try:
        limits = Limits.from_config(from_environment())
    except RuntimeError as exc:  # a QUIZAPP_GENERATION_* setting that is not a number
        _fail(str(exc))
    with (
        click.progressbar(length=len(loaded), label="Generating", file=sys.stderr, show_pos=True)
        if many
        else _NoBar() as bar
    ):
        for article in loaded:
            try:
                bank = generate(article, max_questions=max_questions, limits=limits).bank
            except (GenerationTooComplex, Busy) as exc:
                click.echo(f"quizapp: error: {article.name}: {exc}", err=True)
                failures.append(f"{article.name}: {exc}")
                bar.update(1)
                continue
            try:
                if out_dir is not None:
                    write_bank(bank, out_dir / names[id(article)])
                elif output:
                    write_bank(bank, output)
                else:
                    sys.stdout.write(dumps_bank(bank))
            except OSError as exc:
                _fail(f"{output}: cannot write there ({exc.strerror or exc})")
            bar.update(1)
    if failures:
        if many:
            click.echo(f"{len(failures)} of {len(articles)} articles failed:", err=True)
            for f in failures:
                click.echo(f"  {f}", err=True)
        sys.exit(2)


def _output_names(articles: list[Article]) -> dict[int, str]:
    """`<input stem>.json` per article; a stem seen before gets `-2`, `-3` … (with a note)."""
    names: dict[int, str] = {}
    seen: dict[str, int] = {}
    for article in articles:
        stem = "stdin" if article.name == "<stdin>" else Path(article.name).stem
        seen[stem] = seen.get(stem, 0) + 1
        name = f"{stem}.json" if seen[stem] == 1 else f"{stem}-{seen[stem]}.json"
        if seen[stem] > 1:
            click.echo(
                f"quizapp: note: {article.name}: another input is named {stem}; wrote {name}",
                err=True,
            )
        names[id(article)] = name
    return names


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n: int) -> None:
        pass


@click.command("evaluate")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--banks", "banks_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--top", default=20, show_default=True, help="Size of the default quiz.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--bars",
    "bar_set",
    type=click.Choice(["news", "encyclopaedia", "seed"]),
    default="news",
    show_default=True,
    help="The bars to hold the summary to: Wikinews, Wikipedia or the seed article.",
)
def evaluate_command(gold_dir: str, banks_dir: str | None, top: int, as_json: bool, bar_set: str):
    """Measure banks against the gold facts in GOLD_DIR (generating them unless --banks):
    coverage, the default quiz (first --top questions: coverage, wh-questions, quiz-level
    faults), structural defects and duplicates, held to the bars of --bars."""
    from .generation import generate_bank  # spaCy: loaded only when banks are generated

    def generate(gold) -> dict:
        record = {"text": gold.text, "title": gold.title, "published": gold.published}
        data = json.dumps(record, ensure_ascii=False).encode("utf-8")
        return generate_bank(parse_article(data, f"{gold.name}.json", "json")).to_dict()

    if not sorted(Path(gold_dir).glob("*.json")):
        _fail(f"{gold_dir}: no gold files (*.json)")
    bar = None

    def progress(done: int, total: int, _article) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="Evaluating", file=sys.stderr)
            bar.__enter__()
        bar.update(1)

    try:
        reports, summary = evaluate_dir(
            gold_dir, banks_dir=banks_dir, generate=generate, progress=progress, top_n=top
        )
    except (ValueError, BankError) as exc:
        _fail(str(exc))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if as_json:
        click.echo(json.dumps(report_to_dict(reports, summary, BARS[bar_set]), indent=2))
    else:
        click.echo(format_report(reports, summary, BARS[bar_set]))


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Worker processes (default: 2 per core, 2 to 8)."
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads per worker.",
)
@click.option(
    "--no-worker",
    is_flag=True,
    help="Do not start the generation worker (`quizapp worker` runs elsewhere).",
)
@with_appcontext
def serve_command(host: str, port: int, workers: int | None, threads: int, no_worker: bool):
    """Migrate the database, import question_banks/*.json once, start the generation worker
    (`quizapp worker`) and serve (gunicorn)."""
    app = current_app._get_current_object()
    log_format = app.config["LOG_FORMAT"]
    if log_format not in ("json", "text"):
        _fail(f"QUIZAPP_LOG_FORMAT must be json or text, not {log_format!r}")
    try:
        server.ensure_secret_key(app)
        server.upgrade_database(app)
    except Exception as exc:  # noqa: BLE001 - a database that cannot be reached or migrated
        _fail(f"cannot prepare the database ({type(exc).__name__}: {exc})", status=1)
    added = 0
    for _path, result in server.import_shipped_banks(app):
        if isinstance(result, str):
            click.echo(f"quizapp: error: {result}", err=True)
        else:
            added += result.added
    click.echo(f"quizapp: database ready; {added} new questions imported", err=True)
    server.close_connections(app)  # workers open their own connections after the fork
    worker = None if no_worker else server.start_worker()
    click.echo(f"quizapp: serving on http://{host}:{port}/", err=True)
    try:
        server.serve(
            host, port, workers or server.default_workers(), threads=threads, log_format=log_format
        )
    finally:
        if worker is not None:
            server.stop_worker(worker)


@click.command("worker")
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    help="Jobs at once (default: MAX_GENERATIONS; each generation is a process of its own).",
)
@with_appcontext
def worker_command(threads: int | None):
    """Run generation jobs from the queue (QUIZAPP_QUEUE) until stopped (SIGINT: after the jobs
    under way; SIGTERM: at once). `quizapp serve` starts one; run more on other machines with
    the same DATABASE_URL and a shared redis:// queue."""
    app = current_app._get_current_object()
    huey = tasks.queue(app)
    if huey.immediate:
        _fail("QUIZAPP_QUEUE is 'immediate': jobs run in the web request, there is no worker")
    logging.config.dictConfig(logging_config(app.config["LOG_FORMAT"]))
    consumer = huey.create_consumer(
        workers=threads or app.config["MAX_GENERATIONS"], worker_type="thread", periodic=False
    )
    consumer.run()


def _export_format(output: str, fmt: str | None) -> str:
    if fmt:
        return fmt
    try:
        return format_for_path(output, packages=True)
    except InterchangeError:
        _fail(f"{output}: cannot tell the format from the extension; give --format")


def _source_bank(source: str) -> tuple[dict, str | None]:
    """A bank file (JSON, GIFT, CSV), or the id of a question set in the database."""
    if source.isdigit() and not Path(source).exists():
        try:
            return exchange.set_bank(int(source))
        except NotFound:
            _fail(f"set {source}: no such question set in the database")
        except Exception as exc:  # noqa: BLE001 - no database yet, or it cannot be reached
            _fail(f"set {source}: cannot read the database ({type(exc).__name__})")
    try:
        return exchange.bank_from_file(source), None
    except Invalid as exc:
        _fail(str(exc))


@click.command("export")
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(), help="The file to write.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FILE_FORMATS)),
    help="Default: from the extension of -o ("
    + ", ".join(f".{f.extension}" for f in FILE_FORMATS.values())
    + ").",
)
@with_appcontext
def export_command(sources: tuple[str, ...], output: str, fmt: str | None):
    """Export banks (JSON, GIFT or CSV files) or sets (database ids) as an Anki deck, Moodle
    GIFT, Moodle XML, CSV or bank JSON. Several sources make one .apkg with a deck each."""
    fmt = _export_format(output, fmt)
    banks = [_source_bank(source) for source in sources]
    try:
        body = exchange.export_banks(banks, fmt)
    except Invalid as exc:
        _fail(str(exc))
    try:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        part = Path(output).with_name(f".{Path(output).name}.part")
        part.write_bytes(body)
        part.replace(output)
    except OSError as exc:
        _fail(f"{output}: cannot write there ({exc.strerror or exc})")
    questions = sum(len(bank["questions"]) for bank, _ in banks)
    click.echo(f"{output}: {questions} questions from {len(banks)} set(s) as {fmt}", err=True)


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--owner", help="A teacher's email: the sets become theirs (default: shared).")
@click.option("--draft", is_flag=True, help="Import as drafts to review (default: published).")
@with_appcontext
def import_command(files: tuple[str, ...], owner: str | None, draft: bool):
    """Load question banks (JSON), GIFT or CSV files into the database as sets (idempotent by
    question id: importing a file again adds only its new questions)."""
    server.upgrade_database(current_app._get_current_object())
    user = None
    if owner:
        user = teacher_by_email(owner)
        if user is None:
            _fail(f"--owner {owner}: no teacher account with that email")
    failed = 0
    for path in files:
        warnings: list[str] = []
        try:
            result = exchange.import_file(
                path, owner=user, status="draft" if draft else "published", warnings=warnings
            )
        except Invalid as exc:
            message = str(exc)
            click.echo(
                f"quizapp: error: {message if path in message else f'{path}: {message}'}", err=True
            )
            failed += 1
            continue
        for warning in warnings:
            click.echo(f"quizapp: note: {path}: {warning}", err=True)
        verb = "created" if result.created else "updated"
        click.echo(
            f"{path}: set {result.question_set.id} {verb}, {result.added} new questions", err=True
        )
    if failed:
        sys.exit(2)


@click.group("users")
def users_group():
    """Manage accounts."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--role", default="student", show_default=True, help="student or teacher")
@click.option("--name", "display_name", help="Display name (default: the part before @).")
@click.option("--password", help="Prompted for (hidden) when not given.")
@with_appcontext
def users_create(email: str, role: str, display_name: str | None, password: str | None):
    """Create an account."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    app = current_app._get_current_object()
    server.upgrade_database(app)
    settings = AccountSettings.from_config(app.config)
    try:
        user = create_user(email, password, role, display_name, settings=settings)
    except Invalid as exc:
        _fail(str(exc))
    click.echo(f"created {user.role} {user.email} (id {user.id})")


@users_group.command("set-password")
@click.argument("email")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the new password from the first line of standard input (for scripts).",
)
@with_appcontext
def users_set_password(email: str, password_stdin: bool):
    """Give the account EMAIL a new password (prompted for, hidden, unless --password-stdin).
    Every session of the account is signed out and all its API tokens are revoked."""
    try:
        user = user_by_email(email)
    except Exception as exc:  # noqa: BLE001 - no database yet, or it cannot be reached
        _fail(f"cannot read the database ({type(exc).__name__})")
    if user is None:
        _fail(f"{email}: no account with that email")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        revoked = set_password(
            user, password, settings=AccountSettings.from_config(current_app.config)
        )
    except Invalid as exc:
        _fail(str(exc))
    click.echo(
        f"new password set for {user.email}; its sessions are signed out and "
        f"{revoked} API token(s) revoked"
    )


COMMANDS = (
    generate_command,
    evaluate_command,
    serve_command,
    worker_command,
    export_command,
    import_command,
    users_group,
)


def register(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


def _create_app(*_args) -> Flask:
    from . import create_app

    return create_app()


cli = FlaskGroup(
    create_app=_create_app,
    add_default_commands=False,
    add_version_option=False,
    help="quizapp: question banks, quizzes and flashcards from news articles.",
)


def main() -> None:
    cli.main(prog_name="quizapp")
