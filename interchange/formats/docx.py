"""Word documents: paragraphs and table cells, in document order, one per line."""

import io
from collections.abc import Iterator
from typing import Any

import docx
from docx.table import Table

from interchange.formats.incoming import Batch, IncomingSource, Options, Unreadable, Upload
from interchange.formats.safety import is_zip, open_zip
from interchange.formats.text import stem, title_from
from sources.models import unstorable

EXTENSIONS = (".docx",)


def detect(upload: Upload) -> bool:
    return upload.name.lower().endswith(EXTENSIONS)


def _lines(container: Any) -> Iterator[str]:
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                # A merged cell appears once per grid column it spans; keep it once. Holding
                # the elements keeps their identity stable while comparing.
                seen: list[Any] = []
                for cell in row.cells:
                    if not any(cell._tc is element for element in seen):
                        seen.append(cell._tc)
                        yield from _lines(cell)
        else:
            yield block.text


def read(upload: Upload, options: Options) -> Batch:
    if not is_zip(upload.data):
        raise Unreadable(f"{upload.name} is not a .docx file (an old .doc? save it as .docx)")
    open_zip(upload.data, upload.name)  # refuses traversal and bombs before python-docx reads it
    try:
        document = docx.Document(io.BytesIO(upload.data))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise Unreadable(f"{upload.name} is not a readable .docx file ({exc})") from None
    text = "\n".join(_lines(document)).strip("\n")
    if not text.strip():
        raise Unreadable(f"{upload.name} has no text")
    if problem := unstorable(text):
        raise Unreadable(f"{upload.name}: the text {problem}")
    properties = document.core_properties
    created = properties.created
    source = IncomingSource(
        title=properties.title or title_from(text, stem(upload.name)),
        text=text,
        author=properties.author or "",
        published=created.date() if created else None,
        language=properties.language or "",
    )
    return Batch(sources=[source])
