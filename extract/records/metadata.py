"""Document metadata (council, title, doc_type, strategy, published) from the document's own words.

Every field comes from evidence printed in the document (its text, its blocks, its running
headers, the PDF's info dictionary) and is None where the document does not say. The council
alone has a last resort: where the text names none, the council of the document's source, read
from a council web site's host (`democracy.<council>.gov.uk`) or else from the file name
(`07_west-berkshire_...`). Councils are recognised from a shipped list of every English local
authority (`data/councils.json`); no council or document phrase is written into the rules here.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Iterable, Sequence
from urllib.parse import urlparse

from extract.language.alternation import alternation
from extract.language.dates import DateMention, find_dated, may_hold_year
from extract.language.numbers import folded, has_word, leading_words, matches_at, search_from_word, word_starts
from extract.records.priorities import priority_number
from schemas import Block, BlockKind, DocType

__all__ = [
    "Council", "DocumentMetadata", "document_metadata", "councils", "council_scores",
    "find_council", "council_of_source", "find_title", "find_doc_type", "find_strategy", "find_published",
]

_DATA = Path(__file__).parent.parent / "data" / "councils.json"


@dataclass(frozen=True)
class DocumentMetadata:
    """What a document says about itself; field names are `documents` columns."""

    council: str | None
    title: str | None
    doc_type: str
    strategy: str | None
    published: str | None


@dataclass(frozen=True)
class Council:
    """One local authority of the shipped list."""

    name: str
    kind: str
    bare: bool = True  # False: the name alone is a common word or another place
    aliases: tuple[str, ...] = ()
    formal_aliases: tuple[str, ...] = ()  # count only in a council form ("Newcastle City Council")
    abolished: int | None = None


def document_metadata(text: str, blocks: list[Block] | None = None, pdf_info: dict | None = None,
                      running_headers: Iterable[str] | None = None, source: str | None = None,
                      publisher: str | None = None) -> DocumentMetadata:
    """Recognise a document's council, title, type, strategy and publication date.

    Args:
        text: the document's full text (its blocks joined by blank lines).
        blocks: its layout blocks in reading order; without them the text is split on blank lines.
        pdf_info: the PDF's info dictionary (`Title`, `Author`), if any.
        running_headers: lines removed as running headers or footers, which often carry
            the version date (`Workforce Strategy – version 2 – January 2022`). They may also
            be passed as `pdf_info["running_headers"]`.
        source: where the document came from, a URL or a file path: the council's last resort.
        publisher: the council whose site published the document, when the caller knows it.
    Returns:
        A DocumentMetadata whose fields are None where the document does not say.
    """
    pdf_info = pdf_info or {}
    headers = [h for h in (running_headers or pdf_info.get("running_headers") or []) if h]
    blocks = blocks if blocks is not None else _text_blocks(text)
    title = find_title(text, blocks, pdf_info, headers)
    doc_type = find_doc_type(text, title)
    return DocumentMetadata(
        council=find_council(text, title=title, pdf_info=pdf_info, source=source, publisher=publisher),
        title=title,
        doc_type=doc_type,
        strategy=find_strategy(blocks, title),
        published=find_published(text, blocks, headers, is_strategy=doc_type == DocType.STRATEGY.value),
    )


def _text_blocks(text: str) -> list[Block]:
    """Paragraphs split on blank lines: the stand-in for blocks when none are given."""
    out = []
    for part in re.split(r"\n\s*\n", text):
        if part.strip():
            out.append(Block(kind=BlockKind.PARAGRAPH, text=part.strip(), page=1))
    return out


def _squash(text: str) -> str:
    return " ".join(text.split())  # (what `re.sub(r"\s+", " ", text).strip()` gives, at a third of the cost)


def _plain(text: str) -> str:
    """Apostrophes and dashes made plain, so one pattern serves every typography."""
    text = re.sub(r"[\u2018\u2019\u02bc`]", "'", text)
    return re.sub(r"[\u2013\u2014]", "-", text)


# --------------------------------------------------------------------------- councils

@lru_cache(maxsize=1)
def councils() -> tuple[Council, ...]:
    """The shipped list of English local authorities (current and recently abolished)."""
    rows = json.loads(_DATA.read_text(encoding="utf-8"))["councils"]
    return tuple(Council(name=r["name"], kind=r["kind"], bare=r.get("bare", True),
                         aliases=tuple(r.get("aliases", ())), formal_aliases=tuple(r.get("formal_aliases", ())),
                         abolished=r.get("abolished")) for r in rows)


def _variants(form: str) -> set[str]:
    """The ways a name is printed: `and`/`&`, hyphens or spaces, `St`/`St.`, curly apostrophes."""
    out = {form, form.replace(" and ", " & "), form.replace("-", " "), form.replace("'", "\u2019")}
    return out | {v.replace("St ", "St. ") for v in out if v.startswith("St ")}


@lru_cache(maxsize=1)
def _council_index() -> tuple[re.Pattern[str], dict[str, tuple[Council, bool]]]:
    """One pattern over every printed form; form (lower case) -> (council, counts only when formal)."""
    forms: dict[str, tuple[Council, bool]] = {}
    for council in councils():
        for form, formal_only in ([(council.name, not council.bare)] + [(a, False) for a in council.aliases]
                                  + [(a, True) for a in council.formal_aliases]):
            for variant in _variants(form):
                forms.setdefault(variant.lower(), (council, formal_only))
    # A name starts with a capital ("reading", "bury" are words, not places); a hyphen on either
    # side makes it part of a longer place name (Sutton-in-Ashfield). Only the name is caseless
    # (SEFTON), so the alternation is tried at capitals only.
    return re.compile(rf"(?<![\w-])(?=[A-Z])(?i:{alternation(forms)})(?![\w-]|['\u2019]\w\w)"), forms


_FORMAL_AFTER = re.compile(
    r"\s+(?:(?:City|County|County\s+Borough|Borough|Metropolitan\s+Borough|Metropolitan\s+District|District|"
    r"Unitary|Town)\s+)?Council\b|\s+(?:M\.?B\.?C|MDC|LBC|Corporation)\b", re.IGNORECASE)
_FORMAL_BEFORE = re.compile(
    r"\b(?:(?:London|Royal|Metropolitan)\s+)?(?:Borough|City|County|Council|Corporation)\s+of\s+(?:the\s+)?$",
    re.IGNORECASE)
# "Suffolk County Council (SCC)": the paper goes on to name the council by its capitals alone.
_ABBREVIATION_DEFINED = re.compile(f"(?:{_FORMAL_AFTER.pattern})" + r"\s*\(\s*(?P<abbr>[A-Z][A-Za-z&]{0,5}[A-Z])\s*\)",
                                   re.IGNORECASE)
_POSSESSIVE_AFTER = re.compile(r"['\u2019\u02bc]s\b")
# A place name inside another institution's or area's name says nothing about the council.
_NOT_COUNCIL_AFTER = re.compile(
    r"\s+(?:University|College|Hospital|Airport|Cathedral|Football|City\s+Region|Combined\s+Authority|Street|"
    r"Road|Metropolitan\s+University)\b", re.IGNORECASE)
_NOT_COUNCIL_BEFORE = re.compile(r"\b(?:Greater|New|University\s+of|Duke\s+of|Bishop\s+of)\s+$", re.IGNORECASE)

# How much one mention weighs: a council form names the body itself; a possessive ("Sefton's")
# speaks as or of it; a bare place name may be only geography.
_WEIGHT = {"formal": 3.0, "possessive": 2.0, "bare": 1.0}
# District and abolished councils' names are mostly towns mentioned by the county around them.
_MINOR_BARE = 0.5
_HEAD_CHARS = 2000  # about the first page: masthead, title, summary
_HEAD_FACTOR = 2.0
_TITLE_FACTOR = 3.0
_LIST_FACTOR = 0.5  # a sentence naming several councils lists partners, not the subject
_MIN_SCORE = 3.0  # one council form, or a place named more than in passing


def _mention_kind(text: str, start: int, end: int) -> str | None:
    after, before = text[end:end + 60], text[max(0, start - 40):start]
    if _FORMAL_AFTER.match(after) or _FORMAL_BEFORE.search(before):
        return "formal"
    if _NOT_COUNCIL_AFTER.match(after) or _NOT_COUNCIL_BEFORE.search(before):
        return None
    if _POSSESSIVE_AFTER.match(after):
        return "possessive"
    return "bare"


def _mentions(text: str) -> list[tuple[Council, str, int]]:
    """(council, formal/possessive/bare, offset) for each mention a reader would take as a council,
    its defined abbreviation's uses included."""
    pattern, forms = _council_index()
    found = []
    defined: dict[str, tuple[Council, int]] = {}
    for m in pattern.finditer(text):
        council, formal_only = forms[m.group(0).lower()]
        kind = _mention_kind(text, m.start(), m.end())
        if kind is None or (formal_only and kind != "formal"):
            continue
        found.append((council, kind, m.start()))
        abbreviation = _ABBREVIATION_DEFINED.match(text, m.end()) if kind == "formal" else None
        if abbreviation:
            defined.setdefault(abbreviation.group("abbr"), (council, abbreviation.end()))
    for abbr, (council, defined_at) in defined.items():
        for use in re.finditer(rf"(?<![\w-]){re.escape(abbr)}(?![\w-])", text[defined_at:]):
            found.append((council, "formal", defined_at + use.start()))
    return sorted(found, key=lambda mention: mention[2])


