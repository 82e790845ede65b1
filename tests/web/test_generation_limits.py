"""Generation with bounded cost (issue 19, row 2): a 200 KB input of one shape cost a worker
69 s of CPU and 3.3 GB; four at once stalled the server, and the same article sent again was
generated again before the duplicate was noticed.

- the shape guard (quizapp.generation.bounds) on each adversarial shape: pure and fast;
- a generation past its CPU time or memory stops with a clear message (tiny limits);
- at most MAX_GENERATIONS at once, in a process and across processes: 503 with Retry-After;
- a repeated article is recognised before any parsing;
- the web form and the API answer every shape with a 201 or a clear 4xx, never a 500.

Speed and memory per shape are measured in bench/generation_cost.py, not asserted here.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import PASSWORD, csrf_from, generation_settings, small_bank

from quizapp.articles import parse_article
from quizapp.generation import bounds
from quizapp.generation.bounds import TooComplex, bound_article

ARTICLE = (
    "The festival in Zanthorpe was opened by Mayor Quintessa Vorbeck on Saturday.\n\n"
    "About 4,500 visitors came to the harbour, organisers from the Glimmerstone Trust said. "
    "The Glimmerstone Trust paid for the fireworks, which cost 12,000 euros.\n"
)

# Adversarial shapes of up to 200 KB (the article size limit): the ones the attack used and
# their relatives.
SHAPES = {
    "brackets": "[" * 99_000 + "]" * 99_000,
    "quotes": '"' * 195_000,
    "nested_parentheses": "(a " * 33_000 + ")" * 33_000,
    "nested_words": "(Alice met Bob " * 9_000 + ")" * 9_000,
    "numbers": " ".join(str(n * 7919 % 1_000_003) for n in range(28_000)),
    "tiny_paragraphs": "\n\n".join("Tom ran." for _ in range(19_000)),
    "endless_sentence": " ".join(["Alice met Bob in Paris and"] * 7_000),
    "marks": "!?" * 99_000,
    "mixed_brackets": "([{<" * 49_000,
    "emoji": "\U0001f600" * 49_000,
    "one_word": "a" * 199_000,
    "commas": "Alice, " * 28_000,
}


def _article(text: str):
    return parse_article(text.encode("utf-8"), "the pasted text", "txt")


def _corpus_text(corpus_dir: Path, size: int) -> str:
    """Wikinews articles one after another, about `size` characters: a realistic article."""
    texts = [
        json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted(corpus_dir.glob("*.json"))
    ]
    out = "\n\n".join(texts)
    while len(out) < size:
        out += "\n\n" + out
    return out[:size].rsplit("\n", 1)[0]


# --- the shape guard (pure) --------------------------------------------------------------------


def _nesting(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}" and depth:
            depth -= 1
    return deepest


def _assert_safe_to_parse(original, bounded) -> None:
    """What spaCy will see: the guard's promises, checked on the text itself."""
    article = bounded.article
    assert len(article.text) == len(original.text)  # offsets stay the article's
    covered = "".join(article.text[a:b] for a, b in article.paragraphs)
    assert len(covered) == sum(b - a for a, b in original.paragraphs)
    assert bounded.tokens <= bounds.MAX_TOKENS
    for a, b in article.paragraphs:
        span = article.text[a:b]
        assert len(span) <= bounds.MAX_SPAN
        assert not re.search(rf"[^\w\s]{{{bounds.MAX_MARK_RUN + 1}}}", span)
        assert not re.search(rf"\S{{{bounds.MAX_WORD + 1}}}", span)
        # (the spaces after a sentence end are one whitespace token for spaCy)
        sentences = re.split(r"[.!?\n]", span)
        assert max(len(s.strip()) for s in sentences) <= bounds.MAX_SENTENCE
        assert _nesting(span) <= bounds.MAX_NESTING
        tokens = len(re.findall(r"\w+|[^\w\s]", span))
        assert bounded.batch_size == 1 or bounded.batch_size * tokens <= bounds.BATCH_TOKENS


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_guard_leaves_no_pathological_shape_to_the_parser(shape):
    text = SHAPES[shape]
    assert len(text.encode("utf-8")) <= 200_000
    original = _article(text)
    try:
        bounded = bound_article(original)
    except TooComplex as exc:
        assert str(exc).startswith(bounds.TOO_COMPLEX)
        assert "words and punctuation marks" in str(exc)
        return
    _assert_safe_to_parse(original, bounded)


