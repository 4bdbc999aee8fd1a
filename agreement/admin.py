from django.contrib import admin

from agreement.models import AgreementRun


@admin.register(AgreementRun)
class AgreementRunAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "status", "progress", "created_by", "created_at"]
    list_filter = ["status", "project"]
    readonly_fields = ["created_at", "started_at", "finished_at"]
