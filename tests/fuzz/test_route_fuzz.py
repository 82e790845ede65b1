"""Every route of the app, found from its URL map, answers random input with a page or a 4xx:
never a 5xx, never a stack trace (Hypothesis, at least 100 examples per route and method).

Each example sends one request as a role that can reach the view (the set's teacher, a student,
anonymous, a Bearer token...) with a valid CSRF token, random path arguments, a random query
string and a random body: form fields named as on the real page plus random ones, or a JSON
object with the documented keys holding values of any type, or bytes that are not what the
route expects. A redirect is followed once, so flashed messages are rendered too. A rule with
no strategy below fails with "add a strategy for <endpoint>": new routes get fuzzed as well.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote_from_bytes, urlsplit

import pytest
from helpers import FUZZ_MIN_EXAMPLES, PASSWORD, Auth, fuzz_settings, small_bank
from hypothesis import given
from hypothesis import strategies as st

from quizapp import MAX_ID, create_app

FUZZ = fuzz_settings()


def _mostly(usual, other, tenths: int = 7):
    """`usual` in `tenths` of ten examples, else `other` (Hypothesis has no weights)."""
    return st.integers(0, 9).flatmap(lambda n: usual if n < tenths else other)


# --- values --------------------------------------------------------------------------------------

SPECIAL = [
    "", " ", "0", "-0", "-1", "1", "4", "nan", "NaN", "inf", "-inf", "1e999", "1e-999", "٣",
    "１２", "0x10", "1_000", "9" * 40, "\x00", "a\x00b", "\u202e\u2066evil", "\ufeff", "\r\n",
    "<script>alert(1)</script>", "{{7*7}}", "' OR 1=1 --", "%00", "../../etc/passwd", "_____",
]  # fmt: skip
SURROGATES = st.text(
    alphabet=st.one_of(st.characters(), st.characters(categories=["Cs"])), min_size=1, max_size=20
)
LONG = st.sampled_from(["x" * 70_000, "é" * 10_000, "😀" * 5_000, "a\u0301" * 5_000])
TEXT = st.one_of(  # for paths and query strings
    st.text(max_size=40),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=600),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Mn", "Zl", "Zp"]), max_size=30),
    st.sampled_from(SPECIAL),
    SURROGATES,
)
# for bodies: a very long string now and then (1 in 20)
VALUE = st.integers(0, 19).flatmap(lambda n: LONG if n == 0 else TEXT)
NAME = st.one_of(st.text(min_size=1, max_size=12), st.sampled_from(["q1", "id", "csrf", "a[]"]))
SENTENCES = [
    "Mayor Quintessa Vorbeck opened the harbour festival in Zanthorpe on Saturday.",
    "About 4,500 visitors came, and the Glimmerstone Trust paid for the fireworks.",
    "The council said on 3 May 2024 that 12 people were hurt.",
]
ARTICLE = st.lists(
    st.one_of(st.sampled_from(SENTENCES), st.text(max_size=40)), min_size=1, max_size=4
).map(" ".join)
# Values that pass a field's validation, so examples get past the form into the service.
GOOD = {
    # the world's accounts (conftest's factory numbers them) and made-up ones
    "email": st.one_of(
        st.sampled_from(["teacher1@example.com", "teacher2@example.com", "student3@example.com"]),
        st.emails().map(lambda e: e[:200]),
    ),
    "password": st.just(PASSWORD),
    "confirm": st.just(PASSWORD),
    "display_name": st.text(min_size=1, max_size=30),
    "title": st.text(max_size=30),
    "published": st.dates().map(str),
    "source_url": st.sampled_from(["https://example.org/a", "http://x", "javascript:alert(1)"]),
    "text": ARTICLE,
    "desired_retention": st.sampled_from(["0.9", "90%", "0,85", "0.7", "1", "99.9%"]),
    "new_per_day": st.sampled_from(["0", "20", "500", "501"]),
    "tolerance": st.sampled_from(["0", "0.5", "-1", "1e999", "sNaN", "NaN", "Infinity"]),
    "rating": st.sampled_from(["1", "2", "3", "4", "5", "0"]),
    "reps": st.integers(0, 3).map(str),
    "round": st.integers(0, 10**20).map(str),
    "version": st.integers(0, 3).map(str),
    "guest_name": st.text(min_size=1, max_size=30),
    "submission_key": st.one_of(
        st.text(max_size=120), st.from_regex(r"[a-z0-9]{1,40}", fullmatch=True)
    ),
    "retry": st.sampled_from(["", "1", "2", "3", str(MAX_ID)]),
    "status": st.sampled_from(["published", "draft", "archived", "delete"]),
    "direction": st.sampled_from(["up", "down"]),
    "action": st.sampled_from(["enable", "disable"]),
    "enabled": st.sampled_from(["0", "1"]),
}
JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63 - 2, max_value=2**80),
    st.floats(),
    VALUE,
)
JSON_ANY = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
RAW_BODIES = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"",
            b"null",
            b"[]",
            b'"text"',
            b"NaN",
            b"{",
            b"[" * 100_000,
            b'{"a":' * 20_000,
            b'{"rating": ' + b"9" * 5000 + b"}",
            b'{"answers": {"q": "\xff\xfe"}}',
            b"\xef\xbb\xbf{}",
        ]
    ),
)
# What an HTTP header can carry (latin-1, no line breaks: the server would split the header).
HEADER_CHARS = st.characters(max_codepoint=255, exclude_characters="\r\n")
CONTENT_TYPES = [
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=zz",
    "application/json; charset=latin-1",
    "",
]


def _quote(text: str, safe: str = "") -> str:
    return quote_from_bytes(text.encode("utf-8", "surrogatepass"), safe=safe)


def _encode(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{_quote(k)}={_quote(v)}" for k, v in pairs)


def _multipart(pairs: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> bytes:
    boundary = b"fuzz-boundary-7d3a"
    out = bytearray()
    for name, value in pairs:
        out += b"--" + boundary + b'\r\nContent-Disposition: form-data; name="'
        out += name.encode("utf-8", "surrogatepass") + b'"\r\n\r\n'
        out += value.encode("utf-8", "surrogatepass") + b"\r\n"
    for name, filename, content in files:
        out += b"--" + boundary + b'\r\nContent-Disposition: form-data; name="' + name.encode()
        out += b'"; filename="' + filename.encode("utf-8", "surrogatepass") + b'"\r\n'
        out += b"Content-Type: application/octet-stream\r\n\r\n" + content + b"\r\n"
    return bytes(out + b"--" + boundary + b"--\r\n")


class _Fields(HTMLParser):
    """The names of a page's form fields, with the values the page offers for each."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        attr = {k: v or "" for k, v in attrs}
        name = attr.get("name")
        if tag in ("input", "button") and name:
            self.fields.setdefault(name, []).append(attr.get("value", ""))
        elif tag in ("textarea", "select") and name:
            self.fields.setdefault(name, [])
            setattr(self, tag, name)
        elif tag == "option" and self.select:
            self.fields[self.select].append(attr.get("value", ""))

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea].append(data)

    def handle_endtag(self, tag):
        if tag in ("textarea", "select"):
            setattr(self, tag, None)


