"""How postings are written: positions packed for numpy, posting blocks in
columns, and a field that keeps only its length.

Whoosh's ``Characters`` format pickles each posting's list of (position,
start, end) deltas, so reading the positions of a common word means one
unpickling per document: at 100,000 documents the phrase checks of one
query unpickled a hundred thousand of them. ``PackedCharacters`` writes the
same deltas as little-endian 32-bit integers instead, three per occurrence,
and the postings of a whole term then decode with a few numpy operations
(``positions``). Whoosh reads the format through its usual
methods, so everything else works alike. (Indexes with Whoosh's own format,
made before schema 2, are refused by their fingerprint; ``ranking`` still
reads that format, per posting.)

``ColumnCodec`` is Whoosh's codec with the posting blocks of those fields
laid out in columns: docnum deltas, occurrence counts, and the position,
start and length deltas, each as one string of the narrowest integers that
hold it, instead of a pickled tuple of Python numbers and one string a
posting. A block then unpickles as five strings, numpy reads them in place
(``block_arrays``), and zlib packs the columns to about half the bytes.
Other fields' blocks, and segments written before (their codec is recorded
with them), are Whoosh's as before.

``LengthOnly`` is the format of the bigram field: one posting a document,
weighted by the number of its bigrams, so that Whoosh keeps each document's
length and the field's total as before, without a posting for every bigram
(two thirds of all postings, and nearly half the time of indexing). Their
document frequencies are counted in the catalog instead (``catalog``).
"""

from __future__ import annotations

import sys
from array import array

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.formats import Characters, Frequency, tokens
from whoosh.system import pack_uint

__all__ = ["PackedCharacters", "ColumnCodec", "LengthOnly", "LENGTH_TERM", "block_arrays", "positions",
           "characters"]

#: The one term of a ``LengthOnly`` field.
LENGTH_TERM = "\x00"

_WIDTH = 12  # bytes an occurrence: three uint32
_LITTLE = sys.byteorder == "little"


def _packed(flat: list[int]) -> bytes:
    a = array("I", flat)
    if not _LITTLE:  # pragma: no cover - big-endian machines
        a.byteswap()
    return a.tobytes()


class PackedCharacters(Characters):
    """Whoosh's ``Characters`` (positions and character offsets), each
    posting's deltas packed as uint32 triples (position, start, length)."""

    def encode(self, poslist) -> bytes:
        flat: list[int] = []
        posbase = charbase = 0
        for pos, startchar, endchar in poslist:
            flat += (pos - posbase, startchar - charbase, endchar - startchar)
            posbase, charbase = pos, endchar
        return _packed(flat)

    def decode_characters(self, valuestring: bytes) -> list[tuple[int, int, int]]:
        return characters(np.frombuffer(valuestring, dtype="<u4").reshape(-1, 3))

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return [p for p, _, _ in self.decode_characters(valuestring)]

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // _WIDTH


class LengthOnly(Frequency):
    """One posting a document, of ``LENGTH_TERM``, its frequency the number
    of the field's tokens: the field's length, and nothing else. A list
    given as the value is taken as its tokens, without the analyzer."""

    def word_values(self, value, analyzer, **kwargs):
        n = len(value) if isinstance(value, (list, tuple)) else sum(1 for _ in tokens(value, analyzer, kwargs))
        if n:
            yield (LENGTH_TERM, n, n * self.field_boost, pack_uint(n))


def _segmented_cumsum(deltas: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The running sums of ``deltas``, started again at each posting
    (``counts``: how many of them each posting has)."""
    total = np.cumsum(deltas)
    if not len(total):
        return total
    first = np.repeat(np.cumsum(counts) - counts, counts)  # each one's posting's first
    return total - (total[first] - deltas[first])


def positions(occurrences: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """All positions of the postings whose packed (position, start, length)
    deltas are the rows of ``occurrences``, ``counts`` rows a posting."""
    return _segmented_cumsum(occurrences[:, 0].astype(np.int64), counts)


def characters(rows: np.ndarray) -> list[tuple[int, int, int]]:
    """(position, start, end) of one posting's rows of packed deltas."""
    out = []
    position = endchar = 0
    for dpos, dstart, length in rows.tolist():
        position += dpos
        startchar = endchar + dstart
        endchar = startchar + length
        out.append((position, startchar, endchar))
    return out


# -- posting blocks in columns -------------------------------------------------

_DTYPES = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 4: np.dtype("<u4")}


