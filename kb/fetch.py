"""Download source documents over HTTP(S), politely, and keep them by content hash.

`fetch_document(url, data_dir)` is what `wfkb ingest URL` calls; `PoliteClient` is
shared with `kb.sync`, which also reads the ModernGov XML service through it.

A downloaded file is stored as `<data_dir>/files/<sha256>.<pdf|txt>`: the name comes
from the bytes, never from the URL or a title, so nothing a server sends can choose
a path. Next to it, `<sha256>.json` records every URL the bytes came from and when.
"""
from __future__ import annotations

import io
import json
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from hashlib import sha256
from pathlib import Path
from typing import IO, Any, Iterable
from urllib.parse import urlsplit

import httpx

from extract.errors import WorkforceKBError
from extract.settings import resolve_settings

__all__ = [
    "DEFAULT_USER_AGENT",
    "DOCX_TYPE",
    "DownloadTooLarge",
    "FetchError",
    "FetchFailed",
    "FetchReport",
    "FetchSettings",
    "FetchedFile",
    "PoliteClient",
    "RefusedContent",
    "check_content",
    "fetch_document",
    "fetch_documents",
    "fetch_if_changed",
    "is_url",
]

DEFAULT_USER_AGENT = (
    "workforce-kb/0.1 (children's social care workforce research; "
    "fetches public committee papers, one request at a time)"
)
_CHUNK = 64 * 1024
# The PDF spec lets a few bytes of junk precede the header; readers accept it within 1 KB.
_PDF_MAGIC_WINDOW = 1024
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")
_TEXT_TYPES = ("text/plain",)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class FetchError(WorkforceKBError):
    """A URL that could not be turned into a stored document."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class FetchFailed(FetchError):
    """The server did not answer usefully (HTTP error, timeout), retries included."""


class RefusedContent(FetchError):
    """The server answered, but with something that is not a PDF or a text file."""


class DownloadTooLarge(FetchError):
    """The response is over the configured size limit."""


@dataclass
class FetchSettings:
    """How to talk to servers. Tests pass `{"delay": 0, "backoff": 0}`."""

    timeout: float = 30.0  # seconds per connect/read
    retries: int = 3  # extra attempts after the first, on 5xx, 429 and timeouts
    backoff: float = 1.0  # first wait between attempts; doubles each time
    max_bytes: int = 50_000_000
    delay: float = 1.0  # minimum gap between two requests to the same host
    user_agent: str = DEFAULT_USER_AGENT

    def __post_init__(self) -> None:
        for name in ("timeout", "max_bytes"):
            if not getattr(self, name) > 0:
                raise ValueError(f"Fetch setting '{name}' must be positive, got {getattr(self, name)!r}")
        for name in ("retries", "backoff", "delay"):
            if getattr(self, name) < 0:
                raise ValueError(f"Fetch setting '{name}' must be >= 0, got {getattr(self, name)!r}")
        if not self.user_agent.strip():
            raise ValueError("Fetch setting 'user_agent' must not be empty")

    @classmethod
    def resolve(cls, settings: FetchSettings | dict[str, Any] | None) -> FetchSettings:
        """Accept None (defaults), a dict of overrides or a FetchSettings."""
        return resolve_settings(cls, settings, "Fetch")


@dataclass(frozen=True)
class FetchedFile:
    """A stored download: where it is, where it came from, and when."""

    path: Path
    url: str
    fetched_at: str  # ISO 8601 UTC, seconds
    sha256: str
    content_type: str  # "application/pdf", "text/plain", "text/html" or DOCX_TYPE
    size: int = 0
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class _Reply:
    status: int
    headers: httpx.Headers
    size: int = 0
    head: bytes = b""


def is_url(value: str) -> bool:
    """True for an http(s) URL with a host (what `wfkb ingest` should download)."""
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


class PoliteClient:
    """One httpx client that waits between requests to a host and never overlaps them."""

    def __init__(self, settings: FetchSettings | dict[str, Any] | None = None) -> None:
        self.settings = FetchSettings.resolve(settings)
        self._http = httpx.Client(
            timeout=httpx.Timeout(self.settings.timeout),
            headers={"User-Agent": self.settings.user_agent},
            follow_redirects=True,
        )
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._guard = threading.Lock()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def get_bytes(self, url: str, max_bytes: int | None = None) -> bytes:
        """GET a small resource (an XML answer) into memory, with retries."""
        sink = io.BytesIO()
        reply = self.download(url, sink, max_bytes or self.settings.max_bytes)
        if reply.status != 200:
            raise FetchFailed(url, f"HTTP {reply.status}")
        return sink.getvalue()

    def download(
        self, url: str, sink: IO[bytes], max_bytes: int, headers: dict[str, str] | None = None
    ) -> _Reply:
        """GET url into sink, retrying 5xx/429/timeouts with exponential backoff.

        Returns the reply for 2xx and 304; raises FetchFailed for other statuses or
        when retries run out, DownloadTooLarge past max_bytes (not retried).
        """
        if not is_url(url):
            raise FetchFailed(url, "not an http(s) URL")
        attempts = self.settings.retries + 1
        problem = ""
        for attempt in range(attempts):
            if attempt:
                time.sleep(self.settings.backoff * 2 ** (attempt - 1))
            sink.seek(0)
            sink.truncate()
            try:
                reply = self._once(url, sink, max_bytes, headers or {})
            except httpx.TimeoutException:
                problem = f"timed out after {self.settings.timeout:g} s"
                continue
            except httpx.TransportError as exc:
                problem = f"connection failed ({type(exc).__name__}: {exc})"
                continue
            if reply.status >= 500 or reply.status == 429:
                problem = f"HTTP {reply.status}"
                continue
            if reply.status >= 400:
                raise FetchFailed(url, f"HTTP {reply.status}")
            return reply
        raise FetchFailed(url, f"{problem} ({attempts} attempt{'s' if attempts > 1 else ''})")

    def _once(self, url: str, sink: IO[bytes], max_bytes: int, headers: dict[str, str]) -> _Reply:
        host = urlsplit(url).netloc.lower()
        with self._host_lock(host):
            self._wait_for(host)
            try:
                return self._stream(url, sink, max_bytes, headers)
            finally:
                self._last[host] = time.monotonic()

    def _stream(self, url: str, sink: IO[bytes], max_bytes: int, headers: dict[str, str]) -> _Reply:
        with self._http.stream("GET", url, headers=headers) as response:
            reply = _Reply(response.status_code, response.headers)
            if response.status_code != 200:
                return reply
            declared = response.headers.get("content-length", "")
            # Refuse early when the server says how big it is; otherwise count as we go.
            if declared.isdigit() and int(declared) > max_bytes:
                raise DownloadTooLarge(url, f"{int(declared)} bytes declared, limit is {max_bytes}")
            for chunk in response.iter_bytes(_CHUNK):
                reply.size += len(chunk)
                if reply.size > max_bytes:
                    raise DownloadTooLarge(url, f"more than {max_bytes} bytes, download stopped")
                if len(reply.head) < _PDF_MAGIC_WINDOW:
                    reply.head += chunk[: _PDF_MAGIC_WINDOW - len(reply.head)]
                sink.write(chunk)
            return reply

    def _host_lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    def _wait_for(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = self.settings.delay - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)


def check_content(head: bytes, content_type: str | None, url: str = "") -> str:
    """The stored media type for a response, from its first bytes and Content-Type.

    Returns "application/pdf", "text/plain", "text/html" or the Word (.docx) type; raises
    RefusedContent otherwise. Magic bytes win over the header: some servers send PDFs as
    application/octet-stream, and an error page served as application/pdf is still HTML.
    A page served as a web page is one (its reader refuses login and error pages).
    """
    declared = (content_type or "").split(";")[0].strip().lower()
    if b"%PDF-" in head[:_PDF_MAGIC_WINDOW]:
        return "application/pdf"
    if declared in _HTML_TYPES and b"\x00" not in head:
        return "text/html"
    if _looks_like_html(head):
        served = declared or "no content type"
        raise RefusedContent(url, f"an HTML page (served as {served}), not a document; "
                                  "probably an error or login page")
    if declared == "application/pdf":
        raise RefusedContent(url, "served as application/pdf but does not start with %PDF-")
    if head.startswith(b"PK\x03\x04") and (declared == DOCX_TYPE or (
            declared in ("application/octet-stream", "") and urlsplit(url).path.lower().endswith(".docx"))):
        return DOCX_TYPE
    if declared == "application/msword" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise RefusedContent(url, "a legacy Word .doc file; save it as .docx or PDF to ingest it")
    if declared in _TEXT_TYPES:
        if b"\x00" in head:
            raise RefusedContent(url, "served as text/plain but contains binary data")
        return "text/plain"
    raise RefusedContent(url, f"unsupported content type '{declared or 'none'}' "
                              "(only PDF, Word .docx, web pages and plain text are ingested)")


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(_HTML_STARTS) or b"<html" in start[:512]


_EXTENSIONS = {"application/pdf": ".pdf", "text/plain": ".txt", "text/html": ".html", DOCX_TYPE: ".docx"}


def fetch_document(
    url: str,
    data_dir: str | Path,
    settings: FetchSettings | dict[str, Any] | None = None,
    *,
    client: PoliteClient | None = None,
) -> FetchedFile:
    """Download url and store it under `<data_dir>/files/<sha256>.<ext>`.

    Args:
        url: http(s) URL of a PDF, Word .docx, web page or plain-text document.
        data_dir: folder holding `files/`; created if missing.
        settings: FetchSettings, a dict of overrides, or None for defaults.
        client: reuse a PoliteClient (sync does, to keep per-host pacing).

    Returns:
        FetchedFile with the stored path, URL, UTC fetch time, sha256 and media type.

    Raises:
        FetchFailed: HTTP error, or 5xx/timeouts still failing after the retries.
        DownloadTooLarge: over `settings.max_bytes`.
        RefusedContent: HTML served as a file, a mislabelled PDF or an unsupported type.
    """
    fetched = fetch_if_changed(url, data_dir, settings, client=client)
    if fetched is None:  # a 304 to a request that asked nothing conditional
        raise FetchFailed(url, "HTTP 304 to an unconditional request")
    return fetched


@dataclass
class FetchReport:
    """The outcome of fetching several URLs: what was stored and what failed, with why."""

    fetched: list[FetchedFile] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)

    @property
    def source_urls(self) -> dict[str, str]:
        """Stored path -> URL, the shape `kb.build.ingest(source_urls=...)` takes."""
        return {str(f.path): f.url for f in self.fetched}


def fetch_documents(
    urls: Iterable[str], data_dir: str | Path, settings: FetchSettings | dict[str, Any] | None = None
) -> FetchReport:
    """fetch_document for each URL through one polite client; a failure never stops the batch."""
    report = FetchReport()
    with PoliteClient(settings) as client:
        for url in urls:
            try:
                report.fetched.append(fetch_document(url, data_dir, client=client))
            except FetchError as exc:
                report.failed.append((url, exc.reason))
    return report


def fetch_if_changed(
    url: str,
    data_dir: str | Path,
    settings: FetchSettings | dict[str, Any] | None = None,
    *,
    client: PoliteClient | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchedFile | None:
    """As fetch_document, but a conditional GET: None when the server says 304 Not Modified.

    With `client` given, its settings apply and `settings` is ignored.
    """
    if client is None:
        with PoliteClient(settings) as own:
            return fetch_if_changed(url, data_dir, client=own, etag=etag, last_modified=last_modified)
    files = Path(data_dir) / "files"
    files.mkdir(parents=True, exist_ok=True)
    headers = _conditional_headers(etag, last_modified)
    handle = tempfile.NamedTemporaryFile(dir=files, prefix=".download-", delete=False)
    try:
        with handle:
            reply = client.download(url, handle, client.settings.max_bytes, headers)
        if reply.status == 304:
            return None
        if reply.status != 200:
            raise FetchFailed(url, f"HTTP {reply.status}")
        media_type = check_content(reply.head, reply.headers.get("content-type"), url)
        return _store(Path(handle.name), files, url, media_type, reply)
    finally:
        Path(handle.name).unlink(missing_ok=True)


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _store(temp: Path, files: Path, url: str, media_type: str, reply: _Reply) -> FetchedFile:
    digest = _sha256_of(temp)
    target = files / f"{digest}{_EXTENSIONS[media_type]}"
    if not target.exists():
        os.replace(temp, target)
    fetched = FetchedFile(
        path=target,
        url=url,
        fetched_at=_utc_now(),
        sha256=digest,
        content_type=media_type,
        size=reply.size,
        etag=reply.headers.get("etag"),
        last_modified=reply.headers.get("last-modified"),
    )
    _record_source(files / f"{digest}.json", fetched)
    return fetched


def _sha256_of(path: Path) -> str:
    digest = sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _record_source(sidecar: Path, fetched: FetchedFile) -> None:
    """Append this fetch to the file's provenance record (the same bytes may have many URLs)."""
    record: dict[str, Any] = {"sha256": fetched.sha256, "content_type": fetched.content_type,
                              "size": fetched.size, "sources": []}
    if sidecar.exists():
        record = json.loads(sidecar.read_text(encoding="utf-8"))
    record["sources"].append({"url": fetched.url, "fetched_at": fetched.fetched_at})
    temp = sidecar.with_suffix(".json.part")
    temp.write_text(json.dumps(record, indent=2), encoding="utf-8")
    os.replace(temp, sidecar)
