"""A teacher's day in a real browser against the production server: build a set from a pasted
article, edit a question, publish it; a student joins with the code and takes the quiz; the
teacher reads the class results. No console errors, no CSP violations, a basic accessibility
audit on every teacher page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from live_server import (
    A11Y_AUDIT,
    CHROMIUM,
    CSP_LISTENER,
    create_account,
)

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
)

EMAIL, PASSWORD = "teacher@example.com", "a long teacher password"
ARTICLE = (
    "The festival in Zanthorpe was opened by Mayor Quintessa Vorbeck on Saturday.\n\n"
    "About 4,500 visitors came to the harbour, organisers from the Glimmerstone Trust said. "
    "The Glimmerstone Trust paid for the fireworks, which cost 12,000 euros.\n\n"
    "Vorbeck said that the festival would return in 2025. Last year it was held in Kelmore, "
    "where 3,000 people attended.\n"
)


@pytest.fixture(scope="module")
def server(live_server) -> str:
    """The server, with a teacher account made by the command line on its database."""
    create_account(live_server.env, EMAIL, PASSWORD, "teacher", "Ms Teacher")
    return live_server.url


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


def _context(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 1000, "height": 900})
    context.set_default_timeout(15_000)
    context.add_init_script(CSP_LISTENER)
    return context


def _watch(page, seen: list[str]) -> None:
    page.on("console", lambda m: seen.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.append(f"page error: {e}"))


def test_build_publish_join_and_read_the_results(browser, server):
    seen: list[str] = []
    audits: dict[str, list[str]] = {}
    teacher = _context(browser, server)
    page = teacher.new_page()
    _watch(page, seen)

    def audit(name: str) -> None:
        found = page.evaluate(A11Y_AUDIT)
        if found:
            audits[name] = found

    page.goto("/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("link", name="My sets").click()
    expect(page.get_by_text("No sets yet")).to_be_visible()
    audit("dashboard")

    page.get_by_role("link", name="New set from an article").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New set from an article")
    audit("new set")
    page.fill("#title", "Harbour festival")
    page.fill("#text", ARTICLE)
    page.get_by_role("button", name="Generate questions").click()
    # the progress page (a job for the worker) goes on to the set when it is made
    expect(page.get_by_text(re.compile(r"\d+ questions generated"))).to_be_visible(timeout=60_000)
    expect(page.locator(".pill--draft")).to_have_text("Draft")
    audit("review")
    count = page.locator(".review-item").count()
    assert count >= 4

    # edit the first question's prompt: a new version
    page.locator(".review-item").first.get_by_role("link", name=re.compile("^Edit")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the question")
    audit("edit question")
    prompt = page.locator("#prompt")
    prompt.fill(prompt.input_value().rstrip("?") + " (edited)?")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_text("Saved as a new version.")).to_be_visible()
    expect(page.locator(".review-item").first).to_contain_text("(edited)")
    expect(page.locator(".review-item").first).to_contain_text("version 2")

    # disable the last question that is on (the generator's alternates come after, off),
    # then publish
    items = page.locator(".review-item")
    last_on = max(
        n
        for n in range(items.count())
        if items.nth(n).get_by_role("button", name=re.compile("^Disable")).count()
    )
    items.nth(last_on).get_by_role("button", name=re.compile("^Disable")).click()
    expect(page.locator(".review-item").nth(last_on)).to_contain_text("Disabled")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".pill--published")).to_have_text("Published")
    code = page.locator(".join-code").text_content().strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code)

    # a student joins with the code, as a guest, and takes the quiz
    student_context = _context(browser, server)
    student = student_context.new_page()
    _watch(student, seen)
    student.goto("/")
    student.fill("#join-code", code.lower())
    student.get_by_role("button", name="Join").click()
    expect(student.get_by_role("heading", level=1)).to_have_text("Harbour festival")
    student.get_by_role("link", name="Take the quiz").click()
    questions = student.locator("fieldset.question")
    # the disabled one is not asked, nor one whose prompt would give another's answer away
    assert 1 <= questions.count() <= count - 1
    student.fill("input[name=guest_name]", "Guest Student")
    for fieldset in questions.all():
        radios = fieldset.locator("input[type=radio]")
        if radios.count():
            radios.first.check()
        else:
            fieldset.locator("input:not([type=hidden])").first.fill("Vorbeck")
    student.get_by_role("button", name="Submit answers").click()
    expect(student).to_have_url(re.compile(r"/attempts/\d+$"))
    student_context.close()

    # the teacher reads the results
    page.get_by_role("link", name="Class results").click()
    expect(page.get_by_text(re.compile(r"^1 attempt · mean"))).to_be_visible()
    expect(page.locator("figure.chart svg")).to_be_visible()
    expect(page.get_by_role("link", name="Guest Student (guest)", exact=True)).to_be_visible()
    audit("class results")
    teacher.close()

    assert audits == {}
    assert seen == []
