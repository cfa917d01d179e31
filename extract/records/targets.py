"""Targets: measurable aims, a number and/or a deadline (ANNOTATION.md section 6).

Two sources: (a) a quantity to reach stated in any block (`Recruit 10 additional social
workers`, `8 – 10 ... every year`, `reduce sickness absence by April 2024 by 0.7 days lost
per FTE`, `increase to 85%`); (b) every commitment action with a due date. Reported
achievements, forecasts about trainees, bare frequencies and vague horizons are not targets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Span

from extract.language.dates import as_at_date, due_of
from extract.ids import stable_id
from extract.language.nlp import block_segments, parse, sentences, span_text
from extract.language.numbers import find_numbers, has_number, has_word
from schemas import Action, Block, Target

__all__ = ["find_targets", "quantity_of"]

# Verbs that set an aim on a number: "Recruit 10", "aim is to secure 8 – 10", "reduce ... by 0.7", "to add two posts".
_AIM_VERBS = (r"recruit|hire|appoint|employ|add|secure|achieve|reach|attain|train|support|increase|reduce|decrease|"
              r"lower|cut|raise|improve|grow|maintain|deliver|offer|provide|place|qualify|retain|convert|fill|"
              r"halve|double|keep")
_AIM = re.compile(
    rf"(?:^|[.;:•]\s*|\b(?:will|shall|to|aims?\s+to|aiming\s+to|target(?:s|ed)?\s+(?:is\s+)?to|"
    rf"projected\s+to|expect(?:ed)?\s+to|plan(?:s|ned)?\s+to|intend(?:s)?\s+to|commit(?:ted)?\s+to|"
    rf"goal\s+is\s+to|aim\s+is\s+to|ambition\s+is\s+to)\s+(?:\w+ly\s+)?)(?:{_AIM_VERBS})\b",
    re.IGNORECASE)
# `_AIM` needs one of its verbs as a whole word (what comes before each ends at a boundary): a quick test first.
_AIM_WORDS = frozenset(_AIM_VERBS.split("|"))
# The same aims in the passive, the number its subject: "a further 15 social workers will be
# recruited", "20 posts to be filled by March"; minutes report "would be" for "will be".
_PASSIVE_AIM = re.compile(
    r"\b(?:will|shall|would|to)\s+be\s+(?:\w+ly\s+)?(?:recruited|hired|appointed|employed|secured|trained|"
    r"supported|placed|retained|converted|filled|offered|provided|delivered|increased|reduced|"
    r"decreased|lowered|cut|raised|halved|doubled|added)\b", re.IGNORECASE)
_BE = frozenset({"be"})
_TARGET_NOUN = re.compile(r"\b(target|aim|goal|ambition|trajectory)\b\s+(?:is\s+|of\s+)?(?:to\s+)?", re.IGNORECASE)
_TARGET_NOUN_WORDS = frozenset({"target", "aim", "goal", "ambition", "trajectory"})
# A count in a clause about the present is a figure, not an aim ("We currently have 8 trainees").
_PRESENT = re.compile(r"\b(currently|at present|there (?:are|were)|has supported|have supported|to date|so far)\b",
                      re.IGNORECASE)
_PEOPLE = re.compile(r"^(?:[\w’'-]+\s+){0,3}?(social workers?|workers?|managers?|staff|students?|trainees?|"
                     r"apprentices?|practitioners?|people|posts?|candidates?|colleagues|hosts?|nqsws?|asyes?|"
                     r"educators?|leaders?|officers?|carers?|foster carers?|placements?|places|volunteers?|mentors?|"
                     r"coaches)\b",
                     re.IGNORECASE)
_METRIC_STOP = re.compile(r"\s+(?:every|each|by|per|within|over|from|before|until|during|across|so|which|who|"
                          r"and|to|in\s+(?:19|20)\d\d|in\s+the|will|shall|are|is|were|was|have|has|had)\b|"
                          r"\s+[–—-]\s+|[,.;:(]", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r",\s+|\s+(?:and|with|while|whilst|but)\s+|;\s*|\s+[–—-]\s+")


@dataclass(frozen=True)
class Quantity:
    """A number or range in a sentence, with what it counts."""

    start: int
    end: int
    value_min: float
    value_max: float
    unit: str | None
    metric: str | None
    period: str | None


def find_targets(blocks: list[Block], actions: list[Action], nlp: Language, *, document_id: str,
                 council: str | None, published: str | None) -> list[Target]:
    """Targets from quantities to reach in the blocks and from dated commitment actions.

    Args:
        blocks: the document's blocks (`char_start` locates each block's text in documents.text).
        actions: the document's actions; commitments with a `due_date` become targets.
        nlp: the pipeline from `extract.language.nlp.build_nlp()`.
        published: the document date, for relative deadlines.
    """
    found: list[Target] = []
    for block in blocks:
        in_table = _target_table_rows(block, document_id, council, published)
        if in_table is not None:
            found.extend(in_table)
            continue
        for offset, text in block_segments(block):
            if not has_number(text):
                continue  # a quantity to reach is a number
            doc = parse(nlp, text)
            for sent in sentences(doc):
                target = _quantity_target(sent, block, offset, document_id, council, published)
                if target is not None:
                    found.append(target)
    for action in actions:
        if _kind(action) != "commitment" or not action.due_date:
            continue
        target = _action_target(action, blocks, nlp, document_id, council, published)
        found = _merge(found, target)
    return sorted(found, key=lambda t: (t.char_start, t.char_end))


# "Target (March 2027)", "Target 2025/26", "Ambition": the column a measures table aims at.
_TARGET_COLUMN = re.compile(r"\b(target|ambition|aim|goal)s?\b", re.IGNORECASE)
_CELL_NUMBER = re.compile(r"^\s*(?:[<>≤≥]|below|under|at least|over)?\s*(\d+(?:\.\d+)?)\s*(%|per\s?cent)?\s*"
                          r"(?:[-–—]|to)?\s*(\d+(?:\.\d+)?)?\s*(%|per\s?cent)?\s*$", re.IGNORECASE)


def _target_table_rows(block: Block, document_id: str, council: str | None,
                       published: str | None) -> list[Target] | None:
    """A table with a Target column (`Measure | Baseline | Target (March 2027)`): one target per
    row with a number in that column, the row's label as the metric; None for any other block."""
    cells = block.cells or []
    if block.kind != "table" or len(cells) < 2:  # (a `BlockKind` is a str)
        return None
    header = cells[0]
    columns = [i for i, c in enumerate(header) if i > 0 and c and _TARGET_COLUMN.search(c)]
    if not columns:
        return None
    column = columns[-1]
    due_text, due_date = due_of(header[column], published)
    lines = block.text.split("\n")
    targets = []
    for row_index, row in enumerate(cells[1:], start=1):
        m = _CELL_NUMBER.match(row[column] or "") if column < len(row) else None
        if m is None or not row[0] or row_index >= len(lines):
            continue
        low = float(m.group(1))
        high = float(m.group(3)) if m.group(3) else low
        percent = bool(m.group(2) or m.group(4))
        unit = "percent" if percent else "people" if _PEOPLE.match(row[0]) else None
        start = block.char_start + sum(len(line) + 1 for line in lines[:row_index])
        quantity = Quantity(0, 0, low, high, unit, row[0], None)
        targets.append(_target(document_id, council, None, lines[row_index], start, block.page, quantity,
                               due_text, due_date))
    return targets


