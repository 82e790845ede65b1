"""An import never writes into a published or archived set (issue 19, row #12)."""

from __future__ import annotations

import io
import json

import pytest
from helpers import count_rows, csrf_from, signed_in, small_bank


def _set(app, set_id: int):
    from quizapp.extensions import db
    from quizapp.models import QuestionSet

    return db.session.get(QuestionSet, set_id)


def _status(app, set_id: int, status: str) -> None:
    from quizapp.services import teaching

    with app.app_context():
        teaching.update_set(_set(app, set_id), status=status)


def _question_ids(app, set_id: int) -> list[int]:
    from quizapp.extensions import db
    from quizapp.models import Question

    with app.app_context():
        return list(
            db.session.scalars(
                db.select(Question.id)
                .where(Question.set_id == set_id)
                .order_by(Question.position, Question.id)
            )
        )


def _bank(n: int, digest: str = "9a" * 32) -> dict:
    base = small_bank("Ninety-nine", digest)
    template = base["questions"][0]
    questions = [
        {**template, "id": f"q-live-{i:04d}", "prompt": f"Who opened festival number {i}?"}
        for i in range(n)
    ]
    return {**base, "questions": questions}


def _import(client, bank: dict):
    page = client.get("/teach/import").get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(page),
        "title": "",
        "upload": (io.BytesIO(json.dumps(bank).encode()), "bank.json"),
    }
    return client.post("/teach/import", data=data, content_type="multipart/form-data")


@pytest.mark.parametrize("status", ["published", "archived"])
def test_an_import_never_writes_into_a_published_set(app, client, factory, auth, status):
    from quizapp.models import Question, QuestionSet

    teacher_id, _ = signed_in(factory, auth, "teacher")
    set_id = factory.bank_set(_bank(99), teacher_id, status=status)
    assert len(_question_ids(app, set_id)) == 99
    response = _import(client, _bank(100))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"your {status} set “Ninety-nine”" in html and "nothing was imported" in html
    assert len(_question_ids(app, set_id)) == 99  # 99 stays 99
    assert count_rows(app, QuestionSet) == 1 and count_rows(app, Question) == 99
    # the same questions again change nothing and find the set, as before
    response = _import(client, _bank(99))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/teach/sets/{set_id}"
    # back to draft, the import adds the new question for review
    _status(app, set_id, "draft")
    assert _import(client, _bank(100)).status_code == 303
    assert len(_question_ids(app, set_id)) == 100


def test_the_import_service_refuses_a_draft_into_a_live_set(app, factory):
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services import Invalid
    from quizapp.services.catalogue import import_bank

    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(_bank(99), teacher_id)
    with app.app_context():
        owner = db.session.get(User, teacher_id)
        with pytest.raises(Invalid, match="nothing was imported"):
            import_bank(_bank(100), owner=owner, status="draft")
    assert len(_question_ids(app, set_id)) == 99
