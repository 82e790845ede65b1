"""Cross-site scripting in a real browser (reliability.md: "0 payloads executed in a real
browser"). Payloads are planted wherever user or article text reaches a page — a pasted article,
set titles, a source address, a hand-edited question, imported GIFT, CSV and JSON files (file
name, unknown CSV columns, source fields, a unit), display names of students and guests, typed
answers, the search box and the join code — then every page that shows them is opened in
Debian's Chromium against the production server, hovered, focused and clicked (flashcards).

A page fails when an element has an `on…` attribute, a `javascript:` link, a `srcdoc`, a script
that is not the app's own, an <img>, <iframe>, <object>, <embed>, <base> or a stray <svg>; when
a payload is not on the page as text (dropped, or turned into markup); on any dialog, CSP
violation or console error."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from live_server import CHROMIUM, CSP_LISTENER, Problems, create_account

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
)

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "</textarea><script>alert(1)</script>",
    "{{7*7}}",
    '<iframe srcdoc="<script>alert(1)</script>">',
    "' onmouseover='alert(1)",
    "[x](javascript:alert(1))",
    "&lt;script&gt;",
)
ALL = " ".join(PAYLOADS)  # 251 characters: fits a title, an answer, a choice


def _names(limit: int = 80) -> list[str]:
    """The payloads packed into display names of at most `limit` characters."""
    names = [""]
    for payload in PAYLOADS:
        joined = f"{names[-1]} {payload}".strip()
        names[-1:] = [joined] if len(joined) <= limit else [names[-1], payload]
    return names


NAMES = _names()  # 4 names that together hold every payload
TEACHER, PASSWORD = "teacher@example.com", "a long teacher password"
ARTICLE = "\n\n".join(
    [
        f"The festival in Zanthorpe was opened by Mayor {PAYLOADS[0]} Vorbeck on Saturday.",
        f"About 4,500 visitors came to Zanthorpe harbour, organisers from the {PAYLOADS[1]} Trust"
        " said."
        " The Glimmerstone Trust paid for the fireworks, which cost 12,000 euros.",
        f"The band {PAYLOADS[2]} played in Kelmore on Friday, where 3,000 people attended.",
        f"Organisers posted a programme at {PAYLOADS[3]} on Monday for 800 people.",
        f"The Dunmarch Choir {PAYLOADS[4]} sang in Dunmarch in 2023.",
        f"Mayor Quintessa Vorbeck hung a banner reading {PAYLOADS[5]} in Ashby on Sunday.",
        f"The artist {PAYLOADS[6]} painted 12 murals in Zanthorpe.",
        f"Mayor Quintessa Vorbeck said {PAYLOADS[7]} to 200 reporters in Kelmore.",
        f"The poster {PAYLOADS[8]} was printed 5,000 times by the Glimmerstone Trust.",
        f"The sign {PAYLOADS[9]} stood in Ashby, where 60 traders sold food in 2024.",
    ]
)
SENTENCES = ARTICLE.replace(" The Glimmerstone", "\n\nThe Glimmerstone").split("\n\n")

HOVER = ("main h1", ".question__prompt", "main mark", "main td", "label span", ".flashcard__answer")
# Fire what an injected handler would listen for, on every element.
POKE = """() => {
  for (const el of document.querySelectorAll("body *")) {
    el.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
    el.dispatchEvent(new FocusEvent("focus"));
  }
}"""
# Markup that only an injection makes (the templates have none of it), the page's text with
# every <details> open, the values of its form fields and its attributes that hold a payload.
SCAN = """() => {
  for (const d of document.querySelectorAll("details")) d.open = true;
  const bad = [], attrs = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      const n = a.name.toLowerCase();
      if (n.startsWith("on") || n === "srcdoc" || n === "formaction")
        bad.push(`${name(el)} has ${n}="${a.value.slice(0, 40)}"`);
      if (/^\\s*(javascript|vbscript|data):/i.test(a.value) &&
          ["href", "src", "action", "data", "xlink:href"].includes(n))
        bad.push(`${name(el)} ${n}=${a.value.slice(0, 40)}`);
      if (/alert|7\\*7|&lt;/.test(a.value)) attrs.push(a.value);
    }
    const src = tag === "script" && el.src ? new URL(el.src) : null;
    const own = src && src.origin === location.origin &&
      /^\\/static\\/js\\/\\w+\\.js$/.test(src.pathname);
    if (tag === "script" && !own) bad.push(`script element ${el.outerHTML.slice(0, 60)}`);
    if (["img", "iframe", "frame", "object", "embed", "base", "math", "video", "audio"]
        .includes(tag)) bad.push(`${tag} element ${el.outerHTML.slice(0, 60)}`);
    if (tag === "svg" && !el.closest("figure.chart")) bad.push(`svg ${el.outerHTML.slice(0, 60)}`);
    if (tag === "meta" && el.hasAttribute("http-equiv")) bad.push("meta http-equiv");
  }
  const values = [...document.querySelectorAll("input, textarea, select")].map((e) => e.value);
  return {bad, attrs, values, text: document.body.innerText};
}"""


class Audit:
    """Browser pages with their dialogs and console, and what each checked page showed."""

    def __init__(self, browser, server: str) -> None:
        self.browser, self.server = browser, server
        self.contexts: list = []
        self.watches: list[Problems] = []
        self.dialogs: list[str] = []
        self.expected_errors: list[str] = []
        self.findings: dict[str, list[str]] = {}
        self.pages: list[str] = []
        self.shown = 0  # payload × place checks made

    def page(self):
        context = self.browser.new_context(
            base_url=self.server, viewport={"width": 1000, "height": 900}
        )
        context.set_default_timeout(15_000)
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        self.contexts.append(context)
        self.watches.append(Problems(page))
        page.on("dialog", self._dialog)
        return page

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message} on {dialog.page.url}")
        dialog.dismiss()

    def check(self, page, name: str, texts=(), values=(), attrs=()) -> None:
        """Poke the page, scan it, and record what is wrong under `name`."""
        page.wait_for_load_state("load")
        page.evaluate(POKE)
        for selector in HOVER:  # the real pointer, over text that came from users
            el = page.locator(selector).first
            if el.count() and el.is_visible():
                el.hover(force=True)
        page.keyboard.press("Tab")
        found = page.evaluate(SCAN)
        wrong = list(found["bad"])
        wrong += [f"not shown as text: {t[:70]!r}" for t in texts if t not in found["text"]]
        wrong += [f"not a field's value: {v[:70]!r}" for v in values if v not in found["values"]]
        wrong += [
            f"not an attribute: {a[:70]!r}" for a in attrs if a not in " ".join(found["attrs"])
        ]
        self.shown += sum(p in t for t in (*texts, *values, *attrs) for p in PAYLOADS)
        self.pages.append(name)
        if wrong:
            self.findings[f"{name} ({page.url})"] = wrong

    def expect_error(self, path: str, status: int = 400) -> None:
        """The next request to `path` answers `status` on purpose (a form sent back with
        errors, an unknown join link)."""
        self.expected_errors.append(f"HTTP {status}: {self.server}{path}")


def _files() -> dict[str, bytes]:
    """A CSV (payloads in every text and as unknown column names), a GIFT file and a JSON bank
    (payloads in the source's title, address, date and licence and in a unit), and a JSON bank
    the importer must refuse, naming the payload in its message."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["prompt", "answer", "choices", "numeric_value", "numeric_unit",
                     "explanation", "source_sentence", *PAYLOADS])  # fmt: skip
    common = [f"E {ALL}", f"S {ALL}", *PAYLOADS]
    writer.writerow([f"1 {ALL}", f"A {ALL}", " | ".join(f"{c} {ALL}" for c in "ABCD"), "", "",
                     *common])  # fmt: skip
    writer.writerow([f"2 {ALL}", f"A {ALL}", "", "", "", *common])
    writer.writerow([f"3 {ALL}", "4500", "", "4500", ALL, *common])

    def gift(text: str) -> str:
        return re.sub(r"([\\~=#{}:])", r"\\\1", text)

    gift_text = (
        f"// from Moodle\n::Q1::[plain]Who wrote {gift(ALL)}?{{\n  ={gift('A ' + ALL)}\n"
        + "".join(f"  ~{gift(c + ' ' + ALL)}\n" for c in "BCD")
        + f"  ####{gift('E ' + ALL)}\n}}\n\n::Q2::Name {gift(ALL)}{{={gift('A ' + ALL)}}}\n"
    )
    question = {"id": "q-json000001", "category": "how_many", "format": "numeric",
                "prompt": f"How many? {ALL}", "answer": "12", "accepted_answers": [],
                "choices": None, "numeric": {"value": 12, "tolerance": 0, "unit": ALL},
                "explanation": f"E {ALL}", "source_sentence": f"S {ALL}",
                "source_span": [0, 0], "score": 0.5}  # fmt: skip
    bank = {"format": "quizapp-bank", "version": 1, "title": f"JSON {ALL}",
            "source": {"title": f"Source {ALL}", "url": PAYLOADS[3], "published": PAYLOADS[1],
                       "licence": " ".join(PAYLOADS[:7]), "sha256": "cd" * 32},
            "generator": {"name": "hand"}, "questions": [question]}  # fmt: skip
    bad = {**bank, "questions": [{**question, "category": PAYLOADS[0], "format": PAYLOADS[2]}]}
    return {
        "csv": out.getvalue().encode(),
        "gift": gift_text.encode(),
        "json": json.dumps(bank).encode(),
        "bad": json.dumps(bad).encode(),
    }


