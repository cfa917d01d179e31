"""The KB's search indexes: FTS5 on the record tables and indexes on the columns the site facets by.

The store builds them at the end of every ingest; the site only reads them. Nothing here
imports Datasette, so an ingest does not pay for loading it.
"""
from __future__ import annotations

from pathlib import Path

import sqlite_utils
import yaml

__all__ = ["SEARCH_COLUMNS", "enable_search", "index_facets"]

METADATA_FILE = Path(__file__).parent / "metadata.yml"

# The columns of each record table that full-text search reads.
SEARCH_COLUMNS: dict[str, list[str]] = {
    "actions": ["text", "lead"],
    "targets": ["text", "metric"],
    "cohorts": ["text", "programme"],
    "blocks": ["text", "heading_path"],
}


# libyaml's loader where PyYAML was built with it: the pure-Python one takes 20 ms of each
# ingest's derived tables to read metadata.yml.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def enable_search(db: sqlite_utils.Database) -> list[str]:
    """FTS5 with porter stemming on every record table present, and indexes on the columns
    the site facets by; returns the FTS tables.

    Idempotent (`replace=True` rebuilds an index whose columns changed), and triggers
    keep each index in step with later inserts.
    """
    made = []
    for table, columns in SEARCH_COLUMNS.items():
        if not db[table].exists():
            continue
        db[table].enable_fts(columns, tokenize="porter", create_triggers=True, replace=True)
        made.append(f"{table}_fts")
    index_facets(db)
    return made


def index_facets(db: sqlite_utils.Database) -> list[str]:
    """An index on each facet column of metadata.yml, so a table page counts facets from the
    index instead of reading every row; returns the indexes made."""
    tables = yaml.load(METADATA_FILE.read_text(encoding="utf-8"), Loader=_YAML_LOADER)["tables"]
    made = []
    for table, settings in tables.items():
        if not db[table].exists():
            continue
        present = set(db[table].columns_dict)
        indexed = {tuple(i.columns) for i in db[table].indexes}
        for column in settings.get("facets", []):
            if column in present and (column,) not in indexed:
                db[table].create_index([column], if_not_exists=True)
                made.append(f"{table}.{column}")
    return made
