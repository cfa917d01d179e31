"""Numbers as documents write them: digits, words, ordinals and ranges, to numbers.

`eighth` = 8, `Four` = 4, `3rd` = 3, `a third cohort` = 3, `8 – 10` = (8, 10). The
number words are data (`patterns/numbers.jsonl`), so a new word is a line, not code.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from collections.abc import Iterable, Iterator

__all__ = ["Lead", "NumberMention", "find_numbers", "folded", "has_number", "has_word", "last_letter_run",
           "lead_starts", "leading_words", "letter_runs", "matches_at", "may_hold", "parse_range", "search_from_word",
           "to_number", "word_starts", "word_value"]

_PATTERNS = Path(__file__).parent.parent / "patterns"


@dataclass(frozen=True)
class NumberMention:
    """A number in a text: char offsets, the text as written and its value."""

    start: int
    end: int
    text: str
    value: float
    ordinal: bool = False
    percent: bool = False

    @property
    def int_value(self) -> int | None:
        return int(self.value) if float(self.value).is_integer() else None


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[int, bool]]:
    """word -> (value, is ordinal), from the number-word patterns."""
    words: dict[str, tuple[int, bool]] = {}
    with open(_PATTERNS / "numbers.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                words[row["pattern"].lower()] = (int(row["id"]), row["label"] == "ORDINAL")
    return words


@lru_cache(maxsize=1)
def _number_re() -> re.Pattern[str]:
    words = sorted(_lexicon(), key=len, reverse=True)
    word = r"(?:" + "|".join(words) + r")"
    # "twenty-four", "twenty four": tens joined to a unit word.
    compound = rf"{word}(?:[- ]{word})?"
    digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    return re.compile(
        rf"(?<![\w.,£$])(?:(?P<digits>{digits})(?P<suffix>st|nd|rd|th)?(?P<pct>\s?%|\s?per\s?cent\b)?"
        rf"|(?P<word>{compound})\b(?P<wpct>\s+per\s?cent\b)?)(?![\w]|\.\d)",
        re.IGNORECASE,
    )


def word_value(word: str) -> int | None:
    """The integer a number word or ordinal stands for: `eighth` 8, `Five` 5, `3rd` 3, `24` 24."""
    word = word.strip().lower()
    m = re.fullmatch(r"(\d+)(st|nd|rd|th)?", word)
    if m:
        return int(m.group(1))
    if word in _lexicon():
        return _lexicon()[word][0]
    parts = re.split(r"[- ]", word)
    if len(parts) == 2 and all(p in _lexicon() for p in parts):
        tens, unit = _lexicon()[parts[0]][0], _lexicon()[parts[1]][0]
        if tens >= 20 and tens % 10 == 0 and unit < 10:
            return tens + unit
    return None


def _is_ordinal_word(word: str) -> bool:
    last = re.split(r"[- ]", word.lower())[-1]
    return _lexicon().get(last, (0, False))[1]


_LETTER_RUN = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=4096)
def letter_runs(text: str) -> frozenset[str]:
    """The lower-cased runs of letters in a text: the rule components test the words their
    patterns need against these before running the patterns (most passages hold none)."""
    return frozenset(_LETTER_RUN.findall(text.lower()))


def last_letter_run(phrase: str) -> str:
    """The last run of letters of a phrase, lower-cased (`social workers` -> `workers`): a word
    that is in `letter_runs` of any text the phrase is in as a whole word."""
    return _LETTER_RUN.findall(phrase.lower())[-1]


# Characters outside ASCII that a case-blind pattern matches to an ASCII letter ("ſ" to "s").
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


def may_hold(text: str, words: tuple[str, ...]) -> bool:
    """Whether `text` holds one of `words` (lower case) in any case: a quick test before a
    case-blind pattern that cannot match without one of them (most passages hold none)."""
    if not text.isascii() and any(c in text for c in _FOLDS_TO_ASCII):
        return True  # (the pattern decides)
    low = text.lower()
    for word in words:  # (a loop, not `any` over a generator: this runs thousands of times per document)
        if word in low:
            return True
    return False


def has_word(text: str, words: frozenset[str]) -> bool:
    """Whether `text` holds one of `words` (lower-case letters) as a whole word in any case: a
    quick test before a case-blind pattern that needs one of them between word boundaries
    (`\\b(?:aim|target)\\b`). A whole word is a run of letters: its neighbours are no word
    characters, so no letters."""
    if not text.isascii() and any(c in text for c in _FOLDS_TO_ASCII):
        return True  # (the pattern decides)
    return not words.isdisjoint(letter_runs(text))


def folded(text: str) -> str | None:
    """`text` lower-cased offset for offset, where an ASCII word a case-blind pattern matches is
    found by `str.find` (many times faster than a caseless regex search); None where lower-casing
    moves offsets or a character outside ASCII matches an ASCII letter case-blind ("ı", "ſ")."""
    if not text.isascii() and any(c in text for c in _FOLDS_TO_ASCII):
        return None
    low = text.lower()
    return low if len(low) == len(text) else None


@dataclass(frozen=True)
class Lead:
    """Where every match of a pattern starts: where one of `words` (lower case) starts or, with
    `line`, at a line's start before one, with only whitespace (`space`) or spaces and tabs
    (`blank`) between."""

    words: tuple[str, ...]
    line: str | None = None


_LEAD = re.compile(r"(?P<line>\^\\s\*|\^\[ \\t\]\*)?(?:\\b)?"
                   r"(?:(?P<word>[A-Za-z]+)(?P<repeat>[?*+{]?)|(?P<group>\(\?:))")
_OPENING_WORD = re.compile(r"(?P<word>[A-Za-z']+)(?P<repeat>[?*+{]?)")  # ("'ll": an apostrophe folds to itself)


def leading_words(pattern: re.Pattern[str]) -> Lead | None:
    """Where every match of `pattern` starts, when its source opens on a word (`\\breport\\s+of`:
    report; `\\bwards?`: ward), on alternative words (`\\b(?:this|the)\\s`), either after a line's
    start and its spaces (`^\\s*`, `^[ \\t]*`, in MULTILINE), and has no alternative outside a group; else None."""
    m = _LEAD.match(pattern.pattern)
    if not m or pattern.flags & re.VERBOSE or _top_level_alternative(pattern.pattern):
        return None
    if m.group("line") and not pattern.flags & re.MULTILINE:
        return None
    line = ("space" if "s" in m.group("line") else "blank") if m.group("line") else None
    openings = [m] if m.group("word") else [_OPENING_WORD.match(a) for a in _alternatives(pattern.pattern, m.end())]
    # (a repeated last letter may be absent: `wards?` opens on "ward")
    words = [o.group("word")[:-1] if o.group("repeat") else o.group("word") for o in openings if o]
    if not openings or len(words) < len(openings) or not all(words):
        return None
    # (a word that another one opens, "expected" after "expect", starts nowhere else)
    lower = sorted({w.lower() for w in words})
    return Lead(tuple(w for w in lower if not any(w != v and w.startswith(v) for v in lower)), line)


def _alternatives(source: str, start: int) -> list[str]:
    """The alternatives of the group opened just before `start` (`(?:a|b)` -> a, b); none when the
    group may be absent (a quantifier after it) or its end is not found."""
    alternatives, begin = [], start
    for i, c, depth in _syntax(source, start):
        if c == "?":
            return []
        if c == ")" and depth == 0:
            optional = source[i + 1:i + 2] in ("?", "*", "{")
            return [] if optional else alternatives + [source[begin:i]]
        if c == "|" and depth == 0:
            alternatives.append(source[begin:i])
            begin = i + 1
    return []


def _top_level_alternative(source: str) -> bool:
    """Whether a pattern's source has a `|` outside every group (or a class this reading cannot
    delimit, `[]...]`: then it says True, so that the caller searches the whole text)."""
    return any(c == "?" or (c == "|" and depth == 0) for _, c, depth in _syntax(source))


def _syntax(source: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(offset, character, depth) of each `(`, `)` and `|` of a pattern's source from `start`,
    outside escapes and character classes; `depth` counts the groups opened since `start` before
    it. A class this reading cannot delimit (`[]...]`, `[^]...]`) gives `?` and ends the reading."""
    depth, i, in_class = 0, start, False
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            if source.startswith(("[]", "[^]"), i):
                yield i, "?", depth
                return
            in_class = True
        elif c in "()|":
            yield i, c, depth
            depth += 1 if c == "(" else -1 if c == ")" else 0
        i += 1


