"""REFI-QDA, the exchange standard of NVivo, ATLAS.ti, MAXQDA and QualCoder.

Reader half: `.qdpx` (a zip holding `project.qde` and the plain-text sources), a bare `.qde` and
a `.qdc` codebook. Read leniently, as vendors differ: `sources/` or `Sources/`, GUIDs in any case
with or without braces, a byte-order mark and CRLF in source files, elements matched by local
name whatever the namespace. Positions count code points, end exclusive. What the writer below
puts in a file comes back: a user's `id` is the username, source variables fill the source's
fields, and a code's labelled Description goes back into its fields.

Writer: positions are code points of the source's text file, end exclusive (as in the ATLAS.ti
example of the standard's annex), so every selection's `name` is exactly `text[start:end]`.
GUIDs are derived from the project and the row (UUID 5), so exporting the same project again
gives the same GUIDs and tools can merge the second file into the first; an annotation's GUID
is its own id. Source texts are UTF-8 files `sources/<guid>.txt`, referenced as
`internal://<guid>.txt`; the XML never also carries `PlainTextContent`.
"""

import re
import uuid
from collections.abc import Iterator
from typing import Any
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
from interchange.formats.outgoing import (
    OutAnnotation,
    OutCode,
    OutSource,
    Snapshot,
    gathered,
    iso,
)
from interchange.formats.safety import is_zip, open_zip, parse_xml
from interchange.formats.text import decode_utf8, published_date, source_kind, stem
from interchange.formats.xmltext import xml_attribute as attr
from interchange.formats.xmltext import xml_text as text
from interchange.formats.zipstream import ZipStream

EXTENSIONS = (".qdpx", ".qde", ".qdc")
FILE_NAMES = (".txt", ".docx")
# How the `origin` of a project written here starts (the software and its version follow).
ORIGIN = "Narrative Coder "
# Source metadata as REFI variables: (field, variable name, type).
VARIABLES = (
    ("kind", "Kind", "Text"),
    ("outlet", "Outlet", "Text"),
    ("author", "Author", "Text"),
    ("url", "URL", "Text"),
    ("published", "Published", "Date"),
    ("language", "Language", "Text"),
)
# A code's fields as the labelled parts of its Description, in this order; a retired code's
# Description ends with RETIRED.
DESCRIBED = (
    ("definition", "Definition"),
    ("inclusion", "Inclusion"),
    ("exclusion", "Exclusion"),
    ("example", "Example"),
)
RETIRED = "(retired)"
_LABELS = [label for _, label in DESCRIBED]
_LABELLED = re.compile(rf"(?:^|\n\n)({'|'.join(_LABELS)}): ")


def detect(upload: Upload) -> bool:
    return upload.name.lower().endswith(EXTENSIONS)


def _local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element if _local(child) == name)


def _child(element: Element, name: str) -> Element | None:
    return next(_children(element, name), None)


def guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


def described(description: str) -> dict[str, Any]:
    """The code fields in a Description: the labelled parts this writer makes, taken apart
    again; another tool's free text is the definition."""
    retired = description == RETIRED or description.endswith(f"\n\n{RETIRED}")
    body = description.removesuffix(RETIRED).removesuffix("\n\n") if retired else description
    before, *parts = _LABELLED.split(body)
    labels = parts[::2]
    if before or not labels or labels != [label for label in _LABELS if label in labels]:
        return {"definition": body.strip(), "retired": retired}
    fields = dict(zip(labels, parts[1::2], strict=True))
    return {field: fields.get(label, "") for field, label in DESCRIBED} | {"retired": retired}


def _codes(
    parent: Element, path: tuple[str, ...], found: list[IncomingCode], by_guid: dict
) -> None:
    for code in _children(parent, "Code"):
        name = (code.get("name") or "").strip()
        if not name:
            raise Unreadable(f"a code without a name (guid {code.get('guid')})")
        here = (*path, name)
        colour = (code.get("color") or "").strip()
        description = _child(code, "Description")
        fields = described(description.text or "") if description is not None else {}
        found.append(IncomingCode(path=here, colour=colour, **fields))
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
        description = _child(selection, "Description")
        memo = (description.text or "") if description is not None else ""
        for coding in _children(selection, "Coding"):
            ref = _child(coding, "CodeRef")
            path = codes.get(guid(ref.get("targetGUID"))) if ref is not None else None
            if path is None:
                raise Unreadable(f"selection {selection.get('guid')} codes an unknown code")
            creator = coding.get("creatingUser") or selection.get("creatingUser")
            coder = users.get(guid(creator), "refi-qda")
            yield IncomingSpan(coder=coder, code_path=path, start=start, end=end, memo=memo)


def _users(root: Element, batch: Batch) -> dict[str, str]:
    """Each user's GUID with the username it comes in as: the user's `id` (a login, which this
    writer fills in), else the name; the name is kept as the person's full name."""
    users: dict[str, str] = {}
    element = _child(root, "Users")
    for user in _children(element, "User") if element is not None else ():
        key = guid(user.get("guid"))
        name = (user.get("name") or "").strip()
        users[key] = (user.get("id") or "").strip() or name or key
        if name and name != users[key]:
            batch.full_names[users[key]] = name
    batch.users = list(dict.fromkeys(users.values()))
    return users


