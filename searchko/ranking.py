"""Scoring a query over whole posting lists at once.

Whoosh scores the documents a query matches one at a time, in Python: at
100,000 documents a common word matches tens of thousands of them, and a
query costs hundreds of milliseconds. Here the BM25F score of each term of a
query is computed over its whole posting list with numpy, as Whoosh computes
it (the same idf, field lengths, K1 and B, boosts and sums), for the queries
searchko builds: terms, phrases, date ranges, OR, AND and AND NOT, with
boosts.

A phrase is scored first as the AND of its words: Whoosh scores a phrase
match as the sum of its words' scores, so this is exact where the words are
side by side and an upper bound where they are not. The documents whose
score or match depends on a phrase are then checked, best upper bound
first, until the best ``limit`` are settled; the count of matches checks
the uncertain ones too. Queries with other parts are left to Whoosh:
``top`` returns None for them.

Reading the posting blocks is most of the cost, so the postings of recent
terms are kept, a segment at a time (``CACHE_BYTES``) and for the whole
index of a searcher (``TERM_BYTES``). Scoring needs only their docnums and
weights; the positions and character offsets of title and body
(``formats``) are decoded only for the documents a phrase check or a
snippet asks about.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from math import log

import numpy as np
from whoosh import query as wq

from . import formats

__all__ = ["top", "count", "scores", "characters", "field_lengths"]

#: Documents checked per round, as a multiple of those wanted.
CHECK_ROUND = 2
#: The key in a search's ``terms`` under which the parts of its queries are kept.
_PARTS = "parts"


@dataclass
class _Scores:
    """A query's scores over every document of the index (by docnum)."""

    upper: np.ndarray  # float64: the score, or an upper bound of it
    match: np.ndarray  # bool: matches, or may match (a phrase not checked)
    sure: np.ndarray | None = None  # bool: certainly matches (None: all of ``match``)
    exact: np.ndarray | None = None  # bool: ``upper`` is the score (None: everywhere)

    def sure_(self) -> np.ndarray:
        return self.match if self.sure is None else self.sure


class _Unsupported(Exception):
    pass


