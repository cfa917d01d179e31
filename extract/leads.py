"""Leads: who does, leads, delivers, chairs, reviews or governs the work (ANNOTATION.md section 5).

`lead_of` reads one action's lead: an explicit `Lead:` / `Responsible officer:` label, the
agent of `led by / coordinated by / managed by / chaired by / reviewed by X`, or a named
role, team or organisation that is the subject of the sentence. Not the council itself,
not collaborators (`with X`), recipients (`made available to X`) or funders.

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
from extract.nlp import DOMAIN_WORDS as _DOMAIN
from extract.nlp import block_segments, parse, sentences, span_text, spans_of, text_of
from schemas import Action, Block, Lead, LeadKind

__all__ = ["abbreviations_in", "find_leads", "lead_of", "normalise_name"]

_PATTERNS = Path(__file__).parent / "patterns"
_KIND_OF_LABEL = {"ROLE": LeadKind.ROLE, "TEAM": LeadKind.TEAM, "ORG": LeadKind.ORGANISATION}

# Entities that are never leads: funders and regulators (by pattern id), and staff groups
# that a strategy is about rather than who delivers it.
_NOT_LEAD_IDS = {"Department for Education", "Ofsted", "Social Work England", "Community Interest Company"}
_GENERIC = re.compile(
    r"^(?:(?:all|our|the|other|experienced|newly qualified|qualified|agency|frontline|senior|new|individual|"
    r"registered|permanent|local|internal|relevant|key|aspiring|prospective|front line|"
    r"children(?:’s|'s)?|adult|\w+(?:’s|'s))\s+)*"
    r"(?:temporary|regular|weekly|monthly)?\s*(?:social (?:care )?workers?|social care workers?|workers?|staff|practitioners?|managers?|"
    r"students?|trainees?|colleagues|partners|internal partners|professionals|employees|leaders|"
    r"services?|social care services|children(?:’s|'s)? services|children(?:’s|'s)? social care|council|"
    r"local authority|authority|teams?|forums?|groups?|sub-groups?|subgroups?|boards?|directorate|"
    r"department|agency|recruitment agency|recruitment company|company|organisation|partnership|"
    r"the committee|committee|hub|network)$", re.IGNORECASE)
_AUDIENCE = re.compile(r"\bcommittee\b|\bcabinet\b|\bscrutiny\b", re.IGNORECASE)
_DETERMINER = re.compile(r"^(?:the|our|a|an|all|its|their|this|these|each|every|both|new|existing|regular|"
                         r"wider|relevant|dedicated|key)\s+", re.IGNORECASE)
_AGENT_BY = re.compile(
    r"\b(?:led|lead|co-?ordinated|managed|chaired|delivered|facilitated|overseen|run|hosted|reviewed|"
    r"monitored|governed|owned|provided|offered|developed|supported|organised|driven|championed|"
    r"commissioned|introduced|established|designed|produced|undertaken)"
    r"(?:/\w+)*\s+(?:jointly\s+)?by\s+(?:the\s+|our\s+)?", re.IGNORECASE)
_THROUGH = re.compile(r"\b(?:through|via)\s+(?:the\s+|our\s+)", re.IGNORECASE)
_LABEL = re.compile(r"(?:^|\n|\s)(?:lead(?: officer| person| service| agency)?|responsible(?: officer| person| lead)?|"
                    r"owner|accountable(?: officer)?|led by)(?:\s*[:|]|\s+[–-]\s)\s*(?P<who>[^:|\n;]+?)(?=\s*(?:$|[\n;|]|(?:"
                    r"timescale|by when|deadline|due|target date|when)\b))", re.IGNORECASE)
# After a subject, these passives make it a recipient ("have been enrolled on", "been made available to").
_RECIPIENT_VERB = re.compile(r"^\s*(?:\w+ly\s+)?(?:has|have|had|was|were|are|is|will be)\s+(?:all\s+)?"
                             r"(?:been\s+)?(?:enrolled|trained|invited|offered|given|provided|asked|recruited|appointed|"
                             r"placed|encouraged|supported|made|able|expected|required|signed|registered)\b",
                             re.IGNORECASE)
_NOT_VERB = re.compile(r"^\s*(?:(?:of|for|in|to|and|or|with|on|at|from|by|as|meetings?|post|role|sessions?|"
                       r"programme|forums?|events?|model|offer)\b|'s|’s|[,.;:()])", re.IGNORECASE)
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
    table = dict(_abbreviation_table())
    table.update(aliases or {})
    stripped = re.sub(r"[’']s$", "s", name.strip())
    if stripped in table:
        return table[stripped]
    if name.strip() in table:
        return table[name.strip()]
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


_NAME_RUN = re.compile(r"\b[A-Z][\w’'&-]*(?:\s+(?:(?:and|of|for|in|the)\s+)?[A-Z][\w’'&-]*){2,7}")


def _spelled_out(text: str, known: dict[str, str]) -> dict[str, str]:
    """Acronyms the text uses without defining, matched to a name it prints in full whose
    initials spell them ("the WSCP" and "Wirral Safeguarding Children Partnership")."""
    acronyms = set(re.findall(r"\b([A-Z]{3,6})\b", text)) - set(known)
    if not acronyms:
        return {}
    names: dict[str, set[str]] = {}
    for m in _NAME_RUN.finditer(text):
        words = [w for w in m.group(0).split() if w[:1].isupper()]
        for first in range(len(words) - 2):  # a run may carry words before the name ("In Wirral ...")
            names.setdefault("".join(w[0] for w in words[first:]), set()).add(m.group(0))
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
    low = re.sub(r"\s+", " ", name.lower().replace("’", "'"))
    # A council's own department ("Northshire Children's Services") is the council itself.
    if re.search(r"children ?'s (services|social care)$|^council\b|\bcouncil (and|service)", low) and \
            not re.search(r"\b(director|manager|head|lead|officer|team|board)s?\b", low):
        return True
    if council and council.lower() in low and not re.search(r"partnership|board|panel|group|centre|university|"
                                                            r"college|team", low):
        return True
    return bool(re.fullmatch(r"(the )?(council|local authority|we|us)", low))


@lru_cache(maxsize=4096)
def _clean(span_text: str) -> str:
    text = " ".join(span_text.split())
    text = _DETERMINER.sub("", text)
    text = re.sub(r"^(?:regular|new|existing)\s+", "", text, flags=re.IGNORECASE)
    return text.strip(" ,.;:()")


def _acceptable(ent: Span, council: str | None) -> bool:
    if ent.label_ not in _KIND_OF_LABEL or ent.id_ in _NOT_LEAD_IDS:
        return False
    name = _clean(span_text(ent))
    if not name or _GENERIC.match(name) or _is_council(name, council) or _AUDIENCE.search(name):
        return False
    first = name.split()[0].lower()
    if first in _NOT_NAME_START or (ent.label_ == "ROLE" and re.search(r"(ing|tion|ment)$", first)):
        return False  # "training and development of social workers", "Number of agency ..."
    # A name that runs on into a capitalised word is part of a longer name ("CSC Service Improvement Plan").
    return not re.match(r"\s+[A-Z][a-z]", text_of(ent.doc)[ent.end_char:ent.end_char + 3])


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
        nlp: the pipeline from `extract.nlp.build_nlp()`.
        council: the council's name, never its own lead.
        aliases: the document's abbreviations (`abbreviations_in`), to write `WSCP` in full.
    """
    label = _LABEL.search(text)
    if label:
        return _clean(label.group("who")) or None
    doc = parse(nlp, text)
    if not _may_name_a_lead(doc, aliases or {}):
        return None
    for finder in (_appositive_subject, _subject_lead, _by_lead, _appointee_lead, _through_lead):
        for sent in sentences(doc):
            found = finder(sent, council, aliases)
            if found:
                return expand_abbreviations(found, aliases)
    return None


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
        if _NOT_VERB.match(after) or _RECIPIENT_VERB.match(after) or not re.match(r"\s+[a-z]", after):
            return None
        return _clean(span_text(ent))
    return _acronym_subject(sent, aliases or {})


