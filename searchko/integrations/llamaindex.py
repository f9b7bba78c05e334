"""A LlamaIndex retriever over a searchko index (the ``llamaindex`` extra).

>>> from searchko.integrations.llamaindex import SearchkoRetriever
>>> retriever = SearchkoRetriever("index", similarity_top_k=4)     # doctest: +SKIP
>>> for node in retriever.retrieve("한미동맹"):                      # doctest: +SKIP
...     print(node.score, node.metadata["title"], node.text)
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from ..errors import MissingExtraError
from ..index import Index, open_index
from . import hit_metadata, hit_text

try:
    from llama_index.core.retrievers import BaseRetriever
    from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
except ImportError:
    raise MissingExtraError("the LlamaIndex retriever needs llama-index-core: "
                            "pip install 'searchko[llamaindex]'") from None

__all__ = ["SearchkoRetriever"]


class SearchkoRetriever(BaseRetriever):
    """Retrieves the ``similarity_top_k`` best documents of a searchko index
    for a query (searchko's query syntax). ``index`` is the path of an
    index, opened for each query, or an open ``searchko.Index`` (you close
    it). Each node's text and metadata are those of the LangChain retriever
    (see ``searchko.integrations``); its id is the document's id and its
    score the hit's."""

    def __init__(self, index: str | Path | Index, similarity_top_k: int = 4,
                 content: Literal["snippets", "body"] = "snippets", **kwargs):
        if similarity_top_k < 1:
            raise ValueError("similarity_top_k must be at least 1")
        if content not in ("snippets", "body"):
            raise ValueError("content is 'snippets' or 'body'")
        self._index = index
        self._top_k = similarity_top_k
        self._content = content
        super().__init__(**kwargs)

    def _nodes(self, ix: Index, query: str) -> list[NodeWithScore]:
        return [
            NodeWithScore(node=TextNode(id_=hit.id, text=hit_text(ix, hit, self._content),
                                        metadata=hit_metadata(hit)), score=hit.score)
            for hit in ix.search(query, limit=self._top_k)
        ]

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        if isinstance(self._index, Index):
            return self._nodes(self._index, query_bundle.query_str)
        with open_index(self._index) as ix:
            return self._nodes(ix, query_bundle.query_str)