def _kind(action: Action) -> str:
    return getattr(action.kind, "value", action.kind)


def quantity_of(sentence: str) -> Quantity | None:
    """The aim's quantity in a sentence: the first number or range after an aim verb, else None.

    `Recruit 10 additional social workers` -> 10..10 people; `secure 8 – 10 social workers
    ... every year` -> 8..10 people per year; `reduce ... by 0.7 days lost per FTE` -> 0.7 days per FTE.
    """
    if not has_number(sentence):
        return None  # every quantity below is one of its numbers
    aim = (has_word(sentence, _AIM_WORDS) and _AIM.search(sentence)) or \
        (has_word(sentence, _TARGET_NOUN_WORDS) and _TARGET_NOUN.search(sentence)) or None
    if aim is None:
        passive = _PASSIVE_AIM.search(sentence) if has_word(sentence, _BE) else None
        subject = _passive_subject(sentence, passive) if passive else None
        if subject is not None:
            return _quantity(sentence, subject)
        aim = passive
    if aim is None:
        return _limit(sentence) or _promised_percentage(sentence)
    if _DISCLOSED.match(sentence, aim.end()):
        return None  # an FOI answer's "we are able to provide this information ... fewer than 5"
    reach = _AIM_REACH.search(sentence, aim.end())
    limit = reach.start() if reach else len(sentence)
    numbers = [n for n in find_numbers(sentence) if aim.start() <= n.start < limit and _is_quantity(sentence, n)]
    for n in numbers:
        clause = _clause_around(sentence, n.start)
        if _PRESENT.search(clause):
            continue
        return _quantity(sentence, _change_to(sentence, n, numbers), aim.end())
    return None