# --- the world every example runs in -------------------------------------------------------------


class World:
    """Users, sets, attempts, sessions and tokens; `client(role)` is a fresh client holding
    that role's session (with its CSRF token), so no example leaks state into the next."""

    def __init__(self, app, factory) -> None:
        from quizapp.services import accounts

        self.app = app
        self.users = {role: factory.user(kind, role) for role, kind in ROLE_KINDS.items()}
        self.ids: dict[str, list[int]] = {}
        self.sessions: dict[str, tuple[str, str]] = {}  # role -> (session cookie, CSRF token)
        self.pages: dict[str, dict[str, list[str]]] = {}
        self._exports: list[tuple[str, bytes]] | None = None
        with app.app_context():
            from quizapp.extensions import db
            from quizapp.models import User

            self.tokens = {
                role: accounts.issue_token(db.session.get(User, uid))[0]
                for role, (uid, _) in self.users.items()
            }
        self.ensure()

    # state ------------------------------------------------------------------------------------

    def ensure(self) -> None:
        """Put back what an example may have changed: the teacher's draft and published sets and
        the other teacher's published set (deleted, or their status changed), the student's quiz
        attempt and practice attempt in progress."""
        from quizapp.extensions import db
        from quizapp.models import Attempt, QuestionSet

        with self.app.app_context():
            if self.ids:  # the common case: one query finds everything as it was
                ids = {self.ids[key][0]: status for key, (_, status, _) in SETS.items()}
                found = db.session.execute(
                    db.select(QuestionSet.id, QuestionSet.status).where(QuestionSet.id.in_(ids))
                ).all()
                practice = db.session.get(Attempt, self.ids["practice"][0])
                quiz = db.session.get(Attempt, self.ids["quiz"][0])
                if dict(found) == ids and practice and practice.state == "in_progress" and quiz:
                    return
            self._build()

    def _build(self) -> None:
        from quizapp.extensions import db
        from quizapp.models import Attempt, Question, QuestionSet, User
        from quizapp.services import attempts, catalogue, teaching

        sets = {}
        for key, (owner, status, digest) in SETS.items():
            found = self.ids.get(key)
            qset = db.session.get(QuestionSet, found[0]) if found else None
            if qset is None:
                bank = small_bank(f"Fuzz {key}", digest)
                user = db.session.get(User, self.users[owner][0])
                qset = catalogue.import_bank(bank, owner=user, status="draft").question_set
            if qset.status != status:  # publishing gives the set its join code
                qset = teaching.update_set(qset, status=status)
            sets[key] = qset.id
            self.ids[key] = [qset.id]
        student = db.session.get(User, self.users["student"][0])
        published = db.session.get(QuestionSet, sets["published"])
        question_ids = [q.id for q in published.questions]
        practice = self.ids.get("practice")
        practice = db.session.get(Attempt, practice[0]) if practice else None
        if practice is None or practice.state != "in_progress":
            started = attempts.start_practice(published, question_ids, user=student)
            self.ids["practice"] = [started.id]
        if not self.ids.get("quiz") or db.session.get(Attempt, self.ids["quiz"][0]) is None:
            done, _ = attempts.submit_quiz(published, question_ids, {}, user=student)
            self.ids["quiz"] = [done.id]
        self.combos = [
            {"set_id": sid, "question_id": q.id, "attempt_id": attempt, "user_id": uid}
            for sid in sets.values()
            for q in db.session.get(QuestionSet, sid).questions
            for attempt in (self.ids["quiz"][0], self.ids["practice"][0])
            for uid in (self.users["student"][0],)  # the student who took the quiz
        ]
        self.ids["set_id"] = list(sets.values())
        self.ids["published_questions"] = question_ids
        self.ids["draft_questions"] = [
            q.id for q in db.session.get(QuestionSet, sets["draft"]).questions
        ]
        self.ids["question_id"] = list(db.session.scalars(db.select(Question.id)))
        self.ids["attempt_id"] = list(db.session.scalars(db.select(Attempt.id)))
        self.ids["user_id"] = [uid for uid, _ in self.users.values()]
        self.join_code = published.join_code or "ABCDEF"
        if not self.ids.get("job_id"):  # the teacher's generation job, queued
            from quizapp.services import jobs

            teacher = db.session.get(User, self.users["teacher"][0])
            article = "Mayor Ada Lovelace opened a bridge in Kelmore (fuzz job)."
            self.ids["job_id"] = [jobs.start(teacher, text=article)[0].id]

    def client(self, role: str):
        client = self.app.test_client()
        if role in self.users or role == "anon":
            cookie, _ = self.session(role)
            client.set_cookie("session", cookie)
        return client

    def session(self, role: str) -> tuple[str, str]:
        if role not in self.sessions:
            client = self.app.test_client()
            if role != "anon":
                signed_in = Auth(client).login(self.users[role][1])
                assert signed_in.status_code == 302, f"cannot sign in as {role}"
            token = client.get("/api/v1/csrf-token").get_json()["csrf_token"]
            self.sessions[role] = (client.get_cookie("session").value, token)
        return self.sessions[role]

    def reset(self, role: str) -> None:
        """After a sign-out or a token revoked: sign in again, issue a new token."""
        from quizapp.extensions import db
        from quizapp.models import User
        from quizapp.services import accounts

        self.sessions.pop(role.removesuffix("_bearer"), None)
        base = role.removesuffix("_bearer")
        if base in self.users:
            with self.app.app_context():
                user = db.session.get(User, self.users[base][0])
                self.tokens[base] = accounts.issue_token(user)[0]

    def fields(self, page: str, role: str) -> dict[str, list[str]]:
        """The form fields of a page (as `role` sees it), read once per test."""
        if page not in self.pages:
            html = self.client(role).get(self.fill(page)).get_data(as_text=True)
            parser = _Fields()
            parser.feed(html)
            parser.fields.pop("csrf_token", None)
            self.pages[page] = parser.fields
        return self.pages[page]

    def query_values(self) -> dict[str, list[str]]:
        """Good values for the query arguments views read."""
        questions = [str(i) for i in self.ids["question_id"]]
        return {
            "retry": [str(i) for i in self.ids["attempt_id"]],
            "after": questions,
            "reveal": questions,
            "set": [str(i) for i in self.ids["set_id"]],
            "new": ["0", "1", "true", "false"],
            "attempts": ["all", "first"],
            "versions": ["all", "current"],
            "code": [self.join_code],
            "q": ["Fuzz", "harbour"],
            "next": ["/history", "//evil.example", "https://evil.example/", "/\\evil"],
        }

    def fill(self, template: str) -> str:
        return template.format(
            draft=self.ids["draft"][0],
            published=self.ids["published"][0],
            draft_question=self.ids["draft_questions"][0],
            published_question=self.ids["published_questions"][0],
            practice=self.ids["practice"][0],
        )

    def exports(self) -> list[tuple[str, bytes]]:
        """The teacher's set exported in every importable format: seeds for the import fuzz."""
        if self._exports is None:
            client = self.client("teacher")
            self._exports = [
                (f"set.{ext}", client.get(f"/teach/sets/{self.ids['draft'][0]}/export/{fmt}").data)
                for fmt, ext in (("json", "json"), ("gift", "gift"), ("csv", "csv"))
            ]
        return self._exports


