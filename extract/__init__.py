"""Extraction: PDF, text, web page and Word -> layout blocks -> records."""
from __future__ import annotations

import importlib
import sys
import types

_SPACY_INFO = "spacy.cli.info"


def _defer_spacy_command_line() -> None:
    """Let `import spacy` skip spaCy's command line until something asks for it.

    spaCy's package imports `spacy.cli.info` only to offer `spacy.info()`, and that pulls
    in its whole command line (typer, weasel, httpx, jinja2): 0.2 to 0.3 s of the 0.55 to
    0.75 s spaCy takes to import here, a fifth of what a person waits for one report. A
    rule pipeline never calls it. Until spaCy is imported, `spacy.cli.info` is a stand-in
    that imports the real module the first time anything in it is used.
    """
    if "spacy" in sys.modules or _SPACY_INFO in sys.modules:
        return
    stand_in = types.ModuleType(_SPACY_INFO)

    def real(name: str) -> object:
        if name.startswith("__"):  # the import system asking what the module is (`__path__`)
            raise AttributeError(name)
        if sys.modules.get(_SPACY_INFO) is stand_in:
            del sys.modules[_SPACY_INFO]
        return getattr(importlib.import_module(_SPACY_INFO), name)

    def info(*args: object, **kwargs: object) -> object:
        return real("info")(*args, **kwargs)

    stand_in.info = info
    stand_in.__getattr__ = real  # module attributes it lacks come from the real module
    sys.modules[_SPACY_INFO] = stand_in


_defer_spacy_command_line()
