"""The HTTP API and the search page: a thin FastAPI layer over the library.

``create_app(index_path)`` makes the app; ``serve()`` runs it with uvicorn
(``searchko serve``). Every endpoint is read-only. The index is opened once
and used by one worker thread: searchko's ``Index`` keeps a Whoosh searcher
and a SQLite catalog per thread, so one thread means one of each, and
searches run one at a time. At most ``MAX_PENDING`` requests wait for it;
the next waits ``WAIT_SECONDS`` for a place, then gets 503.

Needs the ``server`` extra (FastAPI and uvicorn).
"""

from __future__ import annotations

import datetime as _dt
import re
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Callable, Literal, TypeVar

from . import __version__
from .errors import MissingExtraError, QueryError, SearchkoError
from .index import Index, open_index

try:
    import uvicorn
    from fastapi import FastAPI, Query
    from fastapi.concurrency import run_in_threadpool
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import FileResponse, JSONResponse
    from fastapi.staticfiles import StaticFiles
    from pydantic import BaseModel, Field
    from starlette.exceptions import HTTPException
    from starlette.middleware.trustedhost import TrustedHostMiddleware
except ImportError:
    raise MissingExtraError("serving over HTTP needs FastAPI and uvicorn: pip install 'searchko[server]'") from None

__all__ = ["create_app", "serve"]

STATIC = Path(__file__).parent / "static"

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
MAX_QUERY_CHARS = 500
MAX_LIMIT = 100
MAX_OFFSET = 10_000
#: Requests being served or queued for the index at once.
MAX_PENDING = 4
#: How long a request beyond those waits for a place before a 503.
WAIT_SECONDS = 5.0
#: The query that loads Kiwi and opens the searcher at start-up.
WARM_QUERY = "한미동맹"

# The page and its files come from this server only; nothing inline runs.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"

T = TypeVar("T")


# -- response models (the shapes of the library's to_dict()) --------------------


class Error(BaseModel):
    error: str
    hint: str | None


class Snippet(BaseModel):
    text: str
    highlights: list[tuple[int, int]]


class Hit(BaseModel):
    """``Hit.to_dict()``: the same object as a line of ``search --json``."""

    id: str
    path: str
    title: str
    date: _dt.date | None
    source: str
    url: str
    score: float
    title_highlights: list[tuple[int, int]]
    snippets: list[Snippet]


class SearchResults(BaseModel):
    query: str
    corrected: str | None
    total: int
    hits: list[Hit]


class StoredDocument(BaseModel):
    """``Document.to_dict()`` plus every file the document was found in."""

    id: str
    title: str
    date: _dt.date | None
    source: str
    path: str
    url: str
    categories: list[str]
    body: str
    paths: list[str]


class Stats(BaseModel):
    """``IndexStats.to_dict()``."""

    path: str
    documents: int
    files: int
    terms: dict[str, int]
    size_bytes: int
    sources: dict[str, int]
    first_date: _dt.date | None
    last_date: _dt.date | None
    formats: dict[str, int]
    roots: list[str]
    updated: str | None = Field(description="The last update, local time, ISO 8601 without a zone.")
    fingerprint: dict[str, Any]


class Health(BaseModel):
    status: Literal["ok"]
    documents: int


def _errors(*codes: int) -> dict:
    described = {400: "A malformed query or parameter", 404: "No such document",
                 503: "The index cannot be opened, or the server is busy"}
    return {code: {"model": Error, "description": described[code]} for code in codes}


# -- errors: mapped to responses here and nowhere else ---------------------------------


class HTTPError(Exception):
    """An error answered with ``status`` and ``{"error": message, "hint": hint}``."""

    def __init__(self, status: int, message: str, hint: str | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.hint, self.headers = status, message, hint, headers


def _status_of(error: SearchkoError) -> int:
    # a bad query is the client's; anything else from the library (missing,
    # mismatched or unsafe index) means the index cannot be served
    return 400 if isinstance(error, QueryError) else 503


def _error(status: int, message: str, hint: str | None = None, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "hint": hint}, status_code=status, headers=headers)


