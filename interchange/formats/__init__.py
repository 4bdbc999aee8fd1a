"""The formats, one module per format holding both directions where a format has both.

`EXPORTERS` maps an export kind to its writer: `write(snapshot, options)` yields the file's
bytes (see interchange.formats.outgoing), with the file's extension and media type.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from interchange.formats import (
    annotation_table,
    codebook,
    frictionless,
    jsonl,
    refi_qda,
    w3c,
    wide,
    xlsx,
)
from interchange.formats.outgoing import Snapshot


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