def _variables(root: Element) -> dict[str, str]:
    element = _child(root, "Variables")
    return {
        guid(variable.get("guid")): (variable.get("name") or "").strip()
        for variable in (_children(element, "Variable") if element is not None else ())
    }


def _field_value(field: str, value: str) -> Any:
    """`value` as the source field `field` holds it, or None where the field cannot hold it."""
    if field == "kind":
        kind = source_kind(value)
        return kind if kind != "other" or value.lower() == "other" else None
    if field == "published":
        return published_date(value)
    if field == "url":
        return value if value.startswith(("http://", "https://")) else None
    return value


def _source_fields(source: Element, variables: dict[str, str]) -> dict[str, Any]:
    """A source's fields from its variable values (the variables this writer names, in any
    case); other variables, and values a field cannot hold, go to its metadata."""
    fields: dict[str, Any] = {}
    metadata: dict[str, str] = {"refi_qda_guid": guid(source.get("guid"))}
    by_name = {name.lower(): field for field, name, _ in VARIABLES}
    for value in _children(source, "VariableValue"):
        ref = _child(value, "VariableRef")
        name = variables.get(guid(ref.get("targetGUID"))) if ref is not None else None
        content = next((child.text for child in value if _local(child) != "VariableRef"), None)
        if not name or content is None:
            continue
        field = by_name.get(name.lower(), "")
        converted = _field_value(field, content.strip()) if field else None
        if converted is None:
            metadata[name] = content.strip()
        else:
            fields[field] = converted
    return fields | {"metadata": metadata}


def _project(root: Element, files: dict[str, bytes]) -> Batch:
    found: list[IncomingSource] = []
    batch = Batch(sources=found)
    users = _users(root, batch)
    variables = _variables(root)
    batch.codes, codes = _codebook(root)
    internal = _internal_files(files)
    sources = _child(root, "Sources")
    # Other tools name a source after its file; this writer writes the title as it is.
    file_named = not (root.get("origin") or "").startswith(ORIGIN)
    for source in _children(sources, "TextSource") if sources is not None else ():
        text = _plain_text(source, internal, batch)
        if text is None:
            continue
        spans = list(_selection_spans(source, text, users, codes))
        title = (source.get("name") or "").strip() or "Untitled source"
        found.append(
            IncomingSource(
                title=stem(title) if file_named and title.lower().endswith(FILE_NAMES) else title,
                text=text,
                spans=spans,
                coders=list(dict.fromkeys(span.coder for span in spans)),
                **_source_fields(source, variables),
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


PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


def stable_guid(snapshot: Snapshot, what: str, key: object) -> str:
    namespace = uuid.uuid5(
        uuid.NAMESPACE_URL,
        f"narrative-coder:project:{snapshot.project_id}:{iso(snapshot.project_created)}",
    )
    return str(uuid.uuid5(namespace, f"{what}:{key}"))


def code_description(code: OutCode) -> str:
    parts = ((label, getattr(code, field)) for field, label in DESCRIBED)
    labelled = "\n\n".join(f"{label}: {value}" for label, value in parts if value)
    return labelled + (f"\n\n{RETIRED}" if code.retired else "")


def _codes_xml(snapshot: Snapshot) -> Iterator[str]:
    children: dict[int | None, list[OutCode]] = {}
    for code in snapshot.codes:
        children.setdefault(code.parent_id, []).append(code)

    def tree(parent: int | None) -> Iterator[str]:
        for code in children.get(parent, []):
            yield (
                f"<Code guid={attr(stable_guid(snapshot, 'code', code.id))} name={attr(code.name)}"
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
    # A gold passage's coding is the adjudicator's decision, made when they decided it.
    coding_user = users[note.adjudicated_by] if note.adjudicated_by else user
    coding_created = iso(note.adjudicated_at) if note.adjudicated_at else created
    parts.append(
        f'<Coding guid="{stable_guid(snapshot, "coding", note.id)}" creatingUser="{coding_user}"'
        f' creationDateTime="{coding_created}">'
        f'<CodeRef targetGUID="{stable_guid(snapshot, "code", note.code_id)}"/></Coding>'
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
            f'<VariableValue><VariableRef targetGUID="{stable_guid(snapshot, "variable", field)}"/>'
            f"<{tag}>{text(shown)}</{tag}></VariableValue>"
        )


def _project_xml(snapshot: Snapshot) -> Iterator[str]:
    users = {coder.username: stable_guid(snapshot, "user", coder.id) for coder in snapshot.coders}
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
        variable = stable_guid(snapshot, "variable", field)
        yield f'<Variable guid="{variable}" name="{name}" typeOfVariable="{kind}"/>'
    yield "</Variables>"
    done, opened = 0, False
    for source, notes in snapshot.sources_with_annotations(with_text=False):
        if not opened:
            yield "<Sources>"
            opened = True
        source_guid = stable_guid(snapshot, "source", source.id)
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


def write_qdpx(snapshot: Snapshot, options: dict[str, Any]) -> Iterator[bytes]:
    archive = ZipStream(snapshot.taken_at)
    yield from archive.entry("project.qde", gathered(_project_xml(snapshot)))
    for source in snapshot.sources():
        name = f"sources/{stable_guid(snapshot, 'source', source.id)}.txt"
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
    yield from gathered(parts())
