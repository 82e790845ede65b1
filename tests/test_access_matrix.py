"""Access control over every teacher route × every role, found from the app's URL map (a new
teacher route is checked without being listed here): signed out → sign in (web) or 401 (API);
a student → 403; another teacher → 404 (the set's existence is not revealed); the owner → in.
Drafts stay invisible to students on the student routes too."""

from __future__ import annotations

import pytest
from conftest import csrf_from, small_bank

ROLES = ("anonymous", "student", "other_teacher", "owner")
TEACHER_API = {
    ("POST", "/api/v1/sets"),
    ("PATCH", "/api/v1/sets/<int:set_id>"),
    ("PATCH", "/api/v1/sets/<int:set_id>/questions/<qid>"),
    ("GET", "/api/v1/sets/<int:set_id>/stats"),
}


def _teacher_rules(app) -> list[tuple[str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        for method in methods:
            if rule.endpoint.startswith("teacher.") or (method, rule.rule) in TEACHER_API:
                found.append((method, rule.rule))
    return sorted(found)


@pytest.fixture
def world(app, factory):
    from quizapp.extensions import db
    from quizapp.models import Question
    from quizapp.services import attempts, catalogue

    owner, owner_email = factory.user("teacher", "Owner")
    other, other_email = factory.user("teacher", "Other")
    student, student_email = factory.user("student", "Stu")
    set_id = factory.bank_set(small_bank(), owner_id=owner, status="published")
    draft_id = factory.bank_set(small_bank("Draft", "dd" * 32), owner_id=owner, status="draft")
    with app.app_context():
        from quizapp.models import QuestionSet, User

        qset = db.session.get(QuestionSet, set_id)
        questions = catalogue.enabled_questions(qset)
        attempts.submit_quiz(
            qset, [q.id for q in questions], {}, user=db.session.get(User, student)
        )
        question = db.session.scalar(db.select(Question).where(Question.set_id == set_id))
        ids = {"question_id": question.id, "qid": question.uid}
    return {
        "emails": {"student": student_email, "other_teacher": other_email, "owner": owner_email},
        "set_id": set_id,
        "draft_id": draft_id,
        "user_id": student,
        **ids,
    }


def _url(rule: str, world: dict) -> str:
    values = {
        "set_id": world["set_id"],
        "question_id": world["question_id"],
        "qid": world["qid"],
        "user_id": world["user_id"],
        "fmt": "json",
    }
    url = rule
    for name, value in values.items():
        url = url.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    assert "<" not in url, f"the access matrix has no value for a parameter of {rule}"
    return url


def _client_as(app, auth_cls, role: str, world: dict):
    client = app.test_client()
    if role != "anonymous":
        auth_cls(client).login(world["emails"][role])
    return client


def _send(client, method: str, url: str):
    page = client.get("/").get_data(as_text=True)
    if "csrf_token" not in page:  # signed out: the sign-in form has one
        page = client.get("/login").get_data(as_text=True)
    token = csrf_from(page)
    if url.startswith("/api/"):
        body = {"title": "T", "text": "Some text."} if method != "GET" else None
        return client.open(url, method=method, json=body, headers={"X-CSRFToken": token})
    data = {"csrf_token": token} if method == "POST" else None
    return client.open(url, method=method, data=data)


def test_the_matrix_covers_the_teacher_routes(app):
    rules = _teacher_rules(app)
    assert len(rules) >= 18
    assert TEACHER_API <= set(rules)


@pytest.mark.parametrize("role", ROLES)
def test_every_teacher_route_for_every_role(app, world, role):
    from conftest import Auth

    client = _client_as(app, Auth, role, world)
    failures = []
    for method, rule in _teacher_rules(app):
        url = _url(rule, world)
        response = _send(client, method, url)
        status, api = response.status_code, url.startswith("/api/")
        if role == "anonymous":
            ok = status == 401 if api else status == 302 and "/login" in response.location
        elif role == "student":
            ok = status == 403
        elif role == "other_teacher":
            # routes without a set in them (dashboard, new set, import) are their own
            ok = status == 404 if "set_id" in rule else status < 500 and status not in (401, 403)
        else:
            ok = status < 500 and status not in (401, 403, 404)
        if not ok:
            failures.append(f"{method} {url}: {status}")
    assert not failures, f"{role}: " + "; ".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_drafts_are_invisible_to_everyone_but_their_owner(app, world, role):
    from conftest import Auth

    client = _client_as(app, Auth, role, world)
    draft = world["draft_id"]
    for url in (f"/sets/{draft}", f"/sets/{draft}/quiz", f"/api/v1/sets/{draft}"):
        status = client.get(url).status_code
        assert (status == 200) if role == "owner" else (status == 404), (role, url, status)
    listed = [s["id"] for s in client.get("/api/v1/sets").get_json()]
    assert (draft in listed) == (role == "owner")
