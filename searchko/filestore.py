"""Whoosh's file storage, reading compound segment files in place.

Whoosh keeps each segment in one compound file (``*.seg``) and maps it into
memory, but each part it then opens (postings, term dictionary, columns)
becomes an ``io.BytesIO`` of that part, which copies it whole: opening a
searcher on 100,000 documents copied every segment's postings, over a
gigabyte and most of a cold search.

``FileStorage`` here hands Whoosh parts that read from the mapped file
itself: no copy, only the pages read are touched, and every searcher of the
process shares them. Whoosh's own code does the rest, so this works alike
with Whoosh 2.7.4 and whoosh3.
"""

from __future__ import annotations

import io
import mmap
import os
from pickle import load

from whoosh.filedb import filestore
from whoosh.filedb.structfile import BufferFile
from whoosh.index import _DEF_INDEX_NAME, FileIndex

__all__ = ["FileStorage", "open_dir", "create_in"]

_COMPOUND_SUFFIX = ".seg"
_PICKLE_WINDOW = 4096


class FileStorage(filestore.FileStorage):
    """Whoosh's ``FileStorage``; its compound segment files are read in place."""

    def __init__(self, path: str, readonly: bool = False):
        # without Whoosh's own mapping, a compound file's parts come from
        # ``subset`` of the file this storage opens: see ``open_file``
        super().__init__(path, supports_mmap=False, readonly=readonly)

    def open_file(self, name, **kwargs):
        if not name.endswith(_COMPOUND_SUFFIX) or kwargs:
            return super().open_file(name, **kwargs)
        with open(os.path.join(self.folder, name), "rb") as f:
            try:
                source = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # cannot be mapped (empty, say): Whoosh's way
                return super().open_file(name)
        return MappedFile(_Source(source), 0, len(source), name)


class _Source:
    """A mapped file, closed when its owner and every part opened from it are."""

    __slots__ = ("map", "users")

    def __init__(self, source: mmap.mmap):
        self.map = source
        self.users = 1

    def acquire(self) -> None:
        self.users += 1

    def release(self) -> None:
        self.users -= 1
        if self.users == 0:
            self.map.close()


class MappedFile(BufferFile):
    """A read-only Whoosh ``StructFile`` over ``length`` bytes at ``start`` of
    a mapped file, with a position of its own (parts are read by many readers
    at once, each with its own file)."""

    def __init__(self, source: _Source, start: int, length: int, name: str | None = None):
        self._source = source
        self._map = source.map
        self._start = start
        self._end = start + length
        self._pos = start
        self._name = name
        self.file = self  # what StructFile reads through: this class answers itself
        self.onclose = None
        self.is_real = False
        self.is_closed = False

    # -- the file interface StructFile's helpers read through -----------------

    def read(self, size: int | None = -1) -> bytes:
        pos = end = self._pos
        if size is None or size < 0 or pos + size > self._end:
            end = self._end
        else:
            end += size
        if end <= pos:
            return b""
        self._pos = end
        return self._map[pos:end]

    def readline(self, size: int | None = -1) -> bytes:
        end = self._end if size is None or size < 0 else min(self._pos + size, self._end)
        nl = self._map.find(b"\n", self._pos, end)
        return self.read((nl + 1 if nl >= 0 else end) - self._pos)

    def __iter__(self):
        while line := self.readline():
            yield line

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_SET:
            pos = self._start + offset
        elif whence == os.SEEK_CUR:
            pos = self._pos + offset
        elif whence == os.SEEK_END:
            pos = self._end + offset
        else:
            raise ValueError(f"invalid whence ({whence})")
        if pos < self._start:
            raise ValueError("negative seek position")
        self._pos = pos
        return pos - self._start

    def tell(self) -> int:
        return self._pos - self._start

    def read_pickle(self):
        # pickle.load(self) would call read() for every few bytes: unpickle
        # from a copy of what follows instead, a window growing until it
        # holds the whole pickle (a block's header is a few dozen bytes)
        pos, window = self._pos, _PICKLE_WINDOW
        while True:
            end = min(pos + window, self._end)
            buf = io.BytesIO(self._map[pos:end])
            try:
                value = load(buf)
            except Exception:
                if end == self._end:
                    raise
                window *= 16
                continue
            self._pos = pos + buf.tell()
            return value

    def raw_file(self):
        return self

    def flush(self) -> None:
        pass

    def write(self, *args, **kwargs):
        raise io.UnsupportedOperation("a segment file is read-only")

    write_pickle = truncate = write

    # -- positioned reads and parts ------------------------------------------

    def get(self, position: int, length: int) -> bytes:
        start = self._start + position
        return self._map[start:min(start + length, self._end)]

    def subset(self, position: int, length: int, name: str | None = None) -> "MappedFile":
        self._source.acquire()
        return MappedFile(self._source, self._start + position, length, name or self._name)

    def close(self) -> None:
        if self.is_closed:
            raise ValueError("This file is already closed")
        self.is_closed = True
        self._source.release()


def open_dir(path: str, indexname: str | None = None) -> FileIndex:
    """``whoosh.index.open_dir`` with this module's storage."""
    return FileIndex(FileStorage(path), indexname=indexname or _DEF_INDEX_NAME)


def create_in(path: str, schema, indexname: str | None = None) -> FileIndex:
    """``whoosh.index.create_in`` with this module's storage."""
    return FileIndex.create(FileStorage(path), schema, indexname or _DEF_INDEX_NAME)
