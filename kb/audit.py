"""Promised versus reported: every commitment checked against later documents of its council.

A promise is a `commitment` action or a target. Its evidence is the sentence of a
`progress` action of a later document of the same council that best matches it:
the promise's own words, plus the progress item the promise was cut from (its
initiative), against the later sentence, its action and the list it sits in.
The matched sentence's wording decides the verdict ("was launched", "has
concluded" -> delivered; "continuing to", "have been offering" -> in progress).
A promise that a revised edition (`document_series.supersedes_id`) makes again is
audited once, in the newest edition's words.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from enum import Enum
from functools import lru_cache
from typing import Iterable

from sqlite_utils import Database

from extract.language.dates import find_dates, latest_day
from kb.dedup import LinkSettings, TermWeights, date_bounds, document_order, normalise, similarity, terms

__all__ = ["LABELS", "LATE_LABELS", "LATE_MEANINGS", "MEANINGS", "AuditFinding", "AuditReport", "AuditSettings", "PriorVerdict", "Verdict",
           "check_as_of", "check_council", "describe_changes", "format_report", "refresh", "report_rows", "run_audit",
           "status_of", "target_value", "verdict_label", "verdict_legend", "verdict_meaning", "verdict_snapshot",
           "whole_sentence"]


class Verdict(str, Enum):
    DELIVERED = "delivered"
    IN_PROGRESS = "in_progress"
    NO_UPDATE = "no_update"
    AWAITING_REPORT = "awaiting_report"
    NOT_YET_DUE = "not_yet_due"


@dataclass(frozen=True)
class AuditSettings:
    """`AuditSettings.resolve(None | dict | AuditSettings)`."""

    match_threshold: float = 36.0  # 0-100 score a later sentence needs to count as evidence
    initiative_boost: float = 1.5  # initiative overlap (a dice over more words) scaled to compare with own words
    rare_share: float = 0.05       # a term in at most this share of the council's statements is rare

    def __post_init__(self) -> None:
        if not 0 <= self.match_threshold <= 100:
            raise ValueError(f"Audit setting 'match_threshold' must be within 0-100, got {self.match_threshold}")
        if self.initiative_boost <= 0 or not 0 < self.rare_share <= 1:
            raise ValueError("Audit settings 'initiative_boost' and 'rare_share' must be positive, "
                             "rare_share at most 1")

    @classmethod
    def resolve(cls, settings: AuditSettings | dict | None) -> AuditSettings:
        if settings is None:
            return cls()
        if isinstance(settings, cls):
            return settings
        unknown = set(settings) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"Audit setting '{sorted(unknown)[0]}' is not a setting")
        return cls(**settings)


@dataclass(frozen=True)
class AuditFinding:
    """One promise and what later documents say about it; `asdict()` is the `audit` row."""

    promise_id: str
    promise_kind: str            # "action" or "target"
    council: str | None
    document_id: str
    priority_id: str | None
    promise_text: str
    promise_page: int | None
    due_text: str | None
    due_date: str | None
    verdict: Verdict
    score: float
    explanation: str
    evidence_id: str | None = None
    evidence_quote: str | None = None
    evidence_document_id: str | None = None
    evidence_page: int | None = None
    as_of: str | None = None
    action_id: str | None = None  # for a target: the action that states it
    late: bool = False  # the evidence, or its document, is dated after the last day the deadline allows
    reported_date: str | None = None  # ISO date of the evidence: the date it states, else its document's
    reported_text: str | None = None  # that date as the evidence words it (None: dated by its document)
    target_id: str | None = None  # the target cut from the same sentence, audited as this one promise
    target: str | None = None     # that target's number as a reader reads it ("4 people")

    def short_msg(self) -> str:
        return f"{self.verdict.value}: {self.promise_text[:80]}"

    def row(self) -> dict:
        return asdict(self) | {"verdict": self.verdict.value, "late": int(self.late)}

    @property
    def label(self) -> str:
        """The verdict as a reader reads it: "Delivered late", "In progress, past due", "No update"."""
        return verdict_label(self.verdict, self.late)


@dataclass
class AuditReport:
    findings: list[AuditFinding] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {v.value: 0 for v in Verdict}
        for f in self.findings:
            out[f.verdict.value] += 1
        return out

    def summary(self) -> str:
        return f"{len(self.findings)} promises: " + ", ".join(f"{k} {n}" for k, n in self.counts().items())


# ---------------------------------------------------------------- wording cues

_DONE_VERBS = (r"launched|completed|concluded|delivered|achieved|implemented|introduced|established|created|"
               r"recruited|appointed|agreed|approved|opened|published|held|begun|began|started|commenced|"
               r"secured|awarded|made available|rolled out|gone live|went live|set up|signed|finalised|"
               r"put in place|adopted|developed")
# A completion stated about the thing: "was officially launched", "have successfully begun",
# "following the launch in ...", "is now live".
_DELIVERED = re.compile(
    rf"\b(?:has|have|had|was|were|is|are)\s+(?:(?:now|also|successfully|officially|just|been|fully|recently)\s+)*"
    rf"(?:{_DONE_VERBS})\b"
    r"|\bfollowing (?:the|its|our) (?:launch|completion|introduction|implementation|start)\b"
    r"|\bsaw the (?:launch|start|introduction|completion)\b"
    r"|\b(?:is|are) (?:now )?(?:live|in place|up and running)\b"
    r"|\bhas now been\b"
    # the past simple, with its subject ("We launched the academy in November"), not a
    # participle after "to be", "will", or one that says who did it ("launched by")
    rf"|(?<!\bto )(?<!\bbe )(?<!\bwill )(?<!\bwould )(?<!\bnot )(?<!\bbeen )\b(?:{_DONE_VERBS})\b(?!\s+by\b)", re.I)
# Work reported as under way, not finished: "continuing to", "have been offering", "being developed".
_UNDER_WAY = re.compile(
    r"\bcontinu\w*|\bongoing\b|\bunder ?way\b|\bin progress\b|\bprogress (?:has been|is being) made\b"
    r"|\b(?:is|are|am) being\b|\b(?:has|have) been \w+ing\b|\b(?:is|are) \w+ing\b|\bworking (?:with|on|towards)\b"
    r"|\bbeginning to\b|\bstill\b", re.I)
# Explicitly not done: a report that says so is not a delivery whatever else the sentence says.
_NOT_DONE = re.compile(
    r"\bnot (?:yet )?(?:been )?(?:launched|started|begun|completed|progressed|delivered|achieved)\b"
    r"|\b(?:delayed|postponed|paused|on hold|deferred|slipped)\b", re.I)
# A sentence that introduces a list ("great progress has been made including;") reports through its items.
_LEAD_IN = re.compile(r"(?:[:;\u2013-]|\binclud(?:e|es|ing)[;:,]?|\bas follows)\s*$", re.I)
# Kinds of promised event; a later sentence reporting the same kind is the better evidence
# ("agreement ... expected" is answered by "has concluded" rather than "has been recruited").
_EVENTS = {
    "start": re.compile(r"\b(?:launch|start|began|begun|begin|commenc|open|go(?:ne)? live|went live|introduc"
                        r"|roll(?:ed)? out|cohort)", re.I),
    "agree": re.compile(r"\b(?:agree|conclu|finalis|sign|approv|decid|decision)", re.I),
    "complete": re.compile(r"\b(?:complet|finish|conclu|deliver|achiev)", re.I),
    "recruit": re.compile(r"\b(?:recruit|appoint|hire|hiring|employ)", re.I),
    "publish": re.compile(r"\b(?:publish|releas)", re.I),
    "establish": re.compile(r"\b(?:establish|set up|creat|develop|design)", re.I),
}
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'\u2018\u201c(])")


@lru_cache(maxsize=50_000)  # a promise is scored against many sentences, and each sentence against many promises
def events_of(text: str) -> frozenset[str]:
    """The kinds of event a text names: start, agree, complete, recruit, publish, establish."""
    return frozenset(k for k, rx in _EVENTS.items() if rx.search(text))


@lru_cache(maxsize=50_000)
def status_of(sentence: str) -> Verdict:
    """The progress a sentence reports: delivered, or in progress (any other mention)."""
    if _NOT_DONE.search(sentence):
        return Verdict.IN_PROGRESS
    return Verdict.DELIVERED if _DELIVERED.search(sentence) else Verdict.IN_PROGRESS


# ---------------------------------------------------------------- evidence units

@dataclass
class _Unit:
    """A sentence of a later progress action, with the words of its action and list."""

    action: dict
    sentence: str
    own: set[str]
    context: set[str]
    items: list[dict]  # for a list lead-in: the items it introduces


def _list_groups(actions: list[dict]) -> dict[str, tuple[dict | None, list[dict]]]:
    """For each action of one document: its list lead-in (or None) and, for a lead-in, its items.

    Items follow a lead-in ending with ':' or 'including;' while each item ends with
    ',' or ';' (or shares the lead-in's lead); the first item ending with a full stop
    closes the list.
    """
    out: dict[str, tuple[dict | None, list[dict]]] = {a["id"]: (None, []) for a in actions}
    for i, head in enumerate(actions):
        if not _LEAD_IN.search(head["text"].strip()):
            continue
        items = []
        for a in actions[i + 1: i + 13]:
            if a["kind"] != head["kind"] or a.get("embedded"):
                break
            items.append(a)
            same_lead = head.get("lead") and a.get("lead") == head.get("lead")
            if not (a["text"].rstrip().endswith((",", ";")) or same_lead):
                break
        out[head["id"]] = (out[head["id"]][0], items)
        for a in items:
            out[a["id"]] = (head, out[a["id"]][1])
    return out


def _units(actions: list[dict]) -> list[_Unit]:
    actions = sorted(actions, key=lambda a: (a.get("char_start") or 0, a["id"]))
    groups = _list_groups(actions)
    units = []
    for a in actions:
        if a["kind"] != "progress":
            continue
        head, items = groups[a["id"]]
        around = set(terms(a["text"]))
        for other in ([head] if head else []) + items:
            around |= set(terms(other["text"]))
        sentences = _SENTENCE.split(a["text"]) or [a["text"]]
        for k, s in enumerate(sentences):
            units.append(_Unit(a, s, set(terms(s)), around, items if k == len(sentences) - 1 else []))
    return units


# ---------------------------------------------------------------- promises

@dataclass
class _Promise:
    id: str
    kind: str
    row: dict
    text: str
    own: set[str]
    context: set[str]
    due_text: str | None
    due_date: str | None
    target: dict | None = None  # the target stated by this commitment's own sentence


def _parent(action: dict, by_doc: dict[str, list[dict]]) -> dict | None:
    """The progress item an embedded promise was cut from: same document, span around it."""
    s, e = action.get("char_start"), action.get("char_end")
    if s is None or e is None:
        return None
    for a in by_doc.get(action["document_id"], []):
        if a["id"] != action["id"] and a["kind"] == "progress" and (a.get("char_start") or 0) <= s \
                and (a.get("char_end") or 0) >= e and a["char_end"] > a["char_start"]:
            return a
    return None


def _promises(actions: list[dict], targets: list[dict], by_doc: dict[str, list[dict]]) -> list[_Promise]:
    """Every commitment, and every target not stated by one: a commitment and the target cut
    from its sentence are one promise, with one verdict, carrying the target's number."""
    by_id = {a["id"]: a for a in actions}
    out = []
    commitments: dict[str, _Promise] = {}
    for a in actions:
        if a["kind"] != "commitment":
            continue
        parent = _parent(a, by_doc)
        commitments[a["id"]] = _Promise(a["id"], "action", a, a["text"], set(terms(a["text"])),
                                        set(terms(parent["text"])) if parent else set(), a.get("due_text"),
                                        a.get("due_date"))
        out.append(commitments[a["id"]])
    for t in targets:
        stated_by = commitments.get(t.get("action_id") or "")
        if stated_by is not None:
            if stated_by.target is None:
                stated_by.target = t
                if not stated_by.due_date and t.get("deadline_date"):
                    stated_by.due_text, stated_by.due_date = t.get("deadline_text"), t["deadline_date"]
            continue
        act = by_id.get(t.get("action_id") or "")
        ctx = set(terms(t.get("metric")))
        for src in filter(None, (act, act and _parent(act, by_doc))):
            ctx |= set(terms(src["text"]))
        row = t | {"priority_id": act.get("priority_id") if act else None}
        out.append(_Promise(t["id"], "target", row, t["text"], set(terms(t["text"])), ctx,
                            t.get("deadline_text"), t.get("deadline_date")))
    return out


def _same_commitment(a: str, b: str, w: TermWeights, ta: set[str] | None = None, tb: set[str] | None = None) -> bool:
    """Two wordings of one commitment, by the linker's own text test (audit runs before the links exist)."""
    return normalise(a) == normalise(b) or similarity(a, b, w, ta, tb) >= LinkSettings().threshold


def _superseders(db: Database, council: str | None, current: Collection[str]) -> dict[str, set[str]]:
    """Each document's revised editions among `current`, directly or through a chain of revisions."""
    newer: dict[str, list[str]] = {}
    for r in _council_rows(db, "document_series", council):
        if r["supersedes_id"]:
            newer.setdefault(r["supersedes_id"], []).append(r["document_id"])
    out: dict[str, set[str]] = {}
    for old in newer:
        seen: set[str] = set()
        todo = list(newer[old])
        while todo:
            d = todo.pop()
            if d not in seen:
                seen.add(d)
                todo += newer.get(d, [])
        out[old] = seen & set(current)
    return out


def _restated(promises: list[_Promise], superseders: dict[str, set[str]], w: TermWeights) -> set[str]:
    """Promises a revised edition makes again: only the newest edition's wording is audited.

    A promise the revision dropped stays, since nothing else would report on it.
    """
    by_doc: dict[str, list[_Promise]] = {}
    for p in promises:
        by_doc.setdefault(p.row["document_id"], []).append(p)
    return {p.id for p in promises
            if any(_same_commitment(p.text, q.text, w, p.own, q.own)
                   for d in superseders.get(p.row["document_id"], ()) for q in by_doc.get(d, []))}


def _score(p: _Promise, u: _Unit, w: TermWeights, settings: AuditSettings) -> tuple[float, float]:
    """Match score (0-100) of a later sentence, and the key that ranks candidates above the threshold.

    Own words: how much of the promise the later sentence and its action repeat.
    Initiative: the progress item the promise was cut from against the later action
    and its list, for promises too short to match alone ("Agreement on the final
    model is expected early 2023"). Either needs a rare shared term as an anchor.
    Ranking adds both, a bonus when the sentence reports the same kind of event as
    done, then the sentence's own overlap, so the sentence that names the promised
    thing beats a restatement of its surroundings.
    """
    later = u.own | u.context
    if not _anchored(p.own | p.context, later, w, settings):
        return 0.0, 0.0
    sentence = w.coverage(p.own, u.own)
    own = (sentence + w.coverage(p.own, later)) / 2
    initiative = w.dice(p.own | p.context, later)
    score = round(100 * min(1.0, max(own, settings.initiative_boost * initiative)), 1)
    same_event = bool(events_of(p.text) & events_of(u.sentence)) and status_of(u.sentence) is Verdict.DELIVERED
    return score, own + initiative + 0.15 * same_event + sentence / 100


def _rare_limit(w: TermWeights, settings: AuditSettings) -> int:
    return max(4, int(settings.rare_share * w.n))


def _rare_index(units: dict[str, list[_Unit]], w: TermWeights,
                settings: AuditSettings) -> dict[str, dict[str, list[int]]]:
    """Per document: rare term -> positions of the units holding it (the audit's blocking)."""
    rare = _rare_limit(w, settings)
    index: dict[str, dict[str, list[int]]] = {}
    for d, us in units.items():
        postings: dict[str, list[int]] = {}
        for i, u in enumerate(us):
            for t in u.own | u.context:
                if w.df.get(t, 0) <= rare:
                    postings.setdefault(t, []).append(i)
        index[d] = postings
    return index


def _candidates(p: _Promise, docs: list[str], units: dict[str, list[_Unit]],
                index: dict[str, dict[str, list[int]]]) -> list[_Unit]:
    """Only later sentences sharing a rare term with the promise can match it, so only they are scored."""
    keys = p.own | p.context
    out = []
    for d in docs:
        hits = sorted({i for t in keys for i in index[d].get(t, ())})
        out += [units[d][i] for i in hits]
    return out


def _anchored(a: set[str], b: set[str], w: TermWeights, settings: AuditSettings) -> bool:
    rare = _rare_limit(w, settings)
    return any(w.df.get(t, 0) <= rare for t in a & b)


# ---------------------------------------------------------------- verdicts

def _due_after(due: str | None, as_of: str) -> bool:
    b = date_bounds(due)
    return bool(b) and b[1] > date_bounds(as_of)[0]


@dataclass(frozen=True)
class _Judgement:
    verdict: Verdict
    why: str
    evidence: dict | None = None
    quote: str | None = None
    late: bool = False
    reported: str | None = None
    reported_text: str | None = None


def _judge(p: _Promise, best: tuple[float, _Unit] | None, later: int, as_of: str,
           docs: dict[str, dict], settings: AuditSettings) -> _Judgement:
    """Verdict, explanation, evidence action and its whole sentence, lateness, for one promise."""
    due = p.due_text or p.due_date
    if best and best[0] >= settings.match_threshold:
        sentence, ev, status = _focus(best[1])
        doc = docs[ev["document_id"]]
        quote = _evidence_sentence(doc.get("text") or "", ev, sentence)
        cite = f"{doc['title'] or 'a later document'} ({doc['published'] or 'undated'}, page {ev['page']})"
        reported, stated = _reported_date(sentence, doc)  # `stated`: the date as the evidence words it
        deadline = latest_day(p.due_text, p.due_date)
        late = bool(reported and deadline) and date_bounds(reported)[0] > deadline
        when = f"the report dates it {stated}" if stated else f"it is first reported in a document dated {reported}"
        if status is Verdict.DELIVERED and _short_of_target(p.target, p.text, sentence):
            status = Verdict.IN_PROGRESS
        if status is Verdict.DELIVERED:
            if late:
                return _Judgement(status, f"Delivered late: it was due {due} (by {deadline}) and {when}. "
                                  f"Reported as done in {cite}: \u201c{quote}\u201d", ev, quote, True, reported, stated)
            return _Judgement(status, f"Reported as done in {cite}: \u201c{quote}\u201d", ev, quote, False, reported,
                              stated)
        if _due_after(p.due_date, as_of):
            return _Judgement(Verdict.NOT_YET_DUE, f"Work is reported in {cite} and the deadline ({due}) had not "
                              f"passed by {as_of}.", ev, quote, False, reported, stated)
        past = f"In progress, past due: it was due {due} (by {deadline}) and {when}. " if late else ""
        return _Judgement(Verdict.IN_PROGRESS, f"{past}{cite} reports work on it but not the promised result: "
                          f"\u201c{quote}\u201d", ev, quote, late, reported, stated)
    if _due_after(p.due_date, as_of):
        return _Judgement(Verdict.NOT_YET_DUE, f"Its deadline ({due}) had not passed by {as_of}, the date the audit "
                          "is judged at, and no later report shows it done.")
    if not later:
        return _Judgement(Verdict.AWAITING_REPORT, f"No later document of this council has been ingested up to "
                          f"{as_of}, so nothing could report on it yet.")
    return _Judgement(Verdict.NO_UPDATE, f"{later} later document(s) of this council up to {as_of} were read and "
                      "none mentions it.")


# A sentence ends at . ! or ? (and any closing quote or bracket) before white space and a new
# sentence's first character, or at a paragraph break after a line that does not run on
# (a list item ending in ',' or ';' continues the sentence; after a lead-in ending in ':' the
# items are sentences of their own).
_SENTENCE_BREAK = re.compile(r"[.!?][\"'\u2019\u201d)]*\s+(?=[A-Z0-9\"'\u2018\u201c(\u2022])"
                             r"|(?<![,;\u2013-])\s*\n\s*\n\s*(?=[A-Z0-9\"'\u2018\u201c(\u2022])")
_LONGEST_QUOTE = 900  # characters; a "sentence" longer than this is a run of unpunctuated lines


def whole_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the whole sentence of `text` that holds `text[start:end]`."""
    window = max(0, start - _LONGEST_QUOTE)
    head = window
    for m in _SENTENCE_BREAK.finditer(text, window, start + 1):
        if m.end() <= start + 1:
            head = m.end()
    tail = len(text)
    m = _SENTENCE_BREAK.search(text, max(start, end - 1), end + _LONGEST_QUOTE)
    if m:
        tail = m.start() + (1 if text[m.start()] in ".!?" else 0)
        closers = re.match(r"[\"'\u2019\u201d)]*", text[tail:])
        tail += closers.end() if closers else 0
    else:
        tail = min(len(text), end + _LONGEST_QUOTE)
    if tail - head > _LONGEST_QUOTE:
        return start, end
    return head, tail


def _evidence_sentence(text: str, ev: dict, sentence: str) -> str:
    """The whole sentence of the source that holds the evidence, as one line."""
    s, e = ev.get("char_start"), ev.get("char_end")
    if s is None or e is None or not text:
        return " ".join(sentence.split())
    at = text.find(sentence[:40].strip(), s, e + 1) if sentence.strip() else -1
    if at >= 0:
        s, e = at, at + len(sentence.strip())
    head, tail = whole_sentence(text, s, min(e, len(text)))
    return " ".join(text[head:tail].split())


# Where a report turns from what is done to what is still to come ("..., and a further 7 are
# expected to arrive by May"): dates and counts after it are forecasts, not of the work done.
_STILL_TO_COME = re.compile(r"\b(?:will|would|shall|(?:is|are) (?:expected|due|planned|scheduled) to|"
                            r"to be|a further|the remaining)\b", re.I)
# A count and the words after it ("18 international social workers").
_COUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})*|\d+)(?![\d.,]*\d)(?!\s*%)((?:\s+[A-Za-z][\w-]*){1,3})")


def _done_part(sentence: str) -> str:
    marker = _STILL_TO_COME.search(sentence)
    return sentence[:marker.start()] if marker else sentence


def _short_of_target(target: dict | None, promise: str, sentence: str) -> bool:
    """A count of the promised thing that the report gives for the work done, short of the
    promised number ("recruit 25 international social workers" answered by "we have recruited
    18 international social workers so far"): work on it, not the result."""
    if not target or target.get("value_min") is None or (target.get("unit") or "") == "percent":
        return False
    goal = target["value_max"] if target.get("value_max") is not None else target["value_min"]
    promised = next((m for m in _COUNT.finditer(promise) if float(m.group(1).replace(",", "")) == goal), None)
    if promised is None:
        return False
    things = {w.lower() for w in promised.group(2).split()}
    for m in _COUNT.finditer(_done_part(sentence)):
        if m.group(2).split()[0].lower() in things:  # the same thing counted
            return float(m.group(1).replace(",", "")) < goal
    return False


def _reported_date(sentence: str, doc: dict) -> tuple[str | None, str | None]:
    """The ISO date the evidence reports and its words: a date its own words state, else its
    document's date (and no words). Only the evidence's own words count: the rest of a long
    sentence dates other things, and so does what it says is still to come."""
    for d in find_dates(_done_part(sentence), doc.get("published")):
        if d.iso and d.kind in ("date", "month", "year", "relative"):
            # "this January" says which January only with the document's date
            return d.iso, d.text if re.search(r"\b(?:19|20)\d\d\b|\b\d{1,2}[./]\d{1,2}[./]\d{2}", d.text) \
                else f"{d.text} ({d.iso})"
    return doc.get("published"), None


def _focus(u: _Unit) -> tuple[str, dict, Verdict]:
    """The sentence, action and status that decide: a list lead-in speaks through its items."""
    if u.items and _LEAD_IN.search(u.sentence.strip()):
        for item in u.items:
            if item["kind"] == "progress" and status_of(item["text"]) is Verdict.DELIVERED:
                return item["text"], item, Verdict.DELIVERED
    return u.sentence, u.action, status_of(u.sentence)


def target_value(t: dict) -> str | None:
    """A target's number as a reader reads it: `4 people`, `8-10 people per year`, `0.7 days per FTE`."""
    lo, hi = t.get("value_min"), t.get("value_max")
    if lo is None and hi is None:
        return None
    num = [_number(v) for v in (lo, hi) if v is not None]
    value = num[0] if len(set(num)) == 1 else "\u2013".join(num)
    return " ".join(filter(None, (value, t.get("unit"), t.get("period"))))


def _number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _clip(s: str, n: int = 200) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1].rstrip() + "\u2026"


# ---------------------------------------------------------------- driver

_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def check_as_of(value: str) -> str:
    """`value` if the audit can judge at it (`2023`, `2023-06` or `2023-06-30`); ValueError otherwise."""
    if _ISO_DATE.fullmatch(value):
        try:
            date.fromisoformat((value + "-01-01")[:10])  # a year or month is real if its first day is
            return value
        except ValueError:
            pass
    raise ValueError(f"'{value}' is not an ISO date: use YYYY, YYYY-MM or YYYY-MM-DD")


def check_council(db: Database, council: str) -> str:
    """`council` if the KB holds documents of it; ValueError naming the councils it has otherwise."""
    known = sorted(r["council"] for r in db.query("select distinct council from documents") if r["council"])
    if council not in known:
        raise ValueError(f"no council '{council}' in the knowledge base; it has: {', '.join(known) or 'none'}")
    return council


def _council_rows(db: Database, table: str, council: str | None) -> list[dict]:
    if not db[table].exists():
        return []
    if council is None:
        return list(db.query(f"select * from [{table}] where council is null"))
    return list(db.query(f"select * from [{table}] where council = ?", [council]))


def _audit_council(db: Database, council: str | None, as_of: str | None,
                   settings: AuditSettings) -> list[AuditFinding]:
    docs = {d["id"]: d for d in _council_rows(db, "documents", council)}
    dated = {i: date_bounds(d["published"]) for i, d in docs.items()}
    dated = {i: b for i, b in dated.items() if b}
    if not dated:
        return []
    as_of = as_of or max(docs[i]["published"] for i in dated)
    cutoff = date_bounds(as_of)[1]
    actions = _council_rows(db, "actions", council)
    by_doc: dict[str, list[dict]] = {}
    for a in actions:
        by_doc.setdefault(a["document_id"], []).append(a)
    weights = TermWeights([a["text"] for a in actions])
    units = {d: _units(by_doc.get(d, [])) for d in dated if dated[d][0] <= cutoff}
    targets = _council_rows(db, "targets", council)
    index = _rare_index(units, weights, settings)
    promises = _promises(actions, targets, by_doc)
    restated = _restated(promises, _superseders(db, council, units), weights)
    findings = []
    for p in promises:
        doc_id = p.row["document_id"]
        if doc_id not in units or p.id in restated:
            continue  # undated, published after the as-of date, or made again by a revised edition
        later = [d for d in units if dated[d][0] > dated[doc_id][1]]
        scored = ((_score(p, u, weights, settings), u) for u in _candidates(p, later, units, index))
        best = max(((sc, u) for sc, u in scored if sc[0] >= settings.match_threshold),
                   key=lambda x: x[0][1], default=None)
        best = (best[0][0], best[1]) if best else None
        judged = _judge(p, best, len(later), as_of, docs, settings)
        findings.append(_finding(p, council, judged, best[0] if best and judged.evidence else 0.0, as_of))
    return findings


def _finding(p: _Promise, council: str | None, j: _Judgement, score: float, as_of: str) -> AuditFinding:
    r, ev = p.row, j.evidence
    return AuditFinding(
        promise_id=p.id, promise_kind=p.kind, council=council, document_id=r["document_id"],
        priority_id=r.get("priority_id"), promise_text=p.text, promise_page=r.get("page"), due_text=p.due_text,
        due_date=p.due_date, verdict=j.verdict, score=score, explanation=j.why,
        evidence_id=ev["id"] if ev else None, evidence_quote=j.quote,
        evidence_document_id=ev["document_id"] if ev else None, evidence_page=ev["page"] if ev else None,
        as_of=as_of, action_id=r.get("action_id") if p.kind == "target" else None, late=j.late,
        reported_date=j.reported, reported_text=j.reported_text, target_id=p.target["id"] if p.target else None,
        target=target_value(p.target) if p.target else None)


def run_audit(db: Database, as_of: str | None = None, councils: Iterable[str] | None = None,
              settings: AuditSettings | dict | None = None, write: bool = True) -> AuditReport:
    """Audit every promise of the given councils (default: all) against their later documents.

    Args:
        db: the KB.
        as_of: ISO date (`2023`, `2023-06`, `2023-06-30`) to judge deadlines and evidence by;
            default, per council, the `published` date of its latest document. Documents after
            it are ignored. ValueError for anything else.
        councils: audit only these councils (e.g. the council of a newly ingested document).
        settings: `AuditSettings` or a dict of its fields.
        write: replace those councils' rows of the `audit` table with the findings.
    Returns:
        An `AuditReport` of frozen `AuditFinding`s.
    """
    settings = AuditSettings.resolve(settings)
    if as_of is not None:
        check_as_of(as_of)
    wanted = list(councils) if councils is not None else [
        r["council"] for r in db.query("select distinct council from documents")]
    report = AuditReport()
    for council in wanted:
        found = _audit_council(db, council, as_of, settings)
        report.findings.extend(found)
        if write:
            _write(db, council, found)
    return report


AUDIT_COLUMNS = {
    "promise_id": str, "promise_kind": str, "council": str, "document_id": str, "priority_id": str,
    "promise_text": str, "promise_page": int, "due_text": str, "due_date": str, "verdict": str, "score": float,
    "explanation": str, "evidence_id": str, "evidence_quote": str, "evidence_document_id": str,
    "evidence_page": int, "as_of": str, "action_id": str, "late": int, "reported_date": str, "reported_text": str,
    "target_id": str,
    "target": str,
}


def _write(db: Database, council: str | None, findings: list[AuditFinding]) -> None:
    with db.atomic():
        if not db["audit"].exists():
            db["audit"].create(AUDIT_COLUMNS, pk="promise_id")
            db["audit"].create_index(["council", "verdict"], if_not_exists=True)
        if council is None:
            db.execute("delete from audit where council is null")
        else:
            db.execute("delete from audit where council = ?", [council])
        rows = [f.row() for f in findings]
        if rows:
            db["audit"].insert_all(rows, pk="promise_id", alter=True, replace=True)


def refresh(db: Database, as_of: str | None = None, councils: Iterable[str] | None = None) -> AuditReport:
    """Series, audit, then commitment links (which take the audit's evidence as links), in that order."""
    from kb.dedup import link_commitments
    from kb.series import build_series

    councils = list(councils) if councils is not None else None
    build_series(db, councils=councils)
    report = run_audit(db, as_of=as_of, councils=councils)
    link_commitments(db, councils=councils)
    return report


@dataclass(frozen=True)
class PriorVerdict:
    """A promise's audit row as it stood: its verdict, and the words to recognise a restatement by."""

    verdict: str
    council: str | None
    kind: str
    text: str


def verdict_snapshot(db: Database) -> dict[str, PriorVerdict]:
    """promise_id -> its row as the `audit` table holds it now (empty before the first audit)."""
    if not db["audit"].exists():
        return {}
    rows = db.query("select promise_id, verdict, council, promise_kind, promise_text from audit")
    return {r["promise_id"]: PriorVerdict(r["verdict"], r["council"], r["promise_kind"], r["promise_text"])
            for r in rows}


def describe_changes(before: dict[str, PriorVerdict], report: AuditReport) -> list[str]:
    """One line per promise that is new or whose verdict changed since `before`.

    A revised edition's restatement replaces the earlier edition's row: it is the same
    promise, so it is compared with that row's verdict instead of being listed as new.
    """
    now = {f.promise_id for f in report.findings}
    replaced = [b for pid, b in before.items() if pid not in now]
    w = TermWeights([b.text for b in before.values()] + [f.promise_text for f in report.findings])
    lines = []
    for f in report.findings:
        prior = before.get(f.promise_id) or _replaced_row(f, replaced, w)
        old = prior.verdict if prior else None
        if old != f.verdict.value:
            change = f"{old} -> {f.verdict.value}" if old else f"new, {f.verdict.value}"
            # A target stated by no commitment is a promise of its own: say it is a target.
            what = " (target)" if f.promise_kind == "target" else ""
            lines.append(f"{f.council}: {change}{what}: {_clip(f.promise_text, 100)}")
    return lines


def _replaced_row(f: AuditFinding, replaced: list[PriorVerdict], w: TermWeights) -> PriorVerdict | None:
    """The earlier row `f` restates, taken off `replaced` so no two findings claim it."""
    for i, b in enumerate(replaced):
        if (b.council, b.kind) == (f.council, f.promise_kind) and _same_commitment(b.text, f.promise_text, w):
            return replaced.pop(i)
    return None


# ---------------------------------------------------------------- presentation

# The verdicts as a reader reads them, and what each means in one sentence: the briefing, the
# CLI and the site all say these words.
LABELS = {Verdict.DELIVERED: "Delivered", Verdict.IN_PROGRESS: "In progress", Verdict.NO_UPDATE: "No update",
          Verdict.AWAITING_REPORT: "Awaiting a report", Verdict.NOT_YET_DUE: "Not yet due"}
LATE_LABELS = {Verdict.DELIVERED: "Delivered late", Verdict.IN_PROGRESS: "In progress, past due"}
MEANINGS = {
    Verdict.DELIVERED: "A later document of the council reports it done.",
    Verdict.IN_PROGRESS: "A later document reports work on it but not the promised result.",
    Verdict.NO_UPDATE: "Later documents of the council have been read and none of them mentions it.",
    Verdict.AWAITING_REPORT: "No later document of the council has been ingested yet, so nothing could report on it.",
    Verdict.NOT_YET_DUE: "Its deadline had not passed on the date the audit judges at.",
}
LATE_MEANINGS = {
    Verdict.DELIVERED: "A later document reports it done, dated after the last day its deadline allowed.",
    Verdict.IN_PROGRESS: "A later document, dated after its deadline, reports work on it but not the promised "
                         "result.",
}


def verdict_label(verdict: Verdict | str | None, late: bool = False) -> str:
    """"No update", "Delivered late"; a value that is not a verdict is shown by its name."""
    try:
        v = Verdict(verdict)
    except ValueError:
        return (verdict or "not audited").replace("_", " ").capitalize()
    return LATE_LABELS[v] if late and v in LATE_LABELS else LABELS[v]


def verdict_meaning(verdict: Verdict | str | None, late: bool = False) -> str:
    """What a verdict means, in one sentence (empty for a value that is not a verdict)."""
    try:
        v = Verdict(verdict)
    except ValueError:
        return ""
    return LATE_MEANINGS[v] if late and v in LATE_MEANINGS else MEANINGS[v]


def verdict_legend() -> str:
    """What each verdict means, in one line per verdict."""
    return "\n".join(f"{label}: {meaning}" for label, meaning in _legend())


def _legend() -> list[tuple[str, str]]:
    """Every label a finding can carry, with its meaning, in verdict order."""
    out = []
    for v in Verdict:
        out.append((LABELS[v], MEANINGS[v]))
        if v in LATE_LABELS:
            out.append((LATE_LABELS[v], LATE_MEANINGS[v]))
    return out


def report_rows(db: Database, report: AuditReport) -> list[dict]:
    """Flat rows for printing: each finding with its priority and both citations."""
    docs = {d["id"]: d for d in db.query("select id, title, published from documents")}
    prios = {p["id"]: p for p in db.query("select id, document_id, council, number, title from priorities")} \
        if db["priorities"].exists() else {}
    titled = _latest_titles(db, [prios[f.priority_id] for f in report.findings if f.priority_id in prios])
    changes = _changes_by_record(db)
    rows = []
    for f in report.findings:
        p = prios.get(f.priority_id or "")
        p = titled.get(_priority_key(p), p)
        moved = changes.get(f.promise_id, []) + changes.get(f.target_id or "", [])
        rows.append({
            "council": f.council, "priority": _priority_name(p), "priority_number": p["number"] if p else None,
            "verdict": f.verdict.value, "label": f.label, "late": f.late, "promise": f.promise_text,
            "deadline": f.due_text or f.due_date, "target": f.target,
            "changes": [f"{c['field'].replace('_', ' ')} {c['before']} \u2192 {c['after']}" for c in moved],
            "promised_in": _cite(docs.get(f.document_id), f.promise_page),
            "evidence": f.evidence_quote, "evidence_in": _cite(docs.get(f.evidence_document_id or ""), f.evidence_page)
            if f.evidence_id else None,
            "score": f.score, "explanation": f.explanation, "promise_id": f.promise_id, "evidence_id": f.evidence_id,
        })
    rows.sort(key=lambda r: (r["council"] or "", r["priority_number"] is None, r["priority_number"] or 0,
                             r["priority"], r["verdict"]))
    return rows


def _changes_by_record(db: Database) -> dict[str, list[dict]]:
    """`commitment_changes` rows by the earlier record they change (the promise as first made)."""
    if not db["commitment_changes"].exists():
        return {}
    out: dict[str, list[dict]] = {}
    for c in db.query("select * from commitment_changes order by earlier_id, field, later_id"):
        out.setdefault(c["earlier_id"], []).append(c)
    return out


def _priority_key(p: dict | None) -> tuple | None:
    """Editions number a priority the same but may word it differently: the number names it."""
    return (p["council"], p["number"]) if p and p["number"] is not None else None


def _latest_titles(db: Database, prios: list[dict]) -> dict[tuple, dict]:
    """Per council and priority number: the priority as the latest document among `prios` words it."""
    order = document_order(db)
    out: dict[tuple, dict] = {}
    for p in sorted(prios, key=lambda p: order.get(p["document_id"], (True, "", ""))):
        key = _priority_key(p)
        if key:
            out[key] = p
    return out


def _priority_name(p: dict | None) -> str:
    if not p:
        return "Not under a priority"
    return f"Priority {p['number']}: {p['title']}" if p["number"] is not None else p["title"]


def _cite(doc: dict | None, page: int | None) -> str:
    if not doc:
        return ""
    return f"{doc['title'] or 'Untitled'}, {doc['published'] or 'undated'}, page {page or '?'}"


def format_report(db: Database, report: AuditReport, fmt: str = "table") -> str:
    """The audit grouped by council and priority, as `table`, `markdown`, `csv` or `json`."""
    rows = report_rows(db, report)
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["council"])
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    if fmt == "markdown":
        return _markdown(rows, report)
    if fmt == "table":
        return _table(rows) + ("\n\n" + verdict_legend() if rows else "")
    raise ValueError(f"Unknown audit format '{fmt}': use table, markdown, csv or json")


