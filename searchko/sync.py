"""Index upkeep: keeping an index in step with folders of files, and rebuilding it.

``sync(index, paths)`` is what ``searchko index PATH...`` runs: files that are
new or whose bytes changed are (re-)indexed, files whose size and time are as
recorded are skipped without being read, files whose bytes are unchanged are
skipped without calling Kiwi, documents whose files are gone from an indexed
folder are removed, and a file identical to one already indexed adds its path
to that document instead of indexing it twice.

``rebuild(path)`` reads every indexed source again into a new generation of
the index and makes it live in one atomic step (see ``searchko.storage``).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import whoosh.index

from . import filestore
from .catalog import Catalog, FileRecord
from .documents import Document, ExtractOptions, SourceFile, documents_from_bytes, path_list, read_file, scan_files
from .errors import DocumentError, DocumentWarning, MissingExtraError, SearchkoError
from .index import Index, check_lexicon, write_documents
from .lexicon import combined, user_lexicon
from .schema import make_schema
from .storage import IndexFolder, read_user_lexicon

__all__ = ["SyncReport", "sync", "rebuild", "watch"]

#: ``progress(files_done, files_total)``
FileProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class SyncReport:
    """What one indexing run did."""

    added: int = 0  # documents new to the index
    updated: int = 0  # documents replaced because their file changed
    removed: int = 0  # documents deleted because their file is gone
    unchanged: int = 0  # files skipped: same size and time, or same bytes
    duplicates: int = 0  # files identical to one already indexed (its path is kept)
    files: int = 0  # files looked at
    failed: tuple[DocumentError, ...] = field(default=())
    warnings: tuple[DocumentWarning, ...] = field(default=())

    @property
    def indexed(self) -> int:
        """Documents analysed and written in this run."""
        return self.added + self.updated


class _Run:
    """The state of one sync: counts, problems and the catalog changes."""

    def __init__(self, index: Index, options: ExtractOptions):
        self.catalog = index.catalog
        self.known: dict[str, tuple[int, int]] = {}  # (size, mtime) the catalog has, by path
        self.seen: set[str] = set()  # resolved paths of the files looked at
        self.previous: dict[str, FileRecord | None] = {}  # catalog records of the changed files
        self.writer = None  # the run's writer, which looks documents up too
        self.options = options
        self.failed: list[DocumentError] = []
        self.warnings: list[DocumentWarning] = []
        self.put: list[FileRecord] = []
        self.counts = dict(added=0, updated=0, unchanged=0, duplicates=0)
        self.hashes: dict[str, tuple[str, ...]] = {}  # sha256 -> doc ids indexed in this run

    def report(self, problem: DocumentError) -> None:
        (self.warnings if isinstance(problem, DocumentWarning) else self.failed).append(problem)

    def exists(self, doc_id: str) -> bool:
        return self.writer.searcher().document_number(id=doc_id) is not None

    def documents(self, files: list[SourceFile], progress: FileProgress | None) -> Iterator[Document]:
        """The documents of the files that changed; records the rest."""
        known, seen, counts = self.known, self.seen, self.counts
        for done, f in enumerate(files, 1):
            try:
                key, size, mtime = f.stat()
                seen.add(key)
                if known.get(key) == (size, mtime):  # most files, most runs: nothing more to do
                    counts["unchanged"] += 1
                else:
                    yield from self._file(f, key, size, mtime)
            except DocumentError as e:
                self.report(e)
            except OSError as e:
                seen.add(os.path.realpath(f.path))
                self.report(DocumentError(f.path, e.strerror or str(e)))
            if progress is not None:
                progress(done, len(files))

    def _file(self, f: SourceFile, key: str, size: int, mtime: int) -> Iterator[Document]:
        known = self.previous[key] = self.catalog.get(key)
        if known and (known.size, known.mtime_ns) == (size, mtime):
            self.counts["unchanged"] += 1
            return
        path, doc_id = Path(f.path), f.id
        raw = read_file(path, self.options)
        sha = hashlib.sha256(raw).hexdigest()
        if known and known.sha256 == sha:  # touched, not changed
            self.put.append(FileRecord(key, size, mtime, sha, known.doc_ids))
            self.counts["unchanged"] += 1
            return
        twin = self.hashes.get(sha)
        if twin is None:
            twin = next((r.doc_ids for r in self.catalog.with_hash(sha) if r.path != key), None)
        if twin is not None:
            self.put.append(FileRecord(key, size, mtime, sha, twin))
            self.counts["duplicates"] += 1
            return
        ids = []
        failures = len(self.failed)
        for doc in documents_from_bytes(raw, path, doc_id, self.report, self.options):
            ids.append(doc.id)
            self.counts["updated" if self.exists(doc.id) else "added"] += 1
            yield doc
        if len(self.failed) > failures:
            # some records failed: read the file again next time, and report
            # them again, until it is fixed
            self.put.append(FileRecord(key, -1, -1, "", tuple(ids)))
            return
        self.hashes[sha] = tuple(ids)
        self.put.append(FileRecord(key, size, mtime, sha, tuple(ids)))


def sync(
    index: Index,
    paths: Iterable[str | os.PathLike],
    *,
    delete: bool = True,
    options: ExtractOptions | None = None,
    progress: FileProgress | None = None,
    wait: float = 0.0,
) -> SyncReport:
    """Bring the index in step with files and folders (see the module doc).

    With ``delete``, documents whose files are gone from a folder in
    ``paths`` are removed. Everything is committed at the end: an
    interrupted run leaves the index as it was.
    """
    with index.folder.write_lock(wait):
        index._follow()
        return _sync(index, path_list(paths), delete, options or ExtractOptions(), progress)


def _sync(index: Index, paths: list, delete: bool, options: ExtractOptions,
          progress: FileProgress | None) -> SyncReport:
    index.reconcile()
    run = _Run(index, options)
    folders = [str(Path(p).resolve()) for p in paths if Path(p).is_dir()]
    # the size and time of the folders' files, read in one query a folder
    run.known = known = {path: stamp for folder in folders for path, stamp in run.catalog.stamps(folder).items()}
    files = list(scan_files(paths, run.report))
    roots = {str(Path(p).resolve()): asdict(options) for p in paths if Path(p).exists()}
    writing = index.writing(roots=roots)
    with writing as writer:
        run.writer = writer
        write_documents(writer, run.documents(files, progress), lexicon=index.lexicon)
        gone = [run.catalog.get(path) for path in known if path not in run.seen] if delete else []
        # documents no file gives any more: of removed files, and those a
        # changed file stopped giving
        replaced = {r.path: r for r in run.put}
        dropped_ids = {i for r in gone for i in r.doc_ids}
        for record in replaced.values():
            old = run.previous[record.path]
            if old:
                dropped_ids.update(set(old.doc_ids) - set(record.doc_ids))
        still_given = (run.catalog.referenced(dropped_ids, except_paths=[r.path for r in gone] + list(replaced))
                       if dropped_ids else set())
        still_given.update(i for r in run.put for i in r.doc_ids)
        removed = 0
        for doc_id in sorted(dropped_ids - still_given):
            removed += writer.delete_by_term("id", doc_id)
        writing.catalog_change = (run.put, [r.path for r in gone], roots)
    return SyncReport(removed=removed, files=len(files), failed=tuple(run.failed),
                      warnings=tuple(run.warnings), **run.counts)


def rebuild(
    path: str | os.PathLike,
    *,
    progress: FileProgress | None = None,
    wait: float = 0.0,
    lexicon=None,
) -> SyncReport:
    """Read every indexed source again into a new generation and make it
    live when complete. Documents that came from no file (added through the
    API) are carried over from the old index, re-analysed.

    ``lexicon`` (as for ``Index.create``; ``[]`` for the shipped lexicon
    alone) replaces the lexicon of the index; by default it is kept.
    """
    folder = IndexFolder(path)
    folder.check_private()  # raises IndexNotFoundError when there is none
    with folder.write_lock(wait):
        old_dir = folder.current()
        user = read_user_lexicon(old_dir) if lexicon is None else (user_lexicon(lexicon) or None)
        check_lexicon(user)
        old_catalog = Catalog(old_dir)
        roots = old_catalog.roots()
        from_files = {i for r in old_catalog.files() for i in r.doc_ids}
        old_catalog.close()
        generation = folder.new_generation(user)
        try:
            ix = filestore.create_in(str(generation), make_schema(combined(user)))
            new = Index(folder, generation, ix, follow=False, user_lexicon=user)
            report = SyncReport()
            with new:
                for root, options in sorted(roots.items()):
                    if not Path(root).exists():
                        report = _merge(report, SyncReport(failed=(DocumentError(root, "no longer exists"),)))
                        continue
                    known = {k: v for k, v in options.items() if k in ExtractOptions.__dataclass_fields__}
                    part = _sync(new, [root], False, ExtractOptions(**known), progress)
                    report = _merge(report, part)
                carried = _carry_over(folder, old_dir, from_files)
                if carried:
                    with new.writing() as writer:
                        write_documents(writer, carried, lexicon=new.lexicon)
                if not roots:  # nothing was indexed from files: record the generation
                    new.catalog.apply(generation=ix.latest_generation())
            folder.make_current(generation)
        except BaseException:
            folder.discard(generation)
            raise
    return report


def _carry_over(folder: IndexFolder, old_dir: Path, from_files: set[str]) -> list[Document]:
    try:
        old = Index(folder, old_dir, filestore.open_dir(str(old_dir)), follow=False)
    except (ImportError, AttributeError, whoosh.index.EmptyIndexError) as e:
        raise SearchkoError(f"cannot read the old index at {folder.path} to carry its documents over ({e})")
    with old:
        return [d for d in old.documents() if d.id not in from_files]


def _merge(a: SyncReport, b: SyncReport) -> SyncReport:
    return SyncReport(
        added=a.added + b.added, updated=a.updated + b.updated, removed=a.removed + b.removed,
        unchanged=a.unchanged + b.unchanged, duplicates=a.duplicates + b.duplicates,
        files=a.files + b.files, failed=a.failed + b.failed, warnings=a.warnings + b.warnings,
    )


def watch(
    index: Index,
    paths: Iterable[str | os.PathLike],
    *,
    delete: bool = True,
    options: ExtractOptions | None = None,
    stop_event=None,
    debounce_ms: int = 1600,
) -> Iterator[SyncReport]:
    """Sync ``paths`` now, then again whenever files under them change;
    yields each run's report (changes arriving together make one run, one
    commit). Ends when ``stop_event`` (a ``threading.Event``) is set.

    Needs the ``watchfiles`` package (``pip install 'searchko[watch]'``).
    """
    try:
        import watchfiles
    except ImportError:
        raise MissingExtraError("watching folders needs watchfiles: pip install 'searchko[watch]'") from None
    paths = [Path(p) for p in path_list(paths)]
    for p in paths:
        if not p.is_dir():
            raise DocumentError(str(p), "not a folder")
    yield index.sync(paths, delete=delete, options=options)
    for _changes in watchfiles.watch(*paths, debounce=debounce_ms, stop_event=stop_event,
                                     raise_interrupt=False):
        yield index.sync(paths, delete=delete, options=options, wait=30.0)
