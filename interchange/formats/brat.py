"""brat standoff: a zip of per-coder folders, each with `.txt` documents and their `.ann` files.

Offsets in `.ann` count code points of the decoded `.txt`, end exclusive. The same document in
several coders' folders (same name, same text) becomes one source with every coder's spans.
A discontinuous span (`LABEL 0 5;9 12`) becomes one span per fragment, with a warning.
"""

from dataclasses import dataclass, field

from interchange.formats.incoming import (
    Batch,
    IncomingCode,
    IncomingSource,
    IncomingSpan,
    Options,
    Unreadable,
    Upload,
)
from interchange.formats.safety import is_zip, open_zip
from interchange.formats.text import decode_utf8, stem, title_from


def detect(upload: Upload) -> bool:
    if not (upload.name.lower().endswith(".zip") and is_zip(upload.data)):
        return False
    return b".ann" in upload.data


@dataclass
class _Annotations:
    spans: list[IncomingSpan] = field(default_factory=list)
    fragmented: int = 0


def _parse_ann(content: str, text: str, coder: str, where: str) -> _Annotations:
    found = _Annotations()
    notes: dict[str, str] = {}
    bound: list[tuple[str, str, list[tuple[int, int]]]] = []
    for number, line in enumerate(content.splitlines(), start=1):
        columns = line.split("\t")
        if line.startswith("T") and len(columns) >= 2:
            label, _, ranges = columns[1].partition(" ")
            try:
                fragments = [
                    (int(start), int(end))
                    for start, end in (part.split() for part in ranges.split(";"))
                ]
            except ValueError:
                raise Unreadable(f"{where}, line {number}: cannot read {columns[1]!r}") from None
            surface = columns[2] if len(columns) > 2 else None
            actual = " ".join(text[start:end] for start, end in fragments)
            if surface is not None and surface != actual:
                raise Unreadable(
                    f"{where}, line {number}: the text at {ranges} is {actual!r}, "
                    f"not {surface!r} (a .ann belonging to another .txt?)"
                )
            bound.append((columns[0], label, fragments))
        elif line.startswith("#") and len(columns) >= 3:
            kind, _, target = columns[1].partition(" ")
            if kind == "AnnotatorNotes":
                notes[target] = columns[2]
    for ident, label, fragments in bound:
        found.fragmented += len(fragments) > 1
        for start, end in fragments:
            if not 0 <= start < end <= len(text):
                raise Unreadable(f"{where}: span {ident} [{start}, {end}) is outside the text")
            memo = notes.get(ident, "")
            found.spans.append(IncomingSpan(coder, (label,), start, end, memo))
    return found


def read(upload: Upload, options: Options) -> Batch:
    files = open_zip(upload.data, upload.name)
    documents: dict[tuple[str, str], IncomingSource] = {}
    batch = Batch()
    fragmented = 0
    for name in sorted(files):
        if not name.endswith(".ann"):
            continue
        text_name = name[: -len(".ann")] + ".txt"
        if text_name not in files:
            raise Unreadable(f"{name} has no {text_name} beside it")
        parts = name.split("/")
        coder = parts[-2] if len(parts) > 1 else options.coder or "brat"
        text = decode_utf8(files[text_name], text_name)
        found = _parse_ann(decode_utf8(files[name], name), text, coder, name)
        fragmented += found.fragmented
        document = stem(name)
        key = (document, text)
        if key not in documents:
            documents[key] = IncomingSource(
                title=title_from(text, document), text=text, metadata={"brat_document": document}
            )
        documents[key].spans.extend(found.spans)
        documents[key].coders.append(coder)
        if coder not in batch.users:
            batch.users.append(coder)
    if not documents:
        raise Unreadable(f"{upload.name} holds no brat .ann files")
    batch.sources = list(documents.values())
    labels = sorted({span.code_path for source in batch.sources for span in source.spans})
    batch.codes = [IncomingCode(path=path) for path in labels]
    if fragmented:
        batch.warnings.append(f"{fragmented} discontinuous span(s) split into their fragments")
    return batch
