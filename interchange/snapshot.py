"""Reading a project for export: one transaction, one consistent state, rows streamed.

On PostgreSQL the transaction is REPEATABLE READ and READ ONLY, so every query of an export
sees the same committed state however long the file takes to write, and coders saving
meanwhile are never blocked. On SQLite (WAL) a deferred transaction holds one read snapshot
the same way; Django's own `atomic()` would begin IMMEDIATE there (see the settings) and lock
out every writer for the whole export.
"""

import functools
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from agreement.models import AgreementRun, AgreementRunStatus
from annotations.models import Annotation, Assignment
from interchange.filters import ExportFilters
from interchange.formats.outgoing import (
    OutAnnotation,
    OutAssignment,
    OutCode,
    OutCoder,
    OutSource,
    Snapshot,
    SqlCells,
)
from narratives.models import Codebook, CodebookVersion
from narratives.selectors import codebook_snapshot, depth_first
from sources.models import Membership, Project

CHUNK = 2000


@functools.cache
def software_version() -> str:
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    version = tomllib.loads(pyproject.read_text())["project"]["version"]
    return f"Narrative Coder {version}"


@contextmanager
def _read_transaction() -> Iterator[None]:
    if connection.in_atomic_block:
        # Inside a caller's transaction (a test, a command): its snapshot is the one we get.
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


@contextmanager
def export_snapshot(
    *, project: Project, filters: ExportFilters, codebook_version: int | None = None
) -> Iterator[Snapshot]:
    """The project as of now, restricted by `filters`, readable until the block ends; its codes
    as published in `codebook_version` if given (see codebook_version_codes)."""
    with _read_transaction():
        annotations = Annotation.objects.filter(Q(source__project=project), filters.annotations_q())
        sources = project.sources.all()
        if filters.sources:
            sources = sources.filter(pk__in=filters.sources)
        # The first query fixes the snapshot (PostgreSQL takes it at the first statement).
        annotation_count = annotations.count()
        codes = (
            _codes(project)
            if codebook_version is None
            else codebook_version_codes(project, codebook_version)
        )
        snapshot = Snapshot(
            project_id=project.pk,
            project_name=project.name,
            project_created=project.created_at,
            taken_at=timezone.now(),
            filters=filters.given,
            software=software_version(),
            codes=codes,
            codebook_version=codebook_version,
            layer=filters.layer,
            coders=_coders(project, filters, annotations),
            annotation_count=annotation_count,
            source_count=sources.count(),
            sources=functools.partial(_sources, sources),
            annotations=functools.partial(_annotations, annotations),
            assignments=functools.partial(_assignments, project, filters),
            agreement=_latest_agreement(project, gold=False),
            gold_agreement=_latest_agreement(project, gold=True),
            copy_table=(
                functools.partial(_copy_table, project, annotations, codes)
                if connection.vendor == "postgresql"
                else None
            ),
        )
        yield snapshot


def codebook_version_codes(project: Project, number: int) -> list[OutCode]:
    """The codes of the project's published codebook version `number`, as it recorded them.
    Raises CodebookVersion.DoesNotExist for a number the project never published."""
    version = CodebookVersion.objects.get(codebook__project=project, number=number)
    rows = sorted(version.snapshot, key=lambda row: (row["order"], row["name"], row["id"]))
    return _out_codes(rows)


def _codes(project: Project) -> list[OutCode]:
    codebook = Codebook.objects.filter(project=project).first()
    return _out_codes(codebook_snapshot(codebook)) if codebook else []


