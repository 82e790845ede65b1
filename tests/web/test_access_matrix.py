"""Access control over every route × every role (reliability.md, ASVS 8.2.1, 8.2.2, 8.3.1).

ACCESS, one explicit table, gives the status each role gets on every rule of the URL map, for
every kind of object the rule can point at: a published set, a draft, another teacher's set, an
attempt of the owner student, their practice sessions, a guest's attempt, flashcards. A rule of
the URL map without a row fails the test ("add <endpoint> to the access table"), so a new route
is checked from the day it is added.

Web routes are sent on a cookie session with a valid CSRF token, so that access control and not
CSRF is what is tested (tests/web/test_csrf_everywhere.py tests CSRF on the same table); API routes
are sent twice, on the cookie session (X-CSRFToken) and with a Bearer token from
POST /api/v1/auth/token. The policy the table encodes: a set's existence is not revealed to
whoever may not see it (404), nor an attempt's; a student asking for a teacher function gets
403; signed out, the web sends to the sign-in page and the API answers 401.

Answer keys (README "Answer keys"): the rows on the sets K (study access "after_attempt", the
default), KS ("study_aid") and KT ("teacher_only") give every path by which a key can reach a
browser, for each role: the owner student has taken K and KT (after attempting), the other
student neither (before attempting); guests, the other teacher and the owner make up the rest.
Their flashcards and Anki deck open to whom the set's study access says (403 with the reason
otherwise), a reveal only for a card the student studies, a retry only of questions answered
before. KEYS then checks the bodies: each path shows a key exactly to the roles it should.
"""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from helpers import PASSWORD, Auth, small_bank

ROLES = ("anonymous", "owner_student", "other_student", "owner_teacher", "other_teacher")
SIGNED_IN = ROLES[1:]
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# A cell is a status, or "<status> <path>" for a redirect that must go to exactly that path.
Cell = int | str
LOGIN = "302 /login"
HOME = "302 /"
TO_SET = "302 /sets/{P}"


@dataclass(frozen=True)
class Row:
    """One (endpoint, method) on one object: the cells are in ROLES order. `bearer` overrides
    the cells for the Bearer channel of an API row; `fresh` runs the request on a client of its
    own (it signs in or out, or spends its token)."""

    endpoint: str
    method: str
    path: str
    cells: tuple[Cell, Cell, Cell, Cell, Cell]
    body: str | None = None
    bearer: tuple[Cell | None, Cell, Cell, Cell, Cell] | None = None
    fresh: bool = False

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    def channels(self, role: str) -> tuple[str, ...]:
        return ("cookie", "bearer") if self.api and role != "anonymous" else ("cookie",)

    def cell(self, role: str, channel: str = "cookie") -> Cell:
        cells = self.bearer if channel == "bearer" and self.bearer else self.cells
        return cells[ROLES.index(role)]


ALL_200 = (200, 200, 200, 200, 200)
DRAFT = (404, 404, 404, 200, 404)  # only its teacher may see a draft
SIGNED = (LOGIN, 200, 200, 200, 200)
TEACH = (LOGIN, 403, 403, 200, 404)  # the owner teacher's set, on the web
TEACH_DONE = (LOGIN, 403, 403, 303, 404)
CROSS = (LOGIN, 403, 403, 404, 404)  # the other teacher's set with the owner's question
API_TEACH = (401, 403, 403, 200, 404)

