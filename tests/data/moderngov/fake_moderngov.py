"""A ModernGov site on 127.0.0.1 for the fetch and sync tests (no internet needed).

It answers `mgWebService.asmx/GetCommittees|GetMeetings|GetMeeting` from the XML
fixtures next to this file, rewriting the fixtures' `https://democracy.example.gov.uk`
to its own address, and serves documents from `Route`s (real corpus PDFs by
default). Tests change routes to make a path fail, stall, grow or lie about its
type, and read `hits` to see what was requested.
"""
from __future__ import annotations

import hashlib
import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

FIXTURES = Path(__file__).parent
# ModernGov's web pages live outside tests/data, which is ingested whole as a score set.
PAGES = FIXTURES.parents[1] / "pages" / "moderngov"
FIXTURE_HOST = "https://democracy.example.gov.uk"
# The Word appendix the decision page (tests/pages/moderngov/ieDecisionDetails_8101.html) links to.
APPENDIX_DOCX = "/documents/s8102/Appendix 1 - Workforce Action Plan.docx"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Route:
    """What one path answers. `fail_first` answers `fail_status` that many times first."""

    body: bytes
    content_type: str = "application/pdf"
    status: int = 200
    fail_first: int = 0
    fail_status: int = 500
    delay: float = 0.0  # seconds before answering (a stalled server)
    etag: bool = True  # send ETag/Last-Modified and honour conditional GETs
    content_length: bool = True  # False: no Content-Length, body streamed until close
    served: int = 0


class FakeModernGov:
    """Start with `with FakeModernGov(...) as site:`; `site.url` is the base URL."""

    def __init__(self, documents: dict[str, Path] | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.last_modified = formatdate(time.time() - 3600, usegmt=True)
        for path, source in (documents or {}).items():
            self.routes[path] = Route(Path(source).read_bytes())
        self.routes[APPENDIX_DOCX] = Route(appendix_docx(), DOCX_TYPE)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeModernGov:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def document_hits(self) -> int:
        """How many document bodies (200 answers under /documents/) were sent."""
        return sum(r.served for p, r in self.routes.items() if "/documents/" in p)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                site._answer(self)

        return Handler

    def _answer(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        path = unquote(parts.path)
        key = f"{path}?{parts.query}" if parts.query else path
        self.hits[key] += 1
        self.requests.append((key, dict(request.headers)))
        route = self.routes.get(key) or self.routes.get(path)
        if route is None and "/mgWebService.asmx/" in path:
            route = self._service(path, parse_qs(parts.query))
        if route is None and path.endswith(".aspx"):
            route = self._page(path, parse_qs(parts.query))
        if route is None:
            return _send(request, 404, b"<html><body>Not found</body></html>", "text/html")
        self._serve(request, route)

    def _service(self, path: str, query: dict[str, list[str]]) -> Route:
        operation = path.rsplit("/", 1)[-1]
        if operation == "GetCommittees":
            return Route(self._fixture("committees.xml"), "text/xml; charset=utf-8", etag=False)
        if operation == "GetMeeting":
            name = f"meeting_{query.get('lMeetingId', [''])[0]}.xml"
            return Route(self._fixture(name), "text/xml; charset=utf-8", etag=False)
        if operation == "GetMeetings":
            return self._meetings(query)
        return Route(b"unknown operation", "text/plain", status=500, etag=False)

    def _meetings(self, query: dict[str, list[str]]) -> Route:
        """GetMeetings filtered by the window, as the real service does; 400 on bad dates."""
        try:
            start = datetime.strptime(query["sFromDate"][0], "%d/%m/%Y")
            end = datetime.strptime(query["sToDate"][0], "%d/%m/%Y")
        except (KeyError, ValueError):
            return Route(b"sFromDate/sToDate must be dd/mm/yyyy", "text/plain", status=400, etag=False)
        name = f"meetings_{query.get('lCommitteeId', [''])[0]}.xml"
        root = ET.fromstring(self._fixture(name))
        for parent in list(root.iter()):
            for meeting in [c for c in parent if c.tag.endswith("meeting")]:
                when = datetime.strptime(_child_text(meeting, "meetingdate"), "%d/%m/%Y")
                if not start <= when <= end:
                    parent.remove(meeting)
        return Route(ET.tostring(root, encoding="utf-8"), "text/xml; charset=utf-8", etag=False)

    def _page(self, path: str, query: dict[str, list[str]]) -> Route | None:
        """ModernGov's pages (mgAi.aspx?ID=, ieDecisionDetails.aspx?ID=) from PAGES/<name>_<ID>.html,
        kept as routes so they answer conditional requests and count what they served."""
        name = f"{path.rsplit('/', 1)[-1].removesuffix('.aspx')}_{query.get('ID', [''])[0]}.html"
        if not (PAGES / name).exists():
            return None
        key = f"{path}?ID={query['ID'][0]}"
        page = (PAGES / name).read_text(encoding="utf-8").replace(FIXTURE_HOST, self.url).encode("utf-8")
        self.routes[key] = Route(page, "text/html; charset=utf-8")
        return self.routes[key]

    def _fixture(self, name: str) -> bytes:
        path = FIXTURES / name
        text = path.read_text(encoding="utf-8") if path.exists() else "<meeting />"
        return text.replace(FIXTURE_HOST, self.url).encode("utf-8")

    def _serve(self, request: BaseHTTPRequestHandler, route: Route) -> None:
        if route.delay:
            time.sleep(route.delay)
        if route.fail_first > 0:
            route.fail_first -= 1
            return _send(request, route.fail_status, b"<html><body>Server Error</body></html>", "text/html")
        etag = f'"{hashlib.sha256(route.body).hexdigest()[:16]}"'
        if route.etag and request.headers.get("If-None-Match") == etag:
            return _send(request, 304, b"", None)
        headers = {"ETag": etag, "Last-Modified": self.last_modified} if route.etag else {}
        if route.status == 200:
            route.served += 1
        _send(request, route.status, route.body, route.content_type, headers, route.content_length)


def appendix_docx() -> bytes:
    """A council's Word appendix: an action plan with headings, numbered actions and a table."""
    import io

    import docx

    document = docx.Document()
    document.add_heading("Appendix 1 - Workforce Action Plan", level=1)
    document.add_heading("Next steps", level=2)
    for text in ("We will open a second social work academy cohort of 12 newly qualified social workers "
                 "in September 2025.",
                 "The Principal Social Worker will introduce monthly reflective supervision for all team "
                 "managers by December 2025."):
        document.add_paragraph(text, style="List Number")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _child_text(node: ET.Element, name: str) -> str:
    for child in node:
        if child.tag.endswith(name):
            return (child.text or "").strip()
    return ""


def _send(
    request: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str | None,
    headers: dict[str, str] | None = None,
    content_length: bool = True,
) -> None:
    try:
        request.send_response(status)
        if content_type:
            request.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        if content_length:
            request.send_header("Content-Length", str(len(body)))
        else:
            request.close_connection = True  # HTTP/1.0 style: the body ends when the socket does
        request.end_headers()
        if status != 304:
            request.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client stopped reading (size limit, timeout): that is the point of the test
