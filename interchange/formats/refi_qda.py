"""REFI-QDA (QDA-XML 1.0, REFI-QDA 1.5): `qdpx` projects and `qdc` codebooks.

Writer: positions are code points of the source's text file, end exclusive (as in the ATLAS.ti
example of the standard's annex), so every selection's `name` is exactly `text[start:end]`.
GUIDs are derived from the project and the row (UUID 5), so exporting the same project again
gives the same GUIDs and tools can merge the second file into the first; an annotation's GUID
is its own id. Source texts are UTF-8 files `sources/<guid>.txt`, referenced as
`internal://<guid>.txt`; the XML never also carries `PlainTextContent`.
"""

import uuid
from collections.abc import Iterator
from typing import Any

from interchange.formats.outgoing import OutAnnotation, OutCode, OutSource, Snapshot, iso
from interchange.formats.xmltext import xml_attribute as attr
from interchange.formats.xmltext import xml_text as text
from interchange.formats.zipstream import ZipStream

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
# Source metadata as REFI variables: (field, variable name, type).
VARIABLES = (
    ("kind", "Kind", "Text"),
    ("outlet", "Outlet", "Text"),
    ("author", "Author", "Text"),
    ("url", "URL", "Text"),
    ("published", "Published", "Date"),
    ("language", "Language", "Text"),
)
FLUSH = 1 << 16


def guid(snapshot: Snapshot, what: str, key: object) -> str:
    namespace = uuid.uuid5(
        uuid.NAMESPACE_URL,
        f"narrative-coder:project:{snapshot.project_id}:{iso(snapshot.project_created)}",
    )
    return str(uuid.uuid5(namespace, f"{what}:{key}"))


def code_description(code: OutCode) -> str:
    parts = [
        ("Definition", code.definition),
        ("Inclusion", code.inclusion),
        ("Exclusion", code.exclusion),
        ("Example", code.example),
    ]
    described = "\n\n".join(f"{label}: {value}" for label, value in parts if value)
    return described + ("\n\n(retired)" if code.retired else "")


def _codes_xml(snapshot: Snapshot) -> Iterator[str]:
    children: dict[int | None, list[OutCode]] = {}
    for code in snapshot.codes:
        children.setdefault(code.parent_id, []).append(code)

    def tree(parent: int | None) -> Iterator[str]:
        for code in children.get(parent, []):
            yield (
                f"<Code guid={attr(guid(snapshot, 'code', code.id))} name={attr(code.name)}"
                f' isCodable="true" color={attr(code.colour)}>'
            )
            if description := code_description(code):
                yield f"<Description>{text(description)}</Description>"
            yield from tree(code.id)
            yield "</Code>"

    yield "<Codes>"
    yield from tree(None)
    yield "</Codes>"


def _selection(snapshot: Snapshot, note: OutAnnotation, users: dict[str, str]) -> str:
    user = users[note.coder]
    created = iso(note.created)
    parts = [
        f"<PlainTextSelection guid={attr(note.id)} name={attr(note.quote)}"
        f' startPosition="{note.start}" endPosition="{note.end}" creatingUser="{user}"'
        f' creationDateTime="{created}" modifyingUser="{user}"'
        f' modifiedDateTime="{iso(note.updated)}">'
    ]
    if note.memo:
        parts.append(f"<Description>{text(note.memo)}</Description>")
    parts.append(
        f'<Coding guid="{guid(snapshot, "coding", note.id)}" creatingUser="{user}"'
        f' creationDateTime="{created}">'
        f'<CodeRef targetGUID="{guid(snapshot, "code", note.code_id)}"/></Coding>'
    )
    parts.append("</PlainTextSelection>")
    return "".join(parts)


def _variable_values(snapshot: Snapshot, source: OutSource) -> Iterator[str]:
    for field, _, kind in VARIABLES:
        value = getattr(source, field)
        if not value:
            continue
        tag = "DateValue" if kind == "Date" else "TextValue"
        shown = value.isoformat() if kind == "Date" else value
        yield (
            f'<VariableValue><VariableRef targetGUID="{guid(snapshot, "variable", field)}"/>'
            f"<{tag}>{text(shown)}</{tag}></VariableValue>"
        )


def _project_xml(snapshot: Snapshot) -> Iterator[str]:
    users = {coder.username: guid(snapshot, "user", coder.id) for coder in snapshot.coders}
    yield '<?xml version="1.0" encoding="utf-8"?>\n'
    yield (
        f'<Project xmlns="{PROJECT_NS}" name={attr(snapshot.project_name)}'
        f' origin={attr(snapshot.software)} creationDateTime="{iso(snapshot.taken_at)}">'
    )
    if snapshot.coders:
        yield "<Users>"
        for coder in snapshot.coders:
            name = attr(coder.full_name or coder.username)
            yield f'<User guid="{users[coder.username]}" name={name} id={attr(coder.username)}/>'
        yield "</Users>"
    if snapshot.codes:
        yield "<CodeBook>"
        yield from _codes_xml(snapshot)
        yield "</CodeBook>"
    yield "<Variables>"
    for field, name, kind in VARIABLES:
        variable = guid(snapshot, "variable", field)
        yield f'<Variable guid="{variable}" name="{name}" typeOfVariable="{kind}"/>'
    yield "</Variables>"
    done, opened = 0, False
    for source, notes in snapshot.sources_with_annotations(with_text=False):
        if not opened:
            yield "<Sources>"
            opened = True
        source_guid = guid(snapshot, "source", source.id)
        yield (
            f'<TextSource guid="{source_guid}" name={attr(source.title)}'
            f' plainTextPath="internal://{source_guid}.txt"'
            f' creationDateTime="{iso(source.created)}">'
        )
        for note in notes:
            yield _selection(snapshot, note, users)
        yield from _variable_values(snapshot, source)
        yield "</TextSource>"
        done += len(notes)
        snapshot.progress(done)
    if opened:
        yield "</Sources>"
    description = (
        f"Exported from {snapshot.software} at {iso(snapshot.taken_at)} (snapshot time). "
        f"Filters: {snapshot.filters or 'none'}. Positions are Unicode code points, end exclusive."
    )
    yield f"<Description>{text(description)}</Description>"
    yield "</Project>\n"


def _encoded(parts: Iterator[str]) -> Iterator[bytes]:
    buffer: list[str] = []
    size = 0
    for part in parts:
        buffer.append(part)
        size += len(part)
        if size >= FLUSH:
            yield "".join(buffer).encode()
            buffer.clear()
            size = 0
    yield "".join(buffer).encode()


def write_qdpx(snapshot: Snapshot, options: dict[str, Any]) -> Iterator[bytes]:
    archive = ZipStream(snapshot.taken_at)
    yield from archive.entry("project.qde", _encoded(_project_xml(snapshot)))
    for source in snapshot.sources():
        name = f"sources/{guid(snapshot, 'source', source.id)}.txt"
        yield from archive.entry(name, [source.text.encode()])
    yield from archive.close()


def write_qdc(snapshot: Snapshot, options: dict[str, Any]) -> Iterator[bytes]:
    def parts() -> Iterator[str]:
        yield '<?xml version="1.0" encoding="utf-8"?>\n'
        yield f'<CodeBook xmlns="{CODEBOOK_NS}" origin={attr(snapshot.software)}>'
        yield from _codes_xml(snapshot)
        yield "</CodeBook>\n"

    if not snapshot.codes:
        raise ValueError("The codebook is empty; a REFI-QDA codebook needs at least one code.")
    yield from _encoded(parts())