def _out_codes(rows: list[dict[str, Any]]) -> list[OutCode]:
    """Codes from codebook rows (Code fields as dicts), siblings in codebook order, each
    parent before its children."""
    by_id = {row["id"]: row for row in rows}

    def names(row: dict[str, Any]) -> tuple[str, ...]:
        parent = by_id.get(row["parent_id"])
        return (*names(parent), row["name"]) if parent else (row["name"],)

    return [
        OutCode(
            id=row["id"],
            parent_id=row["parent_id"],
            names=names(row),
            definition=row["definition"],
            inclusion=row["inclusion"],
            exclusion=row["exclusion"],
            example=row["example"],
            colour=row["colour"],
            shortcut=row["shortcut"],
            retired=row["retired"],
        )
        for row in depth_first(rows)
    ]


def _coders(project: Project, filters: ExportFilters, annotations: Any) -> list[OutCoder]:
    """The people in scope: members, annotators and assignees (those named by a `coder`
    filter, if any), and the leads who adjudicated the gold passages in scope."""
    roles = dict(Membership.objects.filter(project=project).values_list("user_id", "role"))
    annotating = Annotation.objects.filter(source__project=project).values("coder_id")
    assigned = Assignment.objects.filter(source__project=project).values("coder_id")
    users = get_user_model().objects.filter(
        Q(pk__in=roles) | Q(pk__in=annotating) | Q(pk__in=assigned)
    )
    if filters.coders:
        adjudicating = annotations.filter(adjudicated_by__isnull=False).values("adjudicated_by")
        users = users.filter(Q(username__in=filters.coders) | Q(pk__in=adjudicating))
    return [
        OutCoder(
            id=user.pk,
            username=user.username,
            full_name=user.get_full_name(),
            role=roles.get(user.pk, ""),
        )
        for user in users.order_by("username")
    ]


def _sources(sources: Any, with_text: bool = True) -> Iterator[OutSource]:
    fields: Any = (
        "pk", "title", "kind", "outlet", "author", "url", "published", "language", "sha256",
        "metadata", "created_at",
    )  # fmt: skip
    if not with_text:
        for row in sources.order_by("pk").values_list(*fields).iterator(chunk_size=CHUNK):
            yield OutSource(*(*tuple(row), ""))
        return
    # Texts can be megabytes each: a small chunk keeps memory flat.
    for row in sources.order_by("pk").values_list(*fields, "text").iterator(chunk_size=50):
        yield OutSource(*row)


def _annotations(annotations: Any) -> Iterator[OutAnnotation]:
    fields = (
        "id",
        "source_id",
        "coder__username",
        "code_id",
        "start",
        "end",
        "quote",
        "memo",
        "created_at",
        "updated_at",
        "version",
        "layer",
        "adjudicated_by__username",
        "adjudicated_at",
        "derived_from",
    )
    rows = annotations.order_by("source_id", "start", "end", "id").values_list(*fields)
    for row in rows.iterator(chunk_size=CHUNK):
        (pk, source, coder, code, start, end, quote, memo, created, updated, version,
         layer, adjudicator, adjudicated, derived) = row  # fmt: skip
        yield OutAnnotation(
            str(pk), source, coder, code, start, end, quote, memo, created, updated, version,
            layer, adjudicator or "", adjudicated, derived or [],
        )  # fmt: skip


def _assignments(project: Project, filters: ExportFilters) -> Iterator[OutAssignment]:
    rows = Assignment.objects.filter(source__project=project)
    if filters.sources:
        rows = rows.filter(source_id__in=filters.sources)
    if filters.coders:
        rows = rows.filter(coder__username__in=filters.coders)
    fields = ("source_id", "coder__username", "status", "created_at", "completed_at")
    for row in rows.order_by("source_id", "coder__username").values_list(*fields).iterator():
        yield OutAssignment(*row)


def _latest_agreement(project: Project, *, gold: bool) -> dict[str, Any] | None:
    """The results of the latest finished run that is (`gold`) or is not a coder-vs-gold run.
    Kept apart because a coder-vs-gold run is made to compare coders with the gold standard,
    often over the adjudicated sources alone, so its inter-coder figures need not be the
    reliability figures the lead reports; and a plain run has no gold figures at all."""
    runs = AgreementRun.objects.filter(project=project, status=AgreementRunStatus.DONE)
    # Runs from before coder-vs-gold runs existed have no `gold` key.
    plain = Q(params__gold=False) | Q(params__gold__isnull=True)
    runs = runs.filter(Q(params__gold=True) if gold else plain)
    run = runs.order_by("-finished_at", "-pk").first()
    if run is None or not run.results:
        return None
    return {**run.results, "run_id": run.pk, "finished": run.finished_at}


