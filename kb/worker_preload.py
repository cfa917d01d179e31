"""What the extraction fork server imports once, before it forks any worker.

Importing this module imports the readers and extractors, builds the spaCy pipeline and
runs it once (`extract.pipeline.warm_up`), so every worker starts with all of it in memory
(shared copy-on-write) and extracts its first document at once, instead of spending a
second on imports, the pipeline and patterns compiled on first use.
"""
from extract.pipeline import warm_up
from kb import tables  # noqa: F401

warm_up()
