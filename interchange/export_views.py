"""The lead's export page: choose a kind and filters, see what will go out, download it at once
or, past a size threshold, as a background job with a progress bar; past exports listed."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse

from core.api.views import acting_user
from interchange.export_services import export_request_parse, export_start
from interchange.filters import DATES, LAYERS, LISTS, SINGLE
from interchange.formats import EXPORTERS
from interchange.snapshot import export_snapshot
from narratives.models import Code, CodebookVersion
from sources.selectors import project_for

HISTORY = 50


def _params(data: QueryDict) -> dict[str, list[str]]:
    return {
        name: [value for value in data.getlist(name) if value.strip()]
        for name in (*LISTS, *DATES, *SINGLE, "exact", "version")
        if any(value.strip() for value in data.getlist(name))
    }


@login_required
def export_page(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request.user, project_id, lead=True)
    data = request.POST if request.method == "POST" else request.GET
    kind = data.get("kind", "csv")
    params = _params(data)
    if kind != "codebook":
        # The version chooser stays set while the lead switches kinds; only codebook reads it.
        params.pop("version", None)
    errors: dict[str, list[str]] = {}
    preview = None
    try:
        _, filters = export_request_parse(project, kind, params, params)
        with export_snapshot(project=project, filters=filters) as snapshot:
            preview = {"annotations": snapshot.annotation_count, "sources": snapshot.source_count}
    except ValidationError as error:
        errors = error.message_dict
    if request.method == "POST" and not errors and preview is not None:
        if preview["annotations"] <= settings.EXPORT_DIRECT_MAX_ANNOTATIONS:
            url = reverse("api-project-export-file", args=[project.pk, kind])
            return redirect(f"{url}?{urlencode(params, doseq=True)}")
        filters_only = {
            name: values for name, values in params.items() if name not in ("exact", "version")
        }
        job = export_start(
            project=project,
            user=acting_user(request),
            kind=kind,
            params={
                "filters": filters_only,
                "exact": "exact" in params,
                "version": params.get("version"),
            },
        )
        return redirect(f"{reverse('export', args=[project.pk])}?job={job.pk}")
    context = {
        "project": project,
        "kinds": EXPORTERS,
        "kind": kind,
        "params": params,
        "errors": errors,
        "preview": preview,
        "threshold": settings.EXPORT_DIRECT_MAX_ANNOTATIONS,
        "layers": LAYERS,
        "layer": params.get("layer", [LAYERS[0]])[0],
        "versions": CodebookVersion.objects.filter(codebook__project=project).order_by("-number"),
        "sources": project.sources.order_by("pk").values("pk", "title"),
        "coders": project.members.order_by("username").values("username"),
        "codes": Code.objects.filter(codebook__project=project).order_by("order", "name"),
        "exports": project.export_jobs.select_related("created_by")[:HISTORY],
        "follow": data.get("job", ""),
        "config": {"status": reverse("api-export", args=[0])},
    }
    return render(request, "interchange/export.html", context)


urlpatterns = [path("projects/<int:project_id>/export/", export_page, name="export")]