def _copy_table(
    project: Project, annotations: Any, codes: list[OutCode], cells: SqlCells
) -> Iterator[bytes]:
    """The annotation table (interchange.formats.annotation_table's columns, no header) as
    COPY writes it, each cell written by `cells`: the joins, the code paths and the cell
    formatting all in SQL, several times the rows per second of a Python loop. The writers'
    Python paths give the same bytes on any database.

    A source's cells are computed once, in a subquery PostgreSQL may not flatten (OFFSET 0),
    not once per annotation; the code paths come from `codes` (the snapshot's codebook), so
    the plan holds nothing that keeps PostgreSQL from reading in parallel."""
    ids_sql, ids_params = annotations.order_by().values("pk").query.sql_with_params()
    text, plain, number, join = cells.text, cells.plain, cells.number, cells.join
    stamp = "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
    source_cells = join([
        text("pr.name"), number("s.id"), text("s.title"), text("s.kind"), text("s.outlet"),
        text("s.author"), text("s.url"), plain("to_char(s.published, 'YYYY-MM-DD')"),
        text("s.language"), text("s.sha256"),
    ])  # fmt: skip
    code_cells = join([number("c.id"), text("c.name"), text("c.path")])
    user_cells = join([text("username")])

    def joined(alias: str, run: list[str]) -> list[str]:
        return [f"COALESCE({alias}.cell{index}, {cells.missing})" for index in range(len(run))]

    items = join([
        *joined("s", source_cells), *joined("u", user_cells), *joined("c", code_cells),
        number("a.start"), number('a."end"'), text("a.quote"), text("a.memo"),
        plain(stamp.format("a.created_at")), plain(stamp.format("a.updated_at")),
        number("a.version"), plain("a.id::text"), plain("a.layer"), *joined("j", user_cells),
        plain(stamp.format("a.adjudicated_at")), *cells.extra("a.quote"),
    ])  # fmt: skip

    def named(run: list[str]) -> str:
        return ", ".join(f"{item} AS cell{index}" for index, item in enumerate(run))

    users = f"(SELECT id, {named(user_cells)} FROM auth_user OFFSET 0)"
    sql = f"""
        SELECT {", ".join(items)}
        FROM annotations_annotation a
        JOIN (
            SELECT s.id, {named(source_cells)}
            FROM sources_source s JOIN sources_project pr ON pr.id = s.project_id
            WHERE s.project_id = %s OFFSET 0
        ) s ON s.id = a.source_id
        JOIN {users} u ON u.id = a.coder_id
        LEFT JOIN {users} j ON j.id = a.adjudicated_by_id
        JOIN (
            SELECT c.id, {named(code_cells)}
            FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS c(id, name, path) OFFSET 0
        ) c ON c.id = a.code_id
        WHERE a.id IN ({ids_sql})
        ORDER BY a.source_id, a.start, a."end", a.id
    """
    params = [
        project.pk,
        [code.id for code in codes],
        [code.name for code in codes],
        [code.path for code in codes],
        *ids_params,
    ]
    statement = f"COPY ({sql}) TO STDOUT WITH ({cells.copy})"
    with connection.cursor() as cursor:
        # Compiling these wide expressions (JIT) costs far more than it saves: measured at
        # 40 s of 45 for the `xlsx` rows of 200,000 annotations.
        cursor.execute("SET LOCAL jit = off")
        with cursor.cursor.copy(statement, params) as copy:
            for data in copy:
                yield bytes(data)
