"""HTML pages: the article's text, without menus, footers and link lists.

The body comes from trafilatura when it is installed (the ``html`` extra):
it finds the article in pages without ``<article>`` or ``<main>`` too.
Without it, a parser of the standard library keeps the text of block
elements inside ``<article>`` (else ``<main>``, else ``<body>``), leaving out
navigation, headers, footers, asides, forms, scripts and styles wherever they
are, and elements whose class or id names furniture (``gnb``, ``sidebar``,
``share``, ``related``, ``comment``…). Either way the text is then cleaned
(``clean.clean_text``). Title, date, site name and address come from the
page's meta tags (``og:*``, ``article:published_time``, JSON-LD,
``<time datetime>``), else from the page itself.
"""

from __future__ import annotations

import functools
import html as _html
import json
import re
from html.parser import HTMLParser
from typing import Iterator

from ..documents import Document, parse_date
from . import decode
from .clean import clean_text, guess_title, normalize_whitespace, reprinted_from

__all__ = ["extract_html", "html_to_text"]

_SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript",
         "template", "svg", "iframe", "button", "select", "head"}
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
          "table", "section", "article", "main", "blockquote", "pre", "dd", "dt", "hr",
          "figure", "figcaption", "body"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed",
         "source", "track", "wbr", "param"}
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
# class or id words of page furniture; an element named so is left out with
# everything in it (never <html>, <body>, <main> or <article>)
_FURNITURE_NAMES = {
    "nav", "navbar", "navigation", "gnb", "lnb", "snb", "menu", "submenu", "breadcrumb",
    "breadcrumbs", "footer", "sidebar", "aside", "side", "share", "sharing", "sns", "social",
    "related", "popular", "ranking", "latest", "comment", "comments", "reply", "banner",
    "advert", "advertisement", "ads", "copyright", "kogl", "skip", "blind", "sr-only",
    "screen_out", "visually-hidden", "util", "utility", "quick", "pagination", "paging",
    "login", "search", "cookie", "popup", "modal", "subscribe", "newsletter", "logo",
}
_NEVER_SKIPPED = {"html", "body", "main", "article"}
_META_DATES = ("article:published_time", "og:published_time", "article:published", "date",
               "pubdate", "publishdate", "publish-date", "datepublished", "dc.date",
               "dc.date.issued", "dcterms.created", "dcterms.issued", "sailthru.date")
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " : ", " < ", " » ", " · ")


def _furniture(attrs: dict) -> bool:
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower().split()
    for name in names:
        if name in _FURNITURE_NAMES or any(part in _FURNITURE_NAMES for part in re.split(r"[-_]", name)):
            return True
    return False


