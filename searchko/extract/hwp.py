"""Hancom HWP 5.0 documents (.hwp, an OLE compound file; needs ``olefile``).

Reads the paragraph text records (HWPTAG_PARA_TEXT) of ``BodyText/Section0``,
``Section1``… in order, inflating them when the file header says the body is
compressed; inline and extended controls (tables, pictures, fields,
footnote anchors…) are skipped, tabs and line breaks kept. Table cells and
footnotes are paragraphs of their own, so their text is kept too. Title and
date from the ``\\x05HwpSummaryInformation`` property set, else the first line
and a date near the top. Refused with a reason: password-protected,
distribution (배포용) and DRM documents, whose text is encrypted, and HWP 3.x
files. Left out: headers' and footers' placement, equations, images, memos.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import struct
import zlib
from typing import Iterator

from ..documents import Document, parse_date
from ..errors import DocumentError, MissingExtraError

MAX_TEXT_BYTES = 50 * 1024 * 1024  # uncompressed body, all sections together
_SIGNATURE = b"HWP Document File"
_COMPRESSED, _PASSWORD, _DISTRIBUTION, _DRM = 0x1, 0x2, 0x4, 0x10
_HWPTAG_PARA_TEXT = 16 + 51
_SECTION_RE = re.compile(r"^Section(\d+)$")
_HEADER_LINES = 8
_SUMMARY = "\x05HwpSummaryInformation"
_PIDSI_TITLE, _PIDSI_CREATE_DTM, _PIDSI_LASTSAVE_DTM = 2, 12, 13
_STGTY_STREAM = 2  # olefile.STGTY_STREAM: the entry is a stream, not a storage

# UTF-16 code units 0-31 in paragraph text are controls. "Char" controls take
# one unit; inline and extended controls take eight (the code, six units of
# parameters or a pointer, the code again).
_CHAR_CONTROLS = frozenset({0, 10, 13, *range(24, 32)})
_CONTROL_TEXT = {9: "\t", 10: "\n", 13: "\n", 30: " ", 31: " "}  # 30/31: non-breaking blanks


def paragraph_text(data: bytes) -> str:
    """The text of one HWPTAG_PARA_TEXT record, controls resolved."""
    units = len(data) // 2
    codes = struct.unpack(f"<{units}H", data[:units * 2])
    out, start, i = [], 0, 0
    while i < units:
        code = codes[i]
        if code >= 32:
            i += 1
            continue
        out.append(data[start * 2:i * 2].decode("utf-16-le", "replace"))
        out.append(_CONTROL_TEXT.get(code, ""))
        i += 1 if code in _CHAR_CONTROLS else 8
        start = i
    out.append(data[start * 2:units * 2].decode("utf-16-le", "replace"))
    return "".join(out)


def iter_records(data: bytes) -> Iterator[tuple[int, int, bytes]]:
    """(tag id, level, payload) of each record in a stream."""
    pos, end = 0, len(data)
    while pos + 4 <= end:
        (header,) = struct.unpack_from("<I", data, pos)
        tag, level, size = header & 0x3FF, (header >> 10) & 0x3FF, header >> 20
        pos += 4
        if size == 0xFFF:
            if pos + 4 > end:
                raise ValueError("record header cut short")
            (size,) = struct.unpack_from("<I", data, pos)
            pos += 4
        if pos + size > end:
            raise ValueError("record runs past the end of its stream")
        yield tag, level, data[pos:pos + size]
        pos += size


def _inflate(data: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(-15)  # raw deflate, no zlib header
    out = inflater.decompress(data, limit + 1)
    if len(out) > limit:
        raise OverflowError
    return out


def _summary(ole) -> tuple[str, _dt.date | None]:
    """(title, date) from the summary property set; read here rather than
    with olefile's getproperties, which misreads UTF-16 strings (0.47) and
    can loop for a long time over a forged vector count."""
    try:
        if ole.get_type(_SUMMARY) != _STGTY_STREAM or ole.get_size(_SUMMARY) > 1024 * 1024:
            return "", None
        data = ole.openstream(_SUMMARY).read()
        (section,) = struct.unpack_from("<I", data, 44)
        _, count = struct.unpack_from("<II", data, section)
        values = {}
        for n in range(min(count, 256)):
            pid, offset = struct.unpack_from("<II", data, section + 8 + 8 * n)
            if pid in (_PIDSI_TITLE, _PIDSI_CREATE_DTM, _PIDSI_LASTSAVE_DTM):
                at = section + offset
                (vtype,) = struct.unpack_from("<I", data, at)
                if vtype == 0x1F:  # VT_LPWSTR: count of UTF-16 units
                    (length,) = struct.unpack_from("<I", data, at + 4)
                    raw = data[at + 8:at + 8 + 2 * length]
                    values[pid] = raw.decode("utf-16-le", "replace").split("\0")[0]
                elif vtype == 0x1E:  # VT_LPSTR: count of bytes (HWP writes CP949)
                    (length,) = struct.unpack_from("<I", data, at + 4)
                    values[pid] = data[at + 8:at + 8 + length].split(b"\0")[0].decode("cp949", "replace")
                elif vtype == 0x40:  # VT_FILETIME: 100 ns ticks since 1601
                    (ticks,) = struct.unpack_from("<Q", data, at + 4)
                    values[pid] = _dt.datetime(1601, 1, 1) + _dt.timedelta(microseconds=ticks // 10)
    except (OSError, ValueError, IndexError, TypeError, struct.error, OverflowError):
        return "", None  # a damaged summary costs the title, not the document
    title = values.get(_PIDSI_TITLE)
    date = None
    for pid in (_PIDSI_CREATE_DTM, _PIDSI_LASTSAVE_DTM):
        moment = values.get(pid)
        if isinstance(moment, _dt.datetime) and moment.year >= 1980:
            # FILETIME is UTC; the date a Korean reader saw is nine hours on
            date = (moment + _dt.timedelta(hours=9)).date()
            break
    return (title.strip() if isinstance(title, str) else ""), date


def _sections(ole) -> list[str]:
    numbered = []
    for entry in ole.listdir(streams=True, storages=False):
        if len(entry) == 2 and entry[0] == "BodyText" and (m := _SECTION_RE.match(entry[1])):
            numbered.append((int(m.group(1)), "/".join(entry)))
    return [name for _, name in sorted(numbered)]


def _read_body(ole, path: str, compressed: bool) -> str:
    sections = _sections(ole)
    if not sections:
        raise DocumentError(path, "not an HWP document (no BodyText/Section0)")
    budget = MAX_TEXT_BYTES
    paragraphs = []
    for name in sections:
        if ole.get_size(name) > budget:
            raise DocumentError(path, f"{name} is larger than {MAX_TEXT_BYTES // 2**20} MB")
        data = ole.openstream(name).read()
        if compressed:
            try:
                data = _inflate(data, budget)
            except zlib.error as e:
                raise DocumentError(path, f"{name} cannot be inflated: {e}") from None
            except OverflowError:
                raise DocumentError(path, f"{name} expands to more than "
                                          f"{MAX_TEXT_BYTES // 2**20} MB") from None
        budget -= len(data)
        try:
            for tag, _, payload in iter_records(data):
                if tag == _HWPTAG_PARA_TEXT:
                    paragraphs.append(paragraph_text(payload).rstrip("\n"))
        except ValueError as e:
            raise DocumentError(path, f"{name} is damaged: {e}") from None
    return "\n".join(line.rstrip() for line in paragraphs).strip()


def extract_hwp(raw: bytes, path: str, *, on_error=None, options=None) -> Iterator[Document]:
    try:
        import olefile
    except ImportError:
        raise MissingExtraError("reading .hwp files needs olefile: pip install 'searchko[hwp]'") from None
    if raw.startswith(b"HWP Document File V3"):
        raise DocumentError(path, "HWP 3.x documents are not supported (save as HWP 5 or HWPX)")
    if not raw.startswith(olefile.MAGIC):
        raise DocumentError(path, "not an HWP 5 document (not an OLE compound file)")
    try:
        with olefile.OleFileIO(io.BytesIO(raw)) as ole:
            if ole.get_type("FileHeader") != _STGTY_STREAM:
                raise DocumentError(path, "not an HWP document (no FileHeader)")
            header = ole.openstream("FileHeader").read(256)
            if not header.startswith(_SIGNATURE) or len(header) < 40:
                raise DocumentError(path, "not an HWP document (bad FileHeader signature)")
            (flags,) = struct.unpack_from("<I", header, 36)
            if flags & _PASSWORD:
                raise DocumentError(path, "password-protected HWP document (its text is encrypted)")
            if flags & _DISTRIBUTION:
                raise DocumentError(path, "distribution document (배포용), its text is encrypted")
            if flags & _DRM:
                raise DocumentError(path, "DRM-protected HWP document (its text is encrypted)")
            body = _read_body(ole, path, compressed=bool(flags & _COMPRESSED))
            title, date = _summary(ole)
    except (OSError, ValueError, IndexError, KeyError, TypeError, struct.error, RecursionError,
            OverflowError) as e:
        # olefile's errors on a damaged container (OleFileError is an OSError)
        raise DocumentError(path, f"damaged HWP file: {e}") from None
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    yield Document(id="", body=body, title=(title or (lines[0] if lines else ""))[:300],
                   date=date or parse_date("\n".join(lines[:_HEADER_LINES])))
