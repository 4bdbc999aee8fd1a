"""`wide`: one row per source and coder, with a 0/1 column and a count column per code.

The shape regression and reliability software reads: a coder assigned to a source who
applied nothing there still has a row of zeros, which is a coding decision, not missing
data. A row is one coder's coding or, with the gold layer in scope, the gold standard's (the
`layer` column): a lead who both codes and adjudicates has one row of each. Formula-guarded like
`csv` unless `exact`.
"""

from collections import Counter
from collections.abc import Iterator
from typing import Any

from interchange.formats.annotation_table import csv_bytes
from interchange.formats.guard import formula_guard
from interchange.formats.outgoing import OutSource, Snapshot, iso_date

EXTENSION, MEDIA_TYPE = "csv", "text/csv"
SOURCE_COLUMNS = (
    "source_id", "source_title", "source_kind", "outlet", "author", "url", "published",
    "language", "coder", "layer",
)  # fmt: skip


def _rows(snapshot: Snapshot, guard: bool) -> Iterator[list[Any]]:
    text = formula_guard if guard else str
    assigned: dict[int, set[str]] = {}
    for assignment in snapshot.assignments():
        assigned.setdefault(assignment.source_id, set()).add(assignment.coder)
    # Assignments ask for coders' work: they give no gold row.
    in_scope = {coder.username for coder in snapshot.coders} if snapshot.layer != "gold" else set()
    done = 0
    for source, notes in snapshot.sources_with_annotations(with_text=False):
        counts: dict[tuple[str, str], Counter[int]] = {}
        for note in notes:
            counts.setdefault((note.coder, note.layer), Counter())[note.code_id] += 1
        coders = {(coder, "coder") for coder in assigned.get(source.id, set()) & in_scope}
        for coder, layer in sorted(coders | set(counts)):
            per_code = counts.get((coder, layer), Counter())
            yield [
                *_source_cells(source, text),
                text(coder),
                layer,
                *(int(per_code[code.id] > 0) for code in snapshot.codes),
                *(per_code[code.id] for code in snapshot.codes),
            ]
        done += len(notes)
        snapshot.progress(done)


def _source_cells(source: OutSource, text: Any) -> list[Any]:
    return [
        source.id, text(source.title), text(source.kind), text(source.outlet),
        text(source.author), text(source.url), iso_date(source.published), text(source.language),
    ]  # fmt: skip


def write(snapshot: Snapshot, options: dict[str, Any]) -> Iterator[bytes]:
    guard = not options.get("exact")
    text = formula_guard if guard else str
    header = [
        *SOURCE_COLUMNS,
        *(text(f"applied: {code.path}") for code in snapshot.codes),
        *(text(f"count: {code.path}") for code in snapshot.codes),
    ]
    yield from csv_bytes(header, _rows(snapshot, guard), bom=True)
