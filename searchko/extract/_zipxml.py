"""Reading zip-of-XML documents (.docx, .hwpx) without trusting them.

A zip member is read only if its declared size fits what is left of one
file's budget (``MAX_EXPANDED`` bytes of XML in all), and reading stops if it
turns out bigger, so a zip bomb is reported, not extracted. XML with a
DOCTYPE or ENTITY declaration is refused before parsing: Office and Hancom
never write one, and entity expansion is how XML bombs work.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
import zlib
from typing import Callable
from xml.etree import ElementTree as ET

from ..documents import parse_date
from ..errors import DocumentError

MAX_EXPANDED = 50 * 1024 * 1024
_CHUNK = 1024 * 1024
_DECLARATIONS = [marker.encode(codec) for marker in ("<!DOCTYPE", "<!ENTITY")
                 for codec in ("utf-8", "utf-16-le", "utf-16-be")]
_KST = _dt.timezone(_dt.timedelta(hours=9))


class ZipDocument:
    """The members of one zip file, read within one size budget."""

    def __init__(self, raw: bytes, path: str, kind: str):
        """``kind`` names the format in errors: "a Word (.docx) file"."""
        self.path = path
        self.budget = MAX_EXPANDED
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(raw))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, ValueError,
                EOFError):
            raise DocumentError(path, f"not {kind} (not a zip archive)") from None
        self.names = {info.filename: info for info in self.zip.infolist()}

    def read(self, name: str) -> bytes | None:
        """A member's bytes, or None if there is no such member."""
        info = self.names.get(name)
        if info is None:
            return None
        if info.file_size > self.budget:
            raise self._too_big(name)
        parts, size = [], 0
        try:
            with self.zip.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    if size > self.budget:
                        raise self._too_big(name)
                    parts.append(chunk)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError,
                OSError, EOFError, ValueError) as e:
            raise DocumentError(self.path, f"damaged zip member {name}: {e}") from None
        self.budget -= size
        return b"".join(parts)

    def xml(self, name: str) -> ET.Element | None:
        """A member parsed as XML, or None if there is no such member."""
        data = self.read(name)
        return None if data is None else parse_xml(data, f"{self.path}: {name}")

    def _too_big(self, name: str) -> DocumentError:
        return DocumentError(self.path, f"expands to more than {MAX_EXPANDED // (1024 * 1024)} MB "
                                        f"(at {name}; a zip bomb?)")


def parse_xml(data: bytes, where: str) -> ET.Element:
    """XML bytes to an element tree, refusing DTDs (entity expansion)."""
    if any(marker in data for marker in _DECLARATIONS):
        raise DocumentError(where, "XML with a DOCTYPE or ENTITY declaration is not read")
    try:
        return ET.fromstring(data)
    except ET.ParseError as e:
        raise DocumentError(where, f"invalid XML: {e}") from None


def local_name(tag) -> str:
    """``{namespace}name`` -> ``name`` (comments and PIs have no name)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def paragraph_lines(root: ET.Element, text_of: Callable[[ET.Element, str], str | None],
                    skip: frozenset[str] = frozenset()) -> list[str]:
    """The text of every paragraph (elements named ``p``) under ``root``, in
    document order; a paragraph inside another (a table cell or text box
    anchored in it) comes right after it. ``text_of(element, local_name)``
    gives an element's text, or None to look inside it; elements named in
    ``skip`` are left out. Iterative, so deep nesting cannot overflow."""
    lines: list[str] = []
    buffers: list[list[str]] = [[]]  # [0] collects text outside paragraphs
    stack: list[tuple] = [(iter(root), None)]
    while stack:
        children, line_no = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if line_no is not None:
                lines[line_no] = "".join(buffers.pop())
            continue
        name = local_name(child.tag)
        if name in skip:
            continue
        if name == "p":
            lines.append("")
            buffers.append([])
            stack.append((iter(child), len(lines) - 1))
            continue
        text = text_of(child, name)
        if text is None:
            stack.append((iter(child), None))
        else:
            buffers[-1].append(text)
    return lines


def join_lines(lines: list[str]) -> str:
    """Paragraph lines to a body: trailing spaces and runs of empty lines go."""
    body, blank = [], False
    for line in lines:
        line = line.rstrip()
        if line or not blank:
            body.append(line)
        blank = not line
    return "\n".join(body).strip()


def metadata_date(text: str | None) -> _dt.date | None:
    """A date from document metadata: ISO 8601 times with a zone are taken
    in Korean time (a file saved at 08:00 KST says 23:00Z the day before)."""
    if not text or not text.strip():
        return None
    text = text.strip()
    try:
        moment = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return parse_date(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(_KST)
    return moment.date()
