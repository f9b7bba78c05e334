"""PDF files: the text layer, read with ``pypdf`` (extra ``searchko[pdf]``).

Pages are joined with blank lines. Title from the document information
(``/Title``), else the first line; date from ``/CreationDate``, else a date
near the top of the text. Reported as warnings, the document still indexed:
pages with no text layer (scans: searchko does no OCR) and a text layer of
unmapped glyphs (``(cid:123)``, private-use or replacement characters: fonts
without a usable ToUnicode map, common in Korean PDFs made from HWP).
Encrypted PDFs are read if they open with an empty password. Left out:
annotations, form fields, attachments, and the reading order of columns
(pypdf's order is kept).
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import struct
import zlib
from typing import Iterator

from ..documents import Document, parse_date
from ..errors import DocumentError, DocumentWarning, MissingExtraError

MAX_TEXT_CHARS = 50 * 1024 * 1024
_HEADER_LINES = 8
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")
_CID = re.compile(r"\(cid:\d+\)")
_GARBLED_SHARE = 0.5
# what malformed PDFs make pypdf raise besides its own PyPdfError
_PARSE_ERRORS = (ValueError, KeyError, IndexError, TypeError, AttributeError, AssertionError,
                 NotImplementedError, struct.error, zlib.error, RecursionError, OverflowError)


def _unusable_char(ch: str) -> bool:
    code = ord(ch)
    return (0xE000 <= code <= 0xF8FF or code >= 0xF0000 or code == 0xFFFD
            or (code < 32 and ch not in "\t\n\r"))


def is_garbled(text: str) -> bool:
    """Whether a text layer is mostly glyph ids rather than characters:
    ``(cid:N)`` sequences, private-use, replacement or control characters."""
    cid_chars = sum(len(m) for m in _CID.findall(text))
    rest = _CID.sub("", text)
    visible = [ch for ch in rest if not ch.isspace()]
    total = cid_chars + len(visible)
    if total == 0:
        return False
    bad = cid_chars + sum(1 for ch in visible if _unusable_char(ch))
    return bad / total > _GARBLED_SHARE


def _pdf_date(value) -> _dt.date | None:
    """``D:20250131093000+09'00'`` -> 2025-01-31 (the local date written)."""
    m = _PDF_DATE.match(str(value or "").strip())
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


def _page_ranges(numbers: list[int]) -> str:
    """[2, 3, 4, 7] -> "2-4, 7"."""
    ranges: list[list[int]] = []
    for n in numbers:
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


def _warn(on_error, path: str, reason: str) -> None:
    if on_error is not None:
        on_error(DocumentWarning(path, reason))


_AES_NEEDS_CRYPTOGRAPHY = "encrypted PDF (AES: reading it needs `pip install cryptography`)"


def extract_pdf(raw: bytes, path: str, *, on_error=None, options=None) -> Iterator[Document]:
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError, PyPdfError
    except ImportError:
        raise MissingExtraError("reading .pdf files needs pypdf: pip install 'searchko[pdf]'") from None
    errors = (PyPdfError, *_PARSE_ERRORS)

    if b"%PDF-" not in raw[:1024]:
        raise DocumentError(path, "not a PDF file (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(path, "encrypted PDF (needs a password)")
        pages = list(reader.pages)
        info = reader.metadata
        title = str(info.title or "").strip() if info else ""
        date = _pdf_date(info.creation_date_raw) if info else None
    except DependencyError:
        raise DocumentError(path, _AES_NEEDS_CRYPTOGRAPHY) from None
    except errors as e:
        raise DocumentError(path, f"not a readable PDF: {e}") from None

    texts, empty, failed, size = [], [], [], 0
    for number, page in enumerate(pages, 1):
        try:
            text = (page.extract_text() or "").strip()
        except DependencyError:
            raise DocumentError(path, _AES_NEEDS_CRYPTOGRAPHY) from None
        except errors:
            failed.append(number)
            continue
        if not text:
            empty.append(number)
            continue
        size += len(text)
        if size > MAX_TEXT_CHARS:
            _warn(on_error, path, f"text cut before page {number} "
                                  f"(more than {MAX_TEXT_CHARS // 2**20} M characters)")
            break
        texts.append(text)
    if empty:
        _warn(on_error, path, f"no text layer on page{'s' if len(empty) > 1 else ''} "
                              f"{_page_ranges(empty)} (scanned? searchko does no OCR)")
    if failed:
        _warn(on_error, path, f"text of page{'s' if len(failed) > 1 else ''} "
                              f"{_page_ranges(failed)} could not be read")
    body = "\n\n".join(texts)
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    if is_garbled(body):
        _warn(on_error, path, "the text layer is unusable (glyph ids instead of characters: "
                              "the fonts have no Unicode map); the text needs OCR")
        lines = []  # no title or date from garbage
    yield Document(id="", body=body, title=(title or (lines[0] if lines else ""))[:300],
                   date=date or parse_date("\n".join(lines[:_HEADER_LINES])))
