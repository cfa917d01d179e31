"""The published site: metadata, search, record pages, hostile text, serve and publish.

Datasette tests run on a copy of the KB built from corpus/ (the session `built_kb`),
with one hostile document ingested on top through the real ingest.
"""
from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from html import unescape as html_unescape
from urllib.parse import quote, urlencode
from xml.etree import ElementTree

import httpx
import pytest
import sqlite_utils
from datasette.utils import tilde_encode
from markupsafe import Markup

from extract.errors import WorkforceKBError
from kb.build import ingest
from kb.plugins.kb_site import (
    chart_spec, council_slug, fts_query, group_by_priority, heading_trail, highlight_span, passage_paragraphs,
    render_marks, verdict_label,
)
from kb.site import (
    COLUMN_DESCRIPTIONS, SEARCH_COLUMNS, column_descriptions, enable_search, make_datasette, publish, query_tables,
    site_metadata, table_columns,
)
from schemas import Action

HOSTILE_TEXT = """Children's Social Care Workforce Strategy 2024-2026

Priority 1: Growing our own

Next steps

• We will <script>alert('kb')</script> recruit 10 apprentices by March 2025'); DROP TABLE actions; --.
• We will review <b>pay</b> & "quoted" scales annually.
"""
ALL_QUERIES = site_metadata()["databases"]["kb"]["queries"]


# ---- pure functions -------------------------------------------------------------------

def test_highlight_span_marks_the_span_and_escapes_everything():
    html = highlight_span("Train <b>staff</b> & managers", 6, 18)
    assert html == Markup("Train <mark>&lt;b&gt;staff&lt;/b&gt;</mark> &amp; managers")


@pytest.mark.parametrize("start, end", [(None, None), (5, 5), (3, 99), (-1, 2)])
def test_highlight_span_outside_the_text_marks_nothing(start, end):
    assert highlight_span("a <i> b", start, end) == Markup("a &lt;i&gt; b")


def test_highlight_span_shows_line_breaks_as_spaces():
    assert highlight_span("one\n\ntwo  three", 5, 8) == Markup("one <mark>two</mark> three")


def test_render_marks_restores_only_mark_tags():
    html = render_marks("<script>x()</script> the <mark>apprentice</mark>s")
    assert html == Markup("&lt;script&gt;x()&lt;/script&gt; the <mark>apprentice</mark>s")


def test_passage_paragraphs_mark_the_span_in_each_block_it_crosses():
    text = "First block. Second block. Third block."
    blocks = [(0, 12), (13, 26), (27, 39)]
    paragraphs = passage_paragraphs(text, blocks, 20, 32)
    assert paragraphs == [
        (Markup("First block."), False),
        (Markup("Second <mark>block.</mark>"), True),
        (Markup("<mark>Third</mark> block."), True),
    ]


def test_passage_paragraphs_pad_a_span_in_no_block():
    text = "x" * 50 + "SPAN" + "y" * 50
    [(html, holds)] = passage_paragraphs(text, [(0, 10)], 50, 54, pad=5)
    assert holds and html == Markup("xxxxx<mark>SPAN</mark>yyyyy")


def test_group_by_priority_keeps_priority_order_and_puts_loose_records_last():
    priorities = [{"id": "p2", "title": "Two"}, {"id": "p1", "title": "One"}]
    records = [{"id": "a", "priority_id": "p1"}, {"id": "b", "priority_id": None},
               {"id": "c", "priority_id": "p2"}, {"id": "d", "priority_id": "gone"}]
    groups = group_by_priority(priorities, records)
    assert [(g["priority"] and g["priority"]["id"], [r["id"] for r in g["records"]]) for g in groups] == [
        ("p2", ["c"]), ("p1", ["a"]), (None, ["b", "d"])]
    assert group_by_priority(priorities, records[:1])[-1]["priority"]["id"] == "p1"


def test_heading_trail_reads_json_and_survives_junk():
    assert heading_trail('["Priority 1", "Next steps"]') == ["Priority 1", "Next steps"]
    assert heading_trail("not json") == [] and heading_trail(None) == []


def test_query_tables_finds_from_and_join_targets():
    assert query_tables("select * from a join [b] on 1 left join c x where 1 in (select 1 from d)") == {
        "a", "b", "c", "d"}


# ---- metadata -------------------------------------------------------------------------

def test_record_columns_are_described_where_the_records_are_defined():
    assert column_descriptions("actions")["kind"] == next(
        f.metadata["description"] for f in dataclasses.fields(Action) if f.name == "kind")
    assert "actions" not in COLUMN_DESCRIPTIONS and "documents" not in COLUMN_DESCRIPTIONS


