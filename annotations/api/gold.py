"""A source's adjudication state: `/api/projects/<id>/sources/<id>/adjudication/`. Leads only."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from annotations.gold import source_adjudicated_set
from annotations.models import Adjudication, Layer
from core.api.errors import documented
from core.api.views import acting_user
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


class SourceAdjudication(GenericAPIView):
    serializer_class = AdjudicationOut

    def _source(self, project_id: int, source_id: int) -> Source:
        project = project_for(self.request.user, project_id, lead=True)
        return get_object_or_404(project.sources, pk=source_id)

    @extend_schema(
        operation_id="source_adjudication_retrieve",
        responses=documented({200: AdjudicationOut}, 404),
    )
    def get(self, request: Request, project_id: int, source_id: int) -> Response:
        return Response(AdjudicationOut(_state(self._source(project_id, source_id))).data)

    @extend_schema(
        operation_id="source_adjudication_mark",
        request=None,
        responses=documented({200: AdjudicationOut}, 404),
        description="Declare the source's gold standard complete.",
    )
    def post(self, request: Request, project_id: int, source_id: int) -> Response:
        source = self._source(project_id, source_id)
        source_adjudicated_set(source=source, by=acting_user(request), done=True)
        return Response(AdjudicationOut(_state(source)).data)

    @extend_schema(
        operation_id="source_adjudication_reopen",
        responses=documented({200: AdjudicationOut}, 404),
        description="Reopen the source for adjudication; its gold passages stay.",
    )
    def delete(self, request: Request, project_id: int, source_id: int) -> Response:
        source = self._source(project_id, source_id)
        source_adjudicated_set(source=source, by=acting_user(request), done=False)
        return Response(AdjudicationOut(_state(source)).data)
