"""Request and response shapes of the agreement-run endpoints.

Results are stored as JSON by the job and returned as stored; the serializers below describe
that JSON for the schema (the shape `agreement.services.results` describes) without
re-serializing it.
"""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from agreement.models import AgreementRun, CalibrationRound
from agreement.services.scope import LEVELS, MAX_BOOTSTRAP
from core.api.serializers import IdField, InProjectField, StrictInputSerializer


def id_list(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=IdField(), **kwargs)


class RunStartInput(StrictInputSerializer):
    sources = id_list(
        required=False,
        allow_null=True,
        allow_empty=False,
        help_text="Source ids; default: every source that at least two coders have coded.",
    )
    coders = id_list(
        required=False,
        allow_null=True,
        min_length=2,
        help_text="User ids of the coders (results name them by username); default: every "
        "coder who has coded one of the sources.",
    )
    codes = id_list(
        required=False,
        allow_null=True,
        allow_empty=False,
        help_text="Code ids; default: every code not retired or used on one of the sources.",
    )
    level = serializers.ChoiceField(
        choices=LEVELS,
        default="leaf",
        help_text="`leaf`: codes as applied; `top`: spans rolled up to their top-level code.",
    )
    bootstrap = serializers.IntegerField(
        min_value=0,
        max_value=MAX_BOOTSTRAP,
        default=1000,
        help_text="Cluster-bootstrap replicates over sources; 0 turns the bootstrap off.",
    )
    gold = serializers.BooleanField(
        default=False,
        help_text="Also each coder against the gold standard of the adjudicated sources.",
    )
    round = InProjectField(
        scope=lambda project: CalibrationRound.objects.filter(project=project),
        noun="round",
        required=False,
        allow_null=True,
        help_text="A calibration round: its sources and coders unless others are named.",
    )


class MeasureOutput(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="null when undefined")
    ci = serializers.ListField(
        child=serializers.FloatField(), allow_null=True, help_text="95% bootstrap interval"
    )
    p_below = serializers.DictField(
        child=serializers.FloatField(),
        allow_null=True,
        help_text='Share of bootstrap replicates below "0.667" and below "0.8".',
    )
    note = serializers.CharField(allow_null=True, help_text="Why the value is undefined.")


class OverallOutput(serializers.Serializer):
    doc_alpha = MeasureOutput()
    char_alpha = MeasureOutput()
    unitized_alpha = MeasureOutput()


class PerCodeOutput(OverallOutput):
    name = serializers.CharField()
    fleiss_kappa = MeasureOutput()


class PairOutput(serializers.Serializer):
    coders = serializers.ListField(child=serializers.CharField(), help_text="two usernames")
    code = serializers.IntegerField(allow_null=True, help_text="null: all codes pooled")
    cohen_kappa = MeasureOutput()
    percent_agreement = MeasureOutput()
    span_f1_exact = MeasureOutput()
    span_f1_overlap = MeasureOutput()


class DisagreementOutput(serializers.Serializer):
    source = serializers.IntegerField()  # type: ignore[assignment]  # a field, not Field.source
    title = serializers.CharField()
    coders = serializers.IntegerField()
    doc_disagreement = serializers.FloatField()
    char_disagreement = serializers.FloatField()
    codes = serializers.ListField(child=serializers.IntegerField())


class GoldFigure(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    note = serializers.CharField(allow_null=True)


class GoldOutput(serializers.Serializer):
    coder = serializers.CharField(help_text="Username.")
    code = serializers.IntegerField(allow_null=True, help_text="null: all codes pooled.")
    cohen_kappa = GoldFigure()
    percent_agreement = GoldFigure()
    span_f1_exact = GoldFigure()
    span_f1_overlap = GoldFigure()
    char_alpha = GoldFigure()


class ResultsOutput(serializers.Serializer):
    coders = serializers.ListField(child=serializers.CharField())
    coder_ids = serializers.ListField(child=serializers.IntegerField())
    codes = serializers.ListField(child=serializers.IntegerField())
    sources = serializers.ListField(child=serializers.IntegerField())
    excluded_sources = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Sources left out of unitized_alpha because not every coder coded them.",
    )
    overall = OverallOutput()
    per_code = serializers.DictField(child=PerCodeOutput(), help_text="keyed by code id")
    pairs = PairOutput(many=True)
    most_disagreement = DisagreementOutput(many=True)
    gold = GoldOutput(many=True, help_text="Each coder against gold; empty unless asked.")
    level = serializers.ChoiceField(choices=LEVELS)
    annotations = serializers.IntegerField()
    bootstrap = serializers.DictField()
    definitions = serializers.DictField(child=serializers.CharField())
    timings = serializers.DictField(child=serializers.FloatField())


@extend_schema_field(ResultsOutput(allow_null=True))
class ResultsField(serializers.JSONField):
    pass


class ParamsOutput(serializers.Serializer):
    sources = serializers.ListField(child=serializers.IntegerField())
    coders = serializers.ListField(child=serializers.IntegerField())
    codes = serializers.ListField(child=serializers.IntegerField())
    level = serializers.ChoiceField(choices=LEVELS)
    bootstrap = serializers.IntegerField()
    seed = serializers.IntegerField()
    gold = serializers.BooleanField(required=False)
    round = serializers.IntegerField(required=False, allow_null=True)
    defaulted = serializers.ListField(
        child=serializers.CharField(),
        help_text="Which sets took their default (see docs/agreement.md).",
    )


@extend_schema_field(ParamsOutput)
class ParamsField(serializers.JSONField):
    pass


class CodeSnapshotOutput(serializers.Serializer):
    id = serializers.IntegerField()
    parent_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    definition = serializers.CharField()
    retired = serializers.BooleanField()


@extend_schema_field(CodeSnapshotOutput(many=True))
class SnapshotField(serializers.JSONField):
    pass


class RunOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, allow_null=True
    )
    params = ParamsField()
    codebook_snapshot = SnapshotField()
    results = ResultsField()

    class Meta:
        model = AgreementRun
        fields = [
            "id",
            "url",
            "project",
            "status",
            "progress",
            "error",
            "params",
            "results",
            "codebook_snapshot",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_url(self, run: AgreementRun) -> str:
        request: Any = self.context.get("request")
        return reverse("api-agreement-run", args=[run.pk], request=request)


class RunSummaryOutput(RunOutput):
    """A run in the history: everything but the results, which can be large."""

    class Meta(RunOutput.Meta):
        fields = [name for name in RunOutput.Meta.fields if name != "results"]
        read_only_fields = fields
