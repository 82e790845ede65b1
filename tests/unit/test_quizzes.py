"""Choosing a quiz: best first, no question whose prompt gives away another's answer."""

from __future__ import annotations

import json

import pytest
from helpers import SEED_BANK

from quizapp.quizzes import choose, gives_away


def q(prompt: str, answer: str, accepted: list[str] | None = None) -> dict:
    return {"prompt": prompt, "answer": answer, "accepted_answers": accepted or []}


@pytest.mark.parametrize(
    ("asker", "asked", "expected"),
    [
        (
            q("Who advises President Ilham Aliyev?", "Hikmet Hajiyev"),
            q("Who leads?", "Ilham Aliyev"),
            True,
        ),
        (
            q("Who advises President Aliyev?", "Hajiyev"),
            q("Who?", "Ilham Aliyev", ["Aliyev"]),
            True,
        ),
        (q("Who advises the president?", "Hajiyev"), q("Who?", "Ilham Aliyev", ["Aliyev"]), False),
        (q("How long did the talks in Yevlakh last?", "2 hours"), q("Where?", "Yevlakh"), True),
        (q("Where did the talks last two hours?", "Yevlakh"), q("How long?", "two hours"), True),
        # Whole words only, and short answers never count.
        (q("Which Armenians left?", "many"), q("Which country?", "Armenia"), False),
        (q("Who met in the US?", "Blinken"), q("Where?", "US"), False),
        (q("The _____ met in Baku.", "delegation"), q("Which city?", "Baku"), True),
        (q("The talks, in Baku, ended.", "talks"), q("Which city?", "baku!"), True),
        (q("Who visited Afghanistan's capital?", "Zalmay"), q("Where?", "Afghanistan"), True),
        # a key written as place and region gives itself away by its region
        (q("Which ferry sailed to Crete?", "Ierapetra"), q("From?", "Heraklio, Crete"), True),
        (q("How many fans came?", "500"), q("How many?", "1,500"), False),
    ],
)
def test_gives_away(asker, asked, expected):
    assert gives_away(asker, asked) is expected


def test_choose_keeps_rank_order_and_skips_a_give_away():
    questions = [
        q("Who is the President of Azerbaijan?", "Ilham Aliyev"),
        q("Who advises President Ilham Aliyev?", "Hikmet Hajiyev"),
        q("Where were the talks?", "Yevlakh"),
        q("How long did they last?", "two hours"),
    ]
    assert choose(questions, 3) == [0, 2, 3]


def test_choose_never_fills_the_quiz_with_give_aways():
    questions = [
        q("Who is the President of Azerbaijan?", "Ilham Aliyev"),
        q("Who advises President Ilham Aliyev?", "Hikmet Hajiyev"),
        q("Where were the talks?", "Yevlakh"),
    ]
    assert choose(questions, 3) == [0, 2]  # a shorter quiz rather than one that answers itself
    assert choose(questions, 10) == [0, 2]
    assert choose([], 20) == []


def test_the_seed_quiz_has_no_give_away():
    questions = json.loads(SEED_BANK.read_text(encoding="utf-8"))["questions"]
    chosen = [questions[i] for i in choose(questions, 20)]
    after = sum(gives_away(a, b) for a in chosen for b in chosen if a is not b)
    assert 10 <= len(chosen) <= 20 and after == 0
    assert chosen[0] is questions[0]
    # the bank is ordered so that its first questions are a quiz already (composition)
    assert [questions.index(c) for c in chosen][:10] == list(range(10))


def test_choose_takes_at_most_two_questions_and_one_cloze_per_sentence():
    def from_sentence(prompt, answer, fmt="short_answer"):
        return q(prompt, answer) | {"source_sentence": "Talks were held.", "format": fmt}

    questions = [
        from_sentence("Who held talks on Monday?", "Armenia"),
        from_sentence("_____ held talks on Monday.", "Azerbaijan", "cloze"),
        from_sentence("Talks were held on _____.", "Tuesday", "cloze"),  # a second cloze
        from_sentence("How long did the talks last?", "two hours"),  # a third question
        q("Where were the talks?", "Yevlakh"),
    ]
    assert choose(questions, 20) == [0, 1, 4]