# What an answer provides is the information asked for, not a quantity to reach.
_DISCLOSED = re.compile(r"\s+(?:you\s+with\s+|us\s+with\s+)?(?:(?:this|the|that|such|any|further|more|some)\s+)?"
                        r"(?:information|data|figures|details|breakdown|response|answer)\b", re.IGNORECASE)


def _passive_subject(sentence: str, aim: re.Match[str]):
    """The count a passive aim is about, in its clause just before it: the 15 of `a further 15
    social workers will be recruited` (people or a rate; not one about now)."""
    before = [n for n in find_numbers(sentence[:aim.start()]) if _is_quantity(sentence, n)]
    for n in reversed(before):
        if _CLAUSE_BREAK.search(sentence, n.end, aim.start()) or _PRESENT.search(_clause_around(sentence, n.start)):
            return None
        if n.percent or _PEOPLE.match(sentence[n.end:].lstrip()):
            return n
    return None


def _change_to(sentence: str, n, numbers: list):
    """In `increase ... from 60% to 75%` the aim is the 75%, not the baseline."""
    if re.search(r"\bfrom\s*$", sentence[:n.start]):
        later = [m for m in numbers if m.start > n.end and re.fullmatch(r"\s*(?:%|per\s?cent)?\s*to\s*",
                                                                         sentence[n.end:m.start])]
        if later:
            return later[0]
    return n


# A ceiling or floor is an aim in itself ("guarantee caseloads of no more than 18 children").
_LIMIT = re.compile(r"\b(?:no|not)\s+(?:more|fewer|less)\s+than\s+|\ba\s+(?:maximum|minimum)\s+of\s+|"
                    r"\bat\s+most\s+|\bnot\s+(?:to\s+)?exceed(?:ing)?\s+", re.IGNORECASE)
# ... when the sentence promises it, and its clause does not report how things stand
# ("a protected caseload of no more than 12 children" in a minute of the present).
_STATE = re.compile(r"\b(?:is|are|was|were|has|have|had|been|being)\b", re.IGNORECASE)
_PROMISE = re.compile(r"\b(?:will|shall|would|aims?|target|goal|ambition|commit\w*|guarantee\w*|ensur(?:e|es|ing)|keep|cap)\b",
                      re.IGNORECASE)


def _limit(sentence: str) -> Quantity | None:
    """`guarantee protected caseloads of no more than 18 children`: the bound is the aim's value."""
    low = sentence.lower()
    if "than" not in low and "imum" not in low and "most" not in low and "exceed" not in low:
        return None  # (the quick test: every bound has one of these words)
    if not _PROMISE.search(sentence):
        return None
    for m in _LIMIT.finditer(sentence):
        n = next((n for n in find_numbers(sentence) if n.start == m.end()), None)
        if n is None or not _is_quantity(sentence, n):
            continue
        clause = _clause_around(sentence, n.start)
        if (_STATE.search(clause) or _PRESENT.search(clause)) and not _PROMISE.search(clause):
            continue
        return _quantity(sentence, n)
    return None


_PROMISED_WORDS = frozenset({"will", "shall", "aim", "target", "expect", "expected"})


