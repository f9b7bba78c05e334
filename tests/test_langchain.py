"""The LangChain retriever: langchain-tests' standard retriever suite, then
what searchko adds (metadata, page content, an open index)."""

from __future__ import annotations

import importlib
import sys

import pytest

pytest.importorskip("langchain_core", reason="needs the langchain extra (pip install -e '.[test]')")
langchain_tests = pytest.importorskip("langchain_tests.integration_tests",
                                      reason="needs langchain-tests (pip install -e '.[test]')")

import searchko
from searchko.integrations.langchain import SearchkoRetriever

# the standard suite has an async test; it runs on asyncio through anyio's plugin
pytestmark = pytest.mark.anyio

_INDEX = {}


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture(autouse=True)
def _data_index(data_index):
    # the standard tests build the retriever from a property, not a fixture
    _INDEX["path"] = data_index


class TestSearchkoRetrieverStandard(langchain_tests.RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[SearchkoRetriever]:
        return SearchkoRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"index": _INDEX["path"]}

    @property
    def retriever_query_example(self) -> str:
        return "한미동맹"


def test_documents_carry_the_hit(data_index):
    docs = SearchkoRetriever(index=data_index).invoke("한미동맹")
    assert len(docs) == 4
    assert set(docs[0].metadata) == {"id", "title", "date", "source", "path", "score", "url"}
    assert "alliance" in docs[0].metadata["id"]
    scores = [d.metadata["score"] for d in docs]
    assert scores == sorted(scores, reverse=True)
    for doc in docs:
        assert "한미동맹" in doc.page_content.replace(" ", "").replace("·", "").replace("ㆍ", "")
        date = doc.metadata["date"]
        assert date is None or len(date) == 10 and date[4] == "-"


def test_same_hits_as_the_library(ix, data_index):
    docs = SearchkoRetriever(index=data_index, k=5).invoke("핵협의그룹")
    hits = ix.search("핵협의그룹", limit=5)
    assert [d.metadata["id"] for d in docs] == [h.id for h in hits]
    assert docs[0].page_content == "\n".join(s.text for s in hits[0].snippets)


def test_open_index_and_whole_body(ix):
    docs = SearchkoRetriever(index=ix, k=2, content="body").invoke("핵협의그룹")
    assert len(docs) == 2
    assert docs[0].page_content == ix.get(docs[0].metadata["id"]).body


def test_fewer_hits_than_k(ix, data_index):
    total = ix.search("핵협의그룹").total
    assert 0 < total < 50
    assert len(SearchkoRetriever(index=data_index, k=50).invoke("핵협의그룹")) == total  # not padded


async def test_ainvoke_with_k(data_index):
    docs = await SearchkoRetriever(index=data_index).ainvoke("한미동맹", k=2)
    assert len(docs) == 2


def test_bad_query_raises(data_index):
    with pytest.raises(searchko.QueryError):
        SearchkoRetriever(index=data_index).invoke('"한미동맹')


def test_missing_index(tmp_path):
    with pytest.raises(searchko.IndexNotFoundError):
        SearchkoRetriever(index=tmp_path / "none").invoke("동맹")


def test_missing_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "langchain_core.retrievers", None)
    monkeypatch.delitem(sys.modules, "searchko.integrations.langchain")
    with pytest.raises(searchko.MissingExtraError, match=r"pip install 'searchko\[langchain\]'"):
        importlib.import_module("searchko.integrations.langchain")