# "In September 2023 the WSCP introduced ...": an acronym the document defined elsewhere.
_ACRONYM_SUBJECT = re.compile(r"(?P<abbr>\b[A-Z][A-Z&]{1,6}\b)(?=\s+(?:\w+ly\s+)?(?:has|have|had|is|are|was|were|will|"
                              r"shall|\w+ed|\w+s)\b)")


def _acronym_subject(sent: Span, aliases: dict[str, str]) -> str | None:
    """Only an acronym the document spells out counts ("The SWAT survey has closed" is not a lead)."""
    if not aliases:
        return None
    m = _ACRONYM_SUBJECT.search(span_text(sent))
    if m is None or m.group("abbr") not in aliases or not _FRONTED.match(span_text(sent)[:m.start()]):
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
        if re.match(r"(?:the\s+)?(?:department for education|dfe|ofsted)\b", text_of(doc)[at:], re.IGNORECASE):
            continue
        agents = _entity_list(doc, at, sent.end_char, council)
        if agents:
            return agents
        proper = re.match(r"((?:[A-Z][\w’'&-]*)(?:\s+(?:[A-Z][\w’'&-]*|and|of|for))*)", text_of(doc)[at:sent.end_char])
        if proper and not _is_council(proper.group(1), council):
            return proper.group(1).strip()
    return None


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
    if not _entities(doc, sent.start_char, sent.end_char):
        return None
    for m in _THROUGH.finditer(span_text(sent)):
        at = sent.start_char + m.end()
        ent = next((e for e in _entities(doc, at, at + 1)), None)
        if ent is not None and ent.label_ in _KIND_OF_LABEL and _acceptable_loose(ent, council):
            return _clean(span_text(ent))
    return None


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
        nlp: the pipeline from `extract.nlp.build_nlp()`.
        council: the council, which is never its own lead; lead ids are stable per council.
    """
    aliases = abbreviations_in(" ".join(b.text for b in blocks))
    names: list[tuple[str, LeadKind]] = []
    for action in actions:
        if action.lead:
            names.extend(_split_lead(action.lead, nlp, council))
    for block in blocks:
        for _, text in block_segments(block):
            doc = parse(nlp, text)
            if not _may_name_a_lead(doc, aliases):
                continue
            for sent in sentences(doc):
                names.extend(_sentence_leads(sent, council, block, aliases))
    return _distinct(names, council, aliases)


def _may_name_a_lead(doc: Doc, aliases: dict[str, str]) -> bool:
    """Whether any of `_sentence_leads`' finders could find a name in the passage: it names an
    entity, or holds a word one of the finders that need no entity looks for."""
    if spans_of(doc, "entities"):
        return True
    text = text_of(doc)
    lowered = text.lower()
    return any(word in lowered for word in ("by", "with", "appointment", "recruitment")) or \
        _APPOSITION_CUE.search(text) is not None or (bool(aliases) and _ACRONYM_SUBJECT.search(text) is not None)


def _split_lead(lead: str, nlp: Language, council: str | None) -> list[tuple[str, LeadKind]]:
    name = _clean(lead)
    if not name or _is_council(name, council):
        return []
    return _split_phrase(parse(nlp, name), name, council)


def _sentence_leads(sent: Span, council: str | None, block: Block,
                    aliases: dict[str, str] | None = None) -> list[tuple[str, LeadKind]]:
    """Entities a sentence shows doing, leading, chairing or governing work, or working with us on it."""
    doc, found = sent.doc, []
    for finder in (_subject_lead, _by_lead, _appointee_lead, _through_lead):
        name = finder(sent, council, aliases)
        if name:
            found.extend(_split_phrase(doc, name, council))
    for m in _NAMED_APPOSITIVE.finditer(span_text(sent)) if _APPOSITION_CUE.search(span_text(sent)) else ():
        if not _is_council(m.group("name"), council):
            found.append((m.group("name"), LeadKind.ORGANISATION))
    covered = [(span_text(sent).find(n), span_text(sent).find(n) + len(n)) for n, _ in found if n in span_text(sent)]
    for ent in _entities(doc, sent.start_char, sent.end_char):
        at = ent.start_char - sent.start_char
        if not _acceptable(ent, council) or any(s <= at < e and (s, e) != (at, at + len(span_text(ent)))
                                                 for s, e in covered):
            continue
        before = text_of(doc)[max(sent.start_char, ent.start_char - 40):ent.start_char]
        after = text_of(doc)[ent.end_char:ent.end_char + 60]
        named_body = ent.label_ == "TEAM" and re.search(r"\b(board|sub-?group|panel|steering group|partnership)$",
                                                        span_text(ent), re.IGNORECASE) and span_text(ent)[:1].isupper()
        if named_body or _responsible_list(block, sent, ent) or \
                (_COLLABORATE.search(before) and re.search(r"[A-Z]", span_text(ent))) or _APPOSITIVE.match(after) or \
                re.match(r"\s*(?:'s|’s)?\s*(?:role|responsibility)\b", after) or \
                re.match(r"\s+(?:meetings?|forums?|groups?),?\s+(?:which|that|who)\s+(?:have|has)\s+\w+ed\b", after) or \
                re.search(r"\b(?:priority for|role of) (?:the\s+|our\s+)?$", before):
            found.append((_clean(span_text(ent)), _KIND_OF_LABEL[ent.label_]))
    lowered = span_text(sent).lower()
    for m in _PERSON.finditer(span_text(sent)) if "with" in lowered or "by" in lowered else ():
        name = m.group("name")
        if not spans_of(doc, "entities") or not any(e.start_char <= sent.start_char + m.start("name") < e.end_char
                                                for e in spans_of(doc, "entities")):
            if not any(w.lower() in _NOT_PERSON_WORDS or w.lower() in _DOMAIN for w in name.split()):
                found.append((name, LeadKind.PERSON))
    return found


_NOT_PERSON_WORDS = {"the", "our", "this", "these", "all", "higher", "further", "national", "regional", "local",
                     "institute", "institutes", "schools", "colleges", "universities", "providers", "authorities"}
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
    if re.search(r"\b(team|board|group|panel|forum|committee|service)s?$", name, re.IGNORECASE):
        return LeadKind.TEAM
    if re.search(r"\b(manager|director|officer|lead|worker|practitioner|champion|head)s?\b", name, re.IGNORECASE):
        return LeadKind.ROLE
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