def test_every_column_of_every_table_has_one_description():
    for table, columns in table_columns().items():
        missing = [c for c in columns if not column_descriptions(table).get(c)]
        assert not missing, f"{table}: no description for {missing}"


def test_every_column_of_the_built_kb_is_described(built_kb):
    db = sqlite_utils.Database(built_kb)
    for table in db.table_names():
        if table in table_columns():
            missing = set(db[table].columns_dict) - set(column_descriptions(table))
            assert not missing, f"{table}: no description for {sorted(missing)}"


def test_site_metadata_describes_the_database_and_each_table():
    metadata = site_metadata()
    assert metadata["title"] and metadata["license"] and metadata["license_url"] and metadata["source"]
    tables = metadata["databases"]["kb"]["tables"]
    for table in table_columns():
        assert tables[table]["description"], table
    assert tables["actions"]["facets"] == ["council", "kind", "lead"]
    assert "programme" in tables["cohorts"]["facets"] and "doc_type" in tables["documents"]["facets"]
    assert "verdict" in tables["audit"]["facets"]
    assert {t: tables[t]["fts_table"] for t in SEARCH_COLUMNS} == {t: f"{t}_fts" for t in SEARCH_COLUMNS}


def test_every_canned_query_has_a_title_description_and_declared_params():
    for name, query in ALL_QUERIES.items():
        assert query["title"] and query["description"], name
        without_strings = re.sub(r"'[^']*'", "''", query["sql"])
        named = set(re.findall(r"(?<!:):(\w+)", without_strings))
        assert named == set(query.get("params", [])), name


def test_every_canned_query_compiles_against_the_schema_contract():
    """Each query's SQL against empty tables with every documented column (and the FTS
    indexes), so queries on tables the build has not written yet are still checked."""
    db = sqlite_utils.Database(memory=True)
    db.conn.create_function("kb_fts", 1, fts_query)  # what the site's plugin registers
    for table, columns in table_columns().items():
        db[table].create({c: str for c in columns})
    enable_search(db)
    for name, query in ALL_QUERIES.items():
        params = {p: "" for p in query.get("params", [])}
        db.execute("explain " + query["sql"], params)  # raises on an unknown table or column


def test_site_metadata_fitted_to_a_kb_drops_what_it_lacks(tmp_path):
    db = sqlite_utils.Database(tmp_path / "small.db")
    db["actions"].insert({"id": "a", "text": "We will", "council": "X"}, pk="id")
    db["documents"].insert({"id": "d", "title": "T"}, pk="id")
    fitted = site_metadata(db)["databases"]["kb"]
    assert set(fitted["tables"]) == {"actions", "documents"}
    assert fitted["tables"]["actions"]["facets"] == ["council"]
    assert "sort_desc" not in fitted["tables"]["actions"] and "fts_table" not in fitted["tables"]["actions"]
    assert set(fitted["tables"]["actions"]["columns"]) == {"id", "text", "council"}
    assert "actions_by_lead" in fitted["queries"] and "council_audit" not in fitted["queries"]


# ---- the site on the real KB ------------------------------------------------------------

@pytest.fixture(scope="session")
def site_kb(built_kb, tmp_path_factory) -> Path:
    """The built KB plus one hostile document (markup and SQL in its text), searchable."""
    folder = tmp_path_factory.mktemp("site")
    path = folder / "kb.db"
    with closing(sqlite3.connect(built_kb)) as src, closing(sqlite3.connect(path)) as dst:
        src.backup(dst)  # a file copy would miss what the build left in its write-ahead log
    hostile = folder / "hostile.txt"
    hostile.write_text(HOSTILE_TEXT, encoding="utf-8")
    report = ingest(path, [hostile])
    assert report.ingested == [str(hostile)], report.failed
    db = sqlite_utils.Database(path)
    if not db["audit"].exists():
        # Until the build runs the audit itself: the real step, so the audit pages have data.
        from kb.audit import refresh

        refresh(db)
    enable_search(db)
    db.close()
    return path


@pytest.fixture(scope="session")
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="session")
def ds(site_kb):
    return make_datasette(site_kb)


@pytest.fixture(scope="session")
def get(ds, loop):
    def get(path: str) -> httpx.Response:
        return loop.run_until_complete(ds.client.get(path))
    return get


def _one(site_kb: Path, sql: str, params: tuple = ()) -> dict:
    db = sqlite_utils.Database(site_kb)
    rows = list(db.query(sql, params))
    assert rows, sql
    return rows[0]


def test_table_and_column_descriptions_are_shown(get):
    page = get("/kb/actions")
    assert page.status_code == 200
    assert column_descriptions("actions")["kind"] in page.text
    assert site_metadata()["databases"]["kb"]["tables"]["actions"]["description"] in page.text
    assert "Open Government Licence" in get("/kb").text


