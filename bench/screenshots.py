"""Regenerate the README screenshots (docs/screenshots/*.png) with Debian's Chromium.

    .venv/bin/python bench/screenshots.py [--out docs/screenshots]

Starts the production server (`python -m quizapp serve`) on a free port with a throwaway
instance folder (so the database holds only the shipped seed bank), then saves, each in light
(`<name>.png`) and dark mode (`<name>-dark.png`), 1000 px wide and at most 1400 px tall:

- quiz, result: a guest takes the seed quiz (some answers filled, then the result page);
- teacher-review: a teacher ("Ms Rivera", made with `quizapp users create`) builds a set from
  the seed article (shared/seed/000_6624782c086abe22.txt) and publishes it; the review page with
  the share box and the first question's "Source in the article" opened;
- teacher-stats: the set's "Class results" after 8 guests joined by its code and answered a
  seeded mix (stronger students get more right; right answers from the set's JSON export);
- flashcards: a registered student who took the seed quiz (every third answer wrong) studies
  the seed set's flashcards, answer shown (Space).

The data is made once; each mode then opens the pages in its own browser context.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from live_server import (  # noqa: E402 - after the path it comes from
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO_DIR,
    start_server,
    stop_server,
)

SEED_BANK = REPO_DIR / "question_banks" / "000_6624782c086abe22.json"
SEED_ARTICLE = REPO_DIR.parent / "shared" / "seed" / "000_6624782c086abe22.txt"
# the seed set's links by the first words of its title, read from the bank
SEED_WORDS = " ".join(json.loads(SEED_BANK.read_text(encoding="utf-8"))["title"].split()[:3])
SEED_TITLE = re.compile("^" + re.escape(SEED_WORDS))
WIDTH, MAX_HEIGHT = 1000, 1400
SHORT_VIEWPORT = 600  # px: smaller than any page, to measure a page's own height
ANSWERED_ON_QUIZ_SHOT = 3  # questions filled in on the quiz screenshot
TEACHER = ("rivera@example.com", "Ms Rivera", "a long teacher password")
STUDENT = ("flash@example.com", "Flash Card", "correct horse battery")
SET_TITLE = "Talks on Nagorno-Karabakh"
# Guests who take the teacher's set, with how likely each is to get an average question right.
CLASS = {
    "Amira": 0.92, "Ben": 0.85, "Chloé": 0.78, "Dev": 0.7,
    "Elif": 0.62, "Femi": 0.55, "Gus": 0.45, "Hana": 0.35,
}  # fmt: skip
TIMEOUT = 30_000  # ms: generating the questions of a long article on a busy machine


def norm(text: str) -> str:
    return " ".join(text.split())


def load_bank(text: str) -> dict[str, dict]:
    """Bank JSON (contracts §2) → its questions by whitespace-normalised prompt."""
    return {norm(q["prompt"]): q for q in json.loads(text)["questions"]}


def fill(fieldset, question: dict, right: bool, wrong_text: str, wrong_pick: int = 0) -> None:
    """Answer one quiz question: the right answer, or a plausible wrong one (`wrong_text` in a
    text box, the `wrong_pick`-th wrong option, modulo their number, of a multiple choice)."""
    radios = fieldset.locator("input[type=radio]")
    if radios.count():
        values = [radios.nth(i).get_attribute("value") for i in range(radios.count())]
        wrong = [v for v in values if v != question["answer"]]
        wanted = question["answer"] if right else wrong[wrong_pick % len(wrong)]
        radios.nth(values.index(wanted)).check()
    elif question["format"] == "numeric":
        value = question["numeric"]["value"]
        fieldset.locator("input").fill(f"{value:g}" if right else f"{value + 3:g}")
    else:
        fieldset.locator("input").fill(question["answer"] if right else wrong_text)


def answer(fieldset, bank: dict[str, dict], number: int) -> None:
    """A realistic mix: the right answer for most questions, a wrong one for every third."""
    question = bank[norm(fieldset.locator(".question__prompt").text_content())]
    fill(fieldset, question, number % 3 != 0, "I am not sure")


def shoot(page, path: Path) -> None:
    """The top of the page as a reader first sees it (scrolled to the top, so the sticky
    progress bar sits in its place)."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    # A short viewport first, so a short page's height is its content's (the footer sits at
    # the bottom of a full-height viewport), then one as tall as the shot.
    page.set_viewport_size({"width": WIDTH, "height": SHORT_VIEWPORT})
    height = min(MAX_HEIGHT, page.evaluate("() => document.documentElement.scrollHeight"))
    page.set_viewport_size({"width": WIDTH, "height": height})
    page.evaluate("() => window.scrollTo({top: 0, left: 0, behavior: 'instant'})")
    page.screenshot(
        path=str(path),
        clip={"x": 0, "y": 0, "width": WIDTH, "height": height},
        animations="disabled",
        caret="hide",
    )
    print(f"{path} ({path.stat().st_size // 1024} KB)")


