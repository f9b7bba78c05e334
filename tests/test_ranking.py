"""Scoring whole posting lists at once (searchko.ranking) ranks exactly as
Whoosh's own collector does: the same matches, the same count, the same
scores, on an index of several segments with deleted documents."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.collectors import TopCollector
from whoosh.codec.whoosh3 import W3Codec

import searchko
import searchko.index as index_module
from searchko import ranking
from searchko.query import filters, parse_query

from .conftest import DATA, ROOT

OPERATOR_QUERIES = [
    "한미동맹 OR 북한",
    '"연합 방위"',
    '"한미 동맹" 강화',
    "한미동맹 -북한",
    "동맹 NOT 미사일",
    "title:동맹 협력",
    "body:확장억제 한미",
    "(북한 OR 러시아) 파병",
    "북한 러시아 군사협력 파병 규탄",
    "주한미군 감축 논의가 다시 불거진 이유는 무엇인가",
    "한미일 안보협력 프리덤에지 훈련은 언제 처음 실시되었나",
    "USFK 北 DPRK",
]


@pytest.fixture(scope="module", params=["columns", "whoosh blocks"])
def segmented(request, tmp_path_factory):
    """The sample corpus in segments of 5, some documents deleted, some
    added after; posting blocks in searchko's columns, or in Whoosh's own
    layout (indexes made before them)."""
    path = tmp_path_factory.mktemp("ranking") / "ix"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(index_module, "SEGMENT_DOCS", 5)
        if request.param == "whoosh blocks":
            mp.setattr(index_module, "CODEC", W3Codec())
        with searchko.Index.create(path) as ix:
            ix.add(searchko.iter_documents([DATA]))
            ids = sorted(d.id for d in ix.documents())
            for doc_id in ids[::7]:
                ix.delete(doc_id)
            ix.add([{"id": "late-1", "title": "한미동맹 현대화", "body": "한미 동맹의 현대화와 연합 방위태세를 논의했다."},
                    {"id": "late-2", "body": "북한과 러시아의 군사협력에 대응해 한미일 안보협력을 강화한다."}])
    with searchko.open_index(path) as ix:
        assert len(ix.searcher().reader().leaf_readers()) > 3
        assert ix.searcher().reader().has_deletions()
        written = {type(segment.codec()) for segment in ix._ix._segments()}
        assert written == {W3Codec if request.param == "whoosh blocks" else index_module.CODEC.__class__}
        yield ix


def whoosh_top(searcher, query, limit):
    """Whoosh's ranking of ``query``. For ``a AND NOT b``: Whoosh's ranking
    of ``a`` without the documents of ``b``, as Whoosh's own AND NOT
    matcher lets some of them through, on an index of several segments."""
    if isinstance(query, wq.AndNot):
        excluded = set(searcher.docs_for_query(query.b))
        ranked, _ = whoosh_top(searcher, query.a, searcher.doc_count_all())
        kept = [(d, s) for d, s in ranked if d not in excluded]
        return kept[:limit], len(kept)
    collector = TopCollector(limit=limit, usequality=False, replace=0)
    searcher.search_with_collector(query, collector)
    results = collector.results()
    return [(h.docnum, h.score) for h in results], len(results)


def test_a_word_after_not_is_never_in_a_result(segmented):
    excluded = ("북한", "北", "DPRK")
    hits = segmented.search("한미동맹 -북한", limit=50)
    assert hits.total > 0
    assert not [h.id for h in hits if any(w in segmented.get(h.id).body for w in excluded)]


def assert_same(searcher, query, limit=20, terms=None):
    expected, expected_total = whoosh_top(searcher, query, limit)
    found = ranking.top(searcher, query, limit, terms)
    assert found is not None
    got, total = found
    assert total == expected_total
    assert ranking.count(searcher, query, terms) == expected_total  # (when only the count is wanted)
    assert [round(s, 9) for _, s in got] == [round(s, 9) for _, s in expected]
    # the same documents, save the order within a run of equal scores
    assert {(d, round(s, 9)) for d, s in got} == {(d, round(s, 9)) for d, s in expected}


def plans(ix, text):
    plan = parse_query(text, ix.lexicon)
    return [q for q in (plan.match, plan.all_words, plan.nearby) if q is not None] if plan else []


def variant_queries():
    lines = (ROOT / "benchmarks" / "variants.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line)["query"] for line in lines if line.strip()]


@pytest.mark.parametrize("text", OPERATOR_QUERIES + variant_queries())
def test_ranks_as_whoosh_does(segmented, text):
    searcher = segmented.searcher()
    shared: dict = {}  # as one search shares what it scored between its queries, whose parts are shared
    for query in plans(segmented, text):
        assert_same(searcher, query)
        assert_same(searcher, query, terms=shared)


@pytest.mark.parametrize("since, until", [("2025", None), (None, "2024-12"), ("2024-11-15", "2025-03"),
                                          ("2025-02", "2025-02"), ("2030", None)])
def test_date_ranges_match_as_whoosh_does(segmented, since, until):
    # documents without a date (late-1, late-2) and deleted ones are in none
    (query,) = filters(since=since, until=until)
    searcher = segmented.searcher()
    expected = sorted(searcher.docs_for_query(query))
    assert bool(expected) == (since != "2030")
    assert np.flatnonzero(ranking._Evaluator(ranking._tables(searcher))(query).match).tolist() == expected
    for text in (f"동맹 date:{since or until}", f"북한 -미사일 date:{since or until}"):
        for q in plans(segmented, text):
            assert_same(searcher, q)


WORDS = ["한미", "동맹", "한미동맹", "북한", "러시아", "파병", "연합", "방위", "안보", "협력", "미사일",
         "주한미군", "확장억제", "핵협의그룹", "정부", "발표", "강화", "훈련", "합의", "경제", "의", "을", "했다"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12),
       st.sampled_from(["", " OR ", '"', " -"]))
def test_ranks_random_queries_as_whoosh_does(segmented, words, joint):
    if joint == '"':
        text = '"' + " ".join(words[:3]) + '" ' + " ".join(words[3:])
    elif joint == " -":
        text = " ".join(words[:-1]) + " -" + words[-1] if len(words) > 1 else words[0]
    else:
        text = joint.join(words)
    searcher = segmented.searcher()
    for query in plans(segmented, text):
        assert_same(searcher, query, limit=7)


def test_scores_of_given_documents_are_whooshs(segmented):
    step = 3
    searcher = segmented.searcher()
    plan = parse_query("한미 동맹 연합 방위 태세", segmented.lexicon)
    docnums = list(range(0, searcher.doc_count_all(), step))
    expected = {}
    m = plan.nearby.matcher(searcher, searcher.context())
    for d in docnums:
        if m.is_active() and m.id() < d:
            m.skip_to(d)
        if m.is_active() and m.id() == d:
            expected[d] = m.score()
    got = ranking.scores(searcher, plan.nearby, docnums)
    assert got.keys() == expected.keys() and expected
    assert all(abs(got[d] - expected[d]) < 1e-9 for d in expected)


def test_a_query_it_does_not_score_is_left_to_whoosh(segmented):
    query = wq.Prefix("body", "동")
    assert ranking.top(segmented.searcher(), query, 10) is None
