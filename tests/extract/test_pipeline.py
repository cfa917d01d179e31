import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "data" / "003_d80c8cc1c9b6dc28.txt"

# Extracts the seed text in a fresh interpreter, after `warm_up` or not, and prints its records.
_EXTRACT = """
import dataclasses, json, sys
from extract import pipeline
if sys.argv[1] == "warm":
    pipeline.warm_up()
extracted = pipeline.extract_document(sys.argv[2])
print(json.dumps({kind: [dataclasses.asdict(r) for r in getattr(extracted, kind)]
                  for kind in ("priorities", "actions", "cohorts", "targets", "leads", "metrics")}))
"""


def _records(mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _EXTRACT, mode, str(SEED)], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


def test_a_warmed_up_process_extracts_what_a_cold_one_does():
    cold, warm = _records("cold"), _records("warm")
    assert cold["priorities"] and cold["actions"] and cold["leads"]
    assert warm == cold


def test_warm_up_runs_once_and_leaves_its_passage_out_of_the_text_caches():
    from extract import pipeline
    from extract.language.nlp import _parse_cached

    pipeline.warm_up()
    pipeline.warm_up()
    assert pipeline.warm_up.cache_info().hits >= 1 and pipeline.warm_up.cache_info().currsize == 1
    pipeline.warm_up.__wrapped__()  # run it again, uncached, to look at what it leaves behind
    assert _parse_cached.cache_info().currsize == 0
