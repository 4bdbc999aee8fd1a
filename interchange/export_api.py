"""Exports over the API: stream a file now, or start a background export and fetch it later.

Only a project's leads (and staff) may export; coders get 403, non-members 404. The kind is a
path segment: DRF keeps `?format=` for choosing a renderer.
"""

from django.core.files.storage import default_storage
from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from core.api.errors import Conflict, documented
from core.api.pagination import ShortPagination
from core.api.renderers import AnyFileRenderer, JSONRenderer
from core.api.serializers import StrictInputSerializer
from core.api.views import acting_user, paginated
from interchange.export_selectors import export_job_for, exports_of
from interchange.export_services import (
    content_disposition,
    export_file_names,
    export_start,
    export_stream,
)
from interchange.formats import EXPORT_KINDS, EXPORTERS
from interchange.models import ExportJob, ExportStatus
from sources.selectors import project_for

TAG = ["export"]


class ExportStartInput(StrictInputSerializer):
    kind = serializers.ChoiceField(choices=EXPORT_KINDS)
    filters = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=False)),
        required=False,
        help_text="`source`, `coder`, `code`, `updated_since`, `updated_until`, `layer`: lists "
        "of values, as the query parameters of the streaming endpoint.",
    )
    exact = serializers.BooleanField(default=False, help_text="`csv`, `wide`: no formula guard.")
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="`codebook`: a published codebook version."
    )


class ExportOutput(serializers.ModelSerializer):
    created = serializers.DateTimeField(source="created_at")
    created_by = serializers.CharField(source="created_by.username", default=None, read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id", "kind", "mode", "filters", "options", "status", "progress", "error", "rows",
            "size", "created", "created_by", "snapshot_at", "finished_at", "expires_at",
            "download",
        ]  # fmt: skip

    def get_download(self, job: ExportJob) -> str | None:
        if not job.file:
            return None
        return reverse("api-export-download", args=[job.pk], request=self.context.get("request"))


def _file_schema(media_type: str) -> OpenApiTypes:
    # A JSON-LD collection is a document a client parses; every other kind is a file to save.
    essence = media_type.split(";")[0]
    return OpenApiTypes.OBJECT if essence.endswith(("/json", "+json")) else OpenApiTypes.BINARY


# One 200 per media type the kinds are sent as, so the schema says what each answer holds.
FILE_RESPONSES = {
    (200, exporter.media_type.split(";")[0]): _file_schema(exporter.media_type)
    for exporter in EXPORTERS.values()
}


class ProjectExportFileApi(APIView):
    renderer_classes = [JSONRenderer, AnyFileRenderer]

    @extend_schema(
        tags=TAG,
        summary="Stream an export of the project",
        parameters=[
            OpenApiParameter("source", int, many=True, description="Source id (repeatable)"),
            OpenApiParameter("coder", str, many=True, description="Coder username (repeatable)"),
            OpenApiParameter(
                "code", int, many=True, description="Code id, with its descendants (repeatable)"
            ),
            OpenApiParameter("updated_since", str, description="ISO date or date-time"),
            OpenApiParameter("updated_until", str, description="ISO date (whole day) or date-time"),
            OpenApiParameter(
                "layer",
                str,
                enum=["coder", "gold", "all"],
                description="The coders' passages (default), the gold standard, or both",
            ),
            OpenApiParameter("exact", bool, description="`csv`, `wide`: no formula guard"),
            OpenApiParameter(
                "version", int, description="`codebook`: a published codebook version"
            ),
        ],
        responses={**FILE_RESPONSES, **documented({}, 400, 404)},
    )
    def get(self, request: Request, project_id: int, kind: str) -> HttpResponseBase:
        project = project_for(request.user, project_id, lead=True)
        if kind not in EXPORTERS:
            raise exceptions.NotFound(
                f"No export kind {kind!r}; the kinds are {', '.join(EXPORTERS)}."
            )
        params = dict(request.query_params.lists())
        _, chunks = export_stream(
            project=project, user=acting_user(request), kind=kind, params=params
        )
        exporter = EXPORTERS[kind]
        charset = "; charset=utf-8" if exporter.media_type.startswith("text/") else ""
        response = StreamingHttpResponse(chunks, content_type=exporter.media_type + charset)
        response["Content-Disposition"] = content_disposition(
            *export_file_names(project.name, kind, timezone.now())
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ProjectExportsApi(GenericAPIView):
    serializer_class = ExportOutput
    pagination_class = ShortPagination

    @extend_schema(
        tags=TAG,
        summary="Start a background export",
        request=ExportStartInput,
        responses=documented({202: ExportOutput}, 400, 404),
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_for(request.user, project_id, lead=True)
        given = ExportStartInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        job = export_start(
            project=project,
            user=acting_user(request),
            kind=data["kind"],
            params={
                "filters": data.get("filters") or {},
                "exact": data["exact"],
                "version": data.get("version"),
            },
        )
        output = ExportOutput(job, context={"request": request}).data
        location = reverse("api-export", args=[job.pk], request=request)
        return Response(output, status=status.HTTP_202_ACCEPTED, headers={"Location": location})

    @extend_schema(
        tags=TAG,
        summary="The project's exports, newest first",
        responses=documented({200: ExportOutput(many=True)}, 404),
    )
    def get(self, request: Request, project_id: int) -> Response:
        jobs = exports_of(project_id, request.user)
        return paginated(self, jobs, ExportOutput)


class ExportApi(APIView):
    @extend_schema(
        tags=TAG,
        summary="An export: status, progress, size and download link",
        responses=documented({200: ExportOutput}, 404),
    )
    def get(self, request: Request, export_id: int) -> Response:
        job = export_job_for(request.user, export_id)
        return Response(ExportOutput(job, context={"request": request}).data)


class ExportDownloadApi(APIView):
    renderer_classes = [JSONRenderer, AnyFileRenderer]

    @extend_schema(
        tags=TAG,
        summary="Download a finished background export",
        responses={**FILE_RESPONSES, **documented({}, 404, 409)},
    )
    def get(self, request: Request, export_id: int) -> HttpResponseBase:
        job = export_job_for(request.user, export_id)
        if job.status != ExportStatus.DONE:
            raise Conflict(
                "This export has not finished, so it has no file yet.",
                current={"id": job.pk, "status": job.status, "progress": job.progress},
            )
        if not job.file.name:
            raise Gone("This export's file has expired; start the export again.")
        exporter = EXPORTERS[job.kind]
        response = FileResponse(
            default_storage.open(job.file.name, "rb"), content_type=exporter.media_type
        )
        ascii_name, full_name = export_file_names(
            job.project.name, job.kind, job.snapshot_at or job.created_at
        )
        response["Content-Disposition"] = content_disposition(ascii_name, full_name)
        return response


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_code = "gone"
    default_detail = "This resource is no longer available."


urlpatterns = [
    path(
        "projects/<int:project_id>/export/<str:kind>/",
        ProjectExportFileApi.as_view(),
        name="api-project-export-file",
    ),
    path(
        "projects/<int:project_id>/exports/",
        ProjectExportsApi.as_view(),
        name="api-project-exports",
    ),
    path("exports/<int:export_id>/", ExportApi.as_view(), name="api-export"),
    path(
        "exports/<int:export_id>/download/", ExportDownloadApi.as_view(), name="api-export-download"
    ),
]
