"""Leads: who does, leads, delivers, chairs, reviews or governs the work (ANNOTATION.md section 5).

`lead_of` reads one action's lead: an explicit `Lead:` / `Responsible officer:` label, the
agent of `led by / coordinated by / managed by / chaired by / reviewed by X`, or a named
role, team or organisation that is the subject of the sentence. Not the council itself,
not collaborators (`with X`), recipients (`made available to X`) or funders.

Council papers name owners in their own forms too (ANNOTATION.md section 13): an `Action: A/B`
or `By whom:` line, the `Approved by` field of a document-control table, a body asked to act in
a resolution (`be requested to provide`), one reported doing work (`advised that X would
undertake`), a service `used to recruit`, a contractor, `the responsibility of X and Y`. Not
presenters and speakers (`X introduced the report`, `the DCS remarked`), authors (`Prepared by`),
decision-makers and delegates (`be authorised to`), the committee the paper goes to and its clerk,
funders, regulators or national bodies; nor a role only mentioned: a post or job title (`the
Advanced Practitioner role`, `Designated Officer arrangements`), some holder of a post (`managed by
an Advanced Practitioner`), a participant (`listening events with the DCS`), HR named bare.

`find_leads` lists the distinct entities of a document that do strategy work, normalised
(case, plurals, `HoS` = Head of Service) so one entity gets one stable id per council.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from extract.ids import stable_id
from extract.language.nlp import DOMAIN_WORDS as _DOMAIN
from extract.language.nlp import block_segments, parse, sentences, span_text, spans_of, text_of
from extract.language.numbers import may_hold
from schemas import Action, Block, BlockKind, Lead, LeadKind

__all__ = ["abbreviations_in", "find_leads", "lead_of", "normalise_name"]

_PATTERNS = Path(__file__).parent.parent / "patterns"
_KIND_OF_LABEL = {"ROLE": LeadKind.ROLE, "TEAM": LeadKind.TEAM, "ORG": LeadKind.ORGANISATION}

# Entities that are never leads: funders and regulators (by pattern id), and staff groups
# that a strategy is about rather than who delivers it.
# Funders, regulators and national bodies are named in the work but never do it for the council.
_NOT_LEAD_IDS = {"Department for Education", "Ofsted", "Social Work England", "Community Interest Company",
                 "Children's Workforce Development Council", "Department for Children, Schools and Families",
                 "Social Work Reform Board", "Social Work Task Force"}
_GENERIC = re.compile(
    r"^(?:(?:all|our|the|other|experienced|newly qualified|qualified|agency|frontline|senior|new|individual|"
    r"registered|permanent|local|internal|relevant|key|aspiring|prospective|front line|"
    r"children(?:’s|'s)?|adult|\w+(?:’s|'s))\s+)*"
    r"(?:temporary|regular|weekly|monthly)?\s*(?:social (?:care )?workers?|social care workers?|workers?|staff|practitioners?|managers?|"
    r"students?|trainees?|colleagues|partners|internal partners|professionals|employees|leaders|members|officers|"
    r"services?|social care services|children(?:’s|'s)? services|children(?:’s|'s)? social care|council|"
    r"local authority|authority|teams?|forums?|groups?|sub-groups?|subgroups?|boards?|directorate|"
    r"department|agency|recruitment agency|recruitment company|company|organisation|partnership|"
    r"the committee|committee|hub|network)$", re.IGNORECASE)
# The bodies a paper goes to or that decide on it (ANNOTATION.md section 13).
_AUDIENCE = re.compile(r"\bcommittee\b|\bcabinet\b|\bscrutiny\b|^executive(?: board| member)?$|\bportfolio holder\b|"
                       r"\bfull council\b", re.IGNORECASE)
_AUDIENCE_WORDS = ("committee", "cabinet", "scrutiny", "executive", "portfolio holder", "full council")


def _is_audience(name: str) -> bool:
    return may_hold(name, _AUDIENCE_WORDS) and _AUDIENCE.search(name) is not None
_DETERMINER = re.compile(r"^(?:the|our|a|an|all|its|their|this|these|each|every|both|new|existing|regular|"
                         r"wider|relevant|dedicated|key)\s+", re.IGNORECASE)
_AGENT_BY = re.compile(
    r"\b(?:led|lead|co-?ordinated|managed|chaired|delivered|facilitated|overseen|run|hosted|reviewed|"
    r"monitored|governed|owned|provided|offered|developed|supported|organised|driven|championed|"
    r"commissioned|introduced|established|designed|produced|undertaken|approved|agreed|endorsed|ratified)"
    r"(?:/\w+)*\s+(?:jointly\s+)?by\s+(?:the\s+|our\s+)?", re.IGNORECASE)
_THROUGH = re.compile(r"\b(?:through|via)\s+(?:the\s+|our\s+)", re.IGNORECASE)
_LABEL = re.compile(r"(?:^|\n|\s|\()(?P<label>lead(?: officer| person| service| agency| director)?|responsible(?: officer| person| lead)?|"
                    r"owner|accountable(?: officer)?|led by|by whom|action(?: by)?)(?:\s*[:|]|\s+[–-]\s)\s*"
                    r"(?P<who>[^:|\n;()]+?)(?=\s*(?:$|[\n;|)]|(?:timescale|by when|deadline|due|target date|when)\b))",
                    re.IGNORECASE)
# An "Action:" or "By whom:" field holds owners only when it reads as names ("Action: Director of
# Children's Services/Overview and Scrutiny Lead"); "Action: Recruit ten social workers" is the task.
_OWNER_LABELS = ("action", "by whom")
_NAMES = re.compile(r"[A-Z][\w’'&.-]*(?:\s+(?:[A-Z][\w’'&.-]*|of|and|for|the|in|&))*"
                    r"(?:\s*/\s*[A-Z][\w’'&.-]*(?:\s+(?:[A-Z][\w’'&.-]*|of|and|for|the|in|&))*)*")
# After a subject, these passives make it a recipient ("have been enrolled on", "been made available to").
_RECIPIENT_VERB = re.compile(r"^\s*(?:\w+ly\s+)?(?:has|have|had|was|were|are|is|will be)\s+(?:all\s+)?"
                             r"(?:been\s+)?(?:enrolled|trained|invited|offered|given|provided|asked|recruited|appointed|"
                             r"placed|encouraged|supported|made|able|expected|required|signed|registered)\b",
                             re.IGNORECASE)
# After a subject, these make it a presenter, speaker or decision-maker, not the one doing the work
# ("The Assistant Director introduced the report", "The DCS remarked", "The Director has decided to award",
# "The Leadership Team had therefore taken the decision to pay").
_NOT_ACTING_VERB = re.compile(
    r"^\s*(?:\w+ly\s+)?(?:has\s+|had\s+|have\s+)?(?:(?:presented|introduced|gave|summari[sz]ed|outlined|submitted|"
    r"circulated|tabled)\s+(?:\w+\s+){0,3}?(?:report|paper|item|presentation|summary|update|overview|document)s?|"
    r"reported|explained|confirmed|advised|informed|noted|said|stated|remarked|commented|responded|replied|"
    r"answered|added|highlighted|emphasi[sz]ed|acknowledged|suggested|asked|queried|questioned|observed|indicated|"
    r"clarified|assured|reminded|told|mentioned|pointed\s+out|"
    r"referred|welcomed|thanked|decided|resolved|approved|endorsed|considered|received|agreed|"
    r"(?:\w+\s+)?(?:taken|made|reached)\s+(?:the|a|an|its|this|that)\s+(?:[\w-]+\s+){0,2}decisions?)\b", re.IGNORECASE)
_NOT_VERB = re.compile(r"^\s*(?:(?:of|for|in|to|and|or|with|on|at|from|by|as|meetings?|post|role|sessions?|"
                       r"programme|forums?|events?|model|offer|turnover|rates?|vacanc\w*|caseloads?|numbers|sickness)\b|'s|’s|[,.;:()])", re.IGNORECASE)
_FRONTED = re.compile(r"^(?:[A-Z][\w ’'-]{0,40}:\s*)?(?:(?:in|on|during|since|from|following|after|over|by|at|in addition|additionally|also|"
                      r"furthermore|this year|last year|as part of)\b[^.;]{0,60}?(?:,\s*|\s+(?=the\b|our\b|[A-Z])))?"
                      r"(?:the\s+|our\s+|a\s+|an\s+)?$", re.IGNORECASE)
_PERSON = re.compile(r"\b(?:with|by)\s+(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2})\b(?!\s*(?:Council|Team|"
                     r"Partnership|University|College|Centre|Group|Board|Panel|Programme|Services?|Trust))")
_APPOSITIVE = re.compile(r"^\s*(?:,\s*|\s*\(\s*)(?:a|an|the)\s+(?:[\w-]+\s+){0,3}(?:company|organisation|"
                         r"organization|charity|provider|agency|consultancy|partnership|social enterprise|"
                         r"community interest company|university)\b", re.IGNORECASE)
_COLLABORATE = re.compile(r"\b(?:with|alongside|in partnership with|in collaboration with|commissioned|"
                          r"services of|engage with|working with|worked with)\s+(?:the\s+|our\s+)?$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _abbreviation_table() -> dict[str, str]:
    with open(_PATTERNS / "abbreviations.jsonl", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return {r["pattern"]: r["id"] for r in rows}


def normalise_name(name: str) -> str:
    """The key two spellings of one entity share: case, quotes, plurals, `HoS`/`AD's` expanded."""
    name = expand_abbreviations(name)
    name = re.sub(r"[’`]", "'", name).lower()
    name = _DETERMINER.sub("", name.strip())
    words = [_singular(w) for w in re.split(r"\s+", name) if w]
    return " ".join(words).strip(" .,;:")


def _singular(word: str) -> str:
    if re.fullmatch(r"[a-z]+'s", word):
        word = word[:-2]
    if word.endswith(("ss", "us", "is")) or len(word) <= 3:
        return word
    return word[:-1] if word.endswith("s") else word


def expand_abbreviations(name: str, aliases: dict[str, str] | None = None) -> str:
    """`HoS` -> `Head of Service`, `AD's` -> `Assistant Directors`; also the document's own aliases."""
    stripped = re.sub(r"[’']s$", "s", name.strip())
    for key in (stripped, name.strip()):
        if aliases and key in aliases:  # the document's own aliases come before the common ones
            return aliases[key]
        if key in _abbreviation_table():
            return _abbreviation_table()[key]
    return name.strip()


