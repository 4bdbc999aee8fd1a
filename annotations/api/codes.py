"""Code operations that move passages: `/api/projects/<id>/codes/<id>/merge/` and `…/split/`.
Leads only; each is one transaction."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from annotations.code_operations import code_merge, code_split
from core.api.errors import documented
from core.api.serializers import InProjectField, StrictInputSerializer
from core.api.views import acting_user
from narratives.api.codes import CodeIn, CodeOut, code_in_project, project_codes


class MergeIn(StrictInputSerializer):
    into = InProjectField(scope=project_codes, noun="code", help_text="The code that remains.")


class MovedOut(serializers.Serializer):
    code = CodeOut(help_text="The code the passages left.")
    into = CodeOut(help_text="The code they now carry.")
    passages = serializers.IntegerField(help_text="How many passages moved.")


@extend_schema_field(OpenApiTypes.OBJECT)
class CodeOrNew(serializers.Field):
    """An existing code's id, or the fields of a new code (`name`, and any of `parent`,
    `definition`, ... as in a code create; `parent` defaults to the split code's)."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, dict):
            fields = CodeIn(data=data, context=self.context)
            fields.is_valid(raise_exception=True)
            return {"new_code": dict(fields.validated_data)}
        existing = InProjectField(scope=project_codes, noun="code")
        existing.bind("into", self.parent)
        return {"into": existing.to_internal_value(data)}


class SplitIn(StrictInputSerializer):
    annotations = serializers.ListField(
        child=serializers.UUIDField(),
        allow_empty=False,
        max_length=100_000,
        help_text="Ids of the passages of this code to move.",
    )
    into = CodeOrNew(help_text="A code id, or `{name, parent?, definition?, ...}` for a new code.")


class CodeMerge(GenericAPIView):
    serializer_class = MovedOut

    @extend_schema(
        operation_id="codes_merge",
        request=MergeIn,
        responses=documented({200: MovedOut}, 400, 404, 413),
        description="Every passage of this code is recoded `into` (offsets unchanged, each at "
        "a new version, in its history); this code is retired.",
    )
    def post(self, request: Request, project_id: int, code_id: int) -> Response:
        project, code = code_in_project(request, project_id, code_id, lead=True)
        data = MergeIn(data=request.data, context={"project": project})
        data.is_valid(raise_exception=True)
        into = data.validated_data["into"]
        moved = code_merge(code=code, into=into, by=acting_user(request))
        code.refresh_from_db()
        return Response(MovedOut({"code": code, "into": into, "passages": moved}).data)


class CodeSplit(GenericAPIView):
    serializer_class = MovedOut

    @extend_schema(
        operation_id="codes_split",
        request=SplitIn,
        responses=documented({200: MovedOut}, 400, 404, 413),
        description="The chosen passages of this code are recoded to an existing or a new code "
        "(offsets unchanged, each at a new version, in its history).",
    )
    def post(self, request: Request, project_id: int, code_id: int) -> Response:
        project, code = code_in_project(request, project_id, code_id, lead=True)
        data = SplitIn(data=request.data, context={"project": project})
        data.is_valid(raise_exception=True)
        into, moved = code_split(
            code=code,
            annotation_ids=data.validated_data["annotations"],
            by=acting_user(request),
            **data.validated_data["into"],
        )
        return Response(MovedOut({"code": code, "into": into, "passages": moved}).data)
