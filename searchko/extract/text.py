"""Plain text: the first line is the title; date and source from the header.

The header conventions of press releases and briefings: the title on the
first line, then lines such as ``배포일시: 2025년 3월 12일`` and ``출처: 국방부``.
Scraped text is cleaned first (see ``clean``): the page's furniture and a
repeated body go, and the title then comes from the first line of the body.
A text that starts with a YAML front matter block is read as Markdown.
"""

from __future__ import annotations

from typing import Iterator

from ..documents import Document, parse_date
from ..errors import DocumentError
from . import decode
from .clean import clean_text, guess_source, guess_title, normalize_whitespace
from .markdown import document_from_markdown, read_front_matter

__all__ = ["extract_text", "header_metadata"]

_HEADER_LINES = 8


def _header(text: str) -> str:
    lines = [line for line in text.split("\n") if line.strip()]
    return "\n".join(lines[:_HEADER_LINES])


def header_metadata(text: str) -> tuple[str, object, str]:
    """(title, date, source) of a text: the title and date from the first
    lines of the cleaned text (a page's skip links and date lines are gone
    there), the date else from the first lines as they were, the source from
    the text as it was (attribution lines, "이 자료는 …의 보도자료를", are
    furniture that cleaning drops)."""
    raw_text = normalize_whitespace(text)
    return _metadata(raw_text, clean_text(raw_text))


def _metadata(raw_text: str, body: str) -> tuple[str, object, str]:
    date = parse_date(_header(body)) or parse_date(_header(raw_text))
    return guess_title(body), date, guess_source(raw_text)


def _front_matter_document(text: str, path: str) -> Document | None:
    """The document of a text with front matter, or None when the text does
    not start with a YAML mapping (a line of dashes is not front matter)."""
    try:
        meta, _ = read_front_matter(text, path)
    except DocumentError:
        return None
    return document_from_markdown(text, path) if meta else None


def extract_text(raw: bytes, path: str, *, on_error=None, options=None) -> Iterator[Document]:
    text = decode(raw, path).replace("\r\n", "\n")
    if text.startswith("---"):
        doc = _front_matter_document(text, path)
        if doc is not None:
            yield doc
            return
    raw_text = normalize_whitespace(text)
    body = clean_text(raw_text)
    title, date, source = _metadata(raw_text, body)
    yield Document(id="", body=body, title=title, date=date, source=source)
