from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)

from agreement.api import rounds
from annotations.api import annotations, assignments, gold, history
from annotations.api import codes as code_operations
from core.api.auth import TokenView
from core.api.views import not_found
from narratives.api import codes, versions
from sources.api import projects as sources

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("projects/", sources.ProjectList.as_view()),
    path("projects/<int:project_id>/", sources.ProjectDetail.as_view()),
    path("projects/<int:project_id>/members/", sources.MemberList.as_view()),
    path("projects/<int:project_id>/members/<int:member_id>/", sources.MemberDetail.as_view()),
    path("projects/<int:project_id>/codes/", codes.CodeList.as_view()),
    path("projects/<int:project_id>/codes/<int:code_id>/", codes.CodeDetail.as_view()),
    path("projects/<int:project_id>/codes/<int:code_id>/move/", codes.CodeMove.as_view()),
    path(
        "projects/<int:project_id>/codes/<int:code_id>/merge/",
        code_operations.CodeMerge.as_view(),
    ),
    path(
        "projects/<int:project_id>/codes/<int:code_id>/split/",
        code_operations.CodeSplit.as_view(),
    ),
    path("projects/<int:project_id>/codebook/versions/", versions.VersionList.as_view()),
    path(
        "projects/<int:project_id>/codebook/versions/<int:number>/",
        versions.VersionDetail.as_view(),
    ),
    path("projects/<int:project_id>/codebook/diff/", versions.VersionDiff.as_view()),
    path("projects/<int:project_id>/sources/", sources.SourceList.as_view()),
    path("projects/<int:project_id>/sources/<int:source_id>/", sources.SourceDetail.as_view()),
    path(
        "projects/<int:project_id>/sources/<int:source_id>/history/",
        history.SourceHistory.as_view(),
    ),
    path(
        "projects/<int:project_id>/sources/<int:source_id>/adjudication/",
        gold.SourceAdjudication.as_view(),
    ),
    path(
        "projects/<int:project_id>/sources/<int:source_id>/rejections/",
        gold.SourceRejections.as_view(),
    ),
    path(
        "projects/<int:project_id>/sources/<int:source_id>/rejections/<uuid:annotation_id>/",
        gold.SourceRejection.as_view(),
    ),
    path("projects/<int:project_id>/assignments/", assignments.ProjectAssignmentList.as_view()),
    path(
        "projects/<int:project_id>/assignments/<int:assignment_id>/",
        assignments.ProjectAssignmentDetail.as_view(),
    ),
    path("assignments/", assignments.AssignmentList.as_view()),
    path("assignments/<int:assignment_id>/", assignments.AssignmentDetail.as_view()),
    path("assignments/<int:assignment_id>/complete/", assignments.AssignmentComplete.as_view()),
    path("assignments/<int:assignment_id>/reopen/", assignments.AssignmentReopen.as_view()),
    path("annotations/", annotations.AnnotationList.as_view()),
    path("annotations/<uuid:annotation_id>/", annotations.AnnotationDetail.as_view()),
    path("annotations/<uuid:annotation_id>/restore/", annotations.AnnotationRestore.as_view()),
    path("", include("agreement.api.runs")),
    path("projects/<int:project_id>/rounds/", rounds.RoundList.as_view()),
    path("projects/<int:project_id>/rounds/<int:round_id>/", rounds.RoundDetail.as_view()),
    path("", include("interchange.api")),
    path("", include("interchange.export_api")),
    re_path(r"^(?P<path>[\s\S]*)$", not_found),
]