def test_the_shapes_of_the_attack_are_made_safe_or_refused():
    """The reproduction's worst shapes, one by one: none reaches spaCy as it was."""
    brackets = bound_article(_article(SHAPES["brackets"]))
    assert brackets.tokens <= 2 * bounds.MAX_MARK_RUN and brackets.changes
    quotes = bound_article(_article(SHAPES["quotes"]))
    assert quotes.tokens <= bounds.MAX_MARK_RUN and quotes.changes
    with pytest.raises(TooComplex):
        bound_article(_article(SHAPES["tiny_paragraphs"]))
    nested = bound_article(_article(SHAPES["nested_words"]))
    assert "deeply nested brackets blanked" in "; ".join(nested.changes)


def test_ordinary_articles_pass_the_guard_unchanged(corpus_dir, seed_article_path):
    from quizapp.articles import read_article

    paths = [seed_article_path, *sorted(corpus_dir.glob("*.json"))]
    for path in paths:
        article = read_article(str(path))
        bounded = bound_article(article)
        assert bounded.article is article and bounded.changes == (), path.name
    realistic = _article(_corpus_text(corpus_dir, 199_000))
    bounded = bound_article(realistic)  # a 200 KB news article is within every bound
    assert bounded.article is realistic and bounded.tokens < bounds.MAX_TOKENS


def test_brackets_nested_too_deep_are_blanked_with_their_partners():
    text = "Alice (" + "(" * 8 + "met" + ")" * 8 + ") Bob [in {Paris}]."
    bounded = bound_article(_article(text))
    safe = bounded.article.text
    assert _nesting(safe) == bounds.MAX_NESTING
    assert safe.count("(") == safe.count(")") == bounds.MAX_NESTING
    assert "[in {Paris}]" in safe  # shallow brackets stay


def test_an_endless_sentence_is_cut_at_spaces():
    text = " ".join(["Alice met Bob in Paris and"] * 2_000)
    bounded = bound_article(_article(text))
    spans = [bounded.article.text[a:b] for a, b in bounded.article.paragraphs]
    assert len(spans) > 1 and all(len(s) <= bounds.MAX_SENTENCE for s in spans)
    assert all(s.endswith(" ") for s in spans[:-1])  # never inside a word
    assert "".join(spans) == text.strip()


def test_the_word_limit_is_a_setting():
    with pytest.raises(TooComplex, match="more than the 20 one generation"):
        bound_article(_article(ARTICLE), max_tokens=20)
    assert bound_article(_article(ARTICLE), max_tokens=1_000).tokens < 100


# --- the runner: limits --------------------------------------------------------------------------


def test_the_runner_generates_what_the_generator_does(seed_article_path):
    """Within the limits (a child process, batches bounded) the bank is the generator's own."""
    from quizapp.articles import read_article
    from quizapp.banks import dumps_bank
    from quizapp.generation import generate_bank
    from quizapp.services.generation_runner import generate

    article = read_article(str(seed_article_path))
    outcome = generate(article)
    assert outcome.bank == json.loads(dumps_bank(generate_bank(article)))
    assert outcome.cpu_seconds > 0 and outcome.changes == ()


@pytest.fixture
def teacher_api(client, factory):
    user_id, email = factory.user("teacher")
    response = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    return user_id, {"Authorization": f"Bearer {response.get_json()['token']}"}


