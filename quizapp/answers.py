"""Answer equivalence: the one matcher behind the grader (quizapp.scoring) and the evaluator's
gold-fact coverage (quizapp.evaluation.checks). Standard library only.

`match` decides whether a typed answer is right for a question's key, and why:

- "exact": the same text once case, accents, punctuation, spacing and a leading article are
  ignored ("The Kremlin" is "kremlin", "NewYork" is "New York"); a minus sign is kept ("-5" is
  not "5"; "- 5" is "-5").
- "accepted": the same, against one of the accepted answers.
- "number": the same value, in digits or words ("six", "6", "40 thousand", "1.3 billion" is
  1,300,000,000 but not 1,300,000,001: only float rounding is forgiven, plus the question's own
  tolerance). A unit after a number may be omitted (not for dates: "5" is not "5 March") but
  must otherwise be the expected one, compared in one spelling (quizapp.units): "2 hrs", "2h"
  and "2 hours" are the same, as are "295 km" and "295 kilometres"; "5 ceasefires" is not
  "5 ceasefire violations". Time in seconds, minutes, hours, days or weeks is converted when the
  expected unit is one of those too ("120 minutes" is "2 hours", "1 day" is "24 hours");
  months and years, whose length varies, never are.
- "surname": a person's surname alone, or the last words of the name, for a "who" key of 2-4
  capitalised words that names no organisation ("Pashinyan" for "Nikol Pashinyan", "Michelle
  Obama" for "First Lady Michelle Obama"; never "Health" for "Ministry of Health").
- "typo": one typo (insertion, deletion, substitution or swap) in a key of five letters or more
  without digits ("Pashinyn"); numbers are never forgiven a typo.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from quizapp.numbers import parse_number, split_quantity
from quizapp.units import convert, split_glued, unit_words

# Letters that NFKD does not decompose into base letter + combining mark.
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe",
                          "þ": "th", "ð": "d", "ı": "i", "ħ": "h"})  # fmt: skip
_QUOTES_DASHES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "ʼ": "'", "`": "'",
                                "“": '"', "”": '"', "„": '"', "‐": "-", "‑": "-", "‒": "-",
                                "–": "-", "—": "-", "―": "-", "−": "-"})  # fmt: skip
_ARTICLES = {"the", "a", "an"}
_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_EPSILON = 1e-12  # relative: float rounding only, so 1,300,000,001 is not 1.3 billion
_TYPO_MIN_LETTERS = 5
_MINUS_RE = re.compile(r"\s*[-−–]\s*\d")  # a leading minus, possibly spaced from its number
# A "who" answer containing one of these names an organisation, never a person.
_ORG_WORDS = frozenset(
    "union council ministry party committee agency university court bank army forces group "
    "news company inc ltd corporation corp association institute department office government "
    "parliament assembly commission service services police school museum federation league "
    "network times post press club team foundation authority board bureau organisation "
    "organization alliance coalition movement front church hospital airlines airways fund "
    "nations republic kingdom state states senate congress navy guard brigade society".split()
)
# Lower-case words inside personal names ("Charles de Gaulle", "Osama bin Laden").
NAME_PARTICLES = frozenset(
    "al bin ibn de des da di del della der den van von la le du dos das y".split()
)
REASONS = ("exact", "accepted", "number", "surname", "typo")


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Casefold, strip accents, drop punctuation, collapse whitespace (articles kept)."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_QUOTES_DASHES)
    out = []
    for i, c in enumerate(text):
        between_digits = 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
        if c == "." and between_digits:
            out.append(c)
        elif (
            c == "-"
            and i + 1 < len(text)
            and text[i + 1].isdigit()
            and (i == 0 or text[i - 1] == " ")
        ):
            out.append(c)  # a minus sign: "-5" is not "5" (a hyphen inside "COVID-19" still goes)
        elif (c == "," and between_digits) or c == "'":
            continue
        elif unicodedata.category(c)[0] in "PS":
            out.append(" ")
        else:
            out.append(c)
    return " ".join("".join(out).split())


def normalise(text: str) -> str:
    """Comparable form of an answer: "The Łódź–Warsaw 40,000!" -> "lodz warsaw 40000"."""
    words = _fold(text).split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def word_in(words: str, text: str, possessive: bool = False) -> bool:
    """`words` stand in `text` as words of their own: no letter, digit or hyphen touches them
    (with `possessive`, an "'s" may follow). Found with str.find rather than a regex per name:
    compiling one per key and prompt cost the generator a tenth of its time."""
    if not words:
        return False
    at = text.find(words)
    while at >= 0:
        end = at + len(words)
        before = text[at - 1] if at else " "
        rest = text[end:]
        if possessive:
            rest = rest.removeprefix("'s").removeprefix("’s")
        after = rest[:1] or " "
        if not (before.isalnum() or before in "-_") and not (after.isalnum() or after in "-_"):
            return True
        at = text.find(words, at + 1)
    return False


def surname_matches(short: str, full: str) -> bool:
    """True when `short` is the last name, or the last words, of the longer name `full`:
    "Pashinyan" and "Adam Czartoryski" of "Prince Adam Czartoryski"; "King" and "Martin Luther
    King" of "Martin Luther King Jr."."""
    name, words = _fold(short).split(), _fold(full).split()
    whole = len(words)
    while len(words) > 2 and words[-1] in _NAME_SUFFIXES:
        words.pop()
    return 0 < len(name) <= len(words) and len(name) < whole and name == words[-len(name) :]


