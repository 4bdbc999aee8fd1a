"""Plain-text files: UTF-8, with or without a byte-order mark; one file is one source."""

from interchange.formats.incoming import Batch, IncomingSource, Options, Unreadable, Upload
from interchange.formats.text import decode_utf8, stem, title_from

EXTENSIONS = (".txt",)


def detect(upload: Upload) -> bool:
    return upload.name.lower().endswith(EXTENSIONS)


def read(upload: Upload, options: Options) -> Batch:
    text = decode_utf8(upload.data, upload.name)
    if not text.strip():
        raise Unreadable(f"{upload.name} is empty")
    title = title_from(text, stem(upload.name))
    return Batch(sources=[IncomingSource(title=title, text=text)])
