"""The file formats, one module each, holding both directions where a format has both.

`IMPORTERS` maps a kind to its reader module: `detect(upload) -> bool` and
`read(upload, options) -> Batch`. Detection tries the kinds in this order, most specific first.
"""

from types import ModuleType

from interchange.formats import (
    brat,
    docx,
    html,
    pdf,
    plain_text,
    refi_qda,
    tables,
    telegram,
)
from interchange.formats.incoming import Unreadable, Upload

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
