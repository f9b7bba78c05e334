"""The LlamaIndex retriever (hand-written tests: LlamaIndex has no standard
retriever test suite)."""

from __future__ import annotations

import pytest

pytest.importorskip("llama_index.core", reason="needs the llamaindex extra")

import searchko  # noqa: E402
from searchko.integrations.llamaindex import SearchkoRetriever  # noqa: E402


def test_retrieves_the_best_hits_as_scored_nodes(data_index):
    nodes = SearchkoRetriever(data_index, similarity_top_k=3).retrieve("핵협의그룹")
    assert len(nodes) == 3
    first = nodes[0]
    assert first.node.node_id == "data/press/2025-03-12-mnd-ncg-4th-meeting.txt"
    assert first.metadata["title"].startswith("한미 핵협의그룹") and first.metadata["date"] == "2025-03-12"
    assert {"id", "title", "date", "source", "path", "score", "url"} <= first.metadata.keys()
    assert "핵협의그룹" in first.text
    assert [n.score for n in nodes] == sorted((n.score for n in nodes), reverse=True)


def test_an_open_index_and_the_whole_body(ix):
    nodes = SearchkoRetriever(ix, similarity_top_k=1, content="body").retrieve("러북 군사협력")
    assert nodes[0].text == ix.get(nodes[0].node.node_id).body


def test_nothing_found_and_bad_queries(data_index):
    retriever = SearchkoRetriever(data_index)
    assert retriever.retrieve("해양플랑크톤채집") == []
    with pytest.raises(searchko.QueryError):
        retriever.retrieve('"열린 따옴표')
    with pytest.raises(ValueError):
        SearchkoRetriever(data_index, similarity_top_k=0)
