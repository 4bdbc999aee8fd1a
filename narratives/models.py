from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from sources.models import Project

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #rrggbb.")
shortcut_validator = RegexValidator(
    r"^[0-9a-z]?$", "A shortcut is one lower-case letter or digit (or empty)."
)


class Codebook(models.Model):
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="codebook")
    updated_at = models.DateTimeField(auto_now=True)
    # How many code numbers were ever given out: a deleted code's number is not given again.
    numbers_given = models.PositiveIntegerField(default=0, editable=False)

    def __str__(self) -> str:
        return f"Codebook of {self.project}"


class Code(models.Model):
    """One code of a project's codebook; codes form a tree through `parent`."""

    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="codes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    inclusion = models.TextField("inclusion criteria", blank=True)
    exclusion = models.TextField("exclusion criteria", blank=True)
    example = models.TextField(blank=True)
    colour = models.CharField(max_length=7, default="#4e79a7", validators=[colour_validator])
    shortcut = models.CharField(max_length=1, blank=True, validators=[shortcut_validator])
    order = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(
        default=False, help_text="Retired codes stay on existing annotations but are not offered."
    )
    number = models.PositiveIntegerField(
        editable=False,
        help_text="Given when the code is created and never changed: the number and underline "
        "pattern that mark its passages.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["codebook", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["codebook", "parent", "name"],
                name="code_unique_sibling_name",
                violation_error_message="Another code under the same parent has this name.",
            ),
            models.UniqueConstraint(
                fields=["codebook", "name"],
                condition=models.Q(parent__isnull=True),
                name="code_unique_top_level_name",
                violation_error_message="There is already a top-level code with this name.",
            ),
            models.UniqueConstraint(
                fields=["codebook", "number"],
                name="code_unique_number",
                violation_error_message="Another code of this codebook already has this number.",
            ),
            models.UniqueConstraint(
                fields=["codebook", "shortcut"],
                condition=~models.Q(shortcut=""),
                name="code_unique_shortcut",
                violation_error_message="Another code of this codebook already has this shortcut.",
            ),
            models.CheckConstraint(
                condition=models.Q(colour__regex=r"^#[0-9a-fA-F]{6}$"),
                name="code_colour_hex",
                violation_error_message="Enter a colour as #rrggbb.",
            ),
        ]

    def __str__(self) -> str:
        return self.path

    @property
    def path(self) -> str:
        names = [self.name]
        node = self.parent
        while node is not None:
            names.append(node.name)
            node = node.parent
        return " / ".join(reversed(names))

    @property
    def depth(self) -> int:
        return self.path.count(" / ")

    def clean(self) -> None:
        if self.parent is None:
            return
        if self.parent.codebook_id != self.codebook_id:
            raise ValidationError({"parent": "The parent code belongs to another codebook."})
        node: Code | None = self.parent
        while node is not None:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError({"parent": "A code cannot be its own ancestor."})
            node = node.parent


class CodeOperationKind(models.TextChoices):
    CREATE = "create", "Added"
    RENAME = "rename", "Renamed"
    REDEFINE = "redefine", "Redefined"
    MOVE = "move", "Moved"
    MERGE = "merge", "Merged"
    SPLIT = "split", "Split"
    RETIRE = "retire", "Retired"
    RESTORE = "restore", "Brought back"


class CodeOperation(models.Model):
    """One change to a codebook by a lead, kept for the next version's change note; `version` is
    set when that version is published. Passages moved by a merge or split are counted in
    `details` and recorded one by one in the annotations' history."""

    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="operations")
    kind = models.CharField(max_length=16, choices=CodeOperationKind.choices)
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="operations")
    into = models.ForeignKey(
        Code, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    version = models.ForeignKey(
        "CodebookVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operations",
    )

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CodeOperationKind.values),
                name="code_operation_kind_valid",
                violation_error_message="Not a known kind of codebook change.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"


class CodebookVersion(models.Model):
    """The codebook as published by a lead: version `number` (1, 2, ...) holds every code's
    fields as they were (`snapshot`), so later edits never change what a version meant."""

    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    snapshot = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["codebook", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["codebook", "number"],
                name="codebook_version_unique_number",
                violation_error_message="This codebook already has a version with this number.",
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1),
                name="codebook_version_number_positive",
                violation_error_message="Codebook versions are numbered from 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.codebook}"
