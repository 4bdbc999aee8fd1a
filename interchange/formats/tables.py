"""Tables of sources: `.csv`, `.xlsx` and `.jsonl`, one source per row.

A mapping names the column for each source field (`text` is required); unmapped columns go to
`metadata`. Without a mapping, one is proposed from the header names. doccano's JSONL, whose rows
carry `label: [[start, end, "Label"], ...]`, brings its spans in too.
"""

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import openpyxl

from interchange.formats.incoming import (
    Batch,
    IncomingSource,
    IncomingSpan,
    Options,
    Unreadable,
    Upload,
)
from interchange.formats.safety import open_zip
from interchange.formats.text import decode_utf8, published_date, source_kind, title_from
from sources.models import unstorable

EXTENSIONS = (".csv", ".xlsx", ".jsonl")
FIELDS = ("text", "title", "kind", "outlet", "author", "url", "published", "language")
# Header names (lower case) each field is proposed for, in order of preference.
GUESSES = {
    "text": ("text", "body", "content", "message", "full_text", "fulltext", "article", "post"),
    "title": ("title", "headline", "heading", "name", "subject"),
    "kind": ("kind", "type", "source_type"),
    "outlet": ("outlet", "source", "publisher", "site", "sitename", "channel", "newspaper"),
    "author": ("author", "authors", "byline", "writer"),
    "url": ("url", "link", "href", "canonical_url"),
    "published": ("published", "date", "publication_date", "pub_date", "created_at", "time"),
    "language": ("language", "lang", "locale"),
}
DOCCANO_LABELS = ("label", "labels")
PREVIEW_ROWS = 5


def detect(upload: Upload) -> bool:
    return upload.name.lower().endswith(EXTENSIONS)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _csv_rows(upload: Upload) -> Iterator[dict[str, Any]]:
    text = decode_utf8(upload.data, upload.name)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:65536], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        yield from reader
    except csv.Error as exc:
        raise Unreadable(f"{upload.name} is not a readable CSV file ({exc})") from None


def _xlsx_rows(upload: Upload) -> Iterator[dict[str, Any]]:
    open_zip(upload.data, upload.name)
    try:
        book = openpyxl.load_workbook(io.BytesIO(upload.data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise Unreadable(f"{upload.name} is not a readable .xlsx workbook ({exc})") from None
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = [str(name).strip() if name is not None else "" for name in next(rows, ())]
    for row in rows:
        if any(value not in (None, "") for value in row):
            yield {name: _cell(value) for name, value in zip(header, row, strict=False) if name}
    book.close()


def _jsonl_rows(upload: Upload) -> Iterator[dict[str, Any]]:
    text = decode_utf8(upload.data, upload.name)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise Unreadable(f"{upload.name}, line {number}: not valid JSON ({exc})") from None
        if not isinstance(row, dict):
            raise Unreadable(f"{upload.name}, line {number}: not a JSON object")
        yield row


def rows(upload: Upload) -> Iterator[dict[str, Any]]:
    name = upload.name.lower()
    if name.endswith(".xlsx"):
        return _xlsx_rows(upload)
    if name.endswith(".jsonl"):
        return _jsonl_rows(upload)
    return _csv_rows(upload)


def propose_mapping(header: list[str]) -> dict[str, str]:
    """A column for each source field whose name suggests one; each column used once."""
    lowered = {name.strip().lower(): name for name in header}
    mapping: dict[str, str] = {}
    for target, names in GUESSES.items():
        for guess in names:
            column = lowered.get(guess)
            if column is not None and column not in mapping.values():
                mapping[target] = column
                break
    return mapping


def preview(upload: Upload) -> dict[str, Any]:
    """The header, the first rows and a proposed mapping, for the page to show."""
    header: list[str] = []
    first: list[dict[str, Any]] = []
    for row in rows(upload):
        header.extend(name for name in row if name not in header)
        first.append(row)
        if len(first) == PREVIEW_ROWS:
            break
    return {"header": header, "rows": first, "mapping": propose_mapping(header)}


def _spans(row: dict[str, Any], coder: str, number: int) -> list[IncomingSpan]:
    labels = next((row[key] for key in DOCCANO_LABELS if key in row), None)
    if not isinstance(labels, list):
        return []
    spans = []
    for label in labels:
        if not (isinstance(label, list) and len(label) == 3):
            raise Unreadable(f"row {number}: a label is not [start, end, 'Label']: {label!r}")
        start, end, name = label
        if not (isinstance(start, int) and isinstance(end, int)):
            raise Unreadable(f"row {number}: label offsets must be integers: {label!r}")
        spans.append(IncomingSpan(coder=coder, code_path=(str(name),), start=start, end=end))
    return spans


def _source(row: dict[str, Any], mapping: dict[str, str], number: int, options: Options):  # type: ignore[no-untyped-def]
    def value(field: str) -> str:
        column = mapping.get(field)
        raw = row.get(column) if column else None
        return "" if raw is None else str(raw).strip() if field != "text" else str(raw)

    text = value("text")
    if problem := unstorable(text):
        raise Unreadable(f"row {number}: the text {problem}")
    used = set(mapping.values()) | set(DOCCANO_LABELS)
    coder = options.coder or str(row.get("user") or row.get("annotator") or "doccano")
    return IncomingSource(
        title=value("title")[:500] or title_from(text, f"Row {number}"),
        text=text,
        kind=source_kind(value("kind")),
        outlet=value("outlet")[:300],
        author=value("author")[:300],
        url=value("url") if value("url").startswith(("http://", "https://")) else "",
        published=published_date(value("published")),
        language=value("language")[:35],
        metadata={name: _cell(raw) for name, raw in row.items() if name not in used},
        spans=_spans(row, coder, number),
    )


def read(upload: Upload, options: Options) -> Batch:
    sources: list[IncomingSource] = []
    batch = Batch(sources=sources)
    mapping = options.mapping
    for number, row in enumerate(rows(upload), start=1):
        if mapping is None:
            mapping = propose_mapping(list(row))
        if not mapping.get("text") or mapping["text"] not in row:
            raise Unreadable(
                f"{upload.name} has no text column (columns: {', '.join(map(str, row))}); "
                "map one to text"
            )
        unknown = set(mapping) - set(FIELDS)
        if unknown:
            raise Unreadable(f"the mapping names unknown fields: {', '.join(sorted(unknown))}")
        source = _source(row, mapping, number, options)
        if source.text.strip():
            sources.append(source)
        else:
            batch.warnings.append(f"row {number} has no text; skipped")
    if not sources:
        raise Unreadable(f"{upload.name} has no rows with text")
    return batch
