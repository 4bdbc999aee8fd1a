"""Imports over the API: upload a file for a background import, follow it, preview a table.

Only a project's leads (and staff) may import; coders get 403, non-members 404.
"""

import json
from typing import Any

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import documented
from core.api.parsers import RequestTooLarge
from core.api.serializers import StrictInputSerializer, UploadField
from core.api.views import acting_user
from interchange.formats import KINDS, tables
from interchange.formats.incoming import Options, Unreadable, Upload
from interchange.jobs import import_job_progress, import_job_start
from interchange.models import ImportJob
from sources.selectors import project_for

TAG = ["imports"]


class ImportParser(parsers.MultiPartParser):
    """Multipart with the import limit (IMPORT_MAX_BYTES), larger than other requests'."""

    def parse(self, stream, media_type=None, parser_context=None):  # type: ignore[no-untyped-def]
        request = (parser_context or {}).get("request")
        declared = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        if declared > settings.IMPORT_MAX_BYTES:
            raise RequestTooLarge(
                f"The upload is {declared} bytes; the limit is {settings.IMPORT_MAX_BYTES} "
                "bytes (setting IMPORT_MAX_BYTES)."
            )
        return super().parse(stream, media_type, parser_context)


class MappingField(serializers.JSONField):
    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):  # a multipart form sends the object as text
            try:
                data = json.loads(data)
            except ValueError:
                raise serializers.ValidationError("Not valid JSON.") from None
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            raise serializers.ValidationError(
                'A JSON object of field to column, e.g. {"text": "body"}.'
            )
        unknown = set(data) - set(tables.FIELDS)
        if unknown:
            raise serializers.ValidationError(
                f"Unknown fields {sorted(unknown)}; map any of {', '.join(tables.FIELDS)}."
            )
        return data


class ImportIn(StrictInputSerializer):
    file = UploadField(help_text="The file to import; its format is detected unless `kind` says.")
    kind = serializers.ChoiceField(choices=KINDS, required=False)
    mapping = MappingField(
        required=False, help_text='Tables: source field to column, e.g. {"text": "body"}.'
    )
    coder = serializers.CharField(
        required=False, max_length=150, help_text="Username for spans that name no coder."
    )


class FileReportOut(serializers.Serializer):
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=["imported", "failed"])
    error = serializers.CharField()
    sources_created = serializers.IntegerField()
    duplicates_skipped = serializers.IntegerField()
    annotations_created = serializers.IntegerField()
    codes_created = serializers.IntegerField()
    users_created = serializers.ListField(
        child=serializers.CharField(), help_text="Inactive accounts created: staff activate them."
    )
    warnings = serializers.ListField(child=serializers.CharField())


class ReportOut(serializers.Serializer):
    files = FileReportOut(many=True)


class ImportOut(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()
    report = ReportOut(allow_null=True)

    class Meta:
        model = ImportJob
        fields = ["id", "project", "kind", "status", "progress", "error", "report"]
        fields += ["created_at", "started_at", "finished_at"]

    def get_progress(self, job: ImportJob) -> float:
        return import_job_progress(job)


class PreviewIn(StrictInputSerializer):
    file = UploadField(help_text="A .csv, .xlsx or .jsonl table.")


class PreviewOut(serializers.Serializer):
    header = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.DictField())
    mapping = serializers.DictField(child=serializers.CharField())


def _upload(file: Any) -> Upload:
    return Upload(name=file.name, data=file.read())


class ProjectImportsApi(APIView):
    parser_classes = [ImportParser]

    @extend_schema(
        tags=TAG,
        summary="Import a file into a project (in the background)",
        request={"multipart/form-data": ImportIn},
        responses=documented({202: ImportOut}, 400, 404, 413, 415),
        description="Follow the job at `GET /api/imports/<id>/`; its report says per file what "
        "was created and skipped, or why nothing was.",
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_for(request.user, project_id, lead=True)
        given = ImportIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        job = import_job_start(
            project=project,
            user=acting_user(request),
            upload=_upload(data["file"]),
            kind=data.get("kind", ""),
            options=Options(mapping=data.get("mapping"), coder=data.get("coder", "")),
        )
        return Response(
            ImportOut(job).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": f"/api/imports/{job.pk}/"},
        )


class ImportApi(APIView):
    @extend_schema(
        tags=TAG,
        summary="An import: status, progress and report",
        responses=documented({200: ImportOut}, 404),
    )
    def get(self, request: Request, import_id: int) -> Response:
        job = get_object_or_404(ImportJob, pk=import_id)
        project_for(request.user, job.project_id, lead=True)
        return Response(ImportOut(job).data)


class TablePreviewApi(APIView):
    parser_classes = [ImportParser]

    @extend_schema(
        tags=TAG,
        summary="A table's header, first rows and a proposed column mapping",
        request={"multipart/form-data": PreviewIn},
        responses=documented({200: PreviewOut}, 400, 404, 413, 415),
    )
    def post(self, request: Request, project_id: int) -> Response:
        project_for(request.user, project_id, lead=True)
        given = PreviewIn(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            preview = tables.preview(_upload(given.validated_data["file"]))
        except Unreadable as exc:
            raise serializers.ValidationError({"file": [str(exc)]}) from None
        return Response(PreviewOut(preview).data)


urlpatterns = [
    path("projects/<int:project_id>/imports/", ProjectImportsApi.as_view(), name="api-imports"),
    path(
        "projects/<int:project_id>/imports/preview/",
        TablePreviewApi.as_view(),
        name="api-import-preview",
    ),
    path("imports/<int:import_id>/", ImportApi.as_view(), name="api-import"),
]