ROLE_KINDS = {"teacher": "teacher", "other": "teacher", "student": "student"}
SETS = {
    "draft": ("teacher", "draft", "d1" * 32),
    "published": ("teacher", "published", "e2" * 32),
    "others": ("other", "published", "f3" * 32),
}


@pytest.fixture
def world(app, factory):
    # Rate limits out of the way: the fuzz is about the views behind them (the 429s are
    # tested in tests/services/test_services.py and tests/web/test_signin_counts.py).
    for key in ("LOGIN_LIMIT_PER_ACCOUNT", "LOGIN_LIMIT_PER_CLIENT", "REGISTER_LIMIT_PER_CLIENT"):
        app.config[key] = 10**9
    for key in ("LOGIN_FREE_FAILURES", "LOGIN_SUCCESS_LIMIT", "MAX_API_TOKENS"):
        app.config[key] = 10**9
    app.config["SUBMIT_LIMIT_PER_USER"] = app.config["SUBMIT_LIMIT_PER_CLIENT"] = 10**9
    return World(app, factory)


# --- what each route gets ------------------------------------------------------------------------

WEB_STUDENT = ("student", "student", "anon", "teacher")
WEB_TEACHER = ("teacher", "teacher", "teacher", "other", "student", "anon")
API_STUDENT = ("student_bearer", "student", "anon", "bad_bearer", "teacher_bearer")
API_TEACHER = ("teacher_bearer", "teacher", "other_bearer", "student_bearer", "anon", "bad_bearer")
QUESTION_FIELDS = ("format", "category", "prompt", "answer", "accepted", "wrong_options")
QUESTION_FIELDS += ("tolerance", "unit", "explanation", "source_sentence", "version", "suggest")