def test_tables_are_faceted_as_configured(get):
    facets = {t: get(f"/kb/{t}.json").json()["facet_results"] for t in ("actions", "documents", "metrics")}
    assert {"council", "kind"} <= set(facets["actions"])
    assert {"council", "doc_type"} <= set(facets["documents"])
    assert facets["actions"]["kind"]["results"]


def test_search_all_page_highlights_matches_across_tables(get):
    page = get("/-/search?q=apprenticeship")
    assert page.status_code == 200
    assert 'data-table="actions"' in page.text and 'data-table="blocks"' in page.text
    assert "<mark>Apprenticeship</mark>" in page.text or "<mark>apprenticeship</mark>" in page.text
    assert '<a href="/kb/actions/' in page.text


def test_search_uses_porter_stemming(get):
    rows = get("/kb/search.json?_shape=array&q=apprenticeships").json()
    assert rows and all("<mark>" in r["matched"] for r in rows)
    assert {r["record_table"] for r in rows} >= {"actions", "blocks"}


def test_table_search_finds_actions(get):
    data = get("/kb/actions.json?_search=apprenticeship").json()
    assert data["filtered_table_rows_count"] >= 1
    assert all("pprentice" in r[data["columns"].index("text")] for r in data["rows"])


@pytest.mark.parametrize("name", sorted(ALL_QUERIES))
def test_canned_query_runs(name, get, site_kb):
    missing = query_tables(ALL_QUERIES[name]["sql"]) - set(sqlite_utils.Database(site_kb).table_names())
    if missing:
        pytest.skip(f"the built KB has no {', '.join(sorted(missing))} table yet")
    params = "&q=apprenticeship" if name == "search" else ""
    page = get(f"/kb/{name}.json?_shape=objects{params}")
    assert page.status_code == 200, page.text[:500]
    html = get(f"/kb/{name}?{params[1:]}")
    assert html.status_code == 200 and ALL_QUERIES[name]["title"] in html.text


def test_canned_query_rows_link_to_their_records(get):
    html = get("/kb/search?q=apprenticeship").text
    assert '<td class="col-matched"><a href="/kb/' in html
    assert "<mark>" in html
    assert "col-record_id" not in html and "col-record_table" not in html


FEEDS = ["new_commitments", "past_deadline_no_update"]
ATOM = "{http://www.w3.org/2005/Atom}"


def _atom_feed(page: httpx.Response) -> ElementTree.Element:
    assert page.status_code == 200, page.text[:500]
    assert page.headers["content-type"].startswith("application/xml")
    feed = ElementTree.fromstring(page.content)
    assert feed.tag == f"{ATOM}feed" and feed.findtext(f"{ATOM}id") and feed.findtext(f"{ATOM}updated")
    return feed


@pytest.mark.parametrize("name", FEEDS)
def test_atom_feeds(name, get):
    rows = get(f"/kb/{name}.json?_shape=array").json()
    assert rows, "the built KB gives every feed entries"
    page = get(f"/kb/{name}.atom")
    feed = _atom_feed(page)
    assert len(feed.findall(f"{ATOM}entry")) == len(rows) and "<script>" not in page.text
    assert feed.findtext(f"{ATOM}title") == ALL_QUERIES[name]["title"]


@pytest.mark.parametrize("name", FEEDS)
def test_atom_feed_with_no_entries_is_an_empty_feed(name, get):
    """datasette-atom alone answers a query with no rows with a 500."""
    assert get(f"/kb/{name}.json?_shape=array&council=Nowhere").json() == []
    feed = _atom_feed(get(f"/kb/{name}.atom?council=Nowhere"))
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}title") == ALL_QUERIES[name]["title"]


def test_atom_feed_of_a_query_without_atom_columns_is_still_refused(get):
    assert get("/kb.atom?sql=select+1+as+x+where+0").status_code == 400


def test_record_page_shows_the_highlighted_passage_and_citation(get, site_kb):
    action = _one(site_kb, "select a.id, a.text, a.page, d.title from actions a join documents d "
                           "on d.id = a.document_id where a.text like '%pprenticeship%' order by a.id")
    page = get(f"/kb/actions/{action['id']}")
    assert page.status_code == 200
    panel = page.text[page.text.index('class="kb-panel kb-record"'):]
    assert "<mark>" in panel and str(Markup.escape(action["text"].split()[0])) in panel
    assert str(Markup.escape(action["title"])) in panel and f"page {action['page']}" in panel
    assert '<a href="/kb/documents/' in panel


