"""Datasette plugin for the workforce-kb site: source passages, record links, search, and
the pages readers land on.

It gives the custom pages `templates/pages/council/{council}.html` and
`templates/pages/promise/{promise_id}.html` their data (council_page, promise_page), heads
every row page in words with a citation (row_page), gives query pages their parameter
choices, column labels and record links, registers `kb_fts()` (and Datasette's own
`escape_fts()`) as quoting that no reader's text can make an FTS5 error, serves a
document's source file (`/-/source/<id>`), and links Atom entries to their promise.

Hooks are adapters over the pure functions below (highlight_span, render_marks,
passage_bounds, group_by_priority, verdict_label, fts_query, chart_spec, row_heading),
which the tests call directly. The module is
self-contained (Datasette, markupsafe, the standard library, and datasette-atom when it is
installed) so that a published site runs it from its `plugins/` folder without
workforce-kb installed.

Every piece of document text reaching HTML goes through markupsafe.escape: documents
are untrusted input.
"""
from __future__ import annotations

import importlib.util
import json
import mimetypes
import re
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote_plus

from datasette import hookimpl
from datasette.utils import escape_fts, path_from_row_pks, tilde_decode, tilde_encode, urlsafe_components
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

# Record tables whose row pages show the source passage.
RECORD_TABLES = ("actions", "targets", "cohorts")
# Tables a canned query may name in its record_table column (linked by record_id).
LINKABLE_TABLES = frozenset({*RECORD_TABLES, "blocks", "documents", "metrics", "priorities"})
# Search page: these tables first, under these names; other searchable tables follow.
SEARCH_SECTIONS = {
    "actions": "Actions and commitments",
    "targets": "Targets",
    "cohorts": "Cohorts",
    "blocks": "Passages",
}
SEARCH_HITS_PER_TABLE = 10
# Match counts on the search page stop here ("1,000+ matches"): counting every match of a
# common word costs more than the rest of the page.
SEARCH_COUNT_LIMIT = 1000
# Matches ranked per table (the latest ones): bm25 over every match of a common word at a
# million rows takes most of a second.
SEARCH_RANK_WINDOW = 2000
# Characters of context either side when a record's span lies in no block.
PASSAGE_PAD = 300
_MARK_OPEN, _MARK_CLOSE = "<mark>", "</mark>"
_WHITESPACE = re.compile(r"\s+")


# ---- pure functions -------------------------------------------------------------------

def highlight_span(text: str, start: int | None, end: int | None) -> Markup:
    """`text`, escaped, with text[start:end] in a <mark>; no mark when the span is not in it.

    Whitespace runs (the line breaks of the extraction) are shown as single spaces.
    """
    if start is None or end is None or not 0 <= start < end <= len(text):
        return Markup(_squash(escape(text)))
    before, span, after = text[:start], text[start:end], text[end:]
    return Markup("{}<mark>{}</mark>{}").format(_squash(before), _squash(span), _squash(after))


def render_marks(snippet: str) -> Markup:
    """Escape an FTS snippet, then turn its <mark> delimiters (and only those) back into tags."""
    escaped = str(escape(snippet))
    restored = escaped.replace(str(escape(_MARK_OPEN)), _MARK_OPEN).replace(str(escape(_MARK_CLOSE)), _MARK_CLOSE)
    return Markup(_squash(restored))


def passage_paragraphs(text: str, blocks: Iterable[tuple[int, int]], start: int, end: int,
                       pad: int = PASSAGE_PAD) -> list[tuple[Markup, bool]]:
    """The passage around text[start:end], one (html, holds_span) pair per block.

    Each block is sliced from the document and escaped, with the part of the span it
    holds marked. A span in no block (offsets from a different segmentation) gets `pad`
    characters of context either side instead.
    """
    paragraphs = []
    for s, e in blocks:
        holds = s < end and e > start
        mark_from, mark_to = (max(start, s) - s, min(end, e) - s) if holds else (None, None)
        paragraphs.append((highlight_span(text[s:e], mark_from, mark_to), holds))
    if not any(holds for _, holds in paragraphs):
        lo, hi = max(0, start - pad), min(len(text), end + pad)
        return [(highlight_span(text[lo:hi], start - lo, end - lo), True)]
    return paragraphs


