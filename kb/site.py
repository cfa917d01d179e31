"""The published knowledge base (the Datasette site): metadata, search indexes, serve and publish.

`site_metadata()` joins the hand-written half of the metadata (`kb/metadata.yml`: title,
licence, table settings, canned queries) to column descriptions generated from the
record types in `schemas/`. `serve()` runs Datasette on a built KB, read-only;
`publish()` writes a directory that `datasette`, `datasette package` and
`datasette publish` can deploy as it is.
"""
from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import sqlite_utils
import yaml
from datasette.app import Datasette

from extract.errors import WorkforceKBError
from kb.audit import AUDIT_COLUMNS
from kb.search import METADATA_FILE, SEARCH_COLUMNS, enable_search, index_facets  # noqa: F401  (the site's API)
from kb.schema import RECORD_TABLES
from schemas import Block
from schemas.columns import CHAR_END, CHAR_START, COUNCIL, DOCUMENT_ID, ID, PAGE

__all__ = [
    "COLUMN_DESCRIPTIONS", "DEFAULT_SQL_TIME_LIMIT_MS", "column_descriptions", "PLUGINS_DIR", "SEARCH_COLUMNS",
    "SITE_SETTINGS",
    "TEMPLATES_DIR", "enable_search", "index_facets", "make_datasette", "publish", "query_tables", "serve",
    "site_metadata", "table_columns",
]

KB_DIR = Path(__file__).parent
PLUGINS_DIR = KB_DIR / "plugins"
TEMPLATES_DIR = KB_DIR / "templates"
PUBLISHED_DB_NAME = "kb"
# Datasette's default is 1000 ms; the cross-table search and the audit joins need a
# little more on a slow machine, and anything slower is a runaway query.
DEFAULT_SQL_TIME_LIMIT_MS = 2500
# Datasette behaviour that keeps table pages quick at a million rows: no facet suggestions
# (each is a GROUP BY over the whole filtered table on every page view), and the facets
# configured in metadata.yml give up after a bound rather than hold the page.
SITE_SETTINGS: dict[str, Any] = {"suggest_facets": False, "facet_time_limit_ms": 200}
# Plugins the site relies on, installed from PyPI (also the pyproject dependencies).
REQUIRED_PLUGINS = ("datasette-search-all", "datasette-atom", "datasette-vega-dashboards")

# Full-text search: the columns a reader searches in each record table.
# Tables with no record type of their own (blocks: a Block's fields plus its document),
# as kb-schema.md and kb/tables.py write them.
_OTHER_COLUMNS: dict[str, list[str]] = {
    "blocks": list(dict.fromkeys(["id", "document_id", *(f.name for f in dataclasses.fields(Block))])),
    "tables": ["id", "document_id", "page", "pages", "caption", "heading", "n_rows", "n_cols",
               "header_rows", "cells", "in_metrics", "found_by", "boxes", "char_start", "char_end"],
    "commitment_links": ["id", "action_id", "canonical_id", "score", "method", "council"],
    "commitment_changes": ["id", "council", "kind", "field", "before", "after", "earlier_id", "later_id",
                           "earlier_document_id", "later_document_id", "earlier_text", "later_text",
                           "earlier_page", "later_page"],
    "link_overrides": ["action_a", "action_b", "same", "note"],
    "audit": list(AUDIT_COLUMNS),
    "document_series": ["document_id", "council", "series_id", "strategy", "position", "role",
                        "previous_id", "supersedes_id", "appendix_of", "appendix_label"],
    "document_links": ["id", "document_id", "other_id", "relation", "method"],
}

# Columns canned queries read that a KB built by an older version lacks: (table, column).
_OPTIONAL_COLUMNS = (("audit", "late"),)
_FROM_OR_JOIN = re.compile(r"\b(?:from|join)\s+\[?(\w+)", re.IGNORECASE)