def nfc(text: str) -> str:
    """NFC-normalised and stripped: the exact form a multiple-choice answer is compared in."""
    return unicodedata.normalize("NFC", text).strip()


def _key(text: str) -> str:
    """Comparable form: normalise with spacing removed, keeping a minus sign (also one typed
    apart from its number, "- 5", which normalise reads as a dash)."""
    folded = normalise(text).replace(" ", "")
    if _MINUS_RE.match(text) and not folded.startswith("-"):
        folded = "-" + folded
    return folded


def _unit(text: str) -> tuple[str, ...]:
    """Canonical unit words: "Hrs." -> ("hour",), "%" -> ("percent",)."""
    return unit_words(normalise(text.replace("%", " percent ")).split())


def _quantity(text: str) -> tuple[float, tuple[str, ...]] | None:
    """(value, unit words) when `text` is a number optionally followed by a unit ("24hrs")."""
    found = split_quantity(split_glued(text))
    return None if found is None else (found[0].value, _unit(found[1]))


def _unit_ok(given: tuple[str, ...], known: set[tuple[str, ...]], when: bool) -> bool:
    """An omitted unit is fine (not for dates: "5" is not "5 March"); a different one is not."""
    if not given:
        return not (when and known)
    if not known:
        return len(given) == 1  # one word ("24 hours" for "24"), not a phrase ("24 new cases")
    return any(given in (unit, unit[-1:]) for unit in known)


def _close(value: float, target: float, tolerance: float) -> bool:
    return abs(value - target) <= tolerance + _EPSILON * max(1.0, abs(target))


def _number_matches(
    mine: tuple[float, tuple[str, ...]],
    targets: list[tuple[float, tuple[str, ...]]],
    tolerance: float,
    when: bool,
) -> bool:
    """True when the given quantity equals a target's value: converted into the target's time
    unit when both have one ("120 minutes" for "2 hours"), else with an acceptable unit."""
    value, unit = mine
    known = {u for _, u in targets if u}
    unit_ok = _unit_ok(unit, known, when)
    for target, target_unit in targets:
        converted = convert(value, unit, target_unit)
        if converted is not None:
            if _close(converted, target, tolerance):
                return True
        elif unit_ok and _close(value, target, tolerance):
            return True
    return False


