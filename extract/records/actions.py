"""Actions: one per bullet, table row or paragraph of a progress or next-steps section.

The section decides the kind (achievements / progress made: `progress`; next steps /
work planned / what more do we need to do: `commitment`); where no section says,
tense and modality do. A progress item that also makes an explicit promise gives a
second, `commitment` row for the promising sentence: the row the audit checks.
"""
from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from importlib import resources

from extract.records.genres import Genre, find_genre
from extract.ids import stable_id
from extract.records.leads import abbreviations_in, lead_of
from extract.language.nlp import build_nlp
from extract.language.numbers import may_hold
from extract.records.priorities import priority_number
from extract.language.resolutions import is_procedural_resolution, is_resolution, resolution_items, resolution_label
from extract.language.statements import Statement, classify_statement, on_workforce, promise_spans, sentence_spans
from extract.layout.trackers import ITEM_LABEL, column_role, plan_field
from schemas import Action, ActionKind, Block, BlockKind, Priority

__all__ = ["find_actions", "section_kind", "promise_sentences", "sentence_spans", "SectionState"]

_PROMISE = re.compile(
    r"\b(will|shall|is expected|are expected|intends? to|plans? to|with a view to|(are|is) committed to)\b",
    re.IGNORECASE)
# "which will enable", "This will help": what a thing is for, not a promise to do it.
_NOT_PROMISE = re.compile(
    r"\b(which|that|this|it|these|they)\s+will\b(?!\s+be\s+(launched|delivered|rolled out|introduced|implemented))"
    r"|\bwill,|\bwill\s+(qualify|graduate|be beginning|need to|enable|help|allow|mean|provide us)\b|\bto be registered\b"
    r"|\b(that|which|than)\s+(is|are)\s+expected\b"  # "the level of support that is expected"
    r"|\b(how|where|what|why)\s+we\s+will\b"  # "This strategy sets out how we will ...": what it is about
    r"|\byou\s+will\b|\bwill\s+benefit\b",  # an offer: what the reader or the staff receive
    re.IGNORECASE)
_COHORT_LAUNCH = re.compile(r"\b(cohort\s+\d+|\w+\s+cohort)\b[^.]*\b(bid|launch|successful|will start|to start)\b",
                            re.IGNORECASE)
# "We will ...", "The Leadership team will ...": a promise with the council or one of its bodies as subject.
_FIRST_PERSON_PROMISE = re.compile(
    r"(\b[Ww]e|^(The|Our) ([A-Z]?[\w-]+ ){0,3}(team|board|group|service|council|managers?|leaders?|partnership)s?)"
    r"\s+(will|shall|intend|plan|are committed)\b")
_FUTURE = re.compile(r"\b(will|shall|to be|going to|(?:plan|planning|plans|intend|intends|aim|aims) to)\b",
                     re.IGNORECASE)
# Past tense: an auxiliary anywhere, or an -ed verb before the future marker ("We recruited
# ... and will ..."). After it, -ed words are participles ("will be launched") or
# adjectives ("will recruit newly qualified social workers").
_PAST_AUXILIARY = re.compile(r"\b(has|have|had|was|were|did)\b", re.IGNORECASE)
_ED_WORD = re.compile(r"\b\w+ed\b", re.IGNORECASE)
# Feedback ("Our staff tell us ...") is evidence about the service, not work done or promised.
_FEEDBACK = re.compile(r"\b(tells?|told) us\b", re.IGNORECASE)
# "Our vision remains ...", "Our ambition is ...": ends, not means (ANNOTATION §3.4).
# A vision or an end state wished for ("We want Anytown to be the place ..."): no step to take.
_VISION = re.compile(r"^(?:(?:our|the|this)\s+(?:vision|ambition|aspiration|mission)\b|"
                     r"we\s+(?:want|would like)\s+(?:[\w’'-]+\s+){0,6}?to\s+be\b)", re.IGNORECASE)
_LABEL = re.compile(r"^(NOTE|N\.B\.?|Update|Progress)\s*:\s*", re.IGNORECASE)
_SECTION_LEAD = re.compile(
    r"\b(?:sits with|is led by|are led by|led by|overseen by|the responsibility of)\s+(?:the\s+)?"
    r"([A-Z][\w’'&-]*(?:\s+(?:[A-Z][\w’'&-]*|of|and|for))*)")
_SECTION_LEAD_WORDS = ("sits with", "led by", "overseen by", "responsibility of")  # one of which it holds
# "Action: Head of Service/Team Manager" after resolutions names who carries them out.
# An item that opens with a verb's base form ("Introduce a market supplement ..."): a step to take.
_IMPERATIVE = re.compile(r"(?:introduce|launch|develop|"
                         r"create|establish|recruit|review|convert|deliver|implement|reduce|increase|improve|provide|"
                         r"offer|expand|embed|ensure|build|strengthen|promote|extend|hold|run|train|roll out|set up|"
                         r"complete|publish|undertake|explore|grow|attract|retain|invest in|refresh|design|consult|"
                         r"commission|appoint|pilot|monitor|evaluate|produce|procure|identify|agree|redesign|"
                         r"restructure|support|continue)\b", re.IGNORECASE)