@pytest.fixture(scope="module")
def server(live_server) -> str:
    create_account(live_server.env, TEACHER, PASSWORD, "teacher", NAMES[0])
    return live_server.url


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


def _set_id(page) -> int:
    return int(re.search(r"/teach/sets/(\d+)", page.url).group(1))


def _publish(page) -> str:
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".pill--published")).to_have_text("Published")
    return page.locator(".join-code").text_content().strip()


def _import(page, name: str, data: bytes, title: str = "") -> None:
    page.goto("/teach/import")
    page.set_input_files("#upload", {"name": name, "mimeType": "text/plain", "buffer": data})
    page.fill("#title", title)
    page.get_by_role("button", name="Import", exact=True).click()


def teacher_builds(audit: Audit) -> dict:
    """Sets from a pasted article (one question hand-edited) and from imported files."""
    page = audit.page()
    page.goto("/login")
    page.fill("#email", TEACHER)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    audit.check(page, "home, signed-in flash", texts=[f"Signed in as {NAMES[0]}."])

    page.goto("/teach/sets/new")
    page.fill("#title", f"Article {ALL}")
    page.fill("#text", ARTICLE)
    page.fill("#source_url", PAYLOADS[3])
    audit.expect_error("/teach/sets/new")
    page.get_by_role("button", name="Generate questions").click()
    expect(page.locator(".field-error")).to_contain_text("must be a web address")
    audit.check(page, "new set form sent back", values=[f"Article {ALL}", ARTICLE, PAYLOADS[3]])
    page.fill("#source_url", f"https://example.org/{PAYLOADS[1]}{PAYLOADS[0]}")
    page.get_by_role("button", name="Generate questions").click()
    # the progress page (a job for the worker) goes on to the set when it is made
    expect(page.get_by_text(re.compile(r"\d+ questions generated"))).to_be_visible(timeout=60_000)
    audit.check(page, "review (article)", texts=[f"Article {ALL}", *SENTENCES])
    article = _set_id(page)
    prompts = page.locator(".question__prompt").all_inner_texts()
    carried = [p for p in PAYLOADS if any(p in prompt for prompt in prompts)]
    assert len(carried) >= 5, carried  # the generated questions themselves carry payloads

    edited = {"prompt": f"Which one? {ALL}", "answer": f"A {ALL}",
              "accepted": "\n".join(PAYLOADS), "wrong_options": f"B {ALL}\nC {ALL}\nD {ALL}",
              "explanation": f"E {ALL}", "source_sentence": f"S {ALL}"}  # fmt: skip
    page.locator(".review-item").first.get_by_role("link", name=re.compile("^Edit")).click()
    audit.check(page, "edit form (generated question)", texts=[f"Article {ALL}"])
    page.select_option("#format", "multiple_choice")
    for field, value in edited.items():
        page.fill(f"#{field}", value)
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_text("Saved as a new version.")).to_be_visible()
    wrong = f"B {ALL} · C {ALL} · D {ALL}"
    audit.check(page, "review (edited question)", texts=[
        edited["prompt"], edited["answer"], wrong, edited["source_sentence"], ", ".join(PAYLOADS)
    ])  # fmt: skip
    page.locator(".review-item").first.get_by_role("link", name=re.compile("^Edit")).click()
    audit.check(page, "edit form (hand-edited)", values=list(edited.values()))
    page.get_by_role("link", name="Cancel").click()
    code = _publish(page)

    files = _files()
    _import(page, "questions.csv", files["csv"], title=f"CSV {ALL}")
    expect(page.get_by_text("3 questions imported as a draft")).to_be_visible()
    notes = [f"Note: line 1: column {p!r} is not a quizapp column; ignored" for p in PAYLOADS]
    audit.check(page, "import report and review (CSV)", texts=[f"CSV {ALL}", *notes,
                f"1 {ALL}", f"A {ALL}", f"S {ALL}"])  # fmt: skip
    flashcards = _set_id(page)
    _publish(page)
    # a study aid: students may study its flashcards before taking it (the default: after)
    page.get_by_text("Who may study it").click()
    page.select_option("#study_access", "study_aid")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    gift_name = f"{PAYLOADS[2]} {PAYLOADS[5]} {PAYLOADS[9]} {PAYLOADS[7]}"  # no / or " in a name
    _import(page, f"{gift_name}.gift", files["gift"])
    expect(page.get_by_text("2 questions imported as a draft")).to_be_visible()
    audit.check(page, "import report and review (GIFT, named by its file)",
                texts=[gift_name, f"Who wrote {ALL}?", f"A {ALL}", f"D {ALL}"])  # fmt: skip
    _import(page, "bank.json", files["json"])
    expect(page.get_by_text("1 question imported as a draft")).to_be_visible()
    audit.check(page, "review (JSON bank)", texts=[f"JSON {ALL}", f"How many? {ALL}", f"({ALL})"])
    bank = _set_id(page)
    _publish(page)
    audit.expect_error("/teach/import")
    _import(page, "broken.json", files["bad"])
    expect(page.locator(".field-error")).to_contain_text("is not one of")
    audit.check(page, "import refused", texts=[repr(PAYLOADS[0]), repr(PAYLOADS[2])])
    page.goto("/teach/")
    audit.check(page, "dashboard", texts=[f"Article {ALL}", f"CSV {ALL}", gift_name])
    return {"page": page, "article": article, "code": code, "flashcards": flashcards,
            "bank": bank}  # fmt: skip