# The record types (schemas/) describe their own columns; these are the other tables'.
_DESCRIBED_BY: dict[str, type] = {**RECORD_TABLES, "blocks": Block}
COLUMN_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "blocks": {"document_id": DOCUMENT_ID},
    "tables": {
        "id": ID, "document_id": DOCUMENT_ID, "page": PAGE, "char_start": CHAR_START, "char_end": CHAR_END,
        "pages": "Every page the table spans (JSON list)",
        "caption": "The table's caption, when it has one",
        "heading": "The heading the table sits under",
        "n_rows": "Number of rows, header rows included",
        "n_cols": "Number of columns in the widest row",
        "header_rows": "How many rows at the top are headers",
        "cells": "JSON list of rows, each a list of cell texts (null for an empty cell), header first",
        "in_metrics": "1 when the table's figures were also read into metrics",
        "found_by": "How the table was found: ruled (a grid), rules_horizontal (rules across only) or "
                    "aligned_text (no rules)",
        "boxes": "The table's box on each page it spans (JSON list of [page, x0, top, x1, bottom])",
    },
    "commitment_links": {
        "id": ID, "council": COUNCIL,
        "action_id": "An action (actions.id)",
        "canonical_id": "The earliest action of its cluster: the same commitment in every edition shares it",
        "score": "Similarity of the action to the canonical one (0-100)",
        "method": "How the link was made (exact, fuzzy, or a person's override)",
    },
    "commitment_changes": {
        "id": ID, "council": COUNCIL,
        "kind": "What changed: an action or a target",
        "field": "Which part changed (deadline, lead ...)",
        "before": "The value in the earlier edition",
        "after": "The value in the later edition",
        "earlier_id": "The record in the earlier edition",
        "later_id": "The record in the later edition",
        "earlier_document_id": "The earlier document (documents.id)",
        "later_document_id": "The later document (documents.id)",
        "earlier_text": "The earlier record's text",
        "later_text": "The later record's text",
        "earlier_page": "Page of the earlier record",
        "later_page": "Page of the later record",
    },
    "link_overrides": {
        "action_a": "One action (actions.id)",
        "action_b": "The other action (actions.id)",
        "same": "1 when a person judged them the same commitment, 0 when different",
        "note": "Why, in the person's words",
    },
    "audit": {
        "promise_id": "The commitment (actions.id) or target (targets.id) that was promised",
        "promise_kind": "action or target: the table promise_id is in",
        "council": COUNCIL,
        "document_id": "The document that made the promise (documents.id)",
        "priority_id": "The priority the promise sits under (priorities.id), or empty",
        "promise_text": "The promise as stated",
        "promise_page": "Page of the promise in its document",
        "due_text": "The promise's deadline as written, or empty",
        "due_date": "ISO date of the deadline, or empty",
        "verdict": "delivered, in_progress, no_update (later documents exist and none mentions it), "
                   "awaiting_report (no later document of the council yet) or not_yet_due",
        "late": "1 when the evidence, or its document, is dated after the last day the deadline allows "
                "(delivered late, or in progress past due)",
        "reported_date": "ISO date of the evidence: the date it states, else its document's date",
        "reported_text": "That date as the evidence words it; empty when only its document dates it",
        "target_id": "The target cut from the promise's own sentence (targets.id), audited as this one promise",
        "target": "That target's number as a reader reads it (\"4 people\")",
        "score": "Match score of the evidence (0-100)",
        "explanation": "One sentence on why the verdict was given",
        "evidence_id": "The later progress action that reports on it (actions.id), or empty",
        "evidence_quote": "The whole sentence of the source that reports on the promise",
        "evidence_document_id": "The document the evidence is in (documents.id)",
        "evidence_page": "Page of the evidence",
        "as_of": "The date the audit was made for: deadlines after it are not yet due",
        "action_id": "For a target, the action that states it (actions.id), or empty",
    },
    "document_series": {
        "document_id": "The document (documents.id)",
        "council": COUNCIL,
        "series_id": "The series: a council's documents of one strategy",
        "strategy": "The strategy the series is about",
        "position": "Place of the document in its series, by publication date",
        "role": "edition or appendix",
        "previous_id": "The edition before this one (documents.id), or empty",
        "supersedes_id": "The edition this one revises (documents.id), or empty",
        "appendix_of": "For an appendix, the document it belongs to (documents.id)",
        "appendix_label": "For an appendix, its letter or number",
    },
    "document_links": {
        "id": ID,
        "document_id": "A document (documents.id)",
        "other_id": "The document it relates to (documents.id)",
        "relation": "supersedes, appendix_of or same_text",
        "method": "How the relation was found",
    },
}


def table_columns() -> dict[str, list[str]]:
    """Every KB table's columns: record types' fields from schemas/, then the rest."""
    columns = {t: [f.name for f in dataclasses.fields(rt)] for t, rt in RECORD_TABLES.items()}
    return {**columns, **_OTHER_COLUMNS}