# So does the "Lead officer:" or "Lead director:" field of a decision or forward-plan entry (its "Lead
# member:" is the cabinet member who takes or answers for the decision).
_OWNER_LINE = re.compile(r"^(?:(?P<action>actions?(?:\s+by)?)|lead\s+(?:officer|director))\s*[:\-–—]\s*"
                         r"(?P<owner>[A-Z][^.]{2,150})$", re.IGNORECASE)
# "Recommended - That ...", "Reasons for the decision: ...": a block opened by its section's label.
_OWN_LABEL = re.compile(r"^(?P<label>[A-Z][\w’' ]{2,40}?)\s*(?::|\s[-–—])\s")


@lru_cache(maxsize=1)
def _cues() -> dict[str, re.Pattern]:
    """Each kind's cues as one alternation: a heading is tested once per kind, not once per cue.
    `others` is every commitment and progress cue but the bare "we will"."""
    # The cues are written in lower case and read lower-cased text: IGNORECASE costs twice the time.
    return {k: re.compile("|".join(f"(?:{p})" for p in v)) for k, v in _cue_lists().items()}


@lru_cache(maxsize=1)
def _cue_lists() -> dict[str, list[str]]:
    data = json.loads(resources.files("extract").joinpath("patterns/sections.json").read_text("utf-8"))
    kinds = {k: v for k, v in data.items() if not k.startswith("_")}
    kinds["others"] = [p for kind in ("commitment", "progress") for p in kinds[kind] if p != r"\bwe will\b"]
    return kinds


@lru_cache(maxsize=1)
def _cue_literals() -> dict[str, tuple[str, ...] | None]:
    """Per kind, a piece of text each of its cues needs (None where a cue has none): a heading
    without any of them is passed over without running the kind's alternation."""
    literals = {kind: tuple(map(required_literal, cues)) for kind, cues in _cue_lists().items()}
    return {kind: found if all(found) else None for kind, found in literals.items()}


def required_literal(pattern: str) -> str:
    """The longest run of plain characters that every match of `pattern` holds as written ("" if
    none is certain): outside groups, classes and escapes, and not the character a quantifier
    makes optional. `r"^recommendations?\b"` -> "recommendation"; `"a|b"` -> ""."""
    runs, run, depth, i = [], "", 0, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            runs.append(run)
            run, i = "", i + 2
        elif depth:
            depth += (char == "(") - (char == ")")
            i += 1
        elif char == "|":
            return ""  # a top-level alternative: nothing is certain
        elif char in "?*+{":
            runs.append(run if char == "+" else run[:-1])  # "+" keeps its character once
            run = ""
            i = pattern.index("}", i) + 1 if char == "{" else i + 1
        elif char == "(":
            runs.append(run)
            run, depth, i = "", 1, i + 1
        elif char == "[":
            runs.append(run)
            run, i = "", pattern.index("]", i + 2) + 1
        elif char in ".^$":
            runs.append(run)
            run, i = "", i + 1
        else:
            run, i = run + char, i + 1
    runs.append(run)
    return max(runs, key=len)


@lru_cache(maxsize=4096)  # headings and lead-ins are asked about again for each block under them
def section_kind(heading: str) -> str | None:
    """'exclude', 'context', 'commitment', 'progress', 'words' or None for a heading or lead-in with no cue."""
    cues, literals = _cues(), _cue_literals()
    text = heading.strip().lower()
    for kind in ("exclude", "context", "commitment", "progress", "words"):
        needed = literals[kind]
        if (needed is None or any(literal in text for literal in needed)) and cues[kind].search(text):
            return kind
    return None


def _bare_we_will(heading: str) -> bool:
    """The heading's only section cue is a bare "we will"."""
    return bool(re.search(r"\bwe will\b", heading, re.IGNORECASE)) and not _cues()["others"].search(heading.lower())


def promise_sentences(text: str, *, first_person_only: bool = False) -> list[tuple[int, int]]:
    """Spans of the sentences (or the clause, in a one-sentence item) that make a promise."""
    spans = sentence_spans(text)
    found = []
    for start, end in spans:
        sentence = text[start:end]
        marker = _promise_marker(sentence, _FIRST_PERSON_PROMISE if first_person_only else _PROMISE)
        if marker is not None:
            if len(spans) == 1:
                start += _clause_start(sentence, marker)
            found.append((start, end))
        elif not first_person_only and may_hold(sentence, ("cohort",)) and _COHORT_LAUNCH.search(sentence) and \
                not _past_cohort(sentence):
            found.append((start, end))
    return found


# What every marker of `_PROMISE` and `_FIRST_PERSON_PROMISE` holds.
_MARKER_WORDS = ("will", "shall", "expected", "intend", "plan", "view to", "committed")


def _promise_marker(sentence: str, pattern: re.Pattern) -> int | None:
    """Where the first real promise marker is; markers of purpose ("which will enable") do not count."""
    if not may_hold(sentence, _MARKER_WORDS):
        return None
    for m in pattern.finditer(sentence):
        window = sentence[max(0, m.start() - 12):m.end() + 30]
        if not _NOT_PROMISE.search(window):
            return m.start()
    return None