def _weight(council: Council, kind: str) -> float:
    weight = _WEIGHT[kind]
    if kind == "bare" and (council.kind == "district" or council.abolished):
        weight *= _MINOR_BARE
    return weight


# A sentence's end in whitespace-squashed text (which holds no blank line): one character, so
# a search from any offset finds the ends after it that a search from the start finds.
_SENTENCE_END = re.compile(r"[.;!?](?=\s)")


def _by_sentence(text: str, mentions: list[tuple[Council, str, int]]) -> list[list[tuple[Council, str, int]]]:
    """Mentions (in text order) grouped by the sentence of squashed `text` they are in, the ends
    looked for only between one mention and the next (most sentences name no council)."""
    groups: list[list[tuple[Council, str, int]]] = []
    for mention in mentions:
        if groups:
            end = _SENTENCE_END.search(text, groups[-1][-1][2])
            if not end or end.end() > mention[2]:
                groups[-1].append(mention)
                continue
        groups.append([mention])
    return groups


def council_scores(text: str, title: str | None = None, pdf_info: dict | None = None) -> Counter[str]:
    """Evidence for each council named in the document: weighted mentions, heavier in the head and title."""
    return _evidence(_squash(text), title, pdf_info)[0]


def _evidence(text: str, title: str | None, pdf_info: dict | None) -> tuple[Counter[str], dict[str, int]]:
    """(score per council, offset of its first mention) over whitespace-squashed text."""
    scores: Counter[str] = Counter()
    first: dict[str, int] = {}
    for inside in _by_sentence(text, _mentions(text)):
        factor = _LIST_FACTOR if len({c.name for c, _, _ in inside}) > 1 else 1.0
        for council, kind, at in inside:
            head = _HEAD_FACTOR if at < _HEAD_CHARS else 1.0
            scores[council.name] += _weight(council, kind) * factor * head
            first[council.name] = min(at, first.get(council.name, at))
    for source in (title, (pdf_info or {}).get("Title"), (pdf_info or {}).get("Author")):
        for council, kind, _ in _mentions(str(source or "")):
            scores[council.name] += _weight(council, kind) * _TITLE_FACTOR
            first.setdefault(council.name, len(text))
    return scores, first


def find_council(text: str, title: str | None = None, pdf_info: dict | None = None,
                 source: str | None = None, publisher: str | None = None) -> str | None:
    """The council the document is by or about: the best-evidenced one (first named on a tie); where
    the text names none, the council that published it (`publisher`, known to whoever fetched it
    from that council's site) or that its source names; else None.

    The publisher or source also settles a text that names several councils (partners,
    neighbours): a paper on a council's own site, or filed under its name, is that council's
    when the text names it too.
    """
    scores, first = _evidence(_squash(text), title, pdf_info)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], first[kv[0]]))
    by_source = publisher or council_of_source(source)
    if by_source and scores.get(by_source):
        return by_source
    if ranked and ranked[0][1] >= _MIN_SCORE:
        return ranked[0][0]
    return by_source


_WORD_SEPARATORS = re.compile(r"[-_.\s]+")


@lru_cache(maxsize=1)
def _slug_index() -> dict[str, Council]:
    """Each printed form of each council as a slug (`westberkshire`): how hosts and file names spell it."""
    index: dict[str, Council] = {}
    for council in councils():
        for form in (council.name, *council.aliases, *council.formal_aliases):
            for variant in _variants(form) | {form.replace(" and ", " ")}:
                index.setdefault(_slug(variant), council)
    return index


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower().replace("&", "and"))


def council_of_source(source: str | None) -> str | None:
    """The council a source names: a URL's host label (`cms.wiltshire.gov.uk`, `bradford.moderngov.co.uk`;
    the path is ignored, since it names topics), else a file name's part (`01_durham_...`)."""
    if not source:
        return None
    host = urlparse(source).hostname if re.match(r"[a-z][a-z0-9+.-]*://", source, re.IGNORECASE) else None
    if host:
        return _council_of_host(host)
    return _council_of_file_name(Path(source).stem)


def _council_of_host(host: str) -> str | None:
    index = _slug_index()
    for label in host.lower().split("."):
        council = index.get(_slug(label)) or index.get(_slug(re.sub(r"-?council$", "", label)))
        if council:
            return council.name
    return None


_MAX_NAME_WORDS = 5  # "Bath and North East Somerset"


def _council_of_file_name(stem: str) -> str | None:
    """A whole `_`-separated part that is a council's name (`west-berkshire`), else the first run of
    words in the name that is one, if the name is no common word (`bare`): `reading` in
    `reading-list` is not Reading."""
    index = _slug_index()
    for part in stem.split("_"):
        council = index.get(_slug(part))
        if council:
            return council.name
    words = [w for w in _WORD_SEPARATORS.split(stem) if w]
    for start in range(len(words)):
        for end in range(min(len(words), start + _MAX_NAME_WORDS), start, -1):
            council = index.get(_slug("".join(words[start:end])))
            if council and council.bare:
                return council.name
    return None


