"""Datasette plugin for the workforce-kb site: source passages, record links, search.

Hooks are adapters over the pure functions below (highlight_span, render_marks,
passage_bounds, group_by_priority), which the tests call directly. The module is
self-contained (Datasette, markupsafe, the standard library, and datasette-atom when it is
installed) so that a published site runs it from its `plugins/` folder without
workforce-kb installed.

Every piece of document text reaching HTML goes through markupsafe.escape: documents
are untrusted input.
"""
from __future__ import annotations

import importlib.util
import json
import re
from typing import Any, Iterable
from urllib.parse import quote_plus

from datasette import hookimpl
from datasette.utils import escape_fts, path_from_row_pks, tilde_encode, urlsafe_components
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
    match = escape_fts(q)
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

@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name == "row" and table in (*RECORD_TABLES, "documents"):
        async def row_vars():
            db = datasette.get_database(database)
            if not await _has_tables(db, "documents", "blocks"):
                return {}
            pk_values = urlsafe_components(request.url_vars["pks"])
            if table == "documents":
                return {"kb_document": await document_records(datasette, db, pk_values[0])}
            return {"kb_record": await record_context(datasette, db, table, pk_values)}
        return row_vars
    if template == "search_all.html":
        async def search_vars():
            q = request.args.get("q") or ""
            return {"q": q, "kb_search": await search_hits(datasette, request, q)}
        return search_vars
    return None


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
    return None


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

    if rows or not can_render_atom(columns):  # datasette-atom's own 400 for a query without atom_ columns
        return render_atom(datasette, request, sql, columns, rows, database, table, query_name, view_name, data)
    return _empty_atom_feed(request.url, _feed_title(datasette, request, sql, database, query_name))


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
    routes = [(r"^/-/search\.json$", _search_json)]
    if importlib.util.find_spec("datasette_search_all") is None:
        routes.append((r"^/-/search$", _search_page))
    return routes