@dataclass(frozen=True)
class Spec:
    roles: tuple[str, ...]
    page: str | None = None  # the page whose form posts here (field names and offered values)
    fields: tuple[str, ...] = ()  # further field names the view reads
    query: tuple[str, ...] = ()  # query arguments the view reads
    json: dict = field(default_factory=dict)  # documented JSON keys and good values for them
    required: tuple[str, ...] = ()  # JSON keys a good body always has
    upload: str = ""  # the form takes a file ("upload"): "article" or "bank"
    resets: bool = False  # the request may sign the role out or revoke its token


ANSWERS = st.dictionaries(
    st.one_of(st.sampled_from(["q-mayor00001", "q-visitors01", "q-town000001"]), st.text()),
    st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.none(), JSON_ANY),
    max_size=5,
)
QUESTION_JSON = {
    "prompt": VALUE,
    "answer": VALUE,
    "accepted_answers": st.lists(VALUE, max_size=3),
    "choices": st.lists(VALUE, max_size=5),
    "explanation": VALUE,
    "enabled": st.booleans(),
    "format": st.sampled_from(["multiple_choice", "short_answer", "cloze", "numeric", "essay"]),
    "category": st.sampled_from(["who", "where", "how_many", "when", "what", "why"]),
    "tolerance": st.one_of(st.floats(), st.integers(), VALUE),
    "unit": VALUE,
    "source_sentence": VALUE,
}
SPECS: dict[str, Spec] = {
    "static": Spec(("anon",)),
    "health.healthz": Spec(("anon", "student")),
    "auth.register": Spec(("anon", "anon", "student"), page="/register"),
    "auth.login": Spec(("anon", "anon", "student"), page="/login", query=("next",)),
    "auth.logout": Spec(("student", "teacher", "anon"), page="/", resets=True),
    "auth.account": Spec(("student", "teacher", "anon"), page="/account"),
    "auth.sign_out_everywhere": Spec(("student", "teacher", "anon"), page="/account", resets=True),
    "student.home": Spec(WEB_STUDENT, query=("q",)),
    "student.join_link": Spec(WEB_STUDENT),
    "student.join": Spec(WEB_STUDENT, query=("code",)),
    "student.set_page": Spec(WEB_STUDENT),
    "student.anki_deck": Spec(WEB_STUDENT),
    "student.quiz": Spec(WEB_STUDENT, page="/sets/{published}/quiz", query=("retry",)),
    "student.result": Spec(WEB_STUDENT),
    "student.start_practice": Spec(WEB_STUDENT, page="/sets/{published}", fields=("retry",)),
    "student.practice": Spec(
        WEB_STUDENT, page="/practice/{practice}", fields=("dont_know",), query=("after",)
    ),
    "student.finish_practice": Spec(WEB_STUDENT, page="/practice/{practice}"),
    "student.history": Spec(WEB_STUDENT),
    "study.home": Spec(WEB_STUDENT),
    "study.review": Spec(WEB_STUDENT, query=("reveal",)),
    "study.set_session": Spec(WEB_STUDENT, query=("reveal",)),
    "study.rate": Spec(
        WEB_STUDENT,
        page="/study/sets/{published}?reveal={published_question}",
        fields=("set", "question_id", "reps", "rating"),
    ),
    "study.settings": Spec(WEB_STUDENT, page="/study/settings"),
    "study.stats": Spec(WEB_STUDENT),
    "api.token": Spec(
        ("anon", "student"),
        json={"email": GOOD["email"], "password": _mostly(GOOD["password"], VALUE)},
        required=("email", "password"),
    ),
    "api.revoke_token": Spec(API_STUDENT, resets=True),
    "api.csrf_token": Spec(API_STUDENT),
    "api.list_sets": Spec(API_STUDENT),
    "api.get_set": Spec(API_STUDENT),
    "api.create_attempt": Spec(
        API_STUDENT,
        json={"answers": ANSWERS, "questions": st.lists(VALUE, max_size=3)},
        required=("answers",),
    ),
    "api.get_attempt": Spec(API_STUDENT),
    "api.study_due": Spec(API_STUDENT, query=("set", "new")),
    "api.study_review": Spec(
        API_STUDENT,
        json={
            "question_id": st.sampled_from(["q-mayor00001", "q-trust00001"]),
            "rating": st.integers(0, 5),
            "set_id": st.integers(1, 4),
            "duration_ms": st.integers(-1, 10**9),
        },
        required=("question_id", "rating"),
    ),
    "api.create_set": Spec(
        API_TEACHER,
        json={
            "title": GOOD["title"],
            "text": ARTICLE,
            "source_url": GOOD["source_url"],
            "published": GOOD["published"],
        },
        required=("text",),
    ),
    "api.update_set": Spec(
        API_TEACHER,
        json={
            "status": GOOD["status"],
            "title": GOOD["title"],
            "study_access": st.sampled_from(["study_aid", "after_attempt", "teacher_only", "x"]),
            "require_signin": st.sampled_from([True, False, None, "yes", 1]),
        },
    ),
    "api.update_question": Spec(API_TEACHER, json=QUESTION_JSON),
    "api.set_stats": Spec(API_TEACHER, query=("attempts", "versions", "guests")),
    "api.get_job": Spec(API_TEACHER),
    "teacher.dashboard": Spec(WEB_TEACHER),
    "teacher.new_set": Spec(WEB_TEACHER, page="/teach/sets/new", upload="article"),
    "teacher.job": Spec(WEB_TEACHER),
    "teacher.job_status": Spec(WEB_TEACHER),
    "teacher.review": Spec(WEB_TEACHER, query=("page", "show")),
    "teacher.save_details": Spec(WEB_TEACHER, page="/teach/sets/{draft}"),
    "teacher.change_status": Spec(WEB_TEACHER, page="/teach/sets/{draft}"),
    "teacher.save_settings": Spec(WEB_TEACHER, page="/teach/sets/{draft}"),
    "teacher.bulk": Spec(WEB_TEACHER, page="/teach/sets/{draft}"),
    "teacher.toggle": Spec(WEB_TEACHER, page="/teach/sets/{draft}"),
    "teacher.move": Spec(WEB_TEACHER, page="/teach/sets/{draft}"),
    "teacher.regenerate": Spec(WEB_TEACHER, page="/teach/sets/{draft}"),
    "teacher.edit_question": Spec(
        WEB_TEACHER, page="/teach/sets/{draft}/questions/{draft_question}", fields=QUESTION_FIELDS
    ),
    "teacher.add_question": Spec(
        WEB_TEACHER, page="/teach/sets/{draft}/questions/new", fields=QUESTION_FIELDS
    ),
    "teacher.stats": Spec(WEB_TEACHER, query=("attempts", "versions", "guests")),
    "teacher.student": Spec(WEB_TEACHER),
    "teacher.results_csv": Spec(WEB_TEACHER, query=("guests",)),
    "teacher.export": Spec(WEB_TEACHER),
    "teacher.import_set": Spec(WEB_TEACHER, page="/teach/import", upload="bank"),
}