def test_record_page_links_other_editions_and_the_audit(get, site_kb):
    tables = set(sqlite_utils.Database(site_kb).table_names())
    if not {"commitment_links", "audit"} <= tables:
        pytest.skip("the built KB has no commitment_links or audit table yet")
    pair = _one(site_kb, "select l.action_id, other.action_id as other_id from commitment_links l "
                         "join commitment_links other on other.canonical_id = l.canonical_id "
                         "and other.action_id != l.action_id order by l.action_id")
    assert f'<a href="/kb/actions/{pair["other_id"]}">' in get(f"/kb/actions/{pair['action_id']}").text
    promise = _one(site_kb, "select promise_id from audit join actions on actions.id = audit.promise_id "
                            "order by promise_id")
    panel = get(f"/kb/actions/{promise['promise_id']}").text
    assert '<h3>Audit</h3>' in panel and f'class="kb-verdict" href="/promise/{promise["promise_id"]}"' in panel


def test_hostile_document_text_is_escaped_everywhere(get, site_kb):
    action = _one(site_kb, "select id, document_id from actions where text like '%<script>%'")
    pages = [get(f"/kb/actions/{action['id']}"), get(f"/kb/documents/{action['document_id']}"),
             get("/-/search?q=apprentices"), get("/kb/search?q=alert"), get("/kb/actions?_search=alert")]
    for page in pages:
        assert page.status_code == 200
        assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#39;kb&#39;)&lt;/script&gt;" in pages[0].text
    assert "DROP TABLE actions" in pages[0].text  # shown as text, and the table is still there
    assert sqlite_utils.Database(site_kb)["actions"].count > 1


def test_document_page_lists_its_records_by_priority(get, site_kb):
    doc = _one(site_kb, "select document_id, count(*) n from actions where priority_id is not null "
                        "group by document_id order by n desc")
    priority = _one(site_kb, "select p.title from priorities p join actions a on a.priority_id = p.id "
                             "where p.document_id = ? limit 1", (doc["document_id"],))
    page = get(f"/kb/documents/{doc['document_id']}")
    panel = page.text[page.text.index('class="kb-panel kb-document"'):]
    assert "Records read from this document" in panel
    assert str(Markup.escape(priority["title"])) in panel
    assert panel.count('<a href="/kb/actions/') >= doc["n"]


def test_database_is_served_immutable(ds, get, site_kb, loop):
    before = hashlib.sha256(site_kb.read_bytes()).hexdigest()
    db = ds.get_database("kb")
    assert db.is_mutable is False
    assert get("/-/databases.json").json()[0]["is_mutable"] is False
    refused = get("/kb.json?sql=delete+from+actions")
    assert refused.status_code == 400
    with pytest.raises(AssertionError):
        loop.run_until_complete(db.execute_write("delete from actions"))
    assert ds.setting("sql_time_limit_ms") > 0
    assert hashlib.sha256(site_kb.read_bytes()).hexdigest() == before


def test_live_site_shows_documents_ingested_after_it_started(built_kb, tmp_path, loop, data_dir):
    """An immutable site would go on counting the documents it started with."""
    path = tmp_path / "kb.db"
    with closing(sqlite3.connect(built_kb)) as src, closing(sqlite3.connect(path)) as dst:
        src.backup(dst)
    live = make_datasette(path, live=True)
    db = live.get_database("kb")
    assert db.is_mutable and live.setting("sql_time_limit_ms") > 0

    def documents() -> int:
        return loop.run_until_complete(live.client.get("/kb.json?sql=select+count(*)+as+n+from+documents"
                                                       "&_shape=array")).json()[0]["n"]

    before = documents()
    assert ingest(path, [sorted(data_dir.glob("*.txt"))[0]]).ingested
    assert documents() == before + 1
    assert loop.run_until_complete(live.client.get("/kb.json?sql=delete+from+actions")).status_code == 400
    db.close()


def test_make_datasette_refuses_a_missing_kb(tmp_path):
    with pytest.raises(WorkforceKBError, match="no such knowledge base"):
        make_datasette(tmp_path / "absent.db")


def test_publish_writes_a_deployable_configuration_directory(site_kb, tmp_path, loop):
    from datasette.app import Datasette

    out = publish(site_kb, tmp_path / "site")
    assert {p.name for p in out.iterdir()} >= {
        "kb.db", "metadata.json", "settings.json", "inspect-data.json", "plugins", "templates", "README.md"}
    assert (out / "plugins" / "kb_site.py").is_file() and (out / "templates" / "row.html").is_file()
    assert "datasette package kb.db" in (out / "README.md").read_text()
    assert json.loads((out / "metadata.json").read_text())["databases"]["kb"]["queries"]
    deployed = Datasette(config_dir=out)
    assert deployed.get_database("kb").is_mutable is False
    page = loop.run_until_complete(deployed.client.get("/-/search?q=apprenticeship"))
    assert page.status_code == 200 and "<mark>" in page.text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_on_loopback(site_kb):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", f"from kb.site import serve; serve({str(site_kb)!r}, port={port})"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/-/search?q=apprenticeship", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.1)
        else:
            pytest.fail("wfkb serve did not answer within 10 s")
        assert page.status_code == 200 and "<mark>" in page.text
    finally:
        server.terminate()
        server.wait(timeout=10)


