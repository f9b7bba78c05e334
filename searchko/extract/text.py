"""Plain text: the first line is the title; date and source from the header."""

from __future__ import annotations

import re
from typing import Iterator

from ..documents import Document, parse_date
from . import decode

_SOURCE_RE = re.compile(r"^\s*(?:출처|source)\s*[:：]\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_HEADER_LINES = 8


def header_metadata(text: str) -> tuple[str, object, str]:
    """(title, date, source) from the first lines of a text."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = lines[0] if lines else ""
    header = "\n".join(lines[:_HEADER_LINES])
    m = _SOURCE_RE.search(header)
    return title, parse_date(header), (m.group(1) if m else "")


def extract_text(raw: bytes, path: str, *, on_error=None, options=None) -> Iterator[Document]:
    text = decode(raw, path).replace("\r\n", "\n").replace("\r", "\n")
    title, date, source = header_metadata(text)
    yield Document(id="", body=text.strip(), title=title[:300], date=date, source=source)
