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

from ..errors import DocumentError

__all__ = ["decode"]


def decode(raw: bytes, path: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, CP949."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise DocumentError(path, "invalid UTF-16 text") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp949")
    except UnicodeDecodeError:
        raise DocumentError(path, "not UTF-8, UTF-16 or CP949 text") from None