def new_context(browser, url: str, scheme: str = "light", state: dict | None = None):
    context = browser.new_context(
        base_url=url,
        viewport={"width": WIDTH, "height": MAX_HEIGHT},
        device_scale_factor=1,
        color_scheme=scheme,
        reduced_motion="reduce",
        storage_state=state,
    )
    context.set_default_timeout(TIMEOUT)
    return context


def create_teacher(instance: Path) -> None:
    """The teacher account, through the CLI (contracts §4) on the server's database."""
    email, name, password = TEACHER
    env = {**os.environ, "QUIZAPP_INSTANCE": str(instance)}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "quizapp", "users", "create", "--email", email,
               "--role", "teacher", "--name", name, "--password", password]  # fmt: skip
    done = subprocess.run(command, cwd=REPO_DIR, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"quizapp users create failed:\n{done.stdout}{done.stderr}")


def build_set(browser, url: str) -> tuple[dict, int, str, dict[str, dict]]:
    """Sign in as the teacher, generate a set from the seed article and publish it.
    Returns the teacher's storage state, the set id, its join code and its questions."""
    context = new_context(browser, url)
    try:
        page = context.new_page()
        page.goto("/login")
        page.fill("#email", TEACHER[0])
        page.fill("#password", TEACHER[2])
        page.click("button[type=submit]")
        page.get_by_role("link", name="My sets").click()
        page.get_by_role("link", name="New set from an article").click()
        page.fill("#title", SET_TITLE)
        page.fill("#text", SEED_ARTICLE.read_text(encoding="utf-8"))
        page.get_by_role("button", name="Generate questions").click()
        generated = page.get_by_text(re.compile(r"\d+ questions generated"))
        expect(generated).to_be_visible(timeout=TIMEOUT)
        set_id = int(re.search(r"/teach/sets/(\d+)", page.url).group(1))
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(page.locator(".pill--published")).to_have_text("Published")
        code = page.locator(".join-code").text_content().strip()
        export = context.request.get(f"/teach/sets/{set_id}/export/json")
        if not export.ok:
            sys.exit(f"the JSON export answered {export.status}")
        return context.storage_state(), set_id, code, load_bank(export.text())
    finally:
        context.close()


def take_class_quiz(browser, url: str, code: str, bank: dict[str, dict]) -> None:
    """Each guest in CLASS joins by the code and answers every question: right with a
    probability from their strength and the question's (seeded) difficulty."""
    rng = random.Random(20240921)
    difficulty = {prompt: rng.gauss(0.0, 1.0) for prompt in sorted(bank)}
    for name, strength in CLASS.items():
        context = new_context(browser, url)
        try:
            page = context.new_page()
            page.goto("/")
            page.fill("#join-code", code)
            page.get_by_role("button", name="Join").click()
            page.get_by_role("link", name="Take the quiz").click()
            page.get_by_label("Display name").fill(name)
            for fieldset in page.locator("fieldset.question").all():
                prompt = norm(fieldset.locator(".question__prompt").text_content())
                question = bank[prompt]
                logit = math.log(strength / (1 - strength)) - difficulty[prompt]
                right = rng.random() < 1 / (1 + math.exp(-logit))
                others = [
                    q["answer"]
                    for q in bank.values()
                    if q["format"] == question["format"] and q["answer"] != question["answer"]
                ]
                wrong_text = rng.choice(others) if others else "I am not sure"
                fill(fieldset, question, right, wrong_text, rng.randrange(3))
            page.get_by_role("button", name="Submit answers").click()
            expect(page.locator("[data-score]")).to_be_visible()
        finally:
            context.close()


