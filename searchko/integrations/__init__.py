"""Adapters to other libraries, each behind its own extra:
``searchko.integrations.langchain`` (``searchko[langchain]``) and
``searchko.integrations.llamaindex`` (``searchko[llamaindex]``).

What a retrieved document holds is the same in both: the text (the hit's
passages, or the whole stored body) and the metadata below.
"""

from __future__ import annotations

from ..index import Index
from ..search import Hit


def hit_text(ix: Index, hit: Hit, content: str) -> str:
    """The hit's highlighted passages joined by newlines (``"snippets"``; the
    title when the body is empty) or its whole stored body (``"body"``)."""
    if content == "body":
        stored = ix.get(hit.id)
        return stored.body if stored is not None else ""
    return "\n".join(s.text for s in hit.snippets) or hit.title


def hit_metadata(hit: Hit) -> dict:
    """``id``, ``title``, ``date`` (ISO 8601 or None), ``source``, ``path``,
    ``score`` and ``url`` of a hit."""
    return {
        "id": hit.id,
        "title": hit.title,
        "date": hit.date.isoformat() if hit.date else None,
        "source": hit.source,
        "path": hit.path,
        "score": hit.score,
        "url": hit.url,
    }
