"""Documents: what goes into the index, and how files become documents."""

from __future__ import annotations

import datetime as _dt
import importlib
import os
import re
import stat
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from .errors import DocumentError, DocumentWarning

__all__ = [
    "Document",
    "ExtractOptions",
    "SUPPORTED_SUFFIXES",
    "documents_from_bytes",
    "extractor_for",
    "iter_documents",
    "iter_files",
    "scan_files",
    "parse_date",
    "read_documents",
    "read_file",
]


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
            year = int(m.group(1))
            if not 1900 <= year <= 2100:  # a number, not a date
                continue
            try:
                d = _dt.date(year, int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), d)
            break
    return best[1] if best else None


@dataclass(frozen=True)
class ExtractOptions:
    """How records of .jsonl/.json/.csv files map to documents: the names
    of the fields holding each part (the first present one wins)."""

    id_field: str = "id"
    text_field: str = "body"
    title_field: str = "title"
    date_field: str = "date"
    source_field: str = "source"
    url_field: str = "url"
    #: a larger file is reported, not read (memory stays bounded)
    max_file_bytes: int = 256 * 1024 * 1024
    #: a longer document text is cut there, with a warning
    max_text_chars: int = 1_000_000


# suffix -> "module:function" under searchko.extract, imported on first use so
# that a format whose optional dependency is missing fails alone
_EXTRACTORS = {
    ".txt": "text:extract_text",
    ".text": "text:extract_text",
    ".md": "markdown:extract_markdown",
    ".markdown": "markdown:extract_markdown",
    ".html": "html:extract_html",
    ".htm": "html:extract_html",
    ".jsonl": "tabular:extract_jsonl",
    ".json": "tabular:extract_json",
    ".csv": "tabular:extract_csv",
    ".pdf": "pdf:extract_pdf",
    ".hwpx": "hwpx:extract_hwpx",
    ".hwp": "hwp:extract_hwp",
    ".docx": "docx:extract_docx",
}

SUPPORTED_SUFFIXES = tuple(_EXTRACTORS)


def extractor_for(suffix: str) -> Callable | None:
    """The extract function for a file suffix (".pdf"), or None."""
    target = _EXTRACTORS.get(suffix.lower())
    if target is None:
        return None
    module, function = target.split(":")
    return getattr(importlib.import_module(f".extract.{module}", __package__), function)


#: A file of glob patterns, one a line, naming files and folders that
#: ``searchko index`` leaves out of the folder it is in (and those below).
IGNORE_FILE = ".searchkoignore"


def _ignored_patterns(folder: Path) -> list[str]:
    try:
        lines = (folder / IGNORE_FILE).read_text("utf-8").splitlines()
    except OSError:
        return []
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _walk(root: str, prefix: str) -> Iterator[tuple[os.DirEntry, str, str]]:
    """(entry, ``prefix`` + its path under ``root``, its folder resolved +
    "/") of the supported files under ``root``, in order (a folder's files by
    name, then its folders by name, depth first); hidden files and what a
    ``.searchkoignore`` names are left out, and linked folders are not
    entered. One ``scandir`` a folder: what an entry is needs no further
    system call."""
    todo = [(root, prefix, [])]  # (folder, prefix + its path under root, patterns from above)
    while todo:
        folder, under, inherited = todo.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:  # unreadable or gone: skipped, as os.walk does
            continue
        patterns = inherited + _ignored_patterns(Path(folder))
        files, folders = [], []
        for entry in entries:
            name = entry.name
            if name[:1] == "." or (patterns and any(fnmatch(name, p) for p in patterns)):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if not entry.is_symlink():
                    folders.append(name)
            elif name[name.rfind("."):].lower() in _EXTRACTORS:  # the suffix (a name without "." gives none)
                files.append((name, entry))
        if files:
            real = os.path.join(os.path.realpath(folder), "")
            files.sort()
            for name, entry in files:
                yield entry, under + name, real
        for name in sorted(folders, reverse=True):
            todo.append((os.path.join(folder, name), f"{under}{name}/", patterns))


class SourceFile:
    """A file ``scan_files`` found: ``path`` as found, its document ``id``."""

    __slots__ = ("path", "id", "_entry", "_folder")

    def __init__(self, path: str, doc_id: str, entry: os.DirEntry | None = None, folder: str = ""):
        self.path = path
        self.id = doc_id
        self._entry = entry  # from its folder's scandir, not a link; ``folder`` resolved, ending in "/"
        self._folder = folder

    def stat(self) -> tuple[str, int, int]:
        """Its resolved path, size and modification time (ns): one ``lstat``
        (and for a linked file a ``stat`` and a resolve); ``OSError`` when
        it is gone."""
        entry = self._entry
        if entry is not None:
            st = entry.stat(follow_symlinks=False)
            return self._folder + entry.name, st.st_size, st.st_mtime_ns
        st = os.lstat(self.path)
        if stat.S_ISLNK(st.st_mode):
            st = os.stat(self.path)
            return os.path.realpath(self.path), st.st_size, st.st_mtime_ns
        folder, name = os.path.split(self.path)
        return os.path.join(os.path.realpath(folder or "."), name), st.st_size, st.st_mtime_ns


