"""Word documents (.docx): the text of the main document part.

Reads ``word/document.xml`` (or the part ``_rels/.rels`` names): one
paragraph a line, table cells as paragraphs, tabs and line breaks kept; title
and date from ``docProps/core.xml`` (``dc:title``, ``dcterms:created``, else
``dcterms:modified``), else the first line and a date near the top. Left
out: headers, footers, footnotes, comments, deleted text (tracked changes),
field codes, and the fallback copy of text boxes Word stores twice.
"""

from __future__ import annotations

from typing import Iterator

from ..documents import Document, parse_date
from ..errors import DocumentError
from ._zipxml import ZipDocument, join_lines, local_name, metadata_date, paragraph_lines

_MAIN_PART = "word/document.xml"
_OFFICE_DOCUMENT = "/officeDocument"  # relationship type suffix
_HEADER_LINES = 8


def _run_text(element, name: str) -> str | None:
    if name == "t":
        return element.text or ""
    if name == "tab":
        return "\t"
    if name in ("br", "cr"):
        return "\n"
    if name == "noBreakHyphen":
        return "-"
    return None


def _main_part(doc: ZipDocument) -> str:
    if _MAIN_PART in doc.names:
        return _MAIN_PART
    rels = doc.xml("_rels/.rels")
    for rel in (rels if rels is not None else []):
        if rel.get("Type", "").endswith(_OFFICE_DOCUMENT) and rel.get("Target"):
            return rel.get("Target").lstrip("/")
    raise DocumentError(doc.path, "not a Word document (no word/document.xml)")


def extract_docx(raw: bytes, path: str, *, on_error=None, options=None) -> Iterator[Document]:
    doc = ZipDocument(raw, path, "a Word (.docx) file")
    part = _main_part(doc)
    root = doc.xml(part)
    if root is None:
        raise DocumentError(path, f"not a Word document (no {part})")
    body = join_lines(paragraph_lines(root, _run_text, skip=frozenset({"Fallback"})))

    title, date = "", None
    core = doc.xml("docProps/core.xml")
    if core is not None:
        fields = {local_name(e.tag): (e.text or "").strip() for e in core}
        title = fields.get("title", "")
        date = metadata_date(fields.get("created")) or metadata_date(fields.get("modified"))
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    yield Document(id="", body=body, title=(title or (lines[0] if lines else ""))[:300],
                   date=date or parse_date("\n".join(lines[:_HEADER_LINES])))
