"""What the extraction fork server imports once, before it forks any worker.

Importing this module imports the readers and extractors, builds the spaCy pipeline and
runs it once (`extract.pipeline.warm_up`), so every worker starts with all of it in memory
(shared copy-on-write) and extracts its first document at once, instead of spending a
second on imports, the pipeline and patterns compiled on first use.
"""
import gc

from extract.pipeline import warm_up
from kb import tables  # noqa: F401

warm_up()
# What is loaded now lives as long as the workers: out of the collector's sight, a worker's
# collections do not walk spaCy and the pipeline again and again (a first document took
# 0.19 to 0.30 s without this, 0.14 with it), nor touch the pages it shares with the server.
gc.freeze()
