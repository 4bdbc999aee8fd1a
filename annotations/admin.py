from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from annotations.models import Annotation, Assignment


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["source", "coder", "status", "started_at", "completed_at"]
    list_filter = ["status", "source__project"]
    search_fields = ["source__title", "coder__username"]
    raw_id_fields = ["source"]


@admin.register(Annotation)
class AnnotationAdmin(SimpleHistoryAdmin):
    list_display = ["id", "source", "code", "coder", "start", "end", "short_quote", "updated_at"]
    list_filter = ["source__project", "code", "coder"]
    search_fields = ["quote", "memo", "source__title"]
    raw_id_fields = ["source", "code"]
    readonly_fields = ["version", "created_at", "updated_at"]

    @admin.display(description="quote")
    def short_quote(self, annotation: Annotation) -> str:
        return annotation.quote if len(annotation.quote) <= 60 else annotation.quote[:57] + "…"