def _api_error(response, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert set(body) == {"error"}
    return body["error"]


def test_a_generation_past_its_cpu_time_stops_with_a_clear_message(
    app, client, teacher_api, corpus_dir
):
    app.config["GENERATION_CPU_SECONDS"] = 1
    _, headers = teacher_api
    text = _corpus_text(corpus_dir, 60_000)  # about 3 s of CPU time
    response = client.post("/api/v1/sets", json={"text": text}, headers=headers)
    message = _api_error(response, 400)
    assert message.startswith("This article is too complex to process")
    assert "more than 1 second of computing time" in message
    # nothing was stored, and the next generation (a fresh child) works
    app.config["GENERATION_CPU_SECONDS"] = 15
    ok = client.post("/api/v1/sets", json={"text": ARTICLE}, headers=headers)
    assert ok.status_code == 201


def test_a_generation_past_its_memory_stops_with_a_clear_message(
    app, client, teacher_api, corpus_dir
):
    app.config["GENERATION_MEMORY_MB"] = 10
    _, headers = teacher_api
    text = _corpus_text(corpus_dir, 60_000)
    message = _api_error(client.post("/api/v1/sets", json={"text": text}, headers=headers), 400)
    assert message.startswith("This article is too complex to process")
    assert "10 MB of memory" in message


def test_a_generation_past_its_time_on_the_clock_gets_503(app, client, teacher_api, corpus_dir):
    """Killed after GENERATION_WALL_SECONDS (it needs about 3 s of CPU time): the server was
    too busy to finish it, so 503 with Retry-After, and no hung worker."""
    app.config["GENERATION_WALL_SECONDS"] = 1
    _, headers = teacher_api
    text = _corpus_text(corpus_dir, 60_000)
    response = client.post("/api/v1/sets", json={"text": text}, headers=headers)
    assert "too busy" in _api_error(response, 503)
    assert int(response.headers["Retry-After"]) > 0


# --- how many at once ----------------------------------------------------------------------------


@pytest.fixture
def one_slot(app, tmp_path):
    app.config.update(
        MAX_GENERATIONS=1, GENERATION_WAIT_SECONDS=0, GENERATION_SLOTS=str(tmp_path / "slots")
    )
    return tmp_path / "slots"


def test_a_generation_when_every_slot_is_taken_gets_503_with_retry_after(
    app, client, teacher_api, one_slot
):
    from quizapp.services.generation_runner import Gate

    _, headers = teacher_api
    with Gate.from_config(app.config, app.instance_path).slot():
        response = client.post("/api/v1/sets", json={"text": ARTICLE}, headers=headers)
        assert "busy" in _api_error(response, 503)
        assert int(response.headers["Retry-After"]) > 0
    # the slot is free again
    assert client.post("/api/v1/sets", json={"text": ARTICLE}, headers=headers).status_code == 201


def test_the_limit_holds_across_processes(app, client, teacher_api, one_slot):
    """Another worker process holding the server's only slot: this one waits, then 503."""
    one_slot.mkdir(parents=True)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys\n"
            f"fd = os.open({str(one_slot / 'slot-0')!r}, os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        _, headers = teacher_api
        response = client.post("/api/v1/sets", json={"text": ARTICLE}, headers=headers)
        assert "busy" in _api_error(response, 503)
        assert response.headers["Retry-After"]
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()
    assert client.post("/api/v1/sets", json={"text": ARTICLE}, headers=headers).status_code == 201


@pytest.fixture
def teacher_web(client, factory, auth):
    user_id, email = factory.user("teacher")
    auth.login(email)
    return user_id


def _post_new_set(client, text: str):
    token = csrf_from(client.get("/teach/sets/new").get_data(as_text=True))
    return client.post("/teach/sets/new", data={"csrf_token": token, "text": text})


def test_the_teacher_form_says_the_generator_is_busy(app, client, teacher_web, one_slot):
    from quizapp.services.generation_runner import Gate

    with Gate.from_config(app.config, app.instance_path).slot():
        response = _post_new_set(client, ARTICLE)
    # The form queued a job (run at once in tests); its page says why it failed, article kept.
    assert response.status_code == 303 and "/teach/jobs/" in response.headers["Location"]
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "The question generator is busy" in html
    assert "Quintessa Vorbeck" in html  # the article, in the form to try again


# --- the same article again ----------------------------------------------------------------------


def test_a_repeated_article_is_recognised_before_any_parsing(
    app, client, factory, teacher_api, monkeypatch
):
    import quizapp.generation.generator
    from quizapp.services import generation_runner, teaching

    teacher_id, headers = teacher_api
    with app.app_context():
        digest = teaching.read_source(ARTICLE).sha256
    set_id = factory.bank_set(small_bank(digest=digest), owner_id=teacher_id, status="draft")
    calls = []

    def spy(*args, **kwargs):
        calls.append(args)
        raise AssertionError("the generator ran for an article already made into a set")

    monkeypatch.setattr(generation_runner, "generate", spy)
    monkeypatch.setattr(quizapp.generation.generator, "parse_articles", spy)
    response = client.post("/api/v1/sets", json={"text": ARTICLE}, headers=headers)
    assert response.status_code == 200 and response.get_json()["id"] == set_id
    assert calls == []
    # another teacher's copy of the same article is theirs to generate
    _, other_email = factory.user("teacher")
    with app.app_context():
        from quizapp.extensions import db
        from quizapp.models import User

        other = db.session.scalar(db.select(User).where(User.email == other_email))
        with pytest.raises(AssertionError, match="the generator ran"):
            teaching.create_set(other, text=ARTICLE, **generation_settings(app))
    assert len(calls) == 1


def test_the_same_article_sent_four_times_at_once_is_generated_once(app, factory, monkeypatch):
    """A double (or quadruple) click: one generation, one set; the others wait for it."""
    import threading

    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services import generation_runner, teaching

    real = generation_runner.generate
    calls = []

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(generation_runner, "generate", counting)
    owner_id, _ = factory.user("teacher")
    barrier = threading.Barrier(4)
    made, errors = [], []

    def click() -> None:
        try:
            with app.app_context():
                owner = db.session.get(User, owner_id)
                barrier.wait(timeout=20)
                qset, created = teaching.create_set(owner, text=ARTICLE, **generation_settings(app))
                made.append((qset.id, created))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [] and len(calls) == 1
    assert len({set_id for set_id, _ in made}) == 1
    assert sorted(created for _, created in made) == [False, False, False, True]


# --- never a 500 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_api_answers_every_shape_with_a_set_or_a_clear_message(app, client, teacher_api, shape):
    app.config["GENERATION_CPU_SECONDS"] = 1  # every shape finishes or stops within a second
    _, headers = teacher_api
    response = client.post("/api/v1/sets", json={"text": SHAPES[shape]}, headers=headers)
    if response.status_code == 503:  # a machine too loaded to give it a second in a minute
        assert "too busy" in _api_error(response, 503) and response.headers["Retry-After"]
    elif response.status_code != 201:
        message = _api_error(response, 400)
        assert message.startswith(("This article is too complex", "No questions could be made"))


@pytest.mark.parametrize("shape", ["brackets", "quotes", "tiny_paragraphs"])
def test_the_teacher_form_answers_every_shape_clearly(app, client, teacher_web, shape):
    response = _post_new_set(client, SHAPES[shape])
    # The form queued a job (run at once in tests); its page says why it failed.
    assert response.status_code == 303
    response = client.get(response.headers["Location"])
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This article is too complex" in page or "No questions could be made" in page
    assert "Traceback" not in page


# --- the command line ----------------------------------------------------------------------------


def test_the_command_line_refuses_a_too_complex_article_and_goes_on(tmp_path):
    from click.testing import CliRunner

    from quizapp.cli import cli

    (tmp_path / "tiny.txt").write_text(SHAPES["tiny_paragraphs"], encoding="utf-8")
    (tmp_path / "festival.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "banks"
    runner = CliRunner(env={"FLASK_RUN_FROM_CLI": None})
    result = runner.invoke(
        cli,
        ["generate", str(tmp_path / "tiny.txt"), str(tmp_path / "festival.txt"), "-o", str(out)],
        prog_name="quizapp",
    )
    assert result.exit_code == 2
    assert "tiny.txt: This article is too complex to process" in result.stderr
    assert (out / "festival.json").is_file() and not (out / "tiny.json").exists()
