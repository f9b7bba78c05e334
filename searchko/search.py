"""Running a query: ranking, paging, and building the hits."""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass
from math import log
from typing import Iterator, NamedTuple

from whoosh.collectors import TopCollector
from whoosh.reading import TermNotFound
from whoosh.scoring import bm25

from . import correction, ranking
from .analysis import bigram_counts, bigrams, normalize
from .correction import Correction
from .errors import QueryError
from .highlight import Snippet, make_snippets, merge_spans
from .query import QueryPlan, filters, parse_query, restrict

__all__ = ["Explanation", "Hit", "Results", "TermScore", "search"]

SORTS = ("relevance", "date")
#: How many of the best morpheme matches the bigram evidence re-ranks.
RERANK_POOL = 50
#: How many base matches, as a multiple of those wanted, get the bonus for
#: query words side by side before the final choice.
NEARBY_WINDOW = 2
#: Weight of the bigram score against the morpheme score (both scaled to 1).
BIGRAM_WEIGHT = 1.0
#: Weight of a query bigram that reaches into a particle or an ending (맹을,
#: 었어, 어요) against one within a term: evidence, but weaker.
ENDING_GRAM_WEIGHT = 0.75
MAX_LIMIT = 1000

EMPTY_QUERY_HINT = "the query has no words to search for (only symbols or punctuation?)"


@dataclass(frozen=True)
class TermScore:
    """One query term's (or phrase's) part in a hit's morpheme score."""

    term: str  # as the query analysed it: 한미+동맹 is the phrase of 한미 and 동맹
    field: str
    score: float
    share: float  # of the morpheme score
    matched: tuple[str, ...]  # what it matched in that field, as written


@dataclass(frozen=True)
class Explanation:
    """Why a hit ranks where it does (``search(..., explain=True)``)."""

    terms: tuple[str, ...]  # the analysed query
    tier: str  # "all words" ranks before "some words" for keyword queries
    morpheme_score: float  # BM25F of the morpheme query
    bigram_score: float  # BM25 of the query's character bigrams
    scaled: tuple[float, float]  # both scaled to the best candidate's; the hit's score adds them
    parts: tuple[TermScore, ...]

    def to_dict(self) -> dict:
        return asdict(self)


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
    explanation: Explanation | None = None

    def to_dict(self) -> dict:
        extra = {"explanation": self.explanation.to_dict()} if self.explanation else {}
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
            **extra,
        }


@dataclass(frozen=True)
class Results:
    """The hits of one query: iterate it, index it, ``len()`` it.

    ``total`` counts every matching document, not only this page; ``hint``
    says why there is nothing when the query itself was empty. When typos
    were corrected, ``corrected`` is the query that was searched instead of
    ``query`` and ``corrections`` lists the words changed.
    """

    query: str
    hits: tuple[Hit, ...]
    total: int
    offset: int = 0
    hint: str | None = None
    corrected: str | None = None
    corrections: tuple[Correction, ...] = ()

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
        return iter(())
    return _at(m, docnums)


def _at(matcher, docnums: list[int]):
    """(docnum, matcher) for each of the ascending ``docnums`` that
    ``matcher`` matches, skipping the rest: one pass."""
    for d in docnums:
        if not matcher.is_active():
            return
        if matcher.id() < d:
            matcher.skip_to(d)
            if not matcher.is_active():
                return
        if matcher.id() == d:
            yield d, matcher


def _spans(searcher, docnums: list[int], fieldname: str, marks) -> dict[int, list[tuple[int, int]]]:
    """Per document, where in the stored field the query matched, from the
    character offsets in the postings: a mark's parts at consecutive
    positions (a phrase occurrence), or its one term anywhere."""
    marks = [parts for f, parts in marks if f == fieldname]
    found: dict[str, dict[int, dict[int, tuple[int, int]]]] = {}
    for term in {t for parts in marks for t in parts}:
        chars = ranking.characters(searcher, fieldname, term, docnums)
        if chars is None:
            chars = {d: m.value_as("characters") for d, m in _postings(searcher.reader(), fieldname, term, docnums)}
        found[term] = {d: {p: (s, e) for p, s, e in c} for d, c in chars.items()}
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


def _hits(searcher, ranked: list, plan: QueryPlan, explain: bool) -> tuple[Hit, ...]:
    docnums = sorted(r.docnum for r in ranked)
    body_spans = _spans(searcher, docnums, "body", plan.marks)
    title_spans = _spans(searcher, docnums, "title", plan.marks)
    hits = []
    for r in ranked:
        docnum = r.docnum
        stored = r.stored if r.stored is not None else searcher.stored_fields(docnum)
        date = stored.get("date")
        explanation = None
        if explain:
            where = {f: sorted({stored.get(f, "")[a:b] for a, b in spans[docnum]})
                     for f, spans in (("title", title_spans), ("body", body_spans))}
            explanation = _explain(searcher, plan, r, where)
        hits.append(Hit(
            id=stored["id"],
            score=float(r.score),
            title=stored.get("title", ""),
            date=date.date() if isinstance(date, _dt.datetime) else date,
            source=stored.get("source", ""),
            path=stored.get("path", ""),
            url=stored.get("url", ""),
            snippets=make_snippets(stored.get("body", ""), body_spans[docnum]),
            title_highlights=tuple(title_spans[docnum]),
            explanation=explanation,
        ))
    return tuple(hits)


