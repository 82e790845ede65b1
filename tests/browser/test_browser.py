"""Real-browser tests: the production server (`quizapp serve`, gunicorn) driven by Chromium.

The server runs as a subprocess on a free port with a fresh instance folder, so it migrates an
empty SQLite database and imports the shipped seed bank, exactly as in production. Playwright
drives Debian's Chromium (/usr/bin/chromium; `.ci/run` installs it) and never downloads a
browser of its own. Without that browser the whole module is skipped.
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import pytest
from helpers import SEED_BANK, seed_bank, seed_quiz_length, seed_title_pattern
from live_server import (
    A11Y_AUDIT,
    CHROMIUM,
    CSP_LISTENER,
    Problems,
)

from quizapp.scoring import grade

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

SEED_TITLE = seed_title_pattern()
QUIZ_LENGTH = seed_quiz_length()

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
)

# --- the server ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(live_server) -> str:
    """The base URL of `python -m quizapp serve` on a fresh instance folder."""
    return live_server.url


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 1000, "height": 900})
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def problems(page) -> Problems:
    return Problems(page)


# --- helpers ------------------------------------------------------------------------------------


def _bank_by_prompt() -> dict[str, dict]:
    bank = json.loads(SEED_BANK.read_text(encoding="utf-8"))
    return {" ".join(q["prompt"].split()): q for q in bank["questions"]}


BANK = _bank_by_prompt()


def bank_question(fieldset) -> dict:
    prompt = " ".join(fieldset.locator(".question__prompt").text_content().split())
    assert prompt in BANK, f"question not in the seed bank: {prompt!r}"
    return BANK[prompt]


def right_answer(question: dict) -> str:
    if question["format"] == "numeric":
        return f"{question['numeric']['value']:g}"
    return question["answer"]


def wrong_answer(question: dict) -> str:
    return "987654" if question["format"] == "numeric" else "certainly not this"


def open_seed_quiz(page) -> None:
    """Home page → the seed set → "Take the quiz"."""
    page.goto("/")
    page.get_by_role("link", name=SEED_TITLE).click()
    expect(page).to_have_url(re.compile(r"/sets/\d+$"))
    page.get_by_role("link", name="Take the quiz").click()
    expect(page).to_have_url(re.compile(r"/sets/\d+/quiz$"))
    expect(page.locator("fieldset.question")).to_have_count(QUIZ_LENGTH)
    # the page's script (keys, drafts) has run: a key pressed before it would reach the
    # browser's own handling (Enter submitting the form) and make a test flaky under load
    page.wait_for_load_state("load")


def answer_all(page) -> int:
    """First choice for multiple choice; typed answers alternately right and wrong. Returns the
    score the grader gives to what the browser now holds."""
    expected = 0
    typed = 0
    for fieldset in page.locator("fieldset.question").all():
        question = bank_question(fieldset)
        radios = fieldset.locator("input[type=radio]")
        if radios.count():
            radios.first.check()
            given = radios.first.get_attribute("value")
        else:
            box = fieldset.locator("input:not([type=hidden]), textarea").first
            box.fill(right_answer(question) if typed % 2 == 0 else wrong_answer(question))
            typed += 1
            given = box.input_value()
        expected += grade(question, given).correct
    return expected


def submit_and_read_score(page, button: str = "Submit answers") -> tuple[int, int]:
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name=button).click()
    assert posted.value.status == 303, "the quiz POST must redirect (POST → redirect → GET)"
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    text = page.locator("[data-score]").text_content()
    found = re.fullmatch(r"\s*(\d+) / (\d+)\s*", text)
    assert found, f"unexpected score text {text!r}"
    return int(found.group(1)), int(found.group(2))


def checked_value(fieldset) -> str | None:
    checked = fieldset.locator("input[type=radio]:checked")
    return checked.get_attribute("value") if checked.count() else None


# --- tests --------------------------------------------------------------------------------------


def test_guest_takes_the_seed_quiz_and_gets_the_exact_score(page):
    open_seed_quiz(page)
    page.get_by_label("Display name").fill("Browser Guest")
    expected = answer_all(page)
    assert 0 < expected < QUIZ_LENGTH, "the answers should mix right and wrong"

    score, out_of = submit_and_read_score(page)

    assert (score, out_of) == (expected, QUIZ_LENGTH)
    expect(page.locator(".result-item--right")).to_have_count(expected)
    expect(page.locator(".result-item--wrong")).to_have_count(QUIZ_LENGTH - expected)
    # Wrong answers open their source sentence, with the answer marked in it.
    expect(page.locator("details[open] .source-sentence mark").first).to_be_visible()
    expect(page.get_by_text("Browser Guest")).to_be_visible()
    # The result is a plain GET: reloading shows it again and submits nothing.
    page.reload()
    expect(page.locator("[data-score]")).to_have_text(f"{expected} / {QUIZ_LENGTH}")


def test_keyboard_only_quiz(page):
    open_seed_quiz(page)  # a fresh page load: nothing is focused yet
    keyboard = page.keyboard
    active = "document.activeElement"

    def focused(js: str):
        return page.evaluate(f"() => {{ const el = {active}; return {js}; }}")

    for _ in range(20):  # Tab through the header to the display name
        keyboard.press("Tab")
        if focused("el.id") == "guest_name":
            break
    else:
        pytest.fail("Tab never reached the display name field")
    keyboard.type("Keyboard Kim")
    for _ in range(5):  # past the "Sign in" link to the first question (a choice or a box)
        keyboard.press("Tab")
        if focused("el.closest('fieldset.question') !== null"):
            break
    else:
        pytest.fail("Tab never reached the first question")

    fieldsets = page.locator("fieldset.question").all()
    expected = 0
    tried_j_and_k = False
    for number, fieldset in enumerate(fieldsets, start=1):
        question = bank_question(fieldset)
        where = focused("el.closest('fieldset.question') && el.closest('fieldset.question').id")
        assert where == f"question-{number}", f"focus is in {where}, not question {number}"
        if focused("el.type") == "radio":
            choice = (number % 4) + 1
            keyboard.press(str(choice))  # app.js: 1–4 choose that choice
            given = checked_value(fieldset)
            choices = fieldset.locator("input[type=radio]")
            assert given == choices.nth(choice - 1).get_attribute("value")
            if (
                not tried_j_and_k
                and number < len(fieldsets)
                and fieldsets[number].locator("input[type=radio]").count()
            ):  # j / k: next question and back again (a radio there: in a box j is a letter)
                keyboard.press("j")
                after = focused("el.closest('fieldset.question').id")
                assert after == f"question-{number + 1}"
                keyboard.press("k")
                assert focused("el.checked && el.value") == given
                tried_j_and_k = True
            if number < len(fieldsets):
                keyboard.press("j")
        else:
            answer = right_answer(question)
            keyboard.type(answer)  # j and k are letters here, so Tab moves on
            given = fieldset.locator("input:not([type=hidden])").input_value()
            if number < len(fieldsets):
                keyboard.press("Tab")
        expected += grade(question, given).correct

    assert tried_j_and_k, "the quiz should hold two multiple-choice questions in a row"
    for _ in range(10):  # on to the submit button
        keyboard.press("Tab")
        if focused("el.type") == "submit":
            break
    else:
        pytest.fail("Tab never reached the submit button")
    with page.expect_navigation():
        keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    expect(page.locator("[data-score]")).to_have_text(f"{expected} / {QUIZ_LENGTH}")
    expect(page.get_by_text("Keyboard Kim")).to_be_visible()


def test_progress_indicator_counts_answered_questions(page):
    open_seed_quiz(page)
    text = page.locator("[data-progress-text]")
    bar = page.locator("progress[data-progress-bar]")
    expect(text).to_have_text(f"0 of {QUIZ_LENGTH} answered")

    page.get_by_label("Display name").fill("Not a question")
    expect(text).to_have_text(f"0 of {QUIZ_LENGTH} answered")

    fieldsets = page.locator("fieldset.question")
    radio_question = fieldsets.filter(has=page.locator("input[type=radio]")).first
    typed_question = fieldsets.filter(has_not=page.locator("input[type=radio]")).first
    radio_question.locator("input[type=radio]").first.check()
    expect(text).to_have_text(f"1 of {QUIZ_LENGTH} answered")
    radio_question.locator("input[type=radio]").nth(1).check()  # a change, not a new answer
    expect(text).to_have_text(f"1 of {QUIZ_LENGTH} answered")

    box = typed_question.locator("input:not([type=hidden])")
    box.fill("3")
    expect(text).to_have_text(f"2 of {QUIZ_LENGTH} answered")
    assert bar.evaluate("bar => [bar.value, bar.max]") == [2, QUIZ_LENGTH]

    box.fill("")
    expect(text).to_have_text(f"1 of {QUIZ_LENGTH} answered")
    assert bar.evaluate("bar => bar.value") == 1


def test_registered_student_sees_the_attempt_in_my_results(page):
    page.goto("/")
    page.get_by_role("link", name="Create account").click()
    email = f"student-{secrets.token_hex(4)}@example.com"
    page.get_by_label("Your name").fill("Registered Rita")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_label("Repeat the password").fill("correct horse battery")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_label("Email")).to_have_value(email)  # the sign-in page, filled in
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="My results")).to_be_visible()

    open_seed_quiz(page)
    expect(page.get_by_label("Display name")).to_have_count(0)  # signed in: no guest name
    expected = answer_all(page)
    assert submit_and_read_score(page) == (expected, QUIZ_LENGTH)

    page.get_by_role("link", name="My results").click()
    expect(page).to_have_url(re.compile(r"/history$"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(seed_bank()["title"][:20])
    expect(rows.first).to_contain_text(f"{expected} / {QUIZ_LENGTH}")
    expect(page.locator("svg[role=img]")).to_be_visible()
    rows.first.get_by_role("link", name=re.compile("Review")).click()
    expect(page.locator("[data-score]")).to_have_text(f"{expected} / {QUIZ_LENGTH}")


def test_no_console_errors_or_csp_violations(page, problems):
    page.goto("/")
    expect(page.get_by_role("link", name=SEED_TITLE)).to_be_visible()
    assert page.evaluate("() => document.documentElement.classList.contains('js')"), (
        "app.js did not run (blocked by the CSP or missing?)"
    )
    assert problems.seen == [], "home page"

    open_seed_quiz(page)
    page.get_by_label("Display name").fill("Quiet Quentin")
    page.locator("fieldset.question input[type=radio]").first.check()
    expect(page.locator("[data-progress-text]")).to_have_text(f"1 of {QUIZ_LENGTH} answered")
    assert problems.seen == [], "set and quiz pages"

    # all but one unanswered: the quiz asks once before finishing, answers kept.
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"You left {QUIZ_LENGTH - 1} questions unanswered"
    )
    expect(page.locator("fieldset.question input[type=radio]").first).to_be_checked()
    expect(page.locator("fieldset.question--unanswered")).to_have_count(QUIZ_LENGTH - 1)
    submit_and_read_score(page, f"Submit with {QUIZ_LENGTH - 1} unanswered")
    expect(page.locator(".result-item").first).to_be_visible()
    assert problems.seen == [], "result page"


def test_enter_in_an_answer_box_moves_on_instead_of_submitting(page):
    open_seed_quiz(page)
    boxes = page.locator("fieldset.question input[inputmode=decimal]")
    box = boxes.first
    box.fill("2")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/sets/\d+/quiz$"))
    focused_question = page.evaluate("() => document.activeElement.closest('fieldset.question').id")
    own_question = box.evaluate("el => el.closest('fieldset.question').id")
    assert focused_question != own_question
    assert int(focused_question.split("-")[1]) == int(own_question.split("-")[1]) + 1


@pytest.mark.parametrize("width", [1000, 360])
def test_pages_pass_a_basic_accessibility_audit(page, width):
    """Labels, one h1, unique ids, named buttons and links, no sideways scroll on a phone."""
    page.set_viewport_size({"width": width, "height": 800})
    found: dict[str, list[str]] = {}

    def audit(name: str) -> None:
        problems = page.evaluate(A11Y_AUDIT)
        if problems:
            found[name] = problems

    for path in ("/", "/login", "/register"):
        page.goto(path)
        audit(path)
    page.goto("/register")
    page.fill("#display_name", "Audit")
    page.fill("#email", f"audit{width}@example.com")
    page.fill("#password", "a long enough password")
    page.fill("#confirm", "a long enough password")
    page.click("button[type=submit]")
    page.fill("#password", "a long enough password")  # then sign in, the email filled in
    page.click("main button[type=submit]")
    open_seed_quiz(page)
    audit("quiz")
    answer_all(page)
    submit_and_read_score(page)
    audit("result")
    page.goto("/history")
    audit("history")
    page.goto("/account")
    audit("account")
    assert found == {}


def test_quiz_works_without_javascript(browser, server):
    context = browser.new_context(base_url=server, java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        open_seed_quiz(page)
        page.fill("input[name=guest_name]", "No Script")
        expected = answer_all(page)
        assert submit_and_read_score(page)[0] == expected
    finally:
        context.close()


def test_answers_survive_a_failed_submit_and_go_again_under_the_same_key(page, problems):
    """The database restarts as the quiz is sent (the proxy answers 503): opened again, the quiz
    page puts the answers and the submission key back, and sending it makes one attempt."""
    open_seed_quiz(page)
    page.get_by_label("Display name").fill("Unlucky Ursula")
    expected = answer_all(page)
    before = [
        checked_value(f) or f.locator("input:not([type=hidden])").first.input_value()
        for f in page.locator("fieldset.question").all()
    ]
    key = page.locator("input[name=submission_key]").input_value()
    quiz_url = page.url

    def unavailable(route):
        if route.request.method == "POST":
            route.fulfill(
                status=503,
                content_type="text/html",
                body='<!doctype html><title>503</title><link rel="icon" href="/static/favicon.svg">'
                "<p>The database is restarting.</p>",
            )
        else:
            route.continue_()

    page.route("**/sets/*/quiz", unavailable)
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("The database is restarting.")).to_be_visible()
    page.unroute("**/sets/*/quiz")
    problems.seen.clear()  # the 503 was ours

    page.goto(quiz_url)
    expect(page.get_by_text("Your unsent answers from before were put back.")).to_be_visible()
    expect(page.get_by_label("Display name")).to_have_value("Unlucky Ursula")
    after = [
        checked_value(f) or f.locator("input:not([type=hidden])").first.input_value()
        for f in page.locator("fieldset.question").all()
    ]
    assert after == before
    assert page.locator("input[name=submission_key]").input_value() == key
    assert submit_and_read_score(page) == (expected, QUIZ_LENGTH)

    # Sent: the draft is gone, and the next quiz starts empty under a new key.
    page.goto(quiz_url)
    expect(page.get_by_text("Your unsent answers from before were put back.")).to_have_count(0)
    assert page.locator("input[name=submission_key]").input_value() != key
    assert page.locator("input[type=radio]:checked").count() == 0
    assert problems.seen == [], (problems.seen, page.url)
