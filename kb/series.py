"""Document series: a council's documents of one strategy in order, editions and appendices.

Writes two tables:

- `document_series` (one row per document): `series_id` (council + strategy),
  `position` in the series by `published`, `role` (`edition` or `appendix`),
  `previous_id` (the edition before it), `supersedes_id` (the edition it revises)
  and `appendix_of` / `appendix_label` for appendices.
- `document_links` (one row per relation): `supersedes`, `appendix_of`,
  `same_text` (another file with the same extracted text, e.g. the PDF and its
  text export), each with the method that found it.

A file with the same bytes is the same document already: `documents.id` is its sha256.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Iterable

from rapidfuzz import fuzz
from sqlite_utils import Database

from extract.ids import stable_id
from kb.dedup import date_bounds, normalise

__all__ = ["SeriesReport", "build_series", "appendix_label"]

_APPENDIX = re.compile(r"^\s*(?:appendix|annex)\s+([A-Z]|\d{1,2})\b(?![a-z])", re.I)
# Words in a title or file name that mark a revised edition of the same paper.
_VERSION_CUE = re.compile(r"\b(?:v(?:ersion)?\s*\d+|revised|revision|updated|amended|final|draft)\b", re.I)
_TITLE_MATCH = 90.0      # titles of two editions of one paper, version words removed
_TEXT_OVERLAP = 0.5      # share of lines two editions have in common


@dataclass
class SeriesReport:
    series: int = 0
    documents: int = 0
    links: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        kinds = {}
        for link in self.links:
            kinds[link["relation"]] = kinds.get(link["relation"], 0) + 1
        return f"{self.documents} documents in {self.series} series; " + ", ".join(
            f"{k} {n}" for k, n in sorted(kinds.items()))


def appendix_label(title: str | None) -> str | None:
    """`Appendix B – Progress and Updates` -> `B`."""
    m = _APPENDIX.match(title or "")
    return m.group(1).upper() if m else None


def _overlaps(a: str | None, b: str | None) -> bool:
    x, y = date_bounds(a), date_bounds(b)
    return bool(x and y) and x[0] <= y[1] and y[0] <= x[1]


def _order(d: dict) -> tuple:
    return (d["published"] is None, d["published"] or "", d["id"])


def _find_report(app: dict, label: str, docs: list[dict]) -> tuple[dict, str] | None:
    """The report an appendix belongs to: same council, same meeting date (or year), listing it."""
    mention = re.compile(rf"\bappendi(?:x|ces)\s+{re.escape(label)}\b", re.I)
    best = None
    for d in docs:
        if d["id"] == app["id"] or appendix_label(d["title"]) or not _overlaps(app["published"], d["published"]):
            continue
        rank = (bool(mention.search(d["text"] or "")), d["published"] == app["published"])
        if best is None or rank > best[0]:
            best = (rank, d)
    if best is None:
        return None
    method = "listed in report" if best[0][0] else ("same date" if best[0][1] else "same year")
    return best[1], method


def _lines(text: str | None) -> set[str]:
    return {line for line in (normalise(x) for x in (text or "").splitlines()) if len(line) > 20}


def _is_edition(old: dict, new: dict) -> str | None:
    """How `new` was recognised as a revised edition of `old`, or None."""
    if old["doc_type"] != new["doc_type"]:
        return None
    ta, tb = (_VERSION_CUE.sub(" ", normalise(d["title"])) for d in (old, new))
    if not ta.strip() or fuzz.token_sort_ratio(ta, tb) < _TITLE_MATCH:
        return None
    la, lb = _lines(old["text"]), _lines(new["text"])
    if la and lb and len(la & lb) / min(len(la), len(lb)) >= _TEXT_OVERLAP:
        return "title and text"
    if _VERSION_CUE.search(f"{new['title']} {new['source']}"):
        return "title and version word"
    return None


def _text_hash(text: str | None) -> str:
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def _council_series(docs: list[dict]) -> tuple[list[dict], list[dict]]:
    rows, links = {}, []
    seen_text: dict[str, str] = {}
    for d in sorted(docs, key=_order):
        h = _text_hash(d["text"])
        if d["text"] and h in seen_text:
            links.append(_link(d["id"], seen_text[h], "same_text", "text hash"))
        seen_text.setdefault(h, d["id"])
        label = appendix_label(d["title"])
        found = _find_report(d, label, docs) if label else None
        key = found[0] if found else d
        rows[d["id"]] = {"document_id": d["id"], "council": d["council"],
                         "series_id": stable_id(d["council"], normalise(key["strategy"]) or None),
                         "strategy": key["strategy"], "role": "appendix" if found else "edition",
                         "appendix_of": found[0]["id"] if found else None, "appendix_label": label if found else None,
                         "previous_id": None, "supersedes_id": None, "position": None}
        if found:
            links.append(_link(d["id"], found[0]["id"], "appendix_of", found[1]))
    _order_series(docs, rows, links)
    return list(rows.values()), links


def _order_series(docs: list[dict], rows: dict[str, dict], links: list[dict]) -> None:
    by_series: dict[str, list[dict]] = {}
    for d in sorted(docs, key=_order):
        by_series.setdefault(rows[d["id"]]["series_id"], []).append(d)
    for members in by_series.values():
        editions = [d for d in members if rows[d["id"]]["role"] == "edition"]
        for i, d in enumerate(members, 1):
            rows[d["id"]]["position"] = i
        for i, d in enumerate(editions[1:], 1):
            rows[d["id"]]["previous_id"] = editions[i - 1]["id"]
            for old in reversed(editions[:i]):
                method = _is_edition(old, d)
                if method:
                    rows[d["id"]]["supersedes_id"] = old["id"]
                    links.append(_link(d["id"], old["id"], "supersedes", method))
                    break


def _link(a: str, b: str, relation: str, method: str) -> dict:
    return {"id": stable_id(a, b, relation), "document_id": a, "other_id": b, "relation": relation, "method": method}


def build_series(db: Database, councils: Iterable[str] | None = None) -> SeriesReport:
    """Rewrite `document_series` and `document_links` for the given councils (default: all)."""
    wanted = list(councils) if councils is not None else [
        r["council"] for r in db.query("select distinct council from documents")]
    report = SeriesReport()
    for council in wanted:
        where, params = ("council is null", []) if council is None else ("council = ?", [council])
        docs = list(db.query(f"select id, council, title, doc_type, strategy, published, source, text "
                             f"from documents where {where}", params))
        rows, links = _council_series(docs)
        ids = [d["id"] for d in docs]
        with db.atomic():
            _clear(db, where, params, ids)
            if rows:
                db["document_series"].insert_all(rows, pk="document_id", replace=True)
            if links:
                db["document_links"].insert_all(links, pk="id", replace=True)
        report.series += len({r["series_id"] for r in rows})
        report.documents += len(rows)
        report.links += links
    return report


def _clear(db: Database, where: str, params: list, ids: list[str]) -> None:
    if not db["document_series"].exists():
        db["document_series"].create({
            "document_id": str, "council": str, "series_id": str, "strategy": str, "position": int, "role": str,
            "previous_id": str, "supersedes_id": str, "appendix_of": str, "appendix_label": str}, pk="document_id")
    if not db["document_links"].exists():
        db["document_links"].create({"id": str, "document_id": str, "other_id": str, "relation": str,
                                     "method": str}, pk="id")
    db.execute(f"delete from document_series where {where}", params)
    if ids:
        marks = ",".join("?" * len(ids))
        db.execute(f"delete from document_links where document_id in ({marks})", ids)
