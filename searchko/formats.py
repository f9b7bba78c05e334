"""How postings are written: positions packed for numpy, and a field that
keeps only its length.

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
from whoosh.formats import Characters, Frequency, tokens
from whoosh.system import pack_uint

__all__ = ["PackedCharacters", "LengthOnly", "LENGTH_TERM", "positions"]

#: The one term of a ``LengthOnly`` field.
LENGTH_TERM = "\x00"

_WIDTH = 12  # bytes an occurrence: three uint32
_LITTLE = sys.byteorder == "little"


def _packed(flat: list[int]) -> bytes:
    a = array("I", flat)
    if not _LITTLE:  # pragma: no cover - big-endian machines
        a.byteswap()
    return a.tobytes()


def _unpacked(value: bytes) -> list[int]:
    a = array("I")
    a.frombytes(value)
    if not _LITTLE:  # pragma: no cover
        a.byteswap()
    return a.tolist()


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
        flat = _unpacked(valuestring)
        out = []
        position = endchar = 0
        for i in range(0, len(flat), 3):
            position += flat[i]
            startchar = endchar + flat[i + 1]
            endchar = startchar + flat[i + 2]
            out.append((position, startchar, endchar))
        return out

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


def positions(blob: bytes, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How many positions each of the packed postings laid one after another
    in ``blob`` has (``starts``: where each begins, and the end), and all of
    them in order."""
    deltas = np.frombuffer(blob, dtype="<u4").reshape(-1, 3)[:, 0].astype(np.int64)
    counts = np.diff(starts.astype(np.int64)) // _WIDTH
    total = np.cumsum(deltas)
    if not len(total):
        return counts, total
    first = np.repeat(np.cumsum(counts) - counts, counts)  # each one's posting's first
    return counts, total - (total[first] - deltas[first])
