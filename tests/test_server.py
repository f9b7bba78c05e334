"""The HTTP API: each endpoint and status code by hand, then schemathesis
against the app's own OpenAPI schema (no 5xx, every response as documented)."""

from __future__ import annotations

import importlib
import json
import re
import sys
import threading
import time

import pytest

pytest.importorskip("fastapi", reason="needs the server extra (pip install -e '.[test]')")

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

import searchko
from searchko import server
from searchko.cli import app as cli_app
from searchko.server import create_app

ALLIANCE_SPELLINGS = {"한미동맹", "한미", "동맹"}
NCG_ID = "data/press/2025-03-12-mnd-ncg-4th-meeting.txt"


@pytest.fixture(scope="module")
def app(data_index):
    return create_app(data_index)


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app) as c:  # runs the start-up: index opened, Kiwi warm
        yield c


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error", "hint"} and body["error"]
    return body


# -- /search ----------------------------------------------------------------------


def test_search_ranks_alliance_documents_first(client):
    response = client.get("/search", params={"q": "한미동맹"})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["query", "corrected", "total", "hits"]
    assert body["query"] == "한미동맹" and body["corrected"] is None
    assert body["total"] > 10 and len(body["hits"]) == 10
    assert "alliance" in body["hits"][0]["id"]
    for hit in body["hits"]:
        marked = {s["text"][a:b] for s in hit["snippets"] for a, b in s["highlights"]}
        assert {m.replace(" ", "").replace("·", "").replace("ㆍ", "") for m in marked} <= ALLIANCE_SPELLINGS