# --------------------------------------------------------------------------- title

_TITLE_FIELD = re.compile(
    r"(?:(?:^|\n|\s)(?i:report\s+title|title\s+of\s+(?:the\s+)?report|report\s+name|subject)"
    # A bare "Title:" only opening its line: inside one it is a person's ("Job title:").
    r"|(?:^|\n)[ \t]*(?i:title))[ \t]*[:|\t][ \t|]*"
    # The value ends at the line's end or, where the masthead's lines were joined, at the next
    # capitalised field label (REPORT OF:).
    r"(?P<title>[^\n]+?)(?=\s+[A-Z]{2,}(?:[ /][A-Z]{2,}){0,3}\s*:|[ \t]*\n|[ \t]*$)")
# Section labels that open a document without being its title.
_SECTION_LABEL = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:purpose|contents|table of contents|introduction|foreword|preface|summary|"
    r"report summary|executive summary|background|recommendations?|overview|context|vision|scope|"
    r"supporting information|key decision|appendices)\b", re.IGNORECASE)
# Masthead fields ("Report to:", "Wards affected:", "Key Decision:"), told from a title with a
# colon ("Growing our own: ...") by the label's last word.
_FIELD_LINE = re.compile(
    r"^(?:[A-Z][A-Za-z /&'()]{0,40}\b)?(?:to|of|by|from|date|decision|wards?|ward\(s\)|affected|author|officer|contact|"
    r"meeting|member|portfolio|classification|status|item|number|ref|reference|subject|directorate|service|maker|taker|"
    r"version)\s*[:\t]\s*\S"
    # a question with its answer ("Is Key decision?: No")
    r"|^[^:?]{1,60}\?\s*:\s*\S", re.IGNORECASE)
# A council web page's own headings and a paper's access status, printed above its title.
_PAGE_FURNITURE = re.compile(
    r"^(?:(?:decision|issue|meeting)\s+details|issue\s*-\s*meetings|minute\s+item|agenda\s+item|"
    r"part\s+(?:[12]|i{1,2})\b\W*(?:open|public|exempt|confidential|not\s+for\s+publication)\b.*)$", re.IGNORECASE)
_MEETING_LINE = re.compile(r"\b(?:committee|cabinet|board|panel|council\s+meeting|scrutiny|commission)\s*$",
                           re.IGNORECASE)
_REPORT_FIELD = re.compile(
    r"^(?:report\s+(?:of|to|by|from|author)|prepared\s+by|author|agenda\s+item|lead\s+officer)\b", re.IGNORECASE)
_FILE_LIKE = re.compile(r"\.(?:docx?|pdf|pptx?|xlsx?|rtf|odt)\b|^microsoft\s+\w+\s+-|^untitled|[\\/_]", re.IGNORECASE)
_MAX_TITLE_CHARS = 150
_MAX_TITLE_PARTS = 3
_TITLE_SEARCH_BLOCKS = 12


def find_title(text: str, blocks: Sequence[Block], pdf_info: dict | None = None,
               running_headers: Iterable[str] = ()) -> str | None:
    """The title as printed: a `REPORT TITLE:` field, else the heading that opens the document, else the PDF's."""
    field = _TITLE_FIELD.search(text[:_HEAD_CHARS * 2])
    if field and len(_squash(field.group("title"))) > 3:
        return _squash(field.group("title").replace("\t", " ").strip(" |"))
    printed = _leading_title(blocks, _repeated_lines(text) | {_squash(h) for h in running_headers})
    info_title = _pdf_title(pdf_info or {})
    if printed and info_title and _plain(info_title).lower().startswith(_plain(printed).lower()):
        return info_title  # the printed title wrapped onto a line the layout joined to the next heading
    return printed or info_title


def _leading_title(blocks: Sequence[Block], skip: frozenset[str]) -> str | None:
    """The run of short heading-like blocks before the body starts, joined (a title may wrap)."""
    parts: list[str] = []
    for block in blocks[:_TITLE_SEARCH_BLOCKS]:
        line = _squash(block.text)
        # A text dump may run the title on into the masthead field under it ("... Progress
        # Report Report to Cabinet Panel – 14 March 2024", "... Tracker Updated: 28 May 2024"):
        # the field ends the title.
        title_part, field = _FIELD_AFTER_TITLE.split(line, maxsplit=1)[0], _FIELD_AFTER_TITLE.search(line)
        if line in skip or _is_masthead_noise(title_part):
            if parts:
                break
            continue
        if not _looks_like_title(block, title_part) or priority_number(title_part):
            break  # "Priority 1: ..." opens the body
        parts.append(title_part)
        if field:
            break
        # A title ends at its period or year; a wrapped one goes on ("... Workforce" / "Strategy 2021-23").
        if len(parts) == _MAX_TITLE_PARTS or re.search(r"(?:19|20)\d{2}(?:[-/\u2013]\d{2})?\)?$", line):
            break
    title = " ".join(parts)
    return title if parts and len(title) <= _MAX_TITLE_CHARS else None


_FIELD_AFTER_TITLE = re.compile(r"\s+(?=(?:Report\s+(?:to|of|by|from)|Date(?:\s+of\s+meeting)?\s*:|Meeting\s*:|"
                                r"(?:Last\s+)?(?:Updated|Revised|Refreshed)\s*:)\s)")


def _is_masthead_noise(line: str) -> bool:
    """Lines around a title that are not it: dates, page numbers, meeting names, labelled fields, a council's name."""
    # A meeting's name ("Children and Families Committee"), but not a title that ends with the
    # meeting it is for ("Workforce Action Plan: Update for Children and Families Committee").
    meeting = _MEETING_LINE.search(_without_closing_date(line)) and ":" not in line
    if not line or re.fullmatch(r"(?:page\s*)?\d{1,3}", line, re.IGNORECASE) or meeting or _PAGE_FURNITURE.match(line):
        return True
    if _FIELD_LINE.match(line) or _REPORT_FIELD.match(line) or _whole_date(line) or _version_date([line]):
        return True
    mentions = _mentions(line)
    return len(mentions) == 1 and mentions[0][1] == "formal" and len(line) < 60 and _council_only(line)


def _without_closing_date(line: str) -> str:
    """The line before the date it closes with (`Scrutiny Committee, 14 September 2023`: the meeting)."""
    dates = [d for d in _line_dates(line) if d.kind == "date"] if _closing_date(line) else []
    return line[:dates[-1].start].rstrip(" ,-\u2013\u2014") if dates else line


_COUNCIL_WORDS = re.compile(r"\b(?:the|of|city|county|borough|metropolitan|district|london|royal|council)\b|[\s,&]",
                            re.IGNORECASE)


def _council_only(line: str) -> bool:
    """A line that is nothing but a council's name (`Kent County Council`): a masthead, not a title."""
    pattern, _ = _council_index()
    return not _COUNCIL_WORDS.sub("", pattern.sub("", line))


def _looks_like_title(block: Block, line: str) -> bool:
    if block.kind in (BlockKind.LIST_ITEM, BlockKind.TABLE) or len(line) > 100:
        return False
    if _SECTION_LABEL.match(line) or line.endswith((":", ".", ";", ",")):
        return False
    return bool(re.search(r"[A-Za-z]{3}", line)) and not re.match(r"^\d+(?:\.\d+)*\s", line)


