"""API for coded passages: `/api/annotations/` and `/api/annotations/<uuid>/`.

Creates are idempotent on the client-chosen `id`; updates and deletes name the version they
change (`version` field, `?version=` on DELETE, or `If-Match`), and a stale one answers 409
with the current state. Responses carry the version as an `ETag`.
"""

import uuid
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from annotations import services
from annotations.models import Annotation, Layer
from annotations.selectors import annotation_for, annotations_visible_to
from core.api.errors import Conflict, documented
from core.api.serializers import IdField, StrictInputSerializer
from core.api.views import acting_user, created, paginated
from core.input import positive_id
from sources.access import may_restore_annotations


class AnnotationOut(serializers.ModelSerializer):
    coder = serializers.CharField(
        source="coder.username", help_text="Username (of a gold passage: the lead who made it)."
    )
    adjudicated_by = serializers.CharField(
        source="adjudicated_by.username",
        allow_null=True,
        help_text="Gold passages: the lead who last decided it (null for a coder's passage).",
    )
    derived_from = serializers.ListField(
        child=serializers.UUIDField(),
        help_text="Gold passages: ids of the coders' passages it was settled from.",
    )

    class Meta:
        model = Annotation
        fields = [
            "id",
            "source",
            "code",
            "coder",
            "start",
            "end",
            "quote",
            "memo",
            "version",
            "created_at",
            "updated_at",
            "layer",
            "codebook_version",
            "adjudicated_by",
            "adjudicated_at",
            "derived_from",
        ]


_TIMESTAMP = serializers.DateTimeField()


def annotation_body(annotation: Annotation) -> dict[str, Any]:
    """`AnnotationOut(annotation).data`, built directly: a ModelSerializer builds its fields on
    every instantiation, which cost about as much as a query on the create path. AnnotationOut
    still documents the shape and renders lists; a test holds the two equal."""
    return {
        "id": str(annotation.pk),
        "source": annotation.source_id,
        "code": annotation.code_id,
        "coder": annotation.coder.username,
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.quote,
        "memo": annotation.memo,
        "version": annotation.version,
        "created_at": _TIMESTAMP.to_representation(annotation.created_at),
        "updated_at": _TIMESTAMP.to_representation(annotation.updated_at),
        "layer": annotation.layer,
        "codebook_version": annotation.codebook_version,
        "adjudicated_by": (
            None if annotation.adjudicated_by is None else annotation.adjudicated_by.username
        ),
        "adjudicated_at": (
            None
            if annotation.adjudicated_at is None
            else _TIMESTAMP.to_representation(annotation.adjudicated_at)
        ),
        "derived_from": annotation.derived_from,
    }


OFFSET_HELP = "Unicode code points into the source's stored text; the passage is [start, end)."


class AnnotationIn(StrictInputSerializer):
    id = serializers.UUIDField(
        required=False, help_text="Choose it on the client so a retried create is harmless."
    )
    source = serializers.IntegerField(min_value=1)  # type: ignore[assignment]
    code = serializers.IntegerField(min_value=1)
    start = serializers.IntegerField(min_value=0, max_value=2**31 - 1, help_text=OFFSET_HELP)
    end = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text=OFFSET_HELP)
    quote = serializers.CharField(
        required=False, trim_whitespace=False, help_text="If sent, must equal the text there."
    )
    memo = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    layer = serializers.ChoiceField(
        choices=Layer.choices, required=False, help_text="`gold`: leads only (default `coder`)."
    )
    derived_from = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        max_length=100,
        help_text="Gold only: ids of the coders' passages on this source it is settled from.",
    )


class AnnotationPatch(StrictInputSerializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The version you are changing (or If-Match).",
    )
    code = serializers.IntegerField(required=False, min_value=1)
    start = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    end = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    quote = serializers.CharField(required=False, trim_whitespace=False)
    memo = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class AnnotationFilter(StrictInputSerializer):
    source = IdField(required=False)  # type: ignore[assignment]
    coder = serializers.CharField(required=False, help_text="Username.")
    code = IdField(required=False)
    project = IdField(required=False)
    layer = serializers.ChoiceField(
        choices=Layer.choices, required=False, help_text="`coder` (the default) or `gold`."
    )


FILTER_LOOKUPS = {
    "source": "source_id",
    "coder": "coder__username",
    "code": "code_id",
    "project": "source__project_id",
    "layer": "layer",
}


def _etag(annotation: Annotation) -> dict[str, str]:
    return {"ETag": f'"{annotation.version}"'}


def _conflict(request: Request, error: services.AnnotationConflict) -> Conflict:
    """The server's state goes back only to someone allowed to see it: a retried id can belong
    to another coder's annotation in a blind project."""
    current = error.current
    if current is not None and annotations_visible_to(request.user).filter(pk=current.pk).exists():
        return Conflict(str(error), annotation_body(current))
    return Conflict(str(error))


