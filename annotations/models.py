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
            models.UniqueConstraint(
                fields=["source", "coder"],
                name="assignment_unique_coder",
                violation_error_message="This coder is already assigned this source.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssignmentStatus.values),
                name="assignment_status_valid",
                violation_error_message="The status must be assigned, in progress or done.",
            ),
        ]
        ordering = ["source", "coder"]

    def __str__(self) -> str:
        return f"{self.source} → {self.coder} ({self.status})"


class AssignmentStrategy(models.TextChoices):
    ALL = "all", "Every source to every coder"
    K_CODERS = "k", "Each source to k coders, balanced"
    RELIABILITY = "reliability", "Reliability sample"


class AssignmentPlan(models.Model):
    """A bulk assignment a lead confirmed, with its seed: the sample can be drawn again and the
    overlap reported exactly."""

    project = models.ForeignKey(
        "sources.Project", on_delete=models.CASCADE, related_name="assignment_plans"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    strategy = models.CharField(max_length=16, choices=AssignmentStrategy.choices)
    params = models.JSONField(default=dict, blank=True)
    seed = models.BigIntegerField()
    overlap = models.JSONField(default=list, blank=True, help_text="Sources given to every coder.")
    assignments_created = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_strategy_display()} (seed {self.seed})"


class Layer(models.TextChoices):
    CODER = "coder", "Coder"
    GOLD = "gold", "Gold standard"


class Annotation(models.Model):
    """A coded passage: `[start, end)` in Unicode code points of the source's stored text.

    The id is a UUID the client may choose, so a retried create can never make a duplicate.
    A `gold` passage is the project's adjudicated standard, not a coder's work: `coder` made it
    (a lead), `adjudicated_by` and `adjudicated_at` name the last lead to decide it, and
    `derived_from` the ids of the coders' passages it was settled from.
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
    codebook_version = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Number of the codebook version in force when the passage was made or last "
        "changed (none before the first is published).",
    )
    layer = models.CharField(max_length=8, choices=Layer.choices, default=Layer.CODER)
    adjudicated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjudicated_annotations",
    )
    adjudicated_at = models.DateTimeField(null=True, blank=True)
    derived_from = models.JSONField(
        default=list, blank=True, help_text="Ids of the coders' passages a gold passage came from."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(history_manager=CachedHistoryManager)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0),
                name="annotation_start_nonnegative",
                violation_error_message="A passage cannot start before the beginning of the text.",
            ),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")),
                name="annotation_start_lt_end",
                violation_error_message="A passage must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(layer__in=Layer.values),
                name="annotation_layer_valid",
                violation_error_message="A passage belongs to the coders' layer or the gold layer.",
            ),
            models.CheckConstraint(
                condition=Q(layer=Layer.CODER, adjudicated_by__isnull=True)
                | Q(layer=Layer.GOLD, adjudicated_by__isnull=False, adjudicated_at__isnull=False),
                name="annotation_gold_adjudicated",
                violation_error_message=(
                    "A gold passage records who adjudicated it and when; a coder's passage "
                    "does not."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["source", "coder"]),
            models.Index(fields=["source"], condition=Q(layer="gold"), name="annotation_gold"),
            models.Index(fields=["code"]),
        ]
        ordering = ["source", "start", "end"]

    def __str__(self) -> str:
        return f"{self.code} [{self.start}:{self.end}] by {self.coder}"

    def clean(self) -> None:
        if None in (self.start, self.end, self.source_id, self.code_id):
            return  # clean_fields() has already reported the missing values
        text = self.source.text
        errors = passage_errors(
            start=self.start,
            end=self.end,
            quote=self.quote,
            text_length=len(text),
            text_there=text[self.start : self.end],
        )
        if self.code.codebook.project_id != self.source.project_id:
            errors["code"] = "This code belongs to another project's codebook."
        if errors:
            raise ValidationError(errors)


def passage_errors(
    *, start: int, end: int, quote: str, text_length: int, text_there: str
) -> dict[str, str]:
    """What is wrong with a passage `[start, end)` quoting `quote`, by field; empty if nothing.

    `text_length` is the source text's length and `text_there` its text from `start` to `end`
    (cut short at its end), both in code points, so a caller may read just these from the
    database instead of the whole text.
    """
    if start >= end:
        return {"end": "The passage must end after it starts (start < end)."}
    if end > text_length:
        past = f"past the end of the text ({text_length} characters)"
        return {"end": f"The passage ends at {end}, {past}."}
    if quote != text_there:
        return {
            "quote": "The quote does not match the source text at these offsets: "
            f"the text there is {text_there!r}."
        }
    return {}


class Adjudication(models.Model):
    """A source whose gold standard a lead has declared complete."""

    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="adjudication")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.source} adjudicated"


class CandidateRejection(models.Model):
    """A lead's decision that a coder's passage does not belong in the gold standard.

    `source` is the passage's own, kept here as well so that the audit trail of a source's
    rejections still names it after the passage itself is deleted (which deletes its rejection).
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="rejections")
    annotation = models.OneToOneField(
        Annotation, on_delete=models.CASCADE, related_name="rejection"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "at"]

    def __str__(self) -> str:
        return f"{self.annotation_id} rejected"
