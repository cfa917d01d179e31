"""Shared fixtures: the real corpus, and knowledge bases built from it once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"
CORPUS_PDFS = sorted(CORPUS.glob("*.pdf"))
SEED_TEXTS = sorted(DATA.glob("*.txt"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def nlp():
    from extract.language.nlp import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def built_kb(tmp_path_factory) -> Path:
    """A KB built from the PDFs in corpus/ through the real ingest."""
    from kb.build import ingest

    path = tmp_path_factory.mktemp("kb") / "kb.db"
    report = ingest(path, [CORPUS])
    assert not report.failed, report.failed
    return path


@pytest.fixture(scope="session")
def built_kb_from_texts(tmp_path_factory) -> Path:
    """A KB built from the plain-text extractions in tests/data/."""
    from kb.build import ingest

    path = tmp_path_factory.mktemp("kb_texts") / "kb.db"
    report = ingest(path, SEED_TEXTS)
    assert not report.failed, report.failed
    return path


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "kb.db"