def path_list(paths: Iterable[str | os.PathLike] | str | os.PathLike) -> list:
    """``paths`` as a list: one path given alone is a list of one (not the
    characters of its name)."""
    return [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)


def scan_files(
    paths: Iterable[str | os.PathLike],
    on_error: Callable[[DocumentError], None] | None = None,
) -> Iterator[SourceFile]:
    """Every supported file under ``paths`` (or the one path given), as
    ``iter_files`` lists them."""
    for p in path_list(paths):
        p = Path(p)
        if p.is_dir():
            base = p.resolve()
            for entry, doc_id, real in _walk(str(p), base.name + "/"):
                if entry.is_symlink():  # (a linked folder is not entered, a linked file is its target)
                    target = Path(entry.path).resolve().relative_to(base).as_posix()
                    yield SourceFile(entry.path, f"{base.name}/{target}")
                else:
                    yield SourceFile(entry.path, doc_id, entry, real)
        elif p.exists():
            yield SourceFile(str(p), p.name)
        else:
            error = DocumentError(str(p), "no such file or folder")
            if on_error is None:
                raise error
            on_error(error)


def iter_files(
    paths: Iterable[str | os.PathLike],
    on_error: Callable[[DocumentError], None] | None = None,
) -> Iterator[tuple[Path, str]]:
    """(file, id) for every supported file under ``paths``.

    A file's id is its path under the folder given, prefixed with that
    folder's name (``data/press/a.txt``); a file given directly is its name.
    A path that does not exist goes to ``on_error`` (or is raised).
    """
    for f in scan_files(paths, on_error):
        yield Path(f.path), f.id


def iter_documents(
    paths: Iterable[str | os.PathLike],
    on_error: Callable[[DocumentError], None] | None = None,
    options: ExtractOptions | None = None,
) -> Iterator[Document]:
    """Documents from files and folders (every format in ``SUPPORTED_SUFFIXES``).

    A file that cannot be read is passed to ``on_error`` (and skipped) or,
    without one, raised. Warnings about a document that is still indexed
    (``DocumentWarning``) go to ``on_error`` too, or are dropped without one.
    """
    return read_documents(iter_files(paths, on_error), on_error, options)


def read_documents(
    files: Iterable[tuple[Path, str]],
    on_error: Callable[[DocumentError], None] | None = None,
    options: ExtractOptions | None = None,
) -> Iterator[Document]:
    """Documents from ``(file, id)`` pairs as ``iter_files`` lists them."""
    options = options or ExtractOptions()
    for path, doc_id in files:
        try:
            yield from documents_from_bytes(read_file(path, options), path, doc_id, on_error, options)
        except DocumentError as e:
            if on_error is None:
                raise
            on_error(e)


def read_file(path: Path, options: ExtractOptions) -> bytes:
    """A file's bytes, or ``DocumentError`` when it cannot be read or is
    larger than ``options.max_file_bytes``."""
    try:
        size = path.stat().st_size
        if size > options.max_file_bytes:
            raise DocumentError(str(path), f"file too large ({size / 2**20:.1f} MiB; "
                                           f"the limit is {options.max_file_bytes / 2**20:.0f} MiB)")
        return path.read_bytes()
    except OSError as e:
        raise DocumentError(str(path), e.strerror or str(e)) from None


def _cut(text: str, limit: int) -> str:
    cut = text.rfind(" ", limit - 200, limit)
    return text[: cut if cut > 0 else limit]


def documents_from_bytes(
    raw: bytes,
    path: Path,
    doc_id: str,
    on_error: Callable[[DocumentError], None] | None = None,
    options: ExtractOptions | None = None,
) -> Iterator[Document]:
    """The documents in one file's bytes, named after ``doc_id``.

    A file that cannot be read raises ``DocumentError``; problems with one
    record, and warnings, go to ``on_error``.
    """

    def report(problem: DocumentError) -> None:
        if on_error is not None:
            on_error(problem)
        elif not isinstance(problem, DocumentWarning):
            raise problem

    options = options or ExtractOptions()
    extract = extractor_for(path.suffix)
    if extract is None:
        raise DocumentError(str(path), f"unsupported file type {path.suffix!r}")
    for doc in extract(raw, str(path), on_error=report, options=options):
        # extractors leave the id empty, or "#N" for the N-th record
        doc = replace(doc, id=doc_id + doc.id if doc.id[:1] in ("", "#") else doc.id,
                      path=str(path.resolve()))
        if len(doc.body) > options.max_text_chars:
            report(DocumentWarning(doc.id, f"text cut at {options.max_text_chars:,} of "
                                           f"{len(doc.body):,} characters"))
            doc = replace(doc, body=_cut(doc.body, options.max_text_chars))
        yield doc
