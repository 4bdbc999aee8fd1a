"""The pages about projects: the home page (each project the user belongs to, with their own
assignments) and a lead's project overview. Reads go through the selectors; these views only
render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST

from annotations.models import AssignmentStatus
from annotations.selectors import (
    assignment_queue_for,
    coder_progress_for,
    queue_progress_for,
    source_progress_for,
)
from core.input import positive_id
from sources.access import Accesses
from sources.selectors import project_for, projects_visible_to
from sources.services import project_update


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each project the user belongs to, with their own assignments, filterable by project,
    status and title."""
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").replace("\x00", "").strip()
    project_id = request.GET.get("project", "")
    queue = assignment_queue_for(
        request.user,
        project_id=positive_id(project_id),
        status=status if status in AssignmentStatus.values else None,
    )
    if query:
        queue = queue.filter(source__title__icontains=query)
    progress = queue_progress_for(request.user)
    projects = projects_visible_to(request.user).order_by("name")
    accesses = Accesses(request.user)
    rows = [
        {
            "project": project,
            "role": accesses[project.pk].role,
            "progress": progress.get(project.pk),
            "assignments": [a for a in queue if a.source.project_id == project.pk],
        }
        for project in projects
    ]
    context = {
        "rows": rows,
        "projects": projects,
        "statuses": AssignmentStatus.choices,
        "filters": {"status": status, "q": query, "project": project_id},
        "filtered": bool(status or query or project_id),
    }
    return render(request, "sources/home.html", context)


@login_required
def project_overview(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request.user, project_id, lead=True)
    context = {
        "project": project,
        "coders": coder_progress_for(project),
        "sources": source_progress_for(project),
    }
    return render(request, "sources/project.html", context)


@login_required
@require_POST
def gold_release(request: HttpRequest, project_id: int) -> HttpResponse:
    """Release the gold standard to the coders of a blind project, or withhold it again."""
    project = project_for(request.user, project_id, lead=True)
    released = request.POST.get("released") == "1"
    project_update(project=project, gold_released=released)
    messages.success(
        request,
        "Coders now see the gold standard on their sources."
        if released
        else "The gold standard is withheld from coders again.",
    )
    return redirect("project_overview", project.pk)


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("projects/<int:project_id>/", project_overview, name="project_overview"),
    path("projects/<int:project_id>/gold-release/", gold_release, name="gold_release"),
]
