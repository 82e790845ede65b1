"""Field values of a note: HTML escaping, cloze text, and which note type a question gets."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping


def escape(value: object) -> str:
    """HTML-escape a field value (None → ""): ``& < >`` and ``[`` (Anki's ``[sound:…]``),
    and newlines become ``<br>``."""
    text = value if type(value) is str else as_text(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # "[sound:x.mp3]" in plain text would be played by Anki: keep it text
    text = text.replace("[", "&#91;") if "[" in text else text
    return text.replace("\r\n", "\n").replace("\n", "<br>") if "\n" in text else text


_CLOZE_SAFE = str.maketrans({"{": "&#123;", "}": "&#125;"})
_BLANK = re.compile(r"_{3,}")


def cloze_text(sentence: str, answer: str, prompt: str | None = None) -> str | None:
    """The escaped sentence with the answer as ``{{c1::…}}``, or None when it is not found.

    Whole-word matches are preferred to others, exact case to any case. When the answer occurs
    more than once, the blank (``_____``) in ``prompt`` picks the occurrence whose context
    matches the prompt's best. Braces become entities so the text can never open another cloze.
    """
    if not sentence or not answer:
        return None
    starts = _occurrences(sentence, answer)
    if not starts:
        return None
    start = starts[0]
    blank = _BLANK.search(prompt or "")
    if blank and len(starts) > 1:
        head, tail = prompt[: blank.start()], prompt[blank.end() :]
        start = max(
            starts,
            key=lambda at: (
                _common(head[::-1], sentence[:at][::-1])
                + _common(tail, sentence[at + len(answer) :])
            ),
        )
    end = start + len(answer)
    before, hidden, after = (
        escape(s).translate(_CLOZE_SAFE)
        for s in (sentence[:start], sentence[start:end], sentence[end:])
    )
    # "::" inside the hidden text would start a hint.
    return f"{before}{{{{c1::{hidden.replace(':', '&#58;')}}}}}{after}"


def _cloze_in_prompt(prompt: str, answer: str) -> str | None:
    """The escaped prompt with its first blank (``_____``) as ``{{c1::answer}}``; None without
    a blank."""
    blank = _BLANK.search(prompt or "")
    if blank is None or not answer:
        return None
    before, hidden, after = (
        escape(s).translate(_CLOZE_SAFE)
        for s in (prompt[: blank.start()], answer, prompt[blank.end() :])
    )
    return f"{before}{{{{c1::{hidden.replace(':', '&#58;')}}}}}{after}"


def _occurrences(sentence: str, answer: str) -> list[int]:
    """Where the answer starts in the sentence, by the first rule that finds it: whole word in
    the same case, whole word in any case, then anywhere likewise (str.find before any regex:
    compiling a pattern per question would be most of the export time)."""
    exact, at = [], sentence.find(answer)
    while at >= 0:
        exact.append(at)
        at = sentence.find(answer, at + 1)
    end = len(answer)
    words = [a for a in exact if _edge(sentence, a - 1) and _edge(sentence, a + end)]
    if words:
        return words
    word = re.escape(answer)
    found = [m.start() for m in re.finditer(rf"(?<!\w){word}(?!\w)", sentence, re.IGNORECASE)]
    return found or exact or [m.start() for m in re.finditer(word, sentence, re.IGNORECASE)]


def _edge(text: str, index: int) -> bool:
    """Whether text[index] is outside the text or not a word character (as regex ``\\w``)."""
    return not 0 <= index < len(text) or not (text[index].isalnum() or text[index] == "_")


def _common(a: str, b: str) -> int:
    """Length of the common prefix of a and b."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def as_text(value: object) -> str:
    """A field value as stripped text (None → "")."""
    if type(value) is str:
        return value.strip()
    return "" if value is None else str(value).strip()


def article_field(title: str | None, url: str | None) -> str:
    """The escaped article title (else its URL), linked when the URL is http(s)."""
    text = escape(as_text(title) or as_text(url))
    url = as_text(url)
    if text and re.match(r"https?://", url, re.IGNORECASE):
        return f'<a href="{html.escape(url, quote=True)}">{text}</a>'
    return text


def note_fields(q: Mapping, prompt: str, answer: str, article: str) -> tuple[str, list[str]]:
    """The note type a question gets (see the package docstring) and its escaped field values."""
    fmt = q.get("format")
    source = as_text(q.get("source_sentence"))
    explanation = as_text(q.get("explanation"))
    # The generator often explains with the source sentence itself: show it once.
    explanation = escape(explanation) if explanation != source else ""
    if fmt == "cloze":
        # the answer edited away from its sentence: the prompt's blank holds it, so the note
        # stays a cloze (another note type would make Anki keep the old note as a conflict)
        text = cloze_text(source, answer, prompt) or _cloze_in_prompt(prompt, answer)
        if text:
            return "cloze", [text, explanation, article]
    back = [explanation, escape(source), article]
    if fmt == "multiple_choice":
        choices = q.get("choices")
        texts = [as_text(c) for c in choices] if isinstance(choices, list | tuple) else []
        if answer in texts and len(set(texts)) >= 2:
            items = "".join(
                f'<li><span class="letter">{_letter(i)}.</span> {escape(c)}</li>'
                for i, c in enumerate(texts)
            )
            shown = f'<span class="letter">{_letter(texts.index(answer))}.</span> {escape(answer)}'
            return "multiple_choice", [
                escape(prompt),
                f'<ol class="choices">{items}</ol>',
                shown,
                *back,
            ]
    if fmt in ("multiple_choice", "short_answer", "numeric"):
        accepted = q.get("accepted_answers")
        others = [as_text(a) for a in accepted] if isinstance(accepted, list | tuple) else []
        others = [a for a in dict.fromkeys(others) if a and a != answer]
        numeric = q.get("numeric")
        unit = as_text(numeric.get("unit")) if isinstance(numeric, Mapping) else ""
        return "type_in", [
            escape(prompt),
            escape(answer),
            escape(", ".join(others)),
            escape(unit),
            *back,
        ]
    return "qa", [escape(prompt), escape(answer), *back]


def _letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else str(index + 1)
