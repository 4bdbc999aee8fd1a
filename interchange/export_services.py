"""Exports: streamed at once or written by a background job, each recorded as an ExportJob.

Every export reads one consistent snapshot (interchange.snapshot). A background export writes
into a local temporary file first and hands the whole file to Django's storage only when it is
complete; the job's `file` is set after that, in the same conditional UPDATE that marks it
done, so a worker killed at any point leaves nothing that can be downloaded.
"""

import re
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.text import slugify

from core.db import job_claim
from interchange.filters import ExportFilters, export_filters_parse
from interchange.formats import EXPORTERS
from interchange.models import ExportJob, ExportMode, ExportStatus
from interchange.snapshot import export_snapshot
from narratives.models import Code, CodebookVersion
from sources.models import Project

FINISHED = (ExportStatus.DONE, ExportStatus.FAILED)
TRUE, FALSE = ("1", "true", "yes"), ("0", "false", "no", "")


def export_options_parse(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """The kind checked and its options (`exact`) read; ValidationError names what is wrong."""
    if kind not in EXPORTERS:
        raise ValidationError(
            {"kind": f"Unknown export kind {kind!r}; the kinds are {', '.join(EXPORTERS)}."}
        )
    exact = params.get("exact", False)
    if isinstance(exact, list | tuple):
        exact = exact[-1] if exact else False
    if isinstance(exact, str):
        if exact.strip().lower() not in (*TRUE, *FALSE):
            raise ValidationError(
                {"exact": "Use exact=1 for untouched cells, exact=0 for guarded."}
            )
        exact = exact.strip().lower() in TRUE
    options: dict[str, Any] = {"exact": bool(exact)}
    version = params.get("version")
    if isinstance(version, list | tuple):
        version = version[-1] if version else None
    if version is not None and version != "":
        if kind != "codebook":
            raise ValidationError({"version": "Only the codebook export takes a version."})
        if not str(version).strip().isdigit() or int(str(version).strip()) < 1:
            raise ValidationError({"version": f"Expected a version number, got {version!r}."})
        options["version"] = int(str(version).strip())
    return options


def export_request_parse(
    project: Project, kind: str, params: dict[str, Any], filters: dict[str, Any]
) -> tuple[dict[str, Any], ExportFilters]:
    """The kind's options and the filters, checked against the project; ValidationError names
    what is wrong (a codebook version the project never published among it)."""
    options = export_options_parse(kind, params)
    parsed = export_filters_parse(project, filters)
    _check_kind_has_content(project, kind)
    version = options.get("version")
    if (
        version is not None
        and not CodebookVersion.objects.filter(codebook__project=project, number=version).exists()
    ):
        raise ValidationError({"version": f"This codebook has no published version {version}."})
    return options, parsed


def export_file_names(project_name: str, kind: str, moment: datetime) -> tuple[str, str]:
    """(ASCII file name, full UTF-8 file name): `<project>-<kind>-<date>.<ext>`."""
    extension = EXPORTERS[kind].extension
    day = moment.date().isoformat()
    ascii_stem = slugify(unicodedata.normalize("NFKD", project_name))[:80] or "project"
    # Path separators, quotes and control characters cannot be part of a saved file's name.
    full_stem = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]', "_", project_name).strip(" .")[:120]
    return (
        f"{ascii_stem}-{kind}-{day}.{extension}",
        f"{full_stem or 'project'}-{kind}-{day}.{extension}",
    )


