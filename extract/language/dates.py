"""Dates, deadlines, horizons and frequencies as written, normalised to ISO at the given precision.

`early 2023` -> `2023`, `January 2023` -> `2023-01`, `31.8.23` -> `2023-08-31`,
`this January` -> the context year's January. Horizons (`over the next 12 months`) and
frequencies (`annually`) are kept as text with no ISO date. Month and season names are
data (`patterns/dates.jsonl`).
"""
from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extract.language.numbers import last_letter_run, letter_runs

__all__ = ["DateMention", "as_at_date", "context_year", "due_of", "find_dated", "find_dates", "latest_day",
           "may_hold_date", "may_hold_year"]

_PATTERNS = Path(__file__).parent.parent / "patterns"


@dataclass(frozen=True)
class DateMention:
    """A date expression: char offsets into the text, the text as written, ISO value or None.

    `kind` is `date`, `month`, `year`, `relative`, `period` (a span such as 2021-23),
    `horizon` (over the next 12 months) or `frequency` (annually).
    """

    start: int
    end: int
    text: str
    iso: str | None
    kind: str


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, dict[str, str]]:
    """label -> {word: id} from the date-word patterns."""
    table: dict[str, dict[str, str]] = {}
    with open(_PATTERNS / "dates.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                table.setdefault(row["label"], {})[row["pattern"].lower()] = row["id"]
    return table


def _alt(label: str) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(_lexicon()[label], key=len, reverse=True)) + ")"


def _month(word: str) -> str:
    return _lexicon()["MONTH"][word.lower().rstrip(".")]


def context_year(context_date: str | None) -> int | None:
    m = re.match(r"(\d{4})", context_date or "")
    return int(m.group(1)) if m else None


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