def is_person(answer: str, category: str, accepted: Iterable[str] = ()) -> bool:
    """A "who" answer of 2-4 capitalised words, none an organisation word, or whose surname
    alone is an accepted answer."""
    words = answer.split()
    if category != "who" or not 2 <= len(words) <= 4:
        return False
    if _key(words[-1]) in {_key(a) for a in accepted}:
        return True
    for word in words:
        bare = word.strip(".,;:()'\"").casefold()
        head = bare.replace("'", "-").split("-")[0]
        if bare in _ORG_WORDS or any(c.isdigit() for c in bare):
            return False
        if not (word[:1].isupper() or bare in NAME_PARTICLES or head in NAME_PARTICLES):
            return False
    return True


def _one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance exactly 1, in linear time."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) != len(b):
        return a[i:] == b[i + 1 :] if len(a) < len(b) else a[i + 1 :] == b[i:]
    swapped = a[i : i + 2] == b[i : i + 2][::-1]
    return a[i + 1 :] == b[i + 1 :] or (swapped and a[i + 2 :] == b[i + 2 :])


def is_finite_number(value: object) -> bool:
    """An int or float (not a bool), finite."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def match(
    given: str,
    answer: str,
    accepted: Iterable[str] = (),
    *,
    category: str = "",
    value: float | None = None,
    tolerance: float = 0,
    unit: str | None = None,
) -> str | None:
    """Why the typed answer `given` is right for the key `answer` (with its `accepted` answers,
    the question's `category`, and for numeric questions its `value`, `tolerance` and `unit`):
    one of REASONS, or None when it is wrong or blank. See the module docstring for the rules.
    Never raises for any strings."""
    accepted = list(accepted)
    key = _key(given)
    if not given.strip():
        return None
    if nfc(given) == nfc(answer) or (key and key == _key(answer)):
        return "exact"
    if key and key in {_key(a) for a in accepted}:
        return "accepted"
    targets = [q for q in map(_quantity, [answer, *accepted]) if q is not None]
    if value is not None:
        targets.append((float(value), _unit(unit or "")))
    mine = _quantity(given)
    if mine is not None and _number_matches(mine, targets, max(tolerance, 0), category == "when"):
        return "number"
    person = is_person(answer, category, accepted)
    if person and surname_matches(given, answer):
        return "surname"
    if any(c.isdigit() for c in key) or parse_number(given) is not None:
        return None
    for text in [answer, *accepted, *([answer.split()[-1]] if person else [])]:
        target = _key(text)
        if (
            sum(c.isalpha() for c in target) >= _TYPO_MIN_LETTERS
            and not any(c.isdigit() for c in target)
            and parse_number(text) is None
            and _one_edit(key, target)
        ):
            return "typo"
    return None


def accepts(question: Mapping[str, Any], given: str) -> str | None:
    """`match` for a typed answer to a bank question mapping (contracts.md section 2): its
    answer, accepted_answers, category and numeric fields (the numeric value counts for the
    numeric format only). Missing or malformed fields count as absent; never raises."""
    answer = question.get("answer")
    if not isinstance(answer, str) or not isinstance(given, str):
        return None
    accepted = [a for a in question.get("accepted_answers") or () if isinstance(a, str)]
    numeric = question.get("numeric")
    numeric = numeric if isinstance(numeric, Mapping) else {}
    tolerance = numeric.get("tolerance") or 0
    value = numeric.get("value") if question.get("format") == "numeric" else None
    unit = numeric.get("unit")
    return match(
        given,
        answer,
        accepted,
        category=str(question.get("category") or ""),
        value=value if is_finite_number(value) else None,
        tolerance=tolerance if is_finite_number(tolerance) else 0,
        unit=unit if isinstance(unit, str) else None,
    )


def texts_match(a: str, b: str) -> bool:
    """Whether two texts are the same answer written two ways ("6" and "six", "24 hrs" and
    "24 hours"): each, typed, is right for the other as a key (no category). Symmetric, so
    "40,000" is not "40,000 refugee families" though a student may answer the latter with it;
    for choices that are another form of the key."""
    return match(a, b) is not None and match(b, a) is not None
