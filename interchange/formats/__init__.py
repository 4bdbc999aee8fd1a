"""The file formats, one module each, holding both directions where a format has both.

`IMPORTERS` maps a kind to its reader module: `detect(upload) -> bool` and
`read(upload, options) -> Batch`. Detection tries the kinds in this order, most specific first.
`EXPORTERS` maps an export kind to its writer: `write(snapshot, options)` yields the file's
bytes (see interchange.formats.outgoing), with the file's extension and media type.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from interchange.formats import (
    annotation_table,
    brat,
    codebook,
    docx,
    frictionless,
    html,
    jsonl,
    pdf,
    plain_text,
    refi_qda,
    tables,
    telegram,
    w3c,
    wide,
    xlsx,
)
from interchange.formats.incoming import Unreadable, Upload
from interchange.formats.outgoing import Snapshot

IMPORTERS: dict[str, ModuleType] = {
    "refi_qda": refi_qda,
    "telegram": telegram,
    "brat": brat,
    "docx": docx,
    "pdf": pdf,
    "html": html,
    "table": tables,
    "text": plain_text,
}
KINDS = sorted(IMPORTERS)


def reader_for(upload: Upload, kind: str | None = None) -> ModuleType:
    """The reader for `upload`: the one named by `kind`, else the first that recognises it."""
    if kind:
        if kind not in IMPORTERS:
            raise Unreadable(f"unknown kind {kind!r}; one of: {', '.join(IMPORTERS)}")
        return IMPORTERS[kind]
    for reader in IMPORTERS.values():
        if reader.detect(upload):
            return reader
    raise Unreadable(
        f"{upload.name}: not a format Narrative Coder imports (.txt, .html, .docx, .pdf, .csv, "
        ".xlsx, .jsonl, a Telegram export, a brat zip, .qdpx, .qdc)"
    )


@dataclass(frozen=True)
class Exporter:
    write: Callable[[Snapshot, dict[str, Any]], Iterator[bytes]]
    extension: str
    media_type: str
    label: str
    # Takes `exact` (no formula guard): the spreadsheet-oriented CSV kinds.
    guarded: bool = False


EXPORTERS: dict[str, Exporter] = {
    "csv": Exporter(annotation_table.write, "csv", "text/csv", "CSV, one row per annotation", True),
    "xlsx": Exporter(xlsx.write, "xlsx", xlsx.MEDIA_TYPE, "Excel workbook"),
    "jsonl": Exporter(jsonl.write, "jsonl", jsonl.MEDIA_TYPE, "JSON Lines, one source a line"),
    "wide": Exporter(wide.write, "csv", "text/csv", "Wide CSV, a row per source and coder", True),
    "qdpx": Exporter(refi_qda.write_qdpx, "qdpx", "application/zip", "REFI-QDA project"),
    "qdc": Exporter(refi_qda.write_qdc, "qdc", "application/xml", "REFI-QDA codebook"),
    "w3c": Exporter(w3c.write, "jsonld", w3c.MEDIA_TYPE, "W3C Web Annotation collection"),
    "package": Exporter(frictionless.write, "zip", "application/zip", "Frictionless data package"),
    "codebook": Exporter(codebook.write, "html", "text/html", "Codebook as HTML"),
}
EXPORT_KINDS = list(EXPORTERS)