@lru_cache(maxsize=8)
def _repeated_lines(text: str) -> frozenset[str]:
    """Long lines printed three or more times: running headers left in the text. (Kept: the title
    and the version date both read them.)"""
    # (A line shorter than a long one is no long one squashed: squashing only shortens.)
    counts = Counter(_squash(line) for line in text.splitlines() if len(line) >= _REPEATED_CHARS)
    return frozenset(line for line, n in counts.items() if n >= 3 and len(line) >= _REPEATED_CHARS)


_REPEATED_CHARS = 20


def _pdf_title(pdf_info: dict) -> str | None:
    """The PDF info title when it is a real title, not a file name or a word processor's default."""
    title = _squash(str(pdf_info.get("Title") or ""))
    if len(title) < 4 or _FILE_LIKE.search(title) or not re.search(r"[A-Za-z]{3,}\s+[A-Za-z]", title):
        return None
    return title


# --------------------------------------------------------------------------- doc_type

# Each cue is a part of the standard committee-report template; three distinct ones make a report.
# Each comes with the words (any of them) it cannot match without, as whole words: most papers
# hold few of the cues, and looking the words up in the lower-cased text is many times faster than
# a caseless search, which the regex engine starts afresh at every offset of the text. A cue that
# opens on a word is then tried only where that word is (`search_from_word`).
_COMMITTEE_CUES = [(words, cue, leading_words(cue)) for words, cue in (
    (frozenset(words.split()), re.compile(p, re.IGNORECASE | re.MULTILINE)) for words, p in (
    ("summary", r"\breport\s+summary\b"), ("recommendation recommendations", r"^\s*recommendations?\b"),
    ("report", r"\breport\s+of\s*[:\t]"), ("title", r"\breport\s+title\s*[:\t]"),
    ("decision", r"\bkey\s+decision\b"), ("affected", r"\bwards?\s+affected\b"),
    ("background", r"\bbackground\s+papers\b"), ("supporting", r"\bsupporting\s+information\b"),
    ("financial", r"\bfinancial\s+implications\b"), ("legal", r"\blegal\s+implications\b"),
    ("equality", r"\bequality\s+implications\b"), ("author", r"\breport\s+author\b"),
    ("contact", r"\bcontact\s+officer\b"),
    ("recommended asked requested", r"\bis\s+(?:recommended|asked|requested)\s+to\b"),
    ("agenda", r"\bagenda\s+item\b"), ("exempt", r"\bexempt\s+information\b"),
    ("meeting", r"\b(?:date\s+of\s+meeting|meeting\s+date)\b"),
    ("purpose", r"\bpurpose\s+of\s+(?:the|this)\s+report\b"), ("reason reasons", r"\breason/?s?\s+for\s+recommendation"),
    ("report", r"^\s*report\s+(?:of|to|by|from)\b"),
    ("report", r"\b(?:this|the)\s+report\s+(?:presents|sets\s+out|provides|updates|seeks|asks)\b"),
    # a meeting's name on one of the first lines: "CABINET", "Children and Families Scrutiny Committee"
    ("committee cabinet scrutiny commission",
     r"\A\s*(?:\S[^\n]{0,80}\n\s*){0,2}[^\n]*\b(?:committee|cabinet|scrutiny|commission)[ \t]*\n"),
))]
_COMMITTEE_SURE = 3
_COMMITTEE_LIKELY = 2
_PROGRESS = re.compile(r"\bprogress\b|\bupdates?\b|\bhighlight\s+report\b", re.IGNORECASE)
_ACTION_PLAN = re.compile(r"\b(?:action|delivery|implementation)\s+plan\b", re.IGNORECASE)
# "An action plan has been developed" names some other paper, not this one.
_OWN_ACTION_PLAN = re.compile(r"(?<!\ban\s)(?<!\bAn\s)\b(?:action|delivery|implementation)\s+plan\b", re.IGNORECASE)
# A stand-alone tracker: titled so, or opening on its column names, one a cell or a line
# ("Recommendation | Action | By whom | By when | Progress | RAG"); four in a row are no sentence.
_TRACKER_TITLE = re.compile(r"\btracker\b", re.IGNORECASE)
_TRACKER_COLUMN = (r"(?:recommendations?|actions?(?:\s+(?:taken|required))?|by\s+whom|by\s+when|lead(?:\s+officer)?|"
                   r"owner|timescales?|deadline|(?:due|target)\s+date|progress(?:\s+update)?|status|"
                   r"rag(?:\s+(?:rating|status))?|comments?)")
_TRACKER_COLUMNS = re.compile(rf"^[ \t|]*{_TRACKER_COLUMN}(?:[\s|]+{_TRACKER_COLUMN}){{3,}}[ \t|]*$",
                              re.IGNORECASE | re.MULTILINE)
_STRATEGY = re.compile(r"\bstrateg(?:y|ies)\b", re.IGNORECASE)
_SELF_STRATEGY = re.compile(r"\b(?:this|our)\s+(?:\w+\s+){0,3}?strategy\b", re.IGNORECASE)
_HEAD_PROGRESS = re.compile(r"\bprogress\s+(?:update|report)s?\b", re.IGNORECASE)


# A record of a meeting or of a body's decision (ModernGov's pages, minutes): one such line makes a
# committee report, whatever the item is about.
# (Each with where its matches start: `search_from_word`.)
_MEETING_RECORD_CUES = [(cue, leading_words(cue)) for cue in (re.compile(p, re.IGNORECASE | re.MULTILINE) for p in (
    r"^[ \t]*agenda\s+item\b", r"^[ \t]*minutes\s*(?::|[-\u2013\u2014]\s*\d)", r"^[ \t]*issue\s+-\s+(?:meetings|decisions)\b",
    r"\bconsideration\s+was\s+given\s+to\s+(?:a|the)\s+(?:[\w'-]+\s+){0,3}?(?:report|presentation)\b",
    r"^[ \t]*meeting\s*:\s*\d{1,2}/\d{1,2}/\d{4}", r"\breport\s+to\s+be\s+considered\s+by\b",
    r"\b(?:date\s+of\s+(?:the\s+)?meeting|meeting\s+date)\b", r"(?-i:\bRESOLVED\b)",
    r"\bthe\s+(?:[\w&',-]+\s+){0,6}?(?:committee|sub-committee|panel|board|cabinet|commission|executive)\s+"
    r"(?:(?:considered|received|noted)\s+(?:a|an|the)\s+(?:[\w'-]+\s+){0,3}?(?:report|presentation|update|paper)|"
    r"was\s+(?:advised|informed))\b",
    r"^[ \t]*to\s+(?:consider|receive|note)\s+(?:the|a)\s+report\b", r"\bsubmitted\s+a\s+report\b",
    r"^[ \t]*minutes\s+of\s+(?:the|a)\s+(?:meeting|[\w&',-]+(?:\s+[\w&',-]+){0,6}?\s+held)\b",
    r"^[ \t]*(?:cabinet|committee|panel|board|members)\s+(?:considered|received|noted)\s+(?:a|an|the)\s+"
    r"(?:[\w'-]+\s+){0,3}?(?:report|presentation|update|paper)\b",
    r"\b(?:presented|introduced)\s+(?:a|the)\s+(?:[\w'-]+\s+){0,3}?report\s+(?:which|that|on|of)\b",
))]
# ModernGov's decision pages name who decided; a body (Cabinet, a committee) makes the page a
# committee report, one person (an officer, a Portfolio Holder) makes it a decision of its own.
_DECISION_MAKER = re.compile(r"^[ \t]*decision[ \t-]*(?:maker|taker|taken\s+by)\s*[:\t][ \t]*(?P<who>[^\n]+)",
                             re.IGNORECASE | re.MULTILINE)