def _answer_all(page, typed: str, radios: bool = True) -> None:
    """Type `typed` into every text box of the quiz; tick the first choice when `radios`."""
    # `all()` does not wait: on a loaded machine the click that opens the quiz may not have
    # landed yet, and the answers would go nowhere (CI saw an empty submission sent back)
    expect(page.locator("fieldset.question").first).to_be_visible()
    for fieldset in page.locator("fieldset.question").all():
        choices = fieldset.locator("input[type=radio]")
        if choices.count():
            if radios:
                choices.first.check()
        else:
            fieldset.locator("input:not([type=hidden])").first.fill(typed)


def take_quiz(audit: Audit, built: dict, name: str, *, guest: bool, first: bool = False):
    """Register (or stay a guest) with the display name `name`, join with the code, answer
    every text question with every payload; returns the result page."""
    page = audit.page()
    kind = "guest" if guest else "student"
    if not guest:
        page.goto("/register")
        page.get_by_label("Your name").fill(name)
        page.get_by_label("Email").fill(f"s{NAMES.index(name)}@example.com")
        audit.expect_error("/register")  # the passwords differ: the form comes back
        for repeat in ("not the same", PASSWORD):
            page.get_by_label("Password", exact=True).fill(PASSWORD)
            page.get_by_label("Repeat the password").fill(repeat)
            page.get_by_role("button", name="Create account").click()
            if repeat != PASSWORD:
                expect(page.get_by_text("The passwords differ.")).to_be_visible()
                audit.check(page, "register form sent back", values=[name])
        # Registering leads to the sign-in page (it never says whether the email was taken).
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        audit.check(
            page, "home, signed-in flash", texts=[f"Signed in as {name}.", f"Article {ALL}"]
        )
    page.goto("/")
    page.fill("#join-code", built["code"])
    page.get_by_role("button", name="Join").click()
    if first:
        audit.check(page, f"set page ({kind})", texts=[f"Article {ALL}", *SENTENCES])
    page.get_by_role("link", name="Take the quiz").click()
    if guest:
        page.fill("input[name=guest_name]", name)
    if first:
        edited = [f"{c} {ALL}" for c in "ABCD"]
        audit.check(page, f"quiz ({kind})", texts=[f"Which one? {ALL}", *edited], values=edited)
    _answer_all(page, ALL, radios=not (guest and first))
    if guest and first:  # sent back for the unanswered questions, with what was typed
        page.get_by_role("button", name="Submit answers").click()
        expect(page.get_by_text(re.compile(r"You left \d+ question"))).to_be_visible()
        audit.check(page, "quiz sent back (guest)", values=[name, ALL])
        page.locator("#confirm-blank").click()
    else:
        page.get_by_role("button", name="Submit answers").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    audit.check(page, f"result ({kind})", texts=[name, f"Your answer: {ALL}", f"Article {ALL}"])
    return page


