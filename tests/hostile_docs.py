"""Hostile PDFs and web pages, generated (never committed as binaries): each must end in exit 2 within its
time and memory limits (tests/test_pdf.py, tests/test_html.py)."""

from __future__ import annotations

import io
import zlib


def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF from numbered object bodies (1-based), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref))
    return out.getvalue()


def _page_with(content: bytes, extra: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R " + extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        content,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def _stream(data: bytes, flate: bool = False) -> bytes:
    body = zlib.compress(data, 9) if flate else data
    head = b"<< /Length %d%s >>" % (len(body), b" /Filter /FlateDecode" if flate else b"")
    return head + b"\nstream\n" + body + b"\nendstream"


def text_pdf(text: str = "Hello") -> bytes:
    """A one-page PDF with a line of (Latin) text: the well-formed base the others spoil."""
    return _pdf(_page_with(_stream(b"BT /F1 12 Tf 72 720 Td (" + text.encode() + b") Tj ET")))


def clipped_overflow() -> bytes:
    """A ruled row of two cells, as Excel prints a long text in a narrow cell: the first cell's text runs on
    under the second, clipped to its own cell; the second holds XY."""
    lines = b" ".join(b"%d %d m %d %d l S" % seg for seg in
                      ((50, 700, 250, 700), (50, 680, 250, 680), (50, 700, 50, 680), (150, 700, 150, 680),
                       (250, 700, 250, 680)))  # fmt: skip
    text = (b"q 50 680 100 20 re W n BT /F1 12 Tf 52 685 Td (ABCDEFGHIJKLMNOP) Tj ET Q "
            b"BT /F1 12 Tf 200 685 Td (XY) Tj ET")  # fmt: skip
    return _pdf(_page_with(_stream(b"0.5 w " + lines + b" " + text)))


def huge_path(segments: int = 300_000) -> bytes:
    """A line of text and one path of 300,000 segments: more drawing than any table has."""
    path = b"0.1 w 10 10 m " + b" ".join(b"%d %d l" % (10 + i % 500, 10 + i % 700) for i in range(segments)) + b" S"
    return _pdf(_page_with(_stream(path + b" BT /F1 12 Tf 72 720 Td (Hello) Tj ET", flate=True)))


def stream_bomb() -> bytes:
    """A content stream of 400 MB of spaces, Flate-compressed to ~400 KB."""
    inflater = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    body = b"".join(inflater.compress(chunk) for _ in range(400)) + inflater.flush()
    return _pdf(_page_with(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"))


def many_pages(n: int = 10_000) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (i + 3) for i in range(n)) + b"] /Count %d >>" % n,
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * n
    return _pdf(objects)


def cyclic_pages() -> bytes:
    """A page tree whose node is its own kid."""
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])


def deep_nesting(depth: int = 100_000) -> bytes:
    """An object nested 100,000 arrays deep."""
    objects = _page_with(_stream(b"BT /F1 12 Tf 72 720 Td (x) Tj ET"))
    objects.append(b"[" * depth + b"]" * depth)
    return _pdf(objects)


def javascript_and_attachment() -> bytes:
    """Text plus an OpenAction JavaScript and an embedded file: read as text only, nothing run or opened."""
    extra = (
        b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> "
        b"/Names << /EmbeddedFiles << /Names [(a.exe) << /Type /Filespec /F (a.exe) >>] >> >> "
    )
    return _pdf(_page_with(_stream(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"), extra))


def scanned() -> bytes:
    """A page with an image and no text: what a scanner makes."""
    objects = _page_with(_stream(b"q 100 0 0 100 72 600 cm /Im1 Do Q"))
    objects[2] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 6 0 R >> >> >>"
    )
    objects.append(
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream"
    )
    return _pdf(objects)


def deep_html(depth: int = 200_000) -> bytes:
    return b"<html><body>" + b"<div>" * depth + b"x" + b"</div>" * depth + b"</body></html>"


def huge_html(size: int = 100 * 1024 * 1024) -> bytes:
    row = b"<tr><td>x</td></tr>"
    return b"<html><body><table>" + row * (size // len(row)) + b"</table></body></html>"


def million_cells() -> bytes:
    row = b"<tr>" + b"<td>1</td>" * 1000 + b"</tr>"
    return b"<html><body><table>" + row * 1000 + b"</table></body></html>"