_DECISION_MAKER_LEAD = leading_words(_DECISION_MAKER)
_ONE_PERSON = re.compile(
    r"^(?:the\s+)?(?:[\w'&-]+\s+){0,2}?(?:member|holder|director|leader|officer|manager|head|chief|councillor|"
    r"cllr|mayor)\b(?!\s+and\s+cabinet)", re.IGNORECASE)
_DECIDING_BODY = re.compile(r"\b(?:cabinet|executive|council|committee|board|panel|commission)\s*$", re.IGNORECASE)
# An FOI response: the Act named, or a request with its decision or response under it.
_FOI = re.compile(r"\bfreedom\s+of\s+information\b|(?-i:\bFOI\b)|"
                  r"^[\s-]*request\s*$(?s:.*)^[\s-]*(?:decision|response|our\s+response)\s*$",
                  re.IGNORECASE | re.MULTILINE)
# A strategy's name with its period on the cover (`Workforce Strategy 2023 – 2026`, a workforce
# plan being a strategy by another name: `Workforce Development Plan 2022-24`,
# `WORKFORCE STRATEGY SEPTEMBER 2018 DECEMBER 2020`): the period's first year dates it too.
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_STRATEGY_PERIOD = re.compile(
    rf"\b(?:strateg(?:y|ies)|workforce(?:\s+\w+){{0,2}}\s+plan)\b[\s:,(]*(?:(?:for|from)\s+)?(?:{_MONTHS}\s+)?"
    rf"(?P<start>(?:19|20)\d{{2}})(?:/\d{{2}})?"
    rf"(?:\s*(?:[-\u2013\u2014]|to)\s*(?:{_MONTHS}\s+)?(?:(?:19|20)\d{{2}}|\d{{2}})|\s+{_MONTHS}\s+(?:19|20)\d{{2}})\b",
    re.IGNORECASE)


def find_doc_type(text: str, title: str | None = None) -> str:
    """`committee_report`, `progress_update`, `action_plan`, `strategy` or `other`, by general cues.

    A decision of one person and an FOI response are `other`; a meeting's record or a body's
    decision is a committee report, and so is a paper with its template's sections, before
    anything else, since a report to a committee about a strategy or its progress is still a
    committee report. A stand-alone tracker (titled so, or opening on its column names) is an
    action plan, whatever its progress column says.
    """
    head = text[:_HEAD_CHARS]
    low = folded(text)
    low_head = low[:_HEAD_CHARS] if low is not None else None  # (folding keeps offsets)
    decider = search_from_word(_DECISION_MAKER, head, low_head, _DECISION_MAKER_LEAD)
    who = _squash(decider.group("who")) if decider else ""
    if (who and _ONE_PERSON.match(who)) or _FOI.search(head):
        return DocType.OTHER.value
    if _DECIDING_BODY.search(who) or any(search_from_word(cue, head, low_head, lead)
                                         for cue, lead in _MEETING_RECORD_CUES):
        return DocType.COMMITTEE_REPORT.value
    found = (cue for words, cue, lead in _COMMITTEE_CUES
             if _may_hold_word(text, low, words) and search_from_word(cue, text, low, lead))
    cues = len(list(islice(found, _COMMITTEE_SURE)))  # (three make it sure: the rest are not searched for)
    title = title or ""
    if cues >= _COMMITTEE_SURE:
        return DocType.COMMITTEE_REPORT.value
    if _TRACKER_TITLE.search(title) or _TRACKER_COLUMNS.search(head):
        return DocType.ACTION_PLAN.value
    for pattern, kind in ((_PROGRESS, DocType.PROGRESS_UPDATE), (_ACTION_PLAN, DocType.ACTION_PLAN),
                          (_STRATEGY, DocType.STRATEGY)):
        if pattern.search(title):
            return kind.value
    if cues >= _COMMITTEE_LIKELY:
        return DocType.COMMITTEE_REPORT.value
    if _HEAD_PROGRESS.search(text[:_HEAD_CHARS]):
        return DocType.PROGRESS_UPDATE.value
    if _self_strategies(text, low) >= 2 or _STRATEGY_PERIOD.search(head):
        return DocType.STRATEGY.value
    if _OWN_ACTION_PLAN.search(text[:_HEAD_CHARS]):
        return DocType.ACTION_PLAN.value
    return DocType.OTHER.value


def _self_strategies(text: str, low: str | None) -> int:
    """How often the paper calls itself a strategy (`_SELF_STRATEGY`), tried only where "this" or "our" starts."""
    if low is None:
        return len(_SELF_STRATEGY.findall(text))
    return len(matches_at(_SELF_STRATEGY, text, word_starts(low, ("this", "our"))))


def _may_hold_word(text: str, low: str | None, words: frozenset[str]) -> bool:
    """Whether `text` may hold one of `words` as a whole word: in the folded text (`folded`) as a
    substring, a test as quick as it is loose; else by its words (`has_word`)."""
    if low is None:
        return has_word(text, words)
    for word in words:
        if word in low:
            return True
    return False


# --------------------------------------------------------------------------- strategy

_NAME_WORD = r"(?:[A-Z][A-Za-z']*|and|&|of|for|in)"
# 2022-2025, 2021-23, 2021/22 to 2023/24
_PERIOD = r"(?P<period>(?:19|20)\d{2}(?:/\d{2})?\s*(?:-|to)\s*(?:(?:19|20)\d{2}|\d{2})(?:/\d{2})?)"
# A workforce plan is a strategy by another name ("Social Work Workforce Development Plan");
# other plans (a Children and Young People's Plan, an improvement plan) are not.
_STRATEGY_NAME = re.compile(
    rf"(?P<name>(?:{_NAME_WORD}\s+){{1,8}}?(?:STRATEGY|Strategy|(?<=Workforce )(?:{_NAME_WORD}\s+){{0,2}}?Plan))\b"
    rf"(?:\s*[:,(]?\s*{_PERIOD}\)?)?")
_STRATEGY_HEADS = ("Strategy", "STRATEGY", "Plan")
_LEADING_FILLER = {"the", "this", "that", "our", "their", "its", "a", "an", "of", "and", "&", "for", "in",
                   "to", "on", "with", "by", "new", "draft", "refreshed", "updated", "implementing", "endorse"}


