"""The pipeline: parse, repair names, find facts, write questions, filter, rank."""

from __future__ import annotations

import datetime
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from ..answers import normalise, word_in
from ..articles import Article
from ..numbers import parse_number
from . import coref, readback
from .distractors import (
    NumberIndex,
    name_distractors,
    number_distractors,
    rng_for,
    when_distractors,
)
from .entities import NameTable, entity_span, repair_spans
from .explain import explanation
from .facts import Fact, find_facts
from .findings import to_findings
from .fine_types import MentionContext
from .gazetteer import load_gazetteer
from .keys import ACRONYM_KEY, accepted_answers
from .models import MAX_CHARS, Bank, Numeric, Question, Source, question_id
from .nlp import load_nlp, model_label
from .ranking import CLOZE_FIRST, Draft, order_questions, rejected
from .realise import definition_questions, wh_question
from .realise.tokens import mark_capitalised
from .titles import bank_title, defining_subject

GENERATOR_VERSION = "0.1.0"
BLANK = "_____"
MIN_WORDS, MAX_WORDS = 5, 40
# A cloze keeps its whole sentence up to this length: a clause cut out of a sentence reads as a
# fragment (question-rubric.md); only longer sentences are cut, at ';' or around the clause.
MAX_CLOZE_WORDS = 50


@dataclass(frozen=True)
class Parsed:
    """An article with its body paragraphs parsed (docs[i] starts at offsets[i] in the text)."""

    article: Article
    docs: tuple[Doc, ...]
    offsets: tuple[int, ...]


# spaCy parses one paragraph per Doc; a paragraph longer than this (no news article has one) is
# cut into pieces at sentence ends, so a 1 MB run-on paragraph neither hits spaCy's max_length
# nor slows the per-Doc steps down.
MAX_PIECE = 10_000
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")
# A year asked as a bound: every year on its open side makes the sentence true as well.
_OPEN_YEAR = re.compile(r"^(?:After|Before|Until|Till|By) what year\b", re.IGNORECASE)


