"""The spaCy rule pipeline: a blank English pipeline, a sentencizer, an entity span ruler
whose patterns are data (`patterns/*.jsonl`, matched around their anchor words: see
`extract.language.ruler`; it marks name words with `name_tags` in the docs it matches them in)
and small rule components that put their matches in `doc.spans` (`dates`, `cohort_phrases`).

    nlp = build_nlp()
    doc = parse(nlp, "Our eighth cohort began in May 2024 with 27 trainees.")
    doc.spans["entities"], spans_of(doc, "cohort_phrases"), spans_of(doc, "dates")
"""
from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy
import spacy
from spacy.attrs import IDX, LENGTH, ORTH, SENT_START, TAG
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.lexeme import Lexeme
from spacy.tokens import Doc, Span, Token

from extract.language import ruler  # noqa: F401  (registers the wkb_span_ruler factory)
from extract.language.dates import find_dates
from extract.language.numbers import has_number, last_letter_run, letter_runs

__all__ = [
    "DOMAIN_WORDS", "ENTITY_LABELS", "SPAN_KEYS", "block_segments", "build_nlp", "char_spans", "cohort_phrase_matches",
    "date_iso", "initialize", "load_patterns", "name_tag", "parse", "parse_all", "sentences", "span_text", "spans_of",
    "text_of",
]

PATTERNS_DIR = Path(__file__).parent.parent / "patterns"
# Pattern files the entity ruler loads; the other files there are word tables.
ENTITY_PATTERN_FILES = ("programmes.jsonl", "roles.jsonl", "teams.jsonl", "organisations.jsonl")
ENTITY_LABELS = ("PROGRAMME", "ROLE", "TEAM", "ORG")
SPAN_KEYS = ("entities", "dates", "cohort_phrases")

# Lower-case words that may sit inside a team or role name ("corporate Communications
# Team", "multi-agency steering group", "performance and improvement team").
DOMAIN_WORDS = frozenset("""
multi agency corporate steering working project leadership communications communication performance
improvement practice quality assurance workforce development learning social care children family
families safeguarding senior management strategic operational programme systemic professional
education young people partnership services service recruitment retention training health early help
youth offending wellbeing engagement policy principal advanced
""".split())
_CONNECTORS = frozenset({"of", "for", "and", "&", "in", "'s", "’s", "-", "on"})


def _is_capitalised(text: str) -> bool:
    return len(text) > 1 and text[:1].isupper()


def name_tag(token: Token | Lexeme) -> str:
    """`NAME` for a word that can sit in a team, role or organisation name (capitalised, an
    acronym or a domain word), `CONNECTOR` for `of`/`and`/`&`/`'s`, else `O`."""
    if token.lower_ in _CONNECTORS:
        return "CONNECTOR"
    if token.is_stop or not (token.is_alpha or "-" in token.text):
        return "O"
    return "NAME" if _is_capitalised(token.text) or token.lower_ in DOMAIN_WORDS else "O"


