"""Web pages (saved `.html`/`.htm` files, or URLs answering text/html) -> layout blocks.

A page's markup already says what each part is, so blocks come from the elements, not from
layout guesses: `h1`-`h6` are headings of their level, `p` and loose text paragraphs, `li`
list items (an `<ol>`'s number, as its `start`, `type` and `value` give it, is the marker),
and `table`s keep their cells, a `rowspan`/`colspan` cell's text in its top-left slot and the
slots it covers empty (as pdfplumber gives a merged PDF cell). Each block's text is one
string, so `page` is 1 and `char_start`/`char_end` index the joined text as for any document.

Which part of a page is its content: ModernGov pages (decision details, agenda items with
their minutes, issue histories) by ModernGov's own markup; any other page by its `<main>` or
`<article>`, else by jusText's boilerplate classifier. Navigation, headers, footers,
breadcrumbs, cookie banners and the file-link labels of attachments are dropped either way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import lxml.etree
import lxml.html

from extract.errors import DocumentTooLarge, UnreadableDocument
from extract.language.dates import find_dates
from extract.layout.blocks import assign_heading_paths, split_marker
from extract.read.text import without_furniture
from extract.settings import ExtractSettings
from schemas import Block, BlockKind

__all__ = ["HTML_SUFFIXES", "HtmlPage", "html_to_page", "read_html_file"]

HTML_SUFFIXES = (".html", ".htm")

_SKIP_TAGS = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button",
              "select", "input", "textarea", "iframe", "svg", "img", "head", "title", "meta", "link", "object",
              "embed", "video", "audio", "canvas", "map", "dialog"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_LIST_TAGS = {"ul", "ol", "menu", "dir"}
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "blockquote", "dl", "dt", "dd", "pre", "figure",
               "figcaption", "address", "center", "fieldset", "details", "summary", "li", "table", "hr", "body",
               "html", "caption", "tbody", "thead", "tfoot", "tr", "td", "th"} | _LIST_TAGS | set(_HEADINGS)
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alertdialog"}
# Class or id words of page furniture (whole words of the attribute: "mgHeader" is not "header").
_FURNITURE_NAMES = re.compile(
    r"(?:^|[\s_-])(?:breadcrumbs?|cookies?|cookie-?banner|consent|skip-?(?:link|to-content)?|skiplinks?|navbar|"
    r"navigation|nav|menu|site-?header|site-?footer|footer|masthead|sidebar|share|social|print-?link|"
    r"back-?to-?top|visually-?hidden|sr-only|screen-?reader-?text)(?:$|[\s_-])", re.IGNORECASE)
# ModernGov's own furniture: the strap above the title, link bars, and the file-size labels of attachments.
_MODERNGOV_FURNITURE = re.compile(
    r"\bmg(?:HeadingStrap|Breadcrumb\w*|Links\w*|PageNav\w*|Footer\w*|FileSize|Icon\w*|PrintLinks?|"
    r"RSS\w*|CommitteeLinks?|NavBar\w*|HelpLinks?)\b")
# A link to one of these is an attachment: a list of nothing but such links is a file list, not text.
_FILE_LINK = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|rtf|odt|csv|zip)(?:$|[?#])|/documents/[sg]\d+/|"
                        r"mgConvert2PDF\.aspx|ViewDocument", re.IGNORECASE)
_MODERNGOV_PAGES = re.compile(r"\b(?:ieDecisionDetails|mgAi|ieIssueDetails|ieListDocuments|mgIssueHistory\w*)\.aspx",
                              re.IGNORECASE)
# Fields that date a ModernGov page, the best first: when it was decided or met, then published.
_DATE_FIELDS = [re.compile(rf"^(?:{label})\s*:\s*(?P<rest>.*)$", re.IGNORECASE) for label in (
    r"date of decision|decision date|decided at meeting", r"meeting(?: date)?|date of meeting", r"date",
    r"publication date|published|(?:notice of proposed decision )?first published")]
_ERROR_TITLE = re.compile(r"\b(?:page not found|not found|404|403|500|runtime error|server error|access denied|"
                          r"forbidden|error occurred|an error has occurred|sign in|log ?in|session (?:has )?expired)\b",
                          re.IGNORECASE)
_MIN_CONTENT_CHARS = 80
_MAX_COLSPAN = 100
_MAX_GRID_CELLS = 200_000
_MAX_ERROR_PAGE_CHARS = 600  # an error page may apologise at length; a paper runs longer
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")


@dataclass
class HtmlPage:
    """What a web page gives the pipeline: its content blocks and what it says about itself."""

    blocks: list[Block]
    title: str | None = None
    published: str | None = None  # ISO date of the decision, meeting or publication
    source_url: str | None = None  # the page's canonical address, when it names one
    info: dict = field(default_factory=dict)


def read_html_file(path: str | Path, settings: ExtractSettings | dict | None = None) -> bytes:
    """The page's bytes, refused when empty or over the HTML size cap (a page that size is a dump, not a paper)."""
    settings = ExtractSettings.resolve(settings)
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise UnreadableDocument(str(path), "empty file (0 bytes)")
    if size > settings.max_html_mb * 1024 * 1024:
        raise DocumentTooLarge(str(path), f"{size / 1048576:.2f} MB of HTML is over the "
                                          f"{settings.max_html_mb:g} MB limit for web pages")
    return path.read_bytes()


