"""API for projects, their members and their sources (`/api/projects/…`)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import documented
from core.api.parsers import checked_json, json_from_text
from core.api.serializers import StrictInputSerializer, UploadField, UsernameField
from core.api.views import acting_user, created, paginated
from core.errors import NotFound
from sources import services
from sources.access import Access, Accesses, may_create_projects
from sources.models import Membership, Project, Role, Source, SourceKind
from sources.selectors import (
    project_for,
    project_with_access,
    projects_visible_to,
    sources_visible_to,
)

# ---- projects ---------------------------------------------------------------------------------


class ProjectOut(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="Your role here: lead, coder or admin.")

    class Meta:
        model = Project
        fields = ["id", "name", "description", "blind", "gold_released", "created_at", "role"]

    def get_role(self, project: Project) -> str:
        # A list view reads every access in one query; one project's view passes its own.
        accesses = self.context.get("accesses") or Accesses(self.context["request"].user)
        return accesses[project.pk].shown_role


class ProjectIn(StrictInputSerializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    blind = serializers.BooleanField(
        required=False, help_text="Coders see only their own annotations (default true)."
    )
    gold_released = serializers.BooleanField(
        required=False,
        help_text="Coders of a blind project see the gold standard on their sources (default "
        "false).",
    )


class ProjectList(GenericAPIView):
    serializer_class = ProjectOut

    def get_queryset(self) -> QuerySet[Project]:
        return projects_visible_to(self.request.user).order_by("name")

    @extend_schema(
        operation_id="projects_list", responses=documented({200: ProjectOut(many=True)}, 404)
    )
    def get(self, request: Request) -> Response:
        accesses = Accesses(request.user)
        return paginated(self, self.get_queryset(), ProjectOut, accesses=accesses)

    @extend_schema(
        operation_id="projects_create",
        request=ProjectIn,
        responses=documented({201: ProjectOut}, 400, 413),
        description="Staff and users with the add-project permission; the creator becomes lead.",
    )
    def post(self, request: Request) -> Response:
        if not may_create_projects(request.user):
            raise exceptions.PermissionDenied("You may not create projects.")
        data = ProjectIn(data=request.data)
        data.is_valid(raise_exception=True)
        project = services.project_create(lead=acting_user(request), **data.validated_data)
        return created(
            ProjectOut(project, context={"request": request}).data, f"/api/projects/{project.pk}/"
        )


class ProjectPatch(ProjectIn):
    name = serializers.CharField(max_length=200, required=False)


class ProjectDetail(GenericAPIView):
    serializer_class = ProjectOut

    @extend_schema(operation_id="projects_retrieve", responses=documented({200: ProjectOut}, 404))
    def get(self, request: Request, project_id: int) -> Response:
        project, access = project_with_access(request.user, project_id)
        context = {"request": request, "accesses": {project.pk: access}}
        return Response(ProjectOut(project, context=context).data)

    @extend_schema(
        operation_id="projects_partial_update",
        request=ProjectPatch,
        responses=documented({200: ProjectOut}, 400, 404, 413),
    )
    def patch(self, request: Request, project_id: int) -> Response:
        project = project_for(request.user, project_id, lead=True)
        data = ProjectPatch(data=request.data)
        data.is_valid(raise_exception=True)
        project = services.project_update(project=project, **data.validated_data)
        return Response(ProjectOut(project, context={"request": request}).data)


# ---- members ----------------------------------------------------------------------------------


class MemberOut(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", help_text="Username.")

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "created_at"]


class MemberIn(StrictInputSerializer):
    user = UsernameField(help_text="Username of the person to add.")
    role = serializers.ChoiceField(choices=Role.choices)


class MemberPatch(StrictInputSerializer):
    role = serializers.ChoiceField(choices=Role.choices)


def _members(project: Project) -> QuerySet[Membership]:
    return project.memberships.select_related("user").order_by("role", "user__username")


class MemberList(GenericAPIView):
    serializer_class = MemberOut

    @extend_schema(
        operation_id="members_list", responses=documented({200: MemberOut(many=True)}, 404)
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(request.user, project_id, lead=True)
        return paginated(self, _members(project), MemberOut)

    @extend_schema(
        operation_id="members_create",
        request=MemberIn,
        responses=documented({201: MemberOut}, 400, 404, 413),
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_for(request.user, project_id, lead=True)
        data = MemberIn(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_add(project=project, **data.validated_data)
        return created(
            MemberOut(membership).data, f"/api/projects/{project.pk}/members/{membership.pk}/"
        )


class MemberDetail(GenericAPIView):
    serializer_class = MemberOut

    def _membership(self, project_id: int, member_id: int) -> Membership:
        project = project_for(self.request.user, project_id, lead=True)
        return get_object_or_404(_members(project), pk=member_id)

    @extend_schema(operation_id="members_retrieve", responses=documented({200: MemberOut}, 404))
    def get(self, request: Request, project_id: int, member_id: int) -> Response:
        return Response(MemberOut(self._membership(project_id, member_id)).data)

    @extend_schema(
        operation_id="members_partial_update",
        request=MemberPatch,
        responses=documented({200: MemberOut}, 400, 404, 413),
    )
    def patch(self, request: Request, project_id: int, member_id: int) -> Response:
        membership = self._membership(project_id, member_id)
        data = MemberPatch(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_change_role(
            membership=membership, role=data.validated_data["role"]
        )
        return Response(MemberOut(membership).data)

    @extend_schema(
        operation_id="members_destroy",
        responses=documented({204: None}, 400, 404),
        description="Remove a member; their annotations are kept.",
    )
    def delete(self, request: Request, project_id: int, member_id: int) -> Response:
        services.membership_remove(membership=self._membership(project_id, member_id))
        return Response(status=204)


# ---- sources ----------------------------------------------------------------------------------

METADATA_FIELDS = ["kind", "outlet", "author", "url", "published", "language", "metadata"]


class SourceOut(serializers.ModelSerializer):
    # Whether someone has coded the source goes to leads only: in a blind project it would tell
    # a coder that others have started. Views say who asks with `lead` in the context.
    text_locked = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text="Whether a passage points into the text (so it can no longer change); "
        "null unless you lead the project.",
    )

    def to_representation(self, instance: Source) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not self.context.get("lead"):
            data["text_locked"] = None
        return data

    class Meta:
        model = Source
        fields = [
            "id",
            "title",
            *METADATA_FIELDS,
            "imported_from",
            "sha256",
            "text_locked",
            "created_at",
        ]


class SourceDetailOut(SourceOut):
    class Meta(SourceOut.Meta):
        fields = [*SourceOut.Meta.fields, "text"]


class SourceMetadataIn(StrictInputSerializer):
    title = serializers.CharField(max_length=500)
    kind = serializers.ChoiceField(choices=SourceKind.choices, required=False)
    outlet = serializers.CharField(max_length=300, required=False, allow_blank=True)
    author = serializers.CharField(max_length=300, required=False, allow_blank=True)
    url = serializers.URLField(
        max_length=2000, required=False, allow_blank=True, help_text="http(s) only."
    )
    published = serializers.DateField(required=False, allow_null=True)
    language = serializers.CharField(max_length=35, required=False, allow_blank=True)
    metadata = serializers.JSONField(required=False, help_text="A JSON object.")

    def validate_metadata(self, value: Any) -> dict[str, Any]:
        # A multipart form sends the object as text, which DRF may already have parsed.
        value = json_from_text(value) if isinstance(value, str) else checked_json(value)
        if not isinstance(value, dict):
            raise serializers.ValidationError('Must be a JSON object, e.g. {"tags": ["x"]}.')
        return value


class SourceIn(SourceMetadataIn):
    text = serializers.CharField(trim_whitespace=False, help_text="The full text, UTF-8.")


class SourceUploadIn(SourceMetadataIn):
    title = serializers.CharField(
        max_length=500, required=False, help_text="Default: the file's first non-empty line."
    )
    file = UploadField(help_text="A UTF-8 `.txt` file.")

    def validate_file(self, upload: Any) -> Any:
        if not upload.name.lower().endswith(".txt"):
            raise serializers.ValidationError("Upload a plain-text .txt file.")
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise serializers.ValidationError(
                f"The file is {upload.size} bytes; the limit is {settings.UPLOAD_MAX_BYTES}."
            )
        try:
            upload.decoded = services.decode_text(upload.read())
        except ValueError as exc:
            raise serializers.ValidationError(f"{upload.name}: {exc}.") from None
        return upload


class SourcePatch(SourceMetadataIn):
    title = serializers.CharField(max_length=500, required=False)
    text = serializers.CharField(
        trim_whitespace=False, required=False, help_text="Refused once annotations exist."
    )


def _sources(user: Any, project: Project) -> QuerySet[Source]:
    return sources_visible_to(user).filter(project=project).defer("text").order_by("id")


class SourceList(GenericAPIView):
    serializer_class = SourceOut

    @extend_schema(
        operation_id="sources_list",
        responses=documented({200: SourceOut(many=True)}, 404),
        description="Leads see every source of the project, coders the sources assigned to them.",
    )
    def get(self, request: Request, project_id: int) -> Response:
        project, access = project_with_access(request.user, project_id)
        sources = _sources(request.user, project)
        return paginated(self, sources, SourceOut, lead=access.may_lead)

    @extend_schema(
        operation_id="sources_create",
        request={"application/json": SourceIn, "multipart/form-data": SourceUploadIn},
        responses=documented({201: SourceDetailOut}, 400, 404, 413),
        description="JSON with `title` and `text`, or a multipart form with a `.txt` `file`.",
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_for(request.user, project_id, lead=True)
        is_upload = isinstance(request.data, dict) and "file" in request.data
        if is_upload or request.content_type.startswith("multipart/"):
            upload = SourceUploadIn(data=request.data)
            upload.is_valid(raise_exception=True)
            fields = dict(upload.validated_data)
            title, text = fields.pop("file").decoded
            fields.setdefault("title", title)
            source = _create_from_upload(project, text, fields)
        else:
            data = SourceIn(data=request.data)
            data.is_valid(raise_exception=True)
            source = services.source_create(project=project, **data.validated_data)
        return created(
            SourceDetailOut(source, context={"lead": True}).data,
            f"/api/projects/{project.pk}/sources/{source.pk}/",
        )


def _create_from_upload(project: Project, text: str, fields: dict[str, Any]) -> Source:
    try:
        return services.source_create(project=project, text=text, **fields)
    except ValidationError as exc:
        # The text came from the file, so that is the field to blame.
        if hasattr(exc, "error_dict") and "text" in exc.error_dict:
            exc.error_dict["file"] = exc.error_dict.pop("text")
        raise


class SourceDetail(GenericAPIView):
    serializer_class = SourceDetailOut

    def _source(
        self, project_id: int, source_id: int, *, lead: bool = False
    ) -> tuple[Source, Access]:
        project, access = project_with_access(self.request.user, project_id)
        source = get_object_or_404(sources_visible_to(self.request.user), pk=source_id)
        if source.project_id != project.pk:
            raise NotFound("No such source.")
        if lead:
            access.require_lead()
        return source, access

    @extend_schema(
        operation_id="sources_retrieve", responses=documented({200: SourceDetailOut}, 404)
    )
    def get(self, request: Request, project_id: int, source_id: int) -> Response:
        source, access = self._source(project_id, source_id)
        return Response(SourceDetailOut(source, context={"lead": access.may_lead}).data)

    @extend_schema(
        operation_id="sources_partial_update",
        request=SourcePatch,
        responses=documented({200: SourceDetailOut}, 400, 404, 413),
    )
    def patch(self, request: Request, project_id: int, source_id: int) -> Response:
        source, _ = self._source(project_id, source_id, lead=True)
        data = SourcePatch(data=request.data)
        data.is_valid(raise_exception=True)
        source = services.source_update(source=source, **data.validated_data)
        return Response(SourceDetailOut(source, context={"lead": True}).data)

    @extend_schema(
        operation_id="sources_destroy",
        responses=documented({204: None}, 404, 409),
        description="Refused (409) once passages have been coded on the source: the history keeps "
        "them, deleted ones included, and they point into its text.",
    )
    def delete(self, request: Request, project_id: int, source_id: int) -> Response:
        services.source_delete(source=self._source(project_id, source_id, lead=True)[0])
        return Response(status=204)
