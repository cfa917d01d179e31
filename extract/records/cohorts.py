"""Trainee and early-career cohorts: programme, label, head count, status and as-of date.

A cohort needs a specific group on a programme: a head count (`27 trainees`), a label
(`eighth cohort`, `5th Frontline unit`) or a dated start or finish. One record per distinct
count or status, in the reading order of the facts (ANNOTATION.md section 7).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from extract.language.dates import find_dates, may_hold_date
from extract.ids import stable_id
from extract.language.nlp import block_segments, date_iso, parse, sentences, span_text, spans_of, text_of
from extract.language.numbers import may_hold, word_value
from schemas import Block, Cohort, CohortStatus

__all__ = ["cohort_status", "find_cohorts"]

_SKIP_KINDS = {"heading"}

# Status cues, checked in this order; the first class with a cue in a fact's clause wins.
# Specific outcomes come before modality, so "will qualify" is `qualified`, not `planned`.
_STATUS_CUES: list[tuple[CohortStatus, str]] = [
    # "had returned" (after leaving for agency work) is back with the council.
    # "remained employed by the Council": still with the council (and see _REMAINED_WITH_NAME).
    (CohortStatus.RETAINED, r"remain(?:s|ed|ing)? (?:(?:employed|working) )?(?:with|by) "
                            r"(?:us\b|the (?:council|authority|service))|"
                            r"\b(?:has|have|had) (?:since )?returned\b(?! to (?:university|study|studies|education))|"
                            r"stay(?:s|ed|ing)? (?:on )?with (?:us|the (?:council|authority|service))|\bretained\b|"
                            r"(?:become|became|as|now) (?:our )?(?:newly qualified|nqsws?\b)|"
                            r"(?:offered|secured|taken up|accepted) (?:permanent )?(?:posts|roles|jobs|employment|"
                            r"contracts)"),
    # "newly qualified social workers" names the group; it does not say they qualified. Nor
    # does "who had graduated from local universities", which says where they studied.
    # Nor does "a graduate of Teesside University" or "a post-graduate course": graduating does.
    (CohortStatus.QUALIFIED, r"(?<!newly )\bqualif(?:y|ied|ies|ying)\b(?! social work| workers?| staff)|"
                             r"\bgraduat(?:ed|ing)\b(?! from)|\b(?:will|to|shall|would) graduate\b|"
                             r"\bbecom(?:e|es|ing) fully[- ]fledged\b"),
    (CohortStatus.IN_PROGRESS, r"completed (?:year|the first year|their first year|their second year)|"
                               r"\bin (?:year \d|their (?:first|second|third|final) year)|finalising year|"
                               r"\bin (?:the|their) (?:first|second|third|final) year"),
    # "would complete this programme in February": a forecast outcome, as "will qualify" is.
    (CohortStatus.COMPLETED, r"\bcomplet(?:ed|es|ing)\b|\b(?:will|would) (?:\w+ )?complete\b|\bfinish(?:ed|es)\b"),
    (CohortStatus.PLANNED, r"(?:will|would) (?:launch|start|begin|commence|join|be (?:recruited|starting|launched))|"
                           r"\bto be (?:registered|recruited|appointed|launched)|\bbid\b.*\b(?:successful|won|approved)|"
                           r"\bshall\b|with a view to|\bplan(?:s|ned)? to\b|due to (?:start|begin|commence)|"
                           r"\bintend to\b|\bwill be (?:welcoming|taking)|"
                           # "begin their course next Monday": a start still to come, in the present tense
                           r"\b(?:begin|start|commence|join)s?\b[^.]{0,60}?\bnext (?:week|month|term|monday|tuesday|"
                           r"wednesday|thursday|friday)\b"),
    (CohortStatus.STARTED, r"\b(?:begun|began|beginning|started|starting|commenced|commencing)\b|\bstart of\b|"
                           r"\bwelcomed\b|\binvested in\b|\bjust joined\b|\bopened\b"),
    (CohortStatus.IN_PROGRESS, r"\bcurrently\b|actively|\b(?:have|has|had) (?:been )?supported\b|\bcontinu|"
                               r"\bongoing\b|\bthere (?:are|were)\b|\bon (?:the|our) programme\b|\bundertaking\b"),
    # ... or a next step written as an instruction ("Expand the Frontline programme to a second unit").
    (CohortStatus.PLANNED, r"\bwill\b|\bwould\b|\bto be\b|\bexpected\b|"
                           r"^\s*(?:expand|recruit|launch|introduce|establish|"
                           r"extend|grow|increase|commission|bid for|run)\b"),
]
# The cues are lower case and searched in the lower-cased clause: case-sensitive patterns run
# faster than case-blind ones.
_STATUS_RES = [(status, re.compile(rx)) for status, rx in _STATUS_CUES]
# What every cue of each class above holds, in the same order: a class whose words the clause
# lacks is passed over without running its pattern (a quick test; most clauses have few cues).
_STATUS_WORDS: list[tuple[str, ...]] = [
    ("remain", "returned", "stay", "retained", "newly qualified", "nqsw", "posts", "roles", "jobs", "employment",
     "contracts"),
    ("qualif", "graduat", "fledged"),
    ("year",),
    ("complet", "finish"),
    ("will", "would", "to be", "bid", "shall", "view to", "plan", "due to", "intend", "next"),
    ("begun", "began", "beginning", "start", "commenc", "welcomed", "invested in", "just joined", "opened"),
    ("currently", "actively", "supported", "continu", "ongoing", "there are", "there were", "programme", "undertaking"),
    ("will", "would", "to be", "expected", "expand", "recruit", "launch", "introduce", "establish", "extend", "grow",
     "increase", "commission", "bid for", "run"),
]
# "17 of the first cohort remained with Barnsley": a place name is the council (the one cue
# that needs the clause's capitals).
_REMAINED_WITH_NAME = re.compile(r"remain(?:s|ed|ing)? (?:(?:employed|working) )?(?:with|by) [A-Z]\w+")
_STRONG = {CohortStatus.RETAINED, CohortStatus.QUALIFIED, CohortStatus.COMPLETED}

# "frontline staff/practice" is the front line, not the Frontline programme; "as newly
# qualified social workers" is an outcome of a programme, not the ASYE one.
_NOT_PROGRAMME_AFTER = re.compile(r"^\s*(staff|practice|practitioners?|services?|workers?|social workers?|"
                                  r"professionals|managers?|teams?|workforce)\b", re.IGNORECASE)
_NOT_PROGRAMME_BEFORE = re.compile(r"\b(as|become|became|becoming|are now|now)\s+(our\s+)?$", re.IGNORECASE)
_NOT_COHORT_CONTEXT = re.compile(r"leadership pathways?|leadership programme|\bshadow", re.IGNORECASE)
# "trainee social workers" on a page about Step Up are its trainees: a generic mention names
# the Trainee Social Worker Programme only where no other programme is in scope.
_GENERIC_MENTION = re.compile(r"^trainee social workers?$", re.IGNORECASE)
# "... to support 700 individuals in local authorities across England": the national programme's
# places, not a cohort of the council's.
_NATIONAL_SCOPE = re.compile(r"\bacross (?:the country|england)\b", re.IGNORECASE)
# The people a cohort is made of: without them a dated event is the programme's, not a cohort's.
_TRAINEES = re.compile(r"\b(?:trainees?|students?|cohorts?|intakes?|participants?|apprentices?|nqsws?|newly qualified|"
                       r"social workers|graduates?|learners?|candidates?|applicants?|recruits?|fellows?|units?)\b",
                       re.IGNORECASE)
# Words that point back to the cohort or programme of the sentence before.
_ANAPHORA = re.compile(r"\b(this|the|that|these|our) (cohort|unit|group|intake|programme|students|trainees|"
                       r"participants|apprentices)\b|\b(of|from) (the|these|those|our) (students|trainees|"
                       r"participants|apprentices|candidates)\b", re.IGNORECASE)
# "47 social workers had been supported by the Academy": the programme of an earlier block.
_BACK_TO_PROGRAMME = re.compile(r"\b(the|this|our) (programme|academy|scheme)\b", re.IGNORECASE)
_GROWTH = re.compile(r"\bfrom\s+\S+\s+\w+.*?\bto\s+$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r",\s+|\s+(?:and|with|while|whilst|but|who|which)\s+|;\s*|\s+[–—-]\s+|\(")


@dataclass
class _Fact:
    start: int  # char offsets in the block text of the phrase stating it
    end: int
    label: str | None = None
    number: int | None = None
    count: int | None = None
    status: CohortStatus | None = None
    subset: bool = False  # "Four of the students": part of a group named before
    whole: bool = False  # the 4 in "3 of our 4 participants"
    continues: bool = False  # "Of those, 34 remained": states its fact together with the sentence before


@dataclass
class _Record:
    programme: str
    fact: _Fact
    text_start: int
    text_end: int
    as_of: str | None
    extra: list[_Fact] = field(default_factory=list)


def cohort_status(clause: str) -> CohortStatus | None:
    """The status a clause states (`have just begun` started, `remaining with us` retained)."""
    if "remain" in clause and _REMAINED_WITH_NAME.search(clause):
        return CohortStatus.RETAINED  # (retained is the first class)
    low = clause.lower()
    for (status, rx), words in zip(_STATUS_RES, _STATUS_WORDS, strict=True):
        if any(word in low for word in words) and rx.search(low):
            return status
    return None


def find_cohorts(blocks: list[Block], nlp: Language, *, document_id: str, council: str | None,
                 published: str | None) -> list[Cohort]:
    """Cohort records from paragraph, list and table blocks, in document order.

    Args:
        blocks: the document's blocks; `char_start` locates each block's text in documents.text.
        nlp: the pipeline from `extract.language.nlp.build_nlp()`.
        document_id, council: copied onto each record.
        published: the document date; relative dates and records without a date use it.
    """
    cohorts: list[Cohort] = []
    programme_context: tuple[tuple[str, ...], str | None] = ((), None)
    for block in blocks:
        if _kind(block) in _SKIP_KINDS or not block.text.strip():
            continue
        path = tuple(block.heading_path or ())
        inherited = programme_context[1] if programme_context[0] == path else None
        for offset, text in block_segments(block):
            doc = parse(nlp, text)
            records, last_programme = _block_records(doc, inherited, published)
            inherited = last_programme or inherited
            cohorts.extend(_to_cohort(rec, block, offset, text, document_id, council) for rec in records)
        programme_context = (path, inherited)
    return cohorts


def _kind(block: Block) -> str:
    return getattr(block.kind, "value", block.kind)


def _programmes(sent: Span) -> list[Span]:
    """The programme mentions of a sentence, less the false friends."""
    doc, found = sent.doc, []
    for ent in spans_of(doc, "entities"):
        if ent.label_ != "PROGRAMME" or not (sent.start <= ent.start < sent.end):
            continue
        after = text_of(doc)[ent.end_char:ent.end_char + 30]
        before = text_of(doc)[max(sent.start_char, ent.start_char - 25):ent.start_char]
        if ent.id_ == "Frontline" and _NOT_PROGRAMME_AFTER.match(after):
            continue
        if ent.id_ == "ASYE" and _NOT_PROGRAMME_BEFORE.search(before) and not span_text(ent).lower().startswith("asye"):
            continue
        found.append(ent)
    return found


def _block_records(doc: Doc, inherited: str | None, published: str | None) -> tuple[list[_Record], str | None]:
    """The cohorts of one parsed block and the last programme it names (for the next block)."""
    if inherited is None and not any(e.label_ == "PROGRAMME" for e in spans_of(doc, "entities")):
        return [], None  # no programme, so no cohort
    records: list[_Record] = []
    programme = None
    previous: _Record | None = None
    for sent in sentences(doc):
        mentions = _programmes(sent)
        if mentions and all(_names_nqsws_only(m) for m in mentions) and not _as_a_group(span_text(sent)):
            continue  # "14 posts filled, including 6 newly qualified social workers": recruits, not a cohort
        named = programme or inherited
        specific = [m for m in mentions if named is None or m.id_ == named or not _GENERIC_MENTION.match(m.text)]
        if specific:
            programme = specific[0].id_
        elif mentions:
            programme = named  # "trainee social workers": the trainees of the programme in scope
        current = programme or inherited
        if current is None:
            continue  # (no programme yet, so no record before this one either)
        if may_hold(span_text(sent), ("leadership", "shadow")) and _NOT_COHORT_CONTEXT.search(span_text(sent)):
            previous = None  # a leadership or shadowing scheme is not a trainee cohort
            continue
        if may_hold(span_text(sent), ("across",)) and _NATIONAL_SCOPE.search(span_text(sent)):
            continue
        facts = _facts(sent, current, published)
        if not facts:
            continue
        if not mentions and programme is None and not any(f.label for f in facts) and \
                not _BACK_TO_PROGRAMME.search(span_text(sent)):
            continue  # a count under an earlier block's programme needs a label or "the programme"
        new = _sentence_records(sent, facts, current, previous, published)
        records.extend(new)
        if new:
            previous = new[-1]
    return records, programme


# Newly qualified social workers are a cohort where the sentence names their programme or group,
# or says they started, finished, qualified or stayed.
_AS_A_GROUP = re.compile(r"\b(?:programme|cohorts?|intakes?|groups?|scheme|apprenticeship|asye|course|academy|"
                         r"commenc\w*|join\w*|complet\w*|finish\w*)\b", re.IGNORECASE)
_OUTCOMES = frozenset({CohortStatus.STARTED, CohortStatus.COMPLETED, CohortStatus.QUALIFIED, CohortStatus.RETAINED})


def _as_a_group(sentence: str) -> bool:
    return bool(_AS_A_GROUP.search(sentence)) or cohort_status(sentence) in _OUTCOMES


def _names_nqsws_only(mention: Span) -> bool:
    """A mention that names newly qualified social workers, not their programme (ASYE, an academy)."""
    return span_text(mention).lower().startswith(("newly qualified", "nqsw"))


def _facts(sent: Span, programme: str, published: str | None) -> list[_Fact]:
    """Counts and labels of a sentence, with the status of the clause each sits in."""
    doc = sent.doc
    phrases = [p for p in spans_of(doc, "cohort_phrases") if sent.start <= p.start < sent.end]
    facts: list[_Fact] = []
    labelled = any(p.label_ == "COHORT_LABEL" for p in phrases)
    for p in phrases:
        # "The council has 120 social workers, 12 of whom are in their ASYE year"; but in "In
        # the first cohort ... two people who had left ... had returned" the label names the group.
        if p.label_ == "COUNT" and not labelled and _GENERIC_COUNT.search(p.text) and \
                not _programme_in_clause(sent, p):
            continue
        if p.label_ == "COHORT_LABEL":
            facts.append(_label_fact(p))
        else:
            facts.extend(_count_facts(p))
    facts.extend(_unnamed_counts(sent, facts))
    facts = _merge_labels(sorted(facts, key=lambda f: (f.start, f.end)), text_of(doc))
    if facts:
        facts.extend(_start_to_come(sent, facts[-1], published))
    for i, fact in enumerate(facts):
        fact.status = fact.status or _status(_clause(sent, facts, i), programme) or \
            (_status(_lead_in(sent, fact), programme) if i == 0 else None)
    return facts or _dated_event(sent, published)


# ASYE lasts one year: NQSWs who "completed their first year" of it completed the programme.
_ONE_YEAR_PROGRAMMES = frozenset({"ASYE"})
_FIRST_YEAR_DONE = re.compile(r"\bcompleted (?:the|their) first year\b|\bcompleted year one\b", re.IGNORECASE)


def _status(clause: str, programme: str) -> CohortStatus | None:
    status = cohort_status(clause)
    if status is CohortStatus.IN_PROGRESS and programme in _ONE_YEAR_PROGRAMMES and _FIRST_YEAR_DONE.search(clause):
        return CohortStatus.COMPLETED
    return status


# "17 of the first cohort": a part of the labelled cohort, written before its label.
_PART_BEFORE_LABEL = re.compile(r"(?<![\w.,])(?P<count>\d{1,4}|[A-Za-z]+)\s+of\s+(?:the|our|its|their|this|that)\s+$")


def _label_fact(phrase: Span) -> _Fact:
    fact = _Fact(phrase.start_char, phrase.end_char, label=" ".join(phrase.text.split()), number=int(phrase.kb_id_))
    before = text_of(phrase.doc)[max(0, phrase.start_char - 30):phrase.start_char]
    part = _PART_BEFORE_LABEL.search(before)
    if part and word_value(part.group("count")) is not None:
        fact.count = word_value(part.group("count"))
        fact.start -= len(before) - part.start()
    return fact


# Counts the people-noun phrases miss: "Of those, 34 remained" (a part of the group just
# named) and "with six places funded" (places on the programme).
_PART_AFTER = re.compile(r"\bof\s+(?:those|these|them|whom),?\s+(?P<count>\d{1,4}|[a-z]+)\b", re.IGNORECASE)
_PLACES = re.compile(r"\b(?P<count>\d{1,4}|[a-z]+)\s+(?:(?:funded|training|new|additional)\s+)?places\b",
                     re.IGNORECASE)


def _unnamed_counts(sent: Span, facts: list[_Fact]) -> list[_Fact]:
    text, base = span_text(sent), sent.start_char
    low = text.lower()
    if "places" not in low and "whom" not in low and "of those" not in low and "of these" not in low and \
            "of them" not in low:
        return []  # (the quick test: most sentences have neither)
    found = []
    for rx, part in ((_PART_AFTER, True), (_PLACES, False)):
        for m in rx.finditer(text):
            value = word_value(m.group("count"))
            start, end = base + m.start("count"), base + m.end()
            if value is None or any(f.start < end and start < f.end for f in facts + found):
                continue
            found.append(_Fact(start, end, count=value, subset=part, continues=part))
    return found


# "..., and that a further cohort was expected to start in January 2024": a later clause
# about another cohort, by its dated start; its count is not the one of the clause before.
_OTHER_COHORT = re.compile(r"(?:and\s+)?(?:that\s+)?(?:a|an|the|another|our)\s+(?:\w+\s+){0,2}?"
                           r"(?:cohort|intake|group)\b", re.IGNORECASE)


def _start_to_come(sent: Span, last: _Fact, published: str | None) -> list[_Fact]:
    text, base = span_text(sent), sent.start_char
    if "start" not in text and "begin" not in text and "commence" not in text and "join" not in text:
        return []
    for b in _CLAUSE_BREAK.finditer(text, last.end - base):
        tail = text[b.end():]
        if _OTHER_COHORT.match(tail) and _planned_start(tail, published):
            return [_Fact(base + b.end(), base + len(text.rstrip()), status=CohortStatus.PLANNED)]
    return []


# "£380,000 per cohort", "a bursary for each trainee": a rate per unit names no group.
_PER_UNIT = re.compile(r"\b(?:per|each|every)\s+(?:cohort|intake|trainee|student|apprentice|participant)s?\b",
                       re.IGNORECASE)


def _dated_event(sent: Span, published: str | None) -> list[_Fact]:
    """A programme sentence with no count or label still names a cohort by a dated start or
    finish ("Our Think Ahead trainees started in September 2023", "A cohort of newly
    qualified social workers had been appointed who were due to commence in the summer")."""
    text = span_text(sent)
    if not may_hold(text, _EVENT_WORDS) or not may_hold_date(text):
        return []  # (quick tests: a dated start or finish says so in one of these words, and a season or a date is a date anchor)
    if not _TRAINEES.search(_PER_UNIT.sub(" ", text)):
        return []  # "work to redesign the ASYE programme would be completed by June": no group of trainees
    if _planned_start(text, published):
        return [_Fact(sent.start_char, sent.end_char, status=CohortStatus.PLANNED)]
    status = cohort_status(text)
    if status not in (CohortStatus.STARTED, CohortStatus.COMPLETED, CohortStatus.QUALIFIED):
        return []
    if not any(sent.start <= d.start < sent.end and date_iso(d, published) for d in spans_of(sent.doc, "dates")):
        return []
    return [_Fact(sent.start_char, sent.end_char, status=status)]


# A start still to come, and when: "due to commence in the summer", "will start in September 2025".
_START_TO_COME = re.compile(r"\b(?:(?:due|expected|set|scheduled|planned) to|(?:can|could) expect to|will|would) "
                            r"(?:start|begin|commence|join)\b", re.IGNORECASE)
_SEASON = re.compile(r"\s*(?:in|from|during|over)\s+(?:the\s+)?(?:early\s+|late\s+)?(?:spring|summer|autumn|winter)\b",
                     re.IGNORECASE)
_EVENT_DATE_KINDS = ("date", "month", "year", "relative")
# What is started, between the verb and its date: "start the programme", "begin their training".
_STARTED_WHAT = re.compile(r"\s+(?:the|their|our)\s+(?:programme|course|training|placements?|scheme|studies|"
                           r"apprenticeship)(?=\s+(?:in|on|from|during|over)\b)", re.IGNORECASE)
# What `_START_TO_COME` or a cue of a started, completed or qualified cohort holds.
_EVENT_WORDS = ("start", "begin", "commence", "join") + tuple(
    word for (status, _), words in zip(_STATUS_RES, _STATUS_WORDS, strict=True)
    if status in (CohortStatus.STARTED, CohortStatus.COMPLETED, CohortStatus.QUALIFIED) for word in words)


def _planned_start(text: str, published: str | None) -> bool:
    """Whether a sentence dates a start still to come (a season or a date right after the verb):
    a cohort not yet begun, even with no count or label."""
    start = _START_TO_COME.search(text)
    if start is None:
        return False
    tail = text[start.end():start.end() + 60]
    what = _STARTED_WHAT.match(tail)  # "start [the programme] in January 2026"
    tail = tail[what.end():] if what else tail[:40]
    if _SEASON.match(tail):
        return True
    return any(d.start <= 4 and d.kind in _EVENT_DATE_KINDS for d in find_dates(tail, published))


# Head counts of anyone ("social workers", "staff") belong to a programme only when the
# programme is named in the same clause; "trainees" or "students" are trainees anywhere.
# ... but "newly qualified social workers" names the ASYE group itself.
_GENERIC_COUNT = re.compile(r"^(?!.*\bnewly qualified (?:social )?workers?$).*"
                            r"\b(social workers?|staff|workers?|colleagues|people|individuals)$", re.IGNORECASE)
_PROGRAMME_WORD = re.compile(r"\b(programme|cohorts?|intakes?|scheme|apprenticeship|asye|course|academy)\b", re.IGNORECASE)


def _programme_in_clause(sent: Span, phrase: Span) -> bool:
    text, at = span_text(sent), phrase.start_char - sent.start_char
    start, end = 0, len(text)
    for m in _CLAUSE_BREAK.finditer(text):
        if m.end() <= at:
            start = m.end()
        elif m.start() >= at + len(phrase.text):
            end = m.start()
            break
    clause = (sent.start_char + start, sent.start_char + end)
    named = any(e.label_ == "PROGRAMME" and clause[0] <= e.start_char < clause[1] and
                not (e.start_char >= phrase.start_char and e.end_char <= phrase.end_char)
                for e in spans_of(sent.doc, "entities"))
    return named or bool(_PROGRAMME_WORD.search(text[start:end]))


def _count_facts(phrase: Span) -> list[_Fact]:
    """`3 of our 4 participants` gives the whole (4) and the part (3); others one count."""
    m = re.match(r"(\S+)\s+of\s+(?:our|the|their|these|those)\s+(\S+)\s", phrase.text)
    if m and word_value(m.group(2)) is not None:
        whole = _Fact(phrase.start_char, phrase.start_char, count=word_value(m.group(2)), whole=True)
        part = _Fact(phrase.start_char, phrase.end_char, count=int(phrase.kb_id_), subset=True)
        return [whole, part]
    # "Four of the students", "12 of whom", "... and seven have accepted posts": part of a named group.
    subset = bool(re.match(r"\S+\s+of\s+(the|these|those|our|them|whom)\b|(and|while|whilst)\s", phrase.text,
                           re.IGNORECASE))
    return [_Fact(phrase.start_char, phrase.end_char, count=int(phrase.kb_id_), subset=subset)]


def _merge_labels(facts: list[_Fact], text: str) -> list[_Fact]:
    """A sentence with one label states one cohort: its head count joins the label, and a
    part of it ("five of them", "3 of our 4") carries the label too. With several labels,
    each takes the count written right after it ("second unit of four participants") and
    the parts that follow it ("..., three of whom have stayed")."""
    labels = [f for f in facts if f.label]
    if len(labels) > 1:
        return _merge_each_label(facts, text)
    counts = [f for f in facts if f.count is not None and not f.label]
    if len(labels) != 1 or not counts:
        return facts
    label = labels[0]
    main = [f for f in counts if f.whole] or [f for f in counts if not f.subset]
    parts = [f for f in counts if f.subset]
    if len(main) > 1:
        # "8 trainees in their second year and 6 in their first, with a view to a 3rd cohort": the label
        # takes only a count written right after it ("the second cohort of 7").
        return _merge_each_label(facts, text)
    if main:
        label.count = main[0].count
        if not main[0].whole:
            label.start, label.end = min(label.start, main[0].start), max(label.end, main[0].end)
    for part in parts:
        part.label, part.number = label.label, label.number
    return sorted([label] + parts, key=lambda f: (f.start, f.end))


def _merge_each_label(facts: list[_Fact], text: str) -> list[_Fact]:
    kept: list[_Fact] = []
    label: _Fact | None = None
    for fact in facts:
        if fact.label:
            label = fact
        elif label is not None and fact.count is not None and label.count is None and not fact.subset \
                and re.fullmatch(r"\s*(?:of|with)\s*", text[label.end:fact.start]):
            label.count, label.end = fact.count, fact.end
            continue
        elif label is not None and fact.subset:
            fact.label, fact.number = label.label, label.number
        kept.append(fact)
    return kept


def _clause(sent: Span, facts: list[_Fact], i: int) -> str:
    """The part of the sentence that belongs to fact i: from the clause break before it to the
    next fact's, or for the last fact to a coordinated clause with a subject of its own."""
    text, base = span_text(sent), sent.start_char
    starts = [_clause_start(text, f.start - base, facts[j - 1].end - base if j else 0)
              for j, f in enumerate(facts)]
    if i + 1 < len(facts):
        end = starts[i + 1]
    else:
        other = _NEW_SUBJECT.search(text, facts[i].end - base)
        end = other.start() if other else len(text)
    return text[starts[i]:max(end, starts[i])]


# ", and a second academy would open ...": the clause after says what another subject does.
_NEW_SUBJECT = re.compile(r"(?:,\s+and|;)\s+(?:that\s+)?(?:a|an|the|another)\s", re.IGNORECASE)


def _lead_in(sent: Span, fact: _Fact) -> str:
    """The sentence before a fact: in "would take on apprentices ..., with six places funded"
    its verb gives the status the count's own clause leaves unsaid."""
    return text_of(sent.doc)[sent.start_char:fact.start]


def _clause_start(text: str, at: int, floor: int) -> int:
    """Where the clause of a fact at `at` opens: after the last clause break since the
    previous fact, else at the fact itself (the first fact's clause opens the sentence)."""
    start = 0 if floor == 0 else at
    for m in _CLAUSE_BREAK.finditer(text, floor, at):
        start = m.end()
    return start


def _sentence_records(sent: Span, facts: list[_Fact], programme: str, previous: _Record | None,
                      published: str | None) -> list[_Record]:
    records: list[_Record] = []
    anaphoric = bool(_ANAPHORA.search(span_text(sent)))
    own_label = any(f.label for f in facts)
    for fact in facts:
        as_of = _as_of(sent, fact, published)
        start = sent.start_char
        if fact.continues and previous is not None and previous.programme == programme:
            # The part means nothing without the group it is of: both records show both sentences.
            start, previous.text_end = previous.text_start, _sentence_end(sent)
        if previous is not None and not own_label and anaphoric and previous.programme == programme:
            if previous.fact.count is None and fact.count is not None and _is_growth_target(sent, fact):
                previous.fact.count = fact.count
                previous.text_end = sent.end_char
                previous.as_of = as_of or previous.as_of
                continue
            if fact.subset:
                fact.label, fact.number = previous.fact.label, previous.fact.number
            if fact.status is None or fact.status not in _STRONG:
                fact.status = previous.fact.status if fact.subset or fact.status is None else fact.status
        if fact.status is None:
            fact.status = previous.fact.status if previous is not None and previous.programme == programme \
                and anaphoric else CohortStatus.IN_PROGRESS
        records.append(_Record(programme, fact, start, _sentence_end(sent), as_of))
    return records


def _is_growth_target(sent: Span, fact: _Fact) -> bool:
    """In `grown this cohort from 3 students in 2019 to 6 students in 2022` the 6 is the cohort now."""
    before = text_of(sent.doc)[sent.start_char:fact.start]
    if re.search(r"\bfrom\b", before, re.IGNORECASE):
        return bool(re.search(r"\bto\s+$", before, re.IGNORECASE))
    return True


def _sentence_end(sent: Span) -> int:
    return sent.start_char + len(span_text(sent).rstrip())


def _as_of(sent: Span, fact: _Fact, published: str | None) -> str | None:
    """The date the figure refers to: the nearest dated mention after or before it, else the
    document's; none for a running total (`since 2016, 47 ... had been supported`)."""
    dates = [(d, date_iso(d, published)) for d in spans_of(sent.doc, "dates") if sent.start <= d.start < sent.end
             and d.label_ in ("date", "month", "year", "relative")]
    dates = [(d, iso) for d, iso in dates if iso]
    running_total = [d for d, _ in dates if d.text.lower().startswith("since ")]
    dates = [(d, iso) for d, iso in dates if d not in running_total]
    if not dates:
        return None if running_total else published
    after = [(d, iso) for d, iso in dates if d.start_char >= fact.start]
    return (after[0] if after else dates[-1])[1]


def _to_cohort(rec: _Record, block: Block, offset: int, segment: str, document_id: str,
               council: str | None) -> Cohort:
    start, end = block.char_start + offset + rec.text_start, block.char_start + offset + rec.text_end
    text = segment[rec.text_start:rec.text_end]
    fact = rec.fact
    status = (fact.status or CohortStatus.IN_PROGRESS).value
    return Cohort(
        id=stable_id(document_id, "cohort", start, end, fact.label, fact.count, status),
        document_id=document_id, council=council, programme=rec.programme, cohort_label=fact.label,
        cohort_number=fact.number, participants=fact.count, status=status, as_of=rec.as_of,
        text=text, page=block.page, char_start=start, char_end=end,
    )