def _groups(rows: list[dict]) -> dict[str, dict[str, list[dict]]]:
    out: dict[str, dict[str, list[dict]]] = {}
    for r in rows:
        out.setdefault(r["council"] or "Unknown council", {}).setdefault(r["priority"], []).append(r)
    return out


def _table(rows: list[dict]) -> str:
    lines = []
    for council, prios in _groups(rows).items():
        lines.append(council)
        for prio, items in prios.items():
            lines.append(f"  {prio}")
            for r in items:
                lines.append(f"    [{r['label']}] {_clip(r['promise'], 110)}  ({r['promised_in']})")
                lines += [f"        {c}" for c in r["changes"]]
                if r["evidence"]:
                    lines.append(f"        -> {_clip(r['evidence'], 110)}  ({r['evidence_in']})")
    return "\n".join(lines)


# Markup in CommonMark, GFM or the HTML they pass through; a backslash makes each print as itself.
_MARKUP = re.compile(r"([\\`*_\[\]<>#])")


def _md(text: str) -> str:
    """Document text as literal markdown: one line (a line break could open a block), markup escaped."""
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))


def _markdown(rows: list[dict], report: AuditReport) -> str:
    as_of = sorted({f.as_of for f in report.findings if f.as_of})
    out = ["# What was promised and what was reported", ""]
    if as_of:
        counts = Counter(r["label"] for r in rows)
        out += [f"Judged as of {_md(', '.join(as_of))}: {len(rows)} promises. " + "; ".join(
            f"{label.lower()}: {n}" for label, n in sorted(counts.items(), key=lambda x: _label_order(x[0]))) + ".",
            ""]
        out += [f"- *{label}*: {meaning}" for label, meaning in _legend()] + [""]
    for council, prios in _groups(rows).items():
        out += [f"## {_md(council)}", ""]
        for prio, items in prios.items():
            out += [f"### {_md(prio)}", ""]
            for r in items:
                deadline = f"; deadline {_md(r['deadline'])}" if r["deadline"] else ""
                target = f"; target {_md(r['target'])}" if r["target"] else ""
                out.append(f"- **{r['label']}.** \u201c{_md(_clip(r['promise'], 300))}\u201d "
                           f"({_md(r['promised_in'])}{deadline}{target}).  ")
                out += [f"  Changed later: {_md(c)}.  " for c in r["changes"]]
                out.append(f"  {_md(r['explanation'])}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _label_order(label: str) -> tuple[int, str]:
    order = [name for name, _ in _legend()]
    return (order.index(label) if label in order else len(order)), label