# Placeholders in paths (build_world makes the objects): {P} the owner teacher's published set,
# {D} their draft, {O} the other teacher's set; {Q} / {QU} the id / bank id of a question of P,
# {QD} / {QDU} of D; {A} the owner student's graded quiz on P, {PR} and {PR2} their practice
# sessions in progress, {G} a guest's attempt from another browser; {S1} the owner student;
# {PCODE} / {DCODE} the join codes of P and D (D was published once). P is a study aid.
# {J} the owner teacher's generation job (queued).
# Answer keys: the owner teacher's published sets {K} (after a first attempt), {KS} (study aid)
# and {KT} (teacher only); {KQ}, {KSQ}, {KTQ} the first question of each ({KQU} its bank id);
# {KA} and {KTA} the owner student's graded quizzes on K and KT (every answer blank), {KP} their
# practice on K with KQ answered.
R = Row
# fmt: off
ACCESS: list[Row] = [
    # endpoint, method, path: anonymous, owner student, other student, owner teacher, other teacher
    R("static", "GET", "/static/favicon.svg", ALL_200),
    R("health.healthz", "GET", "/healthz", ALL_200),
    # --- signing in and out
    R("auth.register", "GET", "/register", (200, HOME, HOME, HOME, HOME)),
    R("auth.register", "POST", "/register", (LOGIN, HOME, HOME, HOME, HOME), "register",
      fresh=True),
    R("auth.login", "GET", "/login", (200, HOME, HOME, HOME, HOME)),
    R("auth.login", "POST", "/login", (HOME,) * 5, "login", fresh=True),
    R("auth.logout", "POST", "/logout", (LOGIN, HOME, HOME, HOME, HOME), fresh=True),
    R("auth.account", "GET", "/account", SIGNED),
    # --- sets, quizzes, results
    R("student.home", "GET", "/", ALL_200),
    R("student.home", "GET", "/?q=Draft", ALL_200),
    R("student.join_link", "GET", "/j/{PCODE}", (TO_SET,) * 5),
    R("student.join_link", "GET", "/j/{DCODE}", (404,) * 5),
    R("student.join", "GET", "/join?code={PCODE}", (TO_SET,) * 5),
    R("student.join", "GET", "/join?code={DCODE}", (HOME,) * 5),
    R("student.set_page", "GET", "/sets/{P}", ALL_200),
    R("student.set_page", "GET", "/sets/{D}", DRAFT),
    R("student.anki_deck", "GET", "/sets/{P}/anki.apkg", ALL_200),
    R("student.anki_deck", "GET", "/sets/{D}/anki.apkg", DRAFT),
    # --- answer keys: the Anki deck, flashcards, reveals and retries by study access
    R("student.anki_deck", "GET", "/sets/{K}/anki.apkg", (403, 200, 403, 200, 403)),
    R("student.anki_deck", "GET", "/sets/{KS}/anki.apkg", ALL_200),
    R("student.anki_deck", "GET", "/sets/{KT}/anki.apkg", (403, 403, 403, 200, 403)),
    R("study.set_session", "GET", "/study/sets/{K}", (LOGIN, 200, 403, 200, 403)),
    R("study.set_session", "GET", "/study/sets/{KS}", SIGNED),
    R("study.set_session", "GET", "/study/sets/{KT}", (LOGIN, 403, 403, 200, 403)),
    R("study.set_session", "GET", "/study/sets/{K}?reveal={KQ}", (LOGIN, 200, 403, 200, 403)),
    R("study.set_session", "GET", "/study/sets/{KS}?reveal={KSQ}", SIGNED),
    R("study.set_session", "GET", "/study/sets/{KT}?reveal={KTQ}", (LOGIN, 403, 403, 200, 403)),
    R("study.review", "GET", "/study/review?reveal={KQ}", (LOGIN, 200, 404, 200, 404)),
    R("study.review", "GET", "/study/review?reveal={KSQ}", (LOGIN, 404, 404, 200, 404)),
    R("study.review", "GET", "/study/review?reveal={KTQ}", (LOGIN, 404, 404, 200, 404)),
    R("api.study_due", "GET", "/api/v1/study/due?set={K}&new=1", (401, 200, 403, 200, 403)),
    R("api.study_due", "GET", "/api/v1/study/due?set={KS}&new=1", (401, 200, 200, 200, 200)),
    R("api.study_due", "GET", "/api/v1/study/due?set={KT}&new=1", (401, 403, 403, 200, 403)),
    R("study.rate", "POST", "/study/reviews", (LOGIN, 303, 404, 303, 404), "rate_k"),
    R("study.rate", "POST", "/study/reviews", (LOGIN, 404, 404, 303, 404), "rate_kt"),
    R("api.study_review", "POST", "/api/v1/study/reviews", (401, 201, 404, 201, 404),
      "api_review_k"),
    R("api.study_review", "POST", "/api/v1/study/reviews", (401, 404, 404, 201, 404),
      "api_review_kt"),
    R("student.result", "GET", "/attempts/{KTA}", (404, 200, 404, 200, 404)),
    R("api.create_attempt", "POST", "/api/v1/sets/{K}/attempts", (401, 201, 403, 201, 403),
      "api_retry_k"),
    R("student.quiz", "POST", "/sets/{K}/quiz", (404, 303, 404, 303, 404), "quiz_retry_ka"),
    R("teacher.save_settings", "POST", "/teach/sets/{P}/settings", TEACH_DONE, "set_settings"),
    R("teacher.save_settings", "POST", "/teach/sets/{O}/settings", (LOGIN, 403, 403, 404, 303),
      "set_settings"),
    R("api.update_set", "PATCH", "/api/v1/sets/{P}", API_TEACH, "api_access_p"),
    R("student.quiz", "GET", "/sets/{P}/quiz", ALL_200),
    R("student.quiz", "GET", "/sets/{D}/quiz", DRAFT),
    R("student.quiz", "GET", "/sets/{P}/quiz?retry={A}", (404, 200, 404, 200, 404)),
    R("student.quiz", "GET", "/sets/{P}/quiz?retry={G}", (404, 404, 404, 200, 404)),
    R("student.quiz", "POST", "/sets/{P}/quiz", (303,) * 5, "quiz"),
    R("student.quiz", "POST", "/sets/{D}/quiz", (404, 404, 404, 303, 404), "quiz"),
    R("student.result", "GET", "/attempts/{A}", (404, 200, 404, 200, 404)),
    R("student.result", "GET", "/attempts/{PR}", (404, "302 /practice/{PR}", 404, 200, 404)),
    R("student.result", "GET", "/attempts/{G}", (404, 404, 404, 200, 404)),
    R("student.start_practice", "POST", "/sets/{P}/practice", (303,) * 5, "start"),
    R("student.start_practice", "POST", "/sets/{D}/practice", (404, 404, 404, 303, 404), "start"),
    R("student.start_practice", "POST", "/sets/{P}/practice", (404, 303, 404, 303, 404),
      "start_retry_a"),
    R("student.practice", "GET", "/practice/{PR}", (404, 200, 404, 404, 404)),
    R("student.practice", "POST", "/practice/{PR}", (404, 303, 404, 404, 404), "practice"),
    R("student.finish_practice", "POST", "/practice/{PR2}/finish", (404, 303, 404, 404, 404)),
    R("student.history", "GET", "/history", SIGNED),
    # --- flashcards (a student's cards are reached only through their own session)
    R("study.home", "GET", "/study/", SIGNED),
    R("study.review", "GET", "/study/review", SIGNED),
    R("study.review", "GET", "/study/review?reveal={Q}", SIGNED),
    R("study.review", "GET", "/study/review?reveal={QD}", (LOGIN, 404, 404, 200, 404)),
    R("study.set_session", "GET", "/study/sets/{P}", SIGNED),
    R("study.set_session", "GET", "/study/sets/{D}", (LOGIN, 404, 404, 200, 404)),
    R("study.set_session", "GET", "/study/sets/{P}?reveal={QD}", (LOGIN, 404, 404, 404, 404)),
    R("study.rate", "POST", "/study/reviews", (LOGIN, 303, 303, 303, 303), "rate_q"),
    R("study.rate", "POST", "/study/reviews", (LOGIN, 404, 404, 303, 404), "rate_qd"),
    R("study.rate", "POST", "/study/reviews", (LOGIN, 404, 404, 404, 404), "rate_q_in_d"),
    R("study.settings", "GET", "/study/settings", SIGNED),
    R("study.settings", "POST", "/study/settings", (LOGIN, 303, 303, 303, 303), "settings"),
    R("study.stats", "GET", "/study/stats", SIGNED),
    # --- the API
    R("api.token", "POST", "/api/v1/auth/token", (200,) * 5, "token"),
    R("api.revoke_token", "DELETE", "/api/v1/auth/token", (400,) * 5,
      bearer=(None, 204, 204, 204, 204), fresh=True),
    R("api.csrf_token", "GET", "/api/v1/csrf-token", ALL_200),
    R("api.list_sets", "GET", "/api/v1/sets", ALL_200),
    R("api.get_set", "GET", "/api/v1/sets/{P}", ALL_200),
    R("api.get_set", "GET", "/api/v1/sets/{D}", DRAFT),
    R("api.create_attempt", "POST", "/api/v1/sets/{P}/attempts", (401, 201, 201, 201, 201),
      "api_answers"),
    R("api.create_attempt", "POST", "/api/v1/sets/{D}/attempts", (401, 404, 404, 201, 404),
      "api_answers"),
    R("api.get_attempt", "GET", "/api/v1/attempts/{A}", (401, 200, 404, 200, 404)),
    R("api.get_attempt", "GET", "/api/v1/attempts/{PR}", (401, 200, 404, 200, 404)),
    R("api.get_attempt", "GET", "/api/v1/attempts/{G}", (401, 404, 404, 200, 404)),
    R("api.study_due", "GET", "/api/v1/study/due?new=1", (401, 200, 200, 200, 200)),
    R("api.study_due", "GET", "/api/v1/study/due?set={D}", (401, 404, 404, 200, 404)),
    R("api.study_review", "POST", "/api/v1/study/reviews", (401, 201, 201, 201, 201),
      "api_review_q"),
    R("api.study_review", "POST", "/api/v1/study/reviews", (401, 404, 404, 201, 404),
      "api_review_qd"),
    R("api.create_set", "POST", "/api/v1/sets", (401, 403, 403, 201, 201), "api_new_set"),
    R("api.update_set", "PATCH", "/api/v1/sets/{P}", API_TEACH, "api_title_p"),
    R("api.update_set", "PATCH", "/api/v1/sets/{D}", API_TEACH, "api_title_d"),
    R("api.update_set", "PATCH", "/api/v1/sets/{O}", (401, 403, 403, 404, 200), "api_title_o"),
    R("api.update_question", "PATCH", "/api/v1/sets/{P}/questions/{QU}", API_TEACH,
      "api_enable"),
    R("api.update_question", "PATCH", "/api/v1/sets/{O}/questions/{QU}",
      (401, 403, 403, 404, 200), "api_enable"),
    R("api.set_stats", "GET", "/api/v1/sets/{P}/stats", API_TEACH),
    R("api.set_stats", "GET", "/api/v1/sets/{D}/stats", API_TEACH),
    R("api.set_stats", "GET", "/api/v1/sets/{O}/stats?guests=0", (401, 403, 403, 404, 200)),
    # --- teaching
    R("teacher.dashboard", "GET", "/teach/", (LOGIN, 403, 403, 200, 200)),
    R("teacher.new_set", "GET", "/teach/sets/new", (LOGIN, 403, 403, 200, 200)),
    R("teacher.new_set", "POST", "/teach/sets/new", (LOGIN, 403, 403, 303, 303), "new_set"),
    R("teacher.review", "GET", "/teach/sets/{P}", TEACH),
    R("teacher.job", "GET", "/teach/jobs/{J}", TEACH),
    R("teacher.job_status", "GET", "/teach/jobs/{J}/status", TEACH),
    R("api.get_job", "GET", "/api/v1/jobs/{J}", API_TEACH),
    R("teacher.review", "GET", "/teach/sets/{D}", TEACH),
    R("teacher.review", "GET", "/teach/sets/{O}", (LOGIN, 403, 403, 404, 200)),
    R("teacher.review", "GET", "/teach/sets/{O}?page=2&show=disabled", (LOGIN, 403, 403, 404, 200)),
    R("teacher.save_details", "POST", "/teach/sets/{P}", TEACH_DONE, "details"),
    R("teacher.change_status", "POST", "/teach/sets/{P}/status", TEACH_DONE, "publish"),
    R("teacher.change_status", "POST", "/teach/sets/{D}/status", TEACH_DONE, "unpublish"),
    R("teacher.bulk", "POST", "/teach/sets/{P}/questions/bulk", TEACH_DONE, "bulk"),
    R("teacher.toggle", "POST", "/teach/sets/{P}/questions/{Q}/toggle", TEACH_DONE, "enable"),
    R("teacher.toggle", "POST", "/teach/sets/{O}/questions/{Q}/toggle", CROSS, "enable"),
    R("teacher.move", "POST", "/teach/sets/{P}/questions/{Q}/move", TEACH_DONE, "move"),
    R("teacher.move", "POST", "/teach/sets/{O}/questions/{Q}/move", CROSS, "move"),
    R("teacher.regenerate", "POST", "/teach/sets/{P}/questions/{Q}/distractors", TEACH_DONE),
    R("teacher.regenerate", "POST", "/teach/sets/{O}/questions/{Q}/distractors", CROSS),
    R("teacher.edit_question", "GET", "/teach/sets/{P}/questions/{Q}", TEACH),
    R("teacher.edit_question", "GET", "/teach/sets/{O}/questions/{Q}", CROSS),
    R("teacher.edit_question", "POST", "/teach/sets/{P}/questions/{Q}", TEACH_DONE, "edit"),
    R("teacher.edit_question", "POST", "/teach/sets/{O}/questions/{Q}", CROSS, "edit"),
    R("teacher.add_question", "GET", "/teach/sets/{P}/questions/new", TEACH),
    R("teacher.add_question", "POST", "/teach/sets/{P}/questions/new", TEACH_DONE, "add"),
    R("teacher.stats", "GET", "/teach/sets/{P}/stats", TEACH),
    R("teacher.stats", "GET", "/teach/sets/{D}/stats", TEACH),
    R("teacher.stats", "GET", "/teach/sets/{O}/stats?guests=0", (LOGIN, 403, 403, 404, 200)),
    R("teacher.student", "GET", "/teach/sets/{P}/students/{S1}", TEACH),
    R("teacher.student", "GET", "/teach/sets/{O}/students/{S1}", CROSS),
    R("teacher.results_csv", "GET", "/teach/sets/{P}/results.csv", TEACH),
    R("teacher.results_csv", "GET", "/teach/sets/{O}/results.csv?guests=0",
      (LOGIN, 403, 403, 404, 200)),
    R("teacher.export", "GET", "/teach/sets/{P}/export/json", TEACH),
    R("teacher.export", "GET", "/teach/sets/{D}/export/apkg", TEACH),
    R("teacher.import_set", "GET", "/teach/import", (LOGIN, 403, 403, 200, 200)),
    R("teacher.import_set", "POST", "/teach/import", (LOGIN, 403, 403, 303, 303), "import"),
    # Last, as they end the role's sessions and revoke its API tokens, then change its password.
    R("auth.sign_out_everywhere", "POST", "/account/sign-out-everywhere",
      (LOGIN, HOME, HOME, HOME, HOME), fresh=True),
    R("auth.account", "POST", "/account", (LOGIN,) + ("302 /account",) * 4, "change_password"),
]
# fmt: on


