"""Agreement runs over the API: start one, follow it, list a project's runs, download reports.

Only a project's leads (and staff) may use these; coders get 403, non-members 404 (see
`sources.selectors.project_for`).
"""

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agreement.api.serializers import RunOutput, RunStartInput, RunSummaryOutput
from agreement.models import AgreementRun, AgreementRunStatus
from agreement.reports import agreement_report_csv, agreement_report_html
from agreement.selectors import agreement_run_for
from agreement.services.start import agreement_run_start
from core.api.errors import Conflict, documented
from core.api.pagination import ShortPagination
from core.api.renderers import CsvRenderer, HtmlRenderer, JSONRenderer
from core.api.views import acting_user, paginated
from sources.selectors import project_for

TAG = ["agreement"]


def _finished_run_for(request: Request, run_id: int) -> AgreementRun:
    run = agreement_run_for(request.user, run_id)
    if run.status != AgreementRunStatus.DONE:
        raise Conflict(
            "This run has not finished, so it has no report yet.",
            current={"id": run.pk, "status": run.status, "progress": run.progress},
        )
    return run


class ProjectRunsApi(GenericAPIView):
    serializer_class = RunSummaryOutput
    pagination_class = ShortPagination

    @extend_schema(
        tags=TAG,
        summary="Start an agreement run",
        request=RunStartInput,
        responses=documented({202: RunOutput}, 400, 404),
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_for(request.user, project_id, lead=True)
        given = RunStartInput(data=request.data, context={"project": project})
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        # The service's ValidationError names fields too; the API's handler turns it into a 400.
        run = agreement_run_start(
            project=project,
            user=acting_user(request),
            calibration=fields.pop("round", None),
            **fields,
        )
        output = RunOutput(run, context={"request": request}).data
        return Response(
            output, status=status.HTTP_202_ACCEPTED, headers={"Location": output["url"]}
        )

    @extend_schema(
        tags=TAG,
        summary="A project's agreement runs, newest first",
        responses=documented({200: RunSummaryOutput(many=True)}, 404),
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(request.user, project_id, lead=True)
        runs = project.agreement_runs.select_related("created_by").order_by("-created_at", "-pk")
        return paginated(self, runs, RunSummaryOutput)


class RunApi(APIView):
    @extend_schema(
        tags=TAG,
        summary="An agreement run: status, progress and results",
        responses=documented({200: RunOutput}, 404),
    )
    def get(self, request: Request, run_id: int) -> Response:
        run = agreement_run_for(request.user, run_id)
        return Response(RunOutput(run, context={"request": request}).data)


class RunReportCsvApi(APIView):
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(
        tags=TAG,
        summary="A finished run's figures as CSV",
        responses={(200, "text/csv"): OpenApiTypes.STR, **documented({}, 404, 409)},
    )
    def get(self, request: Request, run_id: int) -> HttpResponse:
        run = _finished_run_for(request, run_id)
        return _download(agreement_report_csv(run), "text/csv", f"agreement-run-{run.pk}.csv")


class RunReportHtmlApi(APIView):
    renderer_classes = [JSONRenderer, HtmlRenderer]

    @extend_schema(
        tags=TAG,
        summary="A self-contained HTML report of a run: figures and definitions",
        responses={(200, "text/html"): OpenApiTypes.STR, **documented({}, 404, 409)},
    )
    def get(self, request: Request, run_id: int) -> HttpResponse:
        run = _finished_run_for(request, run_id)
        report = agreement_report_html(run, request=request)
        return _download(report, "text/html", f"agreement-run-{run.pk}.html")


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns = [
    path(
        "projects/<int:project_id>/agreement-runs/",
        ProjectRunsApi.as_view(),
        name="api-project-agreement-runs",
    ),
    path("agreement-runs/<int:run_id>/", RunApi.as_view(), name="api-agreement-run"),
    path(
        "agreement-runs/<int:run_id>/report.csv",
        RunReportCsvApi.as_view(),
        name="api-agreement-run-csv",
    ),
    path(
        "agreement-runs/<int:run_id>/report.html",
        RunReportHtmlApi.as_view(),
        name="api-agreement-run-html",
    ),
]