def html_to_page(data: bytes, name: str, url: str | None = None) -> HtmlPage:
    """Read a web page's main content into blocks.

    Args:
        data: the page as served or saved (its encoding from its BOM or `<meta charset>`).
        name: the file or URL, for error messages.
        url: the address the page was fetched from, if known (tells a ModernGov page too).
    Raises:
        UnreadableDocument: not HTML, a login or error page, or no main content.
    """
    root = _parse(data, name)
    title = _page_title(root)
    site = _site_name(root)
    canonical = _canonical_url(root)
    moderngov = _is_moderngov(root, url or canonical or name)
    if root.xpath("//input[@type='password']") and not moderngov:
        raise UnreadableDocument(name, "a login page, not a document (it asks for a password)")
    content = _moderngov_content(root) if moderngov else _main_content(root, data)
    blocks = _element_blocks(content, moderngov) if content is not None else []
    text_chars = sum(len(b.text) for b in blocks if b.kind != BlockKind.HEADING)
    if title and _ERROR_TITLE.search(title) and text_chars < _MAX_ERROR_PAGE_CHARS:
        raise UnreadableDocument(name, f"an error or login page ('{title[:80]}'), not a document")
    if text_chars < _MIN_CONTENT_CHARS:
        raise UnreadableDocument(name, "no main content found in the web page")
    title = (_moderngov_title(blocks) if moderngov else _first_heading(blocks, title)) or title
    return HtmlPage(blocks=assign_heading_paths(blocks), title=title, published=_page_date(root, blocks),
                    source_url=canonical, info={"Title": title or "", "Author": site or "", "running_headers": []})


# --- parsing and what the page says about itself ------------------------------------------


def _parse(data: bytes, name: str) -> lxml.html.HtmlElement:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableDocument(name, "binary content, not a web page")
    try:
        root = lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(
            recover=True, remove_comments=True, remove_pis=True, encoding=_undeclared_encoding(data)))
    except (lxml.etree.ParserError, ValueError, lxml.etree.XMLSyntaxError) as e:
        raise UnreadableDocument(name, f"not a readable web page ({_squash(str(e))[:120] or type(e).__name__})") from None
    if root is None or root.find("body") is None and not root.text_content().strip():
        raise UnreadableDocument(name, "no main content found in the web page")
    return root


