"""Quiz-level faults: what a reader of a bank's default quiz (its first questions) sees wrong.

Pure: the standard library, :mod:`quizapp.answers` and :mod:`quizapp.numbers`. Each check is a
heuristic tuned to be precise (it should not fire on a question a teacher keeps, e.g. the gold
questions of the corpus) rather than to catch every fault. The kinds
(``../shared/docs/question-rubric.md``, "The quiz as a whole"):

- ``GIVES_AWAY``: a prompt shows another quiz question's answer; the later-ranked of the pair
  is the faulty one.
- ``SAME_SENTENCE``: a third question from one source sentence, or a second cloze from it.
- ``FRAGMENT``: a cloze that is not a whole sentence.
- ``PRONOUN``: a prompt that leans on context it does not show (he, its, they, this …).
- ``BAD_OPTION``: a multiple-choice wrong option that is a variant, title or abbreviation of
  the key, named in the prompt, or an impossible value.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from quizapp import numbers
from quizapp.answers import normalise, texts_match
from quizapp.quizzes import MIN_ANSWER_CHARS, partial_forms, shows_name_part

from .checks import _AUXILIARIES, _POSSESSIVE, _numbers_in

GIVES_AWAY = "gives away"
SAME_SENTENCE = "same sentence"
FRAGMENT = "fragment"
PRONOUN = "pronoun"
BAD_OPTION = "bad option"
FAULT_KINDS = (GIVES_AWAY, SAME_SENTENCE, FRAGMENT, PRONOUN, BAD_OPTION)


_WORD = re.compile(r"_{3,}|[^\W_]+(?:['’][^\W_]+)*")
_YEAR = re.compile(r"(?<!\d)(1\d{3}|2\d{3})(?!\d)")
_CURRENCY = re.compile(r"[$£€¥₹]|\b(?:dollars?|euros?|pounds?|yen|rupees?)\b", re.I)
_PERCENT = re.compile(r"%|\bper\s?cent\b", re.I)
_MID_SENTENCE = re.compile(r"[\w,;] $")

# -- gives away -------------------------------------------------------------------------------


def _answer_forms(question: Mapping[str, Any]) -> tuple[set[str], set[float]]:
    """The normalised worded forms (3 characters or more) of a question's answer and accepted
    answers, and the values of its bare-number forms for how_many / when questions."""
    words: set[str] = set()
    values: set[float] = set()
    numeric = question.get("category") in ("how_many", "when")
    for form in [question.get("answer") or "", *(question.get("accepted_answers") or [])]:
        found = numbers.split_quantity(str(form))
        if found is not None and not found[1].strip():  # a bare number: "6", "forty", "2019"
            if numeric:
                values.add(found[0].value)
            continue
        if len(norm := normalise(str(form))) >= MIN_ANSWER_CHARS:
            words.add(norm)
    # the name inside "Yale University", the year of "September 411" (quizzes.partial_forms)
    for form in partial_forms(question.get("answer") or ""):
        if form.isdigit():
            values.add(float(form))
        else:
            words.add(form)
    return words, values


@lru_cache(maxsize=4096)
def _prompt_forms(prompt: str) -> tuple[str, str]:
    """The normalised prompt, as written and without possessive endings ("Niger's" → "niger")."""
    return f" {normalise(prompt)} ", f" {normalise(_POSSESSIVE.sub('', prompt))} "


def _sentence_key(question: Mapping[str, Any]) -> str:
    return normalise(question.get("source_sentence") or "")


def _gives_away(top: Sequence[Mapping[str, Any]]) -> set[int]:
    """Indexes of the later question of each pair where one prompt shows the other's answer:
    a worded form as whole words, or a how_many / when answer's number by value (a value under
    10 only from the same sentence: "two" elsewhere gives nothing away)."""
    forms = [_answer_forms(question) for question in top]
    prompts = [_prompt_forms(question.get("prompt") or "") for question in top]
    values_in = [_numbers_in(question.get("prompt") or "") for question in top]
    sentences = [_sentence_key(question) for question in top]
    faulty = set()
    for i in range(len(top)):
        for j, (words, values) in enumerate(forms):
            if i == j or max(i, j) in faulty:
                continue
            same_sentence = bool(sentences[i]) and sentences[i] == sentences[j]
            if (
                any(f" {word} " in form for word in words for form in prompts[i])
                or any(abs(value) >= 10 or same_sentence for value in values & values_in[i])
                or shows_name_part(top[i].get("prompt") or "", top[j].get("answer") or "")
            ):
                faulty.add(max(i, j))
    return faulty


# -- same sentence ----------------------------------------------------------------------------


def _same_sentence(top: Sequence[Mapping[str, Any]]) -> set[int]:
    asked: Counter[str] = Counter()
    clozes: Counter[str] = Counter()
    faulty = set()
    for index, question in enumerate(top):
        if not (key := _sentence_key(question)):
            continue
        asked[key] += 1
        clozes[key] += question.get("format") == "cloze"
        if asked[key] > 2 or (question.get("format") == "cloze" and clozes[key] > 1):
            faulty.add(index)
    return faulty


# -- fragments --------------------------------------------------------------------------------

# A cloze opening with one of these starts mid-thought.
_MID_THOUGHT = frozenset("and but or nor which who whom whose whereas".split())
# These open a whole sentence only before a comma and a main clause ("When X, Y.").
_SUBORDINATORS = frozenset("because while although though if when where unless whether".split())
_CLOSERS = "\"'”’»)]} "


def is_fragment(prompt: str) -> bool:
    """Whether a cloze prompt is not a whole sentence: it ends without . ! or ? (a closing
    quote or bracket may follow; an ellipsis is not an end), or starts with a lower-case
    letter, a conjunction or relative word ("And …", "Which …"), or a subordinator without the
    comma of a main clause ("When sharks returned to _____ they …"). A clause cut from inside a
    sentence ("That the platforms … statues, or moai") fails the first test."""
    text = prompt.strip().lstrip("\"'“‘«([ ")
    if not text:
        return False
    words = _WORD.findall(text)
    first = words[0] if words else ""
    rest = text.rstrip(_CLOSERS)
    elided = rest.endswith("...") and "[" not in rest[-6:]  # "[...]" only marks a cut quote
    if not rest or rest[-1] not in ".!?" or elided:
        return True
    if first.startswith("_"):
        return False
    if text[0].islower():
        return True
    lead, following = first.casefold(), words[1].casefold() if len(words) > 1 else ""
    if lead in _MID_THOUGHT:
        return True
    if lead == "because":
        return following != "of"
    if lead in _SUBORDINATORS:
        return "," not in text
    return False


# -- pronouns ---------------------------------------------------------------------------------

_PERSONAL = frozenset("he him his himself she her hers herself".split())
_NEUTER = frozenset("it its itself".split())
_PLURAL = frozenset("they them their theirs themselves".split())
_DEMONSTRATIVES = frozenset("this these those".split())
_POSSESSIVES = frozenset("his her its their".split())
_HAVE = frozenset("has have had".split())
# Words that start the subject after an inverted auxiliary ("did the study", "was he").
_SUBJECT_STARTS = frozenset(
    "the a an this these those its his her their he she it they we i".split()
)
_WH = frozenset("who whom whose which what how".split())
# After "this" / "these", a word that shows it is a pronoun, not a determiner.
_FUNCTION_WORDS = frozenset(
    "in on at by for from to of with as and or but the a an is was are were has had have will "
    "would can could may might does did do".split()
)
# "this year" is relative to the article's date, not to an unseen antecedent.
_TIME_WORDS = frozenset(
    "year years week weeks month months morning afternoon evening night season decade century "
    "time summer winter spring autumn fall weekend".split()
)
# Words after "it is" that make "it" a dummy subject ("it is known that …").
_EXPLETIVE_HEADS = frozenset(
    "known clear unclear likely unlikely possible impossible believed thought reported said "
    "expected estimated feared understood hoped important necessary time true".split()
)
_BE = frozenset("is was 's has had would will seems seemed appears appeared remains".split())
# Capitalised words that are not names when they open a prompt or a quote.
_NOT_NAMES = frozenset(
    "the a an in on at for from to of by with during after before since as when where while "
    "although though if because and but or so however also then now there here this these those "
    "that it its he she they his her their we i you some many most all both each every one "
    "another other such no not according following last next yesterday today".split()
    + list(_WH)
)


def _is_plural_noun(word: str) -> bool:
    w = word.casefold()
    return w in {"people", "children", "men", "women", "police", "staff", "crew", "public"} or (
        len(w) > 3
        and w.endswith("s")
        and not w.endswith(("ss", "us", "is", "ous"))
        and w not in _AUXILIARIES
        and w not in {"this", "was", "has", "does", "its", "his", "hers", "as", "whereas"}
    )


def _opens_subject(auxiliary: str, word: str) -> bool:
    """Whether ``word`` after ``auxiliary`` starts its subject ("did the study", "was he"; not
    "had its first meeting")."""
    if auxiliary in _HAVE and word.casefold() in _POSSESSIVES | {"the", "a", "an"}:
        return False
    return word[:1].isupper() or word[:1].isdigit() or word.casefold() in _SUBJECT_STARTS


def _quoted_spans(prompt: str) -> list[tuple[int, int]]:
    """Character spans inside double quotes (straight or curly)."""
    spans, start = [], None
    for i, ch in enumerate(prompt):
        if ch == "“" or (ch == '"' and start is None):
            start = i
        elif (ch == "”" or ch == '"') and start is not None:
            spans.append((start, i))
            start = None
    return spans


def _is_expletive(words: list[str], k: int) -> bool:
    """Whether ``it`` at ``k`` is a dummy subject ("it is not for the Court to opine", "When
    was it announced that …?")."""
    after = [w.casefold() for w in words[k + 1 : k + 6]]
    if k > 0 and words[k - 1].casefold() in _BE:
        return not {"that", "to", "whether"}.isdisjoint(after[:3])
    if not after or after[0] not in _BE:
        return False
    after = [w for w in after[1:] if w not in {"not", "now", "also", "still", "been", "be"}]
    return bool(after) and (
        after[0] in _EXPLETIVE_HEADS or not {"that", "to", "for", "whether"}.isdisjoint(after[:3])
    )


def has_unresolved_pronoun(
    question: Mapping[str, Any], names: frozenset[str] = frozenset()
) -> bool:
    """Whether the prompt leans on context it does not show: a he/she/it/they pronoun with no
    possible antecedent before it in the prompt (or, in an opening phrase, right after its
    comma: "In her campaign, Thunberg …"), or "this"/"these"/"those" + a word, outside quotes.
    Possible antecedents: a capitalised name (a capitalised first word only if it is in
    ``names``, the names written mid-sentence in the article, or a possessive), the gap of a
    who cloze (of a where cloze for it and they), a plural noun for they / them / their, and
    the wh-phrase of a subject question ("Which company said it …", not "Which country did he
    visit?"). A dummy "it" ("it is known that") needs none."""
    prompt = question.get("prompt") or ""
    quoted = _quoted_spans(prompt)
    tokens = [(m.group(), m.start()) for m in _WORD.finditer(prompt)]
    words = [t for t, _ in tokens]
    # The gap of a who cloze (a person or an organisation) may be anyone's antecedent; that of
    # a where cloze only it / its / they's ("In _____, he met …" leaves "he" open).
    category = question.get("category")
    bound = {"name": False, "plural": False, "wh": False, "gap": False}
    # An opening phrase, up to the first comma or a wh-word after it ("In one of his works who
    # …"), may hold a pronoun whose name follows.
    wh_after = [start for k, (w, start) in enumerate(tokens) if k and w.casefold() in _WH]
    opening_end = min([prompt.find(","), *wh_after[:1]] if "," in prompt else wh_after[:1] or [-1])
    waiting = False
    for k, (word, start) in enumerate(tokens):
        low = word.casefold()
        if low in _DEMONSTRATIVES | _PERSONAL | _NEUTER | _PLURAL and any(
            a < start < b for a, b in quoted
        ):
            continue  # the speaker's words (a name in quotes still binds: "Dangerously in Love")
        opens = k == 0 or prompt[:start].rstrip().endswith((":", '"', "“", "(", ";"))
        if low in _DEMONSTRATIVES:
            following = _POSSESSIVE.sub("", words[k + 1].casefold()) if k + 1 < len(words) else ""
            if following in _TIME_WORDS or following in {"who", "whom", "which", "that", "of"}:
                continue
            if (
                not following
                or following in _FUNCTION_WORDS
                or prompt[start + len(word) :][:1] in ",;:"
            ):
                # a pronoun: "These were …" opens on context; "Adele equaling this in 2012"
                # refers back inside the prompt
                if k <= 4:
                    return True
                continue
            if low != "those" or _is_plural_noun(following):
                return True
        if low in _PERSONAL | _NEUTER | _PLURAL:
            previous = words[k - 1].casefold() if k else ""
            # "did he", "was his"; not "had its first meeting" (have as the main verb)
            after_aux = previous in _AUXILIARIES and not (previous in _HAVE and low in _POSSESSIVES)
            wh = bound["wh"] and not after_aux
            if low in _NEUTER and _is_expletive(words, k):
                continue
            gap = bound["gap"] and (category == "who" or low not in _PERSONAL)
            if not (bound["name"] or wh or gap or (low in _PLURAL and bound["plural"])):
                if start > opening_end:
                    return True
                waiting = True  # "In her campaign, Thunberg has met …": a name may follow
            continue
        if word.startswith("_"):
            bound["gap"] |= category in ("who", "where")
        elif low in _WH:
            bound["wh"] = True
        elif low in _AUXILIARIES and k + 1 < len(words) and _opens_subject(low, words[k + 1]):
            bound["wh"] = False  # "Which country did he visit?": the wh-phrase is the object
        elif word[:1].isupper() and _POSSESSIVE.sub("", low) not in _NOT_NAMES and word != "I":
            bare = _POSSESSIVE.sub("", word)  # "Beyonce's group …": a possessive is a name
            bound["name"] |= not opens or word in names or bare in names or bare != word
            waiting &= not (bound["name"] and start > opening_end)
        elif _is_plural_noun(word):
            bound["plural"] = True
    return waiting


@lru_cache(maxsize=64)
def _names_in(article_text: str) -> frozenset[str]:
    """Capitalised words the article writes mid-sentence (after a word or a comma) or never in
    lower case ("Karadzic", not "Thousands" when it also writes "thousands")."""
    tokens = list(re.finditer(r"[^\W\d_][\w'’-]*", article_text))
    lower = {m.group().casefold() for m in tokens if m.group()[0].islower()}
    found = set()
    for m in tokens:
        word, before = m.group(), article_text[max(0, m.start() - 2) : m.start()]
        if word[0].isupper() and (word.casefold() not in lower or _MID_SENTENCE.match(before)):
            found.add(_POSSESSIVE.sub("", word))
    return frozenset(found)


# -- wrong options ----------------------------------------------------------------------------

_TITLES = frozenset(
    "mr mrs ms miss dr prof sir dame lord lady cde comrade president minister prime general gen "
    "col capt sgt rev father sheikh king queen prince princess mayor governor senator sen rep "
    "judge justice chancellor premier chief secretary".split()
)
_MINOR = frozenset("of for the and de du la le von van der in on at".split())


def _initials(words: list[str]) -> set[str]:
    content = [w for w in words if w not in _MINOR]
    return {"".join(w[0] for w in words), "".join(w[0] for w in content)}


def _is_variant(option: str, key: str) -> bool:
    """A wrong option that names the key again: its words a subset or superset of the key's
    ("Ridgeback" / "Ridgeback Biotherapeutics"), the key's surname with titles ("Cde Mugabe"),
    a title alone ("Cde"), or an acronym of the key ("NDS" for National Directorate for
    Security)."""
    o, k = normalise(option).split(), normalise(key).split()
    if not o or not k or o == k:
        return False
    if set(o) < set(k) or set(o) > set(k):
        return True
    untitled = [w for w in o if w not in _TITLES]
    if not untitled or (len(untitled) < len(o) and set(untitled) <= set(k)):
        return True
    if len(o) == 1 and len(k) > 1 and len(o[0]) > 1 and o[0] in _initials(k):
        return True
    return len(k) == 1 and len(o) > 1 and len(k[0]) > 1 and k[0] in _initials(o)


def _same_quantity(option: tuple[numbers.Quantity, str], key: tuple[numbers.Quantity, str]) -> bool:
    """The key's value again ("two hours" beside "about two hours"; not "24 days" beside "24
    hours")."""
    units = {normalise(option[1]), normalise(key[1])}
    return option[0].value == key[0].value and (len(units) == 1 or "" in units)


def _published_year(published: str | None) -> int | None:
    found = _YEAR.search(published or "")
    return int(found.group()) if found else None


def _impossible(option: str, key: str, category: str, year: int | None) -> bool:
    """A value no reader would take seriously: a fraction of a whole count ("7.6 stores"), a
    count of zero or less, a year after the article was published, a percentage over 100."""
    o, k = numbers.split_quantity(option), numbers.split_quantity(key)
    if o is not None and k is not None:
        value, key_value = o[0].value, k[0].value
        if _PERCENT.search(key) and value > 100:
            return True
        whole_count = (
            category == "how_many"
            and "." not in k[0].text
            and key_value == int(key_value)
            and not _PERCENT.search(key)
            and not _CURRENCY.search(key)
        )
        if whole_count and (value != int(value) or value <= 0):
            return True
    if year is not None and (category == "when" or _YEAR.fullmatch(key.strip())):
        key_years = [int(y) for y in _YEAR.findall(key)]
        if key_years and max(key_years) <= year:
            return any(int(y) > year for y in _YEAR.findall(option))
    return False


def _in_prompt(option: str, prompt: str) -> bool:
    norm = normalise(option)
    if len(norm) < MIN_ANSWER_CHARS or numbers.parse_number(option) is not None:
        return False
    return any(f" {norm} " in form for form in _prompt_forms(prompt))


def bad_options(question: Mapping[str, Any], published: str | None = None) -> list[str]:
    """The wrong options of a multiple-choice question that a reader rules out on their face: a
    variant of the key, an impossible value, or (for who / where questions) a name the prompt
    itself shows ("Ilham Aliyev" offered for "Who is the advisor to President Ilham Aliyev?").
    [] for other formats."""
    choices, key = question.get("choices"), str(question.get("answer") or "")
    if question.get("format") != "multiple_choice" or not isinstance(choices, list):
        return []
    category, year = str(question.get("category") or ""), _published_year(published)
    prompt = question.get("prompt") or ""
    found = []
    for option in map(str, choices):
        if option == key or texts_match(option, key):
            continue
        o, k = numbers.split_quantity(option), numbers.split_quantity(key)
        if (
            (o is not None and k is not None and _same_quantity(o, k))
            or ((o is None or k is None) and _is_variant(option, key))
            or _impossible(option, key, category, year)
            or (category in ("who", "where") and _in_prompt(option, prompt))
        ):
            found.append(option)
    return found


# -- the quiz ---------------------------------------------------------------------------------


def find_quiz_faults(
    questions: Sequence[Mapping[str, Any]],
    article_text: str = "",
    published: str | None = None,
    top_n: int = 20,
) -> list[tuple[int, str]]:
    """The faults of the default quiz, the first ``top_n`` of ``questions`` (bank question
    dicts in rank order): (index, kind) pairs sorted by index, each kind once per question.
    ``article_text`` tells names from capitalised sentence openers; ``published`` (an ISO date)
    dates the article for the year check of wrong options."""
    top = questions[:top_n]
    names = _names_in(article_text)
    found = {(i, GIVES_AWAY) for i in _gives_away(top)}
    found |= {(i, SAME_SENTENCE) for i in _same_sentence(top)}
    for index, question in enumerate(top):
        if question.get("format") == "cloze" and is_fragment(question.get("prompt") or ""):
            found.add((index, FRAGMENT))
        if has_unresolved_pronoun(question, names):
            found.add((index, PRONOUN))
        if bad_options(question, published):
            found.add((index, BAD_OPTION))
    order = {kind: n for n, kind in enumerate(FAULT_KINDS)}
    return sorted(found, key=lambda pair: (pair[0], order[pair[1]]))