class _PageParser(HTMLParser):
    def __init__(self, hints: bool = True):
        super().__init__(convert_charrefs=True)
        self.hints = hints
        self.meta: dict[str, str] = {}
        self.title = ""
        self.h1 = ""
        self.times: list[str] = []
        self.canonical = ""
        self.json_ld: list[str] = []
        self._in_title = False
        self._in_h1 = False
        self._h1_done = False
        # the text of each heading <h2>…<h6> outside the left-out parts
        self.headings: list[str] = []
        self._heading: list[str] | None = None
        # the text of each link, for menus in trafilatura's text
        self.links: set[str] = set()
        self._link: list[str] | None = None
        self._in_json_ld = False
        # depth of elements left out for their tag, and for their class or id
        self._skip_tag = 0
        self._skip_hint = 0
        self._in_link = 0
        # open elements: (tag, left out for its tag, left out for its name)
        self._stack: list[tuple[str, bool, bool]] = []
        # text per container: everything, inside <main>, inside <article>;
        # "page" is everything without the class and id hints
        self.parts: dict[str, list[str]] = {"page": [], "body": [], "main": [], "article": []}
        self._inside = {"main": 0, "article": 0}

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"])
            return
        if tag == "link":
            if "canonical" in a.get("rel", "").lower().split() and not self.canonical:
                self.canonical = a.get("href", "")
            return
        if tag in _VOID:
            if tag in ("br", "hr"):
                self._text("\n")
            return
        if tag == "time" and a.get("datetime") and not (self._skip_tag or self._skip_hint):
            self.times.append(a["datetime"])
        by_tag = tag in _SKIP or "hidden" in a
        by_hint = self.hints and tag not in _NEVER_SKIPPED and _furniture(a)
        self._stack.append((tag, by_tag, by_hint))
        self._skip_tag += by_tag
        self._skip_hint += by_hint
        if tag == "title":
            self._in_title = True
        if tag == "a":
            self._in_link += 1
            self._link = []
        if tag == "script" and "ld+json" in a.get("type", "").lower():
            self._in_json_ld = True
            self.json_ld.append("")
        if tag in self._inside:
            self._inside[tag] += 1
        if tag == "h1" and not (self._skip_tag or self._skip_hint) and not self._h1_done:
            self._in_h1 = True
        if tag in _HEADINGS and not (self._skip_tag or self._skip_hint):
            self._heading = []
        if tag in _BLOCK:
            self._text("\n")

    def handle_endtag(self, tag):
        if tag in _VOID or tag not in (t for t, _, _ in self._stack):
            return
        # close everything opened after this tag (unclosed <p>, <li>, …)
        while self._stack:
            top, by_tag, by_hint = self._stack.pop()
            if top == "title":
                self._in_title = False
            if top == "a":
                self._in_link -= 1
                if self._link is not None:
                    self.links.add(_line_key("".join(self._link)))
                    self._link = None
            if top == "script":
                self._in_json_ld = False
            if top == "h1" and self._in_h1:
                self._in_h1 = False
                self._h1_done = bool(self.h1.strip())
            if top in _HEADINGS and self._heading is not None:
                self.headings.append(_line_key("".join(self._heading)))
                self._heading = None
            if top in _BLOCK:
                self._text("\n")
            self._skip_tag -= by_tag
            self._skip_hint -= by_hint
            if top in self._inside:
                self._inside[top] -= 1
            if top == tag:
                break

    def handle_data(self, data):
        if self._in_title:
            self.title += data
            return
        if self._in_json_ld:
            self.json_ld[-1] += data
            return
        if self._in_h1 and not (self._skip_tag or self._skip_hint):
            self.h1 += data
        if self._heading is not None:
            self._heading.append(data)
        if self._link is not None:
            self._link.append(data)
        self._text(data)

    def _text(self, data):
        if self._skip_tag:
            return
        self.parts["page"].append(data)
        if self._skip_hint:
            return
        if self._in_link and self.hints and data.strip():
            data = f"{_LINK_START}{data}{_LINK_END}"
        self.parts["body"].append(data)
        for name, depth in self._inside.items():
            if depth:
                self.parts[name].append(data)

    def text(self, container: str) -> str:
        return _clean(_without_link_menus("".join(self.parts[container])))


# link text is marked in the parts while parsing, for _without_link_menus
_LINK_START, _LINK_END = "\x01", "\x02"
_LINK = re.compile(f"{_LINK_START}([^{_LINK_END}]*){_LINK_END}")


def _without_link_menus(text: str) -> str:
    """The text without menus made of links: a line of three or more links
    and nothing else ("이용약관 | 개인정보처리방침 | 저작권정책"), and three or
    more short lines in a row that are each one link."""
    if _LINK_START not in text:
        return text
    lines = text.split("\n")
    links = [sum(1 for m in _LINK.finditer(line) if re.search(r"\w", m.group(1))) for line in lines]
    only = [n > 0 and not re.search(r"\w", _LINK.sub("", line)) for n, line in zip(links, lines)]
    drop = [o and n >= 3 for o, n in zip(only, links)]
    run: list[int] = []
    for k, line in enumerate(lines + ["end"]):
        if k < len(lines) and not line.strip():
            continue
        if k < len(lines) and only[k] and len(_LINK.sub(r"\1", line).strip()) <= 40:
            run.append(k)
            continue
        if len(run) >= 3:
            for r in run:
                drop[r] = True
        run = []
    return "\n".join(_LINK.sub(r"\1", line) for line, d in zip(lines, drop) if not d)


def _parse(markup: str, hints: bool = True) -> _PageParser:
    parser = _PageParser(hints)
    parser.feed(markup)
    parser.close()
    return parser


def html_to_text(markup: str) -> str:
    """The visible text of an HTML fragment, one block a line."""
    return _parse(markup, hints=False).text("body")


