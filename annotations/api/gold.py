"""A source's adjudication state, `/api/projects/<id>/sources/<id>/adjudication/`, and the coders'
passages a lead rejected as gold candidates, `…/rejections/` and `…/rejections/<uuid>/`. Leads
only."""

import uuid

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from annotations.gold import candidate_reject, candidate_reopen, source_adjudicated_set
from annotations.models import Adjudication, CandidateRejection, Layer
from core.api.errors import documented
from core.api.serializers import StrictInputSerializer
from core.api.views import acting_user, paginated
from sources.models import Source
from sources.selectors import project_for


class AdjudicationOut(serializers.Serializer):
    source = serializers.IntegerField()  # type: ignore[assignment]
    adjudicated = serializers.BooleanField(help_text="A lead declared its gold standard done.")
    by = serializers.CharField(allow_null=True, help_text="Username of that lead.")
    at = serializers.DateTimeField(allow_null=True)
    gold = serializers.IntegerField(help_text="Gold passages on the source.")
    coded = serializers.IntegerField(help_text="Coders' passages on the source.")


def _state(source: Source) -> dict:
    declared = Adjudication.objects.select_related("by").filter(source=source).first()
    counts = source.annotations.aggregate(
        gold=Count("pk", filter=Q(layer=Layer.GOLD)), coded=Count("pk", filter=Q(layer=Layer.CODER))
    )
    return {
        "source": source.pk,
        "adjudicated": declared is not None,
        "by": declared.by.username if declared and declared.by else None,
        "at": declared.at if declared else None,
        **counts,
    }


def _led_source(request: Request, project_id: int, source_id: int) -> Source:
    project = project_for(request.user, project_id, lead=True)
    return get_object_or_404(project.sources, pk=source_id)


class SourceAdjudication(GenericAPIView):
    serializer_class = AdjudicationOut

    @extend_schema(
        operation_id="source_adjudication_retrieve",
        responses=documented({200: AdjudicationOut}, 404),
    )
    def get(self, request: Request, project_id: int, source_id: int) -> Response:
        return Response(AdjudicationOut(_state(_led_source(request, project_id, source_id))).data)

    @extend_schema(
        operation_id="source_adjudication_mark",
        request=None,
        responses=documented({200: AdjudicationOut}, 404),
        description="Declare the source's gold standard complete.",
    )
    def post(self, request: Request, project_id: int, source_id: int) -> Response:
        source = _led_source(request, project_id, source_id)
        source_adjudicated_set(source=source, by=acting_user(request), done=True)
        return Response(AdjudicationOut(_state(source)).data)

    @extend_schema(
        operation_id="source_adjudication_reopen",
        responses=documented({200: AdjudicationOut}, 404),
        description="Reopen the source for adjudication; its gold passages stay.",
    )
    def delete(self, request: Request, project_id: int, source_id: int) -> Response:
        source = _led_source(request, project_id, source_id)
        source_adjudicated_set(source=source, by=acting_user(request), done=False)
        return Response(AdjudicationOut(_state(source)).data)


class RejectionIn(StrictInputSerializer):
    annotation = serializers.UUIDField(help_text="Id of a coder's passage on this source.")


class RejectionOut(serializers.Serializer):
    annotation = serializers.UUIDField(source="annotation_id")
    by = serializers.CharField(
        source="by.username", allow_null=True, help_text="Username of the lead who rejected it."
    )
    at = serializers.DateTimeField()


class SourceRejections(GenericAPIView):
    serializer_class = RejectionOut

    @extend_schema(
        operation_id="source_rejections_list",
        responses=documented({200: RejectionOut(many=True)}, 404),
        description="The coders' passages a lead rejected as gold candidates, oldest first.",
    )
    def get(self, request: Request, project_id: int, source_id: int) -> Response:
        source = _led_source(request, project_id, source_id)
        rejections = CandidateRejection.objects.filter(source=source).select_related("by")
        return paginated(self, rejections.order_by("at", "pk"), RejectionOut)

    @extend_schema(
        operation_id="source_rejections_create",
        request=RejectionIn,
        responses=documented({201: RejectionOut, 200: RejectionOut}, 400, 404),
        description="Reject a coder's passage as a gold candidate. Idempotent: rejecting it "
        "again answers 200 with the first rejection.",
    )
    def post(self, request: Request, project_id: int, source_id: int) -> Response:
        source = _led_source(request, project_id, source_id)
        body = RejectionIn(data=request.data)
        body.is_valid(raise_exception=True)
        rejection, created = candidate_reject(
            source=source, annotation_id=body.validated_data["annotation"], by=acting_user(request)
        )
        return Response(RejectionOut(rejection).data, status=201 if created else 200)


class SourceRejection(GenericAPIView):
    serializer_class = RejectionOut

    @extend_schema(
        operation_id="source_rejections_destroy",
        responses=documented({204: None}, 404),
        description="Withdraw a rejection, making the passage a candidate again. Idempotent: "
        "a passage that is not rejected answers 204 as well.",
    )
    def delete(
        self, request: Request, project_id: int, source_id: int, annotation_id: uuid.UUID
    ) -> Response:
        source = _led_source(request, project_id, source_id)
        candidate_reopen(source=source, annotation_id=annotation_id)
        return Response(status=204)
