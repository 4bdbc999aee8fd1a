import functools
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords

from narratives.models import Code
from sources.models import Source


class CachedHistoryManager(HistoryManager):
    """simple-history builds a new manager class, by introspection, on every `.history` access;
    an annotation create makes two (the id's history and the history record). Built once."""

    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):  # type: ignore[override]
        return super().from_queryset(queryset_class, class_name)


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Assignment(models.Model):
    """A coder's task to code one source; `done` means the coder has coded the source."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="assignments")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    status = models.CharField(
        max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "coder"], name="assignment_unique_coder"),
            models.CheckConstraint(
                condition=Q(status__in=AssignmentStatus.values), name="assignment_status_valid"
            ),
        ]
        ordering = ["source", "coder"]

    def __str__(self) -> str:
        return f"{self.source} → {self.coder} ({self.status})"


class Annotation(models.Model):
    """A coded passage: `[start, end)` in Unicode code points of the source's stored text.

    The id is a UUID the client may choose, so a retried create can never make a duplicate.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="annotations")
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="annotations")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    memo = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(history_manager=CachedHistoryManager)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="annotation_start_nonnegative"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="annotation_start_lt_end"),
        ]
        indexes = [
            models.Index(fields=["source", "coder"]),
            models.Index(fields=["code"]),
        ]
        ordering = ["source", "start", "end"]

    def __str__(self) -> str:
        return f"{self.code} [{self.start}:{self.end}] by {self.coder}"

    def clean(self) -> None:
        if None in (self.start, self.end, self.source_id, self.code_id):
            return  # clean_fields() has already reported the missing values
        errors: dict[str, str] = {}
        text = self.source.text
        if self.start >= self.end:
            errors["end"] = "The passage must end after it starts (start < end)."
        elif self.end > len(text):
            errors["end"] = (
                f"The passage ends at {self.end}, "
                f"past the end of the text ({len(text)} characters)."
            )
        elif self.quote != text[self.start : self.end]:
            errors["quote"] = (
                "The quote does not match the source text at these offsets: "
                f"the text there is {text[self.start : self.end]!r}."
            )
        if self.code.codebook.project_id != self.source.project_id:
            errors["code"] = "This code belongs to another project's codebook."
        if errors:
            raise ValidationError(errors)


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
