"""Answer keys and the other answers a teacher would accept (question-rubric.md, "loose aliases").

The full name is the key. A surname alone is accepted only when nobody else in the article has
it ("Mugabe" never when the article names Robert and Grace Mugabe), and never a last word that
is no surname ("II", "Jr", "Avenue", "Mall", "Airport"): for anything but a person the last word
alone is not accepted at all. An acronym only when the article writes it. Dates are accepted in
both orders; numbers in their other spellings ("40 thousand", "40,000", "forty thousand").
"""

from __future__ import annotations

import re

from ..answers import NAME_PARTICLES, normalise, word_in
from ..numbers import number_variants
from .entities import NameTable
from .facts import Fact
from .fine_types import HONORIFICS, acronym, other_person
from .gazetteer import FACILITY_WORDS, FAMILY_FIRST, ORG_WORDS, load_gazetteer
from .nlp import english_words

# Words after a family name that are none ("Elizabeth II", "Cuba Gooding Jr.").
_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv v vi vii viii phd md esq".split())


def surname(name: str) -> str | None:
    """The family name of a full personal name, or None when it has none to give."""
    words = name.replace(",", " ").split()
    if words and words[-1].lower() in _SUFFIXES:
        return None  # "Elizabeth II": a regnal name; "Jr": no surname either
    if len(words) < 2:
        return None
    last = words[-1]
    capitalised = last[:1].isupper() or re.match(r"[a-z]{1,3}'[A-Z]", last)  # "d'Agoult"
    if len(last.rstrip(".")) < 2 or not capitalised or last.lower() in HONORIFICS:
        return None
    if len(last.rstrip(".")) == 2 and last.endswith("."):
        return None  # an initial ("Chopin F.")
    return last


def _shared_surname(last: str, answer: str, names: NameTable | None) -> bool:
    """Another person of the article is called by the same last word ('Grace Mugabe')."""
    if names is None:
        return False
    key = normalise(answer)
    for info in names.infos.values():
        if info.kind != "person" or " " not in info.canonical:
            continue
        if normalise(info.canonical) == key:
            continue
        if info.canonical.split()[-1] == last and other_person(info.canonical, answer):
            return True
    return False


# Last words of a name that are titles, not family names ("Genghis Khan", "Dalai Lama").
_TITLE_LAST = frozenset(
    "khan khatun lama shah sultan pasha bey emir khalifa rinpoche sahib begum effendi".split()
)
NOT_SURNAMES = (
    FACILITY_WORDS
    | ORG_WORDS
    | frozenset(
        """
        reef island islands beach peak glacier desert forest falls cape point rock river lake
        mountain mount valley bay gulf sea ocean street avenue road mall centre center plaza
        clinic klinik hospital hotel museum stadium airport station
        """.split()
    )
)


def _after_particle(name: str) -> bool:
    words = name.split()
    return len(words) >= 3 and words[-2] in NAME_PARTICLES


def _adjective_only(word: str) -> bool:
    """An English adjective that is no noun ("Interactive" of Annapurna Interactive, read 48;
    "Digital"): a company's last word, no family name."""
    lower = word.lower()
    return (
        lower.endswith(_ADJECTIVE_ENDINGS)  # not "Long" or "Strong", family names too
        and lower in english_words("adj")
        and lower not in english_words("noun")
    )


_ADJECTIVE_ENDINGS = ("ive", "al", "ic", "ous", "able", "ible", "ful", "less", "ary", "ent", "ant")


def _family_last(name: str) -> bool:
    """The name reads given name first, family name last: not "Zhou Enlai" or "Kim Jong-un"
    (two words, a common East Asian family name first, or a hyphenated given name last)."""
    words = name.split()
    if len(words) == 2 and (words[0].lower() in FAMILY_FIRST or "-" in words[1]):
        return False
    return True


def _english_word(word: str) -> bool:
    low = word.lower()
    return low in english_words("noun") or low in english_words("adj")