@lru_cache(maxsize=1)
def _rules() -> tuple[list[tuple[str, re.Pattern[str], frozenset[str]]], dict[str, frozenset[str]]]:
    """(kind, pattern, anchor names) in priority order, longer, more precise forms first; and
    the word anchors by name."""
    month, season, part = _alt("MONTH"), _alt("SEASON"), _alt("PART")
    weekday, freq = _alt("WEEKDAY"), _alt("FREQUENCY")
    lead = r"(?:(?P<due>by|before|until|no later than|from|in|during|on)\s+(?:the\s+)?)?"
    year = r"(?P<year>(?:19|20)\d{2})(?![\d/–-])"
    rules = [
        ("date", rf"{lead}(?:{weekday},?\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
                 rf"(?P<month>{month})\.?,?\s+(?P<year>(?:19|20)\d{{2}})\b"),
        ("date", rf"{lead}(?:{weekday},?\s+)?(?P<month>{month})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
                 rf"(?P<year>(?:19|20)\d{{2}})\b"),
        ("date", r"(?<![\d.])(?P<day>\d{1,2})[./](?P<nmonth>\d{1,2})[./](?P<year>\d{4}|\d{2})(?![\d.]\d)"),
        ("period", rf"{lead}(?P<period>(?:19|20)\d{{2}}\s?[-–/]\s?(?:(?:19|20)\d{{2}}|\d{{2}}))(?!\d)"),
        ("year", rf"{lead}(?:(?:the\s+)?(?:end|start|beginning)\s+of\s+)?(?:Q[1-4]|quarter\s+[1-4]|"
                 rf"the\s+(?:first|second|third|fourth|final)\s+quarter\s+of)\s+(?:of\s+)?{year}"),
        ("month", rf"{lead}(?:(?P<part>{part})\s+(?:of\s+)?)?(?P<month>{month})\.?,?\s+(?:of\s+)?{year}"),
        ("year", rf"{lead}(?P<part>{part}|{season})\s+(?:in\s+|of\s+)?{year}"),
        ("relative", rf"{lead}(?:(?P<part>{part}|{season})\s+(?:in\s+|of\s+)?)?(?:(?P<rel>this|next|last)\s+"
                     rf"(?P<fiscal>(?:financial|fiscal)\s+)?(?P<unit>year|month|{month}|{season})\b|"
                     # "by the end of the financial year": the current one, unless a year follows.
                     rf"(?:the\s+(?:current\s+)?|current\s+)(?P<current_fy>financial|fiscal)\s+year\b"
                     rf"(?!\s+(?:19|20)\d\d))"),
        # A season with no year ("bring proposals in the autumn"): the next one on or after the
        # context date, so a paper written in July means this year's autumn.
        ("relative", rf"(?P<due>by|before|until|in|during|from|over|for)\s+(?:the\s+)?(?:(?P<part>{part})\s+)?"
                   rf"(?P<season>{season})\b(?!\s+(?:in\s+|of\s+)?(?:19|20)\d\d)"),
        # A bare year needs a preposition or the end of a clause: "2023 staff survey" names a survey.
        # "the Workforce Plan for 2025 onwards" is the plan's scope, not a deadline.
        ("year", rf"(?:(?P<due>by|before|until|in|during|from|since|of|through)|for(?!\s+\d{{4}}\s+onwards))\s+{year}"),
        ("year", rf"{year}(?=\s*(?:[.,;:)]|$))"),
        ("horizon", r"(?:over|in|for|during|within)\s+the\s+(?:next|coming|following|last|past)\s+"
                    r"(?:(?:\d+|few|couple\s+of|two|three|four|six|twelve|eighteen|several)\s+)?"
                    r"(?:days|weeks|months|years|year|month|period)"),
        ("horizon", r"(?:in\s+)?the\s+(?:near|short|medium|long)\s+term"),
        ("frequency", rf"(?:on\s+an?\s+)?{freq}(?:\s+basis)?"),
        ("month", rf"{lead}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{month})\b"),
        ("month", rf"(?P<due>by|before|until|in|during|from)\s+(?P<month>{month})\b"),
    ]
    # What each rule cannot match without, in rule order: words (one set lookup per text) or
    # a digit pattern (`_anchors_in`, a quick search), so that most passages run few rules or none.
    # A word anchor is a whole run of letters in any phrase the rule needs, so it is in the
    # passage's letter runs whenever the rule matches. A rule runs only where all its anchors
    # are: "may" and "this" are in most passages, a year or a unit after them in few.
    months = frozenset(map(last_letter_run, _lexicon()["MONTH"]))
    seasons = frozenset(_lexicon()["SEASON"])
    anchors = {"month": months, "relative": frozenset({"this", "next", "last", "financial", "fiscal"}),
               "unit": months | seasons | {"year", "month"}, "season": seasons,
               "horizon": frozenset({"next", "coming", "following", "last", "past"}), "term": frozenset({"term"}),
               "frequency": frozenset(map(last_letter_run, _lexicon()["FREQUENCY"])),
               "quarter": frozenset({"q", "quarter"})}  # ("Q3 2024": its letters' run is "q")
    needs = [{"month", "year"}, {"month", "year"}, {"dmy"}, {"range"}, {"year", "quarter"}, {"month", "year"}, {"year"},
             {"relative", "unit"}, {"season"}, {"year"}, {"year"}, {"horizon"}, {"term"}, {"frequency"},
             {"month"}, {"month"}]
    compiled = [(kind, re.compile(r"(?<![\w-])" + rx + r"(?![\w])", re.IGNORECASE), frozenset(need))
                for (kind, rx), need in zip(rules, needs, strict=True)]
    return compiled, anchors


# Month abbreviations are also common words ("may", "mar"); only a capitalised one is a month.
_AMBIGUOUS_MONTHS = {"may", "mar", "jan", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "feb", "apr", "sept"}


def find_dates(text: str, context_date: str | None = None) -> list[DateMention]:
    """Every date, deadline, horizon and frequency in `text`, in order, without overlaps.

    Args:
        text: any passage.
        context_date: the document's published date (ISO); relative dates (`this January`,
            `early this year`) are resolved against it and have no ISO value without it.
    """
    return _found(text, context_date, _rules()[0])


