"""The language rules: the spaCy pipeline, dates, numbers, and the kind of a statement."""
