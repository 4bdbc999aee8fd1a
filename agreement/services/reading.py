"""Gather one run's data from the database as plain tuples for the pure agreement package.

Three streamed queries, no model instances: source lengths (computed by the database, so no
text leaves it), completed assignments, and the annotations as five integers each.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models.functions import Length

from agreement.math import SourceCoding
from agreement.services.scope import top_level_of
from annotations.models import Adjudication, Annotation, Assignment, AssignmentStatus, Layer
from sources.models import Source

DEFAULT_CHUNK_SIZE = 20_000


@dataclass(frozen=True)
class RunInput:
    """The arguments of `span_agreement` for one run; `codes` are the run's unit codes."""

    sources: list[SourceCoding]
    coders: list[int]
    codes: list[int]
    annotations: int


def code_mapping(params: dict[str, Any], snapshot: list[dict[str, Any]]) -> dict[int, int]:
    """Annotation code id -> the code it counts as in this run (absent: not in the run).

    At level "top" every code counts as its top-level ancestor, and a chosen code brings in its
    top-level code's whole subtree.
    """
    chosen = params["codes"]
    if params["level"] != "top":
        return {code: code for code in chosen}
    top = top_level_of(snapshot)
    wanted = {top.get(code, code) for code in chosen}
    return {code: root for code, root in top.items() if root in wanted}


def _chunk_size() -> int:
    return int(getattr(settings, "AGREEMENT_READ_CHUNK_SIZE", DEFAULT_CHUNK_SIZE))


def run_input_read(
    *,
    project_id: int,
    params: dict[str, Any],
    snapshot: list[dict[str, Any]],
    progress: Callable[[float], None],
) -> RunInput:
    """Read the sources, completed assignments and annotations a run covers.

    `progress` receives the share of annotations read so far (0 to 1) after every chunk.
    """
    wanted = set(params["sources"])
    coders = params["coders"]
    chunk = _chunk_size()
    lengths = {
        pk: length
        for pk, length in Source.objects.filter(project_id=project_id)
        .annotate(length=Length("text"))
        .values_list("pk", "length")
        .order_by()
        .iterator(chunk_size=chunk)
        if pk in wanted
    }
    coded: dict[int, set[int]] = {pk: set() for pk in lengths}
    done = Assignment.objects.filter(
        source__project_id=project_id, coder_id__in=coders, status=AssignmentStatus.DONE
    )
    for source_id, coder_id in done.values_list("source_id", "coder_id").iterator(chunk_size=chunk):
        if source_id in coded:
            coded[source_id].add(coder_id)
    mapping = code_mapping(params, snapshot)
    rows = Annotation.objects.filter(
        source_id__in=list(lengths),
        coder_id__in=coders,
        code_id__in=list(mapping),
        layer=Layer.CODER,
    ).order_by()
    total = rows.count()
    spans: dict[int, list[tuple[int, int, int, int]]] = {pk: [] for pk in lengths}
    streamed = rows.values_list("source_id", "coder_id", "start", "end", "code_id")
    for read, (source_id, coder_id, start, end, code_id) in enumerate(
        streamed.iterator(chunk_size=chunk), start=1
    ):
        if coder_id in coded.get(source_id, ()):
            spans[source_id].append((coder_id, start, end, mapping[code_id]))
        if read % chunk == 0:
            progress(read / total)
            _pause_between_chunks()
    progress(1.0)
    return RunInput(
        sources=[SourceCoding(pk, lengths[pk], coded[pk], spans[pk]) for pk in sorted(lengths)],
        coders=coders,
        codes=sorted(set(mapping.values())),
        # The spans used: a coder's passages on a source they have not finished are not.
        annotations=sum(len(used) for used in spans.values()),
    )


def _pause_between_chunks() -> None:
    # Tests set this to hold a run in `running` long enough to kill its worker; it is 0 otherwise.
    pause = float(getattr(settings, "AGREEMENT_READ_PAUSE_SECONDS", 0))
    if pause:
        time.sleep(pause)


# The gold standard's id among a run's coders: user ids are positive.
GOLD = -1


def with_gold(
    *,
    project_id: int,
    params: dict[str, Any],
    snapshot: list[dict[str, Any]],
    sources: list[SourceCoding],
) -> list[SourceCoding]:
    """The run's sources with the gold standard as one more coder, `GOLD`: it has completed the
    sources a lead declared adjudicated, and its spans are their gold passages (codes mapped as
    the run's level says)."""
    ids = [source.id for source in sources]
    adjudicated = set(
        Adjudication.objects.filter(source_id__in=ids).values_list("source_id", flat=True)
    )
    mapping = code_mapping(params, snapshot)
    spans: dict[int, list[tuple[int, int, int, int]]] = {pk: [] for pk in adjudicated}
    rows = Annotation.objects.filter(
        source_id__in=adjudicated, layer=Layer.GOLD, code_id__in=list(mapping)
    ).values_list("source_id", "start", "end", "code_id")
    for source_id, start, end, code_id in rows.order_by().iterator(chunk_size=_chunk_size()):
        spans[source_id].append((GOLD, start, end, mapping[code_id]))
    return [
        SourceCoding(
            source.id,
            source.length,
            {*source.coders, GOLD} if source.id in adjudicated else source.coders,
            [*source.spans, *spans.get(source.id, [])],
        )
        for source in sources
    ]