def find_dated(text: str) -> list[DateMention]:
    """The mentions of `find_dates(text)` (no context date) that have an ISO value, found with the
    rules up to the last that gives one: later rules only add mentions (relative dates, horizons,
    months without a year) in the text earlier rules left, and without a context date none of
    those has an ISO value."""
    if not may_hold_year(text):
        return []
    return [mention for mention in _found(text, None, _dated_rules()) if mention.iso]


@lru_cache(maxsize=1)
def _dated_rules() -> list[tuple[str, re.Pattern[str], frozenset[str]]]:
    """The rules up to the last one with a year in it: a rule without gives an ISO value only
    from a context date."""
    rules = _rules()[0]
    last = max(i for i, (_, pattern, _) in enumerate(rules) if "year" in pattern.groupindex)
    return rules[:last + 1]


def _found(text: str, context_date: str | None,
           rules: list[tuple[str, re.Pattern[str], frozenset[str]]]) -> list[DateMention]:
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    present = {name for name, here in _anchors_in(text).items() if here}
    for kind, pattern, needs in rules:
        if not needs <= present:
            continue
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            mention = _mention(kind, m, context_date)
            if mention is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(mention)
    return sorted(found, key=lambda d: d.start)


def may_hold_date(text: str) -> bool:
    """Whether `text` holds a word or digits some date rule needs (a quick test: False means
    `find_dates` finds nothing in it)."""
    # A unit ("year", a month) only narrows the relative rule, a quarter the year's: on its own
    # neither is a date.
    return any(present for name, present in _anchors_in(text).items() if name not in ("unit", "quarter"))


def may_hold_year(text: str) -> bool:
    """Whether `text` holds a year's digits (`2023`) or a day-month-year (`31.8.23`): False means
    every mention `find_dates` finds in it without a context date has no ISO value, since every
    rule that gives one without a context needs one of them (a stricter test than `may_hold_date`)."""
    return _year_anchor(text) is not None or _has_dmy(text)


# The digit anchors: a year ("2023"), a year range ("2021-23", from a year on), a day-month-year ("31.8.23").
_YEAR_ANCHOR = re.compile(r"(?:19|20)\d\d")
_RANGE_ANCHOR = re.compile(r"(?:19|20)\d\d\s?[-–/]")
_DMY_ANCHOR = re.compile(r"\d[./]\d{1,2}[./]\d")


def _anchors_in(text: str) -> dict[str, bool]:
    runs = letter_runs(text)
    present = {name: not anchor.isdisjoint(runs) for name, anchor in _rules()[1].items()}
    year = _year_anchor(text)
    present["year"] = year is not None
    present["range"] = year is not None and _RANGE_ANCHOR.search(text, year.start()) is not None
    present["dmy"] = _has_dmy(text)
    return present


# (The digit anchors' searches start at every offset of a text; a substring test or a find of the
# characters they cannot match without is many times quicker, and most passages hold no date.)
def _year_anchor(text: str) -> re.Match[str] | None:
    return _YEAR_ANCHOR.search(text) if "19" in text or "20" in text else None


def _has_dmy(text: str) -> bool:
    """Whether `_DMY_ANCHOR` matches in `text`, tried only before each "." and "/" (its second character)."""
    for separator in "./":
        at = text.find(separator, 1)
        while at > 0:
            if _DMY_ANCHOR.match(text, at - 1):
                return True
            at = text.find(separator, at + 1)
    return False


def _mention(kind: str, m: re.Match[str], context_date: str | None) -> DateMention | None:
    groups = m.groupdict()
    month_word = groups.get("month")
    if month_word and month_word.lower().rstrip(".") in _AMBIGUOUS_MONTHS and not month_word[:1].isupper():
        return None
    iso = _iso(kind, groups, context_date)
    if iso is _INVALID:
        return None
    text = m.group(0)
    start = m.start()
    # "in" is part of a year deadline ("in 2023") but not of a month one ("January 2023"),
    # as the documents' own due columns write them.
    due = groups.get("due")
    if due and due.lower() in ("in", "during", "on") and kind in ("date", "month"):
        cut = re.match(rf"{due}\s+(?:the\s+)?", text, re.IGNORECASE)
        start, text = start + cut.end(), text[cut.end():]
    return DateMention(start, start + len(text), text, iso, kind)