# --- the objects --------------------------------------------------------------------------------


@dataclass
class World:
    """The users, their objects and a client per role, for one fresh database."""

    app: object
    emails: dict[str, str]
    ids: dict[str, int | str]
    tokens: dict[str, str] = field(default_factory=dict)
    clients: dict[str, object] = field(default_factory=dict)
    counter: Iterator[int] = field(default_factory=itertools.count)


def build_world(app, factory) -> World:
    """Two students and two teachers; the owner teacher's published set P and draft D (published
    once, so it has a join code), the other teacher's set O; the owner student's graded quiz A
    (every answer blank, so their flashcards are due), two practice sessions PR and PR2, and a
    guest's attempt G made in another browser."""
    from quizapp.extensions import db
    from quizapp.models import Question, QuestionSet, User
    from quizapp.services import answer_keys, attempts, jobs, teaching

    ids: dict[str, int | str] = {}
    emails: dict[str, str] = {}
    for role in SIGNED_IN:
        kind = "student" if role.endswith("student") else "teacher"
        user_id, emails[role] = factory.user(kind, role.replace("_", " ").title())
        ids[role] = user_id
    ids["S1"] = ids["owner_student"]
    ids["P"] = factory.bank_set(small_bank(), ids["owner_teacher"], status="draft")
    ids["D"] = factory.bank_set(small_bank("Draft", "dd" * 32), ids["owner_teacher"], "draft")
    ids["O"] = factory.bank_set(small_bank("Elsewhere", "ee" * 32), ids["other_teacher"])
    with app.app_context():
        sets = {key: db.session.get(QuestionSet, ids[key]) for key in ("P", "D")}
        ids["PCODE"] = teaching.update_set(sets["P"], status="published").join_code
        ids["DCODE"] = teaching.update_set(sets["D"], status="published").join_code
        teaching.update_set(db.session.get(QuestionSet, ids["D"]), status="draft")

        def first_question(set_id: int) -> Question:
            return db.session.scalar(
                db.select(Question).where(Question.set_id == set_id).order_by(Question.position)
            )

        ids["Q"], ids["QU"] = first_question(ids["P"]).id, first_question(ids["P"]).uid
        ids["QD"], ids["QDU"] = first_question(ids["D"]).id, first_question(ids["D"]).uid
        qset = db.session.get(QuestionSet, ids["P"])
        question_ids = [q.id for q in sorted(qset.questions, key=lambda q: q.position)]
        student = db.session.get(User, ids["owner_student"])
        ids["A"] = attempts.submit_quiz(qset, question_ids, {}, user=student)[0].id
        ids["PR"] = attempts.start_practice(qset, question_ids, user=student).id
        ids["PR2"] = attempts.start_practice(qset, question_ids, user=student).id
        ids["G"] = attempts.submit_quiz(qset, question_ids, {}, user=None, guest_name="Guest")[0].id
        answer_keys.save_settings(qset, study_access="study_aid")
        # J: the owner teacher's generation job, queued (no worker runs it here)
        owner = db.session.get(User, ids["owner_teacher"])
        ids["J"] = jobs.start(owner, text="Mayor Ada Lovelace opened a bridge in Kelmore.")[0].id
    build_key_sets(app, factory, ids)
    world = World(app=app, emails=emails, ids=ids)
    for role in SIGNED_IN:
        world.tokens[role] = new_token(world, role)
    return world


