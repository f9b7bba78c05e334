"""A LangChain retriever over a searchko index (the ``langchain`` extra).

>>> from searchko.integrations.langchain import SearchkoRetriever
>>> retriever = SearchkoRetriever(index="index", k=4)            # doctest: +SKIP
>>> for doc in retriever.invoke("한미동맹"):                       # doctest: +SKIP
...     print(doc.metadata["score"], doc.metadata["title"], doc.page_content)
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from ..errors import MissingExtraError
from ..index import Index, open_index
from . import hit_metadata, hit_text

try:
    from langchain_core.callbacks import AsyncCallbackManagerForRetrieverRun, CallbackManagerForRetrieverRun
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever
    from langchain_core.runnables.config import run_in_executor
    from pydantic import Field
except ImportError:
    raise MissingExtraError("the LangChain retriever needs langchain-core: pip install 'searchko[langchain]'") from None

__all__ = ["SearchkoRetriever"]


class SearchkoRetriever(BaseRetriever):
    """Retrieves the ``k`` best documents of a searchko index for a query
    (searchko's query syntax: words, "phrases", OR, NOT, title:, date:…).

    ``index`` is the path of an index, opened for each query, or an open
    ``searchko.Index`` (faster for many queries; you close it). Each
    LangChain ``Document`` holds, as ``page_content``, the hit's highlighted
    passages joined by newlines (``content="snippets"``, the default; the
    title when the body is empty) or the whole stored body
    (``content="body"``); its ``metadata`` has ``id``, ``title``, ``date``
    (ISO 8601 or None), ``source``, ``path``, ``score`` and ``url``.
    ``invoke(query, k=3)`` overrides ``k`` for one call.
    """

    index: str | Path | Index
    k: int = Field(default=4, ge=1)
    content: Literal["snippets", "body"] = "snippets"

    def _search(self, ix: Index, query: str, k: int) -> list[Document]:
        return [Document(page_content=hit_text(ix, hit, self.content), metadata=hit_metadata(hit))
                for hit in ix.search(query, limit=k)]

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[Document]:
        k = self.k if k is None else k
        if isinstance(self.index, Index):
            return self._search(self.index, query, k)
        with open_index(self.index) as ix:
            return self._search(ix, query, k)

    async def _aget_relevant_documents(
        self, query: str, *, run_manager: AsyncCallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[Document]:
        return await run_in_executor(
            None, self._get_relevant_documents, query, run_manager=run_manager.get_sync(), k=k
        )
