"""The catalog: which files and folders an index was made from.

A small SQLite database beside the Whoosh files of each generation. For each
source file it keeps the size, modification time and SHA-256 of its bytes and
the ids of the documents it gave, so that indexing the same folders again
reads only files whose size or time changed and analyses only files whose
bytes changed; and for each folder or file given to ``searchko index`` the
extraction options, so that ``rebuild`` can read everything again.

The catalog is written after the Whoosh commit it describes and records that
commit's generation. When the two disagree (a process died between them), the
records whose documents are not in the index are dropped, and those files are
indexed again next time: work is repeated, nothing is lost.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

__all__ = ["Catalog", "FileRecord", "CATALOG_FILE"]

CATALOG_FILE = "catalog.sqlite"

_SCHEMA = """
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
"""


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

    def under(self, folder: str) -> list[FileRecord]:
        """Records of files inside ``folder`` (at any depth)."""
        prefix = folder.rstrip("/") + "/"
        rows = self._rows("SELECT * FROM files WHERE substr(path, 1, ?) = ?", (len(prefix), prefix))
        return [self._record(r) for r in rows]

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
        """Record one committed change, in one transaction."""
        with self._lock:
            self._apply(put, drop, roots or {}, generation)

    def _apply(self, put, drop, roots: dict, generation: int) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany("DELETE FROM files WHERE path = ?", ((p,) for p in drop))
            db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
                ((r.path, r.size, r.mtime_ns, r.sha256, json.dumps(list(r.doc_ids), ensure_ascii=False))
                 for r in put),
            )
            for path, options in roots.items():
                db.execute("INSERT OR REPLACE INTO roots VALUES (?, ?)", (path, json.dumps(options)))
            db.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                [("generation", str(generation)), ("updated_at", str(time.time()))],
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def reconcile(self, generation: int, has_document) -> int:
        """After a crash between a commit and its catalog update: drop records
        whose documents are missing. Returns how many were dropped."""
        if self.meta("generation") == str(generation):
            return 0
        stale = [r.path for r in self.files() if not all(has_document(i) for i in r.doc_ids)]
        self.apply(drop=stale, generation=generation)
        return len(stale)