def student_practises_and_studies(audit: Audit, built: dict, page) -> None:
    """From the result page: practice, history, then the flashcards of the CSV set."""
    page.get_by_role("button", name="Practise them one by one").click()
    finished = False
    for n in range(3):
        expect(page).to_have_url(re.compile(r"/practice/\d+$"))
        audit.check(page, f"practice question {n + 1}", texts=[f"Practice: Article {ALL}"])
        choices = page.locator("fieldset.question input[type=radio]")
        typed = not choices.count()
        if typed:
            page.locator("fieldset.question input:not([type=hidden])").first.fill(ALL)
        else:
            choices.first.check()
        page.get_by_role("button", name="Check", exact=True).click()
        audit.check(page, f"practice feedback {n + 1}", texts=[f"Your answer: {ALL}"] * typed)
        following = page.get_by_role("link", name="Next question")
        if not following.count():
            finished = True  # fewer missed questions than three: the session is over
            break
        following.click()
    page.goto("/history")
    texts = [f"Article {ALL}"] + [f"Continue practising Article {ALL}"] * (not finished)
    audit.check(page, "history", texts=texts)

    page.goto(f"/sets/{built['flashcards']}")
    page.get_by_role("link", name="Study flashcards").click()
    back = [f"E {ALL}", f"S {ALL}"]  # every card's; the answers differ
    audit.check(page, "flashcard front", texts=[f"CSV {ALL}", ALL])
    page.locator("#reveal").click()  # study.js: the back fetched and put in place
    expect(page.locator(".flashcard__answer")).to_be_visible()
    audit.check(page, "flashcard back (shown in place)", texts=back)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Good")).click()
    page.keyboard.press(" ")
    expect(page.locator(".flashcard__answer")).to_be_visible()
    audit.check(page, "flashcard back (Space)", texts=back)
    with page.expect_navigation():
        page.keyboard.press("3")
    question = page.locator("#flashcard").get_attribute("data-question-id")
    page.goto(f"/study/sets/{built['flashcards']}?reveal={question}")  # without study.js
    audit.check(page, "flashcard back (?reveal=)", texts=back)
    page.get_by_role("button", name=re.compile("^Easy")).click()
    audit.check(page, "flashcards after the last card", texts=[f"CSV {ALL}"])
    for path, texts in [("/study/", [f"CSV {ALL}"]), ("/study/review", []), ("/study/stats", [])]:
        page.goto(path)
        audit.check(page, f"flashcards {path}", texts=texts)


