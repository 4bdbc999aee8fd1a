"""The lead's agreement page: start runs, follow them, read results and past runs.

The page's script (ES modules in static/js/agreement/) talks to the agreement API; finished
results are rendered here on the server (table, SVG figures) and fetched as a fragment, so the
page and the HTML report draw the same.
"""

from django.contrib.auth.decorators import login_required
from django.db.models.fields.json import KT
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse

from agreement.models import AgreementRun, AgreementRunStatus
from agreement.reports import results_context
from agreement.selectors import agreement_choices, agreement_run_for
from core.modules import page_modules
from sources.selectors import project_for

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
        "shown": shown,
        "config": config,
    }
    if shown is not None and shown.status == AgreementRunStatus.DONE:
        context.update(results_context(shown))
    return render(request, "agreement/agreement.html", context)


@login_required
def agreement_results(request: HttpRequest, project_id: int, run_id: int) -> HttpResponse:
    run = agreement_run_for(request.user, run_id)
    if run.project_id != project_id or run.status != AgreementRunStatus.DONE:
        return HttpResponse("This run has no results yet.", status=409)
    return render(request, "agreement/agreement_results.html", results_context(run))


urlpatterns = [
    path("projects/<int:project_id>/agreement/", agreement_page, name="agreement"),
    path(
        "projects/<int:project_id>/agreement/runs/<int:run_id>/results/",
        agreement_results,
        name="agreement-run-results",
    ),
]