def search(
    index,
    query: str,
    *,
    limit: int = 10,
    offset: int = 0,
    sort: str = "relevance",
    since=None,
    until=None,
    source: str | None = None,
    explain: bool = False,
    exact: bool = False,
) -> Results:
    """Run ``query`` on ``index`` (see ``searchko.query`` for the syntax),
    keeping documents dated from ``since`` to ``until`` (both included) and
    from ``source`` when they are given; with ``explain`` each hit says why
    it ranks where it does.

    Unless ``exact``, typos are corrected (``searchko.correction``): words
    typed in English keyboard mode and initials-only words before searching,
    misspelt words when the query finds little; ``Results.corrected`` then
    holds the query searched."""
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r} (use {' or '.join(SORTS)})")
    if not 0 < limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
    if offset < 0:
        raise QueryError("offset must not be negative")
    extra = filters(since, until, source, index.lexicon)
    text, corrections = (query, ()) if exact else correction.correct_input_forms(index, query)
    plan = restrict(parse_query(text, index.lexicon), extra)
    if plan is None:
        return Results(query, (), 0, offset, EMPTY_QUERY_HINT)
    searcher = index.searcher()
    frequencies = index.catalog.gram_frequencies
    ranked, total = _rank(searcher, plan, offset + limit, sort, frequencies)
    if not exact and total < correction.FEW_HITS:
        fixed, more = correction.correct_spelling(index, text, total)
        fixed_plan = restrict(parse_query(fixed, index.lexicon), extra) if more else None
        if fixed_plan is not None:
            fixed_ranked, fixed_total = _rank(searcher, fixed_plan, offset + limit, sort, frequencies)
            if fixed_total > total:  # a correction that finds no more is not made
                text, corrections = fixed, corrections + more
                plan, ranked, total = fixed_plan, fixed_ranked, fixed_total
    return Results(query, _hits(searcher, ranked[offset:], plan, explain), total, offset,
                   corrected=text if corrections else None, corrections=corrections)


def _top(searcher, query, limit: int, nearby=None, terms=None) -> tuple[list[tuple[int, float]], int]:
    """The best ``limit`` matches of ``query`` as (docnum, score), best
    first, and the number of matches.

    ``ranking`` scores whole posting lists at once; queries it does not
    score go to Whoosh's collector. That collector by default swaps in "more
    efficient" matchers as the minimum score rises; with phrases under
    OR/ANDMAYBE that swap drops documents that belong in the top (a long
    question lost its best answer), so it is turned off, and block-quality
    skipping with it.

    The ``nearby`` bonus (query words side by side) is added to the best
    ``NEARBY_WINDOW`` times ``limit`` matches only, which are then ranked
    again: running its phrase matchers along every match cost most of a
    query's time.
    """
    window = limit if nearby is None else limit * NEARBY_WINDOW
    found = ranking.top(searcher, query, window, terms)
    if found is None:  # a query ranking does not score: Whoosh's collector
        collector = TopCollector(limit=window, usequality=False, replace=0)
        searcher.search_with_collector(query, collector)
        results = collector.results()
        found = [(h.docnum, h.score) for h in results], len(results)
    top, total = found
    if nearby is not None and top:
        bonus = _scores(searcher, nearby, sorted(d for d, _ in top), terms)
        # a stable sort: equal scores keep their order (lower docnum first)
        top = sorted(((d, s + bonus.get(d, 0.0)) for d, s in top), key=lambda r: -r[1])
    return top[:limit], total


def _scores(searcher, query, docnums: list[int], terms=None) -> dict[int, float]:
    """The score of ``query`` in each of the ascending ``docnums`` it matches."""
    found = ranking.scores(searcher, query, docnums, terms)
    if found is None:
        found = {d: m.score() for d, m in _at(query.matcher(searcher, searcher.context()), docnums)}
    return found


class _Ranked(NamedTuple):
    docnum: int
    score: float  # what the hit shows: fused, lifted by its tier
    morphemes: float  # BM25F of the morpheme query
    bigrams: float  # BM25 of the character bigrams
    scale: tuple[float, float]  # the best candidate's morpheme and bigram scores
    tier: str
    stored: dict | None = None  # its stored fields, when re-ranking read them