def _column(a: np.ndarray) -> bytes:
    """``a`` (non-negative integers below 2**32) as the narrowest unsigned
    integers that hold it, after a byte saying their width."""
    top = int(a.max()) if len(a) else 0
    width = 1 if top < 256 else 2 if top < 65536 else 4
    return bytes((width,)) + a.astype(_DTYPES[width]).tobytes()


def _uncolumn(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=_DTYPES[data[0]], offset=1)


class _ColumnWriter(W3PostingsWriter):
    """Whoosh's posting writer; the blocks of ``PackedCharacters`` fields go
    in columns. Whoosh pickles (ids, weights, values) a block: here the ids
    are a column of deltas, the weights None when each is the posting's
    count of occurrences (else float32), the values a tuple of columns."""

    def _columns(self) -> bool:
        return not self._byteids and isinstance(self._format, PackedCharacters)

    def _counts(self) -> np.ndarray:
        return np.fromiter(map(len, self._values), dtype=np.int64, count=len(self._values)) // _WIDTH

    def _mini_ids(self):
        if not self._columns():
            return super()._mini_ids()
        return _column(np.diff(np.frombuffer(self._ids, dtype=np.uint32), prepend=0))

    def _mini_weights(self):
        if not self._columns():
            return super()._mini_weights()
        weights = np.frombuffer(self._weights, dtype=np.float32)
        return None if np.array_equal(weights, self._counts()) else weights.astype("<f4").tobytes()

    def _mini_values(self):
        if not self._columns():
            return super()._mini_values()
        occurrences = np.frombuffer(b"".join(self._values), dtype="<u4").reshape(-1, 3)
        return (_column(self._counts()),) + tuple(_column(occurrences[:, i]) for i in range(3))


def block_arrays(m: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The current block of a matcher of a ``PackedCharacters`` field, in
    either layout: its docnums, weights, each posting's count of
    occurrences, and their packed deltas as rows of (position, start, length)."""
    if m._data is None:
        m._read_data()
    ids, weights, values = m._data
    if isinstance(m, _ColumnMatcher):
        counts = _uncolumn(values[0]).astype(np.int64)
        occurrences = np.stack([_uncolumn(v) for v in values[1:]], axis=1)
        ids = np.cumsum(_uncolumn(ids), dtype=np.int64)
        weights = counts.astype(np.float64) if weights is None else np.frombuffer(weights, "<f4").astype(np.float64)
        return ids, weights, counts, occurrences
    # Whoosh's layout
    ids = np.cumsum(np.asarray(ids, dtype=np.int64)) if not m._byteids else np.asarray(ids)
    m._read_weights()
    counts = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) // _WIDTH
    occurrences = np.frombuffer(b"".join(values), dtype="<u4").reshape(-1, 3)
    return ids, np.asarray(m._weights, dtype=np.float64), counts, occurrences


class _ColumnMatcher(W3LeafMatcher):
    """Whoosh's matcher over postings in columns (``_ColumnWriter``): a
    block's lists are made as Whoosh's own when Whoosh's methods ask."""

    def _read_ids(self):
        if self._data is None:
            self._read_data()
        self._ids = tuple(np.cumsum(_uncolumn(self._data[0]), dtype=np.int64).tolist())

    def _read_weights(self):
        self._weights = block_arrays(self)[1].tolist()

    def _read_values(self):
        _, _, counts, occurrences = block_arrays(self)
        blob = occurrences.astype("<u4").tobytes()
        ends = (np.cumsum(counts) * _WIDTH).tolist()
        self._values = tuple(blob[a:b] for a, b in zip([0] + ends, ends))


class ColumnCodec(W3Codec):
    """Whoosh's codec, with the posting blocks of ``PackedCharacters``
    fields in columns (``_ColumnWriter``, ``_ColumnMatcher``)."""

    def postings_writer(self, dbfile, byteids=False):
        return _ColumnWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                             compression=self._compression, inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined() or not isinstance(format_, PackedCharacters):
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return _ColumnMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)
