"""Import jobs: record an upload, run it in a worker, report progress while it runs.

Progress lives in the cache while a job runs: the import writes in one transaction, so a
progress column on the job row would stay invisible to readers until the very end.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from interchange.formats.incoming import Options, Upload
from interchange.models import ImportFile, ImportJob, ImportJobStatus
from interchange.services import import_upload
from sources.models import Project


def _progress_key(job_id: int) -> str:
    return f"import-job-progress:{job_id}"


def import_job_progress(job: ImportJob) -> float:
    if job.status == ImportJobStatus.RUNNING:
        return float(cache.get(_progress_key(job.pk), job.progress))
    return job.progress


@transaction.atomic
def import_job_start(
    *, project: Project, user: User, upload: Upload, kind: str = "", options: Options
) -> ImportJob:
    """Store the upload and queue its import once this commits."""
    job = ImportJob.objects.create(
        project=project,
        created_by=user,
        kind=kind,
        options={"mapping": options.mapping, "coder": options.coder},
    )
    ImportFile.objects.create(job=job, name=upload.name, data=upload.data)
    from interchange.tasks import import_job_task  # the task module imports this one

    transaction.on_commit(lambda: import_job_task.delay(job.pk))
    return job


def import_job_execute(*, job_id: int) -> bool:
    """Run a queued job; False if another worker already took it (a redelivered message)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status != ImportJobStatus.QUEUED:
            return False
        job.status = ImportJobStatus.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])

    def progress(done: int, total: int) -> None:
        cache.set(_progress_key(job_id), done / max(total, 1), 3600)

    options = Options(**job.options)
    reports = []
    for stored in job.files.order_by("pk"):
        upload = Upload(name=stored.name, data=bytes(stored.data))
        report = import_upload(
            project=job.project,
            upload=upload,
            kind=job.kind or None,
            options=options,
            user=job.created_by,
            progress=progress,
        )
        reports.append(report.as_dict())
    failed = [report for report in reports if report["status"] == "failed"]
    job.status = ImportJobStatus.FAILED if failed else ImportJobStatus.DONE
    job.error = "; ".join(report["error"] for report in failed)
    job.report = {"files": reports}
    job.progress = 1.0
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "report", "progress", "finished_at"])
    job.files.all().delete()
    cache.delete(_progress_key(job_id))
    return True


def import_jobs_unfinished() -> list[int]:
    """Jobs a starting worker queues again: queued ones (a broker may lose the message of a
    worker killed outright) and running ones started longer ago than the task time limit, whose
    worker is gone; their import ran in one transaction, so it left nothing behind."""
    stale = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    ImportJob.objects.filter(status=ImportJobStatus.RUNNING, started_at__lt=stale).update(
        status=ImportJobStatus.QUEUED
    )
    return list(
        ImportJob.objects.filter(status=ImportJobStatus.QUEUED).values_list("pk", flat=True)
    )


def import_job_fail(*, job_id: int, error: str) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJobStatus.FAILED, error=error, finished_at=timezone.now()
    )