def teacher_reads_results(audit: Audit, built: dict) -> None:
    """Class results (answers given, names), each student's page, a guest's answers; the
    downloads are attachments the browser never renders."""
    page = built["page"]
    page.goto(f"/teach/sets/{built['article']}/stats")
    audit.check(page, "class results", texts=[f"Article {ALL}", ALL, *NAMES])
    table = page.locator("section[aria-labelledby=students-heading]")
    students = [a.get_attribute("href") for a in table.locator("a[href*='/students/']").all()]
    guests = [a.get_attribute("href") for a in table.locator("a[href^='/attempts/']").all()]
    assert len(students) == len(guests) == len(NAMES)
    shown = set()
    for n, href in enumerate(students, 1):
        page.goto(href)
        shown.add(page.locator("h1").text_content())
        audit.check(page, f"per-student page {n}", texts=[ALL, f"Article {ALL}"])
    assert shown == set(NAMES)
    page.goto(guests[0])
    audit.check(page, "a guest's result, read by the teacher", texts=[ALL])
    page.goto("/teach/")
    audit.check(page, "dashboard with attempts", texts=[f"Article {ALL}"])
    sid = built["article"]
    for path in [f"/teach/sets/{sid}/results.csv", f"/teach/sets/{sid}/export/gift",
                 f"/teach/sets/{sid}/export/json", f"/teach/sets/{sid}/export/csv",
                 f"/sets/{built['flashcards']}/anki.apkg"]:  # fmt: skip
        response = page.request.get(path)
        headers = response.headers
        assert response.ok and "attachment" in headers["content-disposition"], path
        assert "html" not in headers["content-type"], path
        assert headers["x-content-type-options"] == "nosniff", path