def _rules() -> list[tuple[str, str, str]]:
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    )


RULES = _rules()

# --- drawing a request ---------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    role: str
    query: str = ""
    body: bytes | None = None
    content_type: str | None = None
    headers: dict = field(default_factory=dict)

    def __str__(self) -> str:
        body = self.body if self.body is None or len(self.body) < 400 else self.body[:400] + b"..."
        return f"{self.method} {self.path}?{self.query[:300]} as {self.role}: {body!r}"


def _id(world: World, name: str):
    odd = st.one_of(
        st.integers(0, 60).map(str),
        st.integers(2**31 - 2, MAX_ID + 10).map(str),
        st.sampled_from(["-1", "00", "+1", "1.0", "1e3", "٣", "１", "0x1", "9" * 30, " 1"]),
        st.text(max_size=12),
    )
    return _mostly(st.sampled_from(world.ids.get(name) or [1]).map(str), odd)


def _segment(world: World, name: str):
    if name in world.ids:
        return _id(world, name)
    real = {
        "qid": ["q-mayor00001", "q-visitors01", "q-town000001", "q-trust00001"],
        "fmt": ["json", "gift", "moodle-xml", "csv", "apkg", "JSON", "pdf"],
        "code": [world.join_code, world.join_code.lower(), f" {world.join_code} "],
        "filename": ["css/app.css", "js/app.js", "favicon.svg", "../pyproject.toml", "%2e%2e/x"],
    }.get(name, [""])
    return _mostly(st.sampled_from(real), st.one_of(TEXT, SURROGATES))