_INVALID = "invalid"


def _iso(kind: str, g: dict[str, str | None], context_date: str | None) -> str | None:
    if kind in ("horizon", "frequency", "period"):
        return None
    if kind == "relative":
        return _next_season(g["season"], context_date) if g.get("season") else _relative(g, context_date)
    year = _year(g["year"]) if g.get("year") else context_year(context_date)
    month = _month(g["month"]) if g.get("month") else (g.get("nmonth") or None)
    if year is None:
        return None
    if kind == "year" or not month:
        return f"{year}"
    if not 1 <= int(month) <= 12:
        return _INVALID
    if g.get("day"):
        day = int(g["day"])
        if not 1 <= day <= 31:
            return _INVALID
        return f"{year}-{int(month):02d}-{day:02d}"
    return f"{year}-{int(month):02d}"


def _next_season(season: str, context_date: str | None) -> str | None:
    """The year of the next `season` that has not ended by the context date (a year alone
    means that year's)."""
    m = re.match(r"(\d{4})(?:-(\d{2}))?", context_date or "")
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2) or 0)
    return f"{year + (month > int(_lexicon()['SEASON_END'][season.lower()]))}"


_SHIFT = {"this": 0, "next": 1, "last": -1}


def _relative(g: dict[str, str | None], context_date: str | None) -> str | None:
    base = context_year(context_date)
    if base is None:
        return None
    if g.get("current_fy"):
        return _financial_year(0, g.get("part"), context_date)
    shift, unit = _SHIFT[g["rel"].lower()], g["unit"].lower()
    if g.get("fiscal"):
        return _financial_year(shift, g.get("part"), context_date)
    if unit == "month":
        m = re.match(r"\d{4}-(\d{2})", context_date or "")
        if not m:
            return f"{base}" if shift == 0 else None
        months = base * 12 + int(m.group(1)) - 1 + shift
        return f"{months // 12}-{months % 12 + 1:02d}"
    if unit in _lexicon()["MONTH"]:
        return f"{base + shift}-{_month(unit)}"
    return f"{base + shift}"


def _financial_year(shift: int, part: str | None, context_date: str | None) -> str | None:
    """`by the end of this financial year` -> the March that ends the UK financial year (April
    to March) holding the context date; `the start of next financial year` -> its April.

    A context date without a month does not say which financial year it falls in, so it gives None.
    """
    m = re.match(r"(\d{4})-(\d{2})", context_date or "")
    if not m:
        return None
    first_year = int(m.group(1)) - (int(m.group(2)) < 4) + shift
    if part and re.search(r"start|beginning", part, re.IGNORECASE):
        return f"{first_year}-04"
    return f"{first_year + 1}-03"


_AS_AT = re.compile(r"\bas\s+(?:at|of)\s+(?:the\s+)?$", re.IGNORECASE)


def as_at_date(paragraph: str) -> str | None:
    """The date a paragraph speaks from (`as at the end of December 2018` -> `2018-12`), at
    month precision or finer, else None.

    A paragraph's relative dates (`by the end of this financial year`) are read against it:
    the document's own date may be unprinted, or later than the figures the paragraph reports.
    """
    if not re.search(r"\bas\s+(?:at|of)\b", paragraph, re.IGNORECASE):
        return None
    for d in find_dates(paragraph):
        if d.iso and len(d.iso) >= 7 and _AS_AT.search(paragraph[max(0, d.start - 12):d.start]):
            return d.iso
    return None


# A date in a clause that looks back ("began in January 2022", "following the launch in
# January 2023") is history, not a deadline.
_PAST = re.compile(
    r"\b(began|begun|since|started|commenced|completed|concluded|launched|was|were|has|have|had|"
    r"following|last|ago|previous|previously|took place|held|ran|during)\b", re.IGNORECASE)
