"""Keep the knowledge base up to date from councils' ModernGov committee sites.

ModernGov's public web service (`<base>/mgWebService.asmx/<Operation>`) answers
three questions in XML, which is all `sync` needs:

    GetCommittees                                   committee ids and titles
    GetMeetings?lCommitteeId=&sFromDate=&sToDate=   a committee's meetings (dd/mm/yyyy)
    GetMeeting?lMeetingId=                          agenda items and their <linkeddoc>s

For each configured council (`kb/councils.yml`), `sync` lists meetings of the
followed committees in a rolling window, keeps linked documents whose title (or
agenda item title) matches the workforce topic terms, downloads the ones it has not
seen and hands each to an ingest callable. What it has seen is kept in the
`sync_seen` table, keyed by (council, attachment id), with the content hash and
the server's ETag/Last-Modified so a later run can ask "changed?" with a
conditional GET instead of downloading again.

Papers are not all PDFs: the agenda-item page of an on-topic item (`mgAi.aspx?ID=`, its
minutes included) is taken too, and so are the decision pages (`ieDecisionDetails.aspx`)
and the Word appendices that such a page links to, each fetched, remembered and ingested
as a linked document is.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence
from urllib.parse import urlencode, urljoin, urlsplit

import yaml
from sqlite_utils import Database

from extract.errors import WorkforceKBError
from extract.settings import resolve_settings
from extract.read.text import without_furniture
from kb.fetch import FetchedFile, FetchError, FetchSettings, PoliteClient, fetch_if_changed
from kb.schema import open_kb

__all__ = [
    "AgendaItem",
    "Committee",
    "Council",
    "FoundDocument",
    "LinkedDoc",
    "MalformedXML",
    "Meeting",
    "SeenStore",
    "SyncFailure",
    "SyncReport",
    "SyncSettings",
    "UnknownCouncil",
    "audit_changes",
    "build_ingest",
    "is_on_topic",
    "load_councils",
    "match_committees",
    "parse_committees",
    "parse_meeting_documents",
    "parse_agenda_items",
    "parse_meetings",
    "page_links",
    "select_councils",
    "service_url",
    "sync",
]

COUNCILS_YML = Path(__file__).with_name("councils.yml")
SEEN_TABLE = "sync_seen"
_MG_DATE = "%d/%m/%Y"

IngestFn = Callable[[FetchedFile, "FoundDocument"], object]
AfterIngestFn = Callable[[list[Path]], list[str]]


class UnknownCouncil(WorkforceKBError):
    """A council name that is not in the sync configuration."""


class MalformedXML(WorkforceKBError):
    """A ModernGov answer that is not the XML the service should return."""


# ---------------------------------------------------------------- configuration


@dataclass(frozen=True)
class Council:
    """One ModernGov site to follow."""

    name: str
    base_url: str
    committees: tuple[str, ...]  # titles as printed, or numeric ids as strings
    topic_terms: tuple[str, ...]
    exclude_terms: tuple[str, ...] = ()


@dataclass
class SyncSettings:
    """How far back to look and how to fetch. Tests pass `{"fetch": {"delay": 0}}`."""

    window_days: int = 365  # meetings this many days back (unless --since) ...
    ahead_days: int = 60  # ... up to this many days ahead: agendas appear a week or two early
    data_dir: str = "data"  # downloads go to <data_dir>/files/
    recheck_seen: bool = True  # conditional GET for seen papers that gave us an ETag/Last-Modified
    max_xml_bytes: int = 20_000_000
    follow_pages: bool = True  # agenda-item and decision pages, and the Word files they link
    fetch: FetchSettings = field(default_factory=FetchSettings)

    def __post_init__(self) -> None:
        self.fetch = FetchSettings.resolve(self.fetch)
        for name in ("window_days", "ahead_days"):
            if getattr(self, name) < 0:
                raise ValueError(f"Sync setting '{name}' must be >= 0, got {getattr(self, name)!r}")
        if self.max_xml_bytes <= 0:
            raise ValueError(f"Sync setting 'max_xml_bytes' must be positive, got {self.max_xml_bytes!r}")

    @classmethod
    def resolve(cls, settings: SyncSettings | dict[str, Any] | None) -> SyncSettings:
        """Accept None (defaults), a dict of overrides or a SyncSettings."""
        return resolve_settings(cls, settings, "Sync")


def load_councils(path: str | Path | None = None) -> list[Council]:
    """Councils from a YAML file shaped like the shipped `kb/councils.yml`."""
    path = Path(path) if path else COUNCILS_YML
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    terms = tuple(data.get("topic_terms") or ())
    excludes = tuple(data.get("exclude_terms") or ())
    councils = []
    for entry in data.get("councils") or ():
        if not entry.get("name") or not entry.get("base_url"):
            raise ValueError(f"{path}: every council needs a name and a base_url, got {entry!r}")
        councils.append(Council(
            name=entry["name"],
            base_url=str(entry["base_url"]).rstrip("/"),
            committees=tuple(str(c) for c in entry.get("committees") or ()),
            topic_terms=tuple(entry.get("topic_terms") or terms),
            exclude_terms=tuple(entry.get("exclude_terms") or excludes),
        ))
    return councils


def select_councils(councils: Sequence[Council], names: Iterable[str] | None) -> list[Council]:
    """The councils named (case-insensitive), or all of them when names is empty."""
    names = list(names or ())
    if not names:
        return list(councils)
    by_name = {c.name.casefold(): c for c in councils}
    unknown = [n for n in names if n.casefold() not in by_name]
    if unknown:
        known = ", ".join(c.name for c in councils)
        raise UnknownCouncil(f"{unknown[0]}: not a configured council (configured: {known})")
    return [by_name[n.casefold()] for n in names]


# ---------------------------------------------------------------- ModernGov XML


@dataclass(frozen=True)
class Committee:
    id: str
    title: str


@dataclass(frozen=True)
class Meeting:
    id: str
    date: date | None


@dataclass(frozen=True)
class LinkedDoc:
    """A `<linkeddoc>` of a meeting, with the title of the agenda item it hangs off."""

    attachment_id: str
    title: str
    url: str
    agenda_item: str | None = None


def service_url(base_url: str, operation: str, **params: object) -> str:
    """`<base>/mgWebService.asmx/<operation>?<params>` (ModernGov's HTTP GET binding)."""
    query = f"?{urlencode(params)}" if params else ""
    return f"{base_url.rstrip('/')}/mgWebService.asmx/{operation}{query}"


def parse_committees(xml: bytes) -> list[Committee]:
    """Committees from a GetCommittees answer, deleted ones left out."""
    committees = []
    for node in _elements(_parse(xml), "committee"):
        data = _fields(node)
        if data.get("committeeid") and data.get("committeedeleted", "").lower() != "true":
            committees.append(Committee(data["committeeid"], _clean(data.get("committeetitle", ""))))
    return committees


def parse_meetings(xml: bytes) -> list[Meeting]:
    """Meetings from a GetMeetings answer, whatever wraps them."""
    meetings = []
    for node in _elements(_parse(xml), "meeting"):
        data = _fields(node)
        if data.get("meetingid"):
            meetings.append(Meeting(data["meetingid"], _mg_date(data.get("meetingdate", ""))))
    return meetings


def parse_meeting_documents(xml: bytes) -> list[LinkedDoc]:
    """Every linked document of a GetMeeting answer, once each, in agenda order."""
    root = _parse(xml)
    docs: list[LinkedDoc] = []
    inside_items: set[int] = set()
    for item in _elements(root, "agendaitem"):
        item_title = _clean(_fields(item).get("agendaitemtitle", ""))
        for node in _elements(item, "linkeddoc"):
            inside_items.add(id(node))
            docs.extend(_linked_doc(node, item_title or None))
    # Meeting-level documents (agenda frontsheet, printed minutes) sit outside any item.
    for node in _elements(root, "linkeddoc"):
        if id(node) not in inside_items:
            docs.extend(_linked_doc(node, None))
    return _dedupe(docs, key=lambda d: d.attachment_id)


@dataclass(frozen=True)
class AgendaItem:
    id: str
    title: str


def parse_agenda_items(xml: bytes) -> list[AgendaItem]:
    """The agenda items of a GetMeeting answer, each with its id (its `mgAi.aspx?ID=` page)."""
    items = []
    for node in _elements(_parse(xml), "agendaitem"):
        data = _fields(node)
        if data.get("agendaitemid", "").isdigit():
            items.append(AgendaItem(data["agendaitemid"], _clean(data.get("agendaitemtitle", ""))))
    return items


_DECISION_PAGE = re.compile(r"ieDecisionDetails\.aspx\?(?:.*&)?ID=(\d+)", re.IGNORECASE)


def page_links(page: bytes, page_url: str) -> list[LinkedDoc]:
    """The decision pages and Word (.docx) files an agenda-item or decision page links to."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(page)
    except Exception:  # lxml's parse errors for empty or unparseable pages: no links
        return []
    found = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        url = urljoin(page_url, href)
        decision = _DECISION_PAGE.search(href)
        title = without_furniture(_clean(anchor.text_content())).strip()  # no "DOCX 41 KB" label
        if decision:
            found.append(LinkedDoc(f"decision:{decision.group(1)}", title, url))
        elif urlsplit(url).path.lower().endswith(".docx"):
            found.append(LinkedDoc(f"url:{url}", title, url))
    return _dedupe(found, key=lambda d: d.attachment_id)


def _linked_doc(node: ET.Element, agenda_item: str | None) -> list[LinkedDoc]:
    data = _fields(node)
    url = data.get("url", "").strip()
    if not url:
        return []
    # Some installs omit the attachment id; the URL is then the only stable key.
    key = data.get("attachmentid") or f"url:{url}"
    return [LinkedDoc(key, _clean(data.get("title", "")), url, agenda_item)]


def _parse(xml: bytes) -> ET.Element:
    # The service never sends a DTD; refusing one keeps entity-expansion tricks out
    # without a defusedxml dependency.
    if b"<!DOCTYPE" in xml[:4096].upper() or b"<!ENTITY" in xml.upper():
        raise MalformedXML("document type declarations are not accepted")
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise MalformedXML(str(exc)) from exc
    for node in root.iter():
        node.tag = _local(node.tag)  # some installs answer in the moderngov.co.uk namespace
    # The SOAP-style wrapper <string>escaped xml</string> carries the real answer as text.
    if root.tag == "string" and (root.text or "").lstrip().startswith("<"):
        return _parse(root.text.encode("utf-8"))
    return root


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower()


def _elements(root: ET.Element, name: str) -> list[ET.Element]:
    return [node for node in root.iter() if node.tag == name]


def _fields(node: ET.Element) -> dict[str, str]:
    return {child.tag: (child.text or "").strip() for child in node}


def _clean(text: str) -> str:
    # ModernGov double-encodes entities in titles (`&amp;#39;`), so one more unescape.
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def _mg_date(value: str) -> date | None:
    for fmt in (_MG_DATE, "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _dedupe(items: list, key: Callable) -> list:
    """First of each key, order kept (an appendix is often linked from two items)."""
    seen: set = set()
    kept = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            kept.append(item)
    return kept


# ---------------------------------------------------------------- selection


def match_committees(committees: Sequence[Committee], wanted: Sequence[str]) -> tuple[list[Committee], list[str]]:
    """The site's committees that the config names (by id or title), and the names not found."""
    chosen: list[Committee] = []
    missing: list[str] = []
    for name in wanted:
        hits = [c for c in committees if c.id == name.strip() or _norm(c.title) == _norm(name)]
        chosen.extend(h for h in hits if h not in chosen)
        if not hits:
            missing.append(name)
    return chosen, missing


def _norm(text: str) -> str:
    text = text.casefold().replace("&", " and ").replace("’", "'")
    return re.sub(r"[^a-z0-9]+", " ", text.replace("'", "")).strip()


def is_on_topic(doc: LinkedDoc, council: Council) -> bool:
    """A document about the workforce: a topic term in its title or its agenda item's title."""
    if _has_term(doc.title, council.exclude_terms):
        return False
    return _has_term(doc.title, council.topic_terms) or _has_term(doc.agenda_item or "", council.topic_terms)


def _has_term(text: str, terms: Iterable[str]) -> bool:
    # Word start only, so "workforce" matches "Workforce" and "workforces" but a
    # short term cannot match inside another word.
    normed = f" {_norm(text)}"
    return any(f" {_norm(term)}" in normed for term in terms if _norm(term))


# ---------------------------------------------------------------- memory


class SeenStore:
    """The `sync_seen` table: one row per (council, attachment id) ever downloaded."""

    def __init__(self, db: Database) -> None:
        self.table = db[SEEN_TABLE]
        self.table.create(
            {"council": str, "attachment_id": str, "url": str, "title": str, "committee": str,
             "meeting_id": str, "meeting_date": str, "sha256": str, "path": str, "etag": str,
             "last_modified": str, "editions": int, "first_seen": str, "last_seen": str},
            pk=("council", "attachment_id"),
            if_not_exists=True,
        )
        self.table.create_index(["sha256"], if_not_exists=True)

    def get(self, council: str, attachment_id: str) -> dict | None:
        rows = list(self.table.rows_where("council = ? and attachment_id = ?", [council, attachment_id]))
        return rows[0] if rows else None

    def holder_of(self, digest: str) -> dict | None:
        """The row that already brought these bytes in, if any."""
        rows = list(self.table.rows_where("sha256 = ?", [digest], limit=1))
        return rows[0] if rows else None

    def record(self, doc: FoundDocument, fetched: FetchedFile, now: str) -> None:
        old = self.get(doc.council, doc.attachment_id)
        self.table.upsert({
            "council": doc.council, "attachment_id": doc.attachment_id, "url": doc.url,
            "title": doc.title, "committee": doc.committee, "meeting_id": doc.meeting_id,
            "meeting_date": doc.meeting_date, "sha256": fetched.sha256, "path": str(fetched.path),
            "etag": fetched.etag, "last_modified": fetched.last_modified,
            "editions": (old["editions"] if old else 0) + (0 if old and old["sha256"] == fetched.sha256 else 1),
            "first_seen": old["first_seen"] if old else now, "last_seen": now,
        }, pk=("council", "attachment_id"))

    def touch(self, doc: FoundDocument, now: str) -> None:
        self.table.update((doc.council, doc.attachment_id), {"last_seen": now})


# ---------------------------------------------------------------- report


@dataclass(frozen=True)
class FoundDocument:
    """A linked document that matched the topic, with where it was found."""

    council: str
    committee: str
    meeting_id: str
    meeting_date: str | None  # ISO date of the meeting: the paper's publication date
    attachment_id: str
    title: str
    url: str
    agenda_item: str | None = None

    @property
    def label(self) -> str:
        """The title with its agenda item, since ModernGov titles are often just "Report"."""
        if not self.agenda_item or _norm(self.agenda_item) in _norm(self.title):
            return self.title
        return f"{self.agenda_item} / {self.title}"


@dataclass(frozen=True)
class SyncFailure:
    council: str
    url: str
    reason: str


@dataclass
class SyncReport:
    """What a sync run found and did; `lines()` is what the CLI prints."""

    meetings: int = 0
    found: list[FoundDocument] = field(default_factory=list)
    downloaded: list[FetchedFile] = field(default_factory=list)
    ingested: list[tuple[FoundDocument, FetchedFile]] = field(default_factory=list)
    skipped: list[tuple[FoundDocument, str]] = field(default_factory=list)
    failed: list[SyncFailure] = field(default_factory=list)
    audit_changes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def lines(self) -> list[str]:
        out = [f"ingested  {d.council}: {d.label} ({d.meeting_date or 'undated'}) -> {f.path}"
               for d, f in self.ingested]
        out += [f"skipped   {d.council}: {d.label}: {why}" for d, why in self.skipped]
        out += [f"failed    {f.council}: {f.url}: {f.reason}" for f in self.failed]
        out.append(
            f"{self.meetings} meetings read; {len(self.found)} documents found, "
            f"{len(self.downloaded)} downloaded, {len(self.ingested)} ingested, "
            f"{len(self.skipped)} skipped, {len(self.failed)} failed"
        )
        if self.audit_changes:
            out.append("Audit changes:")
            out += [f"  {line}" for line in self.audit_changes]
        return out


# ---------------------------------------------------------------- the run


def build_ingest(db_path: str | Path) -> IngestFn:
    """The ingest callable sync uses by default: `kb.build.ingest` on the stored file."""

    def ingest(fetched: FetchedFile, doc: FoundDocument) -> object:
        from kb import build  # imported late: build pulls in the whole extraction stack

        report = build.ingest(db_path, [fetched.path], source_urls={str(fetched.path): fetched.url},
                              fetched_at={str(fetched.path): fetched.fetched_at},
                              publishers={str(fetched.path): doc.council})
        if report.failed:
            raise WorkforceKBError(report.failed[0][1])
        return report

    return ingest


def audit_changes(db_path: str | Path) -> AfterIngestFn:
    """One line per promise that is new, or whose verdict changed, since this call.

    The verdicts are read now; the lines are made after the run's ingests, which refresh
    the audit themselves.
    """
    from kb.audit import describe_changes, run_audit, verdict_snapshot

    before = verdict_snapshot(open_kb(db_path))

    def changes(paths: list[Path]) -> list[str]:
        return describe_changes(before, run_audit(open_kb(db_path), write=False))

    return changes


@dataclass
class _Run:
    client: PoliteClient
    seen: SeenStore
    ingest: IngestFn
    settings: SyncSettings
    report: SyncReport
    start: date
    end: date
    taken: set[tuple[str, str]] = field(default_factory=set)  # (council, attachment id) taken this run


def sync(
    db_path: str | Path,
    councils: Iterable[str] | None = None,
    since: date | str | None = None,
    ingest_fn: IngestFn | None = None,
    *,
    config: Sequence[Council] | None = None,
    settings: SyncSettings | dict[str, Any] | None = None,
    after_ingest: AfterIngestFn | None = None,
    today: date | None = None,
) -> SyncReport:
    """Find, download and ingest new workforce papers from the configured councils.

    Args:
        db_path: the knowledge base; `sync_seen` is kept there too.
        councils: names to sync (case-insensitive); None or empty for all configured.
        since: first meeting date to read (date or ISO string); default today - window_days.
        ingest_fn: called as `ingest_fn(fetched, found_document)` for each new file;
            default `build_ingest(db_path)`. A WorkforceKBError it raises is reported
            as a failure and the paper is tried again next run.
        config: councils to choose from; default `load_councils()` (kb/councils.yml).
        settings: SyncSettings, a dict of overrides, or None.
        after_ingest: called once with the paths ingested this run when there are
            any; its lines (the audit changes) end the report. Default, with the default
            ingest: `audit_changes(db_path)`.
        today: the run's date, for the rolling window (tests pin it).

    Returns:
        SyncReport. Network, HTTP and XML problems are in `report.failed`, not raised.

    Raises:
        UnknownCouncil: a name in `councils` that the configuration lacks.
    """
    settings = SyncSettings.resolve(settings)
    chosen = select_councils(config if config is not None else load_councils(), councils)
    today = today or date.today()
    start = _as_date(since) if since else today - timedelta(days=settings.window_days)
    if after_ingest is None and ingest_fn is None:
        after_ingest = audit_changes(db_path)
    report = SyncReport()
    with PoliteClient(settings.fetch) as client:
        run = _Run(client, SeenStore(open_kb(db_path)), ingest_fn or build_ingest(db_path),
                   settings, report, start, today + timedelta(days=settings.ahead_days))
        for council in chosen:
            for doc in _find_documents(council, run):
                _take_with_links(doc, run)
    if after_ingest and report.ingested:
        report.audit_changes = list(after_ingest([f.path for _, f in report.ingested]))
    return report


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _find_documents(council: Council, run: _Run) -> list[FoundDocument]:
    """On-topic documents of the council's followed committees, oldest meeting first."""
    committees = _read(council, service_url(council.base_url, "GetCommittees"), parse_committees, run)
    if committees is None:
        return []
    chosen, missing = match_committees(committees, council.committees)
    for name in missing:
        listed = "; ".join(c.title for c in committees[:12])
        run.report.failed.append(SyncFailure(council.name, service_url(council.base_url, "GetCommittees"),
                                             f"committee not found: {name!r} (the site lists: {listed})"))
    found: list[FoundDocument] = []
    for committee in chosen:
        found += _committee_documents(council, committee, run)
    found = _dedupe(found, key=lambda d: d.attachment_id)
    found.sort(key=lambda d: d.meeting_date or "")
    run.report.found += found
    return found


def _committee_documents(council: Council, committee: Committee, run: _Run) -> list[FoundDocument]:
    url = service_url(council.base_url, "GetMeetings", lCommitteeId=committee.id,
                      sFromDate=run.start.strftime(_MG_DATE), sToDate=run.end.strftime(_MG_DATE))
    meetings = _read(council, url, parse_meetings, run) or []
    # Filter here too: a service given a date it cannot read answers with everything.
    meetings = [m for m in meetings if m.date is None or run.start <= m.date <= run.end]
    found = []
    for meeting in meetings:
        run.report.meetings += 1
        url = service_url(council.base_url, "GetMeeting", lMeetingId=meeting.id)
        contents = _read(council, url, _meeting_contents, run) or []
        when = meeting.date.isoformat() if meeting.date else None
        for doc in contents:
            if doc.attachment_id.startswith("mgAi:") and not run.settings.follow_pages:
                continue
            if is_on_topic(doc, council):
                found.append(FoundDocument(council.name, committee.title, meeting.id, when, doc.attachment_id,
                                           doc.title, urljoin(f"{council.base_url}/", doc.url), doc.agenda_item))
    return found


def _meeting_contents(xml: bytes) -> list[LinkedDoc]:
    """The meeting's linked documents, then each agenda item's own page (with its minutes)."""
    pages = [LinkedDoc(f"mgAi:{item.id}", item.title, f"mgAi.aspx?ID={item.id}", item.title)
             for item in parse_agenda_items(xml)]
    return parse_meeting_documents(xml) + pages


def _read(council: Council, url: str, parser: Callable[[bytes], list], run: _Run) -> list | None:
    """GET and parse one service answer; a failure is reported with council and URL."""
    try:
        return parser(run.client.get_bytes(url, run.settings.max_xml_bytes))
    except FetchError as exc:
        reason = exc.reason
    except MalformedXML as exc:
        reason = f"malformed XML: {exc}"
    run.report.failed.append(SyncFailure(council.name, url, reason))
    return None


def _take_with_links(doc: FoundDocument, run: _Run) -> None:
    """Take doc and, for an agenda-item or decision page, the decision pages and Word files it links."""
    run.taken.add((doc.council, doc.attachment_id))
    path = _take(doc, run)
    if path is None or not run.settings.follow_pages or path.suffix != ".html" or not path.exists():
        return
    for link in page_links(path.read_bytes(), doc.url):
        if (doc.council, link.attachment_id) in run.taken:
            continue
        linked = FoundDocument(doc.council, doc.committee, doc.meeting_id, doc.meeting_date, link.attachment_id,
                               link.title, link.url, doc.agenda_item)
        run.report.found.append(linked)
        _take_with_links(linked, run)


def _take(doc: FoundDocument, run: _Run) -> Path | None:
    """Download doc unless already held, then ingest it if its content is new; the stored file, if any."""
    now = _utc_now()
    old = run.seen.get(doc.council, doc.attachment_id)
    if old and not (run.settings.recheck_seen and (old["etag"] or old["last_modified"])):
        run.seen.touch(doc, now)
        run.report.skipped.append((doc, "already downloaded"))
        return Path(old["path"])
    try:
        fetched = fetch_if_changed(doc.url, run.settings.data_dir, client=run.client,
                                   etag=old["etag"] if old else None,
                                   last_modified=old["last_modified"] if old else None)
    except FetchError as exc:
        run.report.failed.append(SyncFailure(doc.council, doc.url, exc.reason))
        return None
    if fetched is None:
        run.seen.touch(doc, now)
        run.report.skipped.append((doc, "unchanged since last sync (304 Not Modified)"))
        return Path(old["path"])
    run.report.downloaded.append(fetched)
    _ingest_new(doc, fetched, old, now, run)
    return fetched.path


def _ingest_new(doc: FoundDocument, fetched: FetchedFile, old: dict | None, now: str, run: _Run) -> None:
    holder = run.seen.holder_of(fetched.sha256)
    if holder:
        run.seen.record(doc, fetched, now)
        same = "unchanged since last sync" if old and old["sha256"] == fetched.sha256 else (
            f"same content as {holder['council']} attachment {holder['attachment_id']}")
        run.report.skipped.append((doc, same))
        return
    try:
        run.ingest(fetched, doc)
    except WorkforceKBError as exc:
        run.report.failed.append(SyncFailure(doc.council, doc.url, f"ingest failed: {exc}"))
        return
    run.seen.record(doc, fetched, now)
    run.report.ingested.append((doc, fetched))


def _utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
