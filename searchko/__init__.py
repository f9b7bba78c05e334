"""searchko: Korean full-text search on your own machine.

>>> import searchko
>>> with searchko.open_index("index") as ix:            # doctest: +SKIP
...     for hit in ix.search("한미동맹", limit=5):
...         print(hit.score, hit.title, hit.snippets[0].text)
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# The public names and the modules they live in. They are imported on first
# use (PEP 562), so a command that only searches never loads what indexing
# needs, and ``import searchko`` itself costs nothing.
_EXPORTS = {
    "KoreanAnalyzer": "analysis",
    "Term": "analysis",
    "Correction": "correction",
    "analyze": "analysis",
    "Document": "documents",
    "ExtractOptions": "documents",
    "iter_documents": "documents",
    "DocumentError": "errors",
    "DocumentWarning": "errors",
    "IndexExistsError": "errors",
    "IndexLockedError": "errors",
    "IndexMismatchError": "errors",
    "IndexUnsafeError": "errors",
    "IndexNotFoundError": "errors",
    "LexiconError": "errors",
    "MissingExtraError": "errors",
    "QueryError": "errors",
    "SearchkoError": "errors",
    "Snippet": "highlight",
    "Index": "index",
    "open_index": "index",
    "Explanation": "search",
    "Hit": "search",
    "Results": "search",
    "TermScore": "search",
    "SyncReport": "sync",
    "rebuild_index": "sync",
}
_RENAMED = {"rebuild_index": "rebuild"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'searchko' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), _RENAMED.get(name, name))
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
