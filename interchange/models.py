from django.conf import settings
from django.db import models
from django.db.models import Q


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportJob(models.Model):
    """One uploaded file being imported into a project by a background job.

    `report` holds one entry per file (see `interchange.services.FileReport`); the file's bytes
    wait in `ImportFile` and are deleted once the job has read them.
    """

    project = models.ForeignKey(
        "sources.Project", on_delete=models.CASCADE, related_name="import_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=32, blank=True, help_text="Empty: detect the format.")
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=16, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    progress = models.FloatField(default=0.0)
    error = models.TextField(blank=True)
    report = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=1),
                name="import_job_progress_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ImportJobStatus.values), name="import_job_status_valid"
            ),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.status})"


class ImportFile(models.Model):
    """An uploaded file waiting for its job, kept in the database so any worker can read it."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=1000)
    data = models.BinaryField()

    def __str__(self) -> str:
        return self.name


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ExportMode(models.TextChoices):
    DIRECT = "direct", "Downloaded at once"
    BACKGROUND = "background", "Background job"


def export_upload_to(job: "ExportJob", filename: str) -> str:
    return f"exports/{job.project_id}/{filename}"


class ExportJob(models.Model):
    """One export: who asked for what and when. A background export also holds its file,
    which is set only once the whole file is in storage, so a half-written file is never
    offered for download."""

    project = models.ForeignKey(
        "sources.Project", on_delete=models.CASCADE, related_name="export_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16)
    filters = models.JSONField(default=dict, blank=True)
    options = models.JSONField(default=dict, blank=True)
    mode = models.CharField(max_length=16, choices=ExportMode.choices)
    status = models.CharField(
        max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.FloatField(default=0.0)
    error = models.TextField(blank=True)
    rows = models.PositiveBigIntegerField(null=True, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    file = models.FileField(upload_to=export_upload_to, max_length=500, blank=True)
    filename = models.CharField(max_length=300, blank=True)
    snapshot_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=1), name="export_job_progress_range"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="export_job_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=ExportMode.values), name="export_job_mode_valid"
            ),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} export {self.pk} of project {self.project_id} ({self.status})"