# ---- search speed: bounded, ranked, no facet suggestions ------------------------------------

def test_search_json_is_what_the_page_shows(get):
    data = get("/-/search.json?q=apprenticeship").json()
    tables = [s["table"] for s in data["sections"]]
    assert tables[:1] == ["actions"] and "blocks" in tables
    actions = data["sections"][0]
    assert actions["count"] >= len(actions["hits"]) > 0 and actions["more"] is False
    assert all("<mark>" in h["matched"].lower() and h["url"].startswith("/kb/actions/") for h in actions["hits"])
    page = get("/-/search?q=apprenticeship").text
    assert f'{actions["count"]} match' in page
    assert get("/-/search.json?q=").json()["sections"] == []


def test_search_counts_stop_at_the_limit_and_hits_come_best_first(tmp_path, loop):
    from kb.plugins.kb_site import SEARCH_COUNT_LIMIT, SEARCH_HITS_PER_TABLE

    db = sqlite_utils.Database(tmp_path / "many.db")
    db["actions"].insert_all(
        ({"id": f"a{i}", "text": "We will grow apprenticeship routes" + " and more" * (i % 7), "lead": None}
         for i in range(SEARCH_COUNT_LIMIT + 50)), pk="id")
    enable_search(db)
    db.close()
    ds = make_datasette(tmp_path / "many.db")
    data = loop.run_until_complete(ds.client.get("/-/search.json?q=apprenticeship")).json()
    section = data["sections"][0]
    assert (section["count"], section["more"]) == (SEARCH_COUNT_LIMIT, True)
    assert len(section["hits"]) == SEARCH_HITS_PER_TABLE
    # bm25 favours the shortest texts: the ones with no " and more" come first.
    assert all(" and more" not in h["matched"] for h in section["hits"])
    page = loop.run_until_complete(ds.client.get("/-/search?q=apprenticeship")).text
    assert f"{SEARCH_COUNT_LIMIT:,}+ matches" in page


def test_table_pages_make_no_facet_suggestions_and_facet_columns_are_indexed(get, ds, site_kb):
    assert ds.setting("suggest_facets") is False
    data = get("/kb/actions.json").json()
    assert data["suggested_facets"] == [] and data["facet_results"]
    indexed = {tuple(i.columns) for i in sqlite_utils.Database(site_kb)["actions"].indexes}
    assert {("council",), ("kind",)} <= indexed


# ---- pages for readers ------------------------------------------------------------------

AWKWARD_TEXTS = ["", " ", "children's", "step-up", '"social work', "'", '"', '""', "-", "*", "a OR", "NOT",
                 "(", "x:y", "^", "appren*", 'he said "no', "NEAR(a b)", "🙂", "a\"b'c-d"]
HASH_HEADING = re.compile(r"\b[0-9a-f]{16,}\b")


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_fts_query_makes_any_text_a_query_fts5_accepts(text):
    db = sqlite_utils.Database(memory=True)
    db["t"].insert({"text": "Children's step-up to social work apprenticeships"})
    db["t"].enable_fts(["text"], tokenize="porter")
    list(db.query("select * from t_fts where t_fts match ?", [fts_query(text)]))


def test_fts_query_keeps_words_phrases_and_prefixes():
    assert fts_query("children's services") == '"children\'s" "services"'
    assert fts_query('"social work') == '"social work"'
    assert fts_query("appren*") == '"appren"*'
    assert fts_query("") == fts_query("   ") == '""'


@pytest.mark.parametrize("text", ["children's", "step-up", '"social work', "", '"', "appren*"])
def test_every_search_accepts_any_text(text, get):
    q = quote(text)
    for path in (f"/kb/search?q={q}", f"/kb/search.json?q={q}", f"/-/search?q={q}", f"/-/search.json?q={q}",
                 f"/kb/actions?_search={q}", f"/kb/blocks.json?_search={q}"):
        page = get(path)
        assert page.status_code == 200, (path, page.text[:300])
        assert "syntax error" not in page.text


def test_search_with_no_words_shows_the_form_not_an_error(get):
    for path in ("/kb/search", "/kb/search?q="):
        page = get(path)
        assert page.status_code == 200 and 'name="q"' in page.text
        assert "message-error" not in page.text and "Type the words to search for" in page.text