def _path(data, world: World, rule: str) -> str:
    """The rule with its arguments filled in: mostly ids that belong together (a question of
    that set), else each one drawn on its own."""
    combos = world.combos
    if "/practice/<" in rule:  # routes of a practice attempt in progress
        combos = [c for c in combos if c["attempt_id"] == world.ids["practice"][0]]
    combo = data.draw(_mostly(st.sampled_from(combos), st.just({}), 6), label="ids")
    parts = rule.replace(">", "<").split("<")
    for n in range(1, len(parts), 2):
        converter, _, name = parts[n].rpartition(":")
        value = str(combo[name]) if name in combo else data.draw(_segment(world, name), label=name)
        parts[n] = _quote(value, safe="/" if converter == "path" else "")
    return "".join(parts)


def _pairs(data, names: list[str], offered: dict[str, list[str]], max_size: int, values=VALUE):
    """(name, value) pairs: mostly every known name, as a browser sends them, with values the
    page offers or that pass validation, now and then random; plus random names."""

    def value(name: str):
        usual = st.sampled_from(offered[name]) if offered.get(name) else None
        if name in GOOD:
            usual = GOOD[name] if usual is None else _mostly(GOOD[name], usual)
        return values if usual is None else _mostly(usual, values)

    known = st.sampled_from(names) if names else NAME
    every = st.just(names) if names else st.lists(NAME, max_size=max_size)
    some = st.lists(st.one_of(known, known, known, NAME), max_size=max_size)
    keys = data.draw(_mostly(every, some, 6), label="names")
    keys += data.draw(st.lists(NAME, max_size=2), label="more names")
    return [(key, data.draw(value(key), label=key)) for key in keys]