def _promised_percentage(sentence: str) -> Quantity | None:
    """`95% of social workers will receive monthly supervision by March 2025`: a rate promised."""
    if "%" not in sentence and "cent" not in sentence.lower():
        return None  # (a quick test: a percentage is written with one of these)
    if not has_word(sentence, _PROMISED_WORDS) or _reported(sentence):
        return None
    # A national forecast ("30% of social workers will leave") is not the council's aim.
    if not re.search(r"\b(we|our|us|target|aim)\b|\bby\s+(?:the\s+end\s+of\s+)?(?:[A-Z][a-z]+\s+)?(?:19|20)\d\d",
                     sentence, re.IGNORECASE):
        return None
    for n in find_numbers(sentence):
        if n.percent and not _PRESENT.search(_clause_around(sentence, n.start)):
            return _quantity(sentence, n)
    return None


# An aim's number sits in the aim's own clause: stop at a sentence-internal break.
_AIM_REACH = re.compile(r"[.;:]\s|\s[–—-]\s(?!\d)|,\s+(?:which|who|this|and|with)\b")
_NOT_COUNT_BEFORE = re.compile(r"\b(level|stage|step|priority|tier|year|phase|appendix|appendices|section|page|"
                               r"cohort|unit|version|figure|table|no\.?)\s*$", re.IGNORECASE)


_CASES = re.compile(r"^(?:[\w’'-]+\s+){0,3}?cases\b", re.IGNORECASE)
# "5% of gross basic pay", "a 10% market supplement": a pay level, which is no aim (ANNOTATION §6).
_PAY_LEVEL = re.compile(r"\s*(?:of\s+(?:[\w-]+\s+){0,2}?(?:pay|salary|salaries|earnings)|(?:[\w-]+\s+)?(?:supplements?|"
                        r"uplifts?|allowances?|bonus(?:es)?|pay\s+(?:rises?|awards?|increases?)))\b", re.IGNORECASE)


def _is_quantity(text: str, n) -> bool:
    """A number that counts something: not an ordinal, year, date, sum of money, pay level or label number."""
    if n.ordinal or _is_year_or_date(text, n.start, n.end) or (n.percent and _PAY_LEVEL.match(text, n.end)):
        return False
    if _NOT_COUNT_BEFORE.search(text[max(0, n.start - 15):n.start]):
        return False
    if not n.text[:1].isdigit():  # "one", "two": only when they count people or units
        return bool(_PEOPLE.match(text[n.end:].lstrip()) or _CASES.match(text[n.end:].lstrip()))
    return True


def _is_year_or_date(text: str, start: int, end: int) -> bool:
    if re.fullmatch(r"(19|20)\d\d", text[start:end]):
        return True
    before, after = text[max(0, start - 12):start].lower(), text[end:end + 12].lower()
    if re.search(r"(£|\$)\s*$", before) or re.match(r"\s*-?\s*(months?|weeks?|days?|years?)\b(?! lost)", after) \
            and not re.match(r"\s*days? (lost|per)", after):
        return True
    return bool(re.match(r"\s*(st|nd|rd|th)?\s*(of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", after))


def _clause_around(sentence: str, at: int) -> str:
    start, end = 0, len(sentence)
    for m in _CLAUSE_BREAK.finditer(sentence):
        if m.end() <= at:
            start = m.end()
        elif m.start() >= at:
            end = m.start()
            break
    return sentence[start:end]