def find_strategy(blocks: Sequence[Block], title: str | None = None) -> str | None:
    """The strategy the document belongs to, with its period when printed (`... Strategy 2022-2025`).

    The period printed most often wins (a report also cites the previous strategy), then the
    fullest form of the name printed with it; undated, a title that is a strategy's name, else a
    name printed at least twice.
    """
    from_title = _titled_strategy(title)
    texts = [title or ""] + [b.text for b in blocks if b.kind != BlockKind.TABLE]
    names = from_title + _strategy_names(texts)
    dated = [(n, p) for n, p in names if p]
    if dated:
        period = Counter(p for _, p in dated).most_common(1)[0][0]
        return f"{_best_name(n for n, p in dated if p == period)} {period}"
    if from_title:
        return from_title[0][0]
    counts = Counter(n.lower() for n, _ in names)
    frequent = [n for n, _ in names if counts[n.lower()] >= 2 and len(n.split()) >= 3]
    return _best_name(frequent) if frequent else None


_TITLE_STRATEGY = re.compile(rf"^(?P<name>.*?\b(?:strateg(?:y|ies)|workforce(?:\s+\w+){{0,2}}\s+plan))"
                             rf"[\s:,(]*{_PERIOD}?\)?$", re.IGNORECASE)


def _titled_strategy(title: str | None) -> list[tuple[str, str | None]]:
    """A title that is a strategy's name, in whatever case it is printed (`Children's workforce strategy 2023-2026`)."""
    m = _TITLE_STRATEGY.match(_plain(_squash(title or "")))
    if not m or len(m.group("name").split()) < 2:
        return []
    return [(_trim_name(m.group("name")), _period(m))]


def _strategy_names(texts: Iterable[str]) -> list[tuple[str, str | None]]:
    """(name, period or None) for each named strategy, in order; apostrophes and dashes made plain."""
    found = []
    for text in texts:
        if not any(head in text for head in _STRATEGY_HEADS):
            continue  # (the name's last word is one of them: most passages name no strategy)
        for m in _STRATEGY_NAME.finditer(_plain(_squash(text))):
            name = _trim_name(m.group("name"))
            if name and len(name.split()) >= 2:
                found.append((name, _period(m)))
    return found


def _period(m: re.Match[str]) -> str | None:
    """`2022 – 2025` and `2022 to 2025` as `2022-2025`."""
    return re.sub(r"\s*(?:-|to)\s*", "-", m.group("period")) if m.group("period") else None


def _trim_name(name: str) -> str:
    """The name without the sentence or label words the capitalised run picked up before it."""
    words = name.split()
    mixed = any(w[0].isalpha() and not w.isupper() for w in words)
    while words:
        if words[0].lower() in _LEADING_FILLER:
            words = words[1:]
        # An all-capitals label before a mixed-case name is a stray heading ("APPENDICES ...").
        elif mixed and words[0].isupper() and len(words[0]) > 1:
            words = words[1:]
        # "Appendix A Children's ... Strategy": a document label, not part of the name.
        elif words[0].lower() in ("appendix", "annex", "annexe") and len(words) > 1 and len(words[1]) <= 2:
            words = words[2:]
        else:
            break
    return " ".join(words)


def _best_name(names: Iterable[str]) -> str:
    """The fullest printed form, mixed case before capitals."""
    return max(names, key=lambda n: (not n.isupper(), len(n)))


# --------------------------------------------------------------------------- published

# A meeting's or report's own date field counts wherever the layout put it; a bare "Date:" or
# "Published:" only in the masthead, since reference lists and tables repeat them for other papers.
_DATE_LABEL = re.compile(
    r"(?:(?<![\w-])(?:date\s+of\s+(?:the\s+)?(?:meeting|report|decision|committee|publication|issue)|"
    r"meeting\s+date|report\s+date|publication\s+date|date\s+published|decision\s+due)|"
    # ModernGov's issue pages: "Meeting: 27/10/2021 - Children and Families Committee", at a line's
    # start or, where a page dump ran its menus and crumbs into one paragraph, anywhere in that shape.
    r"(?m:^)[ \t]*meeting|(?<![\w-])(?<!next\s)meeting(?=\s*:[^\n]{4,40}?(?:19|20)\d{2}\s+-\s))"
    r"\s*[:\t|]+[ \t|]*(?P<rest>[^\n]{4,60})",
    re.IGNORECASE)
# The same label on a line of its own, the date on the next ("Date of decision\n22 March 2022"): a
# field list or two-column table that a page's text printed a cell a line.
_NEXT_LINE_DATE_LABEL = re.compile(
    r"(?<![\w-])date\s+of\s+(?:the\s+)?(?:meeting|report|decision|committee|publication|issue)[ \t]*\n\s*"
    r"(?P<rest>[^\n]{4,60})", re.IGNORECASE)
# A decision page prints when it was published and when it takes effect as well: the paper's own
# date is its meeting's or decision's, so publication labels count only after every other label.
_PUBLICATION_LABEL = re.compile(r"publi|issue", re.IGNORECASE)
_HEAD_DATE_LABEL = re.compile(
    r"(?:^|\n)[ \t]*(?:published|date|issued)\s*[:\t|]+[ \t|]*(?P<rest>[^\n]{4,60})", re.IGNORECASE)
# A document-control table near the top, its rows run together (`Approved by ... Board Date 15th March 2021
# Version number ...`): the capitalised label straight before a full date, unless another date's label.
_DATE_CELL = re.compile(r"(?:(?P<before>[\w-]+)\s+)?(?:Date|DATE)\s*[:|]?\s+(?P<rest>[^\n]{4,40})")
_OTHER_DATE = {"review", "next", "expiry", "end", "start", "due", "target", "closing", "deadline", "completion",
               "implementation", "effective", "birth", "of", "the", "a", "to"}
# `1/26/2015`: a numeric date whose second number cannot be a month is month first, as US software prints it.
_MONTH_FIRST = re.compile(r"(?<![\d/])(?P<month>0?[1-9]|1[0-2])/(?P<day>1[3-9]|2\d|3[01])/(?P<year>(?:19|20)\d{2})")
_VERSION = re.compile(
    r"\b(?:version\s*\d+(?:\.\d+)*|v\d+(?:\.\d+)*|(?:last\s+)?(?:updated|revised|refreshed|reviewed|published|issued))"
    r"\s*(?:on|in)?\s*[-\u2013\u2014:,(|]*\s*$", re.IGNORECASE)
