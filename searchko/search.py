"""Running a query: ranking, paging, and building the hits."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Iterator

from whoosh.collectors import TopCollector
from whoosh.reading import TermNotFound

from .errors import QueryError
from .analysis import bigrams
from .highlight import Snippet, make_snippets, merge_spans
from .query import QueryPlan, parse_query

__all__ = ["Hit", "Results", "search"]

SORTS = ("relevance", "date")
#: How many of the best morpheme matches the bigram evidence re-ranks.
RERANK_POOL = 50
#: Weight of the bigram score against the morpheme score (both scaled to 1).
BIGRAM_WEIGHT = 1.0
MAX_LIMIT = 1000

EMPTY_QUERY_HINT = "the query has no words to search for (only symbols or punctuation?)"


@dataclass(frozen=True)
class Hit:
    """One matching document. ``snippets`` are its best passages, best first."""

    id: str
    score: float
    title: str
    date: _dt.date | None
    source: str
    path: str
    snippets: tuple[Snippet, ...]
    title_highlights: tuple[tuple[int, int], ...] = ()
    url: str = ""

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
            "url": self.url,
            "score": round(self.score, 4),
            "title_highlights": [list(s) for s in self.title_highlights],
            "snippets": [s.to_dict() for s in self.snippets],
        }


@dataclass(frozen=True)
class Results:
    """The hits of one query: iterate it, index it, ``len()`` it.

    ``total`` counts every matching document, not only this page; ``hint``
    says why there is nothing when the query itself was empty.
    """

    query: str
    hits: tuple[Hit, ...]
    total: int
    offset: int = 0
    hint: str | None = None

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def __getitem__(self, i):
        return self.hits[i]

    def __bool__(self) -> bool:
        return bool(self.hits)


def _postings(reader, fieldname: str, term: str, docnums: list[int]):
    """(docnum, matcher) for each of the ascending ``docnums`` holding ``term``:
    one pass over its posting list."""
    try:
        m = reader.postings(fieldname, term)
    except TermNotFound:
        return
    for d in docnums:
        if not m.is_active():
            return
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                return
        if m.id() == d:
            yield d, m


def _spans(reader, docnums: list[int], fieldname: str, marks) -> dict[int, list[tuple[int, int]]]:
    """Per document, where in the stored field the query matched, from the
    character offsets in the postings: a mark's parts at consecutive
    positions (a phrase occurrence), or its one term anywhere."""
    marks = [parts for f, parts in marks if f == fieldname]
    found: dict[str, dict[int, dict[int, tuple[int, int]]]] = {}
    for term in {t for parts in marks for t in parts}:
        found[term] = {d: {p: (s, e) for p, s, e in m.value_as("characters")}
                       for d, m in _postings(reader, fieldname, term, docnums)}
    out = {}
    for d in docnums:
        spans = []
        for parts in marks:
            occurrences = [found[t].get(d) for t in parts]
            if not all(occurrences):
                continue
            first, rest = occurrences[0], occurrences[1:]
            for pos, (s, e) in first.items():
                if all(pos + i + 1 in later for i, later in enumerate(rest)):
                    spans.append((s, rest[-1][pos + len(rest)][1] if rest else e))
        out[d] = merge_spans(spans)
    return out


def _hits(searcher, ranked: list[tuple[int, float]], marks) -> tuple[Hit, ...]:
    docnums = sorted(d for d, _ in ranked)
    reader = searcher.reader()
    body_spans = _spans(reader, docnums, "body", marks)
    title_spans = _spans(reader, docnums, "title", marks)
    hits = []
    for docnum, score in ranked:
        stored = searcher.stored_fields(docnum)
        date = stored.get("date")
        hits.append(Hit(
            id=stored["id"],
            score=float(score),
            title=stored.get("title", ""),
            date=date.date() if isinstance(date, _dt.datetime) else date,
            source=stored.get("source", ""),
            path=stored.get("path", ""),
            url=stored.get("url", ""),
            snippets=make_snippets(stored.get("body", ""), body_spans[docnum]),
            title_highlights=tuple(title_spans[docnum]),
        ))
    return tuple(hits)


def search(index, query: str, *, limit: int = 10, offset: int = 0, sort: str = "relevance") -> Results:
    """Run ``query`` on ``index`` (see ``searchko.query`` for the syntax)."""
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r} (use {' or '.join(SORTS)})")
    if not 0 < limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
    if offset < 0:
        raise QueryError("offset must not be negative")
    plan = parse_query(query)
    if plan is None:
        return Results(query, (), 0, offset, EMPTY_QUERY_HINT)
    searcher = index.searcher()
    ranked = _rank(searcher, plan, offset + limit, sort)
    total = ranked.pop()
    hits = _hits(searcher, ranked[offset:], plan.marks)
    return Results(query, hits, total, offset)


def _top(searcher, query, limit: int):
    """The best ``limit`` matches of ``query``.

    Whoosh's collector by default swaps in "more efficient" matchers as the
    minimum score rises; with phrases under OR/ANDMAYBE that swap drops
    documents that belong in the top (a long question lost its best answer),
    so it is turned off, and block-quality skipping with it.
    """
    collector = TopCollector(limit=limit, usequality=False, replace=0)
    searcher.search_with_collector(query, collector)
    return collector.results()


def _rank(searcher, plan: QueryPlan, need: int, sort: str) -> list:
    """[(docnum, score), ...] best first, then the total number of matches."""
    if sort == "date":
        results = searcher.search(plan.match, limit=need, sortedby="date", reverse=True)
        return [(h.docnum, h.score or 0.0) for h in results] + [len(results)]
    pool = max(need, RERANK_POOL)
    tiers = []
    if plan.all_words is not None:
        # documents holding every word first
        tiers.append([(h.docnum, h.score) for h in _top(searcher, plan.all_words, pool)])
    seen = {d for tier in tiers for d, _ in tier}
    rest = _top(searcher, plan.match, pool + len(seen))
    tiers.append([(h.docnum, h.score) for h in rest if h.docnum not in seen])
    ranked = []
    for level, tier in enumerate(tiers):
        # re-ranked scores lie in [0, 1 + BIGRAM_WEIGHT]: lift each tier above
        # the next so that scores fall as the ranks do
        lift = (len(tiers) - 1 - level) * (1 + BIGRAM_WEIGHT)
        ranked.extend((d, s + lift) for d, s in _rerank(searcher, plan.text, tier))
        if len(ranked) >= need:
            break
    return ranked[:need] + [len(rest)]


def _rerank(searcher, text: str, candidates: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Re-rank morpheme matches with character-bigram BM25 on the same
    documents: evidence that does not depend on how Kiwi split the words.

    Both scores are scaled to the best candidate's and added
    (benchmarks/RESULTS.md has the measurements).
    """
    if not candidates:
        return candidates
    docnums = sorted(d for d, _ in candidates)
    gram_scores = dict.fromkeys(docnums, 0.0)
    reader = searcher.reader()
    for gram in set(bigrams(text)):
        scorer = None
        for d, m in _postings(reader, "grams", gram, docnums):
            scorer = scorer or searcher.weighting.scorer(searcher, "grams", gram)
            gram_scores[d] += scorer.score(m)
    top_morph = max(s for _, s in candidates) or 1.0
    top_gram = max(gram_scores.values()) or 1.0
    fused = [(d, s / top_morph + BIGRAM_WEIGHT * gram_scores[d] / top_gram) for d, s in candidates]
    fused.sort(key=lambda x: -x[1])
    return fused