def _undeclared_encoding(data: bytes) -> str | None:
    """The encoding of a page that declares none (no BOM, no charset): UTF-8 when its bytes are
    UTF-8, as a saved page nearly always is, else Windows-1252. libxml2 would read Latin-1,
    turning every dash and quote of a UTF-8 page into two wrong characters. None: declared."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"charset" in data[:4096].lower():
        return None
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "windows-1252"


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _page_title(root: lxml.html.HtmlElement) -> str | None:
    for xpath in ("//meta[@property='og:title']/@content", "//title//text()", "//h1//text()"):
        found = _squash(" ".join(root.xpath(xpath)))
        if found:
            return found
    return None


def _site_name(root: lxml.html.HtmlElement) -> str | None:
    """Who publishes the page: its `og:site_name`, else the last part of a `<title>` such as
    "Meeting of Cabinet | Anytown Council" (where the page's text may not name the council)."""
    named = _squash(" ".join(root.xpath("//meta[@property='og:site_name']/@content")))
    if named:
        return named
    parts = re.split(r"\s+[|\u2013\u2014-]\s+", _squash(" ".join(root.xpath("//title//text()"))))
    return parts[-1] if len(parts) > 1 else None


def _canonical_url(root: lxml.html.HtmlElement) -> str | None:
    for xpath in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        found = [u.strip() for u in root.xpath(xpath) if u.strip().startswith(("http://", "https://"))]
        if found:
            return found[0]
    return None


def _is_moderngov(root: lxml.html.HtmlElement, where: str) -> bool:
    return bool(_MODERNGOV_PAGES.search(where or "")) or bool(root.xpath("//*[@id='modgov']"))


def _page_date(root: lxml.html.HtmlElement, blocks: list[Block]) -> str | None:
    """The decision's or meeting's date from its field ("Date of decision: 14/03/2023",
    "Meeting: 14/03/2023 - Cabinet"), else the page's published-time metadata."""
    for pattern in _DATE_FIELDS:
        for block in blocks[:60]:
            field_match = pattern.match(block.text)
            found = _first_date(field_match.group("rest")) if field_match else None
            if found:
                return found
    for xpath in ("//meta[@property='article:published_time']/@content", "//meta[@name='date']/@content",
                  "//meta[@name='DC.date']/@content", "//time/@datetime"):
        for value in root.xpath(xpath):
            found = _first_date(value) or (value[:10] if re.match(r"\d{4}-\d\d-\d\d", value) else None)
            if found:
                return found
    return None


def _first_date(text: str) -> str | None:
    for mention in find_dates(text):
        if mention.kind == "date" and mention.iso:
            return mention.iso
    return None


# --- which part of the page is its content -------------------------------------------------


def _moderngov_content(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    for xpath in ("//*[@id='modgov']//*[contains(concat(' ', normalize-space(@class), ' '), ' mgContent ')]",
                  "//*[@id='modgov']", "//*[contains(concat(' ', normalize-space(@class), ' '), ' mgContent ')]",
                  "//body"):
        found = root.xpath(xpath)
        if found:
            return found[0]
    return None


def _main_content(root: lxml.html.HtmlElement, data: bytes) -> lxml.html.HtmlElement | None:
    """`<main>`, `role=main` or a lone `<article>`, else the element jusText's good paragraphs share."""
    for xpath in ("//main", "//*[@role='main']", "//article"):
        found = root.xpath(xpath)
        if len(found) == 1 or (found and xpath != "//article"):
            return found[0]
    return _justext_content(data)


def _justext_content(data: bytes) -> lxml.html.HtmlElement | None:
    import justext

    cleaned: list = []

    def keep_tree(dom):  # justext's own cleaning, kept so its paragraphs' XPaths point into it
        cleaned.append(justext.core.preprocessor(dom))
        return cleaned[-1]

    try:
        paragraphs = justext.justext(data, justext.get_stoplist("English"), preprocessor=keep_tree)
    except Exception:  # jusText gives up on pages it cannot decode or that hold no paragraphs
        return None
    good = [p for p in paragraphs if not p.is_boilerplate]
    if not good or not cleaned:
        return None
    nodes = [n for p in good for n in cleaned[-1].xpath(p.xpath)[:1]]
    return _common_ancestor(nodes)


def _common_ancestor(nodes: list) -> lxml.html.HtmlElement | None:
    if not nodes:
        return None
    path = list(nodes[0].iterancestors())[::-1] + [nodes[0]]
    for node in nodes[1:]:
        own = set(node.iterancestors()) | {node}
        while path and path[-1] not in own:
            path.pop()
    return path[-1] if path else None


def _is_furniture(element: lxml.html.HtmlElement, moderngov: bool) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in ("header", "footer") and any(a.tag == "article" for a in element.iterancestors()):
        return False  # an article's own header holds its title and date, not the site's banner
    if tag in _SKIP_TAGS or element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if (element.get("role") or "").lower() in _FURNITURE_ROLES:
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    if moderngov and _MODERNGOV_FURNITURE.search(names):
        return True
    return tag not in _HEADINGS and bool(_FURNITURE_NAMES.search(names))


# --- elements to blocks --------------------------------------------------------------------


@dataclass
class _Walk:
    moderngov: bool
    blocks: list[Block] = field(default_factory=list)
    inline: list[str] = field(default_factory=list)
    depth: int = 0

    def flush(self) -> None:
        """The inline text gathered so far as paragraphs, one per line break."""
        text, self.inline = "".join(self.inline), []
        for line in text.split("\n"):
            self.paragraph(line)

    def paragraph(self, text: str) -> None:
        text = _clean(text)
        if not text:
            return
        marker, numbering, rest = split_marker(text)
        kind = BlockKind.LIST_ITEM if marker else BlockKind.PARAGRAPH
        self.add(Block(kind=kind, text=rest.strip() or text, page=1, marker=marker, numbering=numbering,
                       indent=float(self.depth)))

    def add(self, block: Block) -> None:
        block.pages = [1]
        self.blocks.append(block)


def _clean(text: str) -> str:
    return _squash(without_furniture(_squash(text)))


def _element_blocks(content: lxml.html.HtmlElement, moderngov: bool) -> list[Block]:
    walk = _Walk(moderngov)
    _walk_children(content, walk)
    walk.flush()
    return _without_empty_sections(walk.blocks)


def _without_empty_sections(blocks: list[Block]) -> list[Block]:
    """Without headings whose section holds nothing ("Documents:" over a file list that was dropped)."""
    kept = []
    for block, following in zip(blocks, blocks[1:] + [None]):
        if block.kind != BlockKind.HEADING:
            kept.append(block)
            continue
        empty = following is None or (following.kind == BlockKind.HEADING and (following.level or 6) <= (block.level or 6))
        if not empty:
            kept.append(block)
    return kept


def _walk_children(element: lxml.html.HtmlElement, walk: _Walk) -> None:
    if element.text:
        walk.inline.append(element.text)
    for child in element:
        _walk(child, walk)
        if child.tail:
            walk.inline.append(child.tail)


def _walk(element: lxml.html.HtmlElement, walk: _Walk) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if not tag or _is_furniture(element, walk.moderngov):
        return
    if tag == "br":
        walk.inline.append("\n")
        return
    if tag not in _BLOCK_TAGS:
        _walk_children(element, walk)  # inline markup: its text runs on in the paragraph
        return
    walk.flush()
    if tag in _HEADINGS:
        text = _clean(_inline_text(element))
        if text:
            walk.add(Block(kind=BlockKind.HEADING, text=text, page=1, level=_HEADINGS[tag]))
    elif tag in _LIST_TAGS:
        _list_blocks(element, walk)
    elif tag == "table":
        _table_blocks(element, walk)
    else:
        _walk_children(element, walk)
        walk.flush()


def _inline_text(element: lxml.html.HtmlElement) -> str:
    """An element's text without its furniture descendants, line breaks as spaces."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _SKIP_TAGS and child.get("hidden") is None:
            parts.append(" " if child.tag == "br" else _inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _ol_marker(number: int, style: str) -> str:
    """The number an `<ol type=...>` prints for item `number`."""
    if style in ("a", "A"):
        letters = ""
        while number > 0:
            number, rest = divmod(number - 1, 26)
            letters = chr(ord("a") + rest) + letters
        label = letters.upper() if style == "A" else letters
    elif style in ("i", "I"):
        label = ""
        for value, roman in _ROMAN:
            while number >= value:
                label, number = label + roman, number - value
        label = label.upper() if style == "I" else label
    else:
        label = str(number)
    return f"{label}."


def _is_file_list(element: lxml.html.HtmlElement) -> bool:
    """Every item is a link to an attached file (with its icon and size): ModernGov's
    "Supporting documents" and a page's downloads, not text."""
    items = [li for li in element if isinstance(li.tag, str) and li.tag == "li"]
    if not items:
        return False
    for li in items:
        links = [a for a in li.iter("a") if _FILE_LINK.search(a.get("href") or "")]
        link_text = sum(len(_squash(a.text_content())) for a in links)
        if not links or link_text < 0.6 * len(_squash(li.text_content())):
            return False
    return True


def _list_blocks(element: lxml.html.HtmlElement, walk: _Walk) -> None:
    if _is_file_list(element):
        return
    ordered = element.tag == "ol"
    number = _int(element.get("start"), 1)
    style = element.get("type") or "1"
    walk.depth += 1
    for item in element:
        if not isinstance(item.tag, str) or _is_furniture(item, walk.moderngov):
            continue
        if item.tag != "li":
            _walk(item, walk)
            continue
        number = _int(item.get("value"), number)
        marker = _ol_marker(number, item.get("type") or style) if ordered else "•"
        _list_item(item, marker, walk, ordered)
        number += 1
    walk.depth -= 1


def _list_item(item: lxml.html.HtmlElement, marker: str, walk: _Walk, ordered: bool) -> None:
    """The item's own text is one block with the marker; lists and paragraphs inside it follow.
    An unordered item that writes its own number ("(a) ...") keeps it."""
    start = len(walk.blocks)
    _walk_children(item, walk)
    walk.flush()
    own = next((b for b in walk.blocks[start:] if b.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)
                and b.indent == walk.depth), None)
    if own is not None:
        if ordered or own.marker is None:
            own.marker = marker
        own.kind = BlockKind.LIST_ITEM


def _int(value: str | None, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _table_blocks(table: lxml.html.HtmlElement, walk: _Walk) -> None:
    rows = _table_rows(table)
    width = max((len(r) for r in rows), default=0)
    # A one-column or one-row table, or one holding tables, lays the page out: its cells are text.
    if width < 2 or len(rows) < 2 or table.xpath(".//table"):
        _walk_children(table, walk)
        walk.flush()
        return
    caption = table.find("caption")
    text = "\n".join(" | ".join(c or "" for c in row) for row in rows)
    walk.add(Block(kind=BlockKind.TABLE, text=text, page=1, cells=rows,
                   caption=_clean(caption.text_content()) if caption is not None else None))


def _table_rows(table: lxml.html.HtmlElement) -> list[list[str | None]]:
    """The grid of the table's own rows: a spanning cell's text in its first slot, the slots it covers None."""
    grid: dict[tuple[int, int], str | None] = {}
    own_rows = [tr for tr in table.iter("tr") if _owning_table(tr) is table]
    for r, tr in enumerate(own_rows):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            # A span reaches no further than the table's rows (as browsers clip it), and no table
            # grows past _MAX_GRID_CELLS slots, whatever its spans claim.
            rowspan = max(1, min(_int(cell.get("rowspan"), 1), len(own_rows) - r))
            colspan = max(1, min(_int(cell.get("colspan"), 1), _MAX_COLSPAN))
            if len(grid) + rowspan * colspan > _MAX_GRID_CELLS:
                rowspan = colspan = 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = None
            grid[(r, c)] = _clean(_inline_text(cell)) or None
            c += colspan
    if not grid:
        return []
    height = min(max(r for r, _ in grid) + 1, len(own_rows))
    width = max(c for _, c in grid) + 1
    rows = [[grid.get((r, c)) for c in range(width)] for r in range(height)]
    return [row for row in rows if any(row)]


def _owning_table(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    return next(element.iterancestors("table"), None)


# --- ModernGov specifics ---------------------------------------------------------------------


def _first_heading(blocks: list[Block], page_title: str | None) -> str | None:
    """The content's top heading when the page's <title> is it plus the site's name ("... | Council")."""
    heading = next((b.text for b in blocks if b.kind == BlockKind.HEADING), None)
    return heading if heading and page_title and page_title.startswith(heading) else None


def _moderngov_title(blocks: list[Block]) -> str | None:
    """The decision's or item's own title: the heading after ModernGov's generic one ("Decision details")."""
    headings = [b.text for b in blocks[:6] if b.kind == BlockKind.HEADING]
    generic = re.compile(r"^(?:decision details|agenda item|issue (?:details|history)|issue - items at meetings)$",
                         re.IGNORECASE)
    for text in headings:
        if not generic.match(text):
            return re.sub(r"^\d{1,3}[a-z]?\.?\s+(?=[A-Z])", "", text)  # the item's number
    return None