def _quantity(sentence: str, n, aim_end: int | None = None) -> Quantity:
    low = high = n.value
    end = n.end
    # "8 – 10", "8 to 10", "thirteen or fourteen cases": a range
    m = re.match(r"\s*(?:[-–—]|to|or)\s*", sentence[n.end:])
    upper = next((u for u in find_numbers(sentence) if m and u.start == n.end + m.end()), None) if m else None
    if upper is not None and not n.percent and not upper.ordinal and upper.value >= n.value:
        high, end = upper.value, upper.end
    percent = n.percent or bool(re.match(r"\s*(%|per\s?cent)", sentence[end:]))
    rest = sentence[end:]
    unit, metric = _unit_and_metric(rest, percent)
    if percent:
        metric = _rate_metric(sentence, n.start, aim_end, metric)
    elif (metric is None or _TIME_WORD.match(metric) or _RATE.match(metric)) and \
            _aim_object(sentence, n.start, aim_end):
        # "Reduce the number of agency social workers from 45 to 30 by March 2025": what is
        # counted comes before the number, a deadline after it.
        metric = _aim_object(sentence, n.start, aim_end)
        unit = "people" if _PEOPLE.match(" ".join(metric.split()[-3:])) else None
    period = "per year" if re.search(r"\b(every|each|per|a)\s+year\b|\bannually\b|\bper annum\b", sentence,
                                     re.IGNORECASE) else None
    return Quantity(n.start, end, low, high, unit, metric, period)


def _rate_metric(sentence: str, start: int, aim_end: int | None, after: str | None) -> str | None:
    """What a percentage measures: `of social workers ...` after it, or the aim's object before it."""
    if after and re.match(r"of\s+", after):
        return re.sub(r"^of\s+", "", after)
    before = _aim_object(sentence, start, aim_end)
    if before:
        return before
    return after if after and not _TIME_WORD.match(after) else None


_RATE = re.compile(r"(?:a|per|each|every)\s+(?:year|month|annum|quarter)\b", re.IGNORECASE)
_TIME_WORD = re.compile(r"(?:by|in|over|within|before|during|until)\b", re.IGNORECASE)
_BEFORE_NUMBER = re.compile(r"\s*(?:\bfrom\s+\d+(?:\.\d+)?\s*%?|\b(?:from|to|by|of|at|below|above|under|over|"
                            r"at least|an average of|than|less|more|no more|no less))\s*$", re.IGNORECASE)


def _aim_object(sentence: str, start: int, aim_end: int | None) -> str | None:
    """The words between the aim's verb and its number: `Reduce [the use of agency staff] to 10%`."""
    if aim_end is None or aim_end >= start:
        return None
    before = sentence[aim_end:start]
    while _BEFORE_NUMBER.search(before):
        before = _BEFORE_NUMBER.sub("", before)
    return re.sub(r"^(?:the|our|a|an)\s+", "", before.strip(), flags=re.IGNORECASE) or None


def _unit_and_metric(rest: str, percent: bool) -> tuple[str | None, str | None]:
    rest = re.sub(r"^\s*(%|per\s?cent)", "", rest).strip()
    stop = _METRIC_STOP.search(" " + rest)
    phrase = (" " + rest)[: stop.start()].strip() if stop else rest
    if re.match(r"\s*in\s+(?!19|20)", rest) and stop and stop.group(0).strip().lower() == "in":
        phrase = rest
    metric = " ".join(rest.split()[:10]) if not phrase else phrase
    metric = re.split(r"\s+(?:every|each|by|[–—-])\s+|[,.;:(]", metric)[0].strip() or None
    if percent:
        return "percent", metric
    if re.match(r"days?\b.*\b(per|/)\s*(fte|full[- ]time)", rest, re.IGNORECASE):
        return "days per FTE", metric
    if _PEOPLE.match(rest):
        return "people", metric
    word = re.match(r"([A-Za-z’'-]+)", rest)
    return (word.group(1).lower() if word else None), metric


def _quantity_target(sent: Span, block: Block, offset: int, document_id: str, council: str | None,
                     published: str | None) -> Target | None:
    text = span_text(sent).rstrip()
    quantity = quantity_of(text)
    # "Funding had been secured ..., these still needed to be reduced to 13 or 14 cases": the
    # report is in another clause than the aim.
    if quantity is None or (_reported(text) and _reported(_clause_around(text, quantity.start))) \
            or _NATIONAL_SCOPE.search(text):
        return None
    due_text, due_date = due_of(text, as_at_date(sent.doc.text) or published)
    if due_date is None:
        due_text = None
    start = block.char_start + offset + sent.start_char
    return _target(document_id, council, None, text, start, block.page, quantity, due_text, due_date)