def test_search_hits_are_the_lines_of_search_json(client, data_index):
    result = CliRunner().invoke(cli_app, ["search", "한미동맹", "--json", "-n", "5", "--index", str(data_index)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    hits = client.get("/search", params={"q": "한미동맹", "limit": 5}).json()["hits"]
    assert hits == lines
    assert [list(h) for h in hits] == [list(line) for line in lines]  # the same keys in the same order


def test_search_paging(client):
    first = client.get("/search", params={"q": "한미동맹", "limit": 5}).json()
    second = client.get("/search", params={"q": "한미동맹", "limit": 5, "offset": 5}).json()
    assert first["total"] == second["total"]
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    beyond = client.get("/search", params={"q": "한미동맹", "offset": 10_000}).json()
    assert beyond["hits"] == [] and beyond["total"] == first["total"]


def test_search_filters(client):
    everything = client.get("/search", params={"q": "북한", "limit": 100}).json()
    dated = client.get("/search", params={"q": "북한", "limit": 100, "since": "2025-01-01", "until": "2025-06-30"}).json()
    assert 0 < dated["total"] < everything["total"]
    assert all("2025-01-01" <= h["date"] <= "2025-06-30" for h in dated["hits"])
    assert dated["query"] == "북한"  # as typed, without the filters
    by_source = client.get("/search", params={"q": "북한", "limit": 100, "source": "외교부"}).json()
    assert 0 < by_source["total"] < everything["total"]
    assert all("외교부" in h["source"] for h in by_source["hits"])
    # a filter alone lists the documents it keeps
    only_dates = client.get("/search", params={"q": "", "since": "2025-11-01"}).json()
    assert only_dates["total"] and all(h["date"] >= "2025-11-01" for h in only_dates["hits"])


def test_search_sort_by_date(client):
    hits = client.get("/search", params={"q": "동맹", "sort": "date"}).json()["hits"]
    dates = [h["date"] for h in hits if h["date"]]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("q", ["한·미 동맹", "ＮＣＧ", "北 미사일", "한미동맹 😀", "\u1112\u1161\u11ab\u1106\u1175"])
def test_search_unicode_queries(client, q):
    response = client.get("/search", params={"q": q})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == q
    assert body["total"] >= 0


def test_search_nothing_found_and_nothing_to_search(client):
    assert client.get("/search", params={"q": "존재하지않는낱말쀍"}).json()["total"] == 0
    body = client.get("/search", params={"q": "?!…"}).json()
    assert body["total"] == 0 and body["hits"] == []


def test_search_raw_bytes_in_the_url(client):
    # broken UTF-8 and a lone surrogate, percent-encoded: an answer, not a crash
    for raw in ("/search?q=%FF%FE", "/search?q=%ED%A0%80"):
        assert client.get(raw).status_code in (200, 400)


@pytest.mark.parametrize("q", ['"한미동맹', "title:", "동맹 OR", "NOT", 'source:"국방부'])
def test_search_bad_query_is_400(client, q):
    body = _error(client.get("/search", params={"q": q}), 400)
    assert body["hint"] is None or isinstance(body["hint"], str)


def test_search_filters_leave_the_query_alone(client):
    # filters are the library's, not text added to q: a dangling OR stays an error
    _error(client.get("/search", params={"q": "동맹 OR", "since": "2025-01-01"}), 400)
    quoted = client.get("/search", params={"q": "동맹", "source": '"외교부"'})
    assert quoted.status_code == 200 and quoted.json()["total"] > 0


@pytest.mark.parametrize("params", [
    {"q": "동맹", "limit": 0},
    {"q": "동맹", "limit": 101},
    {"q": "동맹", "limit": "ten"},
    {"q": "동맹", "offset": -1},
    {"q": "동맹", "offset": 10_001},
    {"q": "동맹", "sort": "random"},
    {"q": "동맹", "since": "2025-02-30"},
    {"q": "동맹", "since": "yesterday"},
    {"q": "동맹", "until": "2025/01/01"},
    {"q": "동맹", "since": "2025-06-01", "until": "2025-01-01"},
    {"q": "가" * 501},
    {},
])
def test_search_bad_parameters_are_400(client, params):
    body = _error(client.get("/search", params=params), 400)
    assert re.match(r"(q|limit|offset|sort|since|until)\b", body["error"])


def test_search_query_of_500_characters_is_fine(client):
    assert client.get("/search", params={"q": "동맹 " * 166 + "북한"}).status_code == 200


# -- /documents, /stats, /healthz ---------------------------------------------------------


def test_document(client, ix):
    response = client.get(f"/documents/{NCG_ID}")
    assert response.status_code == 200
    body = response.json()
    stored = ix.get(NCG_ID)
    assert body == {**stored.to_dict(), "paths": ix.paths(NCG_ID) or [stored.path]}  # as `show --json`
    assert body["paths"] and body["paths"][0].endswith(NCG_ID)


def test_document_with_an_id_that_needs_escaping(tmp_path):
    doc_id = "notes/회의 #3?.txt"
    with searchko.Index.create(tmp_path / "index") as ix:
        ix.add([{"id": doc_id, "title": "회의", "body": "한미동맹을 논의했다.", "date": "2025-01-02"}])
    with TestClient(create_app(tmp_path / "index")) as c:
        response = c.get("/documents/notes/%ED%9A%8C%EC%9D%98%20%233%3F.txt")
        assert response.status_code == 200, response.text
        assert response.json()["id"] == doc_id
        assert response.json()["paths"] == []  # added through the API: no file


def test_missing_document_is_404(client):
    body = _error(client.get("/documents/data/press/no-such-file.txt"), 404)
    assert "no-such-file" in body["error"]
    _error(client.get("/documents/"), 404)


def test_stats(client, ix):
    body = client.get("/stats").json()
    assert body == ix.stats().to_dict()


def test_healthz(client, ix):
    assert client.get("/healthz").json() == {"status": "ok", "documents": len(ix)}


def test_unknown_path_and_method(client):
    _error(client.get("/nothing-here"), 404)
    _error(client.post("/search", params={"q": "동맹"}), 405)
    _error(client.get("/docs"), 404)  # FastAPI's page would load scripts from a CDN


def test_missing_index_is_503(tmp_path):
    with TestClient(create_app(tmp_path / "none")) as c:
        for path in ("/healthz", "/stats", "/search?q=동맹", f"/documents/{NCG_ID}"):
            body = _error(c.get(path), 503)
            assert "no index" in body["error"] and "searchko index" in body["hint"]
        # made meanwhile: served from then on
        with searchko.Index.create(tmp_path / "none") as ix:
            ix.add([{"id": "a", "body": "한미동맹을 강화했다."}])
        assert c.get("/healthz").json() == {"status": "ok", "documents": 1}


def test_busy_server_answers_503(data_index, monkeypatch):
    monkeypatch.setattr(server, "MAX_PENDING", 1)
    monkeypatch.setattr(server, "WAIT_SECONDS", 0.2)
    entered, gate = threading.Event(), threading.Event()

    def slow_len(self):
        entered.set()
        gate.wait(10)
        return 0

    with TestClient(create_app(data_index)) as c:
        monkeypatch.setattr(searchko.Index, "__len__", slow_len)
        slow = threading.Thread(target=c.get, args=("/healthz",))
        slow.start()
        assert entered.wait(10)  # the one place is taken
        response = c.get("/stats")
        gate.set()
        slow.join()
    body = _error(response, 503)
    assert "busy" in body["error"] and response.headers["retry-after"] == "1"


def test_page_and_its_files(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<meta charset="utf-8">' in page.text and 'lang="ko"' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for path in ("/static/app.js", "/static/style.css"):
        assert client.get(path).status_code == 200, path
    assert "innerHTML" not in client.get("/static/app.js").text


def test_openapi_has_no_422_and_names_the_errors(client):
    schema = client.get("/openapi.json").json()
    assert {"/search", "/documents/{doc_id}", "/stats", "/healthz"} <= set(schema["paths"])
    for operations in schema["paths"].values():
        for operation in operations.values():
            assert "422" not in operation["responses"]
            assert "503" in operation["responses"]
    assert "400" in schema["paths"]["/search"]["get"]["responses"]
    assert "404" in schema["paths"]["/documents/{doc_id}"]["get"]["responses"]


def test_allowed_hosts(data_index):
    with TestClient(create_app(data_index, allowed_hosts=["127.0.0.1", "localhost"]),
                    base_url="http://127.0.0.1:8765") as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/healthz", headers={"host": "rebound.example"}).status_code == 400


def test_serve_command_reports_a_missing_index(tmp_path):
    result = CliRunner().invoke(cli_app, ["serve", "--index", str(tmp_path / "none"), "--port", "1"])
    assert result.exit_code == 2
    assert "error: no index" in result.stderr
    assert CliRunner().invoke(cli_app, ["serve", "--help"]).exit_code == 0


def test_missing_extra_is_one_line(monkeypatch, data_index):
    monkeypatch.setitem(sys.modules, "fastapi", None)
    monkeypatch.delitem(sys.modules, "searchko.server")
    with pytest.raises(searchko.MissingExtraError, match=r"pip install 'searchko\[server\]'"):
        importlib.import_module("searchko.server")
    result = CliRunner().invoke(cli_app, ["serve", "--index", str(data_index)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "error: serving over HTTP needs FastAPI and uvicorn: pip install 'searchko[server]'")


# -- the contract, by schemathesis ----------------------------------------------------------
#
# Hypothesis drives schemathesis's strategies directly: its pytest helper
# (schemathesis.pytest.from_fixture) breaks on pytest 9.2, which dropped the
# Node._nodeid it rewrites.

schemathesis = pytest.importorskip("schemathesis", reason="needs schemathesis (pip install -e '.[test]')")
from hypothesis import given  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]
OPERATIONS = ["/search", "/documents/{doc_id}", "/stats", "/healthz"]


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_contract_covers_every_operation(api_schema):
    assert sorted(op.ok().path for op in api_schema.get_all_operations()) == sorted(OPERATIONS)


# negative data only where a parameter can be wrong: any string is an id
@pytest.mark.parametrize("path, mode", [(path, GenerationMode.POSITIVE) for path in OPERATIONS]
                         + [("/search", GenerationMode.NEGATIVE)], ids=str)
def test_api_contract(api_schema, path, mode):
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy(mode))
    @settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()


def test_serve_answers_curl_with_raw_korean_in_the_url(data_index):
    """`curl 'http://127.0.0.1:PORT/search?q=한미동맹'` sends the Korean as raw
    UTF-8 bytes; `searchko serve` answers it like the percent-encoded form."""
    import json
    import socket
    import subprocess
    import sys

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "searchko", "serve", "--index", str(data_index),
                               "--port", str(port)], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, server.stderr.read()
                time.sleep(0.2)
        with conn:
            conn.sendall("GET /search?q=한미동맹&limit=3 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                         .encode("utf-8"))
            raw = b""
            while chunk := conn.recv(65536):
                raw += chunk
        head, _, body = raw.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200")
        answer = json.loads(body)
        assert answer["query"] == "한미동맹" and answer["total"] > 3
        assert "동맹" in answer["hits"][0]["title"] + answer["hits"][0]["snippets"][0]["text"]
    finally:
        server.terminate()
        server.wait(timeout=30)
