"""The catalog: which files and folders an index was made from.

A small SQLite database beside the Whoosh files of each generation. For each
source file it keeps the size, modification time and SHA-256 of its bytes and
the ids of the documents it gave, so that indexing the same folders again
reads only files whose size or time changed and analyses only files whose
bytes changed; and for each folder or file given to ``searchko index`` the
extraction options, so that ``rebuild`` can read everything again. It also
counts, for each character bigram, the documents holding it: the document
frequencies of the re-ranking (``search``), kept here rather than as
postings (``formats.LengthOnly``).

A change is staged in the catalog before the Whoosh commit it describes, and
made final after it, recording that commit's generation. When a process died
between the two, the next writer finds the staged change and keeps it if the
commit it waited for happened (the index is at its generation), or drops it if
not. (A catalog from before staging, behind its index, drops the records whose
documents are not in the index; those files are indexed again next time.)
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping

__all__ = ["Catalog", "FileRecord", "CATALOG_FILE"]

CATALOG_FILE = "catalog.sqlite"

# auto_vacuum (set before the first table): the pages of rows staged and
# then cleared are given back at each commit, not kept as free space (about
# 40% of the file after a build)
_SCHEMA = """
PRAGMA auto_vacuum = FULL;
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    doc_ids TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_sha256 ON files (sha256);
CREATE TABLE IF NOT EXISTS roots (
    path TEXT PRIMARY KEY,
    options TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS staged_files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    doc_ids TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS staged_drop (path TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS grams (gram TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS staged_grams (gram TEXT PRIMARY KEY, delta INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS staged_roots (
    path TEXT PRIMARY KEY,
    options TEXT NOT NULL
);
"""
_STAGED = ("staged_files", "staged_drop", "staged_roots", "staged_grams")


@dataclass(frozen=True)
class FileRecord:
    """What the catalog knows of one source file."""

    path: str
    size: int
    mtime_ns: int
    sha256: str
    doc_ids: tuple[str, ...]


class Catalog:
    """The catalog of one index generation."""

    def __init__(self, folder: Path):
        self.file = folder / CATALOG_FILE
        self._db = sqlite3.connect(self.file, isolation_level=None, check_same_thread=False)
        self._db.executescript(_SCHEMA)
        self._lock = threading.RLock()  # one connection, shared by threads

    def _rows(self, sql: str, params=()) -> list:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def close(self) -> None:
        self._db.close()

    # -- reading -----------------------------------------------------------------

    def _record(self, row) -> FileRecord:
        return FileRecord(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])))

    def get(self, path: str) -> FileRecord | None:
        rows = self._rows("SELECT * FROM files WHERE path = ?", (path,))
        return self._record(rows[0]) if rows else None

    def with_hash(self, sha256: str) -> list[FileRecord]:
        rows = self._rows("SELECT * FROM files WHERE sha256 = ?", (sha256,))
        return [self._record(r) for r in rows]

    def files(self) -> Iterator[FileRecord]:
        for row in self._rows("SELECT * FROM files ORDER BY path"):
            yield self._record(row)

    def stamps(self, folder: str) -> dict[str, tuple[int, int]]:
        """The size and modification time (ns) of each file recorded inside
        ``folder`` (at any depth), by path: one range of the path key."""
        prefix = folder.rstrip("/") + "/"
        end = prefix[:-1] + chr(ord("/") + 1)  # the first path after every one in the folder
        rows = self._rows("SELECT path, size, mtime_ns FROM files WHERE path >= ? AND path < ?", (prefix, end))
        return {path: (size, mtime) for path, size, mtime in rows}

    def paths_of(self, doc_id: str) -> list[str]:
        """The files a document came from (more than one for identical copies)."""
        pattern = '%' + json.dumps(doc_id, ensure_ascii=False) + '%'
        rows = self._rows("SELECT path, doc_ids FROM files WHERE doc_ids LIKE ?", (pattern,))
        return [path for path, ids in rows if doc_id in json.loads(ids)]

    def referenced(self, doc_ids: Iterable[str], except_paths: Iterable[str] = ()) -> set[str]:
        """Which of ``doc_ids`` some file (other than ``except_paths``) still gives."""
        wanted = set(doc_ids)
        skip = set(except_paths)
        found = set()
        for path, ids in self._rows("SELECT path, doc_ids FROM files"):
            if path not in skip:
                found.update(wanted.intersection(json.loads(ids)))
        return found

    def roots(self) -> dict[str, dict]:
        """Folders and files given to ``searchko index``, with their options."""
        return {p: json.loads(o) for p, o in self._rows("SELECT path, options FROM roots")}

    def gram_frequencies(self, grams: Iterable[str]) -> dict[str, int]:
        """How many documents hold each of ``grams`` (those some document holds)."""
        wanted = list(set(grams))
        found: dict[str, int] = {}
        for i in range(0, len(wanted), 500):  # (SQLite's limit on parameters)
            part = wanted[i:i + 500]
            found.update(self._rows(f"SELECT gram, df FROM grams WHERE gram IN ({','.join('?' * len(part))})", part))
        return found

    def meta(self, key: str, default: str | None = None) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    # -- writing -----------------------------------------------------------------

    def apply(
        self,
        *,
        put: Iterable[FileRecord] = (),
        drop: Iterable[str] = (),
        roots: dict[str, dict] | None = None,
        generation: int,
    ) -> None:
        """Record a change the index has committed as ``generation``."""
        with self._lock:
            self.stage(put=put, drop=drop, roots=roots, generation=generation)
            self.reconcile(generation, None)

    def stage(
        self,
        *,
        put: Iterable[FileRecord] = (),
        drop: Iterable[str] = (),
        roots: dict[str, dict] | None = None,
        grams: Mapping[str, int] | None = None,
        generation: int,
    ) -> None:
        """Stage the change a commit of ``generation`` is about to make (in
        place of any staged before); ``reconcile`` makes it final. ``grams``:
        how many more (or fewer) documents hold each bigram."""
        with self._transaction() as db:
            for table in _STAGED:
                db.execute(f"DELETE FROM {table}")
            db.executemany("INSERT OR REPLACE INTO staged_drop VALUES (?)", ((p,) for p in drop))
            db.executemany(
                "INSERT OR REPLACE INTO staged_files VALUES (?, ?, ?, ?, ?)",
                ((r.path, r.size, r.mtime_ns, r.sha256, json.dumps(list(r.doc_ids), ensure_ascii=False))
                 for r in put),
            )
            db.executemany("INSERT OR REPLACE INTO staged_roots VALUES (?, ?)",
                           ((p, json.dumps(o)) for p, o in (roots or {}).items()))
            db.executemany("INSERT INTO staged_grams VALUES (?, ?)",
                           ((g, n) for g, n in (grams or {}).items() if n))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('staged', ?)", (str(generation),))

    def reconcile(self, generation: int, has_document) -> int:
        """Bring the catalog to the index's ``generation``: make the staged
        change final if it was staged for that commit, drop it if not.
        Returns how many records were dropped as stale: those whose documents
        ``has_document`` does not find, when the catalog is behind with
        nothing staged for the index's generation (then ``has_document`` is
        called; it may be None only where that cannot happen)."""
        with self._lock:
            staged = self.meta("staged")
            if staged is None and self.meta("generation") == str(generation):
                return 0
            with self._transaction() as db:
                if staged == str(generation):
                    db.execute("DELETE FROM files WHERE path IN (SELECT path FROM staged_drop)")
                    db.execute("INSERT OR REPLACE INTO files SELECT * FROM staged_files")
                    db.execute("INSERT OR REPLACE INTO roots SELECT * FROM staged_roots")
                    db.execute("INSERT INTO grams SELECT gram, delta FROM staged_grams WHERE true "
                               "ON CONFLICT (gram) DO UPDATE SET df = df + excluded.df")
                    db.execute("DELETE FROM grams WHERE df <= 0 AND gram IN "
                               "(SELECT gram FROM staged_grams WHERE delta < 0)")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (str(generation),))
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('updated_at', ?)", (str(time.time()),))
                for table in _STAGED:
                    db.execute(f"DELETE FROM {table}")
                db.execute("DELETE FROM meta WHERE key = 'staged'")
            if self.meta("generation") == str(generation):
                return 0
            stale = [r.path for r in self.files() if not all(has_document(i) for i in r.doc_ids)]
            self.apply(drop=stale, generation=generation)
            return len(stale)

    @contextlib.contextmanager
    def _transaction(self):
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