def _rank(searcher, plan: QueryPlan, need: int, sort: str, frequencies) -> tuple[list[_Ranked], int]:
    """The best ``need`` matches, best first, and the number of matches;
    ``frequencies`` gives the document frequencies of bigrams."""
    if sort == "date":
        results = searcher.search(plan.match, limit=need, sortedby="date", reverse=True)
        # the score Whoosh reports here is the sort key: hits show none
        ranked = [_Ranked(h.docnum, 0.0, 0.0, 0.0, (1.0, 1.0), "by date") for h in results]
        return ranked, len(results)
    pool = max(need, RERANK_POOL)
    terms: dict = {}  # each term's scores, for both tiers
    tiers = []
    if plan.all_words is not None:
        # documents holding every word first
        tiers.append(("all words", _top(searcher, plan.all_words, pool, plan.nearby, terms)[0]))
    levels = len(tiers) + 1
    seen = {d for _, tier in tiers for d, _ in tier}
    # when the first tier fills the page, the rest is only counted
    total = ranking.count(searcher, plan.match, terms) if tiers and len(seen) >= need else None
    if total is None:
        rest, total = _top(searcher, plan.match, pool + len(seen), plan.nearby, terms)
        tiers.append(("some words" if tiers else "", [(d, s) for d, s in rest if d not in seen]))
    # (with no match, there are no documents to count bigrams in)
    idf = _bigram_idf(searcher, plan, frequencies) if any(tier for _, tier in tiers) else {}
    ranked: list[_Ranked] = []
    for level, (name, tier) in enumerate(tiers):
        # re-ranked scores lie in [0, 1 + BIGRAM_WEIGHT]: lift each tier above
        # the next so that scores fall as the ranks do
        lift = (levels - 1 - level) * (1 + BIGRAM_WEIGHT)
        ranked.extend(r._replace(score=r.score + lift, tier=name)
                      for r in _rerank(searcher, plan, tier, idf))
        if len(ranked) >= need:
            break
    return ranked[:need], total


def _bigram_idf(searcher, plan: QueryPlan, frequencies) -> dict[str, float]:
    """Whoosh's idf of each bigram of the query, from its document frequency
    in the catalog (``frequencies``)."""
    wanted = set(bigrams(plan.text)) if plan.text else set()
    count = searcher.doc_count_all()
    df = frequencies(wanted)
    return {g: log(count / (df.get(g, 0) + 1)) + 1 for g in wanted}


def _rerank(searcher, plan: QueryPlan, candidates: list[tuple[int, float]], idf: dict[str, float]) -> list[_Ranked]:
    """Re-rank morpheme matches with character-bigram BM25 on the same
    documents: evidence that does not depend on how Kiwi split the words.
    Bigrams reaching into particles and endings count ``ENDING_GRAM_WEIGHT``.
    ``idf``: of each bigram of the query (``_bigram_idf``).

    Both scores are scaled to the best candidate's and added
    (benchmarks/RESULTS.md has the measurements).
    """
    if not candidates:
        return []
    # BM25F as Whoosh's, over the grams field's lengths
    w = searcher.weighting
    B, K1 = w._field_B.get("grams", w.B), w.K1
    avg = searcher.avg_field_length("grams") or 1
    lengths = ranking.field_lengths(searcher, "grams")
    gram_scores, stored_fields = {}, {}
    for d, _ in candidates:
        # the bigrams' frequencies from the stored text the field was made of
        # (see index._fields)
        stored = stored_fields[d] = searcher.stored_fields(d)
        counts = bigram_counts(f"{stored.get('title', '')}\n{stored.get('body', '')}", idf)
        length = float(lengths[d])
        score = 0.0
        for gram, tf in counts.items():
            weight = 1.0 if gram in plan.content_grams else ENDING_GRAM_WEIGHT
            score += weight * bm25(idf[gram], tf, length, avg, B, K1)
        gram_scores[d] = score
    top_morph = max(s for _, s in candidates) or 1.0
    top_gram = max(gram_scores.values()) or 1.0
    fused = [
        _Ranked(d, s / top_morph + BIGRAM_WEIGHT * gram_scores[d] / top_gram, s, gram_scores[d],
                (top_morph, top_gram), "", stored_fields[d])
        for d, s in candidates
    ]
    fused.sort(key=lambda r: -r.score)
    return fused


def _explain(searcher, plan: QueryPlan, r: _Ranked, docnum_marks) -> Explanation:
    """Which query terms matched the document where, and their share of the
    morpheme score; the bigram score beside it."""
    parts = []
    for label, fieldname, query in plan.scored:
        matcher = query.matcher(searcher, searcher.context())
        if matcher.is_active():
            matcher.skip_to(r.docnum)
        if matcher.is_active() and matcher.id() == r.docnum:
            score = matcher.score()
            word = label.replace("+", "")
            matched = tuple(m for m in docnum_marks.get(fieldname, ())
                            if word in normalize(m)[0].lower().replace(" ", ""))
            parts.append(TermScore(label, fieldname, round(score, 4),
                                   round(score / r.morphemes, 4) if r.morphemes else 0.0, matched))
    return Explanation(
        terms=tuple(plan.terms),
        tier=r.tier,
        morpheme_score=round(r.morphemes, 4),
        bigram_score=round(r.bigrams, 4),
        scaled=(round(r.morphemes / r.scale[0], 4), round(BIGRAM_WEIGHT * r.bigrams / r.scale[1], 4)),
        parts=tuple(sorted(parts, key=lambda p: -p.score)),
    )
