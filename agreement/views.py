"""The lead's agreement page: start runs, follow them, read results and past runs; and the
disagreement review of one source, where the lead settles its gold standard.

The page's script (ES modules in static/js/agreement/) talks to the agreement API; finished
results are rendered here on the server (table, SVG figures) and fetched as a fragment, so the
page and the HTML report draw the same.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.db.models.fields.json import KT
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse

from agreement.forms import RoundForm
from agreement.models import AgreementRun, AgreementRunStatus, CalibrationRound
from agreement.reports import results_context
from agreement.reports.figures import alpha_chart
from agreement.reports.tables import round_rows
from agreement.selectors import (
    agreement_choices,
    agreement_run_for,
    latest_run_per_round,
    sources_to_adjudicate,
)
from agreement.services.rounds import calibration_round_create
from annotations.models import Adjudication
from annotations.selectors import (
    annotation_columns_on_source,
    gold_on_source,
    rejections_on_source,
    workspace_coders_for,
)
from annotations.views.workspace import ANNOTATIONS_API, code_json
from core.api.views import acting_user
from core.input import positive_id
from core.modules import page_modules
from narratives.selectors import code_tree
from sources.access import access_for
from sources.models import Source
from sources.selectors import project_for, source_for

HISTORY = 50
_FINISHED = (AgreementRunStatus.DONE, AgreementRunStatus.FAILED)


@login_required
def agreement_page(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request.user, project_id, lead=True)
    # Results can be large; the history needs only the two pooled alphas from them.
    history = (
        project.agreement_runs.select_related("created_by")
        .defer("results")
        .annotate(
            doc_alpha=KT("results__overall__doc_alpha__value"),
            char_alpha=KT("results__overall__char_alpha__value"),
        )
        .order_by("-created_at", "-pk")
    )
    # `?round=` narrows the history to that round's runs and preselects it for a new run.
    round_id = positive_id(request.GET.get("round", ""))
    chosen = project.calibration_rounds.filter(pk=round_id).first() if round_id else None
    if chosen is not None:
        history = history.filter(params__round=chosen.pk)
    runs = list(history[:HISTORY])
    wanted = request.GET.get("run", "")
    listed = next((run for run in runs if str(run.pk) == wanted), runs[0] if runs else None)
    shown = AgreementRun.objects.get(pk=listed.pk) if listed else None
    config = {
        "start": reverse("api-project-agreement-runs", args=[project.pk]),
        "run": reverse("api-agreement-run", args=[0]),
        "fragment": reverse("agreement-run-results", args=[project.pk, 0]),
        "follow": shown.pk if shown and shown.status not in _FINISHED else None,
    }
    context = {
        "project": project,
        "modules": page_modules("agreement"),
        "choices": agreement_choices(project),
        "runs": runs,
        "round": chosen,
        "shown": shown,
        "config": config,
    }
    if shown is not None and shown.status == AgreementRunStatus.DONE:
        context.update(results_context(shown))
    rounds = [(c.name, run.results) for c, run in latest_run_per_round(project) if run.results]
    context["rounds_chart"] = alpha_chart(round_rows(rounds)) if rounds else None
    return render(request, "agreement/agreement.html", context)


@login_required
def agreement_results(request: HttpRequest, project_id: int, run_id: int) -> HttpResponse:
    run = agreement_run_for(request.user, run_id)
    if run.project_id != project_id or run.status != AgreementRunStatus.DONE:
        return HttpResponse("This run has no results yet.", status=409)
    return render(request, "agreement/agreement_results.html", results_context(run))


@login_required
def source_review(request: HttpRequest, source_id: int) -> HttpResponse:
    """Every coder's passages on one source in lanes, and its gold standard. The page writes
    gold passages through the annotations API with the workspace's save queue; the queue of
    sources left to adjudicate leads on to the next one."""
    source = source_for(request.user, source_id)
    project = project_for(request.user, source.project_id, lead=True)
    access = access_for(request.user, project.pk)
    queue = [pk for pk in sources_to_adjudicate(project) if pk != source.pk]
    codes = code_tree(project, include_retired=True)
    page = {
        "source": {"id": source.pk, "title": source.title, "text": source.text},
        "me": request.user.get_username(),
        "codes": [code_json(code) for code in codes],
        "coders": [c.username for c in workspace_coders_for(request.user, source, access)],
        "passages": annotation_columns_on_source(request.user, source, access),
        "gold": gold_on_source(source),
        "rejected": rejections_on_source(source),
        "adjudicated": Adjudication.objects.filter(source=source).exists(),
        "urls": {
            "annotations": ANNOTATIONS_API,
            "adjudication": f"/api/projects/{project.pk}/sources/{source.pk}/adjudication/",
            "rejections": f"/api/projects/{project.pk}/sources/{source.pk}/rejections/",
            "next": reverse("review", args=[queue[0]]) if queue else None,
        },
    }
    context = {"source": source, "project": project, "page": page, "left": len(queue)}
    return render(request, "agreement/review.html", context)


@login_required
def next_to_adjudicate(request: HttpRequest, project_id: int) -> HttpResponse:
    """The first source of the adjudication queue, or the project overview once it is empty."""
    project = project_for(request.user, project_id, lead=True)
    queue = sources_to_adjudicate(project)
    if queue:
        return redirect("review", queue[0])
    return redirect(reverse("project_overview", args=[project.pk]) + "?adjudicated=all")


def _round_form_context(form: RoundForm) -> dict[str, Any]:
    """The form's choices as rows: each source with the rounds it was in, ticked as posted
    (coders all ticked on a fresh form, since a round usually takes every coder)."""
    posted = form.data if isinstance(form.data, QueryDict) else QueryDict()
    picked = {name: set(posted.getlist(name)) for name in ("sources", "coders")}
    sources = form.fields["sources"].queryset.prefetch_related("calibration_rounds")  # type: ignore[attr-defined]
    coders = form.fields["coders"].queryset  # type: ignore[attr-defined]
    return {
        "source_rows": [
            (source, str(source.pk) in picked["sources"], source.calibration_rounds.all())
            for source in sources
        ],
        "coder_rows": [
            (coder, str(coder.pk) in picked["coders"] if form.is_bound else True)
            for coder in coders
        ],
    }


@login_required
def rounds_page(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project's calibration rounds and a form to make one: a name, sources and coders.
    Making a round assigns each of its sources to each of its coders; a refusal is shown on
    the form and nothing is written."""
    project = project_for(request.user, project_id, lead=True)
    form = RoundForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            made = calibration_round_create(
                project=project, by=acting_user(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Round {made.name!r} made: {made.sources.count()} source(s) assigned to "
                f"{made.coders.count()} coder(s).",
            )
            return redirect("rounds", project.pk)
    latest = {calibration.pk: run for calibration, run in latest_run_per_round(project)}
    rounds = [
        (calibration, latest.get(calibration.pk))
        for calibration in CalibrationRound.objects.filter(project=project)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("sources", Source.objects.order_by("title", "pk")),
            Prefetch("coders", get_user_model().objects.order_by("username")),
        )
        .order_by("-created_at", "-pk")
    ]
    context = {"project": project, "form": form, "rounds": rounds}
    context.update(_round_form_context(form))
    status = 400 if form.errors else 200
    return render(request, "agreement/rounds.html", context, status=status)


urlpatterns = [
    path("projects/<int:project_id>/agreement/", agreement_page, name="agreement"),
    path("projects/<int:project_id>/rounds/", rounds_page, name="rounds"),
    path(
        "projects/<int:project_id>/agreement/runs/<int:run_id>/results/",
        agreement_results,
        name="agreement-run-results",
    ),
    path("sources/<int:source_id>/review/", source_review, name="review"),
    path("projects/<int:project_id>/adjudicate/", next_to_adjudicate, name="adjudicate-next"),
]