def abbreviations_in(text: str) -> dict[str, str]:
    """`Northshire Safeguarding Children Partnership (NSCP)` in a text -> {"NSCP": "...Partnership"}."""
    return dict(_abbreviations_in(text))


@lru_cache(maxsize=8)  # actions and leads both ask, of the same document text
def _abbreviations_in(text: str) -> dict[str, str]:
    found = {}
    for name, abbr in _defined(text):
        words = name.split()
        initials = [w for w in words if w[:1].isupper()]
        if len(initials) >= len(abbr.rstrip("s")) - 1:
            take = words[-len(initials):] if len(initials) == len(words) else words
            while take and take[0].lower() in ("and", "of", "for", "in", "the"):
                take = take[1:]
            count = sum(1 for w in take if w[:1].isupper())
            while take and count > len(abbr):
                count -= take[0][:1].isupper()
                take = take[1:]
                while take and take[0].lower() in ("and", "of", "for", "in", "the"):
                    take = take[1:]
            found[abbr] = " ".join(take)
    return found | _spelled_out(text, found)


_ABBREVIATION = re.compile(r"\(([A-Z][A-Za-z&]{1,7})\)")
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w’'&-]*\s+(?:(?:and|of|for|in|the)\s+)?){1,8}\Z")


def _defined(text: str) -> Iterator[tuple[str, str]]:
    """(name, abbreviation) for each `Name Written Out (NWO)`: up to eight capitalised words
    (`and`, `of`, `for`, `in`, `the` between them) right before the bracket.

    Each bracket is looked at once, and only back to the last character no name holds (a
    stop, a comma): the same pairs as scanning the whole text for names followed by a
    bracket, at a fraction of the cost.
    """
    end = 0
    for m in _ABBREVIATION.finditer(text):
        start = m.start()
        while start > end and _in_name(text[start - 1]):
            start -= 1  # back to the last stop before the bracket
        name = _NAME_BEFORE.search(text, start, m.start())
        if name:
            yield name.group(0), m.group(1)
            end = m.end()


def _in_name(char: str) -> bool:
    """Whether a written-out name may hold the character: a letter, digit or space, or one of
    `_ ’ ' & -` (the name pattern's `[\\w’'&\\s-]`)."""
    return char.isalnum() or char.isspace() or char in "_’'&-"


