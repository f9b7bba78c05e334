"""Searching through the Python API: Korean matching, operators, ranking."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

import searchko

from .conftest import ROOT

VARIANTS = {
    "whole": "정부는 한미동맹이 굳건하다고 밝혔다.",
    "genitive": "한미동맹의 미래를 논의하는 회의가 열렸다.",
    "spaced": "전문가들은 한미 동맹이 새 국면에 들어섰다고 본다.",
    "middot": "외교부는 한·미 동맹의 발전 방향을 설명했다.",
    "araea": "대통령실은 한ㆍ미동맹 강화를 강조했다.",
    "hyphen": "국회는 한-미 동맹 관련 결의안을 채택했다.",
    "apart": "한미 양국은 경제 분야에서도 협력하기로 했으며 동맹 관계를 넘어선다.",
    "other": "한국과 미국의 우호 관계는 오래되었다.",
    "unrelated": "농산물 가격 안정을 위한 대책이 발표되었다.",
}
EXACT = {"whole", "genitive", "araea"}
FOUND = EXACT | {"spaced", "middot", "hyphen"}


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    path = tmp_path_factory.mktemp("variants") / "index"
    with searchko.Index.create(path) as ix:
        ix.add({"id": k, "body": v} for k, v in VARIANTS.items())
    with searchko.open_index(path) as ix:
        yield ix


def ids(results):
    return [h.id for h in results]


def test_every_spelling_of_the_alliance_matches_and_exact_ones_rank_first(variants):
    found = ids(variants.search("한미동맹", limit=20))
    assert set(found) == FOUND
    assert set(found[: len(EXACT)]) == EXACT


@pytest.mark.parametrize("query", ["한미 동맹", "한·미 동맹", "한ㆍ미 동맹", "한미동맹의", "한미동맹을"])
def test_query_spellings_find_the_same_documents(variants, query):
    found = ids(variants.search(query, limit=20))
    assert FOUND <= set(found)
    assert "unrelated" not in found and "other" not in found
    # written side by side beats the two words far apart
    assert found.index("apart") > max(found.index(k) for k in FOUND) if "apart" in found else True


def test_highlights_land_on_the_words_as_written(variants):
    for hit in variants.search("한미동맹", limit=20):
        marked = [s.text[a:b] for s in hit.snippets for a, b in s.highlights]
        assert marked, hit.id
        for text in marked:
            assert text.replace(" ", "").replace("·", "").replace("ㆍ", "").replace("-", "") == "한미동맹", text


@pytest.fixture(scope="module")
def grammar(tmp_path_factory):
    docs = [
        {"id": "obj", "body": "양국은 동맹을 강화했다."},
        {"id": "subj", "body": "동맹이 흔들린다는 우려가 나왔다."},
        {"id": "with", "body": "일본은 미국과 동맹과 같은 관계를 맺고 있다."},
        {"id": "verb", "body": "정부는 협력을 강화하는 방안을 마련할 것이다."},
        {"id": "none", "body": "청년 일자리 정책을 발표했다."},
    ]
    path = tmp_path_factory.mktemp("grammar") / "index"
    with searchko.Index.create(path) as ix:
        ix.add(docs)
    with searchko.open_index(path) as ix:
        yield ix


def test_particles_never_decide_a_match(grammar):
    for query in ("동맹을", "동맹이", "동맹과", "동맹"):
        assert set(ids(grammar.search(query))) == {"obj", "subj", "with"}, query


def test_endings_never_decide_a_match(grammar):
    assert set(ids(grammar.search("강화했다"))) == {"obj", "verb"}
    assert set(ids(grammar.search("강화하다"))) == {"obj", "verb"}


def test_documents_with_all_words_rank_before_those_with_some(tmp_path):
    docs = [
        {"id": "some", "title": "방위비 방위비", "body": "방위비 분담 방위비 분담 방위비 분담 문제가 다시 불거졌다."},
        {"id": "all", "body": "길고 긴 협상 끝에 마침내 양국은 방위비 분담 협상을 타결했다고 발표하였다."},
        {"id": "one", "body": "협상이 타결되었다."},
    ]
    with searchko.Index.create(tmp_path / "ix") as index:
        index.add(docs)
        results = index.search("방위비 분담 타결")
        assert ids(results) == ["all", "some", "one"]
        assert results.total == 3


def test_long_question_gets_best_partial_matches(ix):
    results = ix.search("한미 양국이 핵협의그룹 회의에서 확장억제 강화에 대해 어떤 합의를 했나요?")
    assert results
    assert results[0].id == "data/press/2025-03-12-mnd-ncg-4th-meeting.txt"


def test_quoted_phrase_requires_adjacent_words(variants):
    assert "apart" not in ids(variants.search('"한미 동맹"', limit=20))
    assert "spaced" in ids(variants.search('"한미 동맹"', limit=20))


def test_or_and_not(grammar):
    assert set(ids(grammar.search("일자리 OR 흔들리다"))) == {"none", "subj"}
    assert set(ids(grammar.search("동맹 NOT 우려"))) == {"obj", "with"}
    assert set(ids(grammar.search("동맹 -일본"))) == {"obj", "subj"}
    assert set(ids(grammar.search('동맹 -"미국과 동맹"'))) == {"obj", "subj"}


def test_field_and_date_operators(ix):
    titled = ix.search("title:핵협의그룹")
    assert titled and all("핵협의그룹" in h.title for h in titled)
    sourced = ix.search("source:외교부 북한")
    assert sourced and all("외교부" in h.source for h in sourced)
    dated = ix.search("북한 date:2025")
    assert dated and all(h.date.year == 2025 for h in dated)
    since = ix.search("북한 date:>=2025-06-01")
    assert since and all(h.date >= dt.date(2025, 6, 1) for h in since)
    until = ix.search("북한 date:<2025-01")
    assert until and all(h.date < dt.date(2025, 1, 1) for h in until)
    span = ix.search("동맹 date:2024-10..2024-11")
    assert span and all(dt.date(2024, 10, 1) <= h.date <= dt.date(2024, 11, 30) for h in span)


def test_sort_by_date(ix):
    dates = [h.date for h in ix.search("동맹", sort="date", limit=20)]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("query", ['"열린 따옴표', "title:", 'source:"', "date:어제", "date:..", "NOT", "a OR", "OR b"])
def test_malformed_queries_raise_query_error(ix, query):
    with pytest.raises(searchko.QueryError):
        ix.search(query)


@pytest.mark.parametrize("query", ["", "   ", "?!", "…", "---", "((()))"])
def test_queries_without_words_answer_no_hits_with_a_hint(ix, query):
    results = ix.search(query)
    assert len(results) == 0 and results.total == 0 and results.hint


def test_hits_are_frozen_plain_dataclasses(ix):
    hit = ix.search("주한미군")[0]
    assert dataclasses.is_dataclass(hit)
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.score = 0
    for value in dataclasses.asdict(hit).values():
        assert type(value).__module__ in ("builtins", "datetime"), type(value)
    json.dumps(hit.to_dict(), ensure_ascii=False)


def test_snippet_highlights_are_inside_their_text(ix):
    for query in ("한미동맹", "러북 군사협력", "北 미사일", "NCG", "반도체 공급망"):
        for hit in ix.search(query, limit=5):
            assert hit.snippets
            for s in hit.snippets:
                for a, b in s.highlights:
                    assert 0 <= a < b <= len(s.text)


QUERIES = json.loads((ROOT / "tests" / "data_queries.json").read_text("utf-8")) if (ROOT / "tests" / "data_queries.json").exists() else []


@pytest.mark.parametrize("case", QUERIES, ids=[c["query"] for c in QUERIES])
def test_written_queries_find_their_document_first(ix, case):
    found = ids(ix.search(case["query"], limit=10))
    assert found and found[0] == case["first"], found[:3]
    for other in case.get("also", []):
        assert other in found


def test_since_until_and_source_filters(ix):
    for hit in ix.search("북한", since="2025-06", limit=50):
        assert hit.date >= dt.date(2025, 6, 1)
    for hit in ix.search("북한", until=dt.date(2024, 12, 31), limit=50):
        assert hit.date <= dt.date(2024, 12, 31)
    both = ix.search("북한", since="2025", until="2025-03", source="국방부", limit=50)
    assert both and all(h.source == "국방부" and dt.date(2025, 1, 1) <= h.date <= dt.date(2025, 3, 31) for h in both)
    listed = ix.search("", source="외교부", sort="date", limit=50)  # filters alone list documents
    assert listed.total >= 3 and all("외교부" in h.source for h in listed)
    assert [h.date for h in listed] == sorted((h.date for h in listed), reverse=True)
    with pytest.raises(searchko.QueryError):
        ix.search("북한", since="2025-13")
    with pytest.raises(searchko.QueryError):
        ix.search("북한", since="2025-06", until="2025-01")


def test_explain_says_which_terms_matched_where_and_their_share(ix):
    hit = ix.search("러북 군사협력", limit=1, explain=True)[0]
    e = hit.explanation
    assert e.terms == ("러+북", "군사+협력") and e.tier == "all words"
    assert e.morpheme_score > 0 and e.bigram_score > 0
    assert abs(hit.score - (1 + 1) - sum(e.scaled)) < 1e-3  # the all-words tier is lifted by 2
    assert {p.field for p in e.parts} >= {"title", "body"}
    assert abs(sum(p.share for p in e.parts) - 1) < 0.01
    body = next(p for p in e.parts if p.term == "러+북" and p.field == "body")
    assert body.matched and all(m.replace("·", "") in ("러북", "북러") for m in body.matched)
    assert ix.search("러북 군사협력", limit=1)[0].explanation is None
