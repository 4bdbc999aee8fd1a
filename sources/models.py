import hashlib
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    LEAD = "lead", "Lead researcher"
    CODER = "coder", "Coder"


class SourceKind(models.TextChoices):
    RESEARCH_REPORT = "research_report", "Research report"
    MONITORING_REPORT = "monitoring_report", "Monitoring report"
    DISINFORMATION_CASE = "disinformation_case", "Disinformation case"
    NEWS_ARTICLE = "news_article", "News article"
    BLOG_POST = "blog_post", "Blog post"
    SOCIAL_MEDIA_POST = "social_media_post", "Social-media post"
    OTHER = "other", "Other"


def normalize_text(text: str) -> str:
    """The one canonical form of source text: every stored offset counts code points of this.

    A leading byte-order mark is dropped, CRLF and CR become LF, and the result is NFC, on every
    way in (form, API, import), so one document always has one hash.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def unstorable(text: str) -> str | None:
    """Why `text` cannot be a source's text, or None. PostgreSQL cannot store NUL, and SQLite's
    LENGTH and SUBSTR, which the create path counts offsets with, stop at it."""
    if "\x00" in text:
        return f"contains a NUL character (at character {text.index(chr(0))}); remove it"
    return None


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Project(models.Model):
    # Not unique: a refusal would confirm that a project the user cannot see has that name.
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    blind = models.BooleanField(
        default=True, help_text="Coders see only their own annotations while this is on."
    )
    gold_released = models.BooleanField(
        default=False,
        help_text="Coders of a blind project see the gold standard on their sources only once "
        "a lead releases it.",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="projects"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.CODER)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"],
                name="membership_unique_user",
                violation_error_message="This user is already a member; change their role instead.",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="membership_role_valid",
                violation_error_message="The role must be lead or coder.",
            ),
        ]
        ordering = ["project", "role", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.project}"


class Source(models.Model):
    """A document to be coded.

    Its text is stored NFC-normalised and, once any annotation has pointed into it, never changes:
    annotation offsets (and the history of deleted annotations, which an admin may restore) index
    into exactly this string. `text_locked` records that moment; a database trigger and `clean()`
    both refuse to change a locked text.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=500)
    text = models.TextField()
    sha256 = models.CharField(max_length=64, editable=False)
    text_locked = models.BooleanField(default=False, editable=False)
    kind = models.CharField(max_length=32, choices=SourceKind.choices, default=SourceKind.OTHER)
    outlet = models.CharField(max_length=300, blank=True)
    author = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    published = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=35, blank=True, help_text="BCP 47 tag, e.g. en, ru, ar")
    metadata = models.JSONField(default=dict, blank=True)
    imported_from = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "sha256"],
                name="source_unique_text",
                violation_error_message="This project already has a source with exactly this text.",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=SourceKind.values),
                name="source_kind_valid",
                violation_error_message="This is not one of the kinds of source.",
            ),
        ]
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return self.title

    def set_text(self, text: str) -> None:
        """Store `text` in canonical form; refused once annotations point into the stored text."""
        given = text
        text = normalize_text(text)
        if problem := unstorable(text):
            raise ValidationError({"text": f"The text {problem}."})
        if self.pk is not None:
            stored = Source.objects.filter(pk=self.pk, text_locked=True).values_list("text")
            locked_text = stored.first()
            if locked_text is not None and given == locked_text[0]:
                text = given  # stored before normalisation covered newlines: kept as it is
            elif locked_text is not None and locked_text[0] != text:
                raise ValidationError(
                    {"text": "This source has annotations; its text can no longer change."}
                )
        self.text = text
        self.sha256 = text_sha256(text)

    def clean(self) -> None:
        self.set_text(self.text)
