"""The rounds page's form: what a lead picks, checked inside the project before the service
(calibration_round_create) checks what a round needs."""

from django import forms
from django.contrib.auth import get_user_model

from sources.models import Project, Role, Source


class RoundForm(forms.Form):
    name = forms.CharField(max_length=200, strip=True)
    sources = forms.ModelMultipleChoiceField(
        queryset=Source.objects.none(),
        error_messages={
            "required": "Choose at least one source.",
            "invalid_choice": "%(value)s is not a source of this project.",
        },
    )
    coders = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        error_messages={
            "required": "Choose at least two coders: a round measures their agreement.",
            "invalid_choice": "%(value)s is not a coder of this project.",
        },
    )

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["sources"].queryset = project.sources.defer("text").order_by("pk")  # type: ignore[attr-defined]
        fields["coders"].queryset = (  # type: ignore[attr-defined]
            get_user_model()
            .objects.filter(memberships__project=project, memberships__role=Role.CODER)
            .order_by("username")
        )
