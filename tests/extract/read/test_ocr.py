"""Scanned PDFs: a page with no text layer is read by Tesseract into the same lines, so the
paper's records are those of the PDF it was scanned from."""
from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2
import pytest

from extract.errors import UnreadableDocument
from extract.pipeline import extract_document
from extract.read.pdf import pdf_to_items
from tests import formats

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="Tesseract is not installed (apt-get install tesseract-ocr)")


def _scan(pdf: Path, out: Path, dpi: int = 200) -> Path:
    """The PDF as a scanner gives it: each page an image, no text layer."""
    document = pypdfium2.PdfDocument(str(pdf))
    images = [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in document]
    document.close()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out


@needs_tesseract
def test_a_scanned_paper_gives_the_records_of_its_pdf(tmp_path):
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(formats.as_pdf())
    scanned = extract_document(_scan(pdf, tmp_path / "scan.pdf"))
    assert scanned.document.ocr_pages == "[1]" and scanned.document.ocr_confidence > 80
    expected = formats.records(extract_document(pdf))
    got = formats.records(scanned)
    # OCR may misread a character or two; every record must still be found, of the same kind,
    # lead and due date, its text at most 2 characters off.
    assert [(kind, lead, due) for _, kind, lead, due in got] == [(kind, lead, due) for _, kind, lead, due in expected]
    for (text, *_), (want, *_) in zip(got, expected):
        assert len(text) == pytest.approx(len(want), abs=2)
        assert sum(a != b for a, b in zip(text, want)) <= 2 or text[:20] == want[:20]
    for block in scanned.blocks:
        assert block.page == 1 and block.bbox is not None  # every block keeps its box on the page
    for action in scanned.actions:
        assert scanned.document.text[action.char_start:action.char_end] == action.text


@needs_tesseract
def test_a_blank_scan_is_refused_in_one_line(tmp_path):
    from PIL import Image

    path = tmp_path / "blank.pdf"
    Image.new("RGB", (850, 1100), "white").save(path, "PDF", resolution=100)
    with pytest.raises(UnreadableDocument, match=r"blank.pdf: no text layer, and OCR found no words"):
        pdf_to_items(path)


def test_without_tesseract_the_error_says_how_to_install_it(tmp_path, monkeypatch):
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (400, 300), "white").save(path)
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract program on the PATH
    with pytest.raises(UnreadableDocument) as caught:
        pdf_to_items(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: no text layer") and "apt-get install tesseract-ocr" in message
    assert "\n" not in message