class WordSentencizer(Sentencizer):
    """spaCy's sentencizer, reading the tokens' words from one array instead of making a Token
    per token, which is most of what spaCy's costs: as there, a sentence starts at the first
    token after a sentence-final mark that is not punctuation itself. With `overwrite`, the
    starts it sets are kept for `sentences` (which need not read them back from the doc)."""

    def predict(self, docs):
        guesses = []
        for doc in docs:
            words = doc.to_array(ORTH).tolist()
            guess = [False] * len(words)
            if words:
                guess[0] = True
                marks, kinds = self._tables(doc.vocab)
                for at in [i for i, word in enumerate(words) if word in marks] if not marks.isdisjoint(words) else ():
                    start = at + 1
                    while start < len(words) and self._kind(doc.vocab, kinds, words[start]) != _WORD:
                        start += 1
                    if start < len(words):
                        guess[start] = True
            guesses.append(guess)
        return guesses

    def set_annotations(self, docs, batch_tag_ids) -> None:
        docs = [docs] if isinstance(docs, Doc) else list(docs)
        super().set_annotations(docs, batch_tag_ids)
        for doc, guess in zip(docs, batch_tag_ids) if self.overwrite else ():  # (else a doc may keep starts of its own)
            if guess:
                doc.user_data["wkb_sent_starts"] = [i for i, start in enumerate(guess) if start]

    def _tables(self, vocab) -> tuple[frozenset[int], dict[int, int]]:
        """The marks' word ids and the kind of each word seen (`_WORD`, `_PUNCT` or `_MARK`), per vocab."""
        key = (id(vocab), frozenset(self.punct_chars))
        tables = self.__dict__.get("_wkb_tables")
        if tables is None or tables[0] != key:
            tables = self.__dict__["_wkb_tables"] = (
                key, frozenset(vocab.strings.add(mark) for mark in self.punct_chars), {})
        return tables[1], tables[2]

    def _kind(self, vocab, kinds: dict[int, int], word: int) -> int:
        kind = kinds.get(word)
        if kind is None:
            lexeme = vocab[word]
            kind = kinds[word] = _MARK if lexeme.orth_ in self.punct_chars else _PUNCT if lexeme.is_punct else _WORD
        return kind


_WORD, _PUNCT, _MARK = 0, 1, 2


@Language.factory("wkb_sentencizer", assigns=["token.is_sent_start", "doc.sents"],
                  default_config={"punct_chars": None, "overwrite": False,
                                  "scorer": {"@scorers": "spacy.senter_scorer.v1"}})
def make_sentencizer(nlp: Language, name: str, punct_chars: list[str] | None, overwrite: bool,
                     scorer: Callable | None) -> WordSentencizer:
    return WordSentencizer(name, punct_chars=punct_chars, overwrite=overwrite, scorer=scorer)


@Language.component("wkb_name_tags", assigns=["token.tag"])
def name_tags(doc: Doc) -> Doc:
    """Mark name words in TAG (a blank pipeline has no tagger) so the entity patterns match
    them natively instead of calling a Python getter per token and pattern.

    The tag depends on the word alone, so it is worked out once per vocabulary entry and the
    doc's tags are written in one array.
    """
    tags = _NAME_TAGS.setdefault(id(doc.vocab), {})
    orths = doc.to_array(ORTH).tolist()
    try:  # nearly every word has been seen before: look up first, tag the new words on a miss
        values = list(map(tags.__getitem__, orths))
    except KeyError:
        for orth in set(orths).difference(tags):
            tags[orth] = doc.vocab.strings.add(name_tag(doc.vocab[orth]))
        values = list(map(tags.__getitem__, orths))
    doc.from_array([TAG], numpy.array(values, dtype="uint64"))
    return doc


_NAME_TAGS: dict[int, dict[int, int]] = {}  # vocab -> orth -> tag hash


@spacy.registry.misc("wkb.name_tags.v1")
def name_tagger() -> Callable[[Doc], Doc]:
    """`name_tags`, for the entity ruler to run on the docs its token patterns are matched in."""
    return name_tags


def load_patterns(files: tuple[str, ...] = ENTITY_PATTERN_FILES) -> list[dict]:
    """Entity patterns from the data files, in file order."""
    patterns = []
    for name in files:
        with open(PATTERNS_DIR / name, encoding="utf-8") as f:
            patterns.extend(json.loads(line) for line in f if line.strip())
    return patterns


@spacy.registry.misc("wkb.entity_patterns.v1")
def entity_patterns(files: list[str]) -> list[dict]:
    """The entity ruler's patterns, read from the named files in extract/patterns/ when the
    pipeline is initialised (the pipeline's config names them)."""
    return load_patterns(tuple(files))


