"""PDF reports: the text layer, page by page; a scan without one needs OCR first."""

import io
import re

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from interchange.formats.incoming import Batch, IncomingSource, Options, Unreadable, Upload
from interchange.formats.text import stem, title_from
from sources.models import SourceKind

EXTENSIONS = (".pdf",)


def detect(upload: Upload) -> bool:
    return upload.name.lower().endswith(EXTENSIONS) or upload.data[:5] == b"%PDF-"


def read(upload: Upload, options: Options) -> Batch:
    try:
        reader = PdfReader(io.BytesIO(upload.data))
        if reader.is_encrypted:
            raise Unreadable(f"{upload.name} is encrypted; save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise Unreadable(f"{upload.name} is not a readable PDF ({exc})") from None
    # pypdf ends a page's text with trailing spaces on lines; they are layout, not text.
    text = "\n\n".join(re.sub(r"[ \t]+\n", "\n", page).strip("\n") for page in pages)
    if not text.strip():
        raise Unreadable(
            f"{upload.name} has no text layer (a scanned document?); run OCR on it first"
        )
    # Some PDF producers pad strings with NUL, which no database column can hold.
    text = text.replace("\x00", "")
    source = IncomingSource(
        title=(info.title if info and info.title else "") or title_from(text, stem(upload.name)),
        text=text,
        kind=SourceKind.RESEARCH_REPORT,
        author=(info.author if info and info.author else "") or "",
        metadata={"pages": len(pages)},
    )
    return Batch(sources=[source])
