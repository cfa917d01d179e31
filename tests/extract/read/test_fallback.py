"""The default engine never loses text quietly: pages PDFium reads short go to pdfplumber."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils

pytest.importorskip("reportlab")
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import CIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from extract.read.pdf import pdf_to_items  # noqa: E402
from kb.build import ingest  # noqa: E402
from schemas import Line  # noqa: E402

CHINESE = "关于环保科技股份有限公司年度报告中有关财务事项的说明"


def _chinese_pdf(path: Path, lines: int = 20) -> Path:
    """A page of one line of Chinese repeated, set in a CID font with a GBK CMap and no
    ToUnicode map, then a line in Helvetica; and a second page in Helvetica only. PDFium's
    text page gives the Chinese line once and no text for the other 19 text objects."""
    font = CIDFont("STSong-Light", "GBK-EUC-H")
    pdfmetrics.registerFont(font)
    c = canvas.Canvas(str(path))
    c.setFont(font.fontName, 12)
    for i in range(lines):
        c.drawString(72, 760 - 18 * i, CHINESE.encode("gbk").decode("latin-1"))
    c.setFont("Helvetica", 12)
    c.drawString(72, 760 - 18 * lines - 30, "Agency social workers: 12 in March 2023.")
    c.showPage()
    c.setFont("Helvetica", 12)
    c.drawString(72, 760, "Vacancies fell to 8 by the end of the year.")
    c.save()
    return path


def _texts(path: Path, engine: str) -> list[str]:
    return [item.text for item in pdf_to_items(path, {"engine": engine}).items if isinstance(item, Line)]


def test_page_pdfium_cannot_map_is_read_by_pdfplumber(tmp_path: Path) -> None:
    pdf = _chinese_pdf(tmp_path / "cjk.pdf")
    content = pdf_to_items(pdf)
    assert content.metadata["fallback_pages"] == [1]
    lines = [item.text for item in content.items if isinstance(item, Line)]
    assert lines == _texts(pdf, "pdfplumber")
    assert lines == [CHINESE] * 20 + [
        "Agency social workers: 12 in March 2023.", "Vacancies fell to 8 by the end of the year."]


def test_fallback_pages_are_recorded_on_the_document(tmp_path: Path) -> None:
    pdf = _chinese_pdf(tmp_path / "cjk.pdf")
    plain = tmp_path / "plain.pdf"
    c = canvas.Canvas(str(plain))
    c.drawString(72, 760, "Turnover of social workers was 14% in 2023.")
    c.save()
    db_path = tmp_path / "kb.db"
    report = ingest(db_path, [pdf, plain])
    assert not report.failed
    rows = {Path(r["source"]).name: r for r in sqlite_utils.Database(db_path)["documents"].rows}
    assert json.loads(rows["cjk.pdf"]["fallback_pages"]) == [1]
    assert rows["cjk.pdf"]["text"].count(CHINESE) == 20
    assert rows["plain.pdf"]["fallback_pages"] is None


def _symbol_bullets_pdf(path: Path) -> Path:
    """List items marked with the Symbol font's bullet and ZapfDingbats' check and square."""
    c = canvas.Canvas(str(path))
    for i, (font, mark, text) in enumerate([("Symbol", "•", "Recruit ten social workers"),
                                            ("ZapfDingbats", "✔", "Reduce agency use"),
                                            ("ZapfDingbats", "■", "Review caseloads")]):
        c.setFont(font, 11)
        c.drawString(72, 760 - 20 * i, mark)
        c.setFont("Helvetica", 11)
        c.drawString(90, 760 - 20 * i, text)
    c.save()
    return path


def test_symbol_font_bullets_read_the_same_by_both_engines(tmp_path: Path) -> None:
    pdf = _symbol_bullets_pdf(tmp_path / "bullets.pdf")
    assert _texts(pdf, "auto") == _texts(pdf, "pdfplumber") == [
        "• Recruit ten social workers", "✔ Reduce agency use", "■ Review caseloads"]
