"""The review page of a set from a huge article stays small and is paginated (issue 19, row #3)."""

from __future__ import annotations

import re

import pytest
from helpers import csrf_from, signed_in, small_bank


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


SIZE = 199_000  # just under the 200 KB an article may have


QUESTIONS = 260  # six pages of 50 (the old page repeated the whole paragraph for each)


def _sentence(i: int) -> str:
    return f"Councillor Varnholt{i:05d} opened bridge number {i} over the river on a wet Monday."


def _article(shape: str) -> str:
    """About SIZE characters: one paragraph without a line break, paragraphs of eight
    sentences (a realistic article), or one endless sentence with no full stop."""
    if shape == "endless sentence":
        words, n = [], 0
        while sum(map(len, words)) + len(words) < SIZE:
            words.append(f"and Varnholt{n:05d} crossed bridge {n}")
            n += 1
        return " ".join(words)
    sentences, total, i = [], 0, 0
    while total < SIZE:
        sentences.append(_sentence(i))
        total += len(sentences[-1]) + 1
        i += 1
    if shape == "one paragraph":
        return " ".join(sentences)
    paragraphs = [" ".join(sentences[k : k + 8]) for k in range(0, len(sentences), 8)]
    return "\n\n".join(paragraphs)


def _big_set(app, owner_id: int, shape: str) -> int:
    """A set of QUESTIONS questions whose sentences sit in a ~200 KB article of `shape`, made
    through the import service (no generator needed)."""
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services.catalogue import import_bank

    text = _article(shape)
    questions = []
    for n in range(QUESTIONS):
        if shape == "endless sentence":
            sentence, start, answer = text, 0, f"Varnholt{n * 7:05d}"
        else:
            i = n * 8
            sentence, answer = _sentence(i), f"Varnholt{i:05d}"
            start = text.index(sentence)
        questions.append(
            {
                "id": f"q-big-{n:05d}",
                "category": "who",
                "format": "short_answer",
                "prompt": f"Who opened the bridge in question {n}?",
                "answer": answer,
                "accepted_answers": [],
                "choices": None,
                "numeric": None,
                "explanation": "",
                "source_sentence": sentence,
                "source_span": [start, start + len(sentence)],
                "score": 0.5,
            }
        )
    bank = {**small_bank(f"Bridges ({shape})", "b1" * 32), "questions": questions}
    with app.app_context():
        owner = db.session.get(User, owner_id)
        result = import_bank(bank, owner=owner, status="draft", article_text=text)
        return result.question_set.id


def _listed(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li id="q(\d+)"', html)]


@pytest.mark.parametrize("shape", ["one paragraph", "realistic", "endless sentence"])
def test_review_page_of_a_200_kb_article_stays_under_1_mb_and_pages_list_each_question_once(
    app, client, factory, auth, shape
):
    teacher_id, _ = signed_in(factory, auth, "teacher")
    set_id = _big_set(app, teacher_id, shape)
    expected = _question_ids(app, set_id)
    first = client.get(f"/teach/sets/{set_id}")
    assert first.status_code == 200
    assert len(first.get_data()) < 1_000_000  # before: 52 MB for one paragraph
    html = first.get_data(as_text=True)
    pages = int(re.search(r"page 1 of (\d+)", html).group(1))
    assert pages == -(-QUESTIONS // 50)
    listed, sizes = [], []
    for page in range(1, pages + 1):
        response = client.get(f"/teach/sets/{set_id}?page={page}")
        assert response.status_code == 200
        sizes.append(len(response.get_data()))
        listed += _listed(response.get_data(as_text=True))
    assert max(sizes) < 1_000_000, sizes
    assert sorted(listed) == sorted(expected) and len(listed) == len(set(listed))
    # in set order, numbered as in the set (the third page starts at 101)
    assert listed == expected
    third = client.get(f"/teach/sets/{set_id}?page=3").get_data(as_text=True)
    assert '<span class="question__number">101</span>' in third
    # each question keeps its sentence, marked, with a bounded window of context
    last = client.get(f"/teach/sets/{set_id}?page={pages}").get_data(as_text=True)
    marked = re.findall(r"<p>([^<]*)<mark>([^<]*)</mark>([^<]*)</p>", last)
    assert len(marked) == QUESTIONS - (pages - 1) * 50
    for before, sentence, after in marked:
        assert len(before) <= 160 and len(after) <= 160
        assert 0 < len(sentence) <= 610
    if shape != "endless sentence":
        assert any(_sentence((QUESTIONS - 1) * 8) == s for _b, s, _a in marked)


def test_review_pages_out_of_range_or_malformed_fall_back(app, client, factory, auth):
    teacher_id, _ = signed_in(factory, auth, "teacher")
    set_id = _big_set(app, teacher_id, "realistic")
    last = _listed(client.get(f"/teach/sets/{set_id}?page=6").get_data(as_text=True))
    for query in ("page=7", "page=999999999999", "page=-1&show=nonsense"):
        response = client.get(f"/teach/sets/{set_id}?{query}")
        assert response.status_code == 200
        wanted = last if "page=-1" not in query else _question_ids(app, set_id)[:50]
        assert _listed(response.get_data(as_text=True)) == wanted, query


def test_bulk_disable_and_the_filter_work_page_by_page(app, client, factory, auth):
    teacher_id, _ = signed_in(factory, auth, "teacher")
    set_id = _big_set(app, teacher_id, "one paragraph")
    ids = _question_ids(app, set_id)
    page2 = client.get(f"/teach/sets/{set_id}?page=2").get_data(as_text=True)
    ticked = _listed(page2)[:3]
    response = client.post(
        f"/teach/sets/{set_id}/questions/bulk",
        data={
            "csrf_token": csrf_from(page2),
            "action": "disable",
            "question": [str(i) for i in ticked],
            "page": "2",
            "show": "all",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/teach/sets/{set_id}?page=2")
    back = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 questions disabled" in back
    assert f"{len(ids) - 3} of {len(ids)} questions enabled" in back
    disabled = client.get(f"/teach/sets/{set_id}?show=disabled").get_data(as_text=True)
    assert _listed(disabled) == ticked
    # a question toggled on page 4 comes back to page 4, at the question
    page4 = client.get(f"/teach/sets/{set_id}?page=4").get_data(as_text=True)
    target = _listed(page4)[10]
    response = client.post(
        f"/teach/sets/{set_id}/questions/{target}/toggle",
        data={"csrf_token": csrf_from(page4), "enabled": "0", "show": "all"},
    )
    assert response.headers["Location"].endswith(f"/teach/sets/{set_id}?page=4#q{target}")
    # under the "enabled" filter, it returns to the filtered page it was on
    response = client.post(
        f"/teach/sets/{set_id}/questions/{ids[-1]}/toggle",
        data={"csrf_token": csrf_from(page4), "enabled": "0", "show": "enabled"},
    )
    assert response.headers["Location"].endswith(
        f"/teach/sets/{set_id}?show=enabled&page=6#q{ids[-1]}"
    )
