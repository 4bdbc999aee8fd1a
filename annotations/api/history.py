"""`GET /api/projects/<id>/sources/<id>/history/`: who changed which passage of a source, when,
from what to what, deleted passages included. Leads and admins only."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from annotations.selectors import HISTORY_FIELDS, annotation_history_for_source
from core.api.errors import documented
from core.api.views import paginated
from sources.models import Source
from sources.selectors import project_for

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


class PassageStateOut(serializers.Serializer):
    code = serializers.IntegerField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    quote = serializers.CharField()
    memo = serializers.CharField()
    version = serializers.IntegerField()


class HistoryRecordOut(serializers.Serializer):
    history_id = serializers.IntegerField()
    annotation = serializers.UUIDField(source="id")
    action = serializers.SerializerMethodField()
    at = serializers.DateTimeField(source="history_date")
    by = serializers.SerializerMethodField(help_text="Username of who did it; null if a script.")
    reason = serializers.CharField(source="history_change_reason", allow_null=True)
    coder = serializers.CharField(source="coder.username", allow_null=True)
    code_name = serializers.CharField(
        source="code.name", allow_null=True, help_text="Null if the code was deleted since."
    )
    after = serializers.SerializerMethodField(help_text="The passage after the change.")
    before = serializers.SerializerMethodField(help_text="The passage before; null if created.")

    def get_action(self, record: Any) -> str:
        return ACTIONS[record.history_type]

    def get_by(self, record: Any) -> str | None:
        return record.history_user.username if record.history_user else None

    @extend_schema_field(PassageStateOut)
    def get_after(self, record: Any) -> dict[str, Any]:
        return {name.removesuffix("_id"): getattr(record, name) for name in HISTORY_FIELDS}

    @extend_schema_field(PassageStateOut(allow_null=True))
    def get_before(self, record: Any) -> dict[str, Any] | None:
        if record.before_version is None:
            return None
        return {
            name.removesuffix("_id"): getattr(record, f"before_{name}") for name in HISTORY_FIELDS
        }


class SourceHistory(GenericAPIView):
    serializer_class = HistoryRecordOut

    @extend_schema(
        operation_id="source_history_list",
        responses=documented({200: HistoryRecordOut(many=True)}, 404),
        description="Every create, change and deletion of the source's passages, newest first.",
    )
    def get(self, request: Request, project_id: int, source_id: int) -> Response:
        project = project_for(request.user, project_id, lead=True)
        source = get_object_or_404(Source, pk=source_id, project=project)
        return paginated(self, annotation_history_for_source(source), HistoryRecordOut)
