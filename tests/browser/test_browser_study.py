"""Real-browser flashcards: the production server (`quizapp serve`) driven by Chromium.

As in test_browser.py: a fresh instance folder (migrations, then the shipped seed bank),
Debian's Chromium through Playwright, skipped without that browser. The study session is driven
by the keyboard alone: Space shows the answer, 1–4 rate.
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import pytest
from helpers import SEED_BANK, seed_bank, seed_quiz_length, seed_title_pattern
from live_server import CHROMIUM, CSP_LISTENER, Problems

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

SEED_TITLE = seed_title_pattern()
QUIZ_LENGTH = seed_quiz_length()  # every answer left blank: each comes back as a card
NEW_PER_DAY = 20
# After the quiz: its questions are due cards, the set's others new cards (up to the day's limit).
NEW_AFTER_QUIZ = min(NEW_PER_DAY, len(seed_bank()["questions"]) - QUIZ_LENGTH)

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
)

ANSWERS = {
    " ".join(q["prompt"].split()): q["answer"]
    for q in json.loads(SEED_BANK.read_text(encoding="utf-8"))["questions"]
}


@pytest.fixture(scope="module")
def server(live_server) -> str:
    return live_server.url


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


def _context(browser, server, **options):
    context = browser.new_context(
        base_url=server, viewport={"width": 1000, "height": 900}, **options
    )
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_LISTENER)
    return context


@pytest.fixture
def page(browser, server):
    context = _context(browser, server)
    try:
        yield context.new_page()
    finally:
        context.close()


def register(page) -> None:
    page.goto("/register")
    page.get_by_label("Your name").fill("Flash Card")
    page.get_by_label("Email").fill(f"flash-{secrets.token_hex(4)}@example.com")
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_label("Repeat the password").fill("correct horse battery")
    page.get_by_role("button", name="Create account").click()
    # Then the sign-in page, the email filled in (registering never signs in by itself).
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Flashcards")).to_be_visible()


def open_seed_set(page) -> None:
    page.goto("/")
    page.get_by_role("link", name=SEED_TITLE).click()
    expect(page).to_have_url(re.compile(r"/sets/\d+$"))


def take_the_quiz(page) -> None:
    """From the set page, every answer blank. The seed set's flashcards open after a first
    attempt (the default study access): until then its page says so and has no link."""
    expect(page.get_by_text("Take the quiz first;")).to_be_visible()
    expect(page.get_by_role("link", name="Study flashcards")).to_have_count(0)
    page.get_by_role("link", name="Take the quiz").click()
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("button", name=re.compile("^Submit with")).click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    open_seed_set(page)


def progress(page) -> tuple[int, int, int]:
    counts = page.locator("[data-study-progress]")
    return tuple(
        int(counts.locator(f"[data-count={name}]").text_content())
        for name in ("due", "new", "done")
    )


def prompt(page) -> str:
    return " ".join(page.locator("#flashcard-prompt").text_content().split())


def test_keyboard_only_study_session(page):
    problems = Problems(page)
    register(page)
    open_seed_set(page)
    take_the_quiz(page)
    link = page.get_by_role("link", name="Study flashcards")
    link.focus()
    with page.expect_navigation():  # waits for "load": study.js has run
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/study/sets/\d+$"))
    session_url = page.url
    assert progress(page) == (QUIZ_LENGTH, NEW_AFTER_QUIZ, 0)

    first = prompt(page)
    assert first in ANSWERS
    back = page.locator("#flashcard-back")
    expect(back).to_have_text("")  # the answer is not in the page before it is asked for
    page.keyboard.press(" ")
    expect(page.locator(".flashcard__answer")).to_have_text(ANSWERS[first])
    assert page.url == session_url, "Space shows the answer in place"
    assert page.evaluate("() => document.activeElement.id") == "flashcard-back"
    good = page.get_by_role("button", name=re.compile(r"^Good: next review in 10 minutes"))
    expect(good).to_contain_text("Good · 10m")
    expect(page.get_by_role("button", name=re.compile(r"^Again"))).to_contain_text("Again · 1m")

    with page.expect_navigation():
        page.keyboard.press("3")
    expect(page.locator(".flash--success")).to_have_text("Good: next review in 10 minutes.")
    assert page.url == session_url  # POST → redirect → GET, back on the session
    second = prompt(page)
    assert second != first and second in ANSWERS
    assert progress(page) == (QUIZ_LENGTH - 1, NEW_AFTER_QUIZ, 1)

    # Again: the second card. A key pressed twice still records one review.
    page.keyboard.press(" ")
    expect(page.locator(".flashcard__answer")).to_have_text(ANSWERS[second])
    with page.expect_navigation():
        page.keyboard.press("1")
        page.keyboard.press("1")
    expect(page.locator(".flash--success")).to_have_text("Again: next review in 1 minute.")
    assert progress(page) == (QUIZ_LENGTH - 2, NEW_AFTER_QUIZ, 2)
    assert prompt(page) not in (first, second)
    assert problems.seen == []


def test_study_works_without_javascript(browser, server):
    context = _context(browser, server, java_script_enabled=False)
    try:
        page = context.new_page()
        problems = Problems(page)
        register(page)
        open_seed_set(page)
        take_the_quiz(page)
        page.get_by_role("link", name="Study flashcards").click()
        first = prompt(page)
        page.get_by_role("link", name="Show answer").click()
        expect(page).to_have_url(re.compile(r"\?reveal=\d+$"))
        expect(page.locator(".flashcard__answer")).to_have_text(ANSWERS[first])
        page.get_by_role("button", name=re.compile(r"^Easy")).click()
        expect(page).to_have_url(re.compile(r"/study/sets/\d+$"))
        expect(page.locator(".flash--success")).to_contain_text("Easy: next review in")
        assert prompt(page) != first
        assert progress(page) == (QUIZ_LENGTH - 1, NEW_AFTER_QUIZ, 1)
        assert problems.seen == []
    finally:
        context.close()


def test_wrong_quiz_answers_come_back_as_flashcards(page):
    problems = Problems(page)
    register(page)
    open_seed_set(page)
    page.get_by_role("link", name="Take the quiz").click()
    page.get_by_role("button", name="Submit answers").click()  # every answer blank
    page.get_by_role("button", name=re.compile("^Submit with")).click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    page.get_by_role("link", name="Flashcards").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Review everything due").click()
    expect(page.locator("[data-count=due]")).to_have_text(str(QUIZ_LENGTH))
    expect(page.get_by_text("From your quiz")).to_be_visible()
    page.keyboard.press(" ")
    expect(page.locator(".flashcard__answer")).to_have_text(ANSWERS[prompt(page)])
    with page.expect_navigation():
        page.keyboard.press("4")
    expect(page.locator("[data-count=due]")).to_have_text(str(QUIZ_LENGTH - 1))
    page.get_by_role("link", name="Statistics").last.click()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(page.get_by_text(f"You have {QUIZ_LENGTH} flashcards")).to_be_visible()
    assert problems.seen == []
