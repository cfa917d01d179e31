"""Reading each format into lines with positions: PDF (PDFium, pdfplumber) and text dumps."""