def column_descriptions(table: str) -> dict[str, str]:
    """A table's column descriptions: its record type's fields' (schemas/), then the table's own."""
    described = dict(COLUMN_DESCRIPTIONS.get(table, {}))
    if table in _DESCRIBED_BY:
        described.update({f.name: f.metadata["description"]
                          for f in dataclasses.fields(_DESCRIBED_BY[table]) if "description" in f.metadata})
    return described


def site_metadata(db: sqlite_utils.Database | None = None, database: str = PUBLISHED_DB_NAME) -> dict[str, Any]:
    """Datasette metadata for the KB, as a dict (Datasette 0.65: one metadata file).

    Args:
        db: when given, settings are fitted to it: tables it lacks are left out,
            facets, sorts and labels naming columns it lacks are dropped, and so are
            canned queries reading a table it lacks (audit before the audit has run).
        database: the Datasette database name (the file name without `.db`).
    """
    base = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))
    tables: dict[str, dict[str, Any]] = base.pop("tables")
    queries: dict[str, dict[str, Any]] = base.pop("queries")
    for table, columns in table_columns().items():
        described = column_descriptions(table)
        # A column added to a record type before it is described is left undescribed
        # (test_site's meta-test says which), rather than breaking the site.
        tables.setdefault(table, {})["columns"] = {c: described[c] for c in columns if c in described}
    if db is not None:
        tables = {t: _fit_table(s, db, t) for t, s in tables.items() if db[t].exists()}
        queries = {n: _fit_query(q, db) for n, q in queries.items()
                   if all(db[t].exists() for t in query_tables(q["sql"]))}
    return {**base, "databases": {database: {"tables": tables, "queries": queries}}}


def query_tables(sql: str) -> set[str]:
    """The tables a canned query reads (names after `from` and `join`)."""
    return set(_FROM_OR_JOIN.findall(sql))


def _fit_query(query: dict[str, Any], db: sqlite_utils.Database) -> dict[str, Any]:
    """A canned query reading a column a KB built before it existed gets null for it."""
    sql = query["sql"]
    for table, column in _OPTIONAL_COLUMNS:
        if f"{table}.{column}" in sql and column not in db[table].columns_dict:
            sql = re.sub(rf"\b{table}\.{column}\b", f"null as {column}", sql)
    return {**query, "sql": sql}


def _fit_table(settings: dict[str, Any], db: sqlite_utils.Database, table: str) -> dict[str, Any]:
    """Drop settings that name columns or FTS tables the database does not have."""
    present = set(db[table].columns_dict)
    fitted = {**settings, "columns": {c: d for c, d in settings["columns"].items() if c in present}}
    if "facets" in fitted:
        fitted["facets"] = [f for f in fitted["facets"] if f in present]
    for key in ("sort", "sort_desc", "label_column"):
        if key in fitted and fitted[key] not in present:
            del fitted[key]
    if "fts_table" in fitted and not db[fitted["fts_table"]].exists():
        del fitted["fts_table"]
    return fitted


def make_datasette(db_path: str | Path, *, sql_time_limit_ms: int = DEFAULT_SQL_TIME_LIMIT_MS,
                   live: bool = False) -> Datasette:
    """A Datasette serving the KB read-only, with its metadata, plugin and templates.

    Args:
        live: open the file read-only but not immutable (`mode=ro`), so documents another
            process ingests while the site runs appear, each whole or not at all (WAL).
            Otherwise it is immutable: quicker, but only for a file nothing writes to.
            Either way the metadata is fitted to the tables present at start.

    Raises:
        WorkforceKBError: the database file does not exist.
    """
    path = Path(db_path)
    if not path.is_file():
        raise WorkforceKBError(f"{path}: no such knowledge base (build it with `wfkb ingest` first)")
    if not live:
        _checkpoint(path)
    with closing(_read_only(path, live=live)) as db:
        metadata = site_metadata(db, database=path.stem)
    return Datasette(
        **({"files": [str(path)]} if live else {"immutables": [str(path)]}),
        metadata=metadata,
        plugins_dir=str(PLUGINS_DIR),
        template_dir=str(TEMPLATES_DIR),
        settings={**SITE_SETTINGS, "sql_time_limit_ms": sql_time_limit_ms},
    )


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001,
          sql_time_limit_ms: int = DEFAULT_SQL_TIME_LIMIT_MS, live: bool = False) -> None:
    """Serve the KB read-only on host:port until interrupted (loopback unless told otherwise).

    `live`: see make_datasette; for serving a file that is being ingested into.
    """
    import uvicorn  # Datasette's own server; imported here so importing kb stays light.

    app = make_datasette(db_path, sql_time_limit_ms=sql_time_limit_ms, live=live).app()
    uvicorn.run(app, host=host, port=port, log_level="info", lifespan="on")