def _thing_named(name: str, last: str, text: str) -> bool:
    """A name whose last word is an English word that the name's first word is too ("Blind
    Faith", "Young Modern", "Dutch Golden Age") or that the article writes in lower case ("the
    telescope"): a thing the model took for a person, whose last word is no surname."""
    if not _english_word(last):
        return False
    first = name.split()[0]
    return _english_word(first) or re.search(rf"\b{re.escape(last.lower())}\b", text) is not None


# A figure with a bound the bare number breaks: "fewer than 60" survived, so 60 is wrong.
_STRICT_BOUND = re.compile(r"^(?:(?:less|more|fewer) than|under|over) \S", re.IGNORECASE)


def _used_alone(last: str, name: str, text: str) -> bool:
    """The article calls the person by `last` alone somewhere ("… Mugabe said"): never only
    within the full name, as "Lama" in "Dalai Lama", "Khan" in "Genghis Khan" or a given name
    written after the family name ("Zhou Enlai")."""
    before = [w for w in name.split()[:-1] if w[:1].isupper()]
    for m in re.finditer(rf"(?<![\w-]){re.escape(last)}(?![\w-])", text):
        words = re.findall(r"[\w'’.-]+", text[max(0, m.start() - 40) : m.start()])
        if not words or words[-1] not in before:
            return True
    return False


# A span of time with a bound before it: "less than two years", "more than two years".
_BOUNDED_SPAN = re.compile(
    r"^(?:(?:less|more|fewer) than|under|over|at least|at most|up to|within) \S+ "
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries)$",
    re.IGNORECASE,
)


def accepted_answers(
    fact: Fact, answer: str, article_text: str, names: NameTable | None = None
) -> tuple[str, ...]:
    """Other answers to accept for `answer` (the key), never the key itself."""
    out: list[str] = []
    if fact.category == "how_many":
        out += number_variants(fact.text)
        out += _unit_plural(answer)
        if _BOUNDED_SPAN.match(answer) or _STRICT_BOUND.match(answer):
            # "less than two years" is not "two" (read 45, loose aliases): keep the unit
            out = [a for a in out if not re.fullmatch(r"[\d.,]+|[a-z-]+", a.strip().lower())]
    elif fact.kind == "person":
        canonical = fact.info.canonical if fact.info is not None else answer
        last = surname(canonical)
        # "Aston Martin DB10", taken for a person, is a model: no name form to accept
        model = any(ch.isdigit() for ch in canonical + answer + fact.text)
        unique = (
            last is not None
            and not model
            # "Batt Reef", taken for a person, must not accept "Reef": a word that names a
            # kind of place or body is no surname
            and last.lower() not in NOT_SURNAMES
            and not _adjective_only(last)
            # "Croix de Guerre", "Salafi Islamists": a word after a particle, or a plural, is
            # no family name (read 50)
            and not _after_particle(canonical)
            and not (last.endswith("s") and last[:-1].lower() in english_words("noun"))
            and not _shared_surname(last, canonical, names)
            and last.lower() not in _TITLE_LAST
            # "Spitzer Space Telescope", "Blind Faith", "Slumdog Millionaire" taken for people:
            # a last word that is an English word is a surname only if the article uses it
            # alone ("… Baker said"); readers failed "Telescope", "Faith" (loose aliases)
            and (
                _family_last(canonical)
                and not _thing_named(canonical, last, article_text)
                or _used_alone(last, canonical, article_text)
            )
        )
        for form in (canonical, fact.text):
            if normalise(form) == normalise(answer) or model:
                continue
            if len(form.split()) >= 2 and normalise(form) == normalise(canonical):
                out.append(form)  # the full name, when the blank holds the surname
            elif form.split()[-1:] == [last] and unique:
                out.append(form)  # 'Aliyev', or 'President Aliyev', as the sentence writes it
        if unique and len(answer.split()) >= 2:
            out.append(last)
    elif fact.kind in ("organisation", "facility", "place", "city", "state", "country"):
        short = acronym(answer)
        if len(answer.split()) >= 2 and len(short) >= 2 and _written(short, article_text):
            out.append(short)
        out += _expansions(answer, article_text)
        out += _plain_place(answer)
    elif fact.kind == "date":
        words = answer.replace(",", "").split()
        if len(words) == 3 and words[1].isdigit():  # July 1 2020 -> 1 July 2020
            out.append(f"{words[1]} {words[0]} {words[2]}")
        elif len(words) == 2 and words[1].isdigit():
            out.append(f"{words[1]} {words[0]}")
        elif len(words) in (2, 3) and words[0].isdigit():  # 1 July 2020 -> July 1, 2020
            rest = f", {words[2]}" if len(words) == 3 else ""
            out.append(f"{words[1]} {words[0]}{rest}")
    seen = {normalise(answer)}
    result = []
    for a in out:
        a = " ".join(a.split())
        if a and normalise(a) not in seen:
            seen.add(normalise(a))
            result.append(a)
    return tuple(result)


