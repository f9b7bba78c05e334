"""Creating, opening, filling and rebuilding an index."""

from __future__ import annotations

import datetime as _dt
import json
import shutil
import threading
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

import whoosh.index
from whoosh.scoring import BM25F

from . import analysis
from .documents import Document
from .errors import (
    IndexExistsError,
    IndexLockedError,
    IndexMismatchError,
    IndexNotFoundError,
)
from .schema import FINGERPRINT_FILE, fingerprint, make_schema

__all__ = ["Index", "open_index", "rebuild_index"]

#: Documents analysed together in one batched Kiwi call.
BATCH_SIZE = 64

#: BM25 parameters (see benchmarks/RESULTS.md for how they were chosen).
WEIGHTING = BM25F(B=0.75, K1=1.2)

Progress = Callable[[int, Document], None]


def _write_fingerprint(path: Path) -> None:
    tmp = path / (FINGERPRINT_FILE + ".tmp")
    tmp.write_text(json.dumps(fingerprint(), ensure_ascii=False, indent=2) + "\n", "utf-8")
    tmp.replace(path / FINGERPRINT_FILE)


def _check_fingerprint(path: Path) -> None:
    try:
        recorded = json.loads((path / FINGERPRINT_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        raise IndexMismatchError(f"index at {path} has no readable {FINGERPRINT_FILE}") from None
    current = fingerprint()
    changed = sorted(k for k in current.keys() | recorded.keys() if current.get(k) != recorded.get(k))
    if changed:
        what = ", ".join(f"{k} {recorded.get(k)!r} -> {current.get(k)!r}" for k in changed[:3]
                         if k not in ("stop_tags", "compound_tags")) or ", ".join(changed)
        raise IndexMismatchError(f"index at {path} was made by another analysis ({what})")


def _fields(doc: Document) -> dict:
    return {
        "id": doc.id,
        "path": doc.path,
        "title": doc.title,
        "body": doc.body,
        "source": doc.source,
        "grams": f"{doc.title}\n{doc.body}",
        "date": _dt.datetime.combine(doc.date, _dt.time()) if doc.date else None,
        "url": doc.url,
        "categories": list(doc.categories),
    }


def _document(stored: Mapping) -> Document:
    date = stored.get("date")
    return Document(
        id=stored["id"],
        body=stored.get("body", ""),
        title=stored.get("title", ""),
        date=date.date() if isinstance(date, _dt.datetime) else date,
        source=stored.get("source", ""),
        path=stored.get("path", ""),
        url=stored.get("url", ""),
        categories=tuple(stored.get("categories") or ()),
    )


def _as_document(doc: Document | Mapping) -> Document:
    return doc if isinstance(doc, Document) else Document.from_dict(doc)


class Index:
    """A searchko index in a folder. Use as a context manager, or ``close()``."""

    def __init__(self, path: Path, ix):
        self.path = path
        self._ix = ix
        self._searcher = None
        self._generation = -1
        self._lock = threading.Lock()

    # -- opening ------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, *, overwrite: bool = False) -> "Index":
        """Create an empty index at ``path`` (the folder may exist)."""
        path = Path(path)
        if whoosh.index.exists_in(str(path)):
            if not overwrite:
                raise IndexExistsError(f"an index already exists at {path}")
        path.mkdir(parents=True, exist_ok=True)
        ix = whoosh.index.create_in(str(path), make_schema())
        _write_fingerprint(path)
        return cls(path, ix)

    @classmethod
    def open(cls, path: str | Path, *, check: bool = True) -> "Index":
        """Open the index at ``path``; refuse one made by another analysis."""
        path = Path(path)
        if not whoosh.index.exists_in(str(path)):
            raise IndexNotFoundError(f"no index at {path}")
        if check:
            _check_fingerprint(path)
        try:
            ix = whoosh.index.open_dir(str(path))
        except (ImportError, AttributeError) as e:  # pickled analyzer gone
            raise IndexMismatchError(f"index at {path} cannot be read by this version ({e})") from None
        return cls(path, ix)

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        return self._ix.doc_count()

    def __repr__(self) -> str:
        return f"<searchko.Index {str(self.path)!r}>"

    # -- writing ------------------------------------------------------------

    def _writer(self, wait: float):
        try:
            return self._ix.writer(timeout=wait)
        except whoosh.index.LockError:
            raise IndexLockedError(f"index at {self.path} is locked by another writer") from None

    def add(
        self,
        documents: Iterable[Document | Mapping],
        *,
        progress: Progress | None = None,
        wait: float = 0.0,
    ) -> int:
        """Add documents (``Document`` or dicts with ``id`` and ``body``),
        replacing any with the same id; return how many were added.

        Everything is committed at the end: an interrupted run leaves the
        index as it was.
        """
        writer = self._writer(wait)
        count = 0
        try:
            it = iter(documents)
            while batch := [_as_document(d) for d in islice(it, BATCH_SIZE)]:
                analysis.prepare(t for d in batch for t in (d.title, d.body, d.source))
                for doc in batch:
                    writer.update_document(**_fields(doc))
                    count += 1
                    if progress is not None:
                        progress(count, doc)
            writer.commit()
        except BaseException:
            writer.cancel()
            analysis.discard_prepared()
            raise
        return count

    def delete(self, doc_id: str, *, wait: float = 0.0) -> bool:
        """Delete the document with this id; True if there was one."""
        writer = self._writer(wait)
        try:
            n = writer.delete_by_term("id", doc_id)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        return n > 0

    # -- reading ------------------------------------------------------------

    def searcher(self):
        """The shared Whoosh searcher, reopened after each commit (internal).

        Whoosh's own ``up_to_date()``/``refresh()`` miss a commit that only
        deletes, and fail on an index that was empty, so the generation of
        the index is compared instead.
        """
        with self._lock:
            generation = self._ix.latest_generation()
            if self._searcher is not None and generation != self._generation:
                self._searcher.close()
                self._searcher = None
            if self._searcher is None:
                self._searcher = self._ix.searcher(weighting=WEIGHTING)
                self._generation = generation
            return self._searcher

    def get(self, doc_id: str) -> Document | None:
        """The stored document with this id, or None."""
        stored = self.searcher().document(id=doc_id)
        return _document(stored) if stored else None

    def documents(self) -> Iterator[Document]:
        """Every stored document."""
        for stored in self.searcher().all_stored_fields():
            yield _document(stored)

    def search(self, query: str, limit: int = 10, offset: int = 0, sort: str = "relevance"):
        """Search; returns ``Results`` (iterable of ``Hit``).

        ``sort`` is "relevance" or "date" (newest first).
        """
        from .search import search

        return search(self, query, limit=limit, offset=offset, sort=sort)


def open_index(path: str | Path, *, create: bool = False) -> Index:
    """Open the index at ``path``; with ``create=True`` make it if missing."""
    if create and not whoosh.index.exists_in(str(path)):
        return Index.create(path)
    return Index.open(path)


def rebuild_index(path: str | Path, *, progress: Progress | None = None) -> int:
    """Re-analyse every stored document into a new index that replaces the one
    at ``path`` when complete; return the number of documents."""
    path = Path(path)
    old = Index.open(path, check=False)
    staging = path.with_name(path.name + ".rebuild")
    if staging.exists():
        shutil.rmtree(staging)
    try:
        with old, Index.create(staging) as new:
            count = new.add(old.documents(), progress=progress)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    backup = path.with_name(path.name + ".old")
    if backup.exists():
        shutil.rmtree(backup)
    path.rename(backup)
    staging.rename(path)
    # the default index folder may hold files of the project (a .gitignore)
    for extra in backup.iterdir():
        if extra.name.startswith(".") and not (path / extra.name).exists():
            extra.rename(path / extra.name)
    shutil.rmtree(backup)
    return count