@lru_cache(maxsize=1)
def build_nlp() -> Language:
    """A blank English pipeline with the workforce-kb rule components (built once).

    Everything is in `nlp.config`, patterns included (read at `initialize`), so
    `spacy.util.load_model_from_config(nlp.config)` then `initialize()` builds the same pipeline.
    """
    nlp = spacy.blank("en")
    nlp.add_pipe("wkb_sentencizer", name="sentencizer", config={"punct_chars": [".", "!", "?", ";"], "overwrite": True})
    nlp.add_pipe("wkb_span_ruler", name="wkb_entities", config={
        "spans_key": "entities", "phrase_matcher_attr": "LOWER",
        "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"}, "validate": True,
        "tagger": {"@misc": "wkb.name_tags.v1"},
    })
    nlp.config["initialize"]["components"]["wkb_entities"] = {
        "patterns": {"@misc": "wkb.entity_patterns.v1", "files": list(ENTITY_PATTERN_FILES)}}
    nlp.add_pipe("wkb_abbreviation_sentences")
    nlp.add_pipe("wkb_dates")
    nlp.add_pipe("wkb_cohort_phrases")
    initialize(nlp)
    return nlp


def initialize(nlp: Language) -> None:
    """`nlp.initialize()`, which loads the entity patterns."""
    nlp.initialize()


def parse(nlp: Language, text: str) -> Doc:
    """Run the pipeline over a text.

    Several extractors read the same block, so parses are cached by text; treat the Doc as
    read-only. Relative dates are resolved by the reader (`date_iso`), which knows the
    document's date, so one parse serves every reader.
    """
    return _parse_cached(nlp, text)


_CACHE_SIZE = 4096


@lru_cache(maxsize=_CACHE_SIZE)
def _parse_cached(nlp: Language, text: str) -> Doc:
    doc = _prepared.get(text)
    if doc is not None:
        return doc
    doc = _new_doc(nlp, text)
    if len(doc):
        for proc in _parse_steps(nlp):
            doc = proc(doc)
    return doc


@lru_cache(maxsize=8)
def _parse_steps(nlp: Language) -> list:
    """The pipeline's components `parse` runs, in order: all but the on-demand ones (listed
    once per pipeline: `nlp.pipeline` builds a new list, error message and all, on each call;
    the pipelines `parse` is given are built once and not changed)."""
    return [proc for name, proc in nlp.pipeline if name not in _ON_DEMAND.values()]


_prepared: dict[str, Doc] = {}  # parses `parse_all` hands to the cache


def _new_doc(nlp: Language, text: str) -> Doc:
    doc = nlp.make_doc(text)
    doc.user_data["wkb_text"] = text  # what `doc.text` would join again from the tokens (spaCy loses no character)
    if not len(doc):  # the matchers refuse a doc without tokens
        for key in SPAN_KEYS:
            doc.spans[key] = []
    return doc


# Components `parse` leaves out until a reader asks for their spans with `spans_of`: only
# the sentences under a programme need cohort phrases and dates, and finding those costs
# about as much as the rest of the pipeline together.
_ON_DEMAND = {"dates": "wkb_dates", "cohort_phrases": "wkb_cohort_phrases"}


def spans_of(doc: Doc, key: str) -> list[Span]:
    """The spans in `doc.spans[key]`, listed once per doc (a span group makes its spans anew on
    every pass), running the pipeline component that fills it the first time it is asked for."""
    listed = doc.user_data.get(("wkb_spans", key))
    if listed is None:
        if key not in doc.spans:
            _COMPONENTS[_ON_DEMAND[key]](doc)
        listed = doc.user_data[("wkb_spans", key)] = list(doc.spans[key])
    return listed


def parse_all(nlp: Language, texts: list[str]) -> None:
    """Parse a document's passages in one go, before the extractors read them.

    The extractors then find every parse in the cache. Passages go through the pipeline
    together, each component over all of them in turn, not one passage at a time between
    the extractors' own work, which keeps each component's tables in the CPU's caches. A
    document with more passages than the cache holds is parsed as read.
    """
    unique = list(dict.fromkeys(texts))
    if len(unique) > _CACHE_SIZE:
        return
    docs = [_new_doc(nlp, text) for text in unique]
    parsed = [doc for doc in docs if len(doc)]
    for proc in _parse_steps(nlp):
        parsed = [proc(doc) for doc in parsed]
    _prepared.update(zip(unique, docs))
    for text in unique:
        _parse_cached(nlp, text)
    _prepared.clear()