_MASTHEAD_BLOCKS = 10
_BODY_PARAGRAPH = 200  # characters: a paragraph this long is body text, not a masthead line
_WEEKDAY = re.compile(r"(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)
_MAX_LABEL_LINE = 100


def find_published(text: str, blocks: Sequence[Block], running_headers: Iterable[str] = (),
                   is_strategy: bool = False) -> str | None:
    """The publication or meeting date at the precision printed, else a year inferred from the content.

    Order: a labelled date field (`Date of meeting: 12 March 2024`; a meeting's or decision's before
    a publication date), a date standing alone in the masthead (`Thursday 1 February 2024`), a
    version or update date (`version 2 – January 2022`, `Refreshed November 2023`),
    the year the content places the document in (see `_inferred_year`), then, for a strategy,
    the first year of the period its name prints (`Strategy 2013 - 15`).
    """
    return (_labelled_date(text, blocks) or _today_date(text) or _masthead_date(blocks)
            or _version_date(list(running_headers) + _head_lines(text, blocks)) or _inferred_year(blocks)
            or (_strategy_start_year(text) if is_strategy else None))


# A news release dates itself in its first lines: "... opens for recruitment today (17 February 2025)".
_TODAY = re.compile(r"\btoday\s*\((?P<rest>[^)\n]{6,40})\)", re.IGNORECASE)


def _today_date(text: str) -> str | None:
    head = text[:_HEAD_CHARS]
    m = _TODAY.search(head) if "today" in head.lower() else None
    return _first_iso(m.group("rest"), ("date",)) if m else None


def _strategy_start_year(text: str) -> str | None:
    m = _STRATEGY_PERIOD.search(text[:_HEAD_CHARS])
    return m.group("start") if m else None


def _first_iso(text: str, kinds: tuple[str, ...] = ("date", "month")) -> str | None:
    for mention in find_dated(text):
        if mention.iso and mention.kind in kinds:
            return mention.iso
    return None


def _masthead(blocks: Sequence[Block]) -> list[Block]:
    """The blocks before the body: the first one (a layout may merge the whole masthead into it)
    and the short ones after it, up to the first full paragraph."""
    head = list(blocks[:1])
    for block in blocks[1:_MASTHEAD_BLOCKS]:
        if block.kind == BlockKind.PARAGRAPH and len(block.text) > _BODY_PARAGRAPH:
            break
        head.append(block)
    return head


def _labelled_date(text: str, blocks: Sequence[Block]) -> str | None:
    masthead = "\n".join(b.text for b in _masthead(blocks))
    next_line = _NEXT_LINE_DATE_LABEL.finditer(text) if "\n" in text and "ate of" in text else ()
    labelled = sorted([*_date_labels(text), *next_line, *_HEAD_DATE_LABEL.finditer(masthead)],
                      key=lambda m: bool(_PUBLICATION_LABEL.search(m.group(0)[:m.start("rest") - m.start()])))
    for m in labelled:
        iso = _first_iso(m.group("rest"))
        if iso:
            return iso
    head = text[:_HEAD_CHARS]
    # (A quick test first: most heads hold no date cell, and the pattern is tried at every offset.)
    for m in _DATE_CELL.finditer(head) if "Date" in head or "DATE" in head else ():
        dates = find_dated(m.group("rest"))  # (one that opens the text is find_dates' first too)
        if (m.group("before") or "").lower() not in _OTHER_DATE and dates and dates[0].start == 0 \
                and dates[0].kind == "date" and dates[0].iso:
            return dates[0].iso
    return None


def _date_labels(text: str) -> list[re.Match[str]]:
    """The matches of `_DATE_LABEL.finditer(text)`, the pattern tried only where one can start (see
    `_label_starts`): a caseless search through the whole text costs more than the rest of the labels' work."""
    low = folded(text)
    return list(_DATE_LABEL.finditer(text)) if low is None else matches_at(_DATE_LABEL, text, _label_starts(text, low))


def _label_starts(text: str, low: str) -> set[int]:
    """Every offset where a `_DATE_LABEL` match can start, from its words in `low` (`folded(text)`):
    each of its labels opens on "date", "meeting" or "decision", or on "report" or "publication" before
    "date" with spaces between, or on the spaces that open the line of a "meeting"."""
    starts = word_starts(low, ("date", "meeting", "decision"))
    for at in list(starts):
        if low.startswith("date", at):
            before = at
            while before and text[before - 1].isspace():  # (str.isspace is the regex's \s)
                before -= 1
            starts.update(before - len(first) for first in ("report", "publication")
                          if before < at and before >= len(first) and low.startswith(first, before - len(first)))
        else:
            line = at
            while line and text[line - 1] in " \t":
                line -= 1
            if line == 0 or text[line - 1] == "\n":
                starts.add(line)
    return starts


_VERSION_NUMBER = re.compile(r"\b(?:version|v)\s*\d+(?:\.\d+)*", re.IGNORECASE)


@lru_cache(maxsize=1024)
def _line_dates(line: str) -> tuple[DateMention, ...]:
    """The dates with an ISO value on a masthead line (a date always has one), its version number
    blanked out first: `Version 2.1 October 2022` is October 2022, not 1 October. (Kept: the title,
    masthead and version tests read the same lines, a third of them more than once.)"""
    return tuple(find_dated(_VERSION_NUMBER.sub(lambda m: " " * len(m.group(0)), line)))


def _whole_date(line: str) -> DateMention | None:
    """The date when a line is nothing but a date (`Thursday 1 February 2024`, `January 2022`)."""
    line = line.strip(" ,.|")
    mentions = [d for d in _line_dates(line) if d.iso and d.kind in ("date", "month")]
    if len(mentions) == 1 and len(mentions[0].text) >= len(line) - 12:
        rest = (line[:mentions[0].start] + line[mentions[0].end:]).strip(" ,")
        if not rest or re.fullmatch(r"[A-Za-z]+day", rest):
            return mentions[0]
    return None


def _closing_date(line: str) -> str | None:
    """The full date a masthead line ends with after naming the meeting or the authors (`Report to
    Scrutiny Committee – 7 November 2023`, `Jo Bloggs & Ann Other 1/26/2015`), unless the date is
    its data's (`figures as at 31 March 2023`) or a deadline (`To extend the payments until 31 March 2020`)."""
    line = line.strip(" ,.|")
    month_first = _MONTH_FIRST.search(line)
    if month_first and month_first.end() == len(line):
        return "{year}-{month:0>2}-{day:0>2}".format(**month_first.groupdict())
    dates = [d for d in _line_dates(line) if d.iso and d.kind == "date"]
    if len(dates) == 1 and dates[0].end >= len(line) - 1 and not _HORIZON_BEFORE.search(line[:dates[0].start]) \
            and not _DEADLINE_IN.match(dates[0].text):
        return dates[0].iso
    # A title's edition set off after it: `Workforce Progress Update, January 2025`.
    months = [d for d in _line_dates(line) if d.iso and d.kind == "month"]
    if len(months) == 1 and months[0].end >= len(line) - 1 and "|" not in line \
            and line[:months[0].start].rstrip().endswith((",", "–", "—", " -")):
        return months[0].iso
    return None


def _opening_date(line: str) -> str | None:
    """The numeric date that opens the line of an item it dates, set off by a dash: a committee site's
    list of an issue's decisions prints `06/12/2017 - Recruitment and Retention` (where a text dump ran
    the masthead's lines together, that shape anywhere in it)."""
    m = _DATED_ITEM.search(line)
    dates = [d for d in _line_dates(m.group("date")) if d.iso and d.kind == "date"] if m else []
    return dates[0].iso if dates else None


# (Not a label's date, "Next Meeting: 04/03/2021 - Panel": a label says which date it is.)
_DATED_ITEM = re.compile(r"(?:^|(?<![:|])\s)(?P<date>\d{1,2}/\d{1,2}/(?:19|20)\d{2})\s+[-\u2013\u2014]\s+[A-Z]")


def _masthead_date(blocks: Sequence[Block]) -> str | None:
    """A date alone on a masthead line or opening a dated entry (`06/12/2017 - Recruitment`), or a
    meeting's weekday date (`Thursday 1 February 2024`) near the top."""
    head = _masthead(blocks)
    for block in head:
        for line in block.text.splitlines():
            mention = _whole_date(line)
            iso = mention.iso if mention else _closing_date(line) or _opening_date(line)
            if iso:
                return iso
    text = "\n".join(b.text for b in head)[:_HEAD_CHARS]
    for mention in find_dated(text):
        if mention.kind == "date" and _WEEKDAY.match(mention.text):
            return mention.iso
    return None


def _head_lines(text: str, blocks: Sequence[Block]) -> list[str]:
    """Short lines of the masthead and lines repeated through the document (running headers left in)."""
    lines = [line for b in _masthead(blocks) for line in b.text.splitlines()]
    return [line for line in lines if len(line.strip()) <= _MAX_LABEL_LINE] + sorted(_repeated_lines(text))


def _version_date(lines: Iterable[str]) -> str | None:
    for line in lines:
        for mention in _line_dates(line):
            if mention.iso and mention.kind in ("date", "month") and _VERSION.search(line[:mention.start]):
                return mention.iso
    return None


# A year inferred from the content (ANNOTATION §9): documents report what has been done up to
# shortly before they were written and promise what comes next.
_FUTURE_CUE = re.compile(
    r"\b(?:will|shall|'ll|expected|expect|intends?|intend|plans?\s+to|planned|planning|aims?\s+to|"
    r"with\s+a\s+view\s+to|going\s+to|due\s+to|scheduled|forthcoming|upcoming|next)\b", re.IGNORECASE)
_PAST_CUE = re.compile(
    r"\b(?:was|were|has|have|had|began|begun|started|commenced|completed|concluded|launched|held|ran|took\s+place|"
    r"since|attended|implemented|introduced|agreed|approved|undertaken|delivered|appointed|recruited|received|"
    r"published|achieved|went\s+live|closed|welcomed|as\s+at|as\s+of|year\s+to|year\s+ending|latest\s+data|"
    r"to\s+date|ago|last)\b", re.IGNORECASE)
_FUTURE_LEAD, _PAST_LEAD = leading_words(_FUTURE_CUE), leading_words(_PAST_CUE)
_CLAUSE_BREAK = re.compile(r",\s+|;\s+|\s+[-\u2013\u2014]\s+|\s+(?:and|but|while|whilst|which)\s+|\(|\)")
_LATE_IN_YEAR = 9  # activity reported from September on, with promises for the next year: a turn-of-year paper
_PART_MONTH = {"end": 12, "late": 12, "autumn": 10, "winter": 12, "summer": 7, "mid": 6, "spring": 4,
               "early": 1, "beginning": 1, "start": 1}


def _inferred_year(blocks: Sequence[Block]) -> str | None:
    """The year the document's own dates fix (ANNOTATION §13), else None.

    Work reported done in a year that the paper also makes promises for places it in that year;
    work reported up to the autumn with promises for the next year places it at the turn of the
    year, in the later one. Without promises, only the horizon of its data fixes the year (`the
    year to the end of March 2019`), and only when that horizon is early enough in the year for
    the paper not to belong to the next one: events alone (`launched in March 2021`) and data up
    to the end of a year (`as at the end of December 2018`) date nothing.
    """
    past, horizons, future = _dated_clauses(blocks)
    if not past and not horizons:
        return None
    year, month = max(past + horizons)
    if year in future:
        return str(year)
    if month >= _LATE_IN_YEAR and year + 1 in future:
        return str(year + 1)
    if horizons and max(horizons) == (year, month) and 0 < month < _LATE_IN_YEAR:
        return str(year)
    return None


# What a data horizon is printed after: "as at", "the year to", "in the 12 months up to", "until".
_HORIZON_BEFORE = re.compile(
    r"\b(?:as\s+(?:at|of)|up\s+to|until|till|(?:year|months?|quarter|period)\s+(?:to|ending|ended))\s+(?:the\s+)?$",
    re.IGNORECASE)
_HORIZON_IN = re.compile(r"(?:until|till|up\s+to)\b", re.IGNORECASE)
_PURPOSE = re.compile(r"To\s+(?!date\b)[a-z]+\b")
_DEADLINE_IN = re.compile(r"(?:until|till|up\s+to|by|before)\b", re.IGNORECASE)


def _dated_clauses(blocks: Sequence[Block]) -> tuple[list[tuple[int, int]], list[tuple[int, int]], set[int]]:
    """(year, month) of dates in clauses that report the past; of data horizons in clauses that do not
    promise; years of dates in clauses that promise."""
    past: list[tuple[int, int]] = []
    horizons: list[tuple[int, int]] = []
    future: set[int] = set()
    for block in blocks:
        # Only a mention with an ISO value counts (`_year_month`), and without a context date only
        # a year's digits give one (`find_dated`): most blocks hold none. (Squashing and splitting
        # on spaces neither make nor break those digits.)
        if block.kind == BlockKind.TABLE or not may_hold_year(block.text):
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", _plain(_squash(block.text))):
            for mention in find_dated(sentence):
                when = _year_month(mention)
                if when is None:
                    continue
                # An item's purpose ("To agree the extension of the payments until March 2020") asks
                # for what is to come.
                tense = "future" if _PURPOSE.match(sentence) else _tense(sentence, mention)
                horizon = _HORIZON_BEFORE.search(sentence[:mention.start]) or _HORIZON_IN.match(mention.text)
                if horizon and tense != "future":
                    horizons.append(when)
                elif tense == "past":
                    past.append(when)
                elif tense == "future":
                    future.add(when[0])
    return past, horizons, future


def _year_month(mention: DateMention) -> tuple[int, int] | None:
    """(year, month) of a dated mention; a bare year (`Programme 2023`, `(2014)`) is a name, not a time."""
    if not mention.iso or mention.kind not in ("date", "month", "year"):
        return None
    year = int(mention.iso[:4])
    if len(mention.iso) >= 7:
        return year, int(mention.iso[5:7])
    part = re.match(r"(?:by|before|until|from|in|during|on)?\s*(?:the\s+)?(\w+)", mention.text, re.IGNORECASE)
    word = part.group(1).lower() if part else ""
    if word.isdigit():
        return (year, 0) if mention.text[:1].isalpha() else None
    return year, _PART_MONTH.get(word, 0)


def _tense(sentence: str, mention: DateMention) -> str | None:
    """`future`, `past` or None for the clause around a date, falling back to the whole sentence."""
    for scope in (_clause_around(sentence, mention.start), sentence):
        low = folded(scope)
        is_future = bool(search_from_word(_FUTURE_CUE, scope, low, _FUTURE_LEAD))
        is_past = bool(search_from_word(_PAST_CUE, scope, low, _PAST_LEAD))
        if is_future != is_past:
            return "future" if is_future else "past"
        if is_future:  # both: a clause that mixes report and promise dates neither
            return None
    return None


def _clause_around(sentence: str, offset: int) -> str:
    """The clause (between commas, dashes, `and`, `which`, brackets) holding `offset`."""
    start = 0
    for m in _CLAUSE_BREAK.finditer(sentence):
        if m.start() > offset:
            return sentence[start:m.start()]
        start = m.end()
    return sentence[start:]
