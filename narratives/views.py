"""The lead's codebook pages: the editable tree, and the versions with their differences.

The tree page's script does its work through the codes API; the versions page is rendered here,
the difference between the two chosen versions included."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from narratives.models import CodebookVersion
from narratives.selectors import codebook_versions, codebook_versions_diff
from narratives.services import codebook_for
from sources.selectors import project_for


@login_required
def codebook_page(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request.user, project_id, lead=True)
    api = f"/api/projects/{project.pk}/"
    config = {
        "codes": api + "codes/",
        "annotations": f"/api/annotations/?project={project.pk}&page_size=1000",
        "sources": api + "sources/?page_size=1000",
    }
    return render(request, "narratives/codebook.html", {"project": project, "config": config})


def _version(versions: list[CodebookVersion], number: str | None) -> CodebookVersion | None:
    if not number:
        return None
    found = next((v for v in versions if str(v.number) == number), None)
    if found is None:
        raise Http404("No such version.")
    return found


@login_required
def versions_page(request: HttpRequest, project_id: int) -> HttpResponse:
    """Versions newest first; the difference between `?old=` and `?new=` (by default the latest
    version against the codebook as it stands, i.e. what publishing now would record)."""
    project = project_for(request.user, project_id, lead=True)
    versions = codebook_versions(project)
    latest = versions[0] if versions else None
    old = _version(versions, request.GET.get("old")) if "old" in request.GET else latest
    new = _version(versions, request.GET.get("new"))
    diff = codebook_versions_diff(codebook_for(project), old, new)
    context = {
        "project": project,
        "versions": versions,
        "old": old,
        "new": new,
        "diff": [(key, entries) for key, entries in diff.items()],
        "changes": sum(len(entries) for entries in diff.values()),
        "publish_url": f"/api/projects/{project.pk}/codebook/versions/",
    }
    return render(request, "narratives/versions.html", context)


urlpatterns = [
    path("projects/<int:project_id>/codebook/", codebook_page, name="codebook"),
    path("projects/<int:project_id>/codebook/versions/", versions_page, name="codebook-versions"),
]
