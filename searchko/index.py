"""An index: opening it, adding and deleting documents, reading them back.

Keeping it in step with folders of files (``sync``) and rebuilding it live in
``searchko.sync``; the folder layout and the write lock in
``searchko.storage``; the record of source files in ``searchko.catalog``.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import threading
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

import whoosh.index
from whoosh.query import Term
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter

from . import analysis, filestore, formats
from .analysis import bigrams
from .catalog import Catalog
from .documents import Document
from .errors import IndexExistsError, IndexMismatchError, IndexNotFoundError
from .lexicon import Lexicon, combined, user_lexicon
from .schema import FINGERPRINT_FILE, make_schema
from .storage import IndexFolder, check_fingerprint, read_user_lexicon

__all__ = ["Index", "open_index"]

#: Documents analysed together in one batched Kiwi call.
BATCH_SIZE = 64

#: Batches analysed ahead (in another thread; Kiwi's own threads run without
#: the GIL) while the one before is written.
LOOKAHEAD = 4

#: Documents written into one segment: a full segment is sorted and written
#: out (in another thread) while the next one fills, so memory stays flat and
#: the work of a commit is spread over the run. The segments of one run
#: become live together, at its commit. Each query looks each term up in
#: every segment: at 100,000 documents, 4 segments answered keyword queries
#: 13-25% faster than 10, and questions 13-28%, with the same peak memory
#: (Whoosh spills a segment's postings to disk past its pool's limit).
SEGMENT_DOCS = 25_000
#: How segments are written (``formats``); each segment records its own,
#: so those written before are read as they were written.
CODEC = formats.ColumnCodec()

#: BM25 parameters (see benchmarks/RESULTS.md for how they were chosen); the
#: bigram field's lengths count for less (grams_B).
WEIGHTING = BM25F(B=0.75, K1=1.2, grams_B=0.5)

Progress = Callable[[int, Document], None]


_SURROGATES = re.compile("[\ud800-\udfff]")


def _text(value: str) -> str:
    """Text that can be stored: a lone surrogate (from JSON, say) becomes U+FFFD."""
    return _SURROGATES.sub("\ufffd", value)


def _fields(doc: Document) -> dict:
    title, body = _text(doc.title), _text(doc.body)
    return {
        "id": _text(doc.id),
        "path": _text(doc.path),
        "title": title,
        "body": body,
        "source": _text(doc.source),
        "grams": bigrams(f"{title}\n{body}"),  # (see formats.LengthOnly)
        "date": _dt.datetime.combine(doc.date, _dt.time()) if doc.date else None,
        "url": _text(doc.url),
        "categories": [_text(c) for c in doc.categories],
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

    def __init__(self, folder: IndexFolder, generation: Path, ix, *, follow: bool = True,
                 user_lexicon: Lexicon | None = None):
        self._follows = follow  # False for a generation being built
        self.folder = folder
        self.path = folder.path
        self._generation_dir = generation
        self._ix = ix
        #: the user's lexicon entries the index was made with (None: none)
        self.user_lexicon = user_lexicon
        #: the whole lexicon: documents were analysed with it, queries are
        self.lexicon = combined(user_lexicon)
        self._catalog: Catalog | None = None
        # one Whoosh searcher per thread (Whoosh's are not made to be shared),
        # each reopened when the index changed; close() closes them all
        self._local = threading.local()
        self._searchers: list = []
        self._epoch = 0
        self._lock = threading.RLock()
        self._vocabulary = (None, None)  # (searcher key, Vocabulary) of the last one built

    # -- opening ------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, *, overwrite: bool = False, lexicon=None) -> "Index":
        """Create an empty index at ``path`` (the folder may exist); with
        ``overwrite`` an existing index there is replaced.

        ``lexicon``: lexicon files (a path or a list of paths) or a
        ``Lexicon`` whose entries are merged over the shipped lexicon; the
        index keeps a copy, so opening it later needs no files.
        """
        folder = IndexFolder(path)
        if folder.exists() and not overwrite:
            raise IndexExistsError(f"an index already exists at {folder.path}")
        user = user_lexicon(lexicon) or None
        check_lexicon(user)
        with folder.write_lock():
            generation = folder.new_generation(user)
            ix = filestore.create_in(str(generation), make_schema(combined(user)))
            catalog = Catalog(generation)
            catalog.apply(generation=ix.latest_generation())
            catalog.close()
            folder.make_current(generation)
        return cls(folder, generation, ix, user_lexicon=user)

    @classmethod
    def open(cls, path: str | Path, *, check: bool = True, lexicon=None) -> "Index":
        """Open the index at ``path``; refuse one made by another analysis,
        and one that other users can change (Whoosh unpickles parts of an
        index: they could make it run code).

        The index analyses with the lexicon it was made with. Given
        ``lexicon`` (as for ``create``), an index made with another one is
        refused with ``IndexMismatchError``: rebuild it with the new one.
        """
        folder = IndexFolder(path)
        if not folder.exists():
            raise IndexNotFoundError(f"no index at {folder.path}")
        folder.check_private()
        generation = folder.current()
        ix, user = _open_whoosh(folder, generation, check)
        if lexicon is not None and check:
            wanted = combined(user_lexicon(lexicon) or None)
            if wanted.digest != combined(user).digest:
                raise IndexMismatchError(
                    f"index at {folder.path} was made with another lexicon "
                    f"({combined(user).digest} -> {wanted.digest})",
                    hint="run `searchko rebuild --lexicon FILE` to re-analyse the stored documents with it",
                )
        return cls(folder, generation, ix, user_lexicon=user)

    def close(self) -> None:
        with self._lock:
            for searcher in self._searchers:
                searcher.close()
            self._searchers.clear()
            self._epoch += 1
            if self._catalog is not None:
                self._catalog.close()
                self._catalog = None

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        # counted from the segments' records, without opening them
        return sum(segment.doc_count() for segment in self._follow()._ix._segments())

    def __repr__(self) -> str:
        return f"<searchko.Index {str(self.path)!r}>"

    def _follow(self) -> "Index":
        """Switch to the live generation if a rebuild replaced ours."""
        with self._lock:
            live = self.folder.current_name() if self._follows else None
            if live is not None and live != self._generation_dir.name:
                generation = self.path / live
                ix, user = _open_whoosh(self.folder, generation, True)
                self.user_lexicon, self.lexicon = user, combined(user)
                # searchers and the catalog of the old generation are left to
                # the threads using them (and to the garbage collector)
                self._searchers.clear()
                self._catalog = None
                self._generation_dir, self._ix = generation, ix
        return self

    @property
    def catalog(self) -> Catalog:
        """The record of the files this index was made from (internal)."""
        with self._lock:
            if self._catalog is None:
                self._catalog = Catalog(self._generation_dir)
            return self._catalog

    # -- writing ------------------------------------------------------------

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
        with self.folder.write_lock(wait):
            self._follow()
            with self.writing() as writer:
                return write_documents(writer, documents, progress, self.lexicon)

    def delete(self, doc_id: str, *, wait: float = 0.0) -> bool:
        """Delete the document with this id; True if there was one."""
        with self.folder.write_lock(wait):
            self._follow()
            with self.writing() as writer:
                return writer.delete_by_term("id", doc_id) > 0

    def sync(self, paths, *, delete: bool = True, options=None, progress=None, wait: float = 0.0):
        """Bring the index in step with files and folders: index new and
        changed files, skip unchanged ones, remove documents whose files are
        gone from an indexed folder (unless ``delete=False``). Returns a
        ``SyncReport``. See ``searchko.sync``."""
        from .sync import sync

        return sync(self, paths, delete=delete, options=options, progress=progress, wait=wait)

    def reconcile(self) -> None:
        """Bring the catalog to the index after a process died between a
        commit and its catalog update (internal; the caller holds the write
        lock)."""
        self.catalog.reconcile(self._ix.latest_generation(),
                               lambda doc_id: self.searcher().document_number(id=doc_id) is not None)

    def writing(self, *, put=(), drop=(), roots=None):
        """A Whoosh writer committed on success (and the catalog with it,
        recording ``put``/``drop``/``roots``) or cancelled on error (internal;
        the caller holds the write lock)."""
        return _Writing(self, put, drop, roots)

    # -- reading ------------------------------------------------------------

    def searcher(self):
        """This thread's Whoosh searcher, reopened after each commit (internal).

        Whoosh's own ``up_to_date()``/``refresh()`` miss a commit that only
        deletes, and fail on an index that was empty, so the generation of
        the index is compared instead. A searcher a thread holds keeps
        answering from the commit it was opened on.
        """
        with self._lock:
            self._follow()
            ix = self._ix
            key = (self._epoch, self._generation_dir.name, ix.latest_generation())
            local = self._local
            if getattr(local, "key", None) != key:
                local.searcher = ix.searcher(weighting=WEIGHTING)
                local.key = key
                self._searchers.append(local.searcher)
            return local.searcher

    def vocabulary(self):
        """The ``spelling.Vocabulary`` of the title and body terms, with their
        document frequencies (internal: query corrections use it).

        Built on first use and kept until the index changes: walking the
        lexicons costs about as much as building the lookups, and both grow
        with the number of distinct terms, so searches that need no
        correction never pay for it.
        """
        searcher = self.searcher()
        key = self._local.key
        built_for, vocabulary = self._vocabulary
        if built_for == key:
            return vocabulary
        from .spelling import Vocabulary

        reader = searcher.reader()
        leaves = [reader] if reader.is_atomic() else [leaf for leaf, _ in reader.leaf_readers()]
        pairs = []
        for fieldname in ("title", "body"):
            # each segment's terms in one walk of its table, the frequencies
            # summed here: the whole reader's walk looks every term up in
            # every segment (14 s at 100,000 documents in 12 segments)
            frequencies: dict[bytes, int] = {}
            for leaf in leaves:
                for term, info in leaf.iter_field(fieldname):
                    frequencies[term] = frequencies.get(term, 0) + info.doc_frequency()
            decode = searcher.schema[fieldname].from_bytes
            pairs.extend((decode(term), n) for term, n in sorted(frequencies.items()))
        vocabulary = Vocabulary(pairs)
        with self._lock:  # built outside the lock: searches go on meanwhile
            self._vocabulary = (key, vocabulary)
        return vocabulary

    def get(self, doc_id: str) -> Document | None:
        """The stored document with this id, or None."""
        stored = self.searcher().document(id=doc_id)
        return _document(stored) if stored else None

    def paths(self, doc_id: str) -> list[str]:
        """Every file the document was found in (identical copies share one
        document)."""
        return self._follow().catalog.paths_of(doc_id)

    def find(self, target: str) -> list[Document]:
        """The document with id ``target``, or those of the indexed file at
        path ``target``."""
        doc = self.get(target)
        if doc is not None:
            return [doc]
        record = self._follow().catalog.get(str(Path(target).resolve()))
        found = [self.get(i) for i in record.doc_ids] if record else []
        return [d for d in found if d is not None]

    def stats(self) -> "IndexStats":
        """Counts and facts about the index (reads every stored document)."""
        searcher = self.searcher()
        reader = searcher.reader()
        sources: dict[str, int] = {}
        dates = []
        for stored in searcher.all_stored_fields():
            source = stored.get("source") or "(none)"
            sources[source] = sources.get(source, 0) + 1
            if stored.get("date"):
                dates.append(stored["date"].date())
        formats: dict[str, int] = {}
        files = 0
        for record in self.catalog.files():
            files += 1
            suffix = Path(record.path).suffix.lower() or "(none)"
            formats[suffix] = formats.get(suffix, 0) + 1
        updated = self.catalog.meta("updated_at")
        return IndexStats(
            path=str(self.path),
            documents=reader.doc_count(),
            files=files,
            terms={f: sum(1 for _ in reader.lexicon(f)) for f in ("title", "body")},
            size_bytes=sum(p.stat().st_size for p in self._generation_dir.iterdir() if p.is_file()),
            sources=dict(sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))),
            first_date=min(dates) if dates else None,
            last_date=max(dates) if dates else None,
            formats=dict(sorted(formats.items())),
            roots=sorted(self.catalog.roots()),
            updated=_dt.datetime.fromtimestamp(float(updated)) if updated else None,
            fingerprint=json.loads((self._generation_dir / FINGERPRINT_FILE).read_text("utf-8")),
        )

    def documents(self) -> Iterator[Document]:
        """Every stored document."""
        for stored in self.searcher().all_stored_fields():
            yield _document(stored)

    def search(self, query: str, limit: int = 10, offset: int = 0, sort: str = "relevance", *,
               since=None, until=None, source: str | None = None, explain: bool = False,
               exact: bool = False):
        """Search; returns ``Results`` (iterable of ``Hit``).

        ``sort`` is "relevance" or "date" (newest first); ``since`` and
        ``until`` (dates, or text like 2025-03) keep documents dated in that
        range, both ends included; ``source`` those whose source has its words.
        With ``explain``, each hit carries an ``Explanation``. Typos are
        corrected, and ``Results.corrected`` says so, unless ``exact``.
        """
        from .search import search

        return search(self, query, limit=limit, offset=offset, sort=sort,
                      since=since, until=until, source=source, explain=explain, exact=exact)


@dataclass(frozen=True)
class IndexStats:
    """What ``searchko stats`` shows."""

    path: str
    documents: int
    files: int
    terms: dict
    size_bytes: int
    sources: dict
    first_date: _dt.date | None
    last_date: _dt.date | None
    formats: dict
    roots: list
    updated: _dt.datetime | None
    fingerprint: dict

    def to_dict(self) -> dict:
        out = asdict(self)
        out["first_date"] = self.first_date.isoformat() if self.first_date else None
        out["last_date"] = self.last_date.isoformat() if self.last_date else None
        out["updated"] = self.updated.isoformat(timespec="seconds") if self.updated else None
        return out


class _Writing:
    def __init__(self, index: Index, put, drop, roots):
        self.index = index
        self.catalog_change = (put, drop, roots)

    def __enter__(self):
        self.index.reconcile()
        self.writer = _RunWriter(self.index._ix)
        return self.writer

    def __exit__(self, kind, error, tb):
        if kind is not None:
            self._cancel()
            return False
        try:
            put, drop, roots = self.catalog_change
            # staged before the commit, final after it: a crash in between
            # leaves the next writer to keep it or drop it (see catalog)
            self.index.catalog.stage(put=put, drop=drop, roots=roots, grams=self.writer.grams,
                                     generation=self.writer.generation)
            self.writer.commit()
        except BaseException:
            self._cancel()  # Whoosh's lock goes now, not when the writer is collected
            raise
        self.index.reconcile()
        return False

    def _cancel(self):
        self.writer.cancel()
        analysis.discard_prepared()


def write_documents(writer, documents: Iterable[Document | Mapping], progress: Progress | None = None,
                    lexicon: Lexicon | None = None) -> int:
    """Add documents through a writer, analysing them with ``lexicon`` (the
    index's whole lexicon) in batches, in another thread, ``LOOKAHEAD``
    batches ahead of the one being written."""
    count = 0
    it = map(_as_document, iter(documents))
    pending: deque = deque()
    ahead = ThreadPoolExecutor(1, thread_name_prefix="searchko-analysis")

    def submit() -> bool:
        batch = [(doc, _fields(doc)) for doc in islice(it, BATCH_SIZE)]
        if batch:
            texts = [t for _, f in batch for t in (f["title"], f["body"], f["source"])]
            pending.append((batch, ahead.submit(analysis.analyze_batch, texts, lexicon)))
        return bool(batch)

    try:
        more = True
        while more and len(pending) < LOOKAHEAD:
            more = submit()
        while pending:
            batch, analysed = pending.popleft()
            analysis.prepare(analysed.result(), lexicon)
            if more:
                more = submit()
            for doc, fields in batch:
                writer.update_document(**fields)
                count += 1
                if progress is not None:
                    progress(count, doc)
    finally:
        # on an error, batches still being analysed are dropped unused
        ahead.shutdown(wait=False, cancel_futures=True)
    return count


class _SegmentWriter(SegmentWriter):
    """Whoosh's segment writer, reading each document's field lengths once
    when it writes the postings out (Whoosh's reads them from the segment's
    files again for every posting)."""

    def _flush_segment(self):
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(pdr, self.docnum) if pdr is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if pdr is not None:
            pdr.close()


class _Lengths:
    """Field lengths of a segment's documents, read once a field."""

    def __init__(self, reader, count: int):
        self._reader = reader
        self._count = count
        self._fields: dict[str, list] = {}

    def _field(self, fieldname: str) -> list:
        found = self._fields.get(fieldname)
        if found is None:
            length = self._reader.doc_field_length
            found = self._fields[fieldname] = [length(d, fieldname) for d in range(self._count)]
        return found

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        return self._field(fieldname)[docnum]

    def doc_field_length_reader(self, fieldname: str, default: int = 0):
        return self._field(fieldname).__getitem__


class _RunWriter:
    """A Whoosh writer for one run that fills segments of ``SEGMENT_DOCS``
    documents, writing out each full one in a background thread, and makes
    them all live in one commit (or none of them, on ``cancel``).

    ``update_document`` and ``delete_by_term`` act as Whoosh's: deletions
    reach the documents committed before the run. ``grams`` counts how many
    more documents hold each bigram once the run is committed (fewer, for
    those deleted), for the catalog.
    """

    def __init__(self, ix):
        self._ix = ix
        self._main = ix.writer(codec=CODEC)  # Whoosh's lock, deletions, the commit
        self._searcher = None
        self._unique = [name for name, field in self._main.schema.items() if field.unique]
        self._filling = None
        self._done: list = []  # segments written out
        self._flusher = ThreadPoolExecutor(1, thread_name_prefix="searchko-segment")
        self._flushing = None
        self.grams: Counter = Counter()
        self._deleted: set[int] = set()

    def update_document(self, **fields) -> None:
        for name in self._unique:
            if name in fields:
                self.delete_by_term(name, fields[name])
        if self._filling is None:
            self._filling = _SegmentWriter(self._ix, _lk=False, codec=CODEC)
        self._filling.add_document(**fields)
        self.grams.update(set(fields.get("grams", ())))
        if self._filling.docnum >= SEGMENT_DOCS:
            self._write_out()

    def delete_by_term(self, fieldname: str, text) -> int:
        searcher = self.searcher()
        count = 0
        for docnum in searcher.docs_for_query(Term(fieldname, text), for_deletion=True):
            if docnum in self._deleted:
                continue
            self._main.delete_document(docnum)
            self._deleted.add(docnum)
            stored = searcher.stored_fields(docnum)
            self.grams.subtract(set(bigrams(f"{stored.get('title', '')}\n{stored.get('body', '')}")))
            count += 1
        return count

    def searcher(self):
        """A searcher of the documents committed before the run, less those
        it deleted, opened once a run: through the index's own storage
        (``filestore``, which reads compound segments in place), not a new
        reader for each lookup as Whoosh's writer makes."""
        if self._searcher is None:
            main = self._main
            reader = whoosh.index.FileIndex._reader(main.storage, main.schema, main.segments, main.generation)
            self._searcher = Searcher(reader)  # (closing it closes the reader)
        return self._searcher

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def _write_out(self) -> None:
        self._wait()
        full, self._filling = self._filling, None
        self._flushing = self._flusher.submit(full._finalize_segment)

    def _wait(self) -> None:
        if self._flushing is not None:
            flushing, self._flushing = self._flushing, None
            self._done.append(flushing.result())

    def commit(self) -> None:
        self._close_searcher()
        try:
            if self._filling is not None:
                self._write_out()
            self._wait()
        except BaseException:
            self.cancel()
            raise
        self._flusher.shutdown()
        main = self._main
        # Whoosh's own commit, with the run's segments added: small older
        # segments are merged (an update of one document stays cheap), large
        # ones are left alone
        segments = main._merge_segments(None, None, None)
        if main._added:
            segments.append(main._finalize_segment())
        else:
            main._close_segment()
        main._commit_toc(segments + self._done)
        main._finish()

    @property
    def generation(self) -> int:
        """The generation the commit will make."""
        return self._main.generation

    def cancel(self) -> None:
        self._close_searcher()
        if self._flushing is not None:
            try:
                self._flushing.result()
            except Exception:  # noqa: BLE001 - cancelling anyway
                pass
        self._flusher.shutdown()
        if self._filling is not None:
            self._filling._close_segment()
        # the written-out segments' files are left to Whoosh's clean-up at
        # the next commit (as after a crash)
        if not self._main.is_closed:  # (a commit that failed after Whoosh's own closed it)
            self._main.cancel()


def check_lexicon(user: Lexicon | None) -> None:
    """Raise ``LexiconError`` now, not half-way through indexing, when Kiwi
    refuses a word or split of ``user`` (this loads the Kiwi indexing needs)."""
    if user is not None and (user.words or user.splits):
        analysis.get_kiwi(combined(user))


def _open_whoosh(folder: IndexFolder, generation: Path, check: bool):
    """The Whoosh index of ``generation`` and the user lexicon it was made with."""
    user = read_user_lexicon(generation)
    lexicon = combined(user)
    if check:
        check_fingerprint(generation, folder.path, lexicon)
    # the pickled analyzer names its lexicon by key: make it known first
    analysis.lexicon_key(lexicon)
    try:
        return filestore.open_dir(str(generation)), user
    except (ImportError, AttributeError) as e:  # the pickled analyzer is gone
        raise IndexMismatchError(f"index at {folder.path} cannot be read by this version ({e})") from None
    except whoosh.index.EmptyIndexError:
        raise IndexNotFoundError(f"no index at {folder.path} (its files are missing)") from None


def open_index(path: str | Path, *, create: bool = False, lexicon=None) -> Index:
    """Open the index at ``path``; with ``create=True`` make it if missing.
    ``lexicon`` as for ``Index.create`` and ``Index.open``."""
    if create and not IndexFolder(path).exists():
        return Index.create(path, lexicon=lexicon)
    return Index.open(path, lexicon=lexicon)
