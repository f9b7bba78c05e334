"""The errors searchko raises: one base class, a few precise kinds.

Each carries a one-line message and, where there is one, a ``hint`` telling
the user what to do; the CLI prints ``error: <message>`` and the hint.
"""

from __future__ import annotations

__all__ = [
    "SearchkoError",
    "IndexNotFoundError",
    "IndexExistsError",
    "IndexMismatchError",
    "IndexLockedError",
    "IndexUnsafeError",
    "QueryError",
    "LexiconError",
    "DocumentError",
    "DocumentWarning",
    "MissingExtraError",
]


class SearchkoError(Exception):
    """Base class of every error searchko raises on purpose."""

    hint: str | None = None

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class IndexNotFoundError(SearchkoError):
    """There is no searchko index at the given path."""

    hint = "create one with `searchko index PATH...`"


class IndexExistsError(SearchkoError):
    """An index already exists where a new one was to be created."""


class IndexMismatchError(SearchkoError):
    """The index was made by another analysis (schema, Kiwi or its model)."""

    hint = "run `searchko rebuild` to re-analyse the stored documents"


class IndexLockedError(SearchkoError):
    """Another process is writing to the index."""

    hint = "wait for the other writer to finish, then try again"


class IndexUnsafeError(SearchkoError):
    """Other users could change the index: opening it could run their code
    (Whoosh unpickles parts of an index)."""


class QueryError(SearchkoError):
    """The query cannot be parsed (an unclosed quote, a field without a value…)."""


class LexiconError(SearchkoError):
    """A lexicon file cannot be read, or one of its lines is wrong."""

    hint = "see the Lexicon section of the README for the file format"


class DocumentError(SearchkoError):
    """A document could not be read or parsed."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class DocumentWarning(DocumentError):
    """Something about a document that was still indexed (a PDF page with no
    text layer, say): reported, not fatal."""


class MissingExtraError(SearchkoError):
    """An optional dependency is not installed."""