class AnnotationList(GenericAPIView):
    serializer_class = AnnotationOut

    @extend_schema(
        operation_id="annotations_list",
        parameters=[AnnotationFilter],
        responses=documented({200: AnnotationOut(many=True)}, 400, 404),
        description="The passages you may see (a coder in a blind project: only their own), "
        "of one layer: coders' passages unless `layer=gold`. "
        "A coding page loads a source with `?source=<id>&page_size=1000`.",
    )
    def get(self, request: Request) -> Response:
        # An empty value filters nothing, as in the assignments list.
        params = {
            k: v
            for k, v in request.query_params.items()
            if k not in {"page", "page_size"} and v != ""
        }
        data = AnnotationFilter(data=params)
        data.is_valid(raise_exception=True)
        wanted = {FILTER_LOOKUPS[key]: value for key, value in data.validated_data.items()}
        wanted.setdefault("layer", Layer.CODER)
        annotations = (
            annotations_visible_to(request.user)
            .filter(**wanted)
            .select_related("coder", "adjudicated_by")
            .order_by("source_id", "start", "end", "id")
        )
        return paginated(self, annotations, AnnotationOut)

    @extend_schema(
        operation_id="annotations_create",
        request=AnnotationIn,
        responses=documented({201: AnnotationOut, 200: AnnotationOut}, 400, 409, 413),
        description="Coders annotate sources assigned to them, leads any source of their "
        "project; only leads write `layer: gold`. The same `id` with the same content answers "
        "200 with the stored passage; with other content, 409.",
    )
    def post(self, request: Request) -> Response:
        data = AnnotationIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields: dict[str, Any] = dict(data.validated_data)
        try:
            annotation, is_new = services.annotation_create(
                coder=acting_user(request),
                source_id=fields.pop("source"),
                code_id=fields.pop("code"),
                check_access=True,
                **fields,
            )
        except services.AnnotationConflict as error:
            raise _conflict(request, error) from None
        body = annotation_body(annotation)
        if not is_new:
            return Response(body, headers=_etag(annotation))
        return created(body, f"/api/annotations/{annotation.pk}/", **_etag(annotation))


def _expected_version(request: Request, field: Any) -> int | None:
    """The version the client is changing, from If-Match or the body/query; required."""
    header = request.headers.get("If-Match", "").strip()
    from_header: int | None = None
    if header == "*":
        # "Any version that exists": a version named in the body still has to be current.
        return field
    if header:
        from_header = positive_id(header.removeprefix("W/").strip('"'))
        if from_header is None:
            raise exceptions.ValidationError(
                {"If-Match": ['Send the ETag you received, e.g. "3".']}
            )
    if from_header is None and field is None:
        raise exceptions.ValidationError(
            {"version": ["Send the version you are changing (`version`, or an If-Match header)."]}
        )
    if from_header is not None and field is not None and from_header != field:
        raise exceptions.ValidationError({"version": ["`version` and If-Match disagree."]})
    return from_header if from_header is not None else field


VERSION_QUERY = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    description="The version you are deleting (or send If-Match).",
    required=False,
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag you received, e.g. "3"; an alternative to `version`.',
    required=False,
)


class AnnotationDetail(GenericAPIView):
    serializer_class = AnnotationOut

    def _annotation(self, annotation_id: uuid.UUID, *, change: bool = False) -> Annotation:
        return annotation_for(self.request.user, annotation_id, change=change)

    @extend_schema(
        operation_id="annotations_retrieve", responses=documented({200: AnnotationOut}, 404)
    )
    def get(self, request: Request, annotation_id: uuid.UUID) -> Response:
        annotation = self._annotation(annotation_id)
        return Response(annotation_body(annotation), headers=_etag(annotation))

    @extend_schema(
        operation_id="annotations_partial_update",
        request=AnnotationPatch,
        parameters=[IF_MATCH],
        responses=documented({200: AnnotationOut}, 400, 404, 409, 413),
    )
    def patch(self, request: Request, annotation_id: uuid.UUID) -> Response:
        annotation = self._annotation(annotation_id, change=True)
        data = AnnotationPatch(data=request.data)
        data.is_valid(raise_exception=True)
        fields: dict[str, Any] = dict(data.validated_data)
        expected = _expected_version(request, fields.pop("version", None))
        try:
            annotation = services.annotation_update(
                annotation=annotation, expected_version=expected, by=acting_user(request), **fields
            )
        except services.AnnotationConflict as error:
            raise _conflict(request, error) from None
        return Response(annotation_body(annotation), headers=_etag(annotation))

    @extend_schema(
        operation_id="annotations_destroy",
        parameters=[VERSION_QUERY, IF_MATCH],
        responses=documented({204: None}, 400, 404, 409),
        description="The history keeps the deleted passage; an admin can restore it.",
    )
    def delete(self, request: Request, annotation_id: uuid.UUID) -> Response:
        annotation = self._annotation(annotation_id, change=True)
        given = request.query_params.get("version")
        query = AnnotationPatch(data={} if given is None else {"version": given})
        query.is_valid(raise_exception=True)
        expected = _expected_version(request, query.validated_data.get("version"))
        try:
            services.annotation_delete(annotation=annotation, expected_version=expected)
        except services.AnnotationConflict as error:
            raise _conflict(request, error) from None
        return Response(status=204)


class AnnotationRestore(GenericAPIView):
    serializer_class = AnnotationOut

    @extend_schema(
        operation_id="annotations_restore",
        request=None,
        responses=documented({201: AnnotationOut}, 404, 409),
        description="Staff only: bring back a deleted passage as it was, at the next version.",
    )
    def post(self, request: Request, annotation_id: uuid.UUID) -> Response:
        if not may_restore_annotations(request.user):
            raise exceptions.PermissionDenied("Only an administrator may restore annotations.")
        try:
            annotation = services.annotation_restore(annotation_id=annotation_id)
        except Annotation.DoesNotExist:
            raise exceptions.NotFound("No annotation with this id ever existed.") from None
        except services.AnnotationConflict as error:
            raise _conflict(request, error) from None
        return created(
            annotation_body(annotation),
            f"/api/annotations/{annotation.pk}/",
            **_etag(annotation),
        )
