"""Records as documents: JSON Lines (one object a line)."""

from __future__ import annotations

import json
from typing import Iterator

from ..documents import Document
from ..errors import DocumentError
from . import decode


def extract_jsonl(raw: bytes, path: str, *, on_error=None, options=None) -> Iterator[Document]:
    for lineno, line in enumerate(decode(raw, path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            record = dict(record)
            record.setdefault("id", f"#{lineno}")
            yield Document.from_dict(record)
        except ValueError as e:
            error = DocumentError(f"{path}:{lineno}", str(e))
            if on_error is None:
                raise error from None
            on_error(error)