def _validation_message(error: RequestValidationError) -> str:
    first = error.errors()[0]
    name = ".".join(str(part) for part in first.get("loc", ())[1:]) or "request"
    return f"{name}: {first.get('msg', 'invalid')}"


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SearchkoError)
    async def searchko_error(request, e: SearchkoError):
        return _error(_status_of(e), str(e), e.hint)

    @app.exception_handler(HTTPError)
    async def http_error(request, e: HTTPError):
        return _error(e.status, e.message, e.hint, e.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request, e: RequestValidationError):
        return _error(400, _validation_message(e))

    @app.exception_handler(HTTPException)
    async def framework_error(request, e: HTTPException):  # unknown path, wrong method
        return _error(e.status_code, str(e.detail), headers=getattr(e, "headers", None))

    @app.exception_handler(Exception)
    async def internal_error(request, e: Exception):
        return _error(500, "internal error", "see the server's log")


# -- the index, used by one thread ------------------------------------------------------------


class _IndexService:
    """The one open index and the one thread that uses it."""

    def __init__(self, path: Path):
        self.path = path
        self._index: Index | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="searchko-index")
        self._places = threading.BoundedSemaphore(MAX_PENDING)

    def run(self, work: Callable[[Index], T]) -> T:
        """``work(index)`` in the index thread; 503 when too many wait."""
        if not self._places.acquire(timeout=WAIT_SECONDS):
            raise HTTPError(503, "the server is busy", "try again in a moment", {"Retry-After": "1"})
        try:
            return self._worker.submit(self._call, work).result()
        finally:
            self._places.release()

    def _call(self, work: Callable[[Index], T]) -> T:
        if self._index is None:  # at start-up, or again after a failure
            self._index = open_index(self.path)
        return work(self._index)

    def close(self) -> None:
        def close_index():
            if self._index is not None:
                self._index.close()
                self._index = None

        self._worker.submit(close_index).result()


# -- the app ----------------------------------------------------------------------------------


def _iso_date(name: str, value: str | None) -> _dt.date | None:
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{name}: {value!r} is not a date (use YYYY-MM-DD)") from None


