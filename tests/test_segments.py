"""A run that fills several segments: every document is found, updates and
deletions reach them all, and a run that fails leaves the index as it was."""

from __future__ import annotations

import pytest

from searchko import index as index_module

WORDS = ["동맹", "방위비", "확장억제", "반도체", "사과", "폭염", "저출생"]


def docs(n: int, word_of=lambda i: WORDS[i % len(WORDS)]):
    return [{"id": f"d{i:02d}", "body": f"{i}번 문서는 {word_of(i)}에 관한 글이다."} for i in range(n)]


@pytest.fixture
def small_segments(monkeypatch):
    monkeypatch.setattr(index_module, "SEGMENT_DOCS", 3)
    monkeypatch.setattr(index_module, "BATCH_SIZE", 2)


def ids(ix, query):
    return sorted(h.id for h in ix.search(query, limit=50))


def test_a_run_of_several_segments_finds_every_document(small_segments, empty_index):
    assert empty_index.add(docs(20)) == 20
    assert len(empty_index) == 20
    assert ids(empty_index, "방위비") == [f"d{i:02d}" for i in range(20) if i % len(WORDS) == 1]
    assert {d.id for d in empty_index.documents()} == {f"d{i:02d}" for i in range(20)}


def test_updates_and_deletions_reach_documents_of_every_segment(small_segments, empty_index):
    empty_index.add(docs(20))
    # a second run replaces documents that were written in different segments
    empty_index.add([{"id": "d01", "body": "핵협의그룹 회의"}, {"id": "d15", "body": "핵협의그룹 성명"}])
    assert len(empty_index) == 20
    assert ids(empty_index, "핵협의그룹") == ["d01", "d15"]
    assert "d01" not in ids(empty_index, "방위비") and "d15" not in ids(empty_index, "방위비")
    assert empty_index.delete("d19") is True
    assert len(empty_index) == 19


def test_a_failing_run_leaves_the_index_as_it_was(small_segments, empty_index):
    empty_index.add(docs(4))

    def failing():
        yield from docs(10, word_of=lambda i: "핵협의그룹")
        raise RuntimeError("the source went away")

    with pytest.raises(RuntimeError):
        empty_index.add(failing())
    assert len(empty_index) == 4
    assert ids(empty_index, "핵협의그룹") == []
    # and the index takes the next run as usual
    assert empty_index.add(docs(9, word_of=lambda i: "핵협의그룹")) == 9
    assert len(empty_index) == 9
    assert len(ids(empty_index, "핵협의그룹")) == 9


def test_corrections_count_a_term_over_every_segment(small_segments, empty_index):
    empty_index.add(docs(20))
    vocabulary = empty_index.vocabulary()
    assert vocabulary.frequency("방위비") == len([i for i in range(20) if i % len(WORDS) == 1])
    assert vocabulary.frequency("문서") == 20
    hits = empty_index.search("방이비")  # a typo: searched as the term the segments hold
    assert hits.corrected == "방위비" and {h.id for h in hits} == {"d01", "d08", "d15"}
