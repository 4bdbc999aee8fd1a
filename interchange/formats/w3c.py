"""`w3c`: a W3C Web Annotation `AnnotationCollection` (JSON-LD) with every annotation in scope.

Each annotation classifies a passage: the code path is a `TextualBody` with purpose
`classifying`, the memo a second body with purpose `commenting`; the target is the source with
a `TextPositionSelector` (code points, which the model itself specifies) and a
`TextQuoteSelector`. Ids are `urn:uuid:` IRIs, stable across exports (see refi_qda.guid).
"""

import json
from collections.abc import Iterator
from typing import Any

from interchange.formats.outgoing import OutAnnotation, OutSource, Snapshot, iso
from interchange.formats.refi_qda import stable_guid

EXTENSION, MEDIA_TYPE = "jsonld", 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
AFFIX = 32


def annotation_item(
    snapshot: Snapshot, source: OutSource, note: OutAnnotation, people: dict[str, dict[str, str]]
) -> dict[str, Any]:
    body: list[dict[str, str]] = [
        {
            "type": "TextualBody",
            "value": snapshot.code(note.code_id).path,
            "format": "text/plain",
            "purpose": "classifying",
        }
    ]
    if note.memo:
        body.append(
            {
                "type": "TextualBody",
                "value": note.memo,
                "format": "text/plain",
                "purpose": "commenting",
            }
        )
    return {
        "id": f"urn:uuid:{note.id}",
        "type": "Annotation",
        "motivation": "classifying",
        # A gold passage is the adjudicator's decision, whoever first drew it.
        "creator": people[note.adjudicated_by or note.coder],
        "created": iso(note.created),
        "modified": iso(note.updated),
        "body": body,
        "target": {
            "type": "SpecificResource",
            "source": {
                "id": f"urn:uuid:{stable_guid(snapshot, 'source', source.id)}",
                "type": "Text",
                "format": "text/plain",
            },
            "selector": [
                {"type": "TextPositionSelector", "start": note.start, "end": note.end},
                {
                    "type": "TextQuoteSelector",
                    "exact": note.quote,
                    "prefix": source.text[max(0, note.start - AFFIX) : note.start],
                    "suffix": source.text[note.end : note.end + AFFIX],
                },
            ],
        },
    }


def write(snapshot: Snapshot, options: dict[str, Any]) -> Iterator[bytes]:
    people = {
        coder.username: {
            "id": f"urn:uuid:{stable_guid(snapshot, 'user', coder.id)}",
            "type": "Person",
            "nickname": coder.username,
            **({"name": coder.full_name} if coder.full_name else {}),
        }
        for coder in snapshot.coders
    }
    head = {
        "@context": CONTEXT,
        "id": f"urn:uuid:{stable_guid(snapshot, 'collection', snapshot.taken_at.isoformat())}",
        "type": "AnnotationCollection",
        "label": snapshot.project_name,
        "created": iso(snapshot.taken_at),
        "total": snapshot.annotation_count,
    }
    page = {
        "id": f"urn:uuid:{stable_guid(snapshot, 'page', snapshot.taken_at.isoformat())}",
        "type": "AnnotationPage",
        "startIndex": 0,
    }
    opening = json.dumps(head, ensure_ascii=False)[:-1]
    yield (
        opening + ', "first": ' + json.dumps(page, ensure_ascii=False)[:-1] + ', "items": ['
    ).encode()
    first, done = True, 0
    for source, notes in snapshot.sources_with_annotations():
        for note in notes:
            item = json.dumps(annotation_item(snapshot, source, note, people), ensure_ascii=False)
            yield (("\n" if first else ",\n") + item).encode()
            first = False
        done += len(notes)
        snapshot.progress(done)
    yield b"\n]}}\n"
