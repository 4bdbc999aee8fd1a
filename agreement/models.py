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
                violation_error_message="A run's progress is between 0 and 1.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AgreementRunStatus.values),
                name="agreement_run_status_valid",
                violation_error_message="The status must be queued, running, done or failed.",
            ),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Agreement run {self.pk} ({self.status})"


class CalibrationRound(models.Model):
    """A round of coding: these sources, coded by these coders, under the codebook version in
    force when the round was made (None before the first version). Agreement runs may be
    scoped to a round, and the agreement page compares rounds."""

    project = models.ForeignKey(
        "sources.Project", on_delete=models.CASCADE, related_name="calibration_rounds"
    )
    name = models.CharField(max_length=200)
    codebook_version = models.PositiveIntegerField(null=True, blank=True)
    sources = models.ManyToManyField("sources.Source", related_name="calibration_rounds")
    coders = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="calibration_rounds")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="round_unique_name",
                violation_error_message="This project already has a round with this name.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.project})"