def content_disposition(ascii_name: str, full_name: str) -> str:
    """RFC 6266: a plain ASCII `filename` for old clients and the exact name as `filename*`."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(full_name, safe='')}"


def _record(
    *, project: Project, user: User | None, kind: str, filters: ExportFilters,
    options: dict[str, Any], mode: str,
) -> ExportJob:  # fmt: skip
    job = ExportJob(
        project=project,
        created_by=user,
        kind=kind,
        filters=filters.given,
        options=options,
        mode=mode,
    )
    job.full_clean()
    job.save()
    return job


def export_stream(
    *, project: Project, user: User | None, kind: str, params: dict[str, list[str]]
) -> tuple[ExportJob, Iterator[bytes]]:
    """Check the request and record it; return the job and the file's bytes as a generator.

    Nothing is read until the generator runs; it reads from one snapshot, and records the
    outcome (rows, size, snapshot time, or the error) when it stops.
    """
    options, filters = export_request_parse(project, kind, params, params)
    job = _record(
        project=project, user=user, kind=kind, filters=filters, options=options,
        mode=ExportMode.DIRECT,
    )  # fmt: skip
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING, started_at=timezone.now()
    )
    return job, _streamed(job, project, filters)


def _streamed(job: ExportJob, project: Project, filters: ExportFilters) -> Iterator[bytes]:
    size, rows, taken = 0, 0, None
    finished = False
    try:
        with export_snapshot(
            project=project, filters=filters, codebook_version=job.options.get("version")
        ) as snapshot:
            taken, rows = snapshot.taken_at, snapshot.annotation_count
            for chunk in EXPORTERS[job.kind].write(snapshot, job.options):
                size += len(chunk)
                yield chunk
        finished = True
    finally:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.DONE if finished else ExportStatus.FAILED,
            error="" if finished else "The download stopped before the file was complete.",
            progress=1.0 if finished else 0.0,
            rows=rows,
            size=size,
            snapshot_at=taken,
            finished_at=timezone.now(),
        )


def _check_kind_has_content(project: Project, kind: str) -> None:
    if kind == "qdc" and not Code.objects.filter(codebook__project=project).exists():
        raise ValidationError({"kind": "The codebook is empty; a REFI-QDA codebook needs a code."})


@transaction.atomic
def export_start(
    *, project: Project, user: User | None, kind: str, params: dict[str, Any]
) -> ExportJob:
    """Record a background export and queue its job once this commits."""
    options, filters = export_request_parse(project, kind, params, params.get("filters") or {})
    job = _record(
        project=project, user=user, kind=kind, filters=filters, options=options,
        mode=ExportMode.BACKGROUND,
    )  # fmt: skip
    # Imported here: the task module imports this one.
    from interchange.tasks import export_job

    transaction.on_commit(lambda: export_job.delay(job.pk))
    return job


class _Progress:
    """Writes a running job's progress where other connections can read it at once.

    The export's own connection sits in a read-only snapshot, so progress goes through a second
    connection, in autocommit, conditional on the attempt's token. Inside a caller's transaction
    (tests) the job row is not visible to another connection, so the export's own one is used."""

    def __init__(self, job_id: int, token: datetime):
        """Made before the snapshot's transaction opens, which decides the connection."""
        self.job_id, self.token, self.total = job_id, token, 1
        self.written, self.at = 0.0, 0.0
        self.side = (
            None if connection.in_atomic_block else connections.create_connection(DEFAULT_DB_ALIAS)
        )

    def __call__(self, rows: int) -> None:
        share = min(rows / self.total, 1.0) * 0.99
        if share - self.written < 0.01 or time.monotonic() - self.at < 0.5:
            return
        self.written, self.at = share, time.monotonic()
        if self.side is None:
            ExportJob.objects.filter(pk=self.job_id, started_at=self.token).update(progress=share)
            return
        with self.side.cursor() as cursor:
            cursor.execute(
                "UPDATE interchange_exportjob SET progress = %s WHERE id = %s AND started_at = %s",
                # Raw SQL: the date as the ORM stores it (SQLite keeps text).
                [share, self.job_id, self.side.ops.adapt_datetimefield_value(self.token)],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def export_execute(*, job_id: int) -> bool:
    """Write a queued (or interrupted) background export into storage; True if this call did.

    A job done or failed is left alone, so a redelivered task does nothing. The file goes to
    storage under a name unique to this attempt, and the job points at it only once complete.
    """
    job = job_claim(ExportJob, job_id, finished=FINISHED, status=ExportStatus.RUNNING, progress=0.0)
    if job is None:
        return False
    assert job.started_at is not None
    filters = export_filters_parse(job.project, job.filters)
    # Tests slow a worker down to kill it mid-file; zero otherwise.
    pause = float(getattr(settings, "EXPORT_CHUNK_PAUSE_SECONDS", 0))
    progress = _Progress(job.pk, job.started_at)
    with tempfile.TemporaryFile() as scratch:
        size = 0
        try:
            with export_snapshot(
                project=job.project, filters=filters, codebook_version=job.options.get("version")
            ) as snapshot:
                progress.total = max(snapshot.annotation_count, 1)
                snapshot.progress = progress
                for chunk in EXPORTERS[job.kind].write(snapshot, job.options):
                    scratch.write(chunk)
                    size += len(chunk)
                    time.sleep(pause)
        finally:
            progress.close()
            taken, rows = snapshot.taken_at, snapshot.annotation_count
        ascii_name, full_name = export_file_names(job.project.name, job.kind, taken)
        scratch.seek(0)
        stored = default_storage.save(
            f"exports/{job.project_id}/{job.pk}-{job.started_at:%Y%m%d%H%M%S%f}-{ascii_name}",
            File(scratch),
        )
    now = timezone.now()
    done = ExportJob.objects.filter(
        pk=job.pk, status=ExportStatus.RUNNING, started_at=job.started_at
    ).update(
        status=ExportStatus.DONE,
        progress=1.0,
        file=stored,
        filename=full_name,
        rows=rows,
        size=size,
        snapshot_at=taken,
        finished_at=now,
        expires_at=now + timedelta(days=settings.EXPORT_EXPIRY_DAYS),
    )
    if not done:
        # A newer attempt owns the job now: this attempt's file is nobody's.
        default_storage.delete(stored)
    return bool(done)


def export_fail(*, job_id: int, error: str) -> None:
    ExportJob.objects.exclude(status__in=FINISHED).filter(pk=job_id).update(
        status=ExportStatus.FAILED, error=error, finished_at=timezone.now()
    )


def exports_unfinished() -> list[int]:
    """Background exports queued or running, oldest first (see interchange.tasks)."""
    unfinished = ExportJob.objects.filter(mode=ExportMode.BACKGROUND).exclude(status__in=FINISHED)
    return list(unfinished.order_by("created_at").values_list("pk", flat=True))


def exports_expire(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their expiry; the records stay. Returns how many."""
    now = now or timezone.now()
    expired = ExportJob.objects.filter(expires_at__lte=now).exclude(file="")
    count = 0
    for job in expired:
        if job.file.name:
            default_storage.delete(job.file.name)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        count += 1
    return count
