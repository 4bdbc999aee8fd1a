"""The lead's page of a source's annotation history: who created, changed or deleted which
passage, when, and what it was before."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from annotations.selectors import HISTORY_FIELDS, annotation_history_for_source
from narratives.models import Code
from sources.models import Source
from sources.selectors import project_for

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
PER_PAGE = 200


def _changes(record: Any, code_names: dict[int, str]) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for each field the change touched; empty for creations."""
    if record.before_version is None or record.history_type != "~":
        return []
    changes = []
    for name in HISTORY_FIELDS:
        before, after = getattr(record, f"before_{name}"), getattr(record, name)
        if name == "code_id":
            before, after = code_names.get(before, before), code_names.get(after, after)
        if before != after:
            changes.append((name.removesuffix("_id"), before, after))
    return changes


@login_required
def source_history(request: HttpRequest, project_id: int, source_id: int) -> HttpResponse:
    project = project_for(request.user, project_id, lead=True)
    source = get_object_or_404(Source.objects.defer("text"), pk=source_id, project=project)
    page = Paginator(annotation_history_for_source(source), PER_PAGE).get_page(
        request.GET.get("page")
    )
    code_names = dict(Code.objects.filter(codebook__project=project).values_list("pk", "name"))
    rows = [
        {
            "record": record,
            "action": ACTIONS[record.history_type],
            "code_name": code_names.get(record.code_id, f"(deleted code {record.code_id})"),
            "changes": _changes(record, code_names),
        }
        for record in page
    ]
    context = {"project": project, "source": source, "page": page, "rows": rows}
    return render(request, "annotations/source_history.html", context)


urlpatterns = [
    path(
        "projects/<int:project_id>/sources/<int:source_id>/history/",
        source_history,
        name="source-history",
    ),
]
