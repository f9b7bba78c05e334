"""Markdown with YAML front matter (title, date, source, categories, tags,
url, excerpt).

The body may hold inline HTML (blog exports do): it is reduced to its text,
without tags, styles or entities. The front matter's ``excerpt`` leads the
body unless the body already says it.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Iterator

import yaml

from ..documents import Document, parse_date
from ..errors import DocumentError
from . import decode
from .clean import clean_text, guess_source, guess_title, normalize_whitespace, split_sentences
from .html import html_to_text

__all__ = ["document_from_markdown", "extract_markdown", "markdown_to_text", "read_front_matter"]

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_H1_TAG = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
_HTML = re.compile(r"<[A-Za-z!/][^>]*>|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")
_MARKUP = [
    (re.compile(r"<((?:https?|mailto):[^<>\s]+)>"), r"\1"),  # autolinks: not tags
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images: keep the alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links: keep the text
    (re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE), ""),  # heading marks
    (re.compile(r"^\s{0,3}>\s?", re.MULTILINE), ""),  # quotes
    (re.compile(r"^\s*(?:[-*+]|\d+\.)\s+", re.MULTILINE), ""),  # list marks
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"`{1,3}"), ""),  # code marks
]


def markdown_to_text(markdown: str) -> str:
    """Markdown (with inline HTML) reduced to plain text, one paragraph a line."""
    text = markdown
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    if _HTML.search(text):
        # blank lines separate paragraphs: keep them through the HTML pass
        text = text.replace("\n\n", "<br>")
        return html_to_text(text)
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def read_front_matter(text: str, path: str) -> tuple[dict, str]:
    """(front matter, the text after it); ``({}, text)`` when the text does
    not start with a ``---`` block. Bad YAML, or YAML that is not a mapping,
    raises ``DocumentError``."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as e:
        raise DocumentError(path, f"bad YAML front matter: {str(e).splitlines()[0]}") from None
    if not isinstance(meta, dict):
        raise DocumentError(path, "front matter is not a mapping")
    return meta, text[m.end():]


def _names(value) -> list[str]:
    """Categories or tags as a list: YAML list, or "a, b" string."""
    if not value:
        return []
    if isinstance(value, str):
        value = value.split(",")
    elif not isinstance(value, (list, tuple)):
        value = [value]
    return [str(v).strip() for v in value if v is not None and str(v).strip()]


def _date(value, body: str) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if value:
        return parse_date(str(value))
    return parse_date(body[:500])


def _with_excerpt(excerpt: str, body: str) -> str:
    """The body led by the excerpt, unless the body already has each of the
    excerpt's sentences."""
    excerpt = normalize_whitespace(" ".join(excerpt.split()))
    if not excerpt:
        return body
    flat = " ".join(body.split()).casefold()
    if all(" ".join(s.split()).casefold() in flat for s in split_sentences(excerpt)):
        return body
    return f"{excerpt}\n\n{body}" if body else excerpt


def document_from_markdown(text: str, path: str) -> Document:
    """A document from Markdown text with optional front matter."""
    meta, text = read_front_matter(text.replace("\r\n", "\n"), path)
    plain = markdown_to_text(text)
    body = clean_text(plain)
    excerpt = meta.get("excerpt") or meta.get("description") or meta.get("summary")
    if isinstance(excerpt, str):
        body = _with_excerpt(excerpt, body)

    title = str(meta.get("title") or "").strip()
    if not title:
        h = _HEADING.search(text)
        if h:
            title = markdown_to_text(h.group(1))
        else:
            h = _H1_TAG.search(text)
            title = html_to_text(h.group(1)) if h else guess_title(body)
    categories = list(dict.fromkeys(_names(meta.get("categories")) + _names(meta.get("tags"))))
    return Document(
        id="",
        body=body,
        title=" ".join(title.split()),
        date=_date(meta.get("date") or meta.get("published"), body),
        source=str(meta.get("source") or "").strip() or guess_source(normalize_whitespace(plain)),
        url=str(meta.get("url") or "").strip(),
        categories=tuple(categories),
    )


def extract_markdown(raw: bytes, path: str, *, on_error=None, options=None) -> Iterator[Document]:
    yield document_from_markdown(decode(raw, path), path)
