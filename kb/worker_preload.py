"""What the extraction fork server imports once, before it forks any worker.

Importing this module imports the readers and extractors and builds the spaCy pipeline,
so every worker starts with all of it in memory (shared copy-on-write) and extracts its
first document at once, instead of spending a second on imports and the pipeline.
"""
from extract.language.nlp import build_nlp
from extract.pipeline import extract_document  # noqa: F401  (the readers and every extractor)
from kb import tables  # noqa: F401

build_nlp()
