"""CSRF on every state-changing request and no state change on GET (reliability.md, ASVS 3.5.1,
3.5.3), over the access table of test_access_matrix.py, which has a row for every rule of the
URL map.

Every POST/PATCH/PUT/DELETE row is sent on the cookie session of each role the table lets
through (a signed-in one; a guest too where guests may post), with everything else valid but
the CSRF token left out, made up, or taken from another session: each is refused with 400 and
a message saying why, and every row of every table is as it was. The Bearer-token API carries no
ambient credential, so it needs no token. Every GET of the table, for every role and channel,
leaves every table exactly as it was (rate-limit hits included: a GET records none), and a GET
to a path that only takes writes (GET /logout) is a 405 that changes nothing.
"""

from __future__ import annotations

import pytest
from test_access_matrix import (
    ACCESS,
    LOGIN,
    ROLES,
    SIGNED_IN,
    STATE_CHANGING,
    Cell,
    Row,
    build_world,
    csrf_token,
    describe,
    matches,
    prepare,
    signed_in_client,
    url_map_rules,
)
from werkzeug.exceptions import MethodNotAllowed

# What the app says when it refuses a request for its CSRF token: the global 400 page, the
# API's JSON error, and the quiz and practice pages, which check their own token so that
# nothing typed is lost.
REFUSALS = (
    "came from another site",
    "Missing or invalid X-CSRFToken header",
    "Your session had expired",
)


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    from quizapp.extensions import db

    with app.app_context():
        tables = {
            table.name: sorted(
                (tuple(row) for row in db.session.execute(table.select()).all()), key=repr
            )
            for table in db.metadata.sorted_tables
        }
        db.session.remove()
    return tables


def changed(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def _passes(cell: Cell) -> bool:
    """The cell lets the request through (being sent to sign in is a refusal)."""
    status = cell if isinstance(cell, int) else int(cell.split(" ", 1)[0])
    return status < 400 and cell != LOGIN


def allowed_roles(row: Row) -> list[str]:
    """The roles whose cookie session `row` lets through (none for a row that tests a refusal);
    on the API, signed-in ones only: a signed-out API request carries no cookie to forge a
    request with. The API's token sign-out goes through on a Bearer token only: it is tried on
    the cookie sessions of the roles it lets through there."""
    roles = [role for role in ROLES if _passes(row.cell(role))]
    if row.api:
        roles = [role for role in roles if role != "anonymous"]
        if not roles and row.bearer:
            roles = [role for role in SIGNED_IN if _passes(row.cell(role, "bearer"))]
    return roles


def _cases() -> list[tuple[Row, str]]:
    return [
        (row, role) for row in ACCESS if row.method in STATE_CHANGING for role in allowed_roles(row)
    ]


def test_every_state_changing_rule_is_tested(app):
    tested = {(row.endpoint, row.method) for row, _role in _cases()}
    missing = [
        f"add {endpoint} ({method} {rule}) to the access table of tests/web/test_access_matrix.py"
        for endpoint, method, rule in url_map_rules(app)
        if method in STATE_CHANGING and (endpoint, method) not in tested
    ]
    assert not missing, "; ".join(missing)
    assert len(tested) >= 25


@pytest.mark.parametrize("token", ["missing", "made-up", "another session's"])
def test_state_changing_requests_without_their_session_s_token_are_refused(app, factory, token):
    world = build_world(app, factory)
    foreign = csrf_token(app.test_client())  # a real token, of a session of its own
    sent = {"missing": None, "made-up": "made-up-token", "another session's": foreign}[token]
    failures = []
    for row, role in _cases():
        request = prepare(world, row, role, "cookie", csrf=sent)
        before = snapshot(app)
        response = request.send()
        after = snapshot(app)
        text = response.get_data(as_text=True)
        where = f"{row.method} {request.url} as {role}"
        if response.status_code != 400 or not any(reason in text for reason in REFUSALS):
            failures.append(f"{where}: {describe(response)}, not refused for its CSRF token")
        if changed(before, after):
            failures.append(f"{where}: changed {', '.join(changed(before, after))}")
    assert not failures, f"{token} token:\n" + "\n".join(failures)


def test_bearer_requests_need_no_csrf_token(app, factory):
    """A Bearer token is sent by the client on purpose, never by a browser on its own: the API
    takes it without X-CSRFToken (and the request really does its work)."""
    world = build_world(app, factory)
    failures = []
    rows = [row for row in ACCESS if row.api and row.method in STATE_CHANGING]
    assert {row.endpoint for row in rows} >= {"api.token", "api.create_attempt", "api.update_set"}
    for row in rows:
        passed = 0
        for role in SIGNED_IN:
            cell = row.cell(role, "bearer")
            request = prepare(world, row, role, "bearer")
            assert "X-CSRFToken" not in request.kwargs["headers"]
            before = snapshot(app)
            response = request.send()
            after = snapshot(app)
            where = f"{row.method} {request.url} as {role}"
            if not matches(response, cell, world):
                failures.append(f"{where}: {describe(response)}, expected {cell}")
            if response.status_code in (201, 204) and not changed(before, after):
                failures.append(f"{where}: {response.status_code} but nothing was stored")
            passed += _passes(cell)
        assert passed, f"{row.method} {row.path}: no role may use it with a Bearer token"
    assert not failures, "\n".join(failures)


def test_a_bearer_header_on_a_cookie_session(app, factory):
    """With a Bearer header the cookie is not what authenticates: a valid token works without
    X-CSRFToken, and a wrong one is a 401 (never a fall-back to the cookie session)."""
    world = build_world(app, factory)
    client = signed_in_client(world, "owner_student")
    url = f"/api/v1/sets/{world.ids['P']}/attempts"
    before = snapshot(app)
    wrong = client.post(url, json={"answers": {}}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert not changed(before, snapshot(app))
    token = world.tokens["owner_student"]
    right = client.post(url, json={"answers": {}}, headers={"Authorization": f"Bearer {token}"})
    assert right.status_code == 201
    assert "attempts" in changed(before, snapshot(app))


def _takes_get(app, path: str) -> bool:
    try:
        app.url_map.bind("localhost").match(path, method="GET")
    except MethodNotAllowed:
        return False
    return True


@pytest.mark.parametrize("role", ROLES)
def test_get_requests_change_nothing(app, factory, role):
    world = build_world(app, factory)
    failures = []
    for row in ACCESS:
        if row.method != "GET":
            continue
        for channel in row.channels(role):
            request = prepare(world, row, role, channel)
            before = snapshot(app)
            response = request.send()
            after = snapshot(app)
            if response.status_code >= 500 or changed(before, after):
                failures.append(
                    f"GET {request.url} [{channel}]: {describe(response)}, "
                    f"changed {', '.join(changed(before, after)) or 'nothing'}"
                )
    writes_only = sorted(
        {
            row.path.format(**world.ids).split("?")[0]
            for row in ACCESS
            if row.method in STATE_CHANGING
            and not _takes_get(app, row.path.format(**world.ids).split("?")[0])
        }
    )
    assert "/logout" in writes_only and "/study/reviews" in writes_only
    client = signed_in_client(world, role)
    for path in writes_only:
        before = snapshot(app)
        response = client.get(path)
        response.close()
        if response.status_code != 405 or changed(before, snapshot(app)):
            failures.append(f"GET {path}: {describe(response)}, expected 405 and no change")
    assert not failures, f"{role}:\n" + "\n".join(failures)
