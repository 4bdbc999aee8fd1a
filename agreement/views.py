"""The lead's agreement page: start runs, follow them, read results and past runs; and the
disagreement review of one source, where the lead settles its gold standard.

The page's script (ES modules in static/js/agreement/) talks to the agreement API; finished
results are rendered here on the server (table, SVG figures) and fetched as a fragment, so the
page and the HTML report draw the same.
"""

from django.contrib.auth.decorators import login_required
from django.db.models.fields.json import KT
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from agreement.models import AgreementRun, AgreementRunStatus
from agreement.reports import results_context
from agreement.reports.figures import alpha_chart
from agreement.reports.tables import round_rows
from agreement.selectors import (
    agreement_choices,
    agreement_run_for,
    latest_run_per_round,
    sources_to_adjudicate,
)
from annotations.models import Adjudication
from annotations.selectors import (
    annotation_columns_on_source,
    gold_on_source,
    rejections_on_source,
    workspace_coders_for,
)
from annotations.views.workspace import ANNOTATIONS_API, code_json
from core.modules import page_modules
from narratives.selectors import code_tree
from sources.access import access_for
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


urlpatterns = [
    path("projects/<int:project_id>/agreement/", agreement_page, name="agreement"),
    path(
        "projects/<int:project_id>/agreement/runs/<int:run_id>/results/",
        agreement_results,
        name="agreement-run-results",
    ),
    path("sources/<int:source_id>/review/", source_review, name="review"),
    path("projects/<int:project_id>/adjudicate/", next_to_adjudicate, name="adjudicate-next"),
]