class _Tables:
    """What scoring needs of one searcher's index, read once: the documents
    not deleted and each field's lengths, as Whoosh stores them."""

    def __init__(self, searcher):
        self.searcher = searcher
        # (segment, its first docnum, what names its postings in the cache)
        self.leaves = [(leaf, offset, _segment_key(leaf)) for leaf, offset in _leaves(searcher.reader())]
        self.count = searcher.doc_count_all()
        live = np.ones(self.count, dtype=bool)
        for leaf, offset, _ in self.leaves:
            if leaf.has_deletions():
                n = leaf.doc_count_all()
                mask = np.zeros(n, dtype=bool)
                mask[np.fromiter(leaf.all_doc_ids(), dtype=np.int64)] = True
                live[offset:offset + n] = mask
        self.live = live
        self._lengths: dict[str, np.ndarray] = {}
        self._terms = _Kept(TERM_BYTES)  # (field, text): _Term
        self._lock = threading.Lock()

    def lengths(self, fieldname: str) -> np.ndarray:
        found = self._lengths.get(fieldname)
        if found is None:
            found = np.zeros(self.count, dtype=np.float64)
            for leaf, offset, _ in self.leaves:
                n = leaf.doc_count_all()
                found[offset:offset + n] = _leaf_lengths(leaf, fieldname, n)
            self._lengths[fieldname] = found
        return found

    def term(self, fieldname: str, text: bytes) -> "_Term":
        """The postings of ``text`` in ``fieldname`` over the whole index
        (deleted documents included), made of each segment's and kept for
        the searcher's life, the most recent ``TERM_BYTES`` bytes of them."""
        found = self._terms.get((fieldname, text))
        if found is None:
            found = _Term([(offset, p) for leaf, offset, segment in self.leaves
                           if (p := _CACHE.postings(leaf, segment, fieldname, text)) is not None and len(p.ids)])
            self._terms.put((fieldname, text), found)
        return found

    def _positions(self, fieldname: str, text: bytes, docnums: np.ndarray):
        """``_Term.positions`` of ``text`` (counted against the budget)."""
        term = self.term(fieldname, text)
        before = term.nbytes
        out = term.positions(docnums, fieldname)
        self._terms.grown((fieldname, text), term, before)
        return out

    def scores(self, fieldname: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
        """The documents not deleted holding ``text`` in ``fieldname``, and
        its score in each, as Whoosh's BM25F computes it (the same idf, field
        lengths, K1 and B); kept with the term."""
        term = self.term(fieldname, text)
        if term.scores is None:
            before = term.nbytes
            ids, weights = term.ids, term.weights
            live = self.live[ids]
            ids, weights = ids[live], weights[live].astype(np.float64)
            w, searcher = self.searcher.weighting, self.searcher
            B, K1 = w._field_B.get(fieldname, w.B), w.K1
            # Whoosh's idf, from the postings at hand (deleted documents count
            # in its document frequency too), not another lookup in each segment
            idf = log(self.count / (len(term.ids) + 1)) + 1 if len(ids) else 0.0
            avg = searcher.avg_field_length(fieldname) or 1
            lengths = self.lengths(fieldname)[ids]
            scores = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / avg)))
            with self._lock:
                if term.scores is None:
                    term.scores = ids, scores
                    term.nbytes += ids.nbytes + scores.nbytes
            self._terms.grown((fieldname, text), term, before)
        return term.scores

    def characters(self, fieldname: str, text: bytes, docnums: np.ndarray) -> dict[int, list]:
        """(position, start, end) of each occurrence of ``text`` in each of
        the ascending ``docnums`` holding it."""
        return self.term(fieldname, text).characters(docnums, fieldname)

    def side_by_side(self, fieldname: str, words: list[bytes], docnums: np.ndarray) -> np.ndarray:
        """Which of the ascending ``docnums`` have ``words`` at consecutive
        positions in ``fieldname``, as Whoosh's phrase matches them."""
        common = None  # (docnum, position) of the first word where each next one follows
        left = docnums  # the documents where the words so far follow each other
        for i, w in enumerate(words):
            ids, positions, counts = self._positions(fieldname, w, left)
            codes = ((np.repeat(ids, counts) << 32) | positions) - i
            common = codes if common is None else _intersect(common, codes)
            if not len(common):
                return np.zeros(len(docnums), dtype=bool)
            left = _distinct(common >> 32)
        out = np.zeros(len(docnums), dtype=bool)
        out[_within(docnums, left)] = True
        return out