def _form_request(data, world: World, spec: Spec, request: Request) -> None:
    offered = world.fields(spec.page, spec.roles[0]) if spec.page else {}
    names = sorted(set(offered) | set(spec.fields))
    pairs = _pairs(data, names, offered, len(names) + 3)
    if "csrf_token" not in request.headers:
        pairs.append(("csrf_token", world.session(request.role)[1]))
    files = []
    if spec.upload:
        upload = _mostly(_upload(world, spec.upload), st.none())
        files = [("upload", *found)] if (found := data.draw(upload, label="upload")) else []
    kind = data.draw(st.sampled_from(["form"] * 6 + ["multipart"] * 2 + ["raw"]), label="kind")
    if files or kind == "multipart":
        request.body = _multipart(pairs, files)
        request.content_type = "multipart/form-data; boundary=fuzz-boundary-7d3a"
    elif kind == "form":
        request.body = _encode(pairs).encode("ascii")
        request.content_type = "application/x-www-form-urlencoded"
    else:
        request.body = data.draw(RAW_BODIES)
        request.content_type = data.draw(st.sampled_from(CONTENT_TYPES))


def _upload(world: World, kind: str):
    """(file name, content): mostly a file of the kind the form takes (an article, or a bank
    exported by the app, now and then with bytes changed), else any name and any bytes."""

    def mutate(args):
        (name, content), start, length, insert = args
        start = min(start, len(content))
        return name, content[:start] + insert + content[start + length :]

    if kind == "article":
        usual = st.tuples(
            st.sampled_from(["a.txt", "a.md", "a.html", "a.htm", "a.json"]),
            ARTICLE.map(lambda text: text.encode("utf-8", "surrogatepass")),
        )
    else:
        seeds = st.sampled_from(world.exports())
        changed = st.tuples(
            seeds, st.integers(0, 3000), st.integers(0, 200), st.binary(max_size=40)
        )
        usual = st.one_of(seeds, changed.map(mutate))
    odd_name = st.one_of(
        st.sampled_from(["", "a.pdf", "a", ".json", "x/../a.txt", "A.GIFT", "a.csv.exe"]), TEXT
    )
    odd_content = st.one_of(
        st.binary(max_size=400),
        st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.sampled_from([b"<html><p>" * 3000, b"\xef\xbb\xbf" + b"a, b\n" * 2000, b"\x00" * 50]),
    )
    return _mostly(usual, st.tuples(odd_name, odd_content))


def _json_request(data, spec: Spec, request: Request) -> None:
    """A JSON object: mostly the documented keys with good values (the required ones always),
    else any keys with values of any type, or not an object at all."""
    required = {key: spec.json[key] for key in spec.required}
    optional = {key: good for key, good in spec.json.items() if key not in spec.required}
    good = st.fixed_dictionaries(required, optional=optional)
    wild = {key: st.one_of(good, JSON_ANY) for key, good in spec.json.items()}
    body = data.draw(
        _mostly(
            good,
            st.one_of(
                st.fixed_dictionaries({}, optional=wild),
                st.tuples(
                    st.fixed_dictionaries({}, optional=wild),
                    st.dictionaries(st.text(max_size=10), JSON_ANY, min_size=1, max_size=3),
                ).map(lambda pair: {**pair[1], **pair[0]}),
                JSON_ANY,
            ),
            6,
        ),
        label="json",
    )
    kind = data.draw(st.sampled_from(["json"] * 5 + ["raw_utf8", "raw", "wrong_type"]))
    request.content_type = "application/json"
    if kind == "json":
        request.body = json.dumps(body).encode()
    elif kind == "raw_utf8":
        request.body = json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass")
    elif kind == "wrong_type":
        request.body = json.dumps(body).encode()
        request.content_type = data.draw(st.sampled_from(CONTENT_TYPES[1:]))
    else:
        request.body = data.draw(RAW_BODIES)
    if request.method == "POST" and data.draw(st.booleans()):
        key = data.draw(st.text(HEADER_CHARS, max_size=120), label="Idempotency-Key")
        request.headers["Idempotency-Key"] = key


