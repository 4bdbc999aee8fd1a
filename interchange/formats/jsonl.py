"""`jsonl`: one JSON object per line and per source, with its full text and its annotations.

For every annotation `quote == text[start:end]` in Python (code points); JavaScript and other
UTF-16 readers must convert offsets first.
"""

import json
from collections.abc import Iterator
from typing import Any

from interchange.formats.outgoing import OutAnnotation, OutSource, Snapshot, iso, iso_date

EXTENSION, MEDIA_TYPE = "jsonl", "application/x-ndjson"


def source_line(snapshot: Snapshot, source: OutSource, notes: list[OutAnnotation]) -> str:
    line = {
        "project": snapshot.project_name,
        "source_id": source.id,
        "title": source.title,
        "kind": source.kind,
        "outlet": source.outlet,
        "author": source.author,
        "url": source.url,
        "published": iso_date(source.published) or None,
        "language": source.language,
        "sha256": source.sha256,
        "metadata": source.metadata,
        "text": source.text,
        "annotations": [annotation_object(snapshot, note) for note in notes],
    }
    return json.dumps(line, ensure_ascii=False) + "\n"


def annotation_object(snapshot: Snapshot, note: OutAnnotation) -> dict[str, Any]:
    code = snapshot.code(note.code_id)
    return {
        "id": note.id,
        "coder": note.coder,
        "code_id": code.id,
        "code": code.name,
        "code_path": list(code.names),
        "start": note.start,
        "end": note.end,
        "quote": note.quote,
        "memo": note.memo,
        "created": iso(note.created),
        "updated": iso(note.updated),
        "version": note.version,
        "layer": note.layer,
        "adjudicated_by": note.adjudicated_by or None,
        "adjudicated_at": iso(note.adjudicated_at) or None,
        "derived_from": note.derived_from,
    }


def write(snapshot: Snapshot, options: dict[str, Any]) -> Iterator[bytes]:
    done = 0
    for source, notes in snapshot.sources_with_annotations():
        yield source_line(snapshot, source, notes).encode()
        done += len(notes)
        snapshot.progress(done)
