"""API for assignments: `/api/projects/<id>/assignments/` (leads manage them) and
`/api/assignments/` (anyone's own, across projects), plus `POST /api/assignments/<id>/complete/`
and `POST /api/assignments/<id>/reopen/`."""

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from annotations import services
from annotations.models import Assignment, AssignmentStatus
from annotations.selectors import assignments_visible_to
from core.api.errors import documented
from core.api.serializers import IdField, InProjectField, StrictInputSerializer, UsernameField
from core.api.views import created, paginated
from sources.models import Project, Source
from sources.selectors import project_for


class AssignmentOut(serializers.ModelSerializer):
    coder = serializers.CharField(source="coder.username", help_text="Username.")
    project = serializers.IntegerField(source="source.project_id")
    source_title = serializers.CharField(source="source.title")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "project",
            "source",
            "source_title",
            "coder",
            "status",
            "created_at",
            "started_at",
            "completed_at",
        ]


def project_sources(project: Project) -> QuerySet[Source]:
    return Source.objects.filter(project=project)


class AssignmentIn(StrictInputSerializer):
    source = InProjectField(scope=project_sources, noun="source")  # type: ignore[assignment]
    coder = UsernameField(help_text="Username of a member of the project.")

    def validate_coder(self, coder: User) -> User:
        if not coder.memberships.filter(project=self.context["project"]).exists():
            raise serializers.ValidationError(f"{coder.username} is not a member of this project.")
        return coder


class AssignmentFilter(StrictInputSerializer):
    project = IdField(required=False)
    source = IdField(required=False)  # type: ignore[assignment]
    coder = serializers.CharField(required=False, help_text="Username.")
    status = serializers.ChoiceField(choices=AssignmentStatus.choices, required=False)


def _filtered(assignments: QuerySet[Assignment], query: dict) -> QuerySet[Assignment]:
    params = dict(query)
    params.pop("page", None)
    params.pop("page_size", None)
    # An empty value (`?status=`, as a cleared form field sends) filters nothing.
    data = AssignmentFilter(data={key: query.get(key) for key in params if query.get(key) != ""})
    data.is_valid(raise_exception=True)
    lookups = {
        "project": "source__project_id",
        "source": "source_id",
        "coder": "coder__username",
        "status": "status",
    }
    wanted = {lookups[key]: value for key, value in data.validated_data.items()}
    return assignments.filter(**wanted).select_related("coder", "source").order_by("id")


class ProjectAssignmentList(GenericAPIView):
    serializer_class = AssignmentOut

    @extend_schema(
        operation_id="project_assignments_list",
        parameters=[AssignmentFilter],
        responses=documented({200: AssignmentOut(many=True)}, 400, 404),
        description="Leads see every assignment of the project, coders their own.",
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(request.user, project_id)
        visible = assignments_visible_to(request.user).filter(source__project=project)
        return paginated(self, _filtered(visible, request.query_params), AssignmentOut)

    @extend_schema(
        operation_id="project_assignments_create",
        request=AssignmentIn,
        responses=documented({201: AssignmentOut, 200: AssignmentOut}, 400, 404, 413),
        description="Assigning the same source to the same coder again answers 200 with the "
        "existing assignment.",
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_for(request.user, project_id, lead=True)
        data = AssignmentIn(data=request.data, context={"project": project})
        data.is_valid(raise_exception=True)
        existing = Assignment.objects.filter(**data.validated_data).first()
        assignment = existing or services.assignment_create(**data.validated_data)
        body = AssignmentOut(assignment).data
        if existing is not None:
            return Response(body)
        return created(body, f"/api/projects/{project.pk}/assignments/{assignment.pk}/")


class ProjectAssignmentDetail(GenericAPIView):
    serializer_class = AssignmentOut

    def _assignment(self, project_id: int, assignment_id: int, *, lead: bool) -> Assignment:
        project = project_for(self.request.user, project_id, lead=lead)
        visible = assignments_visible_to(self.request.user).filter(source__project=project)
        return get_object_or_404(visible.select_related("coder", "source"), pk=assignment_id)

    @extend_schema(
        operation_id="project_assignments_retrieve",
        responses=documented({200: AssignmentOut}, 404),
    )
    def get(self, request: Request, project_id: int, assignment_id: int) -> Response:
        return Response(AssignmentOut(self._assignment(project_id, assignment_id, lead=False)).data)

    @extend_schema(
        operation_id="project_assignments_destroy",
        responses=documented({204: None}, 404),
        description="Withdraw the assignment; the coder's annotations are kept.",
    )
    def delete(self, request: Request, project_id: int, assignment_id: int) -> Response:
        services.assignment_delete(
            assignment=self._assignment(project_id, assignment_id, lead=True)
        )
        return Response(status=204)


class AssignmentList(GenericAPIView):
    serializer_class = AssignmentOut

    @extend_schema(
        operation_id="assignments_list",
        parameters=[AssignmentFilter],
        responses=documented({200: AssignmentOut(many=True)}, 400, 404),
        description="Every assignment you may see, across your projects: a coder's own work "
        "list, or all of a lead's projects.",
    )
    def get(self, request: Request) -> Response:
        visible = assignments_visible_to(request.user)
        return paginated(self, _filtered(visible, request.query_params), AssignmentOut)


def _visible_assignment(request: Request, assignment_id: int) -> Assignment:
    visible = assignments_visible_to(request.user).select_related("coder", "source")
    return get_object_or_404(visible, pk=assignment_id)


class AssignmentDetail(GenericAPIView):
    serializer_class = AssignmentOut

    @extend_schema(
        operation_id="assignments_retrieve", responses=documented({200: AssignmentOut}, 404)
    )
    def get(self, request: Request, assignment_id: int) -> Response:
        return Response(AssignmentOut(_visible_assignment(request, assignment_id)).data)


class AssignmentComplete(GenericAPIView):
    serializer_class = AssignmentOut

    @extend_schema(
        operation_id="assignments_complete",
        request=None,
        responses=documented({200: AssignmentOut}, 404),
        description="Mark the source as coded: the assigned coder, or a lead (who sees every "
        "assignment of the project). Repeating it is harmless.",
    )
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = _visible_assignment(request, assignment_id)
        if assignment.status != AssignmentStatus.DONE:
            assignment = services.assignment_set_status(
                assignment=assignment, status=AssignmentStatus.DONE
            )
        return Response(AssignmentOut(assignment).data)


class AssignmentReopen(GenericAPIView):
    serializer_class = AssignmentOut

    @extend_schema(
        operation_id="assignments_reopen",
        request=None,
        responses=documented({200: AssignmentOut}, 404),
        description='Take back "done": the assigned coder, or a lead. A source marked done '
        "takes no new passages from its coder until reopened. Repeating it is harmless.",
    )
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = _visible_assignment(request, assignment_id)
        if assignment.status == AssignmentStatus.DONE:
            assignment = services.assignment_set_status(
                assignment=assignment, status=AssignmentStatus.IN_PROGRESS
            )
        return Response(AssignmentOut(assignment).data)