def test_search_finds_words_with_apostrophes_and_hyphens(get):
    assert get("/kb/search.json?_shape=array&q=" + quote("children's")).json()
    assert get("/kb/search.json?_shape=array&q=appren*").json()


@pytest.mark.parametrize("name", ["no_reported_progress", "council_audit", "actions_by_lead", "new_commitments"])
def test_a_council_is_matched_in_any_case(name, get):
    rows = {c: get(f"/kb/{name}.json?_shape=array&council={c}").json() for c in ("Wirral", "wirral", "WIRRAL")}
    assert rows["Wirral"] and rows["Wirral"] == rows["wirral"] == rows["WIRRAL"]


def test_metric_series_matches_a_measure_in_part_and_in_any_case(get, site_kb):
    rows = get("/kb/metric_series.json?_shape=array&measure=sickness").json()
    assert rows and all("sickness" in r["measure"].lower() for r in rows)
    assert len({r["measure"] for r in rows}) == 1
    exact = _one(site_kb, "select measure from metrics where measure like '%sickness%' order by length(measure) desc")
    named = get("/kb/metric_series.json?_shape=array&measure=" + quote(exact["measure"].upper())).json()
    assert named and {r["measure"] for r in named} == {exact["measure"]}
    assert get("/kb/metric_series.json?_shape=array&measure=no+such+measure").json() == []


def test_metric_series_matches_a_dimension_and_council_in_any_case(get):
    first = get("/kb/metric_series.json?_shape=array").json()[0]
    chosen = {"measure": first["measure"], "dimension": first["dimension"].lower(), "council": first["council"].upper()}
    rows = get("/kb/metric_series.json?_shape=array&" + urlencode(chosen)).json()
    assert rows and {(r["dimension"], r["council"]) for r in rows} == {(first["dimension"], first["council"])}


@pytest.mark.parametrize("name", sorted(ALL_QUERIES))
def test_canned_query_pages_show_no_sql_and_no_machine_columns(name, get):
    html = get(f"/kb/{name}").text
    assert '<pre id="sql-query">' not in html and "sql-editor" not in html.split("<script")[0]
    assert f"<title>{Markup.escape(ALL_QUERIES[name]['title'])}</title>" in html
    for column in ("record_table", "record_id", "atom_id", "atom_title", "score"):
        assert f'<th class="col-{column}"' not in html
    assert '<pre id="sql-query">' in get(f"/kb/{name}?_show_sql=1").text


def test_fixed_value_parameters_are_offered_as_choices(get, site_kb):
    html = get("/kb/cohorts_by_programme").text
    programme = _one(site_kb, "select programme from cohorts where programme is not null order by programme")
    assert '<select id="qp1" name="programme">' in html and f"<option>{Markup.escape(programme['programme'])}" in html
    assert '<select id="qp2" name="council">' in html and "<option>Wirral</option>" in html
    assert '<option selected>Wirral</option>' in get("/kb/council_audit?council=wirral").text


def test_chart_spec_names_the_series_and_its_source():
    rows = [{"period": "2023-01", "value": 1.2, "unit": "days per FTE", "measure": "sickness days",
             "dimension": "Children", "council": "Sefton", "document": "Report", "published": "2024"},
            {"period": "2023-02", "value": 1.0, "unit": "days per FTE", "measure": "sickness days",
             "dimension": "Children", "council": "Sefton", "document": "Report", "published": "2024"}]
    spec = {"mark": "line", "encoding": {"x": {"field": "period"}, "y": {"field": "value"}}}
    chart = chart_spec(spec, rows)
    assert chart["spec"]["title"] == "sickness days, Children, Sefton"
    assert chart["spec"]["encoding"]["x"]["title"] == "Month"
    assert chart["spec"]["encoding"]["y"]["title"] == "sickness days (days per FTE)"
    assert chart["caption"] == "2 figures read from the tables of Report, 2024, as each document printed them."


def test_metric_series_page_titles_its_chart(get):
    html = get("/kb/metric_series?measure=sickness").text
    [spec] = [json.loads(s) for s in re.findall(
        r'<script type="application/vnd\.vegalite\+json">(.*?)</script>', html, re.DOTALL)]
    assert "sickness" in spec["title"] and "(" in spec["encoding"]["y"]["title"]
    assert 'class="kb-meta kb-chart-source">' in html and "read from the tables of" in html


