"""Choosing a quiz's questions from a set's ranked list. Pure: plain mappings in, indexes out."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from .answers import normalise, word_in
from .generation.gazetteer import PERSON_TITLES

MIN_ANSWER_CHARS = 3  # "US" or "5" inside a prompt is too common to count as a give-away
# … but a short name of letters and digits is no common word: "U2" (read 44)
_SHORT_NAME = re.compile(r"^(?=.*[a-z])(?=.*\d)[a-z\d]{2}$")


def answer_forms(answer: str, accepted: Sequence[str] = ()) -> set[str]:
    """The normalised forms of an answer and its accepted answers that can give it away (at
    least MIN_ANSWER_CHARS characters)."""
    found = {normalise(form) for form in (answer, *accepted)}
    # a key written as place and region ("Heraklio, Crete") gives itself away by either part
    found |= {
        normalise(part)
        for part in answer.split(", ")[1:2]
        if part[:1].isupper() and not any(ch.isdigit() for ch in part)
    }
    found |= partial_forms(answer)
    return {form for form in found if len(form) >= MIN_ANSWER_CHARS or _SHORT_NAME.match(form)}


def partial_forms(answer: str) -> set[str]:
    """Parts of an answer that show it: the name of "Yale University" ("Yale"), the year of
    "September 411" — read 43 failed prompts showing "Yale", "(died 411)", "Abbasid caliph"
    beside those keys."""
    found = set()
    words = answer.split()
    if len(words) >= 2 and all(w.lower().strip(".,") in _KIND_WORDS for w in words[1:]):
        if len(words[0]) >= 4 and words[0][:1].isupper():
            found.add(normalise(words[0]))
    if len(words) >= 2 and words[-1].isdigit() and len(words[-1]) in (3, 4):
        if any(w.lower().strip(",") in _MONTHS for w in words[:-1]):
            found.add(words[-1])
    return found


# Words that say what kind of thing a name is; the word before them is the name itself.
_KIND_WORDS = frozenset(
    """
    university college school institute company corporation group party council church
    caliphate dynasty empire kingdom republic army navy club team league museum hospital
    airport station bridge river lake island islands mountains county province state city
    """.split()
)
_NAME_JOINERS = frozenset("of the and de da del von van la le al bin".split())
# Capitalised words of names that name no one in particular.
_NOT_NAMES = frozenset(
    """
    north south east west northern southern eastern western central upper lower great little
    united national international royal federal general new saint holy first second third
    world american british english french german chinese russian european african asian
    monday tuesday wednesday thursday friday saturday sunday tour festival award awards prize
    cup championship championships games season series album song film show empress emperor
    states empire
    """.split()
)
_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
# Words of a name key that show nothing of it (name_parts runs for every pair a quiz weighs)
_NO_NAME_PART = _KIND_WORDS | _MONTHS | _NOT_NAMES | PERSON_TITLES


def _answers(question: Mapping[str, Any]) -> set[str]:
    return answer_forms(question.get("answer") or "", question.get("accepted_answers") or ())


def _contains(text: str, phrase: str) -> bool:
    """Whole-word containment of one normalised phrase in a normalised text, also as a
    possessive ("afghanistans" for "Afghanistan's")."""
    return f" {phrase} " in f" {text} " or f" {phrase}s " in f" {text} "


def gives_away(asker: Mapping[str, Any], asked: Mapping[str, Any]) -> bool:
    """True when `asker`'s prompt holds the answer to `asked` (either spelling, or the
    answer's possessive), or a word of its name as written (`name_parts`)."""
    raw = asker.get("prompt") or ""
    prompt = normalise(raw)
    return any(_contains(prompt, answer) for answer in _answers(asked)) or shows_name_part(
        raw, asked.get("answer") or ""
    )


@lru_cache(maxsize=4096)
def name_parts(answer: str) -> frozenset[str]:
    """The words of a name key that show it when a prompt writes them, capitalised:
    "Bardanes" of "Bardanes Tourkos", "Verina" of "Empress Aelia Verina", "Joshua" of "Joshua
    Tree Tour" (read 44, gives away) — not a title, a kind or a word naming no one."""
    words = answer.split()
    if len(words) < 2 or not all(w[:1].isupper() or w.lower() in _NAME_JOINERS for w in words):
        return frozenset()
    bare = (word.strip(".,'’()") for word in words)
    return frozenset(
        w
        for w in bare
        if len(w) >= 4 and w.isalpha() and w[:1].isupper() and w.lower() not in _NO_NAME_PART
    )


def shows_name_part(prompt: str, answer: str) -> bool:
    """The prompt writes a word of the answer's name, capitalised, as a whole word."""
    return any(word_in(part, prompt) for part in name_parts(answer))


MAX_PER_SENTENCE = 2  # questions from one source sentence in one quiz
MAX_CLOZE_PER_SENTENCE = 1  # a second cloze of a sentence shows the first's answer


def choose(questions: Sequence[Mapping[str, Any]], length: int) -> list[int]:
    """Indexes of up to `length` questions, best first, such that no chosen question's prompt
    gives away another chosen question's answer (question-rubric.md: such a question fails),
    no source sentence gives more than two questions, nor more than one cloze. Questions are
    taken in their ranked order; one that would break a rule is left out, so an article with
    few compatible questions gives a shorter quiz rather than one that answers itself."""
    chosen: list[int] = []
    per_sentence: dict[str, int] = {}
    cloze_per_sentence: dict[str, int] = {}
    for index, question in enumerate(questions):
        if len(chosen) == length:
            break
        sentence = normalise(question.get("source_sentence") or "")
        cloze = question.get("format") == "cloze"
        if sentence and (
            per_sentence.get(sentence, 0) >= MAX_PER_SENTENCE
            or cloze
            and cloze_per_sentence.get(sentence, 0) >= MAX_CLOZE_PER_SENTENCE
        ):
            continue
        if any(
            gives_away(question, questions[i]) or gives_away(questions[i], question) for i in chosen
        ):
            continue
        chosen.append(index)
        if sentence:
            per_sentence[sentence] = per_sentence.get(sentence, 0) + 1
            cloze_per_sentence[sentence] = cloze_per_sentence.get(sentence, 0) + cloze
    return chosen