def build_key_sets(app, factory, ids: dict) -> None:
    """The owner teacher's published sets K (after a first attempt, the default), KS (study aid)
    and KT (teacher only), each the small bank; the owner student's blank quizzes KA on K and
    KTA on KT, and a practice session KP on K with its first question answered."""
    from quizapp.extensions import db
    from quizapp.models import Question, QuestionSet, User
    from quizapp.services import attempts

    kinds = {"K": None, "KS": "study_aid", "KT": "teacher_only"}
    for n, (key, access) in enumerate(kinds.items()):
        bank = small_bank(f"Key rules {key}", f"{n + 1:02x}" * 32)
        ids[key] = factory.bank_set(bank, ids["owner_teacher"], study_access=access)
    with app.app_context():
        student = db.session.get(User, ids["owner_student"])
        for key in kinds:
            qset = db.session.get(QuestionSet, ids[key])
            questions = list(
                db.session.scalars(
                    db.select(Question)
                    .where(Question.set_id == qset.id)
                    .order_by(Question.position)
                )
            )
            ids[f"{key}Q"], ids[f"{key}QU"] = questions[0].id, questions[0].uid
            if key == "KS":
                continue
            question_ids = [q.id for q in questions]
            ids[f"{key}A"] = attempts.submit_quiz(qset, question_ids, {}, user=student)[0].id
            if key == "K":
                practice = attempts.start_practice(qset, question_ids, user=student)
                attempts.answer_practice(practice.id, questions[0].id, "Nobody")
                ids["KP"] = practice.id


