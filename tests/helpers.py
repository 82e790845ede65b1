"""Helpers shared by the tests in every folder: paths, the small bank, CSRF and form
extraction, sign-in, and the `Factory` of users, sets and attempts behind the `factory` fixture.

Import them as a top-level module (`from helpers import small_bank`): pyproject.toml puts tests/
on the path. The fixtures themselves live in tests/conftest.py."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

# The repository and `shared` sit side by side (/work/main and /work/shared; CI clones the
# repository with ../shared beside it as well).
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
SEED_NAME = "000_6624782c086abe22.txt"


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
        return self.bank_set(json.loads(SEED_BANK.read_text(encoding="utf-8")))

    def attempt(
        self,
        set_id: int,
        answers: dict | str | None = None,
        *,
        user_id: int | None = None,
        guest_name: str = "Guest",
        mode: str = "quiz",
    ) -> int:
        """A graded attempt at every question of set `set_id`, stored by
        `attempts.submit_quiz` as the web would (counters included): its id.

        `answers` maps bank ids to the text given; None leaves every question blank and
        "right" answers each with its key. By the user `user_id`, else by a guest named
        `guest_name`."""
        from quizapp.extensions import db
        from quizapp.models import QuestionSet, User
        from quizapp.services import attempts

        with self.app.app_context():
            qset = db.session.get(QuestionSet, set_id)
            questions = list(qset.questions)
            if answers == "right":
                answers = {q.uid: q.answer for q in questions}
            user = db.session.get(User, user_id) if user_id is not None else None
            attempt, _ = attempts.submit_quiz(
                qset,
                [q.id for q in questions],
                answers or {},
                user=user,
                guest_name=None if user else guest_name,
                mode=mode,
            )
            return attempt.id


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


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    assert found, f"no hidden field {name}"
    return found.group(1)


# --- small steps many tests take ------------------------------------------------------------------


def count_rows(app, model, **where) -> int:
    """How many rows of `model` match `where` (column == value), read in a fresh app context."""
    from sqlalchemy import func, select

    from quizapp.extensions import db

    with app.app_context():
        query = select(func.count()).select_from(model).filter_by(**where)
        return db.session.scalar(query)


def signed_in(factory, auth, role: str = "student") -> tuple[int, str]:
    """A new user of `role`, signed in on `auth`'s client: (user id, email)."""
    user_id, email = factory.user(role)
    assert auth.login(email).status_code == 302
    return user_id, email


def practice_form(client, url: str) -> dict:
    """The form data (CSRF token, question id) of the practice page at `url`."""
    html = client.get(url).get_data(as_text=True)
    return {"csrf_token": csrf_from(html), "question_id": hidden(html, "question_id")}


def api_token(client, email: str) -> str:
    """A bearer token for `email` (password PASSWORD) from POST /api/v1/auth/token."""
    response = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200
    return response.get_json()["token"]


def bearer(client, email: str) -> dict:
    """The Authorization header of a fresh API token for `email`."""
    return {"Authorization": f"Bearer {api_token(client, email)}"}


def quiz_field_names(html: str) -> list[str]:
    """The question fields of a quiz page, in page order (first occurrence of each)."""
    return list(dict.fromkeys(re.findall(r'name="(q\d+)"', html)))


def quiz_form(client, set_id: int, query: str = ""):
    """(html, form data without answers, field names in page order) of a quiz page."""
    page = client.get(f"/sets/{set_id}/quiz{query}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(html),
        "submission_key": hidden(html, "submission_key"),
        "retry": hidden(html, "retry"),
    }
    return html, data, quiz_field_names(html)


def attempt_count(app, **where) -> int:
    """Attempts stored that match `where`."""
    from quizapp.models import Attempt

    return count_rows(app, Attempt, **where)


def start_practice(client, set_id: int, guest_name: str | None = None):
    """(response, form data) of starting practice on a set from its page."""
    page = client.get(f"/sets/{set_id}").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "submission_key": hidden(page, "submission_key")}
    if guest_name is not None:
        data["guest_name"] = guest_name
    return client.post(f"/sets/{set_id}/practice", data=data), data


def set_columns(app, set_id: int, **values) -> None:
    """Set columns of a set directly (what no form under test changes)."""
    from quizapp.extensions import db
    from quizapp.models import QuestionSet

    with app.app_context():
        qset = db.session.get(QuestionSet, set_id)
        for key, value in values.items():
            setattr(qset, key, value)
        db.session.commit()