@pytest.mark.parametrize("verdict, late, label", [
    ("delivered", False, "Delivered"), ("delivered", 1, "Delivered late"), ("in_progress", 1, "In progress, past due"),
    ("no_update", 1, "No update"), ("awaiting_report", None, "Awaiting a report"), ("not_yet_due", 0, "Not yet due"),
    ("something_new", 0, "Something new"),
])
def test_verdicts_read_as_words(verdict, late, label):
    assert verdict_label(verdict, late) == label


def test_home_page_links_every_council_page(get, site_kb):
    html = get("/").text
    councils = sqlite3.connect(site_kb).execute("select distinct council from documents where council is not null")
    for (council,) in councils:
        assert f'<a href="/council/{council_slug(council)}">{Markup.escape(council)}</a>' in html


def test_council_page_shows_its_verdicts_and_one_card_per_audited_promise(get, site_kb):
    counts = sqlite3.connect(site_kb).execute(
        "select verdict, late, count(*) from audit where council = 'Wirral' group by verdict, late").fetchall()
    page = get("/council/wirral")
    assert page.status_code == 200
    assert page.text.count('<article class="kb-card"') == sum(n for _, _, n in counts)
    for verdict, late, n in counts:
        css = verdict.replace("_", "-") + ("-late" if late else "")
        badge = f'<span class="kb-badge kb-v-{css}">{verdict_label(verdict, late)}</span>'
        assert f"{badge} {n}" in page.text, badge
    promise = _one(site_kb, "select promise_id, p.title from audit join priorities p on p.id = audit.priority_id "
                            "where audit.council = 'Wirral'")
    assert f'href="/promise/{promise["promise_id"]}"' in page.text and str(Markup.escape(promise["title"])) in page.text
    assert get("/council/WIRRAL").status_code == 200 and get("/council/nowhere").status_code == 404


def test_promise_page_tells_the_story_of_one_promise(get, site_kb):
    finding = _one(site_kb, "select a.promise_id, a.verdict, a.explanation, d.title from audit a "
                            "join documents d on d.id = a.document_id where a.evidence_id is not null")
    page = get(f"/promise/{finding['promise_id']}")
    assert page.status_code == 200
    assert verdict_label(finding["verdict"]) in page.text and str(Markup.escape(finding["explanation"])) in page.text
    assert '<p class="kb-span">' in page.text and "<mark>" in page.text
    assert str(Markup.escape(finding["title"])) in page.text and "<h2>Editions</h2>" in page.text
    assert f'href="/kb/audit/{finding["promise_id"]}"' in page.text  # the row, as data
    assert get("/promise/0000000000000000").status_code == 404


def test_the_site_says_the_audits_words_for_each_verdict():
    from kb import audit
    from kb.plugins import kb_site

    assert kb_site.VERDICT_LABELS == {v.value: label for v, label in audit.LABELS.items()}
    assert kb_site.VERDICT_MEANINGS == {v.value: meaning for v, meaning in audit.MEANINGS.items()}
    assert kb_site.LATE_LABELS == {v.value: label for v, label in audit.LATE_LABELS.items()}
    assert kb_site.LATE_MEANINGS == {v.value: meaning for v, meaning in audit.LATE_MEANINGS.items()}


def test_a_council_awaiting_a_report_is_not_said_to_have_no_update(site_kb, loop):
    # Sefton has one document: nothing later can have reported on its promises yet.
    ds = make_datasette(site_kb)
    n = sqlite3.connect(site_kb).execute("select count(*) from audit where council = 'Sefton'").fetchone()[0]
    page = loop.run_until_complete(ds.client.get("/council/sefton")).text
    assert n and f'<span class="kb-badge kb-v-awaiting-report">Awaiting a report</span> {n}' in page
    assert "kb-v-no-update" not in page.split("<style>")[-1].split("</style>")[-1]
    silent = loop.run_until_complete(ds.client.get("/kb/no_reported_progress.json?_shape=array&council=sefton"))
    assert silent.json() == []


def test_promise_page_shows_its_changes_and_a_late_delivery(site_kb, loop):
    ds = make_datasette(site_kb)
    db = sqlite_utils.Database(site_kb)
    promise_id = next(db.query("select promise_id from audit where promise_text = "
                               "'The model will be officially launched early in 2023.'"))["promise_id"]
    page = loop.run_until_complete(ds.client.get(f"/promise/{promise_id}")).text
    assert "Delivered late" in page
    assert "<strong>Deadline</strong>: early in 2023 → 2nd October 2023" in page
    late = db.execute("select count(*) from audit where council = 'Wirral' and verdict = 'delivered' and late = 1")
    council = loop.run_until_complete(ds.client.get("/council/wirral")).text
    assert f'<span class="kb-badge kb-v-delivered-late">Delivered late</span> {late.fetchone()[0]}' in council
    audit = loop.run_until_complete(ds.client.get("/kb/council_audit.json?_shape=array&council=wirral")).json()
    assert sum(1 for r in audit if r["late"]) == db.execute(
        "select count(*) from audit where council = 'Wirral' and late = 1").fetchone()[0]


