"""searchko: Korean full-text search on your own machine.

>>> import searchko
>>> with searchko.open_index("index") as ix:            # doctest: +SKIP
...     for hit in ix.search("한미동맹", limit=5):
...         print(hit.score, hit.title, hit.snippets[0].text)
"""

from .analysis import KoreanAnalyzer, Term, analyze
from .correction import Correction
from .documents import Document, ExtractOptions, iter_documents
from .errors import (
    DocumentError,
    DocumentWarning,
    IndexExistsError,
    IndexLockedError,
    IndexMismatchError,
    IndexUnsafeError,
    IndexNotFoundError,
    LexiconError,
    MissingExtraError,
    QueryError,
    SearchkoError,
)
from .highlight import Snippet
from .index import Index, open_index
from .search import Explanation, Hit, Results, TermScore
from .sync import SyncReport
from .sync import rebuild as rebuild_index

__version__ = "0.1.0"

__all__ = [
    "Correction",
    "Document",
    "DocumentError",
    "DocumentWarning",
    "Explanation",
    "ExtractOptions",
    "Hit",
    "Index",
    "IndexExistsError",
    "IndexLockedError",
    "IndexMismatchError",
    "IndexNotFoundError",
    "IndexUnsafeError",
    "KoreanAnalyzer",
    "LexiconError",
    "MissingExtraError",
    "QueryError",
    "Results",
    "SearchkoError",
    "Snippet",
    "SyncReport",
    "Term",
    "TermScore",
    "analyze",
    "iter_documents",
    "open_index",
    "rebuild_index",
]