def _past_cohort(sentence: str) -> bool:
    return bool(re.search(r"\b(completed|qualified|were successful|have begun|has begun)\b", sentence, re.IGNORECASE))


def _clause_start(sentence: str, marker: int) -> int:
    """Where the promising clause starts when it shares a sentence with a progress clause."""
    head = sentence[:marker]
    cut = max(head.rfind(", and "), head.rfind("; "))
    if cut > 0:
        return cut + (6 if head[cut:cut + 6] == ", and " else 2)
    return 0


@dataclass
class SectionState:
    """What the headings and lead-ins above a block say about it."""

    kind: str | None = None  # 'exclude', 'commitment', 'progress', 'auto' or None
    priority: int | str | None = None  # its number, or the short title of a priority listed unnumbered
    lead: str | None = None
    heading: str | None = None  # the heading or lead-in the state comes from, if it can hold a horizon
    published: str | None = None
    parent: SectionState | None = None

    @cached_property
    def horizon(self) -> str | None:
        """A section-level due text ("over the next 12 months"): the last date the heading
        names, else its parent's. Read only for a commitment that gives no date of its own."""
        own = _horizon(self.heading, self.published) if self.heading else None
        return own or (self.parent.horizon if self.parent else None)


def find_actions(blocks: list[Block], priorities: list[Priority], *, document_id: str, council: str | None,
                 published: str | None = None) -> list[Action]:
    """Every action of the document, in reading order, embedded commitments after their item."""
    by_number: dict[int | str, str] = {p.number: p.id for p in priorities if p.number is not None}
    by_title = {p.title: p.id for p in priorities}
    # "Retain" heading the section of a priority listed as "Retain – keeping the staff we have"
    by_number.update({_short_title(p.title): p.id for p in priorities if p.number is None})
    aliases = abbreviations_in(" ".join(b.text for b in blocks))  # "the WSCP introduced ..." names a lead
    genre = find_genre("\n".join(b.text for b in blocks))
    # Where the document's sections say which passages report or promise work, unsectioned prose
    # is background; where none does (minutes, decisions, a page of prose), its words decide.
    leadins = {id(block): _is_leadin(block) for block in blocks}  # (asked of each block up to three times)
    walked = list(_walk(blocks, published, heading_cues=not genre.reported_speech, leadins=leadins,
                        titled={k for k in by_number if isinstance(k, str)}))
    read_words = genre.reported_speech or not any(state.kind in ("progress", "commitment", "auto")
                                                  for _, state in walked)
    # A page whose masthead names a workforce item ("Social Work Capacity") decides on it: its
    # resolutions need not repeat the topic's words ("To approve an additional £1.2m investment").
    masthead = " ".join(b.text for b in itertools.takewhile(lambda b: b.kind == BlockKind.HEADING, blocks))
    workforce_item = on_workforce(masthead)
    actions: list[Action] = []
    resolved: list[Action] = []  # resolutions since the last owner line, which an "Action:" line leads
    # A committee's web page prints an item's decision above its minutes and again after their
    # "Resolved –": one decision, one record.
    decided: set[str] = set()
    noted_by: str | None = None  # the marker of a noting whose own list follows it: that list is what it noted
    parent_lead: str | None = None
    top_marker: str | None = None
    run_together: SectionState | None = None  # inside an action table whose columns the text lost
    for block, state in walked:
        if block.kind != BlockKind.TABLE and _is_table_header(block.text):
            run_together = state
            continue
        if run_together and block.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH) and not _ends_table(block):
            actions.extend(_run_together_rows(block, run_together, by_number, document_id, council, published))
            continue
        run_together = None
        owner = _OWNER_LINE.match(block.text) if block.kind != BlockKind.TABLE else None
        if owner and (resolved or owner.group("action")):  # a "Lead officer:" under a plan's action is its field
            for action in resolved:
                action.lead = action.lead or owner.group("owner").strip()
            resolved = []
            continue
        field = plan_field(block.text) if block.kind == BlockKind.PARAGRAPH else None
        if field and actions:
            _fill_field(actions[-1], field, published)
            continue
        if block.kind == BlockKind.HEADING:
            top_marker = None
            continue
        if block.kind != BlockKind.TABLE and _opens_with_excluded_label(block.text):
            continue
        if noted_by is not None and (block.kind != BlockKind.LIST_ITEM or _marker_style(block.marker) ==
                                     _marker_style(noted_by)):
            noted_by = None
        if noted_by is not None:
            continue
        if state.kind == "resolution" or (state.kind in (None, "words", "words_done") and (resolution_label(block.text) or
                                                                    is_resolution(block.text))):
            if block.kind == BlockKind.LIST_ITEM and _introduces_list(block.text) and \
                    is_procedural_resolution(block.text):
                noted_by = block.marker or ""
                continue
            found = [a for a in _resolution_action(block, state, by_number, document_id, council, published, aliases,
                                                   on_topic=workforce_item)
                     if _squashed(a.text) not in decided]
            decided.update(_squashed(a.text) for a in found)
            actions.extend(found)
            resolved.extend(found)
            continue
        if leadins[id(block)]:
            top_marker = None
            if not _has_own_content(block, state) and not _may_state_work(block, state):
                continue
        if block.kind == BlockKind.TABLE:
            actions.extend(_table_actions(block, state, by_number, document_id, council, published, by_title))
            continue
        kind = _block_kind(block, state)
        if kind is None:
            if (state.kind is None and read_words) or state.kind in ("words", "words_done"):
                actions.extend(_stated_actions(block, state, genre, by_number, document_id, council, published,
                                               aliases))
            elif state.kind in (None, "context"):
                actions.extend(_loose_promises(block, state, by_number, document_id, council, published, aliases))
            continue
        if block.kind == BlockKind.LIST_ITEM and top_marker is None:
            top_marker = block.marker
        is_sub_item = block.kind == BlockKind.LIST_ITEM and block.marker != top_marker
        lead = _lead_of(block.text, council, aliases) or (parent_lead if is_sub_item else None) or state.lead
        if not is_sub_item:
            parent_lead = lead
        action = _action(block, block.text, kind, lead, state, by_number, document_id, council, published)
        actions.append(action)
        if kind == ActionKind.PROGRESS.value:
            actions.extend(_embedded(block, action, state, by_number, document_id, council, published))
    return actions