def anyone_searches_and_joins(audit: Audit, built: dict) -> None:
    """The search box and the join code with each payload, then the JSON set (its source
    fields and the unit of its question)."""
    page = audit.page()
    page.goto("/")
    page.fill("#q", PAYLOADS[1])
    page.get_by_role("button", name="Search").click()
    audit.check(page, "search typed", texts=[f"“{PAYLOADS[1]}”", f"Article {ALL}"],
                values=[PAYLOADS[1]])  # fmt: skip
    for payload in PAYLOADS:
        page.goto(f"/?q={quote(payload)}")
        audit.check(page, f"search {payload}", texts=[f"“{payload}”", f"Article {ALL}"],
                    values=[payload])  # fmt: skip
        page.goto(f"/join?code={quote(payload)}")
        audit.check(page, f"join code {payload}", texts=["No open quiz has that code."])
    link = f"/j/{quote(PAYLOADS[1], safe='')}"
    audit.expect_error(link, 404)
    page.goto(link)
    audit.check(page, "join link, unknown code", texts=[])
    page.goto("/")
    audit.check(page, "home", texts=[f"JSON {ALL}", f"Source {ALL}", PAYLOADS[1]],
                attrs=[PAYLOADS[1]])  # fmt: skip
    page.get_by_role("link", name=f"JSON {ALL}").click()
    audit.check(page, "set page (JSON: source, date, licence)",
                texts=[f"Source: Source {ALL}", " ".join(PAYLOADS[:7]), PAYLOADS[1]])  # fmt: skip
    page.get_by_role("link", name="Take the quiz").click()
    audit.check(page, "quiz (unit)", texts=[f"How many? {ALL}", f"In {ALL};"],
                attrs=[f"A number ({ALL})"])  # fmt: skip


def test_no_payload_runs_or_is_injected_on_any_page(browser, server):
    audit = Audit(browser, server)
    try:
        built = teacher_builds(audit)
        first = take_quiz(audit, built, NAMES[0], guest=False, first=True)
        for name in NAMES[1:]:
            take_quiz(audit, built, name, guest=False)
        for n, name in enumerate(NAMES):
            take_quiz(audit, built, name, guest=True, first=n == 0)
        student_practises_and_studies(audit, built, first)
        teacher_reads_results(audit, built)
        anyone_searches_and_joins(audit, built)
    except Exception as exc:  # a page broken by injected markup: say what was found so far
        found = json.dumps(audit.findings, indent=1)
        pytest.fail(f"{type(exc).__name__}: {exc}\n\nfound so far: {found}\n{audit.dialogs}")
    finally:
        for context in audit.contexts:
            context.close()

    seen = [line for watch in audit.watches for line in watch.seen]
    csp = [line for line in seen if "CSP violation" in line or "Content Security" in line]
    http = sorted(unquote(line) for line in seen if line.startswith("HTTP "))
    told = re.compile(r"Failed to load resource: the server responded with a status of 40[04]")
    problems = {
        "pages": audit.findings,
        "dialogs": audit.dialogs,
        "CSP violations": csp,
        "console errors": [line for line in seen if line not in csp and not told.search(line)
                           and not line.startswith("HTTP ")],
        "unexpected HTTP errors": [
            line for line in http if line not in map(unquote, audit.expected_errors)
        ],
    }  # fmt: skip
    assert not any(problems.values()), json.dumps(problems, indent=1)
    assert http == sorted(map(unquote, audit.expected_errors))  # the refusals did happen
    assert len(audit.pages) >= 60 and audit.shown >= 400, (len(audit.pages), audit.shown)
