"""Markdown with YAML front matter (title, date, source, categories, url)."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Iterator

import yaml

from ..documents import Document, parse_date
from ..errors import DocumentError
from . import decode
from .html import html_to_text

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_MARKUP = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images: keep the alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links: keep the text
    (re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE), ""),  # heading marks
    (re.compile(r"^\s{0,3}>\s?", re.MULTILINE), ""),  # quotes
    (re.compile(r"^\s*(?:[-*+]|\d+\.)\s+", re.MULTILINE), ""),  # list marks
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"`{1,3}"), ""),  # code marks
]


def markdown_to_text(markdown: str) -> str:
    """Markdown (with inline HTML) reduced to plain text."""
    text = markdown
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    if "<" in text or "&" in text:
        # blank lines separate paragraphs: keep them through the HTML pass
        text = text.replace("\n\n", "<br>")
        return html_to_text(text)
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def extract_markdown(raw: bytes, path: str, *, on_error=None, options=None) -> Iterator[Document]:
    text = decode(raw, path).replace("\r\n", "\n")
    meta: dict = {}
    m = _FRONT_MATTER.match(text)
    if m:
        try:
            meta = yaml.safe_load(m.group(1)) or {}
        except yaml.YAMLError as e:
            raise DocumentError(path, f"bad YAML front matter: {str(e).splitlines()[0]}") from None
        if not isinstance(meta, dict):
            raise DocumentError(path, "front matter is not a mapping")
        text = text[m.end():]
    title = str(meta.get("title") or "").strip()
    if not title:
        h = _HEADING.search(text)
        title = h.group(1).strip() if h else ""
    date = meta.get("date")
    if isinstance(date, _dt.datetime):
        date = date.date()
    elif not isinstance(date, _dt.date):
        date = parse_date(str(date)) if date else parse_date(text[:500])
    categories = meta.get("categories") or meta.get("tags") or ()
    if isinstance(categories, str):
        categories = [categories]
    yield Document(
        id="",
        body=markdown_to_text(text),
        title=title,
        date=date,
        source=str(meta.get("source") or ""),
        url=str(meta.get("url") or ""),
        categories=tuple(str(c) for c in categories),
    )