def _marker_style(marker: str | None) -> str:
    """A list marker's kind, so that "(3)" and "(4)" stand level and a "·" under "(3)" does not."""
    return re.sub(r"[ivxlc]+|[a-z]", "a", re.sub(r"\d+", "1", (marker or "").lower()))


def _introduces_list(text: str) -> bool:
    """An item ending as a lead-in does ("... by the following measures -", "... as follows:")."""
    return re.search(r"(?::|\s[-–—])\s*$", text) is not None


def _opening_only(text: str) -> bool:
    """What is left of "RESOLVED – That" or "That;" once its label is read: nothing of its own."""
    return text.strip(" :;,.\u2013\u2014-").lower() in ("", "that", "to")


def _squashed(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(" .;")


def _fill_field(action: Action, field: tuple[str, str], published: str | None) -> None:
    """An action's lead or due date from the field line printed under it, where it states none."""
    role, value = field[0], field[1].rstrip(".")
    if role == "lead":
        action.lead = action.lead or value
    elif action.kind == ActionKind.COMMITMENT.value and not action.due_date:
        action.due_text, action.due_date = value, _due_of(value, published)[1]


def _opens_with_excluded_label(text: str) -> bool:
    head = text[:46]
    if ":" not in head and " -" not in head and "–" not in head and "—" not in head:
        return False
    label = _OWN_LABEL.match(text)
    return bool(label) and _cues()["exclude"].search(label.group("label").lower()) is not None


def _may_state_work(block: Block, state: SectionState) -> bool:
    """A paragraph that ends by introducing a list ("... Key priorities are:") but, where no
    section classifies it, may itself report work."""
    return state.kind is None and block.kind == BlockKind.PARAGRAPH and len(block.text) > 100


def _resolution_action(block: Block, state: SectionState, by_number: dict, document_id: str,
                       council: str | None, published: str | None, aliases: dict[str, str],
                       on_topic: bool = False) -> list[Action]:
    """Each substantive resolution is a commitment; a procedural one (noting, thanks) is none.

    A resolution ending as a lead-in ("... namely:") is its list's, unless a sentence of its own
    decides something first ("Cabinet endorsed an investment of £0.5m ... . It will be made up
    as follows:"): that sentence is the resolution."""
    text = block.text
    if text.rstrip().endswith(":"):
        spans = sentence_spans(text)
        own = text[:spans[-2][1]] if len(spans) > 1 else ""
        if not own or re.search(r"\bthe following\b", own, re.IGNORECASE):
            return []
        block = replace(block, text=own)
    label = resolution_label(block.text)
    start = label.end() if label else 0
    actions = []
    for s, e in resolution_items(block.text[start:]):
        body = block.text[start + s:start + e].strip()
        if _opening_only(body):
            continue  # "Resolved: That;" opens the list that follows
        if is_procedural_resolution(body) or not (on_topic or on_workforce(body)):
            continue
        lead = _lead_of(body, council, aliases) or state.lead
        actions.append(_action(block, body, ActionKind.COMMITMENT.value, lead, state, by_number, document_id,
                               council, published, offset=block.text.index(body, start + s)))
    return actions


def _stated_actions(block: Block, state: SectionState, genre: Genre, by_number: dict, document_id: str,
                    council: str | None, published: str | None, aliases: dict[str, str]) -> list[Action]:
    """A passage no section classifies is read by its own words (tense, modality, agent)."""
    if block.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
        return []
    statement = classify_statement(block.text, reported=genre.reported_speech, council=council)
    if statement.kind is None and state.kind == "words_done" and block.kind == BlockKind.LIST_ITEM \
            and on_workforce(block.text):
        # "A regional benchmarking exercise ...", listed under "the actions taken included:"
        statement = Statement(ActionKind.PROGRESS.value, 0, len(block.text))
    if statement.kind is None:
        return _loose_promises(block, state, by_number, document_id, council, published, aliases)
    text = block.text[statement.start:statement.end]
    if statement.kind == ActionKind.COMMITMENT.value:
        # Who leads a promise is named in the sentence that makes it, not in the context around it
        # ("... (led by X). Teaching will be delivered by Y").
        promised = [text[s:e] for s, e in promise_spans(text, reported=genre.reported_speech, council=council)]
        lead = next((found for found in (_lead_of(p, council, aliases) for p in promised) if found), None)
        return [_action(block, text, statement.kind, lead or _lead_of(text, council, aliases) or state.lead, state,
                        by_number, document_id, council, published, offset=statement.start)]
    promises = promise_spans(text, reported=genre.reported_speech, council=council)
    # Who did the work reported is named outside the promises; a promise names who will do it.
    reported_work = "".join(c if not any(s <= i < e for s, e in promises) else " " for i, c in enumerate(text))
    lead = _lead_of(reported_work, council, aliases) or state.lead
    action = _action(block, text, statement.kind, lead, state, by_number, document_id, council, published,
                     offset=statement.start)
    return [action] + [
        _action(block, text[s:e].strip(), ActionKind.COMMITMENT.value,
                _lead_of(text[s:e], council, aliases) or lead, state, by_number, document_id,
                council, published, offset=statement.start + s, embedded=True)
        for s, e in promises
    ]


def _short_title(title: str) -> str:
    """A priority's name without its gloss: "Retain – keeping the staff we have" is "retain"."""
    return re.split(r"\s+[–—-]\s+|:\s", title, maxsplit=1)[0].strip(" .").lower()


def _walk(blocks: list[Block], published: str | None, heading_cues: bool, leadins: dict[int, bool],
          titled: set[str] = frozenset()):
    """Yield (block, SectionState) pairs, tracking headings and lead-in paragraphs.

    A lead-in governs the blocks after it until the next heading, or until a block
    that stands level with it again: a numbered paragraph, or (PDF) one at its indent.
    Without `heading_cues` (minutes, decision records), a heading's or lead-in's progress or
    next-steps cue is the item's title or narration ("Social Work Academy Progress"), not the
    kind of what follows; what follows is read by its words. `leadins`: `_is_leadin` of each
    block, by id.
    """
    stack: list[tuple[int, SectionState, Block]] = []
    leadin: tuple[SectionState, Block] | None = None
    for block in blocks:
        if block.kind == BlockKind.HEADING:
            level = block.level or 3
            stack = [entry for entry in stack if entry[0] < level]
            parent = stack[-1][1] if stack else SectionState()
            state = _state_for(block.text, parent, published, heading_cues)
            if state.kind is None and _short_title(block.text) in titled:
                state = SectionState(kind="auto", priority=_short_title(block.text))  # a listed priority's section
            stack.append((level, state, block))
            leadin = None
            yield block, stack[-1][1]
            continue
        if stack and leadins[id(stack[-1][2])] and _level_with(block, stack[-1][2]):
            stack.pop()
        if leadin and _level_with(block, leadin[1]):
            leadin = None
        parent = leadin[0] if leadin else stack[-1][1] if stack else SectionState()
        if leadins[id(block)]:
            leadin = (_state_for(_cue_window(block.text), parent, published, heading_cues, block.text), block)
            if stack and leadin[0].lead != parent.lead and _WHOLE_PRIORITY.search(block.text):
                stack[-1][1].lead = leadin[0].lead  # "The work under this priority sits with ...": all of it
            yield block, leadin[0]
            continue
        yield block, leadin[0] if leadin else parent


_LISTS_WORK_DONE = re.compile(r"\b(?:actions?|steps|measures|initiatives|work)\s+(?:(?:that|which)\s+(?:had|have)\s+been\s+|"
                              r"already\s+)?(?:taken|undertaken|completed|implemented|delivered|put in place)\b"
                              r"[^:]{0,40}:\s*$|\bprogress\s+(?:made|achieved)\b[^:]{0,40}:\s*$", re.IGNORECASE)
_WHOLE_PRIORITY = re.compile(r"\b(?:this|the) (?:priority|theme|objective|workstream)\b", re.IGNORECASE)


def _level_with(block: Block, leadin: Block) -> bool:
    if block.kind == BlockKind.LIST_ITEM:
        return False
    if block.numbering and block.numbering[:1].isdigit() and leadin.numbering:
        return True
    return bool(block.bbox and leadin.bbox and block.indent <= leadin.indent + 2)


# "... will achieve this by pursuing the following activities:": a list of planned work in any paper.
_PLANNED_LIST = re.compile(r"\b(?:will|would|planned|proposed|anticipated)\b.{0,80}\bfollowing (?:activities|actions|"
                           r"steps|measures)\b", re.IGNORECASE)


def _lists_planned_work(text: str) -> bool:
    return "following" in text and _PLANNED_LIST.search(text) is not None


def _cue_window(text: str) -> str:
    """Where a lead-in says what its list holds: a long sentence names its section early
    ("Members asked questions on the following:"); a cue deep inside it is a passing mention."""
    return text if len(text) <= 100 else text[:60]


# A committee web page prints the item's decision, then its "Minutes:": what the minutes say is read
# by its own words, whatever section (a decision's resolutions) came before.
_MINUTES_PART = re.compile(r"^minutes\s*:?$", re.IGNORECASE)
# "In response, officers reported that:" after "Members asked questions about:": the officers'
# answers, which report the council's work, are read by their words, not excluded with the questions.
_ANSWERS = re.compile(r"^(?:in (?:response|reply|answer)\b[^:]{0,60}?,?\s*)?(?:the\s+)?(?:officers?|(?:[A-Z]?[\w-]+\s+){0,4}"
                      r"(?:director|manager|lead|head of service))\s+(?:reported|explained|advised|confirmed|"
                      r"responded|stated|said|informed members)\b[^:]{0,40}:$", re.IGNORECASE)


def _state_for(text: str, parent: SectionState, published: str | None, cues: bool = True,
               full_text: str | None = None) -> SectionState:
    if _MINUTES_PART.match(text.strip()):
        return SectionState(published=published)
    if _ANSWERS.match(text.strip()):
        return SectionState(kind="words", priority=parent.priority, lead=parent.lead, parent=parent)
    if resolution_label(text):
        return SectionState(kind="resolution", priority=parent.priority, lead=parent.lead, parent=parent)
    numbered = priority_number(text)
    cue = section_kind(text)
    if not cues and cue != "exclude" and _LISTS_WORK_DONE.search(full_text or text):
        # A minute's "Members were informed that the actions taken included:": its items are read
        # by their words, and those with none to read ("A regional benchmarking exercise") are work done.
        return SectionState(kind="words_done", priority=parent.priority, lead=parent.lead, parent=parent)
    if not cues and cue in ("progress", "commitment"):
        cue = None
    if cue in (None, "context") and _lists_planned_work(full_text or text):
        cue = "commitment"
    if numbered:
        return SectionState(kind=cue if cue and cue != "progress" else "auto", priority=numbered[0])
    if cue is None and _looks_like_top_section(text):
        return SectionState()
    kind = cue or parent.kind
    if parent.kind == "exclude" and cue in ("progress", "commitment") and parent.priority is None:
        # "As a local authority we will:" inside a vision is more vision; "we will ensure that:"
        # or "next steps" there is a list of means.
        kind = "exclude" if _looks_like_top_section(text) or _bare_we_will(text) else cue
    text = full_text or text
    lead_match = _SECTION_LEAD.search(text) if any(cue in text for cue in _SECTION_LEAD_WORDS) else None
    return SectionState(kind=kind, priority=parent.priority,
                        lead=lead_match.group(1).strip() if lead_match else parent.lead,
                        heading=text, published=published, parent=parent)


def _looks_like_top_section(text: str) -> bool:
    return text.isupper() and len(text) > 3


def _horizon(text: str, published: str | None) -> str | None:
    from extract.language.dates import find_dates

    mentions = find_dates(text, published)
    return mentions[-1].text if mentions else None


def _is_leadin(block: Block) -> bool:
    """A sentence that introduces a list ("Progress made so far includes:")."""
    text = block.text.rstrip()
    if block.kind == BlockKind.HEADING:
        return text.endswith(":") and (block.level or 0) >= 4
    if block.kind == BlockKind.TABLE or (block.kind == BlockKind.LIST_ITEM and block.marker):
        return False
    label = resolution_label(text)
    if label and _opening_only(text[label.end():]):
        return True  # "RESOLVED – That", the resolutions following as a list
    return text.endswith(":") or (text.endswith(";") and len(text) < 80 and block.kind == BlockKind.PARAGRAPH)


def _has_own_content(block: Block, state: SectionState) -> bool:
    """A lead-in that reports work itself ("A new approach has been designed ... which has included:")."""
    return block.kind != BlockKind.HEADING and section_kind(block.text) is None and len(block.text) > 100 \
        and state.kind in ("progress", "commitment", "auto") and not _lists_planned_work(block.text)


def _block_kind(block: Block, state: SectionState) -> str | None:
    if (may_hold(block.text, ("tell", "told")) and _FEEDBACK.search(block.text)) or _VISION.match(block.text):
        return None
    if state.kind == "progress" and block.kind == BlockKind.PARAGRAPH and _is_future(block.text):
        return ActionKind.COMMITMENT.value  # a "will" paragraph among reported progress
    if state.kind in ("progress", "commitment", "auto") and _LABEL.match(block.text) \
            and not _FUTURE.search(block.text):
        return ActionKind.PROGRESS.value  # "NOTE: ... has been completed": a status note in any section
    if state.kind in ("progress", "commitment"):
        return state.kind
    if state.kind == "auto":
        item = ITEM_LABEL.match(block.text)
        return ActionKind.COMMITMENT.value if _is_future(block.text) or \
            _IMPERATIVE.match(block.text, item.end() if item else 0) \
            else ActionKind.PROGRESS.value
    return None


def _is_future(text: str) -> bool:
    marker = _FUTURE.search(text)
    return bool(marker) and not _PAST_AUXILIARY.search(text) and not _ED_WORD.search(text[:marker.start()])


def _lead_of(text: str, council: str | None, aliases: dict[str, str]) -> str | None:
    return lead_of(text, build_nlp(), council=council, aliases=aliases)


def _as_at(text: str) -> str | None:
    """The date a passage speaks from ("as at the end of December 2018"): its relative deadlines
    ("by the end of this financial year") are read against it."""
    from extract.language.dates import as_at_date

    return as_at_date(text) if " as " in text else None


def _due_of(text: str, published: str | None) -> tuple[str | None, str | None]:
    from extract.language.dates import due_of

    return due_of(text, published)


def _action(block: Block, text: str, kind: str, lead: str | None, state: SectionState, by_number: dict,
            document_id: str, council: str | None, published: str | None, offset: int = 0,
            embedded: bool = False) -> Action:
    label = (_LABEL.match(text) or ITEM_LABEL.match(text)) if not embedded else None
    if label:
        text, offset = text[label.end():], offset + label.end()
    due_text = due_date = None
    if kind == ActionKind.COMMITMENT.value:
        due_text, due_date = _due_of(text, _as_at(block.text) or published)
        if due_text is None and not embedded:
            due_text = state.horizon
    start = block.char_start + offset
    return Action(
        id=stable_id(document_id, "action", start, start + len(text), kind), document_id=document_id,
        council=council, priority_id=by_number.get(state.priority), text=text, kind=kind, lead=lead,
        due_text=due_text, due_date=due_date, page=block.page, char_start=start, char_end=start + len(text),
        embedded=embedded)


def _embedded(block: Block, action: Action, state: SectionState, by_number: dict, document_id: str,
              council: str | None, published: str | None) -> list[Action]:
    offset = action.char_start - block.char_start
    return [
        _action(block, action.text[s:e].strip(), ActionKind.COMMITMENT.value, action.lead, state, by_number,
                document_id, council, published, offset=offset + s, embedded=True)
        for s, e in promise_sentences(action.text)
    ]


def _loose_promises(block: Block, state: SectionState, by_number: dict, document_id: str,
                    council: str | None, published: str | None, aliases: dict[str, str]) -> list[Action]:
    """First-person promises ("We will ...", "The Leadership team will ...") in text outside any action section."""
    if block.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
        return []
    return [
        _action(block, block.text[s:e].strip(), ActionKind.COMMITMENT.value,
                _lead_of(block.text[s:e], council, aliases), state, by_number, document_id, council, published,
                offset=s, embedded=True)
        for s, e in promise_sentences(block.text, first_person_only=True)
    ]


_ACTION_COLUMN = re.compile(r"\b(action|activity|task|what|deliverable)s?\b", re.IGNORECASE)
_LEAD_COLUMN = re.compile(r"\b(lead|responsib\w*|owner|officer|who)\b", re.IGNORECASE)
_DUE_COLUMN = re.compile(r"\b(by when|when|timescales?|deadline|due|target date|date)\b", re.IGNORECASE)


def _table_actions(block: Block, state: SectionState, by_number: dict, document_id: str,
                   council: str | None, published: str | None, by_title: dict | None = None) -> list[Action]:
    """Rows of an action-plan table or tracker (Action | Lead | By when | Progress, or the like):
    the action cell a commitment, the progress cell progress, both led by the row's lead, under
    the row's recommendation when it is a priority."""
    rows = block.cells or []
    if len(rows) < 2 or state.kind == "exclude":
        return []
    header = [c or "" for c in rows[0]]
    kinds = [section_kind(h) if h else None for h in header]
    if sum(k in ("progress", "commitment") for k in kinds) >= 2:
        return _section_columns(block, kinds, state, by_number, document_id, council, published)
    roles = [column_role(h) for h in header]
    action_col = next((i for i, h in enumerate(header) if _ACTION_COLUMN.search(h) and roles[i] != "progress"), None)
    progress_col = roles.index("progress") if "progress" in roles and action_col is not None or \
        "recommendation" in roles and "progress" in roles else None
    if action_col is None and progress_col is None:
        return []
    taken = (action_col, progress_col)
    lead_col = next((i for i, h in enumerate(header)
                     if i not in taken and (roles[i] == "lead" or _LEAD_COLUMN.search(h))), None)
    due_col = next((i for i, h in enumerate(header) if i not in taken + (lead_col,) and _DUE_COLUMN.search(h)),
                   None)
    rec_col = roles.index("recommendation") if "recommendation" in roles else None
    kind = state.kind if state.kind in ("progress", "commitment") else ActionKind.COMMITMENT.value
    if action_col is not None and (progress_col is not None or due_col is not None) \
            and section_kind(header[action_col]) != "progress":
        # A tracker keeps what is to be done (with its date) apart from what has been: its action
        # cells are the plan, whatever the heading above the table ("... progress report") says.
        kind = ActionKind.COMMITMENT.value
    actions, searched_from, priority = [], 0, None
    for row in rows[1:]:
        lead, due = _cell(row, lead_col), _cell(row, due_col)
        # A row with no recommendation of its own goes on with the one above (a merged cell).
        priority = _row_priority(_cell(row, rec_col), by_title or {}) if _cell(row, rec_col) else priority
        for col, cell_kind in ((action_col, kind), (progress_col, ActionKind.PROGRESS.value)):
            text = _cell(row, col) or ""
            at = block.text.find(text, searched_from) if text else -1
            if at < 0:
                continue
            searched_from = at + len(text)
            action = _action(block, text, cell_kind, lead, state, by_number, document_id, council, published,
                             offset=at)
            action.priority_id = priority or action.priority_id
            if due and cell_kind == ActionKind.COMMITMENT.value:
                action.due_text, action.due_date = due, _due_of(due, published)[1]
            actions.append(action)
            if cell_kind == ActionKind.PROGRESS.value:
                actions.extend(_embedded(block, action, state, by_number, document_id, council, published))
    return actions


def _row_priority(recommendation: str | None, by_title: dict) -> str | None:
    if not recommendation:
        return None
    return next((pid for title, pid in by_title.items() if title and title in recommendation), None)


def _section_columns(block: Block, kinds: list[str | None], state: SectionState, by_number: dict,
                     document_id: str, council: str | None, published: str | None) -> list[Action]:
    """A table whose columns are sections ("What we have achieved | What we will do next"):
    every cell under such a heading is an action of that heading's kind, row by row."""
    actions, searched_from = [], 0
    for row in (block.cells or [])[1:]:
        for col, kind in enumerate(kinds):
            text = re.sub(r"\s+", " ", row[col] or "").strip() if col < len(row) else ""
            at = block.text.find(text, searched_from) if text else -1
            if kind not in ("progress", "commitment") or at < 0:
                continue
            searched_from = at + len(text)
            action = _action(block, text, kind, _lead_of(text, council, {}), state, by_number, document_id,
                             council, published, offset=at)
            actions.append(action)
            if kind == ActionKind.PROGRESS.value:
                actions.extend(_embedded(block, action, state, by_number, document_id, council, published))
    return actions


def _cell(row: list[str | None], col: int | None) -> str | None:
    if col is None or col >= len(row) or not row[col]:
        return None
    return re.sub(r"\s+", " ", row[col]).strip() or None


_HEADER_WORDS = re.compile(
    r"^(?:\s*(?:actions?|activity|tasks?|lead(?: officer)?|responsible(?: officer)?|owner|by when|timescales?|"
    r"deadline|due(?: date)?|target date|progress|status|rag)\s*){2,}$", re.IGNORECASE)


def _is_table_header(text: str) -> bool:
    """A line of column names only ("Action Lead By when"): a table the text dump ran together."""
    return bool(_HEADER_WORDS.match(text)) and bool(_ACTION_COLUMN.search(text))


def _ends_table(block: Block) -> bool:
    return len(block.text) > 300 or section_kind(block.text) is not None or block.text.endswith(":")


def _run_together_rows(block: Block, state: SectionState, by_number: dict, document_id: str,
                       council: str | None, published: str | None) -> list[Action]:
    """Table rows printed as running text: each row ends with the role or team in its Lead cell."""
    from extract.language.nlp import build_nlp

    text = block.text
    nlp = build_nlp()
    doc = nlp(text)
    kind = state.kind if state.kind in ("progress", "commitment") else ActionKind.COMMITMENT.value
    actions, start = [], 0
    for lead in _row_ending_entities(doc, text, nlp):
        row = text[start:lead.start_char].strip()
        if row:
            action = _action(block, row, kind, lead.text, state, by_number, document_id, council, published,
                             offset=text.index(row, start))
            actions.append(action)
        start = lead.end_char
    rest = text[start:].strip()
    if rest:
        actions.append(_action(block, rest, kind, None, state, by_number, document_id, council, published,
                               offset=text.index(rest, start)))
    return actions


def _last_party(span, nlp):
    """"Team Manager Service Managers" read as one name: the shortest tail that is a name itself."""
    for start in range(span.end - 2, span.start, -1):
        tail = span.doc[start:span.end]
        tail_doc = nlp(tail.text)
        if tail.text[:1].isupper() and any(s.text == tail.text for s in tail_doc.spans.get("entities", [])):
            return tail
    return span


def _row_ending_entities(doc, text: str, nlp) -> list:
    """Responsible-party spans that close a row: at the end, or before the capital that opens the next."""
    spans = sorted((s for s in doc.spans.get("entities", []) if s.label_ in ("ROLE", "TEAM", "ORG")),
                   key=lambda s: (s.end_char, s.start_char))
    chosen: dict[int, object] = {}
    for span in spans:  # of spans ending together, the shortest names the party
        after = text[span.end_char:].lstrip()
        if span.start_char > 0 and (not after or after[:1].isupper()) and re.match(r"[a-z0-9)]", text[:span.start_char].rstrip()[-1:] or "A"):
            chosen[span.end_char] = span
    ordered = [_last_party(chosen[end], nlp) for end in sorted(chosen)]
    # "... Team Manager Service Managers": of two parties side by side, the second is the Lead cell.
    return [s for i, s in enumerate(ordered)
            if i + 1 == len(ordered) or text[s.end_char:ordered[i + 1].start_char].strip()]