def publish(db_path: str | Path, out_dir: str | Path,
            sql_time_limit_ms: int = DEFAULT_SQL_TIME_LIMIT_MS) -> Path:
    """Write a deployable Datasette configuration directory for the KB; returns its path.

    `out_dir` gets `kb.db` (a consistent copy, search indexes enabled), `metadata.json`,
    `settings.json`, `inspect-data.json` (which makes `datasette DIR` serve the copy
    immutable), `plugins/`, `templates/` and a README with the deploy commands.
    """
    source = Path(db_path)
    if not source.is_file():
        raise WorkforceKBError(f"{source}: no such knowledge base (build it with `wfkb ingest` first)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{PUBLISHED_DB_NAME}.db"
    _copy_database(source, target)
    db = sqlite_utils.Database(target)
    enable_search(db)
    metadata = site_metadata(db, database=PUBLISHED_DB_NAME)
    db.close()
    _write_json(out / "metadata.json", metadata)
    _write_json(out / "settings.json", {**SITE_SETTINGS, "sql_time_limit_ms": sql_time_limit_ms})
    _write_json(out / "inspect-data.json", _inspect(target))
    for folder in (PLUGINS_DIR, TEMPLATES_DIR):
        shutil.copytree(folder, out / folder.name, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (out / "README.md").write_text(_readme(target.name, sql_time_limit_ms), encoding="utf-8")
    return out


def _read_only(path: Path, live: bool = False) -> sqlite_utils.Database:
    """Open the KB without any chance of writing to it: immutable (no journal created), or
    `live`, honouring locks and the write-ahead log, as a file being written must be read."""
    mode = "mode=ro" if live else "immutable=1"
    return sqlite_utils.Database(sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True))


def _checkpoint(path: Path) -> None:
    """Move a write-ahead log into the database file.

    The KB is built in WAL mode, and an immutable reader never looks at the `-wal`
    file: what a writer has not checkpointed yet would be missing, or the file would
    read as malformed.
    """
    if Path(f"{path}-wal").exists():
        with closing(sqlite3.connect(path)) as conn:
            try:
                conn.execute("pragma wal_checkpoint(truncate)")
            except sqlite3.OperationalError:
                pass  # a read-only file: nobody can have written to it since


def _copy_database(source: Path, target: Path) -> None:
    """Copy through SQLite's backup API (consistent while a KB is written), as one file."""
    target.unlink(missing_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("pragma journal_mode = delete")


def _inspect(db_file: Path) -> dict[str, Any]:
    """What `datasette inspect` writes, with the file named relative to the directory."""
    from datasette.cli import inspect_

    data = asyncio.run(inspect_([str(db_file)], []))
    for info in data.values():
        info["file"] = db_file.name
    return data


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _readme(db_name: str, sql_time_limit_ms: int) -> str:
    installs = " ".join(f"--install {p}" for p in REQUIRED_PLUGINS)
    settings = {**SITE_SETTINGS, "sql_time_limit_ms": sql_time_limit_ms}
    options = " ".join(f"--setting {k} {str(v).lower() if isinstance(v, bool) else v}" for k, v in settings.items())
    flags = (f"--metadata metadata.json --plugins-dir plugins --template-dir templates {installs} "
             f'--extra-options "{options}"')
    return (
        "# workforce-kb, ready to deploy\n\n"
        f"Needs Datasette 0.65 and the plugins {', '.join(REQUIRED_PLUGINS)} "
        f"(`pip install 'datasette>=0.65,<0.66' {' '.join(REQUIRED_PLUGINS)}`).\n\n"
        "Run it here, read-only (this directory is a Datasette configuration directory):\n\n"
        "    datasette . -h 127.0.0.1 -p 8001\n\n"
        "Build a Docker image, or deploy to Cloud Run (each serves the database immutable):\n\n"
        f"    datasette package {db_name} {flags} -t workforce-kb\n"
        f"    datasette publish cloudrun {db_name} {flags} --service workforce-kb\n"
    )
