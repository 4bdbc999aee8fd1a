"""REFI-QDA, the exchange standard of NVivo, ATLAS.ti, MAXQDA and QualCoder.

Reader half: `.qdpx` (a zip holding `project.qde` and the plain-text sources), a bare `.qde` and
a `.qdc` codebook. Read leniently, as vendors differ: `sources/` or `Sources/`, GUIDs in any case
with or without braces, a byte-order mark and CRLF in source files, elements matched by local
name whatever the namespace. Positions count code points, end exclusive.
"""

from collections.abc import Iterator
from xml.etree.ElementTree import Element

from interchange.formats.incoming import (
    Batch,
    IncomingCode,
    IncomingSource,
    IncomingSpan,
    Options,
    Unreadable,
    Upload,
)
from interchange.formats.safety import is_zip, open_zip, parse_xml
from interchange.formats.text import decode_utf8, stem

EXTENSIONS = (".qdpx", ".qde", ".qdc")


def detect(upload: Upload) -> bool:
    return upload.name.lower().endswith(EXTENSIONS)


def _local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element if _local(child) == name)


def _child(element: Element, name: str) -> Element | None:
    return next(_children(element, name), None)


def _text_of(element: Element, name: str) -> str:
    child = _child(element, name)
    return (child.text or "").strip() if child is not None else ""


def guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


def _codes(
    parent: Element, path: tuple[str, ...], found: list[IncomingCode], by_guid: dict
) -> None:
    for code in _children(parent, "Code"):
        name = (code.get("name") or "").strip()
        if not name:
            raise Unreadable(f"a code without a name (guid {code.get('guid')})")
        here = (*path, name)
        colour = (code.get("color") or "").strip()
        found.append(
            IncomingCode(path=here, colour=colour, definition=_text_of(code, "Description"))
        )
        by_guid[guid(code.get("guid"))] = here
        _codes(code, here, found, by_guid)


def _codebook(root: Element) -> tuple[list[IncomingCode], dict[str, tuple[str, ...]]]:
    book = root if _local(root) == "CodeBook" else _child(root, "CodeBook")
    found: list[IncomingCode] = []
    by_guid: dict[str, tuple[str, ...]] = {}
    codes = _child(book, "Codes") if book is not None else None
    if codes is not None:
        _codes(codes, (), found, by_guid)
    return found, by_guid


def _internal_files(files: dict[str, bytes]) -> dict[str, bytes]:
    """Source files by their lower-case base name, from `sources/` whatever its case."""
    return {
        name.rsplit("/", 1)[-1].lower(): data
        for name, data in files.items()
        if "/" in name and name.rsplit("/", 2)[-2].lower() == "sources"
    }


def _plain_text(source: Element, internal: dict[str, bytes], batch: Batch) -> str | None:
    content = _child(source, "PlainTextContent")
    if content is not None:
        return content.text or ""
    path = (source.get("plainTextPath") or "").strip()
    name = path.removeprefix("internal://").rsplit("/", 1)[-1].lower()
    file_stem, _, extension = name.rpartition(".")
    data = internal.get(name) or internal.get(f"{guid(file_stem)}.{extension}")
    if data is None:
        batch.warnings.append(f"source {source.get('name')!r}: its text file {path!r} is missing")
        return None
    return decode_utf8(data, path)


def _selection_spans(
    source: Element, text: str, users: dict[str, str], codes: dict[str, tuple[str, ...]]
) -> Iterator[IncomingSpan]:
    for selection in _children(source, "PlainTextSelection"):
        try:
            start = int(selection.get("startPosition", ""))
            end = int(selection.get("endPosition", ""))
        except ValueError:
            raise Unreadable(
                f"selection {selection.get('guid')}: positions are not numbers"
            ) from None
        if not 0 <= start < end <= len(text):
            raise Unreadable(
                f"selection {selection.get('guid')} [{start}, {end}) lies outside its source "
                f"{source.get('name')!r} ({len(text)} characters)"
            )
        memo = _text_of(selection, "Description")
        for coding in _children(selection, "Coding"):
            ref = _child(coding, "CodeRef")
            path = codes.get(guid(ref.get("targetGUID"))) if ref is not None else None
            if path is None:
                raise Unreadable(f"selection {selection.get('guid')} codes an unknown code")
            creator = coding.get("creatingUser") or selection.get("creatingUser")
            coder = users.get(guid(creator), "refi-qda")
            yield IncomingSpan(coder=coder, code_path=path, start=start, end=end, memo=memo)


def _project(root: Element, files: dict[str, bytes]) -> Batch:
    found: list[IncomingSource] = []
    batch = Batch(sources=found)
    users_element = _child(root, "Users")
    users = {
        guid(user.get("guid")): (user.get("name") or guid(user.get("guid"))).strip()
        for user in (_children(users_element, "User") if users_element is not None else ())
    }
    batch.users = list(dict.fromkeys(users.values()))
    batch.codes, codes = _codebook(root)
    internal = _internal_files(files)
    sources = _child(root, "Sources")
    for source in _children(sources, "TextSource") if sources is not None else ():
        text = _plain_text(source, internal, batch)
        if text is None:
            continue
        spans = list(_selection_spans(source, text, users, codes))
        title = (source.get("name") or "").strip() or "Untitled source"
        found.append(
            IncomingSource(
                title=stem(title) if title.lower().endswith((".txt", ".docx")) else title,
                text=text,
                metadata={"refi_qda_guid": guid(source.get("guid"))},
                spans=spans,
                coders=list(dict.fromkeys(span.coder for span in spans)),
            )
        )
    if sources is not None and not found:
        batch.warnings.append("no source text was found; only users and the codebook came in")
    return batch


def read(upload: Upload, options: Options) -> Batch:
    files: dict[str, bytes] = {}
    if is_zip(upload.data):
        files = open_zip(upload.data, upload.name)
        project = next((name for name in files if name.lower().endswith(".qde")), None)
        if project is None:
            raise Unreadable(f"{upload.name} holds no project.qde")
        root = parse_xml(files[project], project)
    else:
        root = parse_xml(upload.data, upload.name)
    if _local(root) == "CodeBook":
        codes, _ = _codebook(root)
        return Batch(codes=codes)
    if _local(root) != "Project":
        raise Unreadable(f"{upload.name} is neither a REFI-QDA project nor a codebook")
    return _project(root, files)
