"""Lines into layout blocks: headings, paragraphs, list items and tables, flattened ones rebuilt."""
