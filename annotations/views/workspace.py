"""Pages of the coder's workspace: the home queue, a lead's project overview and the annotation
page. Reads go through the selectors (the permission layer); writes happen in the browser
through the JSON API, so these views only render."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse

from annotations.models import AssignmentStatus
from annotations.selectors import (
    annotation_columns_on_source,
    assignment_after,
    assignment_of,
    assignment_queue_for,
    coder_progress_for,
    queue_progress_for,
    source_progress_for,
    workspace_coders_for,
)
from narratives.models import Code
from narratives.selectors import code_tree
from sources.models import Role
from sources.selectors import project_for, project_role, projects_visible_to, source_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each project the user belongs to, with their own assignments, filterable by project,
    status and title."""
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    project_id = request.GET.get("project", "")
    queue = assignment_queue_for(
        request.user,
        project_id=int(project_id) if project_id.isdigit() else None,
        status=status if status in AssignmentStatus.values else None,
    )
    if query:
        queue = queue.filter(source__title__icontains=query)
    progress = queue_progress_for(request.user)
    projects = projects_visible_to(request.user).order_by("name")
    rows = [
        {
            "project": project,
            "role": project_role(request.user, project),
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
    return render(request, "annotations/workspace_home.html", context)


@login_required
def project_overview(request: HttpRequest, project_id: int) -> HttpResponse:
    context = {
        "project": project_for(request.user, project_id, lead=True),
        "coders": coder_progress_for(request.user, project_id),
        "sources": source_progress_for(request.user, project_id),
    }
    return render(request, "annotations/workspace_project.html", context)


ANNOTATIONS_API = "/api/annotations/"

# Preloaded together so the browser need not discover the import graph one level at a time.
WORKSPACE_MODULES = [
    f"js/workspace/{name}.js"
    for name in ["main", "layout", "panels", "picker", "render", "state", "sync", "text"]
]


def _code_json(code: Code) -> dict[str, Any]:
    return {
        "id": code.pk,
        "number": code.number,
        "name": code.name,
        "path": code.path,
        "depth": code.tree_depth,  # type: ignore[attr-defined]
        "colour": code.colour,
        "shortcut": code.shortcut,
        "definition": code.definition,
        "inclusion": code.inclusion,
        "exclusion": code.exclusion,
        "example": code.example,
        "retired": code.retired,
    }


@login_required
def source_workspace(request: HttpRequest, source_id: int) -> HttpResponse:
    source = source_for(request.user, source_id)
    assignment = assignment_of(request.user, source)
    following = assignment_after(request.user, assignment) if assignment else None
    codes = code_tree(source.project, include_retired=True)
    page = {
        "source": {"id": source.pk, "title": source.title, "text": source.text},
        "project": {"id": source.project_id, "blind": source.project.blind},
        "me": {"id": request.user.pk, "username": request.user.get_username()},
        "lead": project_role(request.user, source.project) == Role.LEAD,
        "codes": [_code_json(code) for code in codes],
        "coders": [
            {"id": coder.pk, "username": coder.username}
            for coder in workspace_coders_for(request.user, source)
        ],
        "assignment": ({"id": assignment.pk, "status": assignment.status} if assignment else None),
        # The page arrives with the annotations the server holds, so opening a source costs no
        # second round trip; every change still goes through the API.
        "annotations": annotation_columns_on_source(request.user, source),
        "urls": {
            "annotations": ANNOTATIONS_API,
            "complete": f"/api/assignments/{assignment.pk}/complete/" if assignment else None,
            "reopen": f"/api/assignments/{assignment.pk}/reopen/" if assignment else None,
            "next": reverse("workspace", args=[following.source_id]) if following else None,
            "home": reverse("home"),
        },
    }
    context = {
        "source": source,
        "assignment": assignment,
        "following": following,
        "page": page,
        "modules": WORKSPACE_MODULES,
    }
    return render(request, "annotations/workspace.html", context)


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("projects/<int:project_id>/", project_overview, name="project_overview"),
    path("sources/<int:source_id>/code/", source_workspace, name="workspace"),
]
