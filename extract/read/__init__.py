"""Reading each format into lines with positions: PDF (PDFium, pdfplumber) and text dumps."""

SUPPORTED_SUFFIXES = (".pdf", ".txt")  # what `extract.pipeline.read_blocks` reads
