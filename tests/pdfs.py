"""A minimal PDF writer for tests: text runs, ruled rectangles, raw streams, RC4 passwords."""
from __future__ import annotations

import hashlib
import struct

_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def table_cells(rows: list[list[str]], top: float) -> list[tuple[float, float, float, str]]:
    return [(55 + 150 * c, top - 16 * r - 12, 10, text) for r, row in enumerate(rows) for c, text in enumerate(row)]


def table_rules(n_rows: int, top: float) -> list[tuple[float, float, float, float]]:
    return [(50 + 150 * c, top - 16 * (r + 1), 150, 16) for r in range(n_rows) for c in range(3)]


def make_pdf(pages: list[list[tuple[float, float, float, str]]] | None = None, rules: list | None = None,
             password: str | None = None, streams: list[bytes] | None = None,
             to_unicode: bytes | None = None) -> bytes:
    """A PDF of Helvetica text runs (x, y, size, text) per page, optional stroked rects, optional RC4 password.

    `streams` gives raw page content streams instead of text runs; `to_unicode`, a ToUnicode
    CMap for the font.
    """
    if streams is None:
        streams = [_page_stream(runs, rules[i] if rules else []) for i, runs in enumerate(pages or [])]
    n = len(streams)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n)) + b"] /Count %d >>" % n,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding%s >>"
        % (b" /ToUnicode %d 0 R" % (4 + 2 * n + (password is not None)) if to_unicode else b""),
    ]
    file_id = hashlib.md5(b"test").digest()
    key = encrypt = None
    if password is not None:
        key, encrypt = _rc4_security(password, file_id)
    for i, stream in enumerate(streams):
        if key:
            stream = _rc4(_object_key(key, 5 + 2 * i), stream)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    if encrypt:
        objects.append(encrypt)
    if to_unicode:
        objects.append(b"<< /Length %d >>\nstream\n" % len(to_unicode) + to_unicode + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b"<< /Size %d /Root 1 0 R /ID [<%s> <%s>]" % (len(objects) + 1, file_id.hex().encode(), file_id.hex().encode())
    if encrypt:
        trailer += b" /Encrypt %d 0 R" % len(objects)
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _page_stream(runs: list[tuple[float, float, float, str]], rects: list) -> bytes:
    ops = [b"BT /F1 %g Tf 1 0 0 1 %g %g Tm (%s) Tj ET" % (size, x, y, _pdf_string(text)) for x, y, size, text in runs]
    ops += [b"%g %g %g %g re S" % rect for rect in rects]
    return b"\n".join(ops)


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _rc4(key: bytes, data: bytes) -> bytes:
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _rc4_security(password: str, file_id: bytes) -> tuple[bytes, bytes]:
    """Standard security handler, revision 2 (40-bit RC4), user password = owner password."""
    padded = (password.encode() + _PAD)[:32]
    owner = _rc4(hashlib.md5(padded).digest()[:5], padded)
    permissions = -4
    key = hashlib.md5(padded + owner + struct.pack("<i", permissions) + file_id).digest()[:5]
    user = _rc4(key, _PAD)
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (owner.hex().encode(), user.hex().encode(), permissions)
    return key, encrypt


def _object_key(key: bytes, number: int) -> bytes:
    return hashlib.md5(key + number.to_bytes(3, "little") + b"\x00\x00").digest()[:10]