_FUTURE = re.compile(
    r"\b(will|shall|would|'ll|is expected|are expected|expected|intends?\s+to|intend|plans?\s+to|planned|"
    r"with a view to|aim\s+to|aims\s+to|to be|going to|due to|scheduled|programmed|timetabled|by(?-i:(?!\s+(?:the\s+)?(?!(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b)[A-Z][a-z]+\s+(?:[A-Z][a-z]+|of)\b)))\b",
    re.IGNORECASE)  # ("by the Corporate Leadership Team": an agent, no deadline)
_CLAUSE_SPLIT = re.compile(r"(?<=[.;!?])\s+|\s+(?:and|but|while|whilst|with)\s+|\s+[–—-]\s+|,\s+|\(|\)")


def due_of(sentence: str, context_date: str | None = None) -> tuple[str | None, str | None]:
    """The deadline an action states: (due_text as written, ISO due_date or None).

    A date in a forward-looking clause (`will`, `shall`, `expected`, `with a view to`) wins;
    a date in a clause that reports the past is not a deadline. Horizons and frequencies
    (`over the next 12 months`, `annually`) give a due_text with no date. A strategy period
    (`in 2021-23`) is a due_text too, with no date, since it is not a deadline. Nor is a date
    wholly before `context_date` (`the decision of 23 June` in a minute of July): it dates what
    was done.
    """
    mentions = find_dates(sentence, context_date)
    future, plain = [], []
    for d in mentions:
        clause = _clause_at(sentence, d.start)
        if _before(d, context_date) or _ends_a_term(sentence, d):
            continue
        if _FUTURE.search(clause) or (d.text.lower().startswith("by ") and d.iso):
            future.append(d)
        elif not _PAST.search(clause):
            plain.append(d)
    for group in (future, plain):
        dated = [d for d in group if d.iso]
        if dated:
            return dated[0].text, dated[0].iso
    for group in (future, plain):
        if group:
            return group[0].text, None
    return None, None


# "a further two-year extension until August 2023", "the contract runs until March 2026": when a
# contract ends is its term, as "for a term of 12 months" is, not a date the work is due by.
_TERM_OF = re.compile(r"\b(?:extensions?|extend(?:ed|ing)?|contracts?|agreements?|leases?)\b[^.;:]{0,40}$", re.IGNORECASE)


def _ends_a_term(sentence: str, mention) -> bool:
    return mention.text.lower().startswith(("until ", "till ", "up to ")) and \
        _TERM_OF.search(sentence[:mention.start]) is not None


def _before(mention, context_date: str | None) -> bool:
    """A date wholly before the paper's own ("the decision taken on 23 June 2014" in a July 2014
    minute) dates an event already past, not a deadline."""
    last = latest_day(mention.text, mention.iso)
    if not last or not context_date or not re.match(r"\d{4}", context_date):
        return False
    return last < context_date[:10] + "-01-01"[len(context_date[:10]) - 4:]


def latest_day(due_text: str | None, due_date: str | None) -> str | None:
    """The last day a deadline allows, as ISO: `early 2023` (due_date `2023`) is kept by the end
    of April 2023, `summer 2023` by the end of August, `2023` and `late 2023` by 31 December,
    `January 2023` by 31 January. None without a due_date."""
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", due_date or "")
    if not m:
        return None
    year, month, day = m.groups()
    if day:
        return m.group(0)
    if not month:
        ends = _lexicon()["PART_END"] | _lexicon()["SEASON_END"]
        words = re.findall(r"[a-z]+(?:\s+of)?", (due_text or "").lower())
        text = " ".join(words)
        named = [w for w in sorted(ends, key=len, reverse=True) if re.search(rf"\b{w}\b", text)]
        month = f"{int(ends[named[0]]):02d}" if named else "12"
    return f"{year}-{month}-{calendar.monthrange(int(year), int(month))[1]:02d}"


def _clause_at(sentence: str, offset: int) -> str:
    """The clause (between commas, dashes, `and`, brackets) around `offset`."""
    start = 0
    for m in _CLAUSE_SPLIT.finditer(sentence):
        if m.start() > offset:
            return sentence[start:m.start()]
        start = m.end()
    return sentence[start:]