def test_the_site_and_the_briefing_count_the_same_promises(site_kb, loop):
    from kb.audit import format_report, run_audit

    db = sqlite_utils.Database(site_kb)
    report = run_audit(db, councils=["Wirral"], write=False)
    markdown = format_report(db, report, "markdown")
    listed = int(re.search(r"Judged as of [^:]+: (\d+) promises\.", markdown).group(1))
    assert listed == len(json.loads(format_report(db, report, "json"))) == db["audit"].count_where("council = 'Wirral'")
    ds = make_datasette(site_kb)
    audit = loop.run_until_complete(ds.client.get("/kb/council_audit.json?_shape=array&council=wirral&_size=max"))
    assert len(audit.json()) == listed
    council = loop.run_until_complete(ds.client.get("/council/wirral")).text
    badges = re.findall(r'<span class="kb-badge kb-v-[\w-]+">[^<]+</span> (\d+)', council)
    assert sum(map(int, badges)) == listed


@pytest.mark.parametrize("table", ["documents", "actions", "targets", "cohorts", "blocks", "priorities", "metrics",
                                   "audit", "commitment_links", "tables", "leads"])
def test_row_pages_are_headed_in_words_with_the_row_as_data(table, get, site_kb):
    db = sqlite_utils.Database(site_kb)
    pks = db[table].pks
    row = next(db.query(f"select {', '.join(pks)} from [{table}] order by rowid limit 1"))
    page = get(f"/kb/{table}/" + ",".join(tilde_encode(str(row[pk])) for pk in pks))
    assert page.status_code == 200
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page.text, re.DOTALL).group(1)
    title = re.search(r"<title>(.*?)</title>", page.text, re.DOTALL).group(1)
    assert not HASH_HEADING.search(h1) and not HASH_HEADING.search(title), h1
    assert '<details class="kb-data"' in page.text and "<summary>As data</summary>" in page.text


def test_document_page_is_headed_by_title_council_and_date_and_links_its_source(get, site_kb):
    doc = _one(site_kb, "select id, title, council, published, source from documents where council = 'Wirral' "
                        "order by published")
    page = get(f"/kb/documents/{doc['id']}").text
    assert re.search(r"<h1[^>]*>" + re.escape(str(Markup.escape(doc["title"]))) + "</h1>", page)
    assert f'<p class="kb-subtitle">Wirral, {doc["published"]}' in page
    if Path(doc["source"]).is_file():
        assert f'<a href="/-/source/{doc["id"]}">{Markup.escape(doc["source"])}</a>' in page
        source = get(f"/-/source/{doc['id']}")
        assert source.status_code == 200 and source.content == Path(doc["source"]).read_bytes()
    assert get("/-/source/nothing").status_code == 404


def test_passage_pages_show_headings_as_a_trail_and_a_citation(get, site_kb):
    block = _one(site_kb, "select b.id, b.page, b.heading_path, d.title from blocks b join documents d "
                          "on d.id = b.document_id where b.heading_path != '[]' and b.kind = 'paragraph'")
    page = get(f"/kb/blocks/{block['id']}").text
    assert f"Passage on page {block['page']} of" in page
    assert str(Markup.escape(" › ".join(json.loads(block["heading_path"])))) in page
    assert '<p class="kb-cite"><a href="/kb/documents/' in page


@pytest.mark.parametrize("name", FEEDS)
def test_atom_entries_link_to_their_records_page(name, get):
    feed = _atom_feed(get(f"/kb/{name}.atom"))
    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
    assert links and all(re.fullmatch(r"http://localhost/promise/[0-9a-f]+", link) for link in links), links[:3]
    assert get(links[0].removeprefix("http://localhost")).status_code == 200


CRAWL_LIMIT = 400


def test_every_page_reachable_from_the_home_page_answers(get):
    """Follows every link on the site's own pages (breadth first, up to CRAWL_LIMIT pages)."""
    seen, queue, failed = {"/"}, ["/"], []
    while queue and len(seen) <= CRAWL_LIMIT:
        path = queue.pop(0)
        page = get(path)
        if page.status_code >= 400:
            failed.append((path, page.status_code))
        if not page.headers.get("content-type", "").startswith("text/html"):
            continue
        for href in re.findall(r'href="([^"#]+)', page.text):
            href = html_unescape(href)
            if href.startswith("/") and not href.startswith("//") and href not in seen:
                seen.add(href)
                queue.append(href)
    assert not failed, failed
    assert len(seen) > 100
