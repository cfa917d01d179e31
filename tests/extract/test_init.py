"""`import extract` lets spaCy load without its command line, which stays usable."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def test_the_workers_preload_imports_spacy_without_its_command_line():
    loaded = _run("import kb.worker_preload, sys; "
                  "print(sorted(m for m in ('spacy', 'spacy.cli', 'weasel', 'typer') if m in sys.modules))")
    assert loaded == "['spacy']"


def test_spacy_info_and_the_command_line_still_work():
    code = ("import extract, importlib, spacy\n"
            "assert spacy.info()['spacy_version'] == spacy.__version__\n"
            "assert callable(importlib.import_module('spacy.cli.info').info_model)\n"
            "from spacy.cli import download, info\n"
            "assert info()['spacy_version'] == spacy.__version__ and callable(download)\n"
            "print('ok')")
    assert _run(code) == "ok"


def test_spacy_imported_first_is_left_alone():
    code = ("import spacy, sys, extract\n"
            "print(hasattr(sys.modules['spacy.cli.info'], '__file__'), 'spacy.cli' in sys.modules)")
    assert _run(code) == "True True"