def search_from_word(pattern: re.Pattern[str], text: str, low: str | None, lead: Lead | None) -> re.Match[str] | None:
    """`pattern.search(text)`, tried only where its `lead` (`leading_words`) says a match can start in
    `low` (`folded(text)`): `pattern.match` there applies the pattern's own tests (its `\\b` sees the
    character before). Without a lead or a folded text, or where the words are everywhere, the search."""
    if low is None or lead is None:
        return pattern.search(text)
    starts = lead_starts(lead, text, low)
    if len(starts) > max(_FEW_STARTS, len(text) // _COMMON_WORD):
        return pattern.search(text)  # (as quick as trying it at so many words)
    for start in sorted(starts):
        m = pattern.match(text, start)
        if m:
            return m
    return None


_COMMON_WORD = 50  # characters per occurrence
_FEW_STARTS = 8


def lead_starts(lead: Lead, text: str, low: str) -> set[int]:
    """Every offset of `text` where a match of a pattern with this `lead` can start."""
    starts = word_starts(low, lead.words)
    if lead.line is None:
        return starts
    gap = str.isspace if lead.line == "space" else " \t".__contains__  # (str.isspace is the regex's \\s)
    lines = set()
    for at in starts:
        before = at
        while before and gap(text[before - 1]):
            before -= 1
        lines.update(p for p in range(before, at + 1) if p == 0 or text[p - 1] == "\n")
    return lines


def word_starts(low: str, words: Iterable[str]) -> set[int]:
    """Every offset where one of `words` starts in `low` (a `folded` text), overlapping ones included."""
    starts = set()
    for word in words:
        at = low.find(word)
        while at >= 0:
            starts.add(at)
            at = low.find(word, at + 1)
    return starts


def matches_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> list[re.Match[str]]:
    """`pattern.finditer(text)`'s matches, when `starts` holds every offset where a match can start
    and no match is empty: tried at each in order, from where the last match ended, as finditer goes on."""
    found: list[re.Match[str]] = []
    end = 0
    for start in sorted(starts):
        m = pattern.match(text, start) if start >= end else None
        if m:
            found.append(m)
            end = m.end()
    return found


def has_number(text: str) -> bool:
    """Whether `text` holds a digit or a number word (a quick test before `find_numbers`)."""
    return _DIGIT.search(text) is not None or not _lexicon().keys().isdisjoint(letter_runs(text))


def find_numbers(text: str) -> list[NumberMention]:
    """Every number in `text`, written in digits or words, in order."""
    found = []
    if not has_number(text):
        return found
    for m in _number_re().finditer(text):
        if m.group("digits"):
            value = float(m.group("digits").replace(",", ""))
            found.append(NumberMention(m.start(), m.end(), m.group(0), value,
                                       ordinal=bool(m.group("suffix")), percent=bool(m.group("pct"))))
            continue
        value = word_value(m.group("word"))
        if value is None:
            continue
        found.append(NumberMention(m.start(), m.end(), m.group(0), float(value),
                                   ordinal=_is_ordinal_word(m.group("word")), percent=bool(m.group("wpct"))))
    return found


def to_number(text: str) -> float | None:
    """The value of a text that is one number (`four`, `0.7`, `1,200`, `3rd`), else None."""
    numbers = find_numbers(text.strip())
    if len(numbers) == 1 and numbers[0].text.strip() == text.strip():
        return numbers[0].value
    return None


_RANGE_RE = re.compile(r"(?P<a>\d+(?:\.\d+)?)\s*(?:[-–—]|to)\s*(?P<b>\d+(?:\.\d+)?)(?!\d)")


def parse_range(text: str) -> tuple[float, float] | None:
    """`8 – 10` -> (8, 10); `10` -> (10, 10); `between 5 and 7` -> (5, 7); else None."""
    text = text.strip()
    m = _RANGE_RE.fullmatch(text) or re.fullmatch(
        r"between\s+(?P<a>\d+(?:\.\d+)?)\s+and\s+(?P<b>\d+(?:\.\d+)?)", text, re.IGNORECASE)
    if m:
        a, b = float(m.group("a")), float(m.group("b"))
        return (a, b) if a <= b else None
    value = to_number(text)
    return (value, value) if value is not None else None
