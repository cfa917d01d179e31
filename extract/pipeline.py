"""The one composer: a source file in, a document with its blocks and records out."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from extract.records.actions import find_actions, section_kind
from extract.layout.blocks import blocks_to_text, items_to_blocks
from extract.records.cohorts import find_cohorts
from extract.errors import UnreadableDocument
from extract.ids import file_sha256, stable_id
from extract.records.leads import _abbreviations_in, _acceptable_name, _clean, _is_council, find_leads
from extract.records.metadata import _line_dates, _repeated_lines, document_metadata
from extract.records.metrics import tables_to_metrics
from extract.language.nlp import _parse_cached, _segments, block_segments, build_nlp, parse_all
from extract.language.numbers import letter_runs
from extract.records.priorities import find_priorities
from extract.settings import ExtractSettings
from extract.records.targets import find_targets
from extract.read import SUPPORTED_SUFFIXES
from extract.read.text import read_text_file, running_headers, text_to_items
from schemas import Block, Document, ExtractedDocument

__all__ = ["ExtractedDocument", "clear_text_caches", "extract_document", "file_sha256", "read_blocks",
           "SUPPORTED_SUFFIXES", "warm_up"]


def read_blocks(path: str | Path, settings: ExtractSettings | dict | None = None) -> tuple[list[Block], int, dict]:
    """Blocks in reading order, the page count and what the file says about itself (PDF info;
    a web page's or Word file's "title", "published" and "source_url"), for any supported file."""
    settings = ExtractSettings.resolve(settings)
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise UnreadableDocument(str(path), "no such file")
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableDocument(str(path), f"unsupported file type '{path.suffix}' "
                                            f"(expected .pdf, .txt, .html, .htm or .docx)")
    if suffix == ".pdf":
        from extract.read.pdf import pdf_to_items

        content = pdf_to_items(path, settings)
        return items_to_blocks(content.items), content.pages, content.metadata
    if suffix in (".html", ".htm"):
        from extract.read.html import html_to_page, read_html_file

        page = html_to_page(read_html_file(path, settings), str(path))
        return page.blocks, 1, {**page.info, "title": page.title, "published": page.published,
                                "source_url": page.source_url}
    if suffix in (".docx", ".doc"):
        from extract.read.docx import docx_to_document

        word = docx_to_document(path, settings)
        return word.blocks, word.pages, {**word.info, "title": word.title, "published": word.published}
    text = read_text_file(path)
    return items_to_blocks(text_to_items(text)), 1, {"running_headers": sorted(running_headers(text.splitlines()))}


def extract_document(path: str | Path, settings: ExtractSettings | dict | None = None,
                     source: str | None = None, records: bool = True,
                     publisher: str | None = None) -> ExtractedDocument:
    """Read a file and extract every record type from it.

    Args:
        path: a .pdf, .txt, .html, .htm or .docx file.
        settings: extraction settings (limits, engine).
        source: what to record as the document's source (a URL), default the path.
        publisher: the council whose site published it, where the text names no council.
        records: False gives the document and its blocks only (what the benchmarks time
            record extraction against).
    Raises:
        UnreadableDocument: the file cannot be read; the message names file and reason.
    """
    settings = ExtractSettings.resolve(settings)
    blocks, pages, pdf_info = read_blocks(path, settings)
    text = blocks_to_text(blocks)
    if not text.strip():
        raise UnreadableDocument(str(path), "no text found")
    doc_id = file_sha256(path)
    for block in blocks:
        block.id = stable_id(doc_id, "block", block.seq)
    document = _document(doc_id, text, blocks, pages, pdf_info, source or pdf_info.get("source_url") or str(path),
                         publisher)
    extracted = ExtractedDocument(document=document, blocks=blocks)
    if records:
        _extract_records(extracted)
    return extracted


def _document(doc_id: str, text: str, blocks: list[Block], pages: int, pdf_info: dict, source: str,
              publisher: str | None = None) -> Document:
    meta = document_metadata(text, blocks, pdf_info, source=source, publisher=publisher)
    # A web page or Word file names its own title and date; a PDF's are read from its text.
    return Document(id=doc_id, council=meta.council, title=pdf_info.get("title") or meta.title,
                    doc_type=meta.doc_type or "other", strategy=meta.strategy,
                    published=pdf_info.get("published") or meta.published, source=source, pages=pages, text=text,
                    ocr_pages=json.dumps(pdf_info["ocr_pages"]) if pdf_info.get("ocr_pages") else None,
                    ocr_confidence=pdf_info.get("ocr_confidence"),
                    fallback_pages=json.dumps(pdf_info["fallback_pages"]) if pdf_info.get("fallback_pages") else None)


def _extract_records(extracted: ExtractedDocument) -> None:
    """Every record type from the blocks; priorities and actions first, as the others read them."""
    doc = extracted.document
    context = dict(document_id=doc.id, council=doc.council, published=doc.published)
    nlp = build_nlp()
    parse_all(nlp, [text for block in extracted.blocks for _, text in block_segments(block)])
    extracted.priorities = find_priorities(extracted.blocks, document_id=doc.id, council=doc.council)
    extracted.actions = find_actions(extracted.blocks, extracted.priorities, **context)
    extracted.cohorts = find_cohorts(extracted.blocks, nlp, **context)
    extracted.targets = find_targets(extracted.blocks, extracted.actions, nlp, **context)
    extracted.leads = find_leads(extracted.blocks, extracted.actions, nlp, council=doc.council)
    result = tables_to_metrics(extracted.blocks, document_id=doc.id, council=doc.council)
    extracted.metrics, extracted.raw_tables = result.metrics, result.kept_raw


# A short paper in the forms councils write, for `warm_up`: headings, a numbered priority, a
# resolution list, progress and plans with a lead, a date, a target and a cohort.
_WARM_UP_TEXT = """Children's Services Workforce Report
Report of the Director of Children's Services
Date of meeting: 4 March 2025

1. Recommendations
That the Committee notes the progress made.

2. Priority 1: Recruitment and retention
We will recruit 20 newly qualified social workers by March 2026.
The Academy was launched in 2024 and 12 trainees joined the second cohort.
Lead: Head of Workforce Development
The vacancy rate fell from 18% to 12%.

RESOLVED - That:
(a) the service will reduce agency staff to 10% by April 2026; and
(b) a further report be brought to the Committee in six months.

Role	March 2024	March 2025
Social workers	120	134
"""


@cache
def warm_up() -> None:
    """Load and run every reader and extractor once, on a short passage: the patterns they
    compile on first use and the libraries they import on first use are then ready, so a
    worker forked afterwards spends its time on its documents only."""
    import extract.read.pdf  # noqa: F401  (pdfplumber and pdfminer: imported on a first PDF otherwise)

    blocks = items_to_blocks(text_to_items(_WARM_UP_TEXT))
    text = blocks_to_text(blocks)
    document = _document("warm-up", text, blocks, 1, {}, "warm-up.txt")
    _extract_records(ExtractedDocument(document=document, blocks=blocks))
    clear_text_caches()


def clear_text_caches() -> None:
    """Forget what was worked out per text (parses, word sets, section cues, abbreviations, names),
    so that the next extraction does all of its work afresh, as the benchmarks time it."""
    for cached in (_parse_cached, _segments, letter_runs, section_kind, _abbreviations_in, _clean, _is_council,
                   _acceptable_name, _line_dates, _repeated_lines):
        cached.cache_clear()
