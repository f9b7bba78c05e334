"""Documents: what goes into the index, and how files become documents."""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from .errors import DocumentError

__all__ = ["Document", "iter_documents", "iter_files", "read_documents", "parse_date", "SUPPORTED_SUFFIXES"]


@dataclass(frozen=True)
class Document:
    """One searchable document. ``id`` is unique in an index."""

    id: str
    body: str
    title: str = ""
    date: _dt.date | None = None
    source: str = ""
    path: str = ""
    url: str = ""
    categories: tuple[str, ...] = field(default=())

    @classmethod
    def from_dict(cls, data: Mapping) -> "Document":
        """A document from a mapping with at least ``id`` and ``body``
        (``text`` or ``content`` are taken for ``body`` too)."""
        if "id" not in data or data["id"] in (None, ""):
            raise ValueError("a document needs an 'id'")
        body = data.get("body", data.get("text", data.get("content")))
        if body is None:
            raise ValueError(f"document {data['id']!r} has no 'body'")
        categories = data.get("categories") or ()
        if isinstance(categories, str):
            categories = (categories,)
        date = data.get("date")
        return cls(
            id=str(data["id"]),
            body=str(body),
            title=str(data.get("title") or ""),
            date=date if date is None or isinstance(date, _dt.date) else parse_date(str(date)),
            source=str(data.get("source") or ""),
            path=str(data.get("path") or ""),
            url=str(data.get("url") or ""),
            categories=tuple(str(c) for c in categories),
        )

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
            "path": self.path,
            "url": self.url,
            "categories": list(self.categories),
            "body": self.body,
        }


_DATE_PATTERNS = [
    # 2025-01-31, 2025.01.31, 2025/1/31, 2025. 1. 31.
    re.compile(r"(?<!\d)(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})(?!\d)"),
    # 2025년 1월 31일
    re.compile(r"(?<!\d)(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일"),
]


def parse_date(text: str) -> _dt.date | None:
    """The first plausible calendar date written in ``text``, or None."""
    best = None
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            try:
                d = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), d)
            break
    return best[1] if best else None


def _extractors() -> dict[str, Callable]:
    from .extract import html, jsonl, markdown, text

    return {
        ".txt": text.extract_text,
        ".text": text.extract_text,
        ".md": markdown.extract_markdown,
        ".markdown": markdown.extract_markdown,
        ".html": html.extract_html,
        ".htm": html.extract_html,
        ".jsonl": jsonl.extract_jsonl,
    }


SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".jsonl")


#: A file of glob patterns, one a line, naming files and folders that
#: ``searchko index`` leaves out of the folder it is in (and those below).
IGNORE_FILE = ".searchkoignore"


def _ignored_patterns(folder: Path) -> list[str]:
    try:
        lines = (folder / IGNORE_FILE).read_text("utf-8").splitlines()
    except OSError:
        return []
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _walk(root: Path) -> Iterator[Path]:
    """Supported files under ``root``, in order; hidden files and what a
    ``.searchkoignore`` names are left out."""
    ignored: dict[Path, list[str]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        patterns = ignored.get(here.parent, []) + _ignored_patterns(here)
        ignored[here] = patterns

        def keep(name: str) -> bool:
            return not name.startswith(".") and not any(fnmatch(name, p) for p in patterns)

        dirnames[:] = sorted(d for d in dirnames if keep(d))
        for name in sorted(filenames):
            if keep(name) and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                yield here / name


def iter_files(
    paths: Iterable[str | os.PathLike],
    on_error: Callable[[DocumentError], None] | None = None,
) -> Iterator[tuple[Path, str]]:
    """(file, id) for every supported file under ``paths``.

    A file's id is its path under the folder given, prefixed with that
    folder's name (``data/press/a.txt``); a file given directly is its name.
    A path that does not exist goes to ``on_error`` (or is raised).
    """
    for p in paths:
        p = Path(p)
        if p.is_dir():
            base = p.resolve()
            for f in _walk(p):
                yield f, f"{base.name}/{f.resolve().relative_to(base).as_posix()}"
        elif p.exists():
            yield p, p.name
        else:
            error = DocumentError(str(p), "no such file or folder")
            if on_error is None:
                raise error
            on_error(error)


def iter_documents(
    paths: Iterable[str | os.PathLike],
    on_error: Callable[[DocumentError], None] | None = None,
) -> Iterator[Document]:
    """Documents from files and folders (.txt, .md, .html, .jsonl).

    A file that cannot be read is passed to ``on_error`` (and skipped) or,
    without one, raised.
    """
    return read_documents(iter_files(paths, on_error), on_error)


def read_documents(
    files: Iterable[tuple[Path, str]],
    on_error: Callable[[DocumentError], None] | None = None,
) -> Iterator[Document]:
    """Documents from ``(file, id)`` pairs as ``iter_files`` lists them."""
    extractors = _extractors()
    for path, doc_id in files:
        extract = extractors.get(path.suffix.lower())
        try:
            if extract is None:
                raise DocumentError(str(path), f"unsupported file type {path.suffix!r}")
            try:
                raw = path.read_bytes()
            except OSError as e:
                raise DocumentError(str(path), e.strerror or str(e)) from None
            for doc in extract(raw, str(path), on_error=on_error):
                # extractors leave the id empty, or "#N" for the N-th record
                yield replace(doc, id=doc_id + doc.id if doc.id[:1] in ("", "#") else doc.id,
                              path=str(path.resolve()))
        except DocumentError as e:
            if on_error is None:
                raise
            on_error(e)
