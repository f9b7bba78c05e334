"""Hancom HWPX documents (.hwpx, OWPML: a zip of XML).

Reads the body sections in the order ``Contents/content.hpf`` lists them (or
``Contents/section0.xml``, ``section1.xml``… when it does not): the text of
``<hp:t>`` runs, one ``<hp:p>`` paragraph a line, table cells and text boxes
as paragraphs of their own. Title and date from the ``content.hpf``
metadata (``<opf:title>``, ``CreatedDate``/``ModifiedDate``), else the first
line and a date near the top. Left out: headers and footers' layout, images,
equations, memo text and change-tracking history.
"""

from __future__ import annotations

import posixpath
import re
from typing import Iterator

from ..documents import Document, parse_date
from ..errors import DocumentError
from ._zipxml import ZipDocument, join_lines, local_name, metadata_date, paragraph_lines

_PACKAGE = "Contents/content.hpf"
_SECTION_RE = re.compile(r"^Contents/section(\d+)\.xml$", re.IGNORECASE)
_HEADER_LINES = 8
# elements inside <hp:t> that stand for a character
_INLINE = {"tab": "\t", "lineBreak": "\n", "nbSpace": " ", "fwSpace": " ", "hyphen": "-"}


def _run_text(element, name: str) -> str | None:
    if name != "t":
        return None
    parts = [element.text or ""]
    for child in element:
        parts.append(_INLINE.get(local_name(child.tag), ""))
        parts.append(child.tail or "")
    return "".join(parts)


def _package(doc: ZipDocument) -> tuple[list[str], str, object]:
    """(section members in reading order, title, date) from content.hpf."""
    root = doc.xml(_PACKAGE)
    if root is None:
        return [], "", None
    title, dates, hrefs, order = "", {}, {}, []
    for element in root.iter():
        name = local_name(element.tag)
        if name == "title" and not title:
            title = (element.text or "").strip()
        elif name == "meta" and element.get("name") in ("CreatedDate", "ModifiedDate"):
            dates[element.get("name")] = element.text
        elif name == "item" and element.get("id") and element.get("href"):
            hrefs[element.get("id")] = element.get("href")
        elif name == "itemref" and element.get("idref"):
            order.append(element.get("idref"))
    sections = []
    for idref in order:
        href = hrefs.get(idref, "")
        # hrefs are relative to the zip's root, though some writers make
        # them relative to Contents/
        for member in (href.lstrip("/"), posixpath.join("Contents", href)):
            if _SECTION_RE.match(member) and member in doc.names and member not in sections:
                sections.append(member)
                break
    date = metadata_date(dates.get("CreatedDate")) or metadata_date(dates.get("ModifiedDate"))
    return sections, title, date


def extract_hwpx(raw: bytes, path: str, *, on_error=None, options=None) -> Iterator[Document]:
    doc = ZipDocument(raw, path, "an HWPX file")
    sections, title, date = _package(doc)
    if not sections:
        numbered = [(int(m.group(1)), name) for name in doc.names
                    if (m := _SECTION_RE.match(name))]
        sections = [name for _, name in sorted(numbered)]
    if not sections:
        raise DocumentError(path, "not an HWPX document (no Contents/section0.xml)")
    lines: list[str] = []
    for member in sections:
        lines += paragraph_lines(doc.xml(member), _run_text)
    body = join_lines(lines)
    first = [line.strip() for line in body.splitlines() if line.strip()]
    yield Document(id="", body=body, title=(title or (first[0] if first else ""))[:300],
                   date=date or parse_date("\n".join(first[:_HEADER_LINES])))
