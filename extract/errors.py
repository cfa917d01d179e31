"""Errors raised while reading a source document."""
from __future__ import annotations


class WorkforceKBError(Exception):
    """Root of every error workforce-kb reports to the user."""


class UnreadableDocument(WorkforceKBError):
    """A file that cannot be read as a PDF or text document."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class DocumentTooLarge(UnreadableDocument):
    """A file over the configured size or page limit."""


class ExtractionTimeout(UnreadableDocument):
    """A document that took longer than the per-document time limit."""
