"""Format-specific text extraction, one module per format.

Each ``extract_*(raw: bytes, path: str, *, on_error=None, options=None)``
yields ``Document`` objects whose id is empty (the caller names them after the
file) or ``#N`` for the N-th record of a multi-document file. Problems with
one record go to ``on_error`` as ``DocumentError``; problems with a document
that is still usable go there as ``DocumentWarning``; a file that cannot be
read at all raises ``DocumentError``. ``options`` is an ``ExtractOptions``
(field names for tabular formats).
"""

from __future__ import annotations

import codecs
import re

from ..errors import DocumentError

__all__ = ["decode"]

# the byte order marks, UTF-32 first: its little-endian mark starts like UTF-16's
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# what charset-normalizer may call Korean text; CP949 (Microsoft's Unified
# Hangul Code) decodes all of them that are EUC-KR, its subset
_KOREAN = {"cp949", "euc_kr", "ms949", "uhc", "johab", "iso2022_kr"}
# control characters that text does not hold (tab, newlines, form feed do)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_CONTROL_BYTES = re.compile(b"[\x00-\x08\x0b\x0e-\x1f\x7f]")
NOT_TEXT = "not a text file (binary?)"
UNDECODABLE = "cannot decode as UTF-8, UTF-16 or CP949"


def decode(raw: bytes, path: str) -> str:
    """Bytes to text: by the byte order mark (UTF-8, UTF-16, UTF-32), else
    UTF-8, else UTF-16 without a mark, else the encoding charset-normalizer
    detects (CP949 for Korean: EUC-KR is its subset). Binary data, or bytes
    in no encoding, raise ``DocumentError``."""
    for bom, encoding, name in _BOMS:
        if raw.startswith(bom):
            try:
                return _checked(raw[len(bom):].decode(encoding), path)
            except UnicodeDecodeError:
                raise DocumentError(path, f"invalid {name} text after its byte order mark") from None
    if b"\x00" in raw:
        # text never holds NUL bytes, UTF-16 without a mark does
        text = _utf16_without_bom(raw)
        if text is None:
            raise DocumentError(path, NOT_TEXT)
        return _checked(text, path)
    try:
        return _checked(raw.decode("utf-8"), path)
    except UnicodeDecodeError:
        pass
    text = _detected(raw)
    if text is None:
        looks_binary = len(_CONTROL_BYTES.findall(raw)) > len(raw) // 20
        raise DocumentError(path, NOT_TEXT if looks_binary else UNDECODABLE)
    return _checked(text, path)


def _checked(text: str, path: str) -> str:
    """The text, unless control characters say it is binary data."""
    if len(_CONTROL.findall(text)) > max(2, len(text) // 50):
        raise DocumentError(path, NOT_TEXT)
    return text


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text whose ASCII characters put NUL bytes on one side, or None."""
    if len(raw) % 2:
        return None
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros > len(raw) // 20 and other * 10 < zeros:
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _hangul_share(text: str) -> float:
    letters = [c for c in text if c > "\x7f" and c.isalpha()]
    return sum("\uac00" <= c <= "\ud7a3" for c in letters) / len(letters) if letters else 0.0


def _detected(raw: bytes) -> str | None:
    """Text in the encoding charset-normalizer finds, or None. Korean text
    is decoded as CP949; so is a text that CP949 reads as Hangul nearly
    throughout (charset-normalizer misreads short Korean texts as Chinese)."""
    try:
        korean = raw.decode("cp949")
    except UnicodeDecodeError:
        korean = None
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # a core dependency; without it, the Korean guess alone
        return korean
    best = from_bytes(raw).best()
    if korean is not None and (best is None or best.encoding in _KOREAN or _hangul_share(korean) >= 0.9):
        return korean
    return str(best) if best is not None else None