def date_iso(span: Span, context_date: str | None) -> str | None:
    """The ISO value of a `dates` span; a relative one (`this January`) against `context_date`."""
    if span.label_ != "relative":
        return span.kb_id_ or None
    found = find_dates(span.text, context_date)
    return found[0].iso if found else None


def char_spans(doc: Doc, matches: list[tuple[int, int, str]] | list[tuple[int, int, str, str]]) -> list[Span]:
    """Character matches (start, end, label[, kb_id]) as token spans, widened to token edges.

    Token edges are looked up by bisection on one offset table per doc, since
    `doc.char_span` walks the tokens on every call.
    """
    if not matches or not len(doc):
        return []
    starts, ends = _token_edges(doc)
    spans = []
    for match in matches:
        first = bisect.bisect_right(ends, match[0])
        last = bisect.bisect_left(starts, match[1])
        if first < last:
            spans.append(Span(doc, first, last, label=match[2], kb_id=match[3] if len(match) > 3 else ""))
    return spans


def _token_edges(doc: Doc) -> tuple[list[int], list[int]]:
    """Each token's start and end offset, read once per doc as arrays (not token by token)."""
    edges = doc.user_data.get("wkb_edges")
    if edges is None:
        idx, length = doc.to_array([IDX, LENGTH]).T.tolist()
        edges = doc.user_data["wkb_edges"] = (idx, [i + n for i, n in zip(idx, length)])
    return edges


def text_of(doc: Doc) -> str:
    """`doc.text`, kept: spaCy joins every token's text again on each access."""
    text = doc.user_data.get("wkb_text")
    if text is None:
        text = doc.user_data["wkb_text"] = doc.text
    return text


def span_text(span: Span) -> str:
    """`span.text`, cut from the kept document text instead of joined token by token."""
    doc = span.doc
    text = doc.user_data.get("wkb_text")  # (`text_of`, inlined: the readers ask thousands of times per document)
    return (text if text is not None else text_of(doc))[span.start_char:span.end_char]


def sentences(doc: Doc) -> list[Span]:
    """The sentences of a parsed doc (as `doc.sents` gives them), listed once from the
    sentence-start array: `doc.sents` walks every token on each call."""
    if "wkb_sents" not in doc.user_data:
        starts = doc.user_data.get("wkb_sent_starts") or _sentence_starts(doc)
        doc.user_data["wkb_sents"] = [Span(doc, s, e) for s, e in zip(starts, starts[1:] + [len(doc)])]
    return doc.user_data["wkb_sents"]


def _sentence_starts(doc: Doc) -> list[int]:
    """Token 0 and every token marked as starting a sentence."""
    if not len(doc):
        return []
    flags = doc.to_array(SENT_START).tolist()
    return [0] + [i for i in range(1, len(flags)) if flags[i] == 1]


# A full stop inside "31.8.23", "e.g." or "No. 5" must not end a sentence: the
# sentencizer only looks at the punctuation token, so undo its splits here.
_NO_BREAK_AFTER = re.compile(r"^(e\.g|i\.e|etc|no|vs|cf|approx|incl|dr|mr|mrs|ms|st)\.?$", re.IGNORECASE)


@Language.component("wkb_abbreviation_sentences", assigns=["token.is_sent_start"])
def abbreviation_sentences(doc: Doc) -> Doc:
    """Join sentences the sentencizer split after `e.g.`, `etc.` or before a lower-case word."""
    if "." not in text_of(doc):
        return doc  # every split undone below follows a full stop
    starts = doc.user_data.get("wkb_sent_starts") or _sentence_starts(doc)
    kept = starts[:1]
    for i in starts[1:]:
        token, prev = doc[i], doc[i - 1]
        after_abbreviation = _NO_BREAK_AFTER.match(prev.text) or (
            prev.text == "." and token.i >= 2 and _NO_BREAK_AFTER.match(doc[token.i - 2].text))
        if after_abbreviation or (prev.text == "." and token.text[:1].islower()):
            token.is_sent_start = False
        else:
            kept.append(i)
    doc.user_data["wkb_sent_starts"] = kept  # `sentences` need not read the array again
    return doc