def new_token(world: World, role: str) -> str:
    response = world.app.test_client().post(
        "/api/v1/auth/token", json={"email": world.emails[role], "password": PASSWORD}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["token"]


# --- request bodies (a valid request for whoever may send it) -----------------------------------


def _article(w: World) -> str:
    return (
        "Mayor Ada Lovelace opened the new bridge in Kelmore on Monday. "
        f"About {300 + next(w.counter)} people came to see it."
    )


def _question_form(w: World, role: str) -> dict:
    """The question's edit form as it stands (a save that changes nothing)."""
    from quizapp.extensions import db
    from quizapp.models import Question

    with w.app.app_context():
        q = db.session.get(Question, w.ids["Q"])
        return {
            "format": q.format,
            "category": q.category,
            "prompt": q.prompt,
            "answer": q.answer,
            "accepted": "\n".join(q.accepted_answers or []),
            "wrong_options": "\n".join(c for c in (q.choices or []) if c != q.answer),
            "unit": (q.numeric or {}).get("unit") or "",
            "explanation": q.explanation or "",
            "source_sentence": q.source_sentence or "",
            "version": str(q.version),
        }


def _upload(w: World, role: str) -> dict:
    n = next(w.counter)
    bank = json.dumps(small_bank(f"Imported {n}", f"{n:064x}")).encode()
    return {"title": "", "upload": (io.BytesIO(bank), "bank.json")}


BODIES: dict[str, Callable[[World, str], dict]] = {
    "register": lambda w, role: {
        "display_name": "Newcomer",
        "email": f"new{next(w.counter)}@example.com",
        "password": PASSWORD,
        "confirm": PASSWORD,
    },
    "login": lambda w, role: {
        "email": w.emails.get(role, w.emails["owner_student"]),
        "password": PASSWORD,
    },
    "change_password": lambda w, role: {
        "current": PASSWORD,
        "password": "a new long password 1",
        "confirm": "a new long password 1",
    },
    "quiz": lambda w, role: {
        "submission_key": f"key{next(w.counter)}",
        "guest_name": "Guest",
        "confirm_blank": "Submit anyway",
    },
    "start": lambda w, role: {"submission_key": f"key{next(w.counter)}", "guest_name": "Guest"},
    "start_retry_a": lambda w, role: {
        "submission_key": f"key{next(w.counter)}",
        "guest_name": "Guest",
        "retry": str(w.ids["A"]),
    },
    "practice": lambda w, role: {"question_id": str(w.ids["Q"]), "answer": "Vorbeck"},
    "rate_q": lambda w, role: {"question_id": str(w.ids["Q"]), "reps": "0", "rating": "3"},
    "rate_qd": lambda w, role: {"question_id": str(w.ids["QD"]), "reps": "0", "rating": "3"},
    "rate_k": lambda w, role: {
        "set": str(w.ids["K"]),
        "question_id": str(w.ids["KQ"]),
        "reps": "0",
        "rating": "3",
    },
    "rate_kt": lambda w, role: {"question_id": str(w.ids["KTQ"]), "reps": "0", "rating": "3"},
    "api_review_k": lambda w, role: {
        "question_id": w.ids["KQU"],
        "rating": 3,
        "set_id": w.ids["K"],
    },
    "api_review_kt": lambda w, role: {
        "question_id": w.ids["KTQU"],
        "rating": 3,
        "set_id": w.ids["KT"],
    },
    "api_retry_k": lambda w, role: {"answers": {}, "questions": [w.ids["KQU"]]},
    "quiz_retry_ka": lambda w, role: {
        "submission_key": f"key{next(w.counter)}",
        "retry": str(w.ids["KA"]),
        "confirm_blank": "Submit anyway",
    },
    "set_settings": lambda w, role: {"study_access": "study_aid"},
    "api_access_p": lambda w, role: {"study_access": "study_aid", "require_signin": False},
    "rate_q_in_d": lambda w, role: {
        "set": str(w.ids["D"]),
        "question_id": str(w.ids["Q"]),
        "reps": "0",
        "rating": "3",
    },
    "settings": lambda w, role: {"desired_retention": "0.9", "new_per_day": "20"},
    "token": lambda w, role: {
        "email": w.emails.get(role, w.emails["owner_student"]),
        "password": PASSWORD,
    },
    "api_answers": lambda w, role: {"answers": {}},
    "api_review_q": lambda w, role: {"question_id": w.ids["QU"], "rating": 3, "set_id": w.ids["P"]},
    "api_review_qd": lambda w, role: {
        "question_id": w.ids["QDU"],
        "rating": 3,
        "set_id": w.ids["D"],
    },
    "api_new_set": lambda w, role: {"title": "Bridge", "text": _article(w)},
    "api_title_p": lambda w, role: {"title": "Harbour festival"},
    "api_title_d": lambda w, role: {"title": "Draft"},
    "api_title_o": lambda w, role: {"title": "Elsewhere"},
    "api_enable": lambda w, role: {"enabled": True},
    "new_set": lambda w, role: {"title": "", "text": _article(w)},
    "details": lambda w, role: {"title": "Harbour festival"},
    "publish": lambda w, role: {"status": "published"},
    "unpublish": lambda w, role: {"status": "draft"},
    "bulk": lambda w, role: {"action": "enable", "question": str(w.ids["Q"])},
    "enable": lambda w, role: {"enabled": "1"},
    "move": lambda w, role: {"direction": "down"},
    "edit": _question_form,
    "add": lambda w, role: {
        "format": "short_answer",
        "category": "who",
        "prompt": f"Who paid for fireworks number {next(w.counter)}?",
        "answer": "The Glimmerstone Trust",
    },
    "import": _upload,
}


# --- sending ------------------------------------------------------------------------------------


def signed_in_client(world: World, role: str):
    client = world.app.test_client()
    if role != "anonymous":
        response = Auth(client).login(world.emails[role])
        assert response.status_code == 302, f"{role} could not sign in"
    return client


def csrf_token(client) -> str:
    return client.get("/api/v1/csrf-token").get_json()["csrf_token"]


@dataclass
class Prepared:
    """A request ready to send: `client.open(url, **kwargs)`."""

    client: object
    url: str
    kwargs: dict

    def send(self):
        response = self.client.open(self.url, **self.kwargs)
        response.get_data()  # read, then closed: a download's file is not left open
        response.close()
        return response


def prepare(world: World, row: Row, role: str, channel: str = "cookie", csrf: str | None = "valid"):
    """The request of `row` as `role`: on the cookie session with a CSRF token that is "valid",
    None (left out) or any other string (sent as it is), or on the "bearer" channel."""
    url = row.path.format(**world.ids)
    body = BODIES[row.body](world, role) if row.body else {}
    writes = row.method in STATE_CHANGING
    kwargs: dict = {"method": row.method}
    if channel == "bearer":
        token = new_token(world, role) if row.fresh else world.tokens[role]
        kwargs["headers"] = {"Authorization": f"Bearer {token}"}
        if writes:
            kwargs["json"] = body
        return Prepared(world.app.test_client(use_cookies=False), url, kwargs)
    if row.fresh:
        client = signed_in_client(world, role)
        world.clients.pop(role, None)  # signing in or out elsewhere may end its session too
    else:
        client = world.clients.get(role) or signed_in_client(world, role)
        world.clients[role] = client
    if writes:
        own = csrf_token(client)  # the session holds a token, whichever is sent
        token = own if csrf == "valid" else csrf
        if row.api:
            kwargs["json"] = body
            kwargs["headers"] = {"X-CSRFToken": token} if token else {}
        else:
            kwargs["data"] = {**body, "csrf_token": token} if token else body
    return Prepared(client, url, kwargs)


def matches(response, cell: Cell, world: World) -> bool:
    if isinstance(cell, int):
        return response.status_code == cell
    status, path = cell.split(" ", 1)
    where = urlsplit(response.location or "").path
    return response.status_code == int(status) and where == path.format(**world.ids)


def describe(response) -> str:
    where = f" → {urlsplit(response.location).path}" if response.location else ""
    return f"{response.status_code}{where}"


# --- the tests ----------------------------------------------------------------------------------


def url_map_rules(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) for every rule of the URL map (HEAD and OPTIONS aside)."""
    return sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    )


class _Any(dict):
    def __missing__(self, key: str) -> str:
        return "1"


def test_the_table_has_a_row_for_every_rule_of_the_url_map(app):
    covered = {(row.endpoint, row.method) for row in ACCESS}
    missing = [
        f"add {endpoint} ({method} {rule}) to the access table"
        for endpoint, method, rule in url_map_rules(app)
        if (endpoint, method) not in covered
    ]
    assert not missing, "; ".join(missing)
    adapter = app.url_map.bind("localhost")
    for row in ACCESS:
        path = urlsplit(row.path.format_map(_Any())).path
        endpoint, _ = adapter.match(path, method=row.method)
        assert endpoint == row.endpoint, f"{row.method} {row.path} reaches {endpoint}"
    assert len(covered) >= 50


def cell_count() -> int:
    """How many (route, method, role, channel) cells the matrix checks."""
    return sum(len(row.channels(role)) for row in ACCESS for role in ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(app, factory, role):
    world = build_world(app, factory)
    failures = []
    for row in ACCESS:
        for channel in row.channels(role):
            cell = row.cell(role, channel)
            response = prepare(world, row, role, channel).send()
            if not matches(response, cell, world):
                failures.append(
                    f"{row.method} {row.path.format(**world.ids)} [{channel}]: "
                    f"{describe(response)}, expected {cell}"
                )
    assert not failures, f"{role}:\n" + "\n".join(failures)


def test_drafts_are_listed_to_their_teacher_only(app, factory):
    world = build_world(app, factory)
    draft = world.ids["D"]
    for role in ROLES:
        client = signed_in_client(world, role)
        listed = [s["id"] for s in client.get("/api/v1/sets").get_json()]
        assert (draft in listed) == (role == "owner_teacher"), role
        # The catalogue lists published sets only, to their teacher too (drafts are on /teach/).
        home = client.get("/").get_data(as_text=True)
        assert f'href="/sets/{world.ids["P"]}"' in home, role
        assert f'href="/sets/{draft}"' not in home, role


def test_flashcards_are_their_student_s_own(app, factory):
    """The owner student's cards (due after their blank quiz) are theirs only: another student
    sees none of them, and rating the same question makes that student a card of their own."""
    from quizapp.extensions import db
    from quizapp.models import Card

    world = build_world(app, factory)

    def due(role: str) -> list[str]:
        headers = {"Authorization": f"Bearer {world.tokens[role]}"}
        response = world.app.test_client().get("/api/v1/study/due", headers=headers)
        assert response.status_code == 200
        return [item["question_id"] for item in response.get_json()]

    assert world.ids["QU"] in due("owner_student")
    assert due("other_student") == []
    with app.app_context():
        owners_card = db.session.scalar(
            db.select(Card.reps).where(
                Card.user_id == world.ids["owner_student"], Card.question_id == world.ids["Q"]
            )
        )
    row = next(r for r in ACCESS if r.body == "api_review_q")
    assert prepare(world, row, "other_student", "bearer").send().status_code == 201
    with app.app_context():
        cards = dict(
            db.session.execute(
                db.select(Card.user_id, Card.reps).where(Card.question_id == world.ids["Q"])
            ).all()
        )
    assert cards == {world.ids["owner_student"]: owners_card, world.ids["other_student"]: 1}
    assert world.ids["QU"] in due("owner_student")


# --- answer keys in the bodies ------------------------------------------------------------------

# Where the first question's key shows: its answer or its explanation (small_bank's markers).
KEY_MARKERS = (b"Quintessa Vorbeck", b"explained-zq1")
NO, YES = False, True
NONE = (NO, NO, NO, NO, NO)
EVERYONE = (YES, YES, YES, YES, YES)
OWNER_ONLY = (NO, NO, NO, YES, NO)
AFTER = (NO, YES, NO, YES, NO)  # the owner student, after attempting, and the set's teacher


@dataclass(frozen=True)
class KeyPath:
    """A path that could carry a key, and whether each role (in ROLES order) gets the key."""

    method: str
    path: str
    shown: tuple[bool, bool, bool, bool, bool]
    body: str | None = None


K = KeyPath
# fmt: off
KEYS: list[KeyPath] = [
    # before answering: the set's page, its quiz (a retry's too), the API's quiz, card fronts
    K("GET", "/sets/{K}", NONE),
    K("GET", "/sets/{K}/quiz", NONE),
    K("GET", "/sets/{K}/quiz?retry={KA}", NONE),
    K("GET", "/api/v1/sets", NONE),
    K("GET", "/api/v1/sets/{K}", NONE),
    K("GET", "/api/v1/sets/{KS}", NONE),
    K("GET", "/api/v1/study/due?set={KS}&new=1", NONE),
    K("GET", "/study/sets/{K}", NONE),
    K("GET", "/study/sets/{KS}", NONE),
    # the whole set's keys, by study access: the Anki deck and the flashcards' backs
    K("GET", "/sets/{K}/anki.apkg", AFTER),
    K("GET", "/sets/{KS}/anki.apkg", EVERYONE),
    K("GET", "/sets/{KT}/anki.apkg", OWNER_ONLY),
    K("GET", "/study/sets/{K}?reveal={KQ}", AFTER),
    K("GET", "/study/review?reveal={KQ}", AFTER),
    K("GET", "/study/sets/{KS}?reveal={KSQ}", (NO, YES, YES, YES, YES)),
    K("GET", "/study/review?reveal={KSQ}", OWNER_ONLY),  # not a card of theirs: no reveal
    K("GET", "/study/sets/{KT}?reveal={KTQ}", OWNER_ONLY),
    K("GET", "/study/review?reveal={KTQ}", OWNER_ONLY),
    # a question's key after answering it: results, practice feedback, a retry
    K("GET", "/attempts/{KA}", AFTER),
    K("GET", "/attempts/{KTA}", AFTER),
    K("GET", "/api/v1/attempts/{KA}", AFTER),
    K("GET", "/practice/{KP}?after={KQ}", (NO, YES, NO, NO, NO)),
    K("POST", "/api/v1/sets/{K}/attempts", AFTER, "api_retry_k"),
    # the set's teacher: the review and edit pages, every export
    K("GET", "/teach/sets/{K}", OWNER_ONLY),
    K("GET", "/teach/sets/{K}/questions/{KQ}", OWNER_ONLY),
    *[K("GET", f"/teach/sets/{{K}}/export/{fmt}", OWNER_ONLY)
      for fmt in ("json", "gift", "moodle-xml", "csv", "apkg")],
]
# fmt: on


def readable(body: bytes) -> bytes:
    """A response body as searchable bytes: a zip (an Anki package) unpacked, its members
    joined (the collection is SQLite, whose text is stored as it is)."""
    import zipfile

    if not body.startswith(b"PK"):
        return body
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return b"\n".join(archive.read(name) for name in archive.namelist())


def test_keys_table_covers_every_key_route(app):
    """Every route that can show a key has a KEYS row: the Anki deck, study sessions, results,
    practice, attempts (API), the teacher's review, edit and export."""
    adapter = app.url_map.bind("localhost")
    reached = {
        adapter.match(urlsplit(k.path.format_map(_Any())).path, method=k.method)[0] for k in KEYS
    }
    assert {
        "student.anki_deck",
        "study.set_session",
        "study.review",
        "student.result",
        "student.practice",
        "api.get_attempt",
        "api.create_attempt",
        "api.get_set",
        "teacher.review",
        "teacher.edit_question",
        "teacher.export",
    } <= reached


@pytest.mark.parametrize("role", ROLES)
def test_answer_keys_reach_a_browser_only_by_the_rules(app, factory, role):
    """Each KEYS path, on each channel, shows the first question's key exactly to the roles
    its row says: before and after attempting, for each study access."""
    world = build_world(app, factory)
    wrong = []
    for key in KEYS:
        row = Row("", key.method, key.path, ALL_200, key.body)
        for channel in row.channels(role):
            response = prepare(world, row, role, channel).send()
            shown = any(marker in readable(response.get_data()) for marker in KEY_MARKERS)
            if shown != key.shown[ROLES.index(role)]:
                wrong.append(
                    f"{key.method} {key.path.format(**world.ids)} [{channel}]: "
                    f"{describe(response)}, key {'shown' if shown else 'not shown'}"
                )
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
