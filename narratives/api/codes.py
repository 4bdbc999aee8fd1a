"""API for a project's codebook: `/api/projects/<id>/codes/`."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import documented
from core.api.serializers import InProjectField, StrictInputSerializer
from core.api.views import acting_user, created, paginated
from narratives import services
from narratives.models import Code, colour_validator, shortcut_validator
from narratives.selectors import code_tree
from sources.models import Project
from sources.selectors import project_for


def project_codes(project: Project) -> QuerySet[Code]:
    return Code.objects.filter(codebook__project=project)


def code_in_project(
    request: Request, project_id: int, code_id: int, *, lead: bool = False
) -> tuple[Project, Code]:
    project = project_for(request.user, project_id, lead=lead)
    return project, get_object_or_404(project_codes(project), pk=code_id)


class CodeOut(serializers.ModelSerializer):
    depth = serializers.SerializerMethodField(help_text="0 for a top-level code.")
    # Declared plainly: the model's validator on a blank field makes an ambiguous schema.
    shortcut = serializers.CharField(help_text="One lower-case letter or digit, or empty.")

    class Meta:
        model = Code
        fields = [
            "id",
            "name",
            "parent",
            "depth",
            "definition",
            "inclusion",
            "exclusion",
            "example",
            "colour",
            "shortcut",
            "order",
            "retired",
            "number",
        ]

    def get_depth(self, code: Code) -> int:
        depth = getattr(code, "tree_depth", None)
        return code.depth if depth is None else depth


class CodeIn(StrictInputSerializer):
    name = serializers.CharField(max_length=200)
    parent = InProjectField(  # type: ignore[assignment]
        scope=project_codes, noun="code", required=False, allow_null=True
    )
    definition = serializers.CharField(required=False, allow_blank=True)
    inclusion = serializers.CharField(required=False, allow_blank=True)
    exclusion = serializers.CharField(required=False, allow_blank=True)
    example = serializers.CharField(required=False, allow_blank=True)
    colour = serializers.CharField(
        max_length=7, required=False, validators=[colour_validator], help_text="#rrggbb"
    )
    shortcut = serializers.CharField(
        max_length=1, required=False, allow_blank=True, validators=[shortcut_validator]
    )
    order = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False)
    retired = serializers.BooleanField(required=False)


class CodePatch(CodeIn):
    name = serializers.CharField(max_length=200, required=False)


class CodeList(GenericAPIView):
    serializer_class = CodeOut

    @extend_schema(
        operation_id="codes_list",
        responses=documented({200: CodeOut(many=True)}, 404),
        description="Depth-first: each code right after its parent, retired codes included.",
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(request.user, project_id)
        return paginated(self, code_tree(project, include_retired=True), CodeOut)

    @extend_schema(
        operation_id="codes_create",
        request=CodeIn,
        responses=documented({201: CodeOut}, 400, 404, 413),
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_for(request.user, project_id, lead=True)
        data = CodeIn(data=request.data, context={"project": project})
        data.is_valid(raise_exception=True)
        code = services.code_create(project=project, by=acting_user(request), **data.validated_data)
        return created(CodeOut(code).data, f"/api/projects/{project.pk}/codes/{code.pk}/")


class CodeDetail(GenericAPIView):
    serializer_class = CodeOut

    def _code(self, project_id: int, code_id: int, *, lead: bool = False) -> tuple[Project, Code]:
        return code_in_project(self.request, project_id, code_id, lead=lead)

    @extend_schema(operation_id="codes_retrieve", responses=documented({200: CodeOut}, 404))
    def get(self, request: Request, project_id: int, code_id: int) -> Response:
        return Response(CodeOut(self._code(project_id, code_id)[1]).data)

    @extend_schema(
        operation_id="codes_partial_update",
        request=CodePatch,
        responses=documented({200: CodeOut}, 400, 404, 413),
    )
    def patch(self, request: Request, project_id: int, code_id: int) -> Response:
        project, code = self._code(project_id, code_id, lead=True)
        data = CodePatch(data=request.data, context={"project": project})
        data.is_valid(raise_exception=True)
        code = services.code_update(code=code, by=acting_user(request), **data.validated_data)
        return Response(CodeOut(code).data)

    @extend_schema(
        operation_id="codes_destroy",
        responses=documented({204: None}, 404, 409),
        description="Only unused codes; a code with annotations or children answers 409 "
        "(set `retired` instead).",
    )
    def delete(self, request: Request, project_id: int, code_id: int) -> Response:
        services.code_delete(code=self._code(project_id, code_id, lead=True)[1])
        return Response(status=204)


class CodeMoveIn(StrictInputSerializer):
    parent = InProjectField(  # type: ignore[assignment]
        scope=project_codes, noun="code", allow_null=True, help_text="null: the top level."
    )
    order = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        help_text="Position among the new siblings, 0 first; past the end puts it last.",
    )


class CodeMove(GenericAPIView):
    serializer_class = CodeOut

    @extend_schema(
        operation_id="codes_move",
        request=CodeMoveIn,
        responses=documented({200: CodeOut}, 400, 404, 413),
        description="Put the code under `parent` at position `order`; its new siblings are "
        "renumbered 0, 1, 2, ... Leads only. Its passages are unchanged.",
    )
    def post(self, request: Request, project_id: int, code_id: int) -> Response:
        project, code = code_in_project(request, project_id, code_id, lead=True)
        data = CodeMoveIn(data=request.data, context={"project": project})
        data.is_valid(raise_exception=True)
        moved = services.code_move(code=code, by=acting_user(request), **data.validated_data)
        return Response(CodeOut(moved).data)
