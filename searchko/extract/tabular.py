"""Records as documents: JSON Lines, JSON and CSV.

A JSON Lines file holds one object a line; a JSON file an array of objects,
or an object with one key holding that array (``{"items": [...]}``), or one
object; a CSV file a header row naming the fields. Which field holds the
id, text, title, date, source and url is set by ``ExtractOptions`` (the text
may also be in ``text`` or ``content`` while the text field is the default
``body``); ``categories`` is taken as it is. A record without an id is named
``#N``, N counting records from 1. A record without text is reported (at
``file:line`` for JSON Lines and CSV, ``file:N`` for the N-th record of a
JSON file) and skipped. Left out: nested fields, CSV dialects other than
comma-separated with double quotes.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
from typing import Iterator, Mapping

from ..documents import Document, ExtractOptions, parse_date
from ..errors import DocumentError
from . import decode

_DEFAULT_TEXT_FIELD = ExtractOptions().text_field
_TEXT_ALIASES = ("text", "content")
# a CSV cell may hold a long article; the csv module's default is 128 KiB
_CSV_FIELD_LIMIT = 50 * 1024 * 1024


def _field(record: Mapping, name: str) -> str:
    value = record.get(name)
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()


def record_to_document(record: Mapping, options: ExtractOptions | None, where: str,
                       number: int = 0) -> Document:
    """One record to a document, its fields named by ``options``; id
    ``#number`` if it has none. Raises DocumentError(where, reason)."""
    options = options or ExtractOptions()
    if not isinstance(record, Mapping):
        raise DocumentError(where, "not an object with named fields")
    text_fields = [options.text_field]
    if options.text_field == _DEFAULT_TEXT_FIELD:
        text_fields += _TEXT_ALIASES
    body = next((record[f] for f in text_fields if record.get(f) is not None), None)
    if body is None:
        raise DocumentError(where, f"no {options.text_field!r} field")
    if isinstance(body, (dict, list, bool)):
        raise DocumentError(where, f"the {options.text_field!r} field is not text")
    body = str(body).strip()
    if not body:
        raise DocumentError(where, f"the {options.text_field!r} field is empty")
    date = record.get(options.date_field)
    if not isinstance(date, _dt.date):
        date = parse_date(_field(record, options.date_field))
    categories = record.get("categories") or ()
    if isinstance(categories, str):
        categories = (categories,)
    return Document(
        id=_field(record, options.id_field) or f"#{number}",
        body=body,
        title=_field(record, options.title_field)[:300],
        date=date,
        source=_field(record, options.source_field),
        url=_field(record, options.url_field),
        categories=tuple(str(c) for c in categories if c not in (None, "")),
    )


def _report(on_error, error: DocumentError) -> None:
    if on_error is None:
        raise error
    on_error(error)


def extract_jsonl(raw: bytes, path: str, *, on_error=None, options=None) -> Iterator[Document]:
    number = 0
    for lineno, line in enumerate(decode(raw, path).splitlines(), 1):
        if not line.strip():
            continue
        number += 1
        where = f"{path}:{lineno}"
        try:
            try:
                record = json.loads(line)
            except (ValueError, RecursionError) as e:
                raise DocumentError(where, f"not valid JSON: {e}") from None
            yield record_to_document(record, options, where, number)
        except DocumentError as e:
            _report(on_error, e)


def _json_records(data, path: str, options) -> list:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        lists = [v for v in data.values()
                 if isinstance(v, list) and any(isinstance(item, dict) for item in v)]
        if len(lists) == 1:
            return lists[0]
        try:
            record_to_document(data, options, path)
            return [data]
        except DocumentError:
            pass
    raise DocumentError(path, "expected a JSON array of objects, or an object holding one")


def extract_json(raw: bytes, path: str, *, on_error=None, options=None) -> Iterator[Document]:
    try:
        data = json.loads(decode(raw, path))
    except (ValueError, RecursionError) as e:
        raise DocumentError(path, f"not valid JSON: {e}") from None
    for number, record in enumerate(_json_records(data, path, options), 1):
        try:
            yield record_to_document(record, options, f"{path}:{number}", number)
        except DocumentError as e:
            _report(on_error, e)


def extract_csv(raw: bytes, path: str, *, on_error=None, options=None) -> Iterator[Document]:
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)  # process-wide; only ever raised
    reader = csv.reader(io.StringIO(decode(raw, path), newline=""))
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as e:
        raise DocumentError(path, f"unreadable CSV header: {e}") from None
    if not any(header):
        raise DocumentError(path, "no header row naming the fields")
    number = 0
    while True:
        lineno = reader.line_num + 1
        try:
            row = next(reader, None)
            if row is None:
                break
            if not any(cell.strip() for cell in row):
                continue
            number += 1
            record = {name: cell for name, cell in zip(header, row) if name}
            yield record_to_document(record, options, f"{path}:{lineno}", number)
        except csv.Error as e:
            _report(on_error, DocumentError(f"{path}:{lineno}", f"unreadable CSV row: {e}"))
            if reader.line_num < lineno:
                break  # the reader is stuck: nothing more can be read
        except DocumentError as e:
            _report(on_error, e)
