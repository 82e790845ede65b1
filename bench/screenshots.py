"""Regenerate the README screenshots (docs/screenshots/*.png) with Debian's Chromium.

    .venv/bin/python bench/screenshots.py [--out docs/screenshots]

Starts the production server (`python -m quizapp serve`) on a free port with a throwaway
instance folder (so the database holds only the shipped seed bank), takes the seed quiz as a
guest and saves the quiz page (some answers filled) and the result page, in light and dark mode,
1000 px wide and at most 1400 px tall.
"""

from __future__ import annotations

import argparse
import json
import re
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
WIDTH, MAX_HEIGHT = 1000, 1400
ANSWERED_ON_QUIZ_SHOT = 3  # questions filled in on the quiz screenshot


def answer(fieldset, bank: dict[str, dict], number: int) -> None:
    """A realistic mix: the right answer for most questions, a wrong one for every third."""
    prompt = " ".join(fieldset.locator(".question__prompt").text_content().split())
    question = bank[prompt]
    right = number % 3 != 0
    radios = fieldset.locator("input[type=radio]")
    if radios.count():
        values = [radios.nth(i).get_attribute("value") for i in range(radios.count())]
        wanted = question["answer"] if right else next(v for v in values if v != question["answer"])
        radios.nth(values.index(wanted)).check()
    elif question["format"] == "numeric":
        value = question["numeric"]["value"]
        fieldset.locator("input").fill(f"{value:g}" if right else f"{value + 3:g}")
    else:
        fieldset.locator("input").fill(question["answer"] if right else "I am not sure")


def shoot(page, path: Path) -> None:
    """The top of the page as a reader first sees it (scrolled to the top, so the sticky
    progress bar sits in its place)."""
    page.evaluate("() => window.scrollTo({top: 0, left: 0, behavior: 'instant'})")
    height = min(MAX_HEIGHT, page.evaluate("() => document.documentElement.scrollHeight"))
    page.screenshot(
        path=str(path),
        clip={"x": 0, "y": 0, "width": WIDTH, "height": height},
        animations="disabled",
        caret="hide",
    )
    print(f"{path} ({path.stat().st_size // 1024} KB)")


def take(browser, url: str, out: Path, scheme: str) -> None:
    bank = {
        " ".join(q["prompt"].split()): q
        for q in json.loads(SEED_BANK.read_text(encoding="utf-8"))["questions"]
    }
    suffix = "" if scheme == "light" else f"-{scheme}"
    context = browser.new_context(
        base_url=url,
        viewport={"width": WIDTH, "height": MAX_HEIGHT},
        device_scale_factor=1,
        color_scheme=scheme,
        reduced_motion="reduce",
    )
    try:
        page = context.new_page()
        page.goto("/")
        page.get_by_role("link", name=re.compile(r"^Both Azerbaijan")).click()
        page.get_by_role("link", name="Take the quiz").click()
        page.get_by_label("Display name").fill("Sam")
        fieldsets = page.locator("fieldset.question").all()
        for number, fieldset in enumerate(fieldsets[:ANSWERED_ON_QUIZ_SHOT], start=1):
            answer(fieldset, bank, number)
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        shoot(page, out / f"quiz{suffix}.png")

        for number, fieldset in enumerate(fieldsets, start=1):
            if number > ANSWERED_ON_QUIZ_SHOT:
                answer(fieldset, bank, number)
        page.get_by_role("button", name="Submit answers").click()
        expect(page.locator("[data-score]")).to_be_visible()
        shoot(page, out / f"result{suffix}.png")
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_DIR / "docs" / "screenshots")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="quizapp-shots-") as instance:
        try:
            proc, url = start_server(Path(instance))
        except RuntimeError as exc:
            sys.exit(str(exc))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                try:
                    for scheme in ("light", "dark"):
                        take(browser, url, args.out, scheme)
                finally:
                    browser.close()
        finally:
            stop_server(proc)


if __name__ == "__main__":
    main()