def draw_request(data, world: World, endpoint: str, method: str, rule: str) -> Request:
    spec = SPECS[endpoint]
    role = data.draw(_mostly(st.just(spec.roles[0]), st.sampled_from(spec.roles), 5), label="role")
    request = Request(method, _path(data, world, rule), role)
    if spec.query or data.draw(st.booleans()):
        pairs = _pairs(data, list(spec.query), world.query_values(), 4, TEXT)
        request.query = _encode(pairs)
    if role.endswith("_bearer"):
        base = role.removesuffix("_bearer")
        token = world.tokens.get(base) or data.draw(st.text(HEADER_CHARS), label="token")
        forms = [f"Bearer {token}"] * 4 + [f"bearer  {token} ", f"Bearer {token}x", token]
        request.headers["Authorization"] = data.draw(st.sampled_from(forms), label="bearer")
    elif rule.startswith("/api/") and role != "anon":
        request.headers["X-CSRFToken"] = world.session(role)[1]
    if method in ("POST", "PATCH"):
        if rule.startswith("/api/"):
            _json_request(data, spec, request)
        else:
            _form_request(data, world, spec, request)
    return request


# --- sending and checking ------------------------------------------------------------------------


def _check(response, request: Request, api: bool) -> None:
    body = response.get_data()
    assert response.status_code < 500, f"{response.status_code} for {request}"
    assert b"Traceback" not in body, f"a stack trace for {request}"
    # reliability.md: the security headers on 100% of responses, errors included.
    headers = response.headers
    assert "script-src 'self'" in headers.get("Content-Security-Policy", ""), request
    assert headers.get("X-Content-Type-Options") == "nosniff", request
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], request
    if api and response.status_code >= 400:
        payload = response.get_json(silent=True)
        assert isinstance(payload, dict) and "error" in payload, f"not a JSON error: {request}"


def send(world: World, request: Request) -> list[int]:
    """Send, follow one redirect within the site, check both answers; their statuses."""
    client = world.client("none" if request.role.endswith("_bearer") else request.role)
    response = client.open(
        request.path,
        method=request.method,
        query_string=request.query,
        data=request.body,
        content_type=request.content_type,
        headers=request.headers,
    )
    _check(response, request, request.path.startswith("/api/"))
    response.close()  # a static file is streamed from an open file
    statuses = [response.status_code]
    location = response.headers.get("Location", "")
    if 300 <= response.status_code < 400 and urlsplit(location).netloc in ("", "localhost"):
        target = Request("GET", location, request.role, headers={})
        followed = client.get(location, headers=request.headers)
        _check(followed, target, location.startswith("/api/"))
        followed.close()
        statuses.append(followed.status_code)
    return statuses


@pytest.mark.parametrize(
    ("endpoint", "method", "rule"), RULES, ids=[f"{m} {r}" for _, m, r in RULES]
)
def test_route_answers_random_input_without_a_5xx(world, endpoint, method, rule):
    if endpoint not in SPECS:
        pytest.fail(f"add a strategy for {endpoint} ({method} {rule}) to SPECS in this file")
    statuses: Counter = Counter()

    @FUZZ
    @given(data=st.data())
    def fuzz(data):
        if method != "GET":  # a GET changes nothing (tests/web/test_csrf_everywhere.py checks that)
            world.ensure()
        request = draw_request(data, world, endpoint, method, rule)
        statuses.update(send(world, request)[:1])
        if SPECS[endpoint].resets and request.role != "anon":
            world.reset(request.role)

    fuzz()
    print(f"\n{method} {rule}: {sum(statuses.values())} examples, statuses {dict(statuses)}")
    assert sum(statuses.values()) >= FUZZ_MIN_EXAMPLES
    # The fuzz reaches the view: not every answer is a refusal before it.
    assert set(statuses) - {401, 403, 404}, f"every request was refused: {dict(statuses)}"


def test_every_strategy_names_a_route():
    """A spec left over from a removed route would hide that the route list changed."""
    assert set(SPECS) == {endpoint for endpoint, _, _ in RULES}