class _Term:
    """A term's postings over the whole index: docnums (ascending) and
    weights; the positions of all its occurrences, decoded when first asked
    for and kept; and the character offsets of the documents asked for."""

    def __init__(self, parts: list[tuple[int, formats.Postings]]):
        self._parts = parts  # (first docnum of the segment, its postings)
        if parts:
            self.ids = np.concatenate([p.ids + np.int32(offset) for offset, p in parts])
            self.weights = np.concatenate([p.weights for _, p in parts])
        else:
            self.ids, self.weights = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        self._positions = self._starts = None
        self.scores = None  # (documents not deleted, BM25F scores): made by ``_Tables.scores``
        self.nbytes = 200 + self.ids.nbytes + self.weights.nbytes

    def _packed(self, fieldname: str) -> None:
        if not all(p.packed for _, p in self._parts):
            raise _Unsupported(fieldname)

    def positions(self, docnums: np.ndarray, fieldname: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Those of the ascending ``docnums`` holding the term, the positions
        of their occurrences, one document after the other, and each one's
        count of them."""
        if not len(self.ids) or not len(docnums):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        if self._positions is None:
            self._packed(fieldname)
            counts = np.concatenate([p.counts() for _, p in self._parts])
            deltas = np.concatenate([p.position_deltas() for _, p in self._parts])
            self._positions = formats.positions(deltas, counts).astype(np.int32)
            self._starts = formats.starts(counts).astype(np.int32)
            self.nbytes += self._positions.nbytes + self._starts.nbytes
        at = _within(self.ids, docnums)
        starts, counts = self._starts[at], self._starts[at + 1] - self._starts[at]
        return self.ids[at].astype(np.int64), self._positions[formats.ranges(starts, counts)].astype(np.int64), counts

    def characters(self, docnums: np.ndarray, fieldname: str) -> dict[int, list]:
        """(position, start, end) of each occurrence in each of the
        ascending ``docnums`` holding the term, decoded for them alone."""
        self._packed(fieldname)
        out: dict[int, list] = {}
        offsets = [offset for offset, _ in self._parts]
        for d in self.ids[_within(self.ids, docnums)].tolist():
            offset, p = self._parts[bisect_right(offsets, d) - 1]  # the segment holding d
            out[d] = formats.characters(p.occurrences(np.searchsorted(p.ids, [d - offset])))
        return out


def _within(ids: np.ndarray, docnums: np.ndarray) -> np.ndarray:
    """Where in the ascending ``ids`` those of the ascending ``docnums`` it holds are."""
    if not len(docnums) or not len(ids):
        return np.zeros(0, dtype=np.int64)
    at = np.minimum(np.searchsorted(ids, docnums), len(ids) - 1)
    return at[ids[at] == docnums]


def _distinct(ascending: np.ndarray) -> np.ndarray:
    """The distinct values of ``ascending``: ``np.unique`` of sorted values,
    without the import of ``numpy.ma`` that its first call (and
    ``np.isin``'s) makes, 20 ms of a cold search."""
    if not len(ascending):
        return ascending
    return ascending[np.concatenate(([True], ascending[1:] != ascending[:-1]))]


def _intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values of sorted ``a`` also in sorted ``b``."""
    return b[_within(b, a)]


_ABSENT = formats.Postings(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))


class _Kept:
    """Values by key, up to ``budget`` bytes of them (each value's
    ``nbytes``), the least recently used dropped first; for many threads."""

    def __init__(self, budget: int):
        self.budget = budget
        self._size = 0
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._values.get(key)
            if found is not None:
                self._values.move_to_end(key)
            return found

    def put(self, key, value) -> None:
        with self._lock:
            if key not in self._values:
                self._values[key] = value
                self._size += value.nbytes
            while self._size > self.budget and self._values:
                self._size -= self._values.popitem(last=False)[1].nbytes

    def grown(self, key, value, before: int) -> None:
        """Count what ``value`` came to hold since it held ``before`` bytes."""
        if value.nbytes != before:
            with self._lock:
                if self._values.get(key) is value:
                    self._size += value.nbytes - before


class _PostingCache(_Kept):
    """Postings of recently searched terms, a segment at a time (segments
    do not change; deletions are masked apart); terms a segment lacks are
    remembered too. The same common words come back query after query."""

    def postings(self, leaf, segment, fieldname: str, text: bytes) -> formats.Postings | None:
        """The postings of ``text`` in ``leaf`` (None when absent);
        ``segment`` names the leaf's postings for good (``_segment_key``)."""
        key = (segment, fieldname, text)
        found = self.get(key)
        if found is None:
            found = formats.segment_postings(leaf, fieldname, text) or _ABSENT
            if segment is not None:
                self.put(key, found)
        return None if found is _ABSENT else found


def _segment_key(leaf):
    """What names a segment's postings for good (None: nothing reliable)."""
    try:
        segment = leaf.segment()
        return (segment.segment_id(), leaf.doc_count_all())
    except AttributeError:
        return None


#: Bytes of postings kept a segment at a time, in all: 12 a posting, and the
#: occurrences of title and body as read (a few bytes each).
CACHE_BYTES = 96 * 2**20
#: Bytes of whole-index postings each searcher keeps (``_Term``): 8 a
#: posting, 12 with its score, and 8 an occurrence of the terms whose
#: positions were asked for.
TERM_BYTES = 128 * 2**20
_CACHE = _PostingCache(CACHE_BYTES)


def _leaves(reader):
    if reader.is_atomic():
        return [(reader, 0)]
    return reader.leaf_readers()


def _leaf_lengths(leaf, fieldname: str, n: int) -> np.ndarray:
    """The field lengths of one segment's documents, decoded as Whoosh's
    ``doc_field_length`` decodes them (a one-byte approximation)."""
    raw = _length_bytes(leaf, fieldname, n)
    if raw is None:
        return np.array([leaf.doc_field_length(d, fieldname, 0) or 0 for d in range(n)], dtype=np.float64)
    return _byte_lengths()[raw]


def _length_bytes(leaf, fieldname: str, n: int) -> np.ndarray | None:
    """The length bytes of a segment's field, read from Whoosh's column in
    one piece (None where the codec is not the one expected)."""
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return np.zeros(n, dtype=np.uint8)
        count = min(column._count, n)
        out = np.zeros(n, dtype=np.uint8)
        out[:count] = np.frombuffer(column._dbfile.get(column._basepos, count), dtype=np.uint8)
        return out
    except (AttributeError, ImportError, TypeError, ValueError):
        return None


_BYTE_LENGTHS: list = []


def _byte_lengths() -> np.ndarray:
    if not _BYTE_LENGTHS:
        from whoosh.util.numeric import byte_to_length

        _BYTE_LENGTHS.append(np.array([byte_to_length(b) if b else 0 for b in range(256)], dtype=np.float64))
    return _BYTE_LENGTHS[0]


def _tables(searcher) -> _Tables:
    tables = getattr(searcher, "_searchko_tables", None)
    if tables is None:
        tables = searcher._searchko_tables = _Tables(searcher)
    return tables


# -- evaluating a query tree ---------------------------------------------------


class _Evaluator:
    """Scores a query tree over every document with its phrases taken as
    the AND of their words, or, given ``docs`` (ascending docnums), exactly
    over those documents, phrases checked. ``terms`` caches each term's
    scores over the whole index for both."""

    def __init__(self, tables: _Tables, docs: np.ndarray | None = None, terms: dict | None = None):
        self.t = tables
        self.searcher = tables.searcher
        self.weighting = self.searcher.weighting
        self.docs = docs
        self.terms = {} if terms is None else terms
        # each part's scores, by id (the part kept beside them, so that the
        # id stays its own); over every document, kept in ``terms`` for the
        # next call of the search, whose queries share parts
        self._memo: dict[int, tuple] = self.terms.setdefault(_PARTS, {}) if docs is None else {}

    def __call__(self, q) -> _Scores:
        found = self._memo.get(id(q))
        if found is None or found[0] is not q:
            found = self._memo[id(q)] = (q, self._evaluate(q))
        return found[1]

    def _evaluate(self, q) -> _Scores:
        if isinstance(q, wq.Term):
            s = self._term(q.fieldname, q.text)
        elif isinstance(q, wq.Phrase):
            s = self._phrase(q)
        elif isinstance(q, wq.NumericRange):  # date ranges: each match scores 1 (times the boost)
            s = self._range(q)
        elif isinstance(q, wq.AndNot):
            s = self._and_not(self(q.a), self(q.b))
        elif type(q) in (wq.Or, wq.And) and getattr(q, "scale", None) is None and q.subqueries:
            if len(q.subqueries) == 1:  # Whoosh drops the boost of a one-part query too
                return self(q.subqueries[0])
            subs = [self(c) for c in q.subqueries]
            s = self._or(subs) if type(q) is wq.Or else self._and(subs)
        else:
            raise _Unsupported(q)
        if q.boost != 1.0:
            s = _Scores(s.upper * q.boost, s.match, s.sure, s.exact)
        return s

    def _term(self, fieldname: str, text: str) -> _Scores:
        key = (fieldname, text)
        found = self.terms.get(key)
        if found is None:
            found = self.terms[key] = self._term_scores(fieldname, text)
        if self.docs is None:
            return found
        return _Scores(found.upper[self.docs], found.match[self.docs])

    def _term_scores(self, fieldname: str, text: str) -> _Scores:
        upper = np.zeros(self.t.count, dtype=np.float64)
        match = np.zeros(self.t.count, dtype=bool)
        btext = self._bytes(fieldname, text)
        if btext is None:
            return _Scores(upper, match)
        w = self.weighting
        if type(w).__name__ != "BM25F" or not self.searcher.schema[fieldname].scorable:
            raise _Unsupported(fieldname)
        ids, scores = self.t.scores(fieldname, btext)
        upper[ids] = scores
        match[ids] = True
        return _Scores(upper, match)

    def _range(self, q) -> _Scores:
        # the documents holding a term of the field the range covers (Whoosh's
        # trie of each date), each term's postings read as a word's are:
        # Whoosh's matcher over them took seconds for a range of most years
        match = np.zeros(self.t.count, dtype=bool)
        reader = self.searcher.reader()
        for leaf in q.simplify(reader).leaves():
            if isinstance(leaf, wq.MultiTerm):  # a run of the trie's terms
                terms = leaf.expanded_terms(reader)
            elif isinstance(leaf, wq.Term):
                terms = [(leaf.fieldname, leaf.text)]
            elif leaf is wq.NullQuery:
                continue
            else:
                raise _Unsupported(q)
            for fieldname, text in terms:
                if not isinstance(text, bytes):
                    raise _Unsupported(q)
                match[self.t.term(fieldname, text).ids] = True
        match &= self.t.live
        if self.docs is not None:
            match = match[self.docs]
        return _Scores(match.astype(np.float64), match)

    def _bytes(self, fieldname: str, text: str) -> bytes | None:
        schema = self.searcher.schema
        if fieldname not in schema:
            return None
        try:
            return schema[fieldname].to_bytes(text)
        except ValueError:
            return None

    def _phrase(self, q) -> _Scores:
        s = self._and([self._term(q.fieldname, w) for w in q.words])
        if len(q.words) < 2:
            return s
        if self.docs is None:
            # the words are all there; side by side is checked later
            return _Scores(s.upper, s.match, np.zeros_like(s.match), ~s.match)
        match = s.match.copy()
        words = [self._bytes(q.fieldname, w) for w in q.words]
        match[match] = self.t.side_by_side(q.fieldname, words, self.docs[match])
        return _Scores(np.where(match, s.upper, 0.0), match)

    @staticmethod
    def _or(subs: list[_Scores]) -> _Scores:
        upper = _fold(np.add, [s.upper for s in subs])
        match = _fold(np.logical_or, [s.match for s in subs])
        return _Scores(upper, match, _any([s.sure for s in subs], subs), _all([s.exact for s in subs]))

    @staticmethod
    def _and(subs: list[_Scores]) -> _Scores:
        match = _fold(np.logical_and, [s.match for s in subs])
        upper = _fold(np.add, [s.upper for s in subs])
        upper[~match] = 0.0
        sure = None
        if any(s.sure is not None for s in subs):
            sure = _fold(np.logical_and, [s.sure_() for s in subs])
        exact = _all([s.exact for s in subs])
        if exact is not None:
            exact |= ~match  # some part surely fails
        return _Scores(upper, match, sure, exact)

    @staticmethod
    def _and_not(a: _Scores, b: _Scores) -> _Scores:
        match = a.match & ~b.sure_()
        upper = np.where(match, a.upper, 0.0)
        if b.sure is None and a.sure is None and a.exact is None:
            return _Scores(upper, match)
        sure = a.sure_() & ~b.match
        exact = (a.exact if a.exact is not None else np.ones_like(match)) & (b.sure_() | ~b.match)
        return _Scores(upper, match, sure, exact | ~match)


def _any(masks: list, subs: list[_Scores]) -> np.ndarray | None:
    """The OR of the ``sure`` masks (None when each is its ``match``)."""
    if all(m is None for m in masks):
        return None
    return _fold(np.logical_or, [s.sure_() for s in subs])


def _all(masks: list) -> np.ndarray | None:
    """The AND of the ``exact`` masks (None: true everywhere)."""
    given = [m for m in masks if m is not None]
    if not given:
        return None
    return _fold(np.logical_and, given)


def _fold(op, arrays: list[np.ndarray]) -> np.ndarray:
    """``op`` over ``arrays`` in turn, into a new array (no input changed)."""
    if len(arrays) == 1:
        return arrays[0].copy()
    out = op(arrays[0], arrays[1])
    for a in arrays[2:]:
        op(out, a, out=out)
    return out


def top(searcher, query, limit: int, terms: dict | None = None) -> tuple[list[tuple[int, float]], int] | None:
    """The best ``limit`` matches of ``query`` as (docnum, score), best
    first (equal scores: lower docnum first, as Whoosh), and the number of
    matches; None when the query has parts this module does not score.

    ``terms``: a dict shared by the calls of one search, which keeps each
    term's scores, and those of each part of the query over every document,
    for the next call."""
    found = _relaxed(searcher, query, terms)
    if found is None:
        return None
    s, exactly = found
    candidates = np.flatnonzero(s.match)
    sure = s.sure_()
    uncertain = ~sure if s.exact is None else ~s.exact | ~sure  # (by docnum)
    step = max(limit * CHECK_ROUND, 32)
    if not uncertain[candidates].any():
        return [(int(d), float(s.upper[d])) for d in _best(candidates, s.upper, limit)[:limit]], len(candidates)

    # best upper bound first, a round at a time, until no bound left can
    # beat the last of the best found
    scored: list[tuple[float, int]] = []
    order = _best(candidates, s.upper, 4 * step)
    for i in range(0, len(candidates), step):
        if i + step >= len(order) and len(order) < len(candidates):
            order = _best(candidates, s.upper, 4 * len(order))
        chunk = order[i:i + step]
        checked = chunk[uncertain[chunk]]
        exact = exactly(checked)
        docs = np.sort(checked)
        scored.extend((float(u), int(d)) for d, u in zip(docs[exact.match], exact.upper[exact.match]))
        scored.extend((float(s.upper[d]), int(d)) for d in chunk[~uncertain[chunk]])
        scored.sort(key=lambda r: (-r[0], r[1]))
        del scored[limit:]
        if len(scored) == limit and i + step < len(order) and scored[-1][0] > s.upper[order[i + step]]:
            break
    return [(d, score) for score, d in scored], _count(s, exactly)


def count(searcher, query, terms: dict | None = None) -> int | None:
    """The number of matches of ``query``, as ``top`` counts them; None
    when the query has parts this module does not score. ``terms``: as for
    ``top``."""
    found = _relaxed(searcher, query, terms)
    return None if found is None else _count(*found)


def _relaxed(searcher, query, terms: dict | None):
    """The scores of ``query`` over every document, its phrases taken as
    the AND of their words, and the function that scores it exactly over
    given documents; None when the query has parts this module does not score."""
    tables = _tables(searcher)
    relaxed = _Evaluator(tables, terms=terms)
    try:
        s = relaxed(query)
    except _Unsupported:
        return None

    def exactly(docnums: np.ndarray) -> _Scores:
        return _Evaluator(tables, np.sort(docnums), relaxed.terms)(query)

    return s, exactly


def _count(s: _Scores, exactly) -> int:
    """The matches: the certain ones, and those of the uncertain ones that match."""
    if s.sure is None:
        return int(np.count_nonzero(s.match))
    unsure = np.flatnonzero(s.match & ~s.sure)
    total = int(np.count_nonzero(s.sure & s.match))
    if len(unsure):
        total += int(np.count_nonzero(exactly(unsure).match))
    return total


def _best(candidates: np.ndarray, upper: np.ndarray, k: int) -> np.ndarray:
    """The best ``k`` or more of the ascending ``candidates`` by ``upper``,
    in rank order (equal: lower docnum first); all of those tied with the
    last, so that the result begins the order of all candidates."""
    if k < len(candidates):
        bounds = upper[candidates]
        candidates = candidates[bounds >= np.partition(bounds, len(bounds) - k)[len(bounds) - k]]
    return candidates[np.lexsort((candidates, -upper[candidates]))]


def scores(searcher, query, docnums: list[int], terms: dict | None = None) -> dict[int, float] | None:
    """The score of ``query`` in each of ``docnums`` it matches; None when
    the query has parts this module does not score. ``terms``: as for ``top``."""
    if not docnums:
        return {}
    docs = _distinct(np.sort(np.asarray(docnums, dtype=np.int64)))
    try:
        s = _Evaluator(_tables(searcher), docs, terms)(query)
    except _Unsupported:
        return None
    return {int(d): float(u) for d, u in zip(docs[s.match], s.upper[s.match])}


def field_lengths(searcher, fieldname: str) -> np.ndarray:
    """Each document's length of ``fieldname`` (by docnum), as Whoosh's
    ``doc_field_length`` gives it."""
    return _tables(searcher).lengths(fieldname)


def characters(searcher, fieldname: str, text: str, docnums: list[int]) -> dict[int, list] | None:
    """Where ``text`` is in each of the ascending ``docnums`` holding it:
    (position, start, end) of each occurrence; None where the postings keep
    no characters."""
    tables = _tables(searcher)
    try:
        btext = searcher.schema[fieldname].to_bytes(text)
        return tables.characters(fieldname, btext, np.asarray(docnums, dtype=np.int64))
    except (_Unsupported, KeyError, ValueError):
        return None