def _pieces(text: str, start: int, end: int, limit: int = MAX_PIECE) -> Iterator[tuple[int, int]]:
    """(start, end) spans of at most `limit` characters covering text[start:end], cut after a
    sentence end when there is one in the second half of the window, else after a space."""
    while end - start > limit:
        window = text[start : start + limit]
        cut = 0
        for m in _SENTENCE_END.finditer(window, limit // 2):
            cut = m.end()
        if not cut:
            space = window.rfind(" ", limit // 2)
            cut = space + 1 if space > 0 else limit
        yield start, start + cut
        start += cut
    yield start, end


def parse_articles(articles: Iterable[Article], batch_size: int | None = None) -> Iterator[Parsed]:
    """Parse every body paragraph of each article with one `nlp.pipe` stream."""
    nlp = load_nlp()
    articles = list(articles)
    jobs = [
        (n, start, art.text[start:end])
        for n, art in enumerate(articles)
        for paragraph in art.paragraphs
        for start, end in _pieces(art.text, *paragraph)
    ]
    per_article: dict[int, list[tuple[int, Doc]]] = {n: [] for n in range(len(articles))}
    texts = (text for _, _, text in jobs)
    for (n, start, _), doc in zip(jobs, nlp.pipe(texts, batch_size=batch_size), strict=True):
        per_article[n].append((start, repair_spans(doc)))
    for n, art in enumerate(articles):
        pairs = per_article[n]
        yield Parsed(art, tuple(d for _, d in pairs), tuple(s for s, _ in pairs))


def _article_date(article: Article) -> datetime.date | None:
    """The article's date (its dateline or record), if it has a whole one."""
    try:
        return datetime.date.fromisoformat((article.published or "")[:10])
    except ValueError:
        return None


def _article_year(article: Article) -> int | None:
    if article.published and article.published[:4].isdigit():
        return int(article.published[:4])
    return None


def _segment(fact: Fact) -> Span:
    """The part of a long sentence a cloze needs: its clause or its ';'-separated piece."""
    sent = fact.sent
    if len(sent) <= MAX_CLOZE_WORDS:
        return sent
    doc = sent.doc
    bounds = [sent.start] + [t.i + 1 for t in sent if t.text in (";", ":", "—")] + [sent.end]
    for a, b in zip(bounds, bounds[1:], strict=False):
        if a <= fact.answer.start and fact.answer.end <= b and 8 <= b - a <= MAX_WORDS:
            return doc[a:b]
    tok = fact.answer.root
    while tok.dep_ not in ("ROOT",) and not (
        tok.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
    ):
        tok = tok.head
    start = tok.left_edge.i
    if doc[start].tag_ in ("WDT", "WP") and tok.dep_ == "relcl":
        start = tok.head.left_edge.i  # keep the noun a relative clause is about
    span = doc[start : tok.right_edge.i + 1]
    if 8 <= len(span) <= MAX_WORDS:
        return span
    return sent


# A bracketed aside that dates by the day of writing, without the blank in it.
_RELATIVE_ASIDE = re.compile(
    r" ?\((?:(?!_____)[^()])*\b(?:yesterday|today|tomorrow|tonight)\b(?:(?!_____)[^()])*\)",
    re.IGNORECASE,
)
# A picture the student does not see: "The station building and its associated house
# (pictured) are …", "(James Nesbitt, pictured, and Helen Baxendale)" — blind readers failed
# both prompts that kept it (reads 34 and 40).
_PICTURED = re.compile(r" ?\((?:pictured|shown)(?: [^()_]{0,40})?\)|,\s*(?:pictured|shown),(?=\s)")
# "[citation needed]", "[12]", "[not in citation given]", "[when?]": editors' marks, never the
# words an editor put into a quotation ("stripped off [their] clothes")
_CITATION = re.compile(
    r"\[(?:\d{1,3}|[a-z]|(?:citation|clarification|verification|page|year|date|better source|"
    r"full citation|source|quotation) needed|not in citation given|failed verification|"
    r"dubious(?: [–—-] discuss)?|(?:when|who|which|where|why|how)\?|according to whom\?|"
    r"dead link|original research\??|lower-alpha \d+|note \d+|nb \d+|dated info)\]",
    re.I,
)
# A dateline opening a news article's first sentence: "San Fernando, Chile — ",
# "NAYPYIDAW, Myanmar, Jan. 31 (UPI) --", "ISTANBUL (AP) —" (a date and an agency), "Cairo: A
# …" (read 43), "Barcelona, June 12 (IANS) Spanish football club …" (read 45: a news agency's
# name closes it without a dash)
_PLACE_AND_DATE = r"^[A-Z][\w.'’-]*(?:,? [A-Z][\w.'’-]*){0,4}(?:,? [A-Z][a-z]{2,8}\.? \d{1,2})?"
_DATELINE = re.compile(
    _PLACE_AND_DATE + r"(?: \([A-Z][\w-]{1,12}\))?(?: [—–-]{1,2} (?=\S)|: (?=[A-Z]))"
    "|" + _PLACE_AND_DATE + r" \((?:AP|AFP|IANS|PTI|UPI|Reuters|Xinhua|dpa|ANI)\) (?=[A-Z])"
    # "CHICAGO (CBS)–The Chicago City Council …" (read 47): a station's credit, no spaces
    "|" + _PLACE_AND_DATE + r" \([A-Z][\w-]{1,12}\) ?[—–-]{1,2} ?(?=[A-Z])"
    # "(Reuters) - Stage Stores Inc …" (read 49): the agency alone, its place cut off
    r"|\((?:AP|AFP|IANS|PTI|UPI|Reuters|Xinhua|dpa|ANI|CNN|BBC)\) ?[—–-]{1,2} ?(?=[A-Z])"
)


def _dateline_in_question(prompt: str, sentence: str) -> bool:
    """A wh-question that took the sentence's dateline into its clause ("What did LAS VEGAS
    meet …?", read 47): the place of the dateline stands in the question."""
    m = _DATELINE.match(sentence)
    if m is None:
        return False
    place = re.split(r"[,(:—–]| -", m.group())[0].strip()
    return word_in(place, prompt)


_CONNECTIVE = re.compile(
    r"^(?:However|Meanwhile|Moreover|Furthermore|Additionally|Also|Thus|Therefore|Instead|"
    r"Nevertheless|Nonetheless|Similarly|Likewise|Consequently|For example|For instance|"
    r"In addition|In contrast|As a result|By contrast|Still|Then),\s+"
)


# The same without its comma ("However the Justices dismissed …"), before a subject only.
_BARE_CONNECTIVE = re.compile(
    r"^(?:However|Meanwhile|Moreover|Furthermore|Nevertheless|Nonetheless|Consequently|"
    r"Additionally)\s+(?=(?:the|a|an|this|these|those|[A-Z])\b|[A-Z])"
)


def cloze_prompt(fact: Fact) -> str | None:
    """The sentence (or its clause, when long) with the answer blanked out."""
    seg = _segment(fact)
    text = seg.text
    dateline = _DATELINE.match(text)
    if dateline and fact.answer.start_char - seg.start_char < dateline.end():
        return None  # "_____, Myanmar, Jan. 31 (UPI) -- …": a blank in the dateline (read 42)
    # the blank, and any pronoun coref named ("He" -> "Bruce McArthur"), right to left
    edits = [(fact.answer.start_char, fact.answer.end_char, BLANK)]
    for i, name in coref.resolved(fact.sent).items():
        tok = seg.doc[i]
        if seg.start <= i < seg.end and not fact.answer.start <= i < fact.answer.end:
            edits.append((tok.idx, tok.idx + len(tok.text), name))
    for start, end, replacement in sorted(edits, reverse=True):
        a0, a1 = start - seg.start_char, end - seg.start_char
        text = text[:a0] + replacement + text[a1:]
    # encyclopaedia citation marks ("[citation needed]", "[12]") are no part of the sentence,
    # nor an aside that gives the time by the day it was written ("(2000 yesterday UTC)")
    prompt = _CITATION.sub("", text)
    prompt = _RELATIVE_ASIDE.sub("", prompt)
    prompt = _PICTURED.sub("", prompt).strip(" ,;:—")
    # "However, …", "For example, …": a connective ties the sentence to the one before
    prompt = _CONNECTIVE.sub("", prompt, count=1)
    prompt = _BARE_CONNECTIVE.sub("", prompt, count=1)
    prompt = _DATELINE.sub("", prompt, count=1)
    if prompt[:1].islower():
        prompt = prompt[:1].upper() + prompt[1:]
    if normalise(fact.text) and f" {normalise(fact.text)} " in f" {normalise(prompt)} ":
        return None  # the answer appears twice: the blank would be given away
    if not MIN_WORDS <= len(prompt.split()) <= MAX_CLOZE_WORDS:
        return None
    return prompt


def _shows_a_name_form(prompt: str, kind: str, accepted: tuple[str, ...]) -> bool:
    """A person's other name form (the surname a student may type) stands in the prompt, a
    possessive too ("Stirling's family" beside the blank for Jane Stirling)."""
    if kind != "person":
        return False
    return any(
        len(alias) >= 3 and " " not in alias and word_in(alias, prompt, possessive=True)
        for alias in accepted
    )


def _shows_key(prompt: str, answer: str) -> bool:
    """The key itself stands in the prompt, a possessive too ("an ambush on _____'s camp, …
    half of Liu Yun's escort"): normalising drops the apostrophe and hides it."""
    if len(answer) < 3 or not any(ch.isalpha() for ch in answer):
        return False
    return word_in(answer, prompt, possessive=True)


def _without_alias_leaks(prompt: str, accepted: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """An alias must not stand in the prompt: '_____ (OIC)' loses its '(OIC)'; an alias that
    still shows is dropped rather than given away."""
    kept = []
    for alias in accepted:
        if not any(ch.isalpha() for ch in alias):
            kept.append(alias)
            continue
        prompt = prompt.replace(f" ({alias})", "")
        if f" {normalise(alias)} " not in f" {normalise(prompt)} ":
            kept.append(alias)
    return prompt, tuple(kept)


def _sentence_start(text: str, match: re.Match) -> bool:
    """Whether the word before `match` ends a sentence or a clause ("… said. Blair")."""
    return text[: match.start()].rstrip().endswith((".", ",", ";", ":", "?", "!", '"'))


def _sentence_ok(sent: Span) -> bool:
    words = [t for t in sent if not t.is_punct]
    if not MIN_WORDS <= len(words) <= 90:
        return False
    if readback.CUT_AT_ABBREVIATION.search(sent.text.rstrip()):
        return False  # "In 1844 he wrote only the Op." | "58 sonata.": cut at an abbreviation
    if _inside_quote(sent):
        return False
    return any(t.pos_ in ("VERB", "AUX") for t in sent)


def _inside_quote(sent: Span) -> bool:
    """The sentence lies inside a quotation an earlier sentence of its paragraph opened and a
    later one closes ('"We update the information … For the injured, the latest figure is
    446. …," said Aleem'): asked on its own, a speaker's words would read as the article's
    fact. A sentence that closes the quotation keeps who said it and stays."""
    marks = _quote_marks(sent.doc)
    start, end = sent.start_char, sent.end_char

    def count(mark: str, lo: int, hi: int | None = None) -> int:
        at = marks[mark]
        return (len(at) if hi is None else bisect_left(at, hi)) - bisect_left(at, lo)

    if count('"', 0, start) % 2 == 1:  # a stray quote mark opens nothing
        return count('"', start, end) == 0 and count('"', end) > 0
    if count("“", 0, start) > count("”", 0, start):
        return count("”", start, end) == 0 and count("”", end) > 0
    return False


_QUOTE_MARKS = "quizapp_quote_marks"


def _quote_marks(doc: Doc) -> dict[str, list[int]]:
    """The offsets of each double quote mark in the paragraph, found once per Doc (building
    `doc.text` joins every token: once per sentence made a long paragraph quadratic)."""
    if _QUOTE_MARKS not in doc.user_data:
        text = doc.text
        doc.user_data[_QUOTE_MARKS] = {
            mark: [m.start() for m in re.finditer(re.escape(mark), text)] for mark in '"“”'
        }
    return doc.user_data[_QUOTE_MARKS]


def _topic(parsed: Parsed) -> str | None:
    """What the article is about, for coref: its headline, or the subject an encyclopaedia
    lead defines ("Ezra Meeker (1830–1928) was an American pioneer …": his "He" is Ezra
    Meeker, not the President he met in the sentence before, read 39)."""
    if parsed.article.title:
        return parsed.article.title
    first = next((s for d in parsed.docs for s in d.sents), None)
    return defining_subject(first.text, as_written=True) if first is not None else None


class _Builder:
    def __init__(self, parsed: Parsed, title: str = ""):
        self.article = parsed.article
        self.title = title
        self.gaz = load_gazetteer()
        ents = [e for d in parsed.docs for e in d.ents]
        topic = _topic(parsed)
        self.names = NameTable(ents, self.gaz, topic)
        coref.resolve([list(doc.sents) for doc in parsed.docs], self.names, topic)
        coref.resolve_relative_days(parsed.docs, _article_date(self.article))
        mark_capitalised(parsed.docs)
        people = sorted({e.text for e in ents if e.label_ == "PERSON" and len(e) >= 2})
        for doc in parsed.docs:
            doc.user_data[readback.ARTICLE_PEOPLE] = people
            doc.user_data[readback.ARTICLE_TEXT] = self.article.text
        self.context = MentionContext(ents)
        self.year = _article_year(self.article)
        # (paragraph index, paragraph offset, sentence) of every askable sentence
        self.sentences = [
            (p, off, sent)
            for p, (doc, off) in enumerate(zip(parsed.docs, parsed.offsets, strict=True))
            for sent in doc.sents
            if _sentence_ok(sent)
        ]
        self.facts = [
            (p, off, fact)
            for p, off, sent in self.sentences
            for fact in find_facts(sent, self.names)
        ]
        self.numbers = NumberIndex(f for _, _, f in self.facts if f.category == "how_many")
        self.whens = [f for _, _, f in self.facts if f.category == "when"]
        if self.year is None:
            # no date: the latest year the article names bounds its year options (read 50:
            # 2020 and 2022 offered for a marathon of a 2019 story)
            years = [int(f.text) for f in self.whens if f.kind == "year" and f.text.isdigit()]
            self.year = max(years) if years else None
        main = sorted(
            (i for i in self.names.infos.values() if i.canonical == i.key),
            key=lambda i: -i.mentions,
        )
        self.main_subject = main[0].key if main else None
        self._texts: dict[tuple[int, int], str] = {}
        self._explained: dict[tuple[int, int], str] = {}

    def drafts(self) -> list[Draft]:
        out: list[Draft] = []
        for p, off, fact in self.facts:
            d = self._draft(p, off, fact)
            if d is not None:
                out.append(d)
                if d.is_wh and (
                    fact.category in CLOZE_FIRST
                    or rejected(d, self.article.title or self.title) is not None
                ):
                    # its cloze too: the ranking asks a CLOZE_FIRST category's fact by the
                    # cloze when both read well; any other fact is asked by its cloze when
                    # the wh-question does not read back (Wikinews coverage 52.2% -> 54.6%,
                    # Wikipedia 39.2% -> 40.9%)
                    out.append(self._make(p, off, fact, None))
        for p, off, sent in self.sentences:
            for tok, prompt in definition_questions(sent, self.names, self.gaz):
                span = entity_span(tok)
                info = self.names.get(span.text)
                if info is None:
                    continue
                if info.kind == "person":
                    fact = Fact(sent, span, "who", "person", info.canonical, info)
                else:
                    fact = Fact(sent, span, "where", info.kind, info.canonical, info)
                out.append(self._make(p, off, fact, prompt, definition=True))
        return [d for d in out if d is not None]

    def _draft(self, p: int, off: int, fact: Fact) -> Draft | None:
        weak = fact.info is not None and not fact.info.confident
        prompt = None if weak else wh_question(fact)
        if prompt is None and fact.kind == "age":
            person = _subject_person(fact, self.names)
            if person:
                prompt = f"How old was {person}?"
        return self._make(p, off, fact, prompt)

    def _make(
        self, p: int, off: int, fact: Fact, prompt: str | None, definition=False
    ) -> Draft | None:
        sent = fact.sent
        answer = (
            fact.info.canonical if fact.info is not None and fact.kind == "person" else fact.text
        )
        if fact.kind == "person" and prompt is None:
            answer = fact.text  # a cloze blank holds the words as written
        answer = " ".join(answer.split())
        raw = self._text(sent)
        sentence = raw.strip()
        # The span covers the sentence as stored: spaCy's sentence keeps the spaces after it.
        lead = len(raw) - len(raw.lstrip())
        start = off + sent.start_char + lead
        span = (start, start + len(sentence))
        is_cloze = prompt is None
        if is_cloze:
            prompt = cloze_prompt(fact)
            if prompt is None:
                return None
        else:
            prompt = re.sub(r"\s+([?,.])", r"\1", _CITATION.sub("", prompt))
            if _dateline_in_question(prompt, sentence):
                return None
        written = fact.answer.text
        if is_cloze and "-" in written and normalise(written) != normalise(answer):
            # "a new _____ term": the blank holds "five-year" as written; "five years" is right
            answer, spoken = written, answer
        else:
            spoken = None
        accepted = accepted_answers(fact, answer, self.article.text, self.names)
        if spoken is not None and spoken not in accepted:
            accepted = (*accepted, spoken)
        if not is_cloze and ACRONYM_KEY.match(answer) and fact.kind not in ("person", "date"):
            spelled = [a for a in accepted if len(a.split()) >= 2]
            if spelled:  # the full name is the key, the acronym an accepted answer
                rest = tuple(a for a in accepted if a != spelled[0])
                answer, accepted = spelled[0], (fact.text, *rest)
        if _shows_a_name_form(prompt, fact.kind, accepted) or _shows_key(prompt, answer):
            return None  # "invited by _____ … owned by members of Stirling's family"
        prompt, accepted = _without_alias_leaks(prompt, accepted)
        prompt = self._full_names(prompt, answer)
        options = self._options(fact, prompt, answer)
        if fact.kind == "year" and prompt.lower().startswith("since "):
            # "Since what year has no copy been sold?": a later year holds too
            options = [o for o in options if o.isdigit() and int(o) < int(answer)]
        if fact.kind == "year" and _OPEN_YEAR.match(prompt):
            # "After what year did Roosevelt become more liberal?": 1900 is after none of it,
            # yet "after 1900" holds too; every year on one side is true (read 33)
            options = []
        fmt, choices, numeric = self._format(fact, is_cloze, options, answer)
        qid = question_id(sentence, answer, fact.category, fmt)
        return Draft(
            question=Question(
                id=qid,
                category=fact.category,
                format=fmt,
                prompt=prompt,
                answer=answer,
                accepted_answers=accepted,
                choices=choices,
                numeric=numeric,
                explanation=self._explanation(sent),
                source_sentence=sentence,
                source_span=span,
            ),
            fact=fact,
            paragraph=p,
            is_wh=not is_cloze,
            definition=definition,
            mentions=fact.info.mentions if fact.info is not None else 1,
            main_subject=fact.info is not None and fact.info.key == self.main_subject,
        )

    def _text(self, sent: Span) -> str:
        """The sentence's text, joined from its tokens once (every draft of it asks)."""
        key = (id(sent.doc), sent.start)
        if key not in self._texts:
            self._texts[key] = sent.text
        return self._texts[key]

    def _explanation(self, sent: Span) -> str:
        key = (id(sent.doc), sent.start)
        if key not in self._explained:
            self._explained[key] = explanation(sent)
        return self._explained[key]

    def _options(self, fact: Fact, prompt: str, answer: str) -> list[str]:
        # a wrong option the prompt itself shows is no option ("after … in 1795?" offering 1795)
        return [o for o in self._all_options(fact, prompt, answer) if not word_in(o, prompt)]

    def _all_options(self, fact: Fact, prompt: str, answer: str) -> list[str]:
        if fact.category == "who":
            # The article's other people make poor wrong options: blind readers failed 31 of
            # 37 who-questions offered as multiple choice, 16 of them for an option that was
            # also true, of another kind (a band, a newspaper) or silly for the role. The
            # rubric's remedy: ask for the name (short answer, `_format`).
            return []
        if fact.category == "where":
            return name_distractors(fact, prompt, self.names, self.gaz, self.context)
        if fact.category == "how_many" and fact.quantity is not None:
            return number_distractors(fact, self.numbers)
        if fact.category == "when":
            return when_distractors(fact, self.whens, self.year, _article_date(self.article))
        return []

    def _full_names(self, prompt: str, answer: str) -> str:
        """A person the prompt names by surname alone is named in full at the first mention:
        the student cannot see the sentence that introduced "Blair" as Sir Ian Blair. The
        article's subject keeps the short form the article and the bank's title use."""
        for info in self.names.infos.values():
            full = info.canonical
            if info.kind != "person" or " " in info.key or full == info.key:
                continue
            if re.search(rf"\b{re.escape(info.key)}\b", self.title):
                continue  # the title the student sees names them
            if normalise(full) == normalise(answer) or full in prompt:
                continue
            if all(re.fullmatch(r"[A-Z]\.", w) for w in full.split()[:-1]):
                continue  # "M. Bond": an initial tells the student nothing, and may be a stray
            for m in re.finditer(rf"(?<![\w-]){re.escape(info.key)}(?![\w-])", prompt):
                before = prompt[: m.start()].split()
                after = prompt[m.end() :].split()
                if before and before[-1][:1].isupper() and not _sentence_start(prompt, m):
                    continue  # part of another name: "Tony Blair"
                if after and after[0][:1].isupper():
                    continue
                prompt = prompt[: m.start()] + full + prompt[m.end() :]
                break
        return prompt

    def _format(self, fact: Fact, is_cloze: bool, options: list[str], answer: str):
        if is_cloze:
            return "cloze", None, None
        rng = rng_for(fact.sent.text, answer, "format")
        if (
            fact.category == "how_many"
            and fact.quantity is not None
            and fact.kind in ("count", "duration", "age", "quantity")
            # "over fifteen hundred" is no exact number to type
            and not fact.quantity.qualifier
            and rng.random() < 0.4
        ):
            unit = fact.unit or ("years" if fact.kind == "age" else None)
            return "numeric", None, Numeric(fact.quantity.value, 0, unit)
        if len(options) >= 3:
            choices = options[:3] + [answer]
            if fact.category == "how_many" and fact.quantity is not None:
                choices.sort(key=lambda c: parse_number(c) or 0)
            else:
                rng.shuffle(choices)
            return "multiple_choice", tuple(choices), None
        return "short_answer", None, None


def _subject_person(fact: Fact, names: NameTable) -> str | None:
    """The person an age belongs to: 'Hana Kimura, age 22' / 'X dies aged 41'."""
    tok = fact.answer.root
    for cand in (tok.head, tok.head.head, tok.head.head.head):
        # the article's vote decides ("Adamowicz, 53," though the model said organisation)
        if cand.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
            info = names.get(entity_span(cand).text)
            if info is not None and info.kind == "person":
                return info.canonical
        for child in cand.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.ent_type_ == "PERSON":
                info = names.get(entity_span(child).text)
                if info is not None and info.kind == "person":
                    return info.canonical
    return None


def build_bank(parsed: Parsed, max_questions: int | None = None) -> Bank:
    """The bank for one parsed article: questions best first (contracts §2)."""
    article = parsed.article
    title = bank_title(article, parsed.docs)
    builder = _Builder(parsed, title)
    questions, alternates = order_questions(
        builder.drafts(), title=article.title, shown_title=title, text=article.text
    )
    if max_questions is not None:
        questions = questions[:max_questions]
    return Bank(
        title=title,
        source=Source(
            title=_shortened(article.title, MAX_CHARS["title"]) or title,
            # A cut address or date would be wrong, so one too long for the bank is left out.
            url=_within(article.url, MAX_CHARS["url"]),
            published=_within(article.published, MAX_CHARS["published"]),
            licence=_shortened(article.licence, MAX_CHARS["licence"]),
            sha256=article.sha256,
        ),
        generator={"name": "quizapp", "version": GENERATOR_VERSION, "nlp_model": model_label()},
        questions=tuple(questions),
        alternates=tuple(alternates),
        findings=to_findings(builder.names, builder.context),
    )


def _shortened(text: str | None, limit: int) -> str | None:
    """`text` cut at a word to fit `limit` characters with an ellipsis (None stays None)."""
    if text is None or len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip() + "…"


def _within(text: str | None, limit: int) -> str | None:
    return text if text is None or len(text) <= limit else None


def generate_bank(article: Article, max_questions: int | None = None) -> Bank:
    """Generate the question bank of one article."""
    (parsed,) = parse_articles([article])
    return build_bank(parsed, max_questions)


def generate_banks(articles: Iterable[Article], max_questions: int | None = None) -> Iterator[Bank]:
    """Generate banks for many articles, parsing them as one stream (`nlp.pipe`)."""
    for parsed in parse_articles(articles):
        yield build_bank(parsed, max_questions)