def register_student(browser, url: str) -> dict:
    """A student account that took the seed quiz with every third answer wrong (so those
    questions are due as flashcards). Returns its storage state."""
    email, name, password = STUDENT
    bank = load_bank(SEED_BANK.read_text(encoding="utf-8"))
    context = new_context(browser, url)
    try:
        page = context.new_page()
        page.goto("/register")
        page.get_by_label("Your name").fill(name)
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_label("Repeat the password").fill(password)
        page.get_by_role("button", name="Create account").click()
        page.get_by_label("Password", exact=True).fill(password)  # then sign in
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("link", name="Flashcards")).to_be_visible()
        page.goto("/")
        page.get_by_role("link", name=SEED_TITLE).click()
        page.get_by_role("link", name="Take the quiz").click()
        for number, fieldset in enumerate(page.locator("fieldset.question").all(), start=1):
            answer(fieldset, bank, number)
        page.get_by_role("button", name="Submit answers").click()
        expect(page.locator("[data-score]")).to_be_visible()
        return context.storage_state()
    finally:
        context.close()


def shoot_quiz(browser, url: str, out: Path, suffix: str, scheme: str) -> None:
    """quiz and result: a guest takes the seed quiz."""
    bank = load_bank(SEED_BANK.read_text(encoding="utf-8"))
    context = new_context(browser, url, scheme)
    try:
        page = context.new_page()
        page.goto("/")
        page.get_by_role("link", name=SEED_TITLE).click()
        page.get_by_role("link", name="Take the quiz").click()
        page.get_by_label("Display name").fill("Sam")
        fieldsets = page.locator("fieldset.question").all()
        for number, fieldset in enumerate(fieldsets[:ANSWERED_ON_QUIZ_SHOT], start=1):
            answer(fieldset, bank, number)
        shoot(page, out / f"quiz{suffix}.png")

        for number, fieldset in enumerate(fieldsets, start=1):
            if number > ANSWERED_ON_QUIZ_SHOT:
                answer(fieldset, bank, number)
        page.get_by_role("button", name="Submit answers").click()
        expect(page.locator("[data-score]")).to_be_visible()
        shoot(page, out / f"result{suffix}.png")
    finally:
        context.close()


def shoot_teacher(browser, url, out, suffix, scheme, teacher: dict, set_id: int) -> None:
    """teacher-review (share box, first source opened) and teacher-stats."""
    context = new_context(browser, url, scheme, teacher)
    try:
        page = context.new_page()
        page.goto(f"/teach/sets/{set_id}")
        expect(page.locator(".share .join-code")).to_be_visible()
        source = page.locator("details.in-article").first
        source.locator("summary").click()
        expect(source.locator("mark")).to_be_visible()
        shoot(page, out / f"teacher-review{suffix}.png")

        page.get_by_role("link", name="Class results").click()
        expect(page.get_by_text(re.compile(rf"^{len(CLASS)} attempts · mean"))).to_be_visible()
        expect(page.locator("figure.chart svg")).to_be_visible()
        shoot(page, out / f"teacher-stats{suffix}.png")
    finally:
        context.close()


def shoot_flashcards(browser, url, out, suffix, scheme, student: dict) -> None:
    """flashcards: the seed set's study session with the first card's answer shown."""
    context = new_context(browser, url, scheme, student)
    try:
        page = context.new_page()
        page.goto("/")
        page.get_by_role("link", name="Flashcards").click()
        with page.expect_navigation():  # waits for "load": study.js has run
            page.get_by_role("link", name=re.compile("^Study " + re.escape(SEED_WORDS))).click()
        expect(page.locator("#flashcard-prompt")).to_be_visible()
        page.keyboard.press(" ")
        expect(page.locator(".flashcard__answer")).to_be_visible()
        shoot(page, out / f"flashcards{suffix}.png")
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_DIR / "docs" / "screenshots")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    if not SEED_ARTICLE.exists():
        sys.exit(f"needs the seed article at {SEED_ARTICLE}")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="quizapp-shots-") as instance:
        try:
            proc, url = start_server(Path(instance))
        except RuntimeError as exc:
            sys.exit(str(exc))
        try:
            create_teacher(Path(instance))
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                try:
                    teacher, set_id, code, bank = build_set(browser, url)
                    take_class_quiz(browser, url, code, bank)
                    student = register_student(browser, url)
                    for scheme in ("light", "dark"):
                        suffix = "" if scheme == "light" else f"-{scheme}"
                        shoot_quiz(browser, url, args.out, suffix, scheme)
                        shoot_teacher(browser, url, args.out, suffix, scheme, teacher, set_id)
                        shoot_flashcards(browser, url, args.out, suffix, scheme, student)
                finally:
                    browser.close()
        finally:
            stop_server(proc)


if __name__ == "__main__":
    main()
