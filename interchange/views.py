"""The lead's Sources page: the project's sources with inline edit and delete, and an upload
area importing many files at once. The page renders; the browser writes through the JSON API
(source edits and deletes, imports and their reports)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from interchange.formats import tables
from sources.models import SourceKind
from sources.selectors import project_for

TEXT_FIELDS = ["outlet", "author", "url", "language"]


@login_required
def sources_page(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request.user, project_id, lead=True)
    sources = (
        project.sources.defer("text").annotate(n_annotations=Count("annotations")).order_by("id")
    )
    context = {
        "project": project,
        "sources": sources,
        "kinds": SourceKind.choices,
        "text_fields": TEXT_FIELDS,
        "mapping_fields": tables.FIELDS,
        "table_extensions": ",".join(tables.EXTENSIONS),
    }
    return render(request, "interchange/sources.html", context)


urlpatterns: list[URLPattern] = [
    path("projects/<int:project_id>/sources/", sources_page, name="setup_sources"),
]
