from django import forms
from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from sources.models import Membership, Project, Source


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "blind", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["project", "user", "role"]
    list_filter = ["project", "role"]
    autocomplete_fields = ["user", "project"]


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = [
            "project",
            "title",
            "text",
            "kind",
            "outlet",
            "author",
            "url",
            "published",
            "language",
            "metadata",
            "imported_from",
        ]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if self.instance.text_locked:
            self.fields["text"].disabled = True
            self.fields["text"].help_text = "Annotations point into this text, so it is read-only."


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    form = SourceForm
    list_display = ["title", "project", "kind", "outlet", "published", "language", "text_locked"]
    list_filter = ["project", "kind", "language"]
    search_fields = ["title", "outlet", "author", "url"]
    readonly_fields = ["sha256", "text_locked", "created_at"]
    date_hierarchy = "published"

    def has_delete_permission(self, request: HttpRequest, obj: Source | None = None) -> bool:
        # As in `source_delete`: the history's deleted passages point into a coded source's text.
        return super().has_delete_permission(request, obj) and not (obj and obj.text_locked)
