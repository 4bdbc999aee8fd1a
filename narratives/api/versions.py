"""API for codebook versions: `/api/projects/<id>/codebook/versions/` and the difference
between two versions, `/api/projects/<id>/codebook/diff/?old=&new=`."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import documented
from core.api.serializers import StrictInputSerializer
from core.api.views import acting_user, created, paginated
from narratives import services
from narratives.models import CodebookVersion
from narratives.selectors import codebook_versions, codebook_versions_diff
from sources.selectors import project_for


class VersionOut(serializers.ModelSerializer):
    created_by = serializers.CharField(
        source="created_by.username", allow_null=True, help_text="Username."
    )
    codes = serializers.SerializerMethodField(help_text="How many codes the version holds.")

    class Meta:
        model = CodebookVersion
        fields = ["number", "note", "created_by", "created_at", "codes"]

    def get_codes(self, version: CodebookVersion) -> int:
        return len(version.snapshot)


class SnapshotCode(serializers.Serializer):
    id = serializers.IntegerField()
    parent_id = serializers.IntegerField(allow_null=True)
    path = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField()
    inclusion = serializers.CharField()
    exclusion = serializers.CharField()
    example = serializers.CharField()
    colour = serializers.CharField()
    shortcut = serializers.CharField()
    order = serializers.IntegerField()
    retired = serializers.BooleanField()


class VersionDetailOut(VersionOut):
    snapshot = SnapshotCode(many=True, help_text="Every code as it was in this version.")

    class Meta(VersionOut.Meta):
        fields = [*VersionOut.Meta.fields, "snapshot"]


class VersionIn(StrictInputSerializer):
    note = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text="What changed and why."
    )


class DiffQuery(serializers.Serializer):
    old = serializers.IntegerField(
        required=False, min_value=0, help_text="Version number; 0 or omitted: the empty codebook."
    )
    new = serializers.IntegerField(
        required=False, min_value=1, help_text="Version number; omitted: the codebook as it is."
    )


class DiffOut(serializers.Serializer):
    added = serializers.ListField(child=serializers.DictField())
    renamed = serializers.ListField(child=serializers.DictField())
    redefined = serializers.ListField(child=serializers.DictField())
    moved = serializers.ListField(child=serializers.DictField())
    merged = serializers.ListField(child=serializers.DictField())
    split = serializers.ListField(child=serializers.DictField())
    retired = serializers.ListField(child=serializers.DictField())
    restored = serializers.ListField(child=serializers.DictField())


class VersionList(GenericAPIView):
    serializer_class = VersionOut

    @extend_schema(
        operation_id="codebook_versions_list",
        responses=documented({200: VersionOut(many=True)}, 404),
        description="Published versions, newest first.",
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(request.user, project_id)
        return paginated(self, codebook_versions(project), VersionOut)

    @extend_schema(
        operation_id="codebook_versions_create",
        request=VersionIn,
        responses=documented({201: VersionDetailOut}, 400, 404, 413),
        description="Publish the codebook as it stands as the next version. Leads only. "
        "Passages made or changed from now on record this version.",
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_for(request.user, project_id, lead=True)
        data = VersionIn(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.codebook_version_publish(
            project=project, note=data.validated_data["note"], by=acting_user(request)
        )
        location = f"/api/projects/{project.pk}/codebook/versions/{version.number}/"
        return created(VersionDetailOut(version).data, location)


class VersionDetail(GenericAPIView):
    serializer_class = VersionDetailOut

    @extend_schema(
        operation_id="codebook_versions_retrieve",
        responses=documented({200: VersionDetailOut}, 404),
    )
    def get(self, request: Request, project_id: int, number: int) -> Response:
        project = project_for(request.user, project_id)
        versions = CodebookVersion.objects.filter(codebook__project=project)
        return Response(VersionDetailOut(get_object_or_404(versions, number=number)).data)


class VersionDiff(GenericAPIView):
    serializer_class = DiffOut

    @extend_schema(
        operation_id="codebook_diff",
        parameters=[DiffQuery],
        responses=documented({200: DiffOut}, 400, 404),
        description="Codes added, renamed, redefined, moved, merged, split, retired and brought "
        "back between two versions; code ids as keys, paths as the newer version names them.",
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(request.user, project_id)
        query = DiffQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        versions = CodebookVersion.objects.filter(codebook__project=project)
        old, new = query.validated_data.get("old"), query.validated_data.get("new")
        older = get_object_or_404(versions, number=old) if old else None
        newer = get_object_or_404(versions, number=new) if new is not None else None
        codebook = services.codebook_for(project)
        return Response(codebook_versions_diff(codebook, older, newer))