# "DfE will support 700 people to train in local authorities across England": the national
# programme's aim, not the council's.
_NATIONAL_SCOPE = re.compile(r"\bacross (?:the country|england)\b", re.IGNORECASE)
# "we have recruited 7", "increased by 20%", "has successfully bid for funding to train 49": a result, not an aim.
_REPORTED = re.compile(r"^(?:(?!\b(?:will|shall|aim|target|to)\b).)*\b(have|has|had|was|were)\s+(?:\w+\s+)?"
                       r"(recruited|appointed|trained|increased|reduced|achieved|supported|secured|seen|delivered|bid|won)\b",
                       re.IGNORECASE)


def _reported(text: str) -> bool:
    return bool(_REPORTED.search(text)) and not re.search(r"\b(will|shall|aims?|target)\b", text, re.IGNORECASE)


def _action_target(action: Action, blocks: list[Block], nlp: Language, document_id: str, council: str | None,
                   published: str | None) -> Target:
    """A dated commitment as a target: the sentence stating the deadline, values if it gives a number."""
    text, start, page = action.text, action.char_start, action.page
    block = next((b for b in blocks if b.char_start <= action.char_start < b.char_start + len(b.text)), None)
    # The aim's numbers come from the clause that states it: an action that is part of a
    # sentence keeps its own text, so a count elsewhere in the sentence is not its value.
    if block is not None and getattr(block.kind, "value", block.kind) != "table" and _spans_sentences(action.text):
        offset = action.char_start - block.char_start
        doc = parse(nlp, block.text)
        for sent in sentences(doc):
            inside = offset <= sent.start_char < offset + len(action.text) or \
                sent.start_char <= offset < sent.end_char
            if inside and action.due_text and action.due_text.lower() in span_text(sent).lower():
                text, start = span_text(sent).rstrip(), block.char_start + sent.start_char
                break
    quantity = quantity_of(text) or _future_count(text)
    return _target(document_id, council, action.id, text, start, page, quantity, action.due_text, action.due_date)


def _spans_sentences(text: str) -> bool:
    """Whether an action's text runs over more than one sentence (then the one with its deadline states it)."""
    return re.search(r"[.;!?]\s+\S", text.rstrip()) is not None


def _future_count(text: str) -> Quantity | None:
    """A head count in a dated commitment (`will commence in 2023 with 5 hosts`), not one about now.

    Where the sentence also reports the present (`We currently have 8 trainees ... with a
    view to a 3rd cohort`), only a count after the promise counts.
    """
    promise = _FUTURE.search(text)
    floor = promise.start() if promise and _PRESENT.search(text) else 0
    if _PRESENT.search(text) and promise is None:
        return None
    for n in find_numbers(text):
        if n.start < floor or not _is_quantity(text, n):
            continue
        if _PEOPLE.match(text[n.end:].lstrip()) or n.percent:
            return _quantity(text, n)
    return None


_FUTURE = re.compile(r"\b(will|shall|is expected|are expected|intends? to|plans? to|with a view to|aims? to)\b",
                     re.IGNORECASE)


def _target(document_id: str, council: str | None, action_id: str | None, text: str, start: int, page: int,
            quantity: Quantity | None, due_text: str | None, due_date: str | None) -> Target:
    end = start + len(text)
    return Target(
        id=stable_id(document_id, "target", start, end),
        document_id=document_id, council=council, action_id=action_id, text=text,
        metric=quantity.metric if quantity else None,
        value_min=quantity.value_min if quantity else None, value_max=quantity.value_max if quantity else None,
        unit=quantity.unit if quantity else None, period=quantity.period if quantity else None,
        deadline_text=due_text, deadline_date=due_date, page=page, char_start=start, char_end=end,
    )


def _merge(found: list[Target], new: Target) -> list[Target]:
    """A dated commitment that restates a quantity target is one target: keep the numbers, add the action."""
    for i, t in enumerate(found):
        if t.char_start < new.char_end and new.char_start < t.char_end:
            if t.action_id is None:
                t.action_id = new.action_id
                t.deadline_text, t.deadline_date = new.deadline_text, new.deadline_date
            return found
    return found + [new]
