"""Reading each format into lines with positions: PDF (PDFium, pdfplumber, OCR), web pages, Word and text."""

# What `extract.pipeline.read_blocks` takes (a .doc only to refuse it saying what to do).
SUPPORTED_SUFFIXES = (".pdf", ".txt", ".html", ".htm", ".docx", ".doc")