def create_app(index_path: str | Path, *, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The search page and the read-only JSON API over the index at ``index_path``.

    The index is opened (and Kiwi loaded, by one query) at start-up; if it
    cannot be opened, every request answers 503 until it can.
    ``allowed_hosts`` limits the Host header (against DNS rebinding).
    """
    service = _IndexService(Path(index_path))

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            await run_in_threadpool(service.run, lambda ix: ix.search(WARM_QUERY, limit=1))
        except (SearchkoError, HTTPError):
            pass  # answered as 503s until the index can be opened
        yield
        await run_in_threadpool(service.close)

    app = FastAPI(
        title="searchko",
        version=__version__,
        summary="Korean full-text search: a read-only API over one index.",
        lifespan=lifespan,
        # FastAPI's /docs and /redoc pages load their scripts from a CDN
        docs_url=None,
        redoc_url=None,
    )
    _add_error_handlers(app)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)

    @app.middleware("http")
    async def security_headers(request, call_next):
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.get("/search", response_model=SearchResults, responses=_errors(400, 503))
    def search(
        q: str = Query(..., max_length=MAX_QUERY_CHARS,
                       description='The query: words, "a phrase", OR, NOT, -word, title:, source:, date:2025.'),
        limit: int = Query(10, ge=1, le=MAX_LIMIT, description="Number of hits."),
        offset: int = Query(0, ge=0, le=MAX_OFFSET, description="Skip this many hits (paging)."),
        sort: Literal["relevance", "date"] = Query("relevance", description="relevance, or date (newest first)."),
        since: str | None = Query(None, pattern=_ISO_DATE, description="Documents of this date (YYYY-MM-DD) or later."),
        until: str | None = Query(None, pattern=_ISO_DATE, description="Documents of this date (YYYY-MM-DD) or earlier."),
        source: str | None = Query(None, max_length=200, description="Documents whose source has these words."),
        exact: bool = Query(False, description="Search as typed: no typo or keyboard-mode correction."),
    ):
        """Ranked hits; each is exactly a line of `search --json`. `corrected` is
        the query searched instead of `q` when typos were corrected, else null."""
        since_date, until_date = _iso_date("since", since), _iso_date("until", until)
        results = service.run(lambda ix: ix.search(q, limit=limit, offset=offset, sort=sort,
                                                   since=since_date, until=until_date, source=source or None,
                                                   exact=exact))
        return {"query": q, "corrected": results.corrected, "total": results.total,
                "hits": [hit.to_dict() for hit in results]}

    @app.get("/documents/{doc_id:path}", response_model=StoredDocument, responses=_errors(404, 503))
    def document(doc_id: str):
        """A stored document, as `searchko show --json` prints it."""
        doc, paths = service.run(lambda ix: (ix.get(doc_id), ix.paths(doc_id)))
        if doc is None:
            raise HTTPError(404, f"no document {doc_id!r}")
        return {**doc.to_dict(), "paths": paths or ([doc.path] if doc.path else [])}

    @app.get("/stats", response_model=Stats, responses=_errors(503))
    def stats():
        """What `searchko stats --json` prints."""
        return service.run(lambda ix: ix.stats().to_dict())

    @app.get("/healthz", response_model=Health, responses=_errors(503))
    def healthz():
        """Whether the index can be read, and how many documents it holds."""
        return {"status": "ok", "documents": service.run(len)}

    @app.get("/", include_in_schema=False)
    def page():
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # parameters are answered with 400, never FastAPI's 422: keep the schema true
    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = FastAPI.openapi(app)
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    operation.get("responses", {}).pop("422", None)
            for name in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(name, None)
        return app.openapi_schema

    app.openapi = openapi
    return app


# -- running it -----------------------------------------------------------------------------


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise SearchkoError(f"cannot listen on {host}:{port} ({e.strerror or e})",
                            "choose another --port, or stop what is using it") from None
    return sock


def is_loopback(host: str) -> bool:
    return host == "localhost" or host == "::1" or re.match(r"^127\.\d+\.\d+\.\d+$", host) is not None


def serve(index_path: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
          log_level: str = "info") -> None:
    """Serve ``create_app(index_path)`` on ``host:port`` until interrupted."""
    sock = _listen(host, port)
    # a page elsewhere could rebind its name to this machine and read the
    # index through the visitor's browser: on loopback, only local names
    allowed = ["127.0.0.1", "localhost", host] if is_loopback(host) and ":" not in host else None
    app = create_app(index_path, allowed_hosts=allowed)
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, http=_korean_request_lines())
    uvicorn.Server(config).run(sockets=[sock])


_REQUEST_LINE = re.compile(rb"(?m)^((?:GET|HEAD|OPTIONS) )([^ \r\n]+)")


def _percent_encode_target(match: re.Match) -> bytes:
    target = re.sub(rb"[\x80-\xff]", lambda b: b"%%%02X" % b.group()[0], match.group(2))
    return match.group(1) + target


def _korean_request_lines():
    """uvicorn's HTTP protocol, taking request lines with raw UTF-8 in them.

    `curl 'http://127.0.0.1:8765/search?q=한미동맹'` sends the Korean as raw
    bytes, which h11 refuses as an invalid request; browsers percent-encode
    them. The bytes are percent-encoded here first, as a browser would.
    """
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class KoreanRequestLines(H11Protocol):
        def data_received(self, data: bytes) -> None:
            if any(b >= 0x80 for b in data):
                data = _REQUEST_LINE.sub(_percent_encode_target, data)
            super().data_received(data)

    return KoreanRequestLines
