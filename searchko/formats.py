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
made before schema 2, are refused by their fingerprint.)

``ColumnCodec`` is Whoosh's codec with the posting blocks of those fields
laid out in columns: docnum deltas, occurrence counts, and the position,
start and length deltas, each as a run of the narrowest integers that hold
it, instead of a pickled tuple of Python numbers and one string a posting.
numpy then reads a block in place, with no unpickling (``block_arrays``),
and zlib packs the columns into less than half the bytes. Other fields'
blocks, and segments written before (each segment records its codec), are
Whoosh's as before.

``LengthOnly`` is the format of the bigram field: one posting a document,
weighted by the number of its bigrams, so that Whoosh keeps each document's
length and the field's total as before, without a posting for every bigram
(two thirds of all postings, and nearly half the time of indexing). Their
document frequencies are counted in the catalog instead (``catalog``).
"""

from __future__ import annotations

import io
import pickle
import struct
import sys
import zlib
from array import array
from pickle import dumps

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.formats import Characters, Frequency, tokens
from whoosh.reading import TermNotFound
from whoosh.system import pack_uint
from whoosh.util.numeric import length_to_byte

__all__ = ["PackedCharacters", "ColumnCodec", "LengthOnly", "LENGTH_TERM", "Postings", "segment_postings",
           "read_postings", "block_arrays", "positions", "characters", "starts", "ranges"]

#: The one term of a ``LengthOnly`` field.
LENGTH_TERM = "\x00"

_WIDTH = 12  # bytes an occurrence: three uint32
_LITTLE = sys.byteorder == "little"


def _little(a: array) -> bytes:
    """The bytes of ``a``, little-endian."""
    if not _LITTLE:  # pragma: no cover - big-endian machines
        a.byteswap()
    return a.tobytes()


def _packed(flat: list[int]) -> bytes:
    return _little(array("I", flat))


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


def positions(deltas: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """All positions of the postings whose position deltas are ``deltas``
    (the first column of their packed rows), ``counts`` a posting."""
    deltas = deltas.astype(np.int64)
    total = np.cumsum(deltas)
    if not len(total):
        return total
    first = np.repeat(np.cumsum(counts) - counts, counts)  # each one's posting's first
    return total - (total[first] - deltas[first])  # the running sum, started again each posting


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
_CODES = {1: "B", 2: "H", 4: "I"}
#: Blocks shorter than this are not compressed: zlib would only add to them.
_COMPRESS_FROM = 80


def _column(values) -> bytes:
    """``values`` (non-negative integers below 2**32) as the narrowest
    unsigned little-endian integers that hold them, after a byte saying
    their width. (The array module, not numpy: most blocks hold one or two
    postings, where numpy's overhead per call is most of the cost.)"""
    top = max(values, default=0)
    width = 1 if top < 256 else 2 if top < 65536 else 4
    return bytes((width,)) + _little(array(_CODES[width], values))


def _uncolumn(data: bytes, at: int, count: int, first: int = 0, length: int | None = None) -> tuple[np.ndarray, int]:
    """The column of ``count`` integers at ``at`` in ``data`` (or its
    ``length`` integers from the ``first`` on), and where the column ends."""
    dtype = _DTYPES[data[at]]
    end = at + 1 + count * dtype.itemsize
    length = count - first if length is None else length
    return np.frombuffer(data, dtype=dtype, count=length, offset=at + 1 + first * dtype.itemsize), end


class _ColumnWriter(W3PostingsWriter):
    """Whoosh's posting writer; the blocks of ``PackedCharacters`` fields go
    in columns, as bytes, where Whoosh pickles a tuple (ids, weights, values)
    of Python numbers and strings: the docnum deltas; each posting's count of
    occurrences; a byte, 1 when float32 weights follow (0: each weight is the
    count); then the position, start and length deltas of all occurrences.
    The block's header (its count, last docnum, ...) is Whoosh's, so Whoosh's
    matcher logic reads it as before."""

    def _write_block(self, last=False):
        if self._byteids or not isinstance(self._format, PackedCharacters):
            return super()._write_block(last)
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = self._columns()
        compression = self._compression if len(data) >= _COMPRESS_FROM else 0
        if compression:
            data = zlib.compress(data, compression)
        ids = self._ids
        info = dumps((len(ids), ids[-1], self._maxweight, compression,
                      length_to_byte(self._minlength), length_to_byte(self._maxlength)), 2)
        length = len(info) + len(data)
        self._postfile.write_int(-length if last else length)  # negative: the last block
        self._postfile.write(info)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()

    def _columns(self) -> bytes:
        ids, weights = self._ids, self._weights
        counts = [len(v) // _WIDTH for v in self._values]
        occurrences = array("I")
        occurrences.frombytes(b"".join(self._values))
        if not _LITTLE:  # pragma: no cover
            occurrences.byteswap()
        parts = [_column([ids[0]] + [b - a for a, b in zip(ids, ids[1:])]), _column(counts)]
        if weights.tolist() == counts:
            parts.append(b"\x00")
        else:
            parts.append(b"\x01" + _little(array("f", weights)))
        parts.extend(_column(occurrences[i::3]) for i in range(3))
        return b"".join(parts)


def _block_head(data: bytes, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The first columns of a block written by ``_ColumnWriter`` of
    ``count`` postings: docnum deltas (the first one absolute), counts of
    occurrences, weights (the counts themselves where the block has none),
    and where the occurrence columns start."""
    deltas, at = _uncolumn(data, 0, count)
    counts, at = _uncolumn(data, at, count)
    if data[at]:
        return deltas, counts, np.frombuffer(data, dtype="<f4", count=count, offset=at + 1), at + 1 + 4 * count
    return deltas, counts, counts, at + 1


def _read_columns(data: bytes, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A block written by ``_ColumnWriter`` of ``count`` postings: docnums,
    weights, counts of occurrences, and the occurrences' rows of deltas."""
    deltas, counts, weights, at = _block_head(data, count)
    counts = counts.astype(np.int64)
    total = int(counts.sum())
    columns = []
    for _ in range(3):
        column, at = _uncolumn(data, at, total)
        columns.append(column)
    return np.cumsum(deltas, dtype=np.int64), weights.astype(np.float64), counts, np.stack(columns, axis=1)


def block_arrays(m: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The current block of a matcher of a ``PackedCharacters`` field, in
    either layout: its docnums, weights, each posting's count of
    occurrences, and their packed deltas as rows of (position, start, length)."""
    if m._data is None:
        m._read_data()
    if isinstance(m, _ColumnMatcher):
        return m._data
    ids, _, values = m._data  # Whoosh's layout
    m._read_weights()
    counts = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) // _WIDTH
    occurrences = np.frombuffer(b"".join(values), dtype="<u4").reshape(-1, 3)
    return np.cumsum(np.asarray(ids, dtype=np.int64)), np.asarray(m._weights, dtype=np.float64), counts, occurrences


class _ColumnMatcher(W3LeafMatcher):
    """Whoosh's matcher over postings in columns (``_ColumnWriter``): a
    block's lists are made as Whoosh's own when Whoosh's methods ask."""

    def _read_data(self):
        data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        if self._compression:
            data = zlib.decompress(data)
        self._data = _read_columns(data, self._blocklength)

    def _read_ids(self):
        self._ids = tuple(block_arrays(self)[0].tolist())

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
        return _ColumnMatcher(dbfile, *_extent(terminfo), format_, term=term, scorer=scorer)


def _extent(terminfo) -> tuple[int, int]:
    """Where a term's postings are in the postings file, and their length."""
    offset, length = terminfo.extent()
    if isinstance(length, tuple):  # (Whoosh reads it back as the tuple struct unpacks)
        length = length[0]
    return offset, length


# -- a term's postings in a segment, read whole --------------------------------

#: Whoosh's block length prefix (``StructFile.write_int``).
_BLOCK_LENGTH = struct.Struct("!i")


class Postings:
    """A term's postings in one segment: ``ids`` (docnums, ascending) and
    ``weights``; in a ``PackedCharacters`` field (``packed``), their
    occurrences too: each posting's count of them, the position deltas of
    all, and the packed rows of some."""

    packed = False

    def __init__(self, ids: np.ndarray, weights: np.ndarray):
        self.ids = ids.astype(np.int32)
        self.weights = weights.astype(np.float32)

    def counts(self) -> np.ndarray:
        """Each posting's count of occurrences."""
        raise TypeError("these postings keep no occurrences")

    def position_deltas(self) -> np.ndarray:
        """The position delta of every occurrence, one posting after the other."""
        raise TypeError("these postings keep no occurrences")

    def occurrences(self, at: np.ndarray) -> np.ndarray:
        """The rows of packed (position, start, length) deltas of the
        postings at the ascending indexes ``at``, one posting after the other."""
        raise TypeError("these postings keep no occurrences")

    @property
    def nbytes(self) -> int:
        """What the postings hold in memory (roughly)."""
        return 200 + self.ids.nbytes + self.weights.nbytes


class _Rows(Postings):
    """Postings with their occurrences decoded."""

    packed = True

    def __init__(self, ids, weights, rows: np.ndarray, counts: np.ndarray):
        super().__init__(ids, weights)
        self._rows = rows
        self._starts = starts(counts)

    def counts(self):
        return np.diff(self._starts)

    def position_deltas(self):
        return self._rows[:, 0]

    def occurrences(self, at):
        return self._rows[ranges(self._starts[at], self._starts[at + 1] - self._starts[at])]

    @property
    def nbytes(self):
        return super().nbytes + self._rows.nbytes + self._starts.nbytes


class _Blocks(Postings):
    """Postings in columns (``_ColumnWriter``): each block's occurrence
    columns are kept as read (a few bytes an occurrence), and decoded only
    when asked for: scoring needs none, phrase checks need the positions,
    snippets the rows of a few documents."""

    packed = True

    def __init__(self, ids, weights, counts: np.ndarray, firsts: np.ndarray, blocks: list[tuple[bytes, int]]):
        super().__init__(ids, weights)
        self._counts = counts  # each posting's count of occurrences
        self._firsts = firsts  # each block's first posting, and the end
        self._blocks = blocks  # each block's bytes, and where its occurrences start in them
        self._read = sum(len(data) for data, _ in blocks)
        self._starts = None  # each posting's first occurrence, once asked for

    def counts(self):
        return self._counts

    def position_deltas(self):
        counts, firsts = self._counts.astype(np.int64), self._firsts.tolist()
        return np.concatenate([_uncolumn(data, offset, int(counts[a:b].sum()))[0]
                               for (data, offset), a, b in zip(self._blocks, firsts, firsts[1:])])

    def occurrences(self, at):
        # (a posting at a time: snippets ask for a few)
        if self._starts is None:  # each posting's first occurrence, counted over all blocks
            self._starts = starts(self._counts)
        firsts, begins, out = self._firsts, self._starts, []
        for i in at.tolist():
            b = int(np.searchsorted(firsts, i, side="right")) - 1
            data, offset = self._blocks[b]
            block = int(begins[firsts[b]])  # the block's first occurrence
            total, before, count = int(begins[firsts[b + 1]]) - block, int(begins[i]) - block, int(self._counts[i])
            columns = []
            for _ in range(3):
                column, offset = _uncolumn(data, offset, total, before, count)
                columns.append(column)
            out.append(np.stack(columns, axis=1))
        return np.concatenate(out) if out else np.zeros((0, 3), dtype=np.uint32)

    @property
    def nbytes(self):
        return super().nbytes + self._counts.nbytes + self._firsts.nbytes + self._read + 8 * len(self._counts)


def starts(counts: np.ndarray) -> np.ndarray:
    """Where each posting's occurrences start, ``counts`` a posting, one
    posting after the other; and, last, where they all end."""
    return np.concatenate([[0], np.cumsum(counts, dtype=np.int64)])


def ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indexes from ``starts[i]`` up to ``starts[i] + lengths[i]``, for each i in turn."""
    lengths = lengths.astype(np.int64)
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    return np.repeat(starts.astype(np.int64) - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)


def segment_postings(leaf, fieldname: str, text: bytes) -> Postings | None:
    """The postings of ``text`` in ``fieldname`` of one segment's reader,
    read whole (deleted documents included: the caller masks them); None
    when the segment lacks the term. Postings in columns are read straight
    from the postings file, without a Whoosh matcher."""
    packed = isinstance(leaf.schema[fieldname].format, PackedCharacters)
    terms = getattr(leaf, "_terms", None)
    if packed and isinstance(leaf.codec(), ColumnCodec) and hasattr(terms, "_postfile"):
        try:
            terminfo = terms.term_info(fieldname, text)
        except TermNotFound:
            return None
        if terminfo.is_inlined():  # (one posting, kept in the term dictionary)
            format_ = leaf.schema[fieldname].format
            return read_postings(leaf.codec().postings_reader(terms._postfile, terminfo, format_), True)
        return _read_blocks(terms._postfile.get(*_extent(terminfo)))
    try:
        return read_postings(leaf.postings(fieldname, text), packed)
    except TermNotFound:
        return None


def read_postings(m, packed: bool) -> Postings:
    """A term's postings in one segment, from its matcher (``leaf.postings``),
    read whole; with ``packed`` (a ``PackedCharacters`` field) with their
    occurrences. Deleted documents are included: the caller masks them."""
    if not hasattr(m, "_read_data") and hasattr(m, "child"):  # the filter of deleted documents,
        while not hasattr(m, "_read_data") and hasattr(m, "child"):
            m = m.child
        m.reset()  # which moved it past those at the start
    blocks = []
    if isinstance(m, W3LeafMatcher):  # Whoosh's blocks, or in columns
        while m.is_active():
            if packed:
                blocks.append(block_arrays(m))
            else:
                if m._data is None:
                    m._read_data()
                ids = np.asarray(m._data[0], dtype=np.int64)
                m._read_weights()
                blocks.append((ids if m._byteids else np.cumsum(ids), np.asarray(m._weights, dtype=np.float64)))
            m._next_block()
    else:  # any other matcher (inlined postings): one posting at a time
        while m.is_active():
            if packed:
                rows = np.frombuffer(m.value(), dtype="<u4").reshape(-1, 3)
                blocks.append(([m.id()], [m.weight()], [len(rows)], rows))
            else:
                blocks.append(([m.id()], [m.weight()]))
            m.next()
    if not blocks:  # (a matcher with no postings)
        blocks = [(np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int64),
                   np.zeros((0, 3), dtype=np.uint32))]
    parts = [np.concatenate(column) for column in zip(*blocks)]
    if not packed:
        return Postings(parts[0], parts[1])
    return _Rows(parts[0], parts[1], parts[3], parts[2])


def _read_blocks(raw: bytes) -> _Blocks:
    """The postings of one term written by ``_ColumnWriter`` (``raw``, from
    Whoosh's header on), every block in one pass: Whoosh's block header,
    then the columns; the occurrence columns are left as they are."""
    header = io.BytesIO(raw)
    deltas, counts, weights, lasts, blocks = [], [], [], [], []
    firsts = [0]
    at = len(WHOOSH3_HEADER_MAGIC)
    while True:
        length = _BLOCK_LENGTH.unpack_from(raw, at)[0]
        header.seek(at + _BLOCK_LENGTH.size)
        count, last_id, _, compression = pickle.load(header)[:4]
        start, at = header.tell(), at + _BLOCK_LENGTH.size + abs(length)
        data = raw[start:at]
        if compression:
            data = zlib.decompress(data)
        found = _block_head(data, count)
        deltas.append(found[0])
        counts.append(found[1])
        weights.append(found[2])
        blocks.append((data, found[3]))
        lasts.append(last_id)
        firsts.append(firsts[-1] + count)
        if length < 0:  # the last block
            break
    ids = np.concatenate(deltas).astype(np.int64)
    starts = np.array(firsts, dtype=np.int64)
    ids[starts[1:-1]] -= np.array(lasts[:-1], dtype=np.int64)  # each block's first docnum is absolute
    return _Blocks(np.cumsum(ids), np.concatenate(weights), np.concatenate(counts).astype(np.int32), starts, blocks)
