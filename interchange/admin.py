from django.contrib import admin
from django.http import HttpRequest

from interchange.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["pk", "project", "kind", "mode", "status", "created_by", "created_at", "rows"]
    list_filter = ["kind", "mode", "status"]
    readonly_fields = [field.name for field in ExportJob._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