@Language.component("wkb_dates", assigns=["doc.spans"])
def dates_component(doc: Doc) -> Doc:
    """Dates, deadlines, horizons, frequencies: label = kind, kb_id = ISO value or ''.

    Relative dates get no kb_id here: `date_iso` resolves them against the document date.
    """
    found = find_dates(text_of(doc))
    doc.spans["dates"] = char_spans(doc, [(d.start, d.end, d.kind, d.iso or "") for d in found])
    return doc


@lru_cache(maxsize=1)
def _people_nouns() -> tuple[str, ...]:
    with open(PATTERNS_DIR / "people.jsonl", encoding="utf-8") as f:
        return tuple(json.loads(line)["pattern"] for line in f if line.strip())


@lru_cache(maxsize=1)
def _cohort_rules() -> tuple[re.Pattern[str], ...]:
    from extract.language.numbers import _lexicon

    ordinal_words = [w for w, (_, is_ord) in _lexicon().items() if is_ord]
    cardinal_words = [w for w, (_, is_ord) in _lexicon().items() if not is_ord]
    ordinal = r"(?:\d{1,2}(?:st|nd|rd|th)|" + "|".join(sorted(ordinal_words, key=len, reverse=True)) + ")"
    words = "|".join(sorted(cardinal_words, key=len, reverse=True))
    # "Forty-nine", "twenty four": tens and a unit word, one number
    cardinal = rf"(?:\d{{1,4}}|(?:{words})(?:[- ](?:{words}))?)"
    group = r"(?:cohort|cohorts|intake|unit|group|year\s+group)"
    people = "|".join(re.escape(p) for p in sorted(_people_nouns(), key=len, reverse=True))
    # "eighth cohort", "5th Frontline unit", "3rd cohort", "cohort 8", "Cohort Three"
    label = re.compile(
        rf"\b(?P<ord>{ordinal})\s+(?:[A-Z][\w-]*\s+){{0,6}}?{group}\b|"  # "fifth Step Up to Social Work cohort"
        rf"\b{group}\s+(?P<num>\d{{1,2}}|{cardinal})\b",
        re.IGNORECASE)
    # "27 trainees", "4 participants", "Five colleagues", "24 NQSWs", "3 of our 4 participants"
    count = re.compile(
        rf"(?<![\d.,-])\b(?!(?:19|20)\d\d\b)(?P<count>{cardinal})\s+(?:(?:of\s+(?:our|the|their|these|those)\s+(?:(?P<of>{cardinal})\s+)?)|"
        rf"(?:(?:(?!(?:and|or|to|in|of|with|from)\b)[A-Za-z’'-]+|to(?=\s+[A-Z]))\s+){{0,6}}?)(?P<noun>{people})\b",
        re.IGNORECASE)
    bracket = re.compile(rf"\b(?P<noun>{people})\s+\((?P<count>\d{{1,4}})\)", re.IGNORECASE)
    # "five of them have stayed": a part of the group just named.
    of_them = re.compile(rf"(?<![\w.])(?P<count>{cardinal})\s+of\s+(?:them|these|those|whom)\b", re.IGNORECASE)
    # "with another 17 to be registered": the people noun is the one just named.
    further = re.compile(rf"\b(?:another|a\s+further|and|while|with)\s+(?P<count>{cardinal})(?=\s+(?:to|who|are|were|"
                         rf"will|have|has|had|due|expected|starting|joining|set|planned|scheduled|beginning|"
                         rf"commencing|in\s+(?:their|the|our)\s+\w+\s+year)\b)", re.IGNORECASE)
    # "the first unit of four qualified": a group's size after "of", its noun left out.
    group_of = re.compile(rf"\b{group}\s+of\s+(?P<count>{cardinal})\b(?!\s*(?:%|per\b|of\b))", re.IGNORECASE)
    return label, count, bracket, further, of_them, group_of