# Opens with its capital, not a word boundary, so that `re` skips to candidates (`_name_runs`
# checks the boundary).
_NAME_RUN = re.compile(r"[A-Z][\w’'&-]*(?:\s+(?:(?:and|of|for|in|the)\s+)?[A-Z][\w’'&-]*){2,7}")


def _name_runs(text: str) -> Iterator[re.Match[str]]:
    for m in _NAME_RUN.finditer(text):
        if not m.start() or not (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
            yield m


_CAPITALS = re.compile(r"[A-Z]{3,6}\b")


def _acronyms(text: str) -> set[str]:
    """Words of three to six capitals. The pattern opens with its letters, not a word
    boundary, so that `re` skips to candidates; the boundary before is checked here."""
    return {m.group(0) for m in _CAPITALS.finditer(text)
            if not m.start() or not (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_")}


def _spelled_out(text: str, known: dict[str, str]) -> dict[str, str]:
    """Acronyms the text uses without defining, matched to a name it prints in full whose
    initials spell them ("the WSCP" and "Wirral Safeguarding Children Partnership")."""
    acronyms = _acronyms(text) - set(known)
    if not acronyms:
        return {}
    names: dict[str, set[str]] = {}
    for m in _name_runs(text):
        initials = "".join(w[0] for w in m.group(0).split() if w[:1].isupper())
        # a run may carry words before the name ("In Wirral ..."); only the last 3 to 6 can spell an acronym
        for first in range(max(0, len(initials) - 6), len(initials) - 2):
            if initials[first:] in acronyms:
                names.setdefault(initials[first:], set()).add(m.group(0))
    found = {}
    for abbr in acronyms:
        spelled = names.get(abbr, set())
        if len(spelled) == 1:
            found[abbr] = _trim_to_initials(spelled.pop(), abbr)
    return found


def _trim_to_initials(name: str, abbr: str) -> str:
    """The last words of `name` whose capitals spell `abbr` (connectors inside kept)."""
    words = name.split()
    while sum(1 for w in words if w[:1].isupper()) > len(abbr):
        words = words[1:]
        while words and not words[0][:1].isupper():
            words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=4096)  # the same names come up sentence after sentence
def _is_council(name: str, council: str | None) -> bool:
    low = _SPACES.sub(" ", name.lower().replace("’", "'"))
    # A council's own department ("Northshire Children's Services") is the council itself.
    if ("council" in low or "children" in low) and _OWN_DEPARTMENT.search(low) and not _POST_OR_BODY.search(low):
        return True
    if council and council.lower() in low and _council_word(council).search(low) and not _NOT_COUNCIL.search(low):
        return True
    return bool(_COUNCIL_ITSELF.fullmatch(low))


# (Lower-case patterns of `_is_council`: the quick tests before them are words they need.)
_SPACES = re.compile(r"\s+")
_OWN_DEPARTMENT = re.compile(r"children ?'s (services|social care)$|^council\b|\bcouncil (and|service)")
_POST_OR_BODY = re.compile(r"\b(director|manager|head|lead|officer|team|board)s?\b")
_NOT_COUNCIL = re.compile(r"partnership|board|panel|group|centre|university|college|team")
_COUNCIL_ITSELF = re.compile(r"(the )?(council|local authority|we|us)")


@lru_cache(maxsize=64)
def _council_word(council: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(council.lower())}\b")


@lru_cache(maxsize=4096)
def _clean(span_text: str) -> str:
    text = " ".join(span_text.split())
    text = _DETERMINER.sub("", text)
    text = re.sub(r"^(?:regular|new|existing)\s+", "", text, flags=re.IGNORECASE)
    return text.strip(" ,.;:()")


def _acceptable(ent: Span, council: str | None) -> bool:
    if not _acceptable_name(ent.label_, ent.id_, span_text(ent), council):
        return False
    # A name that runs on into a capitalised word is part of a longer name ("CSC Service Improvement Plan").
    return not _RUNS_ON.match(text_of(ent.doc)[ent.end_char:ent.end_char + 3])


_RUNS_ON = re.compile(r"\s+[A-Z][a-z]")


@lru_cache(maxsize=4096)  # the same names come up sentence after sentence
def _acceptable_name(label: str, entity_id: str, text: str, council: str | None) -> bool:
    """Whether an entity of this label, pattern id and text can be a lead, wherever it stands."""
    if label not in _KIND_OF_LABEL or entity_id in _NOT_LEAD_IDS:
        return False
    name = _clean(text)
    if not name or _GENERIC.match(name) or _is_council(name, council) or _is_audience(name):
        return False
    first = name.split()[0].lower()
    # "training and development of social workers", "Number of agency ...": no name
    return first not in _NOT_NAME_START and not (label == "ROLE" and re.search(r"(ing|tion|ment)$", first))


_NOT_NAME_START = {"number", "proportion", "percentage", "level", "rate", "ensuring", "temporary", "all", "every"}


def _entities(doc: Doc, start: int = 0, end: int | None = None) -> list[Span]:
    end = len(text_of(doc)) if end is None else end
    return [e for e in spans_of(doc, "entities") if start <= e.start_char < end]


def lead_of(text: str, nlp: Language, *, council: str | None = None,
            aliases: dict[str, str] | None = None) -> str | None:
    """The lead an action names, as written (`Acme`, `QA Manager`, `operational leads,
    heads of service and the assistant director ...`), or None.

    Args:
        text: the action's text (a bullet, row or sentence).
        nlp: the pipeline from `extract.language.nlp.build_nlp()`.
        council: the council's name, never its own lead.
        aliases: the document's abbreviations (`abbreviations_in`), to write `WSCP` in full.
    """
    labelled = _labelled_lead(text)
    if labelled:
        return labelled
    doc = parse(nlp, text)
    if not _may_name_a_lead(doc, aliases or {}):
        return None
    for finder in (_appositive_subject, _subject_lead, _by_lead, _requested_lead, _clause_subject_lead, _used_lead,
                   _contractor_lead, _appointee_lead, _through_lead):
        for sent in sentences(doc):
            found = finder(sent, council, aliases)
            if found:
                return expand_abbreviations(found, aliases)
    return None


def _labelled_lead(text: str) -> str | None:
    """The value of the first `Lead:` / `Responsible officer:` / `Action:` field, as written."""
    lowered = text.lower()  # a cheap test first: most passages hold no label word
    if not ("lead" in lowered or "responsib" in lowered or "owner" in lowered or "accountab" in lowered or
            "whom" in lowered or "action" in lowered):
        return None
    for m in _LABEL.finditer(text):
        who = _clean(m.group("who"))
        if who and (not m.group("label").lower().startswith(_OWNER_LABELS) or _NAMES.fullmatch(who)):
            return who
    return None


def _labelled_leads(text: str, council: str | None) -> list[tuple[str, LeadKind]]:
    """Each owner a labelled field names: `Action: A/B` names A and B."""
    who = _labelled_lead(text)
    if not who:
        return []
    names = [_clean(name) for name in re.split(r"\s*/\s*(?=[A-Z])", who)]
    return [(name, _kind_of_name(name)) for name in names
            if name and not _is_council(name, council) and not _CLERK.search(name)]


# The clerk of a meeting records and circulates its business ("Action: Committee Clerk"), not the work.
_CLERK = re.compile(r"\bclerk\b", re.IGNORECASE)


def _appositive_subject(sent: Span, council: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """"Family Voices, a local charity, has been commissioned ...": the organisation the sentence opens with."""
    text = span_text(sent)
    if not _APPOSITION_CUE.search(text):  # the regex below backtracks a lot; most sentences have no cue
        return None
    m = _NAMED_APPOSITIVE.match(text.lstrip())
    if m is None or _is_council(m.group("name"), council):
        return None
    return _clean(m.group("name"))


def _subject_lead(sent: Span, council: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """A named role, team or organisation at the head of the sentence, followed by its verb."""
    doc = sent.doc
    for ent in _entities(doc, sent.start_char, sent.end_char):
        before = text_of(doc)[sent.start_char:ent.start_char]
        if not _FRONTED.match(before):
            break
        if not _acceptable(ent, council):
            continue
        after = text_of(doc)[ent.end_char:sent.end_char]
        after = after[_skip_chair(after):]
        if _NOT_VERB.match(after) or _RECIPIENT_VERB.match(after) or _NOT_ACTING_VERB.match(after) or \
                not re.match(r"\s+[a-z]", after) or _modifies_noun(after) or _LED_BY_LATER.search(after):
            return None
        return _clean(span_text(ent))
    return _acronym_subject(sent, aliases or {})


# "The Workforce Board, chaired by the Assistant Director, will review ...": the chair describes the
# body, which is still the subject doing the work.
# The chair's title may list services ("the Assistant Director for Partnerships, Strategy and Commissioning").
_CHAIRED_BY = re.compile(r",\s*(?:chaired|led|run|hosted|co-?ordinated|managed)\s+by\s+[^,;]{3,80}"
                         r"(?:,\s+[A-Z][\w’'-]*)*(?:,?\s+(?:and|&)\s+[A-Z][\w’'-]*)?,")


def _skip_chair(after: str) -> int:
    """Where the text after a subject resumes past a `, chaired by X,` aside (0 if there is none)."""
    m = _CHAIRED_BY.match(after) if after.startswith(",") else None
    return m.end() if m else 0


# "The panel process has been shortened", "The Designated Officer arrangements had been reviewed":
# the name only qualifies the noun that is the subject.
_NOUN_THEN_VERB = re.compile(r"\s+(?P<word>[a-z]+)\s+(?:has|have|had|was|were|is|are|will|would|can|could|should|"
                             r"must|may)\b")
_NOT_NOUN = {"also", "now", "then", "already", "still", "both", "all", "each", "together", "again", "itself",
             "themselves", "alone", "soon", "often", "who", "which", "that"}


def _modifies_noun(after: str) -> bool:
    """Whether the subject's name is followed by a noun and then the verb, not by the verb."""
    m = _NOUN_THEN_VERB.match(after)
    return m is not None and m.group("word") not in _NOT_NOUN and not m.group("word").endswith("ly")


# "The process has been shortened ..., led by the Recruitment Team": who leads the change is named,
# and the subject is only what changed.
_LED_BY_LATER = re.compile(r",\s*(?:jointly\s+)?(?:led|co-?ordinated|managed|driven|overseen)\s+by\b")


# "In September 2023 the WSCP introduced ...": an acronym the document defined elsewhere.
_ACRONYM_SUBJECT = re.compile(r"(?P<abbr>\b[A-Z][A-Z&]{1,6}\b)(?=\s+(?:\w+ly\s+)?(?:has|have|had|is|are|was|were|will|"
                              r"shall|\w+ed|\w+s)\b)")


def _acronym_subject(sent: Span, aliases: dict[str, str]) -> str | None:
    """Only an acronym the document spells out counts ("The SWAT survey has closed" is not a lead)."""
    if not aliases:
        return None
    text = span_text(sent)
    if not any(abbr in text for abbr in aliases):
        return None  # (a quick test: the acronym is one of them)
    m = _ACRONYM_SUBJECT.search(text)
    if m is None or m.group("abbr") not in aliases or not _FRONTED.match(text[:m.start()]):
        return None
    if any(e.start_char <= sent.start_char + m.start() < e.end_char for e in spans_of(sent.doc, "entities")):
        return None  # a programme or known body: the entity rules have had their say
    return m.group("abbr")


def _by_lead(sent: Span, council: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """`led by Acme`, `coordinated by Advanced Practitioners`, `reviewed by operational leads, ...`."""
    doc = sent.doc
    if "by" not in span_text(sent).lower():  # a quick test: most sentences say by no one
        return None
    for m in _AGENT_BY.finditer(span_text(sent)):
        at = sent.start_char + m.end()
        if _INDEFINITE.match(text_of(doc), at):
            continue  # "managed by an Advanced Practitioner": some holder of a post, no entity
        if re.match(r"(?:the\s+)?(?:department for education|dfe|ofsted)\b", text_of(doc)[at:], re.IGNORECASE):
            continue
        agents = _entity_list(doc, at, sent.end_char, council) or _proper_agent(text_of(doc)[at:sent.end_char], m)
        if agents and not _is_council(agents, council) and not _is_audience(agents) and not _GENERIC.match(agents):
            return agents
    return None


_INDEFINITE = re.compile(r"an?\s", re.IGNORECASE)


def _proper_agent(text: str, by: re.Match) -> str | None:
    """The capitalised name `by` introduces when it is no known entity (`led by Capacity`); not one
    word after `the`, which points back to something named in full ("supported by the Academy")."""
    proper = re.match(r"[A-Z][\w’'&-]*(?:\s+(?:[A-Z][\w’'&-]*|and|of|for))*", text)
    if proper is None:
        return None
    name = re.sub(r"(?:\s+(?:and|of|for))+$", "", proper.group(0))
    if " " not in name and by.group(0).lower().endswith(("the ", "our ")) and not name.isupper():
        return None
    # "delivered by Salford lecturers": the people of the place or body named do the work
    staff = _STAFF_AFTER.match(text, len(name))
    return name + staff.group(0) if staff else name


_STAFF_AFTER = re.compile(r"\s+(?:lecturers|tutors|academics|trainers|practitioners|mentors|staff|colleagues)\b")


_APPOINTEE = re.compile(r"\b(?i:following|after|with|since) the (?i:appointment|recruitment) of (?i:the |a |an |our )?"
                        r"(?P<who>[A-Z][^,;.]{2,120}?)(?=,|;|\.|\s+(?:who|which|we|there)\b)")


def _appointee_lead(sent: Span, council: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """`Following the appointment of the Principal Social Worker ..., a full review will be conducted`."""
    lowered = span_text(sent).lower()
    if "appointment" not in lowered and "recruitment" not in lowered:
        return None
    m = _APPOINTEE.search(span_text(sent))
    if m and not _is_council(m.group("who"), council):
        return _clean(m.group("who"))
    return None


def _through_lead(sent: Span, council: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """`review progress ... through the steering group`: the body the work goes through."""
    doc = sent.doc
    if not may_hold(span_text(sent), ("through", "via")) or not _entities(doc, sent.start_char, sent.end_char):
        return None
    for m in _THROUGH.finditer(span_text(sent)):
        at = sent.start_char + m.end()
        ent = next((e for e in _entities(doc, at, at + 1)), None)
        if ent is not None and ent.label_ in _KIND_OF_LABEL and _acceptable_loose(ent, council):
            return _clean(span_text(ent))
    return None


# A resolution or minute asking a named officer or body to act: "That the Director of Children's
# Services be requested to provide ...". Asked to attend or complete something, they are participants;
# "be authorised to extend" delegates a decision, which is not doing the work.
_REQUESTED = re.compile(r"^\s*(?:be|is|are|was|were)\s+(?:\w+ly\s+)?(?:requested|asked|instructed|invited|tasked|"
                        r"directed)\s+to\s+(?!attend|note|consider|receive|participate|complete|take part)",
                        re.IGNORECASE)


def _requested_lead(sent: Span, council: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """`... that the Executive Director be requested to provide statistics`: the one asked to act."""
    if "ed to " not in span_text(sent):  # every verb `_REQUESTED` knows ends so
        return None
    doc = sent.doc
    for ent in _entities(doc, sent.start_char, sent.end_char):
        if _REQUESTED.match(text_of(doc)[ent.end_char:sent.end_char]) and _acceptable(ent, council):
            return _clean(span_text(ent))
    return None


# A body as the subject of reported speech: "Members were advised that Skills for Care would
# undertake a visit". Minutes report work this way (ANNOTATION.md section 13).
_THAT_BEFORE = re.compile(r"\bthat\s+(?:the\s+)?$", re.IGNORECASE)
_MODAL_AFTER = re.compile(r"^\s+(?:would|will|had|has|have|was to|were to|is to|are to|could|should)\s+(?:also\s+|now\s+|"
                          r"shortly\s+)?(?!be\b|been\b|not\b)[a-z]+")


def _clause_subject_lead(sent: Span, council: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """A named role, team or organisation opening a `that` clause, with a verb of its own."""
    if "hat " not in span_text(sent):  # "that" or a resolution's "That"
        return None
    doc = sent.doc
    for ent in _entities(doc, sent.start_char, sent.end_char):
        before = text_of(doc)[max(sent.start_char, ent.start_char - 10):ent.start_char]
        after = text_of(doc)[ent.end_char:sent.end_char]
        if _THAT_BEFORE.search(before) and _acceptable(ent, council) and (
                (_MODAL_AFTER.match(after) and
                 not _NOT_ACTING_VERB.match(_MODAL_AFTER.match(after).group(0).split(None, 1)[-1])) or
                (_RESOLUTION_OPENING.fullmatch(text_of(doc), sent.start_char, ent.start_char) and
                 _SUBJUNCTIVE_AFTER.match(after))):
            return _clean(span_text(ent))
    return None


# A resolution's own subjunctive: "That the Service Director arrange for Members to visit ...".
_RESOLUTION_OPENING = re.compile(r"\s*(?:\(?\w{1,4}\)\s*)?That\s+(?:the\s+)?")
_SUBJUNCTIVE_AFTER = re.compile(r"\s+(?!be\b|not\b)[a-z]+(?<![sd])\s")


# A named service the council uses for the work: "The new Acme recruitment service would be used to recruit".
_USED_SUBJECT = re.compile(r"\b(?i:the|our|a|an)\s+(?:[a-z]+\s+){0,2}(?P<name>[A-Z][\w’'&-]*(?:\s+(?:[A-Z][\w’'&-]*|of|for|and))*)(?:\s+[a-z][\w-]*){0,2}\s+"
                           r"(?:(?:would|will|is|are|was|were|can|could|should|has|have|had|be|been|being|now|also|"
                           r"continue|to)\s+){1,4}used\b")


def _used_lead(sent: Span, council: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """The named subject of `the ... would be used to`; a determiner first, so a capitalised first
    word is no name ("Restorative practices are used")."""
    text = span_text(sent)
    if " used" not in text:
        return None
    for m in _USED_SUBJECT.finditer(text):
        name = _clean(m.group("name"))
        if name and not _GENERIC.match(name) and not _is_council(name, council):
            return name
    return None


# A company contracted for the work: "award a contract ... to Acme Consulting LLP (trading as 'Acme')".
_LEGAL_FORM = re.compile(r"\b(?:LLP|Ltd|Limited|plc|PLC|CIC)\.?$")
_TRADING_AS = re.compile(r"^\s*\(\s*(?:trading as|t/a|known as)\s+[‘'\"“]?(?P<name>[^’'\"”)]+)", re.IGNORECASE)


# The other party to a contract for the work: "the contract between the Council and Northfield University
# in respect of the delivery of ...", "a contract with Northfield College to deliver ...".
_CONTRACT_PARTY = re.compile(r"\bcontract\s+(?:between\s+(?:the\s+)?(?:(?i:council|authority)|[A-Z][\w&’' ]{0,40}?Council)\s+"
                             r"and|with)\s+(?:the\s+)?(?P<name>[A-Z][\w’'&-]*(?:\s+(?:[A-Z][\w’'&-]*|of|for|and|&))*?)"
                             r"(?=\s+(?:in respect of|for the (?:delivery|provision)|to (?:deliver|provide|run))\b)")


def _contractor_lead(sent: Span, council: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """A company (`LLP`, `Ltd`, `CIC` ...) named where a contract is let, by its trading name if given;
    or the party a contract to deliver the work is with."""
    if "ontract" not in span_text(sent):
        return None
    party = _CONTRACT_PARTY.search(span_text(sent))
    if party and not _is_council(party.group("name"), council) and party.group("name") not in _NOT_LEAD_IDS:
        return _clean(party.group("name"))
    doc = sent.doc
    for ent in _entities(doc, sent.start_char, sent.end_char):
        if ent.label_ == "ORG" and _LEGAL_FORM.search(span_text(ent)) and not _is_council(span_text(ent), council):
            alias = _TRADING_AS.match(text_of(doc)[ent.end_char:sent.end_char])
            return _clean(alias.group("name") if alias else span_text(ent))
    return None


# Who a paper says holds or shaped the work: "the issues were jointly the responsibility of
# Councillor A and Councillor B", "the involvement of the Staffing Policy Committee in the
# development of the proposals" (a committee that shaped the work, not the one the paper goes to).
_RESPONSIBILITY_OF = re.compile(r"\bresponsibility of\s+(?:the\s+)?", re.IGNORECASE)
_INVOLVEMENT = re.compile(r"\binvolvement of (?:the\s+)?(?P<who>[A-Z][\w’'&-]*(?:\s+(?:[A-Z][\w’'&-]*|of|for|and|&))*)"
                          r"\s+in\s+(?:the\s+)?(?:development|design|preparation|drafting|shaping|production)\b")
_TITLED_PERSON = re.compile(r"\b(?:Councillor|Cllr\.?|Mr|Mrs|Ms|Miss|Dr)\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2}")
_PERSON_LIST = re.compile(rf"(?:{_TITLED_PERSON.pattern})(?:\s*(?:,|and|&)\s*(?:{_TITLED_PERSON.pattern}))*")


# Organisations listed as the means the council uses: "pipelines were being used ... including; the
# Open University, apprenticeships". The list may follow a semicolon, which ends a sentence for the
# sentencizer, so this reads the whole passage.
_USED_INCLUDING = re.compile(r"\bused\b[^.]{0,120}?\binclud(?:ing|es?)\b", re.IGNORECASE)


def _used_list_leads(doc: Doc, council: str | None) -> list[tuple[str, LeadKind]]:
    """The named organisations in the list after `used ... including`, up to the full stop."""
    text = text_of(doc)
    if " used" not in text:
        return []
    found = []
    for m in _USED_INCLUDING.finditer(text):
        end = text.find(".", m.end())
        found += [(_clean(span_text(e)), LeadKind.ORGANISATION) for e in _entities(doc, m.end(), end if end > 0 else None)
                  if e.label_ == "ORG" and _acceptable(e, council)]
    return found


def _responsibility_leads(sent: Span, council: str | None) -> list[tuple[str, LeadKind]]:
    """Those `the responsibility of` names (roles, bodies or councillors) and those `involved in the development`."""
    text, doc, found = span_text(sent), sent.doc, []
    if "responsib" in text:
        for m in _RESPONSIBILITY_OF.finditer(text):
            at = sent.start_char + m.end()
            people = _PERSON_LIST.match(text_of(doc), at, sent.end_char)
            if people:
                found += [(p.group(0), LeadKind.PERSON) for p in _TITLED_PERSON.finditer(people.group(0))]
            else:
                agents = _entity_list(doc, at, sent.end_char, council)
                found += _split_phrase(doc, agents, council) if agents else []
    if "involvement" in text:
        found += [(_clean(m.group("who")), _kind_of_name(m.group("who"))) for m in _INVOLVEMENT.finditer(text)
                  if not _is_council(m.group("who"), council)]
    return found


def _acceptable_loose(ent: Span, council: str | None) -> bool:
    """A team named only by its kind ("the steering group") is fine after `through`."""
    name = _clean(span_text(ent))
    if re.match(r"\s+[A-Z][a-z]", text_of(ent.doc)[ent.end_char:ent.end_char + 3]):
        return False
    return bool(name) and not _is_council(name, council) and name.lower() not in ("services", "service", "teams")


def _entity_list(doc: Doc, start: int, end: int, council: str | None) -> str | None:
    """Entities from `start` joined only by commas, `and`, `&` or `the`: one lead phrase as written."""
    ents = sorted(_entities(doc, start, end), key=lambda e: e.start_char)
    if not ents or ents[0].start_char - start > 4:
        return None
    last = ents[0]
    for ent in ents[1:]:
        gap = text_of(doc)[last.end_char:ent.start_char]
        if not re.fullmatch(r"\s*(?:,|and|&|,\s*and)?\s*(?:the\s+|our\s+)?", gap):
            break
        last = ent
    phrase = _clean(text_of(doc)[ents[0].start_char:last.end_char])
    return None if _is_council(phrase, council) else phrase


def find_leads(blocks: list[Block], actions: list[Action], nlp: Language, *, council: str | None) -> list[Lead]:
    """Distinct leads of one document: action leads and entities named as doing strategy work.

    Args:
        blocks: the document's blocks.
        actions: its actions (their `lead` fields are leads too).
        nlp: the pipeline from `extract.language.nlp.build_nlp()`.
        council: the council, which is never its own lead; lead ids are stable per council.
    """
    aliases = abbreviations_in(" ".join(b.text for b in blocks))
    names: list[tuple[str, LeadKind]] = []
    for action in actions:
        if action.lead:
            names.extend(_split_lead(action.lead, nlp, council))
    for block in blocks:
        for _, text in block_segments(block):
            if ":" in text:  # the fields that name owners outside an action: "Action:", "By whom:", "Lead officer:"
                names.extend(_labelled_leads(text, council))
            doc = parse(nlp, text)
            if not _may_name_a_lead(doc, aliases):
                continue
            for sent in sentences(doc):
                names.extend(_sentence_leads(sent, council, block, aliases))
            names.extend(_used_list_leads(doc, council))
    return _distinct(names, council, aliases)


def _may_name_a_lead(doc: Doc, aliases: dict[str, str]) -> bool:
    """Whether any of `_sentence_leads`' finders could find a name in the passage: it names an
    entity, or holds a word one of the finders that need no entity looks for."""
    if spans_of(doc, "entities"):
        return True
    text = text_of(doc)
    lowered = text.lower()
    return "by" in lowered or "with" in lowered or "appointment" in lowered or "recruitment" in lowered or \
        "used" in lowered or "responsib" in lowered or "involvement" in lowered or \
        _APPOSITION_CUE.search(text) is not None or (bool(aliases) and _ACRONYM_SUBJECT.search(text) is not None)


def _split_lead(lead: str, nlp: Language, council: str | None) -> list[tuple[str, LeadKind]]:
    """The entities of an action's lead: `A/B` (an `Action:` line's owners) is two, so is a list `A, B and C`."""
    found = []
    for part in re.split(r"\s*/\s*(?=[A-Z])", lead):
        name = _clean(part)
        if not name or _is_council(name, council):
            continue
        kind = _kind_of_name(name)
        if kind != LeadKind.ORGANISATION and not re.search(r",| and | & ", name):
            found.append((name, kind))  # one name whose head word gives its kind: nothing to parse
        else:
            found += _split_phrase(parse(nlp, name), name, council)
    return found


def _sentence_leads(sent: Span, council: str | None, block: Block,
                    aliases: dict[str, str] | None = None) -> list[tuple[str, LeadKind]]:
    """Entities a sentence shows doing, leading, chairing or governing work, or working with us on it."""
    doc, found, text = sent.doc, [], span_text(sent)
    ents = _entities(doc, sent.start_char, sent.end_char)
    for finder in _ENTITY_FINDERS if ents else _NAME_FINDERS:
        name = finder(sent, council, aliases)
        if name:
            found.extend(_split_phrase(doc, name, council))
    for cue, needs_entity, finder in _CUED_FINDERS:
        if cue in text and (ents or not needs_entity):
            name = finder(sent, council, aliases)
            if name:
                found.extend(_split_phrase(doc, name, council))
    if "esponsib" in text or "nvolvement" in text:
        found.extend(_responsibility_leads(sent, council))
    for m in _NAMED_APPOSITIVE.finditer(text) if _APPOSITION_CUE.search(text) else ():
        if not _is_council(m.group("name"), council):
            found.append((m.group("name"), LeadKind.ORGANISATION))
    covered = [(text.find(n), text.find(n) + len(n)) for n, _ in found if n in text]
    for ent in ents:
        at = ent.start_char - sent.start_char
        if not _acceptable(ent, council) or any(s <= at < e and (s, e) != (at, at + len(span_text(ent)))
                                                 for s, e in covered):
            continue
        before = text_of(doc)[max(sent.start_char, ent.start_char - 40):ent.start_char]
        after = text_of(doc)[ent.end_char:ent.end_char + 60]
        # A board named in a heading ("Driver - Local Safeguarding Children's Board") titles a
        # section about it; named in the text, it governs the work.
        named_body = ent.label_ == "TEAM" and _NAMED_BODY.search(span_text(ent)) and span_text(ent)[:1].isupper() \
            and block.kind != BlockKind.HEADING
        if named_body or _responsible_list(block, sent, ent) or \
                _collaborator(ent, before, after, text_of(doc)[sent.start_char:ent.start_char]) or \
                _APPOSITIVE.match(after) or _ROLE_AFTER.match(after) or _MEETING_AFTER.match(after) or \
                _ROLE_BEFORE.search(before):
            if not _NOT_DOING_BEFORE.search(before):
                found.append((_clean(span_text(ent)), _KIND_OF_LABEL[ent.label_]))
    for m in _PERSON.finditer(text) if "with" in text or "by" in text else ():  # (`_PERSON` needs one, in lower case)
        name = m.group("name")
        if _AUTHOR_BY.search(text, 0, m.start("name")):
            continue  # "Prepared by A, B and C", "Updated by A": a report's authors
        if not spans_of(doc, "entities") or not any(e.start_char <= sent.start_char + m.start("name") < e.end_char
                                                for e in spans_of(doc, "entities")):
            if not any(w.lower() in _NOT_PERSON_WORDS or w.lower() in _DOMAIN for w in name.split()):
                found.append((name, LeadKind.PERSON))
    return found


# What shows an entity doing the work in `_sentence_leads`: a named board or panel, "X's role",
# "X meetings, which have ...ed", "priority for X" / "role of X".
_NAMED_BODY = re.compile(r"\b(board|sub-?group|panel|steering group|partnership)$", re.IGNORECASE)
_ROLE_AFTER = re.compile(r"\s*(?:'s|’s)\s*(?:role|responsibility)\b")
_MEETING_AFTER = re.compile(r"\s+(?:meetings?|forums?|groups?),?\s+(?:which|that|who)\s+(?:have|has)\s+\w+ed\b")
_ROLE_BEFORE = re.compile(r"\b(?:priority for|role of) (?:the\s+|our\s+)?$")


def _collaborator(ent: Span, before: str, after: str, sentence_before: str) -> bool:
    """A named entity the council works `with` on the work; not one it agrees with, meets at an event
    ("listening events with the Director"), or its own HR department named bare ("with HR")."""
    return bool(_COLLABORATE.search(before) and re.search(r"[A-Z]", span_text(ent)) and
                not _AGREEMENT.search(sentence_before) and not _AT_EVENT.search(before) and
                not (_OWN_FUNCTION.fullmatch(span_text(ent)) and not _PEOPLE_AFTER.match(after)))


_AT_EVENT = re.compile(r"\b(?:events?|sessions?|meetings?|visits?|workshops?|briefings?|conversations?)"
                       r"[\"”’']?\s+with\s+(?:the\s+|our\s+)?$", re.IGNORECASE)
# The council's own HR department is the council; the people in it who do the work are named so.
_OWN_FUNCTION = re.compile(r"HR|Human Resources", re.IGNORECASE)
_PEOPLE_AFTER = re.compile(r"\s+(?:colleagues|partners|business partners|officers|advisers|staff|team)\b", re.IGNORECASE)


# A body named as what is set up ("Develop the LCR Steering Group") or as where reports come
# from ("feedback reports from the Improvement Board") is not shown doing the work.
# So is one that papers go to ("questions could be submitted to the Corporate Parenting Board") or
# that data come from ("performance data from the Ambition Board"): a recipient or a source.
_NOT_DOING_BEFORE = re.compile(r"(?:\b(?:develop|create|establish|set up|form|launch|deliver)\w*\s+(?:(?:&|and)\s+\w+\s+)?"
                               r"|\breports?\s+(?:of|from|by)\s+"
                               r"|\b(?:data|slides|information|figures|statistics|papers?|minutes)\b[^.;,]{0,30}\bfrom\s+"
                               r"|\b(?:submitted|sent|referred|reported|presented|circulated|escalated)\s+to\s+)"
                               r"(?:(?:a|an|the|new)\s+)*$", re.IGNORECASE)
# "Gain agreement on the framework with the Children's Trust": who agrees decides; they are no collaborator.
_AGREEMENT = re.compile(r"\b(?:agree\w*|approv\w*|sign[- ]?off|endorse\w*|consult\w*)\b[^,;]*$", re.IGNORECASE)
_AUTHOR_BY = re.compile(r"\b(?:prepared|updated|created|written|authored|compiled|presented|submitted|introduced|"
                        r"produced|drafted|edited|issued|report|paper|presentation)\s+by\s+$", re.IGNORECASE)
# The sentence finders: `_through_lead` reads entities only, so it is skipped where a sentence names
# none; those of minutes and decisions run only where the sentence holds the word they need (a cheap
# test first, as most sentences have none), and all but `_used_lead` need an entity too.
_NAME_FINDERS = (_subject_lead, _by_lead, _appointee_lead)
_ENTITY_FINDERS = (*_NAME_FINDERS, _through_lead)
_CUED_FINDERS = (("ed to ", True, _requested_lead), ("hat ", True, _clause_subject_lead),
                 ("used", False, _used_lead), ("ontract", True, _contractor_lead))
_NOT_PERSON_WORDS = {"the", "our", "this", "these", "all", "higher", "further", "national", "regional", "local",
                     "institute", "institutes", "schools", "colleges", "universities", "providers", "authorities",
                     # the rules a meeting follows: "attended remotely in accordance with Standing Order 25"
                     "standing", "order", "orders", "regulations", "rules", "procedure", "constitution"}
# "XYZ, a private recruitment company", "Research in Practice (RIP), an organisation that ..."
_APPOSITION_CUE = re.compile(r"[,(]\s*an?\s")
_NAMED_APPOSITIVE = re.compile(
    r"(?P<name>\b[A-Z][\w&’'-]*(?:\s+(?:[A-Z][\w&’'-]*|of|in|for|and|the)){0,5}?)\s*(?:\([A-Z][A-Za-z]{1,7}\))?"
    r"\s*(?:,\s*|\(\s*)(?:a|an)\s+(?:[\w-]+\s+){0,3}?(?:company|organisation|organization|charity|provider|"
    r"consultancy|social enterprise|community interest company)\b")


def _split_phrase(doc: Doc, phrase: str, council: str | None) -> list[tuple[str, LeadKind]]:
    """A lead phrase listing several entities ("operational leads, heads of service and ...") gives each.

    Only a list joined by commas or `and` is split: `Principal Social Worker & Service
    Manager for ...` is one joint post.
    """
    names = sorted({_clean(e.text): e for e in spans_of(doc, "entities") if e.label_ in _KIND_OF_LABEL
                    and _clean(e.text) and _clean(e.text) in phrase}.items(), key=lambda kv: phrase.find(kv[0]))
    if len(names) >= 2:
        at, ok = 0, True
        for name, _ in names:
            i = phrase.find(name, at)
            if i < 0 or not re.fullmatch(r"\s*(?:,|and|,\s*and)?\s*(?:the\s+|our\s+)?", phrase[at:i]):
                ok = False
                break
            at = i + len(name)
        if ok and at == len(phrase):
            return [(name, _KIND_OF_LABEL[e.label_]) for name, e in names if not _is_council(name, council)]
    return [(phrase, _kind_of(doc, phrase))]


def _responsible_list(block: Block, sent: Span, ent: Span) -> bool:
    """A list item under a lead-in such as "The key teams which will have responsibility ... include:"."""
    if getattr(block.kind, "value", block.kind) != "list_item":
        return False
    lead_in = (block.heading_path or [""])[-1]
    names_who = re.search(r"\b(teams?|roles?|officers?|partners?|organisations?|people|groups?|boards?|services)\b",
                          lead_in, re.IGNORECASE)
    return bool(names_who and re.search(r"responsib|accountab|lead(?:s|ing)? (?:on|the)|deliver|oversee", lead_in,
                                        re.IGNORECASE))


def _kind_of(doc: Doc, name: str) -> LeadKind:
    for ent in spans_of(doc, "entities"):
        if _clean(span_text(ent)) == name and ent.label_ in _KIND_OF_LABEL:
            return _KIND_OF_LABEL[ent.label_]
    return _kind_of_name(name)


def _kind_of_name(name: str) -> LeadKind:
    """The kind a name's head word gives (`... Board` a team, `... Lead` a role), else an organisation."""
    if re.match(r"(?:Councillor|Cllr\.?|Mr|Mrs|Ms|Miss|Dr)\s", name):
        return LeadKind.PERSON
    if re.search(r"\b(team|board|group|panel|forum|committee)s?$", name, re.IGNORECASE):
        return LeadKind.TEAM
    # a role before a remit that ends in "Services" ("Director Children's Services") is still a role
    if re.search(r"\b(manager|director|officer|lead|worker|practitioner|champion|head)s?\b", name, re.IGNORECASE):
        return LeadKind.ROLE
    if re.search(r"\bservices?$", name, re.IGNORECASE):
        return LeadKind.TEAM
    return LeadKind.ORGANISATION


def _distinct(names: list[tuple[str, LeadKind]], council: str | None, aliases: dict[str, str]) -> list[Lead]:
    """One lead per entity: abbreviations written out, and a name folded into a longer one it ends."""
    by_key: dict[str, tuple[str, LeadKind]] = {}
    for name, kind in names:
        name = expand_abbreviations(name, aliases)
        key = normalise_name(name)
        if key and key not in by_key and not _is_council(name, council):
            by_key[key] = (name, kind)
    keys = sorted(by_key, key=len, reverse=True)
    leads = []
    for key in keys:
        generic = not re.search(r"[A-Z]", by_key[key][0])
        if generic and any(other != key and other.endswith(" " + key) for other in keys):
            continue  # "steering group" is the "multi-agency steering group" named before
        name, kind = by_key[key]
        leads.append(Lead(id=stable_id(council, key), council=council, name=name, kind=kind.value))
    return sorted(leads, key=lambda lead: lead.name.lower())
