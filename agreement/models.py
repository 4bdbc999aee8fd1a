from django.conf import settings
from django.db import models
from django.db.models import Q


class AgreementRunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class AgreementRun(models.Model):
    """One computation of inter-coder agreement, filled in by a background job."""

    project = models.ForeignKey(
        "sources.Project", on_delete=models.CASCADE, related_name="agreement_runs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    params = models.JSONField(default=dict)
    codebook_snapshot = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=16, choices=AgreementRunStatus.choices, default=AgreementRunStatus.QUEUED
    )
    progress = models.FloatField(default=0.0)
    results = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=1),
                name="agreement_run_progress_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AgreementRunStatus.values),
                name="agreement_run_status_valid",
            ),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Agreement run {self.pk} ({self.status})"
