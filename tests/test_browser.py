"""The search page in headless Chromium (Debian's), driven by Playwright,
against uvicorn serving the index of data/ on 127.0.0.1."""

from __future__ import annotations

import re
import socket
import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium; .ci/run does)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
pytest.importorskip("uvicorn", reason="needs the server extra (pip install -e '.[test]')")

import uvicorn
from playwright.sync_api import sync_playwright

import searchko
from searchko.server import create_app

from .conftest import ROOT

SCREENSHOT = ROOT / "docs" / "search-page.png"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ALLIANCE_SPELLINGS = {"한미동맹", "한미", "동맹"}
HOSTILE = "<script>alert(1)</script> <b>bold</b> <img src=x onerror=\"window.__xss=1\">"


class _Server:
    """uvicorn in a thread, on a free port of 127.0.0.1."""

    def __init__(self, app):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self):
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return self
            self.thread.join(0.05)
        raise RuntimeError("uvicorn did not start")

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "index"
    with searchko.Index.create(path) as ix:
        ix.add([{
            "id": "hostile.txt",
            "title": f"경고 {HOSTILE}",
            "body": f"이 문서는 {HOSTILE} 를 담고 있다. 동맹 문서처럼 보이지만 아니다.",
            "date": "2025-01-02",
            "url": "javascript:alert(2)",
        }])
    return path


@pytest.fixture(scope="module")
def site(data_index):
    with _Server(create_app(data_index)) as server:
        yield server.url


@pytest.fixture(scope="module")
def hostile_site(hostile_index):
    with _Server(create_app(hostile_index)) as server:
        yield server.url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 800}, locale="ko-KR")
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def drawn(page, action) -> None:
    """Do ``action`` and wait until the page has drawn the answer."""
    before = page.evaluate("Number(document.body.dataset.rendered || 0)")
    action()
    # a selector, not wait_for_function: the page's CSP forbids eval
    page.wait_for_selector(f'body[data-rendered="{before + 1}"]', state="attached", timeout=15_000)


def total(page) -> int:
    return int(re.search(r"([\d,]+)건", page.locator("#summary").inner_text()).group(1).replace(",", ""))


def hit_ids(page) -> list[str]:
    return page.locator("#results .hit .id").all_inner_texts()


def search(page, site: str, q: str) -> None:
    drawn(page, lambda: page.goto(site))
    page.fill("#q", q)
    drawn(page, lambda: page.press("#q", "Enter"))


# -- the tests -----------------------------------------------------------------------


def test_search_shows_alliance_documents_with_marks(page, site):
    search(page, site, "한미동맹")
    assert "q=%ED%95%9C%EB%AF%B8%EB%8F%99%EB%A7%B9" in page.url
    ids = hit_ids(page)
    assert len(ids) == 10 and "alliance" in ids[0]
    assert total(page) > 10
    first = page.locator("#results .hit").first
    assert "동맹" in first.locator("h2").inner_text()
    assert first.locator(".meta").inner_text().startswith("2024-11-06")
    marks = page.locator("#results mark").all_inner_texts()
    assert marks
    assert {re.sub(r"[\s·ㆍ]", "", m) for m in marks} <= ALLIANCE_SPELLINGS
    assert "한미동맹" in marks
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert page.dialogs == []


def test_paging(page, site):
    search(page, site, "한미동맹")
    first_page = hit_ids(page)
    assert page.locator("#prev").is_disabled()
    drawn(page, lambda: page.click("#next"))
    assert "offset=10" in page.url
    second_page = hit_ids(page)
    assert second_page and not set(first_page) & set(second_page)
    assert len(first_page) + len(second_page) == total(page)
    assert page.locator("#next").is_disabled()
    drawn(page, lambda: page.go_back())  # the URL holds the state
    assert hit_ids(page) == first_page and "offset" not in page.url


def test_a_link_to_a_search_works(page, site):
    drawn(page, lambda: page.goto(site + "?q=%ED%95%9C%EB%AF%B8%EB%8F%99%EB%A7%B9&offset=10"))
    assert page.input_value("#q") == "한미동맹"
    assert page.locator("#page").inner_text().startswith("2 /")


def test_date_filter_narrows_the_results(page, site):
    search(page, site, "한미동맹")
    everything = total(page)
    page.fill("#since", "2025-01-01")
    drawn(page, lambda: page.click("button[type=submit]"))
    assert "since=2025-01-01" in page.url
    narrowed = total(page)
    assert 0 < narrowed < everything
    dates = [m.split(" · ")[0] for m in page.locator("#results .meta").all_inner_texts()]
    assert dates and all(d >= "2025-01-01" for d in dates)


def test_a_corrected_query_is_shown_with_a_way_to_search_as_typed(page, site):
    search(page, site, "gksalehdaod")
    assert page.locator("#corrected").is_visible()
    assert page.locator("#corrected-query").inner_text() == "한미동맹"
    assert "alliance" in hit_ids(page)[0]  # the hits are the corrected query's
    drawn(page, lambda: page.click("#exact-link"))
    assert page.input_value("#q") == "gksalehdaod" and "exact=true" in page.url
    assert not page.locator("#corrected").is_visible()
    assert hit_ids(page) == []


def test_an_error_is_shown(page, site):
    search(page, site, '"한미동맹')
    assert "unclosed quote" in page.locator("#summary").inner_text()
    assert hit_ids(page) == []
    assert not page.locator("#pager").is_visible()


def test_hostile_document_is_shown_as_text(page, hostile_site):
    search(page, hostile_site, "bold")
    hit = page.locator("#results .hit")
    assert hit.count() == 1
    title = hit.locator("h2").inner_text()
    assert "<script>alert(1)</script>" in title and "<b>bold</b>" in title
    assert "<script>alert(1)</script>" in hit.locator(".snippet").first.inner_text()
    assert page.get_by_text("<script>alert(1)</script>").first.is_visible()
    # nothing of the document became markup, ran, or links anywhere
    assert page.locator("#results script, #results b, #results img").count() == 0
    assert page.locator("#results mark").all_inner_texts() and set(page.locator("#results mark").all_inner_texts()) == {"bold"}
    assert page.locator("#results a").count() == 0  # javascript: is no link
    assert not page.locator("#pager").is_visible()  # one page only
    assert not page.locator("#corrected").is_visible()
    page.wait_for_timeout(200)
    assert page.dialogs == []
    assert page.evaluate("window.__xss") is None
