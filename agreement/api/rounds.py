"""Calibration rounds of a project: `/api/projects/<id>/rounds/`. Leads only."""

from django.contrib.auth.models import User
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from agreement.models import CalibrationRound
from agreement.services.rounds import calibration_round_create
from core.api.errors import documented
from core.api.serializers import InProjectField, StrictInputSerializer
from core.api.views import acting_user, created, paginated
from sources.selectors import project_for


class RoundOut(serializers.ModelSerializer):
    sources = serializers.SerializerMethodField(help_text="Source ids.")
    coders = serializers.SerializerMethodField(help_text="Usernames.")

    class Meta:
        model = CalibrationRound
        fields = ["id", "name", "codebook_version", "sources", "coders", "created_at"]

    def get_sources(self, calibration: CalibrationRound) -> list[int]:
        return sorted(source.pk for source in calibration.sources.all())

    def get_coders(self, calibration: CalibrationRound) -> list[str]:
        return sorted(coder.username for coder in calibration.coders.all())


class RoundIn(StrictInputSerializer):
    name = serializers.CharField(max_length=200)
    sources = serializers.ListField(
        child=InProjectField(scope=lambda project: project.sources.all(), noun="source"),
        allow_empty=False,
        max_length=10_000,
        help_text="Source ids; each is assigned to each coder.",
    )
    # Plain strings first: CharField refuses NUL, which the database could not be asked about.
    coders = serializers.ListField(
        child=serializers.CharField(max_length=150),
        min_length=2,
        max_length=1000,
        help_text="Usernames of the project's coders.",
    )

    def validate_coders(self, names: list[str]) -> list[User]:
        users = {user.username: user for user in User.objects.filter(username__in=names)}
        missing = sorted(set(names) - set(users))
        if missing:
            raise serializers.ValidationError(f"No user named {', '.join(map(repr, missing))}.")
        return [users[name] for name in dict.fromkeys(names)]


class RoundList(GenericAPIView):
    serializer_class = RoundOut

    @extend_schema(
        operation_id="rounds_list", responses=documented({200: RoundOut(many=True)}, 404)
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(request.user, project_id, lead=True)
        rounds = project.calibration_rounds.prefetch_related("sources", "coders")
        return paginated(self, rounds.order_by("created_at", "pk"), RoundOut)

    @extend_schema(
        operation_id="rounds_create",
        request=RoundIn,
        responses=documented({201: RoundOut}, 400, 404, 413),
        description="Make a round under the codebook version in force and assign each of its "
        "sources to each of its coders.",
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_for(request.user, project_id, lead=True)
        data = RoundIn(data=request.data, context={"project": project})
        data.is_valid(raise_exception=True)
        calibration = calibration_round_create(
            project=project, by=acting_user(request), **data.validated_data
        )
        location = f"/api/projects/{project.pk}/rounds/{calibration.pk}/"
        return created(RoundOut(calibration).data, location)


class RoundDetail(GenericAPIView):
    serializer_class = RoundOut

    @extend_schema(operation_id="rounds_retrieve", responses=documented({200: RoundOut}, 404))
    def get(self, request: Request, project_id: int, round_id: int) -> Response:
        project = project_for(request.user, project_id, lead=True)
        return Response(RoundOut(get_object_or_404(project.calibration_rounds, pk=round_id)).data)
