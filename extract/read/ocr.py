"""Scanned PDF pages -> the characters the PDF line builder reads, by Tesseract.

A page with no text layer is rendered by PDFium (pypdfium2) and read by Tesseract
(pytesseract); each word Tesseract finds becomes one character run with its box in PDF
points, so the page goes through the same builder as a born-digital one and every record
keeps its page and box. The words of one Tesseract line share its top and bottom (a
descender would otherwise drop a word to the next row), with a space between them.
"""
from __future__ import annotations

import shutil
import statistics
from dataclasses import dataclass

from extract.errors import UnreadableDocument

__all__ = ["INSTALL_HINT", "OcrPage", "ocr_available", "ocr_page"]

INSTALL_HINT = "install Tesseract to read it (Debian/Ubuntu: apt-get install tesseract-ocr; macOS: brew install tesseract)"
_DPI = 300
_MIN_CONFIDENCE = 30.0  # Tesseract's words below this are noise (speckle, rules read as letters)
# What Tesseract makes of a round bullet at the start of a line: no English word is one of these alone.
_MISREAD_BULLETS = {"¢", "©", "®", "°", "«", "e", "o", "*", "·", "»", "€"}


@dataclass
class OcrPage:
    """One page as Tesseract read it."""

    chars: list[dict]  # pdfplumber's character keys: text, x0, x1, top, bottom, size, upright, fontname
    confidence: float | None  # mean word confidence (0-100), None when no word was found


def ocr_available() -> bool:
    """Tesseract's program is on the PATH (pytesseract only drives it)."""
    return shutil.which("tesseract") is not None


def ocr_page(path: str, index: int, language: str = "eng") -> OcrPage | None:
    """Render page `index` (0-based) of the PDF at `path` and read its words with their boxes;
    None for a page that draws no image (blank, or text lost to a broken stream: nothing to
    read), or that PDFium cannot open or draw (a file only pdfminer's lenient parser reads).

    Raises:
        UnreadableDocument: Tesseract is not installed, or it failed on the page.
    """
    if not ocr_available():
        raise UnreadableDocument(path, f"no text layer (scanned or image-only PDF); {INSTALL_HINT}")
    import pypdfium2
    import pypdfium2.raw as pdfium_c
    import pytesseract

    scale = _DPI / 72
    try:
        document = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError:
        return None
    try:
        page = document[index]
        if next(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3), None) is None:
            return None
        image = page.render(scale=scale).to_pil()
    except pypdfium2.PdfiumError:
        return None
    finally:
        document.close()
    try:
        data = pytesseract.image_to_data(image, lang=language, output_type=pytesseract.Output.DICT)
    except (pytesseract.TesseractError, OSError) as e:
        raise UnreadableDocument(path, f"OCR failed on page {index + 1} ({str(e)[:120]})") from None
    return _words_to_chars(data, scale)


def _words_to_chars(data: dict, scale: float) -> OcrPage:
    lines: dict[tuple[int, int, int], list[int]] = {}
    confidences = []
    for i, text in enumerate(data["text"]):
        confidence = float(data["conf"][i])
        if not text.strip() or confidence < _MIN_CONFIDENCE:
            continue
        confidences.append(confidence)
        lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    chars: list[dict] = []
    for words in lines.values():
        top = statistics.median(data["top"][i] for i in words) / scale
        bottom = statistics.median(data["top"][i] + data["height"][i] for i in words) / scale
        size = max(bottom - top, 1.0)
        for n, i in enumerate(sorted(words, key=lambda i: data["left"][i])):
            x0 = data["left"][i] / scale
            x1 = (data["left"][i] + data["width"][i]) / scale
            text = data["text"][i].strip()
            if n == 0 and len(words) > 1 and text in _MISREAD_BULLETS:
                text = "•"
            if n:
                chars.append(_char(" ", chars[-1]["x1"], x0, top, bottom, size))
            chars.append(_char(text, x0, x1, top, bottom, size))
    return OcrPage(chars=chars, confidence=round(statistics.mean(confidences), 1) if confidences else None)


def _char(text: str, x0: float, x1: float, top: float, bottom: float, size: float) -> dict:
    return {"text": text, "x0": x0, "x1": max(x1, x0 + 0.1), "top": top, "bottom": bottom, "size": size,
            "upright": True, "fontname": "OCR", "doctop": top}
