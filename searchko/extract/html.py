"""HTML pages: the article's text, without menus, footers and link lists.

Inside ``<article>`` (else ``<main>``, else ``<body>``) the text of block
elements is kept; navigation, headers, footers, asides, forms, scripts and
styles are dropped wherever they are. Title, date and site name come from the
page's meta tags.
"""

from __future__ import annotations

import html as _html
import re
from html.parser import HTMLParser
from typing import Iterator

from ..documents import Document, parse_date
from . import decode

_SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript",
         "template", "svg", "iframe", "button", "select", "head"}
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
          "table", "section", "article", "main", "blockquote", "pre", "dd", "dt", "hr",
          "figure", "figcaption", "body"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed",
         "source", "track", "wbr", "param"}
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self.h1 = ""
        self._in_title = False
        self._in_h1 = False
        self._skip_depth = 0
        self._stack: list[str] = []
        # text per container: everything, inside <main>, inside <article>
        self.parts: dict[str, list[str]] = {"body": [], "main": [], "article": []}
        self._inside = {"main": 0, "article": 0}

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            a = dict(attrs)
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"])
            return
        if tag in _VOID:
            if tag in ("br", "hr"):
                self._text("\n")
            return
        self._stack.append(tag)
        if tag == "title":
            self._in_title = True
        if tag in _SKIP:
            self._skip_depth += 1
        if tag in self._inside:
            self._inside[tag] += 1
        if tag == "h1" and not self._skip_depth:
            self._in_h1 = True
        if tag in _BLOCK:
            self._text("\n")

    def handle_endtag(self, tag):
        if tag in _VOID or tag not in self._stack:
            return
        # close everything opened after this tag (unclosed <p>, <li>, …)
        while self._stack:
            top = self._stack.pop()
            if top == "title":
                self._in_title = False
            if top == "h1":
                self._in_h1 = False
            if top in _SKIP:
                self._skip_depth -= 1
            if top in self._inside:
                self._inside[top] -= 1
            if top in _BLOCK:
                self._text("\n")
            if top == tag:
                break

    def handle_data(self, data):
        if self._in_title:
            self.title += data
            return
        if self._skip_depth:
            return
        if self._in_h1:
            self.h1 += data
        self._text(data)

    def _text(self, data):
        if self._skip_depth:
            return
        self.parts["body"].append(data)
        for name, depth in self._inside.items():
            if depth:
                self.parts[name].append(data)


def html_to_text(markup: str) -> str:
    """The visible text of an HTML fragment, one block a line."""
    parser = _PageParser()
    parser.feed(markup)
    parser.close()
    return _clean("".join(parser.parts["body"]))


def _clean(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def extract_html(raw: bytes, path: str, *, on_error=None, options=None) -> Iterator[Document]:
    parser = _PageParser()
    parser.feed(decode(raw, path))
    parser.close()
    for name in ("article", "main", "body"):
        body = _clean("".join(parser.parts[name]))
        if body:
            break
    meta = parser.meta
    title = (meta.get("og:title") or parser.h1 or parser.title).strip()
    site = (meta.get("og:site_name") or "").strip()
    if not meta.get("og:title") and not parser.h1 and " | " in title:
        title = title.split(" | ")[0].strip()
    date = None
    for key in ("article:published_time", "date", "pubdate", "datepublished", "dc.date"):
        if meta.get(key):
            date = parse_date(meta[key])
            if date:
                break
    if date is None:
        date = parse_date(body[:500])
    yield Document(
        id="",
        body=body,
        title=_html.unescape(_SPACES.sub(" ", title)),
        date=date,
        source=site,
        url=meta.get("og:url", ""),
    )