@Language.component("wkb_cohort_phrases", assigns=["doc.spans"])
def cohort_phrases_component(doc: Doc) -> Doc:
    """Cohort labels (COHORT_LABEL, kb_id = number) and head counts (COUNT, kb_id = count)."""
    doc.spans["cohort_phrases"] = char_spans(doc, cohort_phrase_matches(text_of(doc)))
    return doc


_COMPONENTS = {"wkb_dates": dates_component, "wkb_cohort_phrases": cohort_phrases_component}


@lru_cache(maxsize=1)
def _people_words() -> frozenset[str]:
    """The last word of each people noun: a head count needs one of them."""
    return frozenset(last_letter_run(noun) for noun in _people_nouns())


_GROUP_WORD = re.compile(r"\b(?:cohorts?|intake|unit|group)\b", re.IGNORECASE)
_OF_THEM = re.compile(r"\bof\s+(?:them|these|those|whom)\b", re.IGNORECASE)


def cohort_phrase_matches(text: str) -> list[tuple[int, int, str, str]]:
    from extract.language.numbers import word_value

    # Quick tests first: every label and count is a number, and most passages hold none; of
    # the rest, most name no group, no bracketed number, no "of them", and a head count or a
    # bracketed one needs (but for "another 17") one of the people nouns.
    if not has_number(text):
        return []
    label, count, bracket, further, of_them, group_of = _cohort_rules()
    grouped = _GROUP_WORD.search(text) is not None
    people = not _people_words().isdisjoint(letter_runs(text))
    found = []
    for m in label.finditer(text) if grouped else ():
        value = word_value(m.group("ord") or m.group("num"))
        if value is not None:
            found.append((m.start(), m.end(), "COHORT_LABEL", str(value)))
    labels = [(start, end) for start, end, _, _ in found]
    for m in count.finditer(text) if people else ():
        value = word_value(m.group("count"))
        if value is None or re.match(r"(19|20)\d\d$", m.group("count")):
            continue
        if any(start <= m.start("count") < end for start, end in labels):
            continue  # the 6 of "cohort 6 students" numbers the cohort
        found.append((m.start("count"), m.end(), "COUNT", str(value)))
    for rx, worth in ((bracket, people and "(" in text), (further, True),
                      (of_them, _OF_THEM.search(text) is not None)):
        for m in rx.finditer(text) if worth else ():
            found.append((m.start(), m.end(), "COUNT", str(word_value(m.group("count")))))
    counted = [(start, end) for start, end, kind, _ in found if kind == "COUNT"]
    for m in group_of.finditer(text) if grouped else ():
        if not any(start <= m.start("count") < end for start, end in counted):
            found.append((m.start("count"), m.end(), "COUNT", str(word_value(m.group("count")))))
    return sorted(found)


def block_segments(block) -> list[tuple[int, str]]:
    """The pieces of a block to parse, with their offsets in `block.text` (a shared list:
    three extractors read each block; do not change it).

    A table block's text is its rows, one a line, cells joined by ` | `; each cell is
    parsed alone so a sentence never runs from one cell into the next. A piece without a
    letter (a figure, a date in digits) names no one and states no aim or cohort, so it is
    left out.
    """
    return _segments(block.kind == "table", block.text)  # (a `BlockKind` is a str)


@lru_cache(maxsize=4096)
def _segments(table: bool, text: str) -> list[tuple[int, str]]:
    if not table:
        return [(0, text)] if _LETTER.search(text) else []
    segments = []
    for m in re.finditer(r"[^|\n]+", text):
        cell = m.group(0)
        stripped = cell.strip()
        if stripped and _LETTER.search(stripped):
            segments.append((m.start() + cell.index(stripped), stripped))
    return segments


_LETTER = re.compile(r"[^\W\d_]")