def group_by_priority(priorities: list[dict[str, Any]], records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records under their priority (`priority_id`), in the priorities' order.

    Records with no known priority come last, under `priority: None`; that group is
    left out when empty.
    """
    known = {p["id"] for p in priorities}
    groups = [{"priority": p, "records": [r for r in records if r.get("priority_id") == p["id"]]}
              for p in priorities]
    loose = [r for r in records if r.get("priority_id") not in known]
    if loose:
        groups.append({"priority": None, "records": loose})
    return groups


def heading_trail(heading_path: str | None) -> list[str]:
    """The headings above a block, from its JSON heading_path (empty when unreadable)."""
    try:
        headings = json.loads(heading_path or "[]")
    except (TypeError, ValueError):
        return []
    return [str(h) for h in headings] if isinstance(headings, list) else []


def _squash(text: str) -> str:
    return _WHITESPACE.sub(" ", str(text))


# ---- reader-facing words --------------------------------------------------------------

# The audit's verdicts as a reader reads them, and what each means: the words of kb.audit
# (LABELS, MEANINGS, LATE_LABELS, LATE_MEANINGS), copied since a published site runs this
# module without workforce-kb; a test keeps the copies the same. A verdict not listed is
# shown by its name.
VERDICT_LABELS = {
    "delivered": "Delivered",
    "in_progress": "In progress",
    "no_update": "No update",
    "awaiting_report": "Awaiting a report",
    "not_yet_due": "Not yet due",
}
VERDICT_MEANINGS = {
    "delivered": "A later document of the council reports it done.",
    "in_progress": "A later document reports work on it but not the promised result.",
    "no_update": "Later documents of the council have been read and none of them mentions it.",
    "awaiting_report": "No later document of the council has been ingested yet, so nothing could report on it.",
    "not_yet_due": "Its deadline had not passed on the date the audit judges at.",
}
LATE_LABELS = {"delivered": "Delivered late", "in_progress": "In progress, past due"}
LATE_MEANINGS = {
    "delivered": "A later document reports it done, dated after the last day its deadline allowed.",
    "in_progress": "A later document, dated after its deadline, reports work on it but not the promised result.",
}
VERDICT_ORDER = ("delivered", "in_progress", "no_update", "awaiting_report", "not_yet_due")
# Columns a canned query returns for links and feeds, not for reading.
MACHINE_COLUMNS = frozenset({"record_table", "record_id", "evidence_id", "score", "rank", "late"})
MACHINE_PREFIXES = ("atom_", "_")
# Canned-query parameters with a fixed set of values: offered as choices from (table, column).
PARAMETER_CHOICES = {
    "council": ("documents", "council"),
    "programme": ("cohorts", "programme"),
    "measure": ("metrics", "measure"),
    "dimension": ("metrics", "dimension"),
}
_SLUG_GAPS = re.compile(r"[^a-z0-9]+")
_PREFIX_TERM = re.compile(r'"([^"\s]+)\*"')
_MONTH = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])")


def verdict_label(verdict: str | None, late: Any = False) -> str:
    """A verdict as a reader reads it ("No update", "Delivered late")."""
    if late and verdict in LATE_LABELS:
        return LATE_LABELS[verdict]
    return VERDICT_LABELS.get(verdict or "") or (verdict or "not audited").replace("_", " ").capitalize()


def fts_query(text: str | None) -> str:
    """Any reader's text as an FTS5 query that cannot fail: every word or "phrase" quoted
    (apostrophes, hyphens, an unclosed quote), a trailing * kept as a prefix search, and
    nothing at all as a phrase that matches nothing."""
    quoted = escape_fts(text or "")
    return _PREFIX_TERM.sub(r'"\1"*', quoted) or '""'


def council_slug(council: str) -> str:
    """A council's name in a URL: lower case, words joined by hyphens ("isle-of-wight")."""
    return _SLUG_GAPS.sub("-", council.lower()).strip("-")


def column_label(column: str, labels: dict[str, str] | None = None) -> str:
    """A query column's heading: the query's own label for it, else its name in words."""
    return (labels or {}).get(column) or column.replace("_", " ").capitalize()


def is_reader_column(column: str) -> bool:
    """False for the columns a query returns for links and feeds (record_id, atom_title ...)."""
    return column not in MACHINE_COLUMNS and not column.startswith(MACHINE_PREFIXES)


def verdict_bar(counts: dict[str, int]) -> list[dict[str, Any]]:
    """The verdict counts in reading order, each with its label, meaning and share of the total (percent)."""
    total = sum(counts.values()) or 1
    keys = [v for v in VERDICT_ORDER if counts.get(v)] + sorted(k for k in counts if k not in VERDICT_ORDER)
    return [{"key": k, "label": _count_label(k), "meaning": _count_meaning(k), "count": counts[k],
             "percent": round(100 * counts[k] / total, 1)} for k in keys if counts[k]]


def chart_spec(spec: dict[str, Any], rows: list[Any]) -> dict[str, Any]:
    """A metric series chart, titled by its measure, dimension and council, with axis titles
    and units, and a caption naming the documents the figures were read from.

    Returns {"spec": the Vega-Lite spec, "caption": the sentence under it}.
    """
    series = [dict(r) for r in rows]
    if not series:
        return {"spec": spec, "caption": ""}
    first = series[0]
    monthly = all(_MONTH.fullmatch(str(r.get("period"))) for r in series)
    unit = first.get("unit")
    title = ", ".join(str(p) for p in (first.get("measure"), first.get("dimension") or "all of the council",
                                       first.get("council")) if p)
    encoding = spec.get("encoding", {})
    titled = {**spec, "title": title, "encoding": {
        **encoding,
        "x": {**encoding.get("x", {}), "title": "Month" if monthly else "Period"},
        "y": {**encoding.get("y", {}), "title": f"{first.get('measure') or 'Value'}" + (f" ({unit})" if unit else "")},
    }}
    sources = list(dict.fromkeys(
        ", ".join(str(p) for p in (r.get("document"), r.get("published")) if p) for r in series if r.get("document")))
    caption = (f"{len(series)} figure{'s' if len(series) != 1 else ''} read from the tables of "
               + "; ".join(sources) + ", as each document printed them." if sources else "")
    return {"spec": titled, "caption": caption}


def _count_label(key: str) -> str:
    verdict, _, late = key.partition(":")
    return verdict_label(verdict, late == "late")


def _count_meaning(key: str) -> str:
    verdict, _, late = key.partition(":")
    return (LATE_MEANINGS if late else VERDICT_MEANINGS).get(verdict, "")


# ---- row pages: a readable heading and a citation -------------------------------------

# What one row of each table is, in a page heading.
ROW_NOUNS = {
    "documents": "Document", "actions": "Action", "targets": "Target", "cohorts": "Cohort", "blocks": "Passage",
    "priorities": "Priority", "metrics": "Figure", "tables": "Table", "leads": "Lead", "audit": "Audit finding",
    "commitment_links": "Edition link", "commitment_changes": "Change between editions",
    "document_series": "Place in a series", "document_links": "Relation between documents",
    "link_overrides": "Linking judgement",
}
# The first of these a row has names it in its heading.
_NAMING_COLUMNS = ("title", "promise_text", "text", "name", "measure", "heading", "caption", "earlier_text")
HEADING_CHARS = 140


def shorten(text: str | None, limit: int = HEADING_CHARS) -> str:
    """Text on one line, cut at a word before `limit` characters with an ellipsis."""
    flat = _squash(text or "").strip()
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def row_heading(table: str, row: dict[str, Any], document: dict[str, Any] | None) -> str:
    """A row page's heading: what the row is and its words, never its id."""
    noun = ROW_NOUNS.get(table) or table.replace("_", " ").capitalize()
    if table == "documents":
        return shorten(row.get("title")) or f"Untitled document ({row.get('source') or 'no source'})"
    if table == "metrics":
        parts = [row.get("measure"), row.get("dimension"), row.get("period")]
        return f"{noun}: " + ", ".join(str(p) for p in parts if p)
    if table == "blocks" and document:
        return f"{noun} on page {row.get('page')} of {shorten(document.get('title'), 80) or 'a document'}"
    words = next((row[c] for c in _NAMING_COLUMNS if isinstance(row.get(c), str) and row[c].strip()), None)
    if words:
        return f"{noun}: {shorten(words)}"
    return f"{noun} in {shorten(document.get('title'), 80)}" if document else noun


def citation(document: dict[str, Any] | None, page: Any = None) -> str:
    """Document title, council, date and page, as a reader cites them."""
    if not document:
        return ""
    parts = [document.get("title") or document.get("source"), document.get("council"), document.get("published")]
    if page:
        parts.append(f"page {page}")
    return ", ".join(str(p) for p in parts if p)


def is_web_address(source: str | None) -> bool:
    return bool(source) and source.startswith(("http://", "https://"))


async def row_page(datasette, db, table: str, pk_values: list[str]) -> dict[str, Any] | None:
    """A row page's heading, citation and links (document, source, promise page)."""
    row = await _fetch(db, table, pk_values)
    if row is None:
        return None
    document = None
    document_id = row.get("id") if table == "documents" else (row.get("document_id") or row.get("earlier_document_id"))
    if document_id and await _has_tables(db, "documents"):
        found = await _rows(db, "select rowid, id, title, council, published, doc_type, source, pages "
                                "from documents where id = :id", {"id": document_id})
        document = found[0] if found else None
    promise_id = row.get("promise_id") if table == "audit" else (row.get("id") if table in ("actions", "targets")
                                                                 else None)
    audited = (promise_id and await _has_tables(db, "audit")
               and (await db.execute("select 1 from audit where promise_id = :id", {"id": promise_id})).first())
    source = (document or {}).get("source")
    return {
        "row": {k: v for k, v in row.items() if k != "text"},
        "heading": row_heading(table, row, document),
        "citation": citation(document, None if table == "documents" else row.get("page")),
        "document_url": await _row_url(datasette, db, "documents", document) if document and table != "documents"
        else None,
        "source": source,
        "source_url": (source if is_web_address(source)
                       else datasette.urls.path(f"/-/source/{tilde_encode(document['id'])}")
                       if document and await local_source(db, document["id"]) else None),
        "council_url": council_url(datasette, document["council"]) if document and document.get("council") else None,
        "promise_url": promise_url(datasette, promise_id) if audited else None,
        "headings": heading_trail(row.get("heading_path")) if table == "blocks" else [],
        "passage": highlight_span(row.get("text") or "", None, None) if table == "blocks" else None,
    }


# ---- lookups --------------------------------------------------------------------------

async def _rows(db, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return [dict(r) for r in (await db.execute(sql, params or {})).rows]


async def _has_tables(db, *tables: str) -> bool:
    names = set(await db.table_names())
    return all(t in names for t in tables)


async def _row_url(datasette, db, table: str, row: dict[str, Any]) -> str:
    """The row page of `row` (which must carry `rowid` when the table has no primary key)."""
    pks = await db.primary_keys(table)
    return datasette.urls.row(db.name, table, path_from_row_pks(row, pks, use_rowid=not pks))


async def _fetch(db, table: str, pk_values: list[str]) -> dict[str, Any] | None:
    pks = await db.primary_keys(table) or ["rowid"]
    where = " and ".join(f"[{pk}] = :p{i}" for i, pk in enumerate(pks))
    rows = await _rows(db, f"select rowid, * from [{table}] where {where}",
                       {f"p{i}": v for i, v in enumerate(pk_values)})
    return rows[0] if rows else None


async def record_context(datasette, db, table: str, pk_values: list[str]) -> dict[str, Any] | None:
    """What a record's row page shows above the row: its passage, document, editions, audit."""
    record = await _fetch(db, table, pk_values)
    if record is None or not record.get("document_id"):
        return None
    documents = await _rows(db, "select rowid, id, title, council, published, doc_type, source, text "
                                "from documents where id = :id", {"id": record["document_id"]})
    if not documents:
        return None
    document = documents[0]
    return {
        "record": record,
        "document": {k: v for k, v in document.items() if k != "text"},
        "document_url": await _row_url(datasette, db, "documents", document),
        **await _passage(db, document, record),
        "action_url": (datasette.urls.row(db.name, "actions", tilde_encode(record["action_id"]))
                       if table == "targets" and record.get("action_id") else None),
        "editions": await _editions(datasette, db, table, record),
        "audit": await _audit(datasette, db, table, record),
    }


async def _passage(db, document: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """The blocks holding the record's span, with the block before and after for context."""
    text = document["text"] or ""
    start, end = record.get("char_start"), record.get("char_end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
        return {"passage": [(highlight_span(record.get("text") or "", None, None), True)], "headings": []}
    holding = await _rows(db, "select seq, heading_path from blocks where document_id = :d "
                              "and char_start < :e and char_end > :s order by seq",
                          {"d": document["id"], "s": start, "e": end})
    first, last = (holding[0]["seq"], holding[-1]["seq"]) if holding else (0, -1)
    # Headings are shown as the trail above the passage, not as context paragraphs.
    blocks = await _rows(db, "select char_start, char_end from blocks where document_id = :d "
                             "and seq between :lo and :hi and (kind != 'heading' or seq between :first and :last) "
                             "order by seq",
                         {"d": document["id"], "lo": first - 1, "hi": last + 1, "first": first, "last": last})
    return {"passage": passage_paragraphs(text, [(b["char_start"], b["char_end"]) for b in blocks], start, end),
            "headings": heading_trail(holding[0]["heading_path"]) if holding else []}


async def _editions(datasette, db, table: str, record: dict[str, Any]) -> list[dict[str, Any]]:
    """The same commitment in the council's other documents (commitment_links clusters)."""
    if table == "cohorts":
        return await _cohort_editions(datasette, db, record)
    action_id = record["id"] if table == "actions" else record.get("action_id")
    if not action_id or not await _has_tables(db, "commitment_links"):
        return []
    rows = await _rows(db, """
        select a.rowid, a.id, a.kind, a.text, a.page, d.title, d.published
        from commitment_links me
          join commitment_links l on l.canonical_id = me.canonical_id
          join actions a on a.id = l.action_id
          join documents d on d.id = a.document_id
        where me.action_id = :id and l.action_id != :id
        order by d.published, a.char_start""", {"id": action_id})
    return [{**r, "url": await _row_url(datasette, db, "actions", r)} for r in rows]


async def _cohort_editions(datasette, db, record: dict[str, Any]) -> list[dict[str, Any]]:
    """Other reports of the same numbered cohort of a programme by the same council."""
    if record.get("cohort_number") is None:
        return []
    rows = await _rows(db, """
        select c.rowid, c.id, c.status as kind, c.text, c.page, d.title, d.published
        from cohorts c join documents d on d.id = c.document_id
        where c.programme = :programme and c.cohort_number = :number
          and c.council is :council and c.id != :id
        order by d.published, c.char_start""",
        {"programme": record.get("programme"), "number": record["cohort_number"],
         "council": record.get("council"), "id": record["id"]})
    return [{**r, "url": await _row_url(datasette, db, "cohorts", r)} for r in rows]


async def _audit(datasette, db, table: str, record: dict[str, Any]) -> list[dict[str, Any]]:
    """Audit rows where this record (or a target's action) is the promise or the evidence."""
    if table == "cohorts" or not await _has_tables(db, "audit"):
        return []
    rows = await _rows(db, """
        select audit.rowid, audit.*, ev.text as evidence_text, ev.rowid as evidence_rowid,
          coalesce(pa.text, pt.text) as promise_text,
          case when pa.id is not null then 'actions' else 'targets' end as promise_table,
          coalesce(pa.rowid, pt.rowid) as promise_rowid
        from audit
          left join actions ev on ev.id = audit.evidence_id
          left join actions pa on pa.id = audit.promise_id
          left join targets pt on pt.id = audit.promise_id
        where audit.promise_id in (:id, :action_id) or audit.evidence_id = :id""",
        {"id": record["id"], "action_id": record.get("action_id") or record["id"]})
    for row in rows:
        row["role"] = "evidence" if row["evidence_id"] == record["id"] else "promise"
        row["label"] = verdict_label(row["verdict"], row.get("late"))
        row["page_url"] = promise_url(datasette, row["promise_id"])
        row["url"] = await _row_url(datasette, db, "audit", row)
        row["evidence_url"] = (await _row_url(datasette, db, "actions",
                                              {"id": row["evidence_id"], "rowid": row["evidence_rowid"]})
                               if row["evidence_id"] else None)
        row["promise_url"] = await _row_url(datasette, db, row["promise_table"],
                                            {"id": row["promise_id"], "rowid": row["promise_rowid"]})
    return rows


async def document_records(datasette, db, document_id: str) -> dict[str, Any]:
    """A document's actions and targets grouped by priority, and its cohorts."""
    priorities = (await _rows(db, "select id, number, title, page from priorities where document_id = :d "
                                  "order by char_start, number", {"d": document_id})
                  if await _has_tables(db, "priorities") else [])
    records = []
    if await _has_tables(db, "actions"):
        for r in await _rows(db, "select rowid, id, priority_id, kind, text, lead, due_text, page, char_start "
                                 "from actions where document_id = :d", {"d": document_id}):
            records.append({**r, "table": "actions", "url": await _row_url(datasette, db, "actions", r)})
    if await _has_tables(db, "targets", "actions"):
        for r in await _rows(db, "select t.rowid, t.id, a.priority_id, 'target' as kind, t.text, "
                                 "a.lead, t.deadline_text as due_text, t.page, t.char_start from targets t "
                                 "left join actions a on a.id = t.action_id where t.document_id = :d",
                             {"d": document_id}):
            records.append({**r, "table": "targets", "url": await _row_url(datasette, db, "targets", r)})
    records.sort(key=lambda r: (r["char_start"] or 0, r["table"]))
    cohorts = []
    if await _has_tables(db, "cohorts"):
        for r in await _rows(db, "select rowid, id, programme, cohort_label, participants, status, text, page "
                                 "from cohorts where document_id = :d order by char_start", {"d": document_id}):
            cohorts.append({**r, "url": await _row_url(datasette, db, "cohorts", r)})
    return {"groups": group_by_priority(priorities, records), "cohorts": cohorts,
            "record_count": len(records)}


# ---- council and promise pages --------------------------------------------------------

async def kb_database(datasette):
    """The database holding the KB: the first one with a documents table."""
    for db in datasette.databases.values():
        if db.name != "_internal" and await _has_tables(db, "documents"):
            return db
    return None


async def _audit_columns(db) -> set[str]:
    return set(await db.table_columns("audit")) if await _has_tables(db, "audit") else set()


def _verdict_key(row: dict[str, Any]) -> str:
    return f"{row['verdict']}:late" if row.get("late") and row["verdict"] in LATE_LABELS else row["verdict"]


async def councils(datasette, db) -> list[dict[str, Any]]:
    """Each council of the KB with its page's URL, document count and verdict counts."""
    rows = await _rows(db, "select council, count(*) as documents from documents where council is not null "
                           "group by council order by council")
    late = "late" in await _audit_columns(db)
    verdicts = (await _rows(db, f"select council, verdict, {'late' if late else '0 as late'}, count(*) as n "
                                "from audit group by 1, 2, 3") if await _has_tables(db, "audit") else [])
    for row in rows:
        counts: dict[str, int] = {}
        for v in verdicts:
            if v["council"] == row["council"]:
                counts[_verdict_key(v)] = counts.get(_verdict_key(v), 0) + v["n"]
        row.update(slug=council_slug(row["council"]), url=council_url(datasette, row["council"]),
                   bar=verdict_bar(counts), promises=sum(counts.values()))
    return rows


def council_url(datasette, council: str) -> str:
    return datasette.urls.path(f"/council/{council_slug(council)}")


def promise_url(datasette, promise_id: str) -> str:
    return datasette.urls.path(f"/promise/{tilde_encode(promise_id)}")


_PROMISES_SQL = """
    select audit.*, d.title as promised_in, d.published as promised_on, d.rowid as document_rowid,
      coalesce(nullif(d.strategy, ''), d.title) as strategy,
      p.number as priority_number, p.title as priority_title, p.char_start as priority_start,
      coalesce(pa.lead, ta.lead) as lead, coalesce(pa.id, pt.action_id) as cluster_action_id,
      coalesce(pa.char_start, pt.char_start) as promise_start,
      ed.title as evidence_in, ed.published as evidence_on, ed.rowid as evidence_document_rowid,
      ev.rowid as evidence_rowid
    from audit
      left join documents d on d.id = audit.document_id
      left join priorities p on p.id = audit.priority_id
      left join actions pa on pa.id = audit.promise_id
      left join targets pt on pt.id = audit.promise_id
      left join actions ta on ta.id = pt.action_id
      left join documents ed on ed.id = audit.evidence_document_id
      left join actions ev on ev.id = audit.evidence_id
    where {where}
    order by d.published, d.id, p.char_start, promise_start"""


async def _promise_rows(datasette, db, where: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Audit rows with what a card shows: documents, priority, lead, links, editions."""
    if not await _has_tables(db, "audit", "documents", "priorities", "actions", "targets"):
        return []
    rows = await _rows(db, _PROMISES_SQL.format(where=where), params)
    for row in rows:
        row["label"] = verdict_label(row["verdict"], row.get("late"))
        row["badge"] = _verdict_key(row).replace(":", "-").replace("_", "-")
        row["meaning"] = _count_meaning(_verdict_key(row))
        row["url"] = promise_url(datasette, row["promise_id"])
        row["document_url"] = await _row_url(datasette, db, "documents",
                                             {"id": row["document_id"], "rowid": row["document_rowid"]})
        row["evidence_document_url"] = (await _row_url(datasette, db, "documents", {
            "id": row["evidence_document_id"], "rowid": row["evidence_document_rowid"]})
            if row.get("evidence_document_id") else None)
        row["evidence_url"] = (await _row_url(datasette, db, "actions",
                                              {"id": row["evidence_id"], "rowid": row["evidence_rowid"]})
                               if row.get("evidence_id") else None)
        row["editions"] = await _edition_documents(datasette, db, row["cluster_action_id"], row["document_id"])
    return rows


async def _edition_documents(datasette, db, action_id: str | None, document_id: str) -> list[dict[str, Any]]:
    """The documents a commitment appears in (its commitment_links cluster), oldest first."""
    rows = []
    if action_id and await _has_tables(db, "commitment_links"):
        rows = await _rows(db, """
            select distinct d.rowid, d.id, d.title, d.published from commitment_links me
              join commitment_links l on l.canonical_id = me.canonical_id
              join actions a on a.id = l.action_id join documents d on d.id = a.document_id
            where me.action_id = :id order by d.published, d.id""", {"id": action_id})
    if not rows:
        rows = await _rows(db, "select rowid, id, title, published from documents where id = :id",
                           {"id": document_id})
    return [{**r, "url": await _row_url(datasette, db, "documents", r)} for r in rows]


def group_promises(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Promises by strategy, then by priority, in the order given."""
    strategies: dict[str, dict[str, Any]] = {}
    for row in rows:
        strategy = strategies.setdefault(row["strategy"] or "", {"strategy": row["strategy"], "priorities": {}})
        key = row.get("priority_id") or ""
        priority = strategy["priorities"].setdefault(key, {
            "number": row.get("priority_number"), "title": row.get("priority_title"), "promises": []})
        priority["promises"].append(row)
    return [{"strategy": s["strategy"], "priorities": list(s["priorities"].values())} for s in strategies.values()]


async def council_page(datasette, slug: str) -> dict[str, Any] | None:
    """What /council/<slug> shows: the verdict bar and the promises grouped; None for no such council."""
    db = await kb_database(datasette)
    if db is None:
        return None
    found = [c for c in await councils(datasette, db) if c["slug"] == council_slug(slug)]
    if not found:
        return None
    council = found[0]
    rows = await _promise_rows(datasette, db, "audit.council = :council", {"council": council["council"]})
    documents = await _rows(db, "select rowid, id, title, published, doc_type from documents "
                                "where council = :c order by published, title", {"c": council["council"]})
    return {**council, "groups": group_promises(rows),
            "documents": [{**d, "url": await _row_url(datasette, db, "documents", d)} for d in documents],
            "database": db.name}


async def promise_page(datasette, promise_id: str) -> dict[str, Any] | None:
    """What /promise/<id> shows: the passage, every edition and change, the verdict; None if unknown."""
    db = await kb_database(datasette)
    if db is None:
        return None
    promise_id = tilde_decode(promise_id)
    for table in ("actions", "targets"):
        if await _has_tables(db, table) and await _fetch(db, table, [promise_id]):
            break
    else:
        return None
    context = await record_context(datasette, db, table, [promise_id])
    if context is None:
        return None
    record = context["record"]
    findings = await _promise_rows(datasette, db, "audit.promise_id = :id", {"id": promise_id})
    action_id = record["id"] if table == "actions" else record.get("action_id")
    return {**context, "table": table, "database": db.name,
            "record_url": await _row_url(datasette, db, table, record),
            "council_url": council_url(datasette, record["council"]) if record.get("council") else None,
            "findings": findings,
            "audit_urls": [await _row_url(datasette, db, "audit", {"promise_id": f["promise_id"]})
                           for f in findings],
            "changes": await _changes(db, action_id, record["id"]),
            "targets": (await _rows(db, "select rowid, * from targets where action_id = :id order by char_start",
                                    {"id": action_id}) if action_id and table == "actions" else [])}


async def _changes(db, action_id: str | None, record_id: str) -> list[dict[str, Any]]:
    """commitment_changes rows of the commitment's cluster (or of the record alone), oldest first."""
    if not await _has_tables(db, "commitment_changes"):
        return []
    ids = {record_id}
    if action_id and await _has_tables(db, "commitment_links"):
        ids |= {r["action_id"] for r in await _rows(db, """
            select l.action_id from commitment_links me join commitment_links l on l.canonical_id = me.canonical_id
            where me.action_id = :id""", {"id": action_id})} | {action_id}
    marks = ", ".join(f":i{n}" for n in range(len(ids)))
    params = {f"i{n}": i for n, i in enumerate(sorted(ids))}
    return await _rows(db, f"""
        select c.*, ed.title as earlier_title, ed.published as earlier_published,
          ld.title as later_title, ld.published as later_published
        from commitment_changes c
          left join documents ed on ed.id = c.earlier_document_id
          left join documents ld on ld.id = c.later_document_id
        where c.earlier_id in ({marks}) or c.later_id in ({marks})
        order by ed.published, ld.published, c.field""", params)


async def searchable_tables(datasette, request) -> list[tuple[Any, str, str]]:
    """(database, table, fts_table) for every table with FTS the actor may see, ours first."""
    found = []
    for db in datasette.databases.values():
        for table, fts, _, _ in await _fts_tables(db):
            visible, _ = await datasette.check_visibility(
                request.actor if request else None,
                permissions=[("view-table", (db.name, table)), ("view-database", db.name), "view-instance"])
            if visible:
                found.append((db, table, fts))
    order = list(SEARCH_SECTIONS)
    return sorted(found, key=lambda f: (order.index(f[1]) if f[1] in order else len(order), f[1]))


# (id of the Database, its schema version) -> [(table, fts_table, primary keys, has a
# document_id to join documents on)]: finding them takes a dozen queries, and the schema
# of a served KB does not change.
_FTS_TABLES: dict[tuple[int, int], list[tuple[str, str, list[str], bool]]] = {}


async def _fts_tables(db) -> list[tuple[str, str, list[str], bool]]:
    version = (await db.execute("pragma schema_version")).first()[0]
    key = (id(db), version)
    if key not in _FTS_TABLES:
        hidden = set(await db.hidden_table_names())
        has_documents = await _has_tables(db, "documents")
        found = []
        for table in await db.table_names():
            fts = None if table in hidden else await db.fts_table(table)
            if fts and fts != table:
                joins = has_documents and "document_id" in await db.table_columns(table)
                found.append((table, fts, await db.primary_keys(table), joins))
        _FTS_TABLES[key] = found
    return _FTS_TABLES[key]


def search_sql(table: str, fts: str, extra: str = "", join: str = "") -> tuple[str, str]:
    """The two queries behind one section of the search page: a bounded count, and the best hits.

    Both answer from the FTS5 index alone. The count stops at SEARCH_COUNT_LIMIT (a common
    word at a million rows would otherwise be counted row by row on every request). The
    hits come in FTS5's own rank order (bm25) with the LIMIT inside, so snippets are made
    for the rows shown only, and only those rows are joined to their table. bm25 costs a
    few microseconds a matching row, so it ranks the latest SEARCH_RANK_WINDOW matches
    (highest rowids: the most recently ingested) rather than all of them: every match
    when there are fewer, as on any one council's documents.
    """
    count = (f"select count(*) from (select 1 from [{fts}] where [{fts}] match :q "
             f"limit {SEARCH_COUNT_LIMIT + 1})")
    hits = (f"select t.rowid, t.*, f._matched{extra} from ("
            f"select rowid, rank, snippet([{fts}], -1, '{_MARK_OPEN}', '{_MARK_CLOSE}', '…', 40) as _matched "
            f"from [{fts}] where [{fts}] match :q and {rank_window(fts)} "
            f"order by rank limit {SEARCH_HITS_PER_TABLE}"
            f") f join [{table}] t on t.rowid = f.rowid{join} order by f.rank")
    return count, hits


def rank_window(fts: str, size: int | None = None) -> str:
    """SQL condition keeping an FTS5 query to its latest `size` matches (rowid order, read
    from the index backwards), so ranking them costs the same at any table size."""
    size = size or SEARCH_RANK_WINDOW
    return (f"rowid >= (select min(rowid) from (select rowid from [{fts}] where [{fts}] match :q "
            f"order by rowid desc limit {size}))")


async def search_hits(datasette, request, q: str) -> list[dict[str, Any]]:
    """For each searchable table: match count (bounded), and the best hits with a highlighted snippet."""
    if not q.strip():
        return []
    match = fts_query(q)
    sections = []
    for db, table, fts in await searchable_tables(datasette, request):
        _, _, pks, joins_documents = next(f for f in await _fts_tables(db) if f[0] == table)
        extra = ", d.title as document, d.published" if joins_documents else ""
        join = " left join documents d on d.id = t.document_id" if joins_documents else ""
        count_sql, hits_sql = search_sql(table, fts, extra, join)
        count = (await db.execute(count_sql, {"q": match})).first()[0]
        if not count:
            continue
        rows = await _rows(db, hits_sql, {"q": match})
        hits = [{"row": r, "matched": render_marks(r["_matched"]),
                 "url": datasette.urls.row(db.name, table, path_from_row_pks(r, pks, use_rowid=not pks))}
                for r in rows]
        sections.append({"database": db.name, "table": table, "title": SEARCH_SECTIONS.get(table, table),
                         "count": min(count, SEARCH_COUNT_LIMIT), "more": count > SEARCH_COUNT_LIMIT,
                         "hits": hits,
                         "more_url": datasette.urls.table(db.name, table) + "?_search=" + quote_plus(q)})
    return sections


def search_json(q: str, sections: list[dict[str, Any]]) -> dict[str, Any]:
    """The search page as data: each section's count and hits, snippets as HTML strings."""
    shown = ("id", "council", "document", "published", "page", "kind")
    return {"q": q, "count_limit": SEARCH_COUNT_LIMIT, "sections": [
        {**{k: section[k] for k in ("database", "table", "title", "count", "more", "more_url")},
         "hits": [{"url": hit["url"], "matched": str(hit["matched"]),
                   **{k: hit["row"][k] for k in shown if k in hit["row"]}} for hit in section["hits"]]}
        for section in sections]}


# ---- hooks ----------------------------------------------------------------------------

@hookimpl(trylast=True)
def prepare_connection(conn):
    # Canned queries quote a reader's search text with it: `... match kb_fts(:q)`. Table
    # pages' `?_search=` call Datasette's own escape_fts(), which makes `"` or an empty box
    # an FTS5 syntax error; trylast registers ours after it, under its name.
    for name in ("kb_fts", "escape_fts"):
        conn.create_function(name, 1, fts_query, deterministic=True)


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name == "row":
        return lambda: _row_vars(datasette, database, table, request)
    if view_name == "page":
        return {"kb_council_page": lambda slug: council_page(datasette, slug),
                "kb_promise_page": lambda promise_id: promise_page(datasette, promise_id)}
    if view_name == "index":
        async def index_vars():
            db = await kb_database(datasette)
            if db is None:
                return {"kb_councils": [], "kb_queries": []}
            queries = await datasette.get_canned_queries(db.name, request.actor if request else None)
            return {"kb_councils": await councils(datasette, db),
                    "kb_queries": [{"title": q.get("title") or name, "description": q.get("description"),
                                    "url": datasette.urls.database(db.name) + "/" + name}
                                   for name, q in queries.items()]}
        return index_vars
    if template == "query.html" and database:
        return lambda: _query_vars(datasette, database)
    if template == "search_all.html":
        async def search_vars():
            q = request.args.get("q") or ""
            return {"q": q, "kb_search": await search_hits(datasette, request, q)}
        return search_vars
    return None


async def _row_vars(datasette, database: str, table: str, request) -> dict[str, Any]:
    db = datasette.get_database(database)
    pk_values = urlsafe_components(request.url_vars["pks"])
    found = {"kb_row": await row_page(datasette, db, table, pk_values)}
    if table in (*RECORD_TABLES, "documents") and await _has_tables(db, "documents", "blocks"):
        if table == "documents":
            found["kb_document"] = await document_records(datasette, db, pk_values[0])
        else:
            found["kb_record"] = await record_context(datasette, db, table, pk_values)
    return found


async def _query_vars(datasette, database: str) -> dict[str, Any]:
    """A query page's helpers: parameter choices, column labels, links to each row's page."""
    db = datasette.get_database(database)
    choices = {}
    for name, (table, column) in PARAMETER_CHOICES.items():
        if await _has_tables(db, table) and column in await db.table_columns(table):
            choices[name] = [r[column] for r in await _rows(
                db, f"select distinct [{column}] from [{table}] where [{column}] is not null order by 1 limit 500")]

    def record_url(row, page: str | None = None) -> str | None:
        """The row's record page, or with `page="promise"` its promise's page."""
        kind, record_id = _row_value(row, "record_table"), _row_value(row, "record_id")
        if page == "promise" and kind in ("actions", "targets") and record_id:
            return promise_url(datasette, str(record_id))
        if kind in LINKABLE_TABLES and record_id:
            return datasette.urls.row(database, kind, tilde_encode(str(record_id)))
        return None

    return {"kb_choices": choices, "kb_record_url": record_url, "kb_label": column_label,
            "kb_reader_column": is_reader_column, "kb_chart": chart_spec}


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if table is None and column == "matched" and isinstance(value, str):
        return render_marks(value)
    if table is None and column == "record_id" and isinstance(value, str):
        kind = _row_value(row, "record_table")
        if kind in LINKABLE_TABLES:
            return _link(datasette.urls.row(database, kind, tilde_encode(value)), value)
    if column == "evidence_id" and table in (None, "audit") and isinstance(value, str):
        return _link(datasette.urls.row(database, "actions", tilde_encode(value)), value)
    if column == "promise_id" and table == "audit" and isinstance(value, str):
        return _promise_link(datasette, database, value)
    if column == "verdict" and isinstance(value, str) and table in (None, "audit"):
        return verdict_label(value, _row_value(row, "late"))
    return None


# Source files a document page may hand out, by suffix: what the ingest reads.
SOURCE_SUFFIXES = frozenset({".pdf", ".txt", ".htm", ".html"})


async def local_source(db, document_id: str) -> Path | None:
    """The file a document was ingested from, when it is still where the ingest read it."""
    found = await _rows(db, "select source from documents where id = :id", {"id": document_id})
    source = found[0]["source"] if found else None
    if not source or is_web_address(source):
        return None
    path = Path(source)
    return path if path.suffix.lower() in SOURCE_SUFFIXES and path.is_file() else None


async def _source_file(datasette, request):
    """/-/source/<document id>: the document's own file, as ingested."""
    db = await kb_database(datasette)
    path = await local_source(db, request.url_vars["document_id"]) if db else None
    if path is None:
        return Response.text("This document's source file is not on this server.", status=404)
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Response(path.read_bytes(), content_type=content_type,
                    headers={"content-disposition": f'inline; filename="{path.name}"'})


def _row_value(row, key: str) -> Any:
    try:
        return row[key]
    except (IndexError, KeyError):
        return None


def _link(url: str, label: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(url, label)


async def _promise_link(datasette, database: str, promise_id: str) -> Markup | None:
    """A promise is an action or a target: link to whichever holds the id."""
    db = datasette.get_database(database)
    for kind in ("actions", "targets"):
        if await _has_tables(db, kind):
            hit = await db.execute(f"select 1 from [{kind}] where id = :id", {"id": promise_id})
            if hit.first():
                return _link(datasette.urls.row(database, kind, tilde_encode(promise_id)), promise_id)
    return None


async def _search_page(datasette, request):
    """/-/search when datasette-search-all is not installed (same template, same results)."""
    return Response.html(await datasette.render_template("search_all.html", {}, request=request))


async def _search_json(datasette, request):
    """/-/search.json?q=: what the search page shows, as JSON."""
    q = request.args.get("q") or ""
    return Response.json(search_json(q, await search_hits(datasette, request, q)))


@hookimpl(trylast=True)
def register_output_renderer() -> dict[str, Any] | None:
    """datasette-atom's `.atom` renderer, answering a query with no rows with an empty feed.

    datasette-atom 0.9 dates a feed by its newest entry, so a feed with none (a council
    with no new commitments) fails with a 500. Datasette keeps the last renderer an
    extension is given, and trylast makes this one the last.
    """
    if importlib.util.find_spec("datasette_atom") is None:
        return None
    from datasette_atom import can_render_atom

    return {"extension": "atom", "render": _render_atom, "can_render": can_render_atom}


def _render_atom(datasette, request, sql, columns, rows, database, table, query_name, view_name, data) -> Response:
    from datasette_atom import can_render_atom, render_atom

    if rows and "atom_link" not in columns and {"record_table", "record_id"} <= set(columns):
        columns, rows = [*columns, "atom_link"], [_with_link(datasette, request, database, r) for r in rows]
    if rows or not can_render_atom(columns):  # datasette-atom's own 400 for a query without atom_ columns
        return render_atom(datasette, request, sql, columns, rows, database, table, query_name, view_name, data)
    return _empty_atom_feed(request.url, _feed_title(datasette, request, sql, database, query_name))


def _with_link(datasette, request, database: str, row) -> dict[str, Any]:
    """A feed row with `atom_link`: the absolute URL of its record's page (a promise's own page)."""
    found = dict(row)
    kind, record_id = found["record_table"], str(found["record_id"])
    path = (promise_url(datasette, record_id) if kind in ("actions", "targets")
            else datasette.urls.row(database, kind, tilde_encode(record_id)))
    return {**found, "atom_link": datasette.absolute_url(request, path)}


def _feed_title(datasette, request, sql: str, database: str, query_name: str | None) -> str:
    """A canned query's title, as datasette-atom titles its feed, else `_feed_title` or the SQL."""
    queries = (datasette.metadata(database=database) or {}).get("queries") or {}
    return (queries.get(query_name) or {}).get("title") or request.args.get("_feed_title", sql)


def _empty_atom_feed(url: str, title: str) -> Response:
    """A valid Atom feed with no entries, updated now (datasette-atom's feedgen makes it)."""
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(url)
    feed.link(href=url, rel="self")
    feed.title(title)
    return Response(feed.atom_str(pretty=True), content_type="application/xml; charset=utf-8", status=200)


@hookimpl
def register_routes(datasette):
    routes = [(r"^/-/search\.json$", _search_json), (r"^/-/source/(?P<document_id>[^/]+)$", _source_file)]
    if importlib.util.find_spec("datasette_search_all") is None:
        routes.append((r"^/-/search$", _search_page))
    return routes