def _clean(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _line_key(line: str) -> str:
    return " ".join(line.split()).removeprefix("- ").strip()


def _with_headings(text: str, page: _PageParser) -> str:
    """trafilatura's text with the page's subheadings it left out put back:
    a heading between two of its lines, in the page's order, goes between
    them. (It drops <h2> on short pages and pages without <article>.)"""
    headings = set(page.headings)
    if not headings:
        return text
    page_lines = [_line_key(line) for line in page.text("body").split("\n")]
    kept = {_line_key(line) for line in text.split("\n")}
    out: list[str] = []
    at = None  # where in the page the previous line of the text was
    for line in text.split("\n"):
        key = _line_key(line)
        start = 0 if at is None else at + 1
        try:
            found = page_lines.index(key, start)
        except ValueError:
            out.append(line)
            continue
        if at is not None:
            out.extend(p for p in page_lines[at + 1:found] if p in headings and p not in kept)
        out.append(line)
        at = found
    return "\n".join(out)


def _without_link_runs(text: str, links: set[str]) -> str:
    """trafilatura's text without three or more short lines in a row that
    are each the text of one of the page's links (a menu)."""
    lines = text.split("\n")
    out: list[str] = []
    run: list[str] = []
    for line in lines + [None]:
        key = _line_key(line) if line is not None else None
        if key is not None and key in links and len(key) <= 40:
            run.append(line)
            continue
        if len(run) < 3:
            out.extend(run)
        run = []
        if line is not None:
            out.append(line)
    return "\n".join(out)


def _words(text: str) -> int:
    return len(re.findall(r"\w", text))


@functools.cache
def _trafilatura():
    """The trafilatura module, or None when the ``html`` extra is missing."""
    try:
        import trafilatura
    except ImportError:
        return None
    return trafilatura


def _trafilatura_extract(markup: str) -> dict:
    """text, title, date, sitename from trafilatura ({} without it, or when it
    finds nothing)."""
    trafilatura = _trafilatura()
    if trafilatura is None:
        return {}
    try:
        result = trafilatura.bare_extraction(
            markup, with_metadata=True, include_comments=False, include_tables=True,
            include_images=False, include_links=False, deduplicate=False, favor_recall=True,
        )
    except Exception:  # a page it cannot parse: the standard parser still can
        return {}
    if result is None:
        return {}
    get = result.get if isinstance(result, dict) else (lambda k: getattr(result, k, None))
    return {k: get(k) or "" for k in ("text", "title", "date", "sitename")}


def _stdlib_body(page: _PageParser) -> str:
    body = page.text("article") or page.text("main") or page.text("body")
    # class names that hid the article itself ("has-sidebar" on a wrapper):
    # the page without those hints says ten times more
    full = page.text("page")
    return full if _words(body) < _words(full) // 10 else body


def _json_ld(page: _PageParser) -> dict:
    """The first JSON-LD object with a headline or a date."""
    for block in page.json_ld:
        try:
            data = json.loads(block)
        except ValueError:
            continue
        if isinstance(data, dict):
            data = data.get("@graph", [data])
        for item in data if isinstance(data, list) else []:
            if isinstance(item, dict) and (item.get("headline") or item.get("datePublished")):
                return item
    return {}


def _page_title(page: _PageParser, site: str) -> str:
    meta = page.meta
    title = (meta.get("og:title") or meta.get("twitter:title") or page.h1).strip()
    if title:
        return title
    title = _SPACES.sub(" ", page.title).strip()
    if " | " in title:
        return title.split(" | ")[0].strip()
    for sep in _TITLE_SEPARATORS:
        if site and title.endswith(sep + site):
            return title[: -len(sep + site)].strip()
    return title


def extract_html(raw: bytes, path: str, *, on_error=None, options=None) -> Iterator[Document]:
    markup = decode(raw, path)
    page = _parse(markup)
    meta = page.meta
    ld = _json_ld(page)

    found = _trafilatura_extract(markup)
    body = _without_link_runs(_with_headings(_clean(found.get("text", "")), page), page.links)
    if body:
        # trafilatura keeps much less than the page's <article>: it lost part
        # of the body, which matters more to a search than furniture
        container = page.text("article") or page.text("main")
        if container and _words(body) < _words(container) // 2:
            body = container
    else:
        body = _stdlib_body(page)
    # "이 자료는 X의 보도자료를 전재하여…": the page reprints X's release
    issuer = reprinted_from(normalize_whitespace(page.text("page")))
    body = clean_text(body)

    publisher = ld.get("publisher")
    site = (meta.get("og:site_name") or (publisher.get("name") if isinstance(publisher, dict) else "")
            or meta.get("application-name") or found.get("sitename") or "")
    site = _html.unescape(_SPACES.sub(" ", str(site))).strip()
    title = _page_title(page, site) or str(ld.get("headline") or "") or found.get("title") or guess_title(body)

    date = None
    candidates = [meta.get(key) for key in _META_DATES] + [ld.get("datePublished")] + page.times
    for value in candidates:
        if value and isinstance(value, str):
            date = parse_date(value)
            if date:
                break
    if date is None:
        date = parse_date(body[:500]) or parse_date(str(found.get("date") or ""))
    yield Document(
        id="",
        body=body,
        title=_html.unescape(_SPACES.sub(" ", title)).strip(),
        date=date,
        source=issuer or site,
        url=meta.get("og:url") or page.canonical or "",
    )