_SINGULAR_SPAN = re.compile(
    r"^(\S+) (second|minute|hour|day|week|month|year|decade|century|mile|kilometre|kilometer)$"
)


def _unit_plural(answer: str) -> list[str]:
    """ "44 days" for a key written "44 day" (read 48: the article's slip, which the student
    should not have to copy)."""
    m = _SINGULAR_SPAN.match(answer)
    if m is None or m.group(1).lower() in ("1", "one", "a", "an"):
        return []
    unit = m.group(2)
    plural = unit[:-1] + "ies" if unit == "century" else unit + "s"
    return [f"{m.group(1)} {plural}"]


def _plain_place(answer: str) -> list[str]:
    """The name itself inside a longer key: "Chengdu" of "Chengdu of Sichuan", "Yuan" of
    "Mongol Yuan" (a people's adjective before the name). A student who types it is right."""
    gaz = load_gazetteer()
    head, of, within = answer.partition(" of ")
    # ("University of Pennsylvania" is no place of Pennsylvania called University: a word
    # that names a kind of body is never the name itself)
    if (
        of
        and head.lower() not in ORG_WORDS | FACILITY_WORDS
        and gaz.lookup(head) is not None
        and gaz.lookup(within) is not None
    ):
        return [head]
    first, _, rest = answer.partition(" ")
    if rest and first.lower() in gaz.demonyms and rest[:1].isupper() and " " not in rest:
        return [rest]
    return []


ACRONYM_KEY = re.compile(r"^[A-Z][A-Z&]{1,5}$")


def _expansions(answer: str, text: str) -> list[str]:
    """The full name an acronym key stands for, where the article spells it out beside it:
    'WWE (World Wrestling Entertainment)' or 'Organisation of Islamic Cooperation (OIC)'."""
    if not ACRONYM_KEY.match(answer):
        return []
    key = re.escape(answer)
    found = re.findall(rf"(?<![\w-]){key} \(([A-Z][^()]{{2,80}}?)\)", text)
    before = re.findall(
        rf"((?:[A-Z][\w'’&.-]*(?: (?:of|for|and|the|de|on)\b)* ?)+) \({key}\)", text
    )
    out = []
    letters = answer.replace("&", "")
    for name in [*found, *before]:
        name = re.split(r"[.!?] ", name.strip())[-1]  # from the sentence the acronym is in
        name = re.sub(r"^(?:The|the) ", "", name)
        words = name.split()
        # "Leaders of African Union (AU)": the words the letters stand for, not all before it
        for i in range(len(words)):
            if words[i][:1].isupper() and _initials(" ".join(words[i:])) == letters:
                name = " ".join(words[i:])
                break
        if _initials(name).upper().startswith(letters[:2]) and name not in out:
            out.append(name)
    return out


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Z][\w'’-]*", name))


def _written(short: str, text: str) -> bool:
    """The article writes the acronym itself: '(OIC)' or 'OIC' as a word."""
    return word_in(short, text)
