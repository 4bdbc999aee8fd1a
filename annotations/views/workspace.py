"""The coder's annotation page. Reads go through the selectors (the permission layer); writes
happen in the browser through the JSON API, so this view only renders."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse

from annotations.models import Layer
from annotations.selectors import (
    annotation_columns_on_source,
    annotations_on_source_visible_to,
    assignment_after,
    assignment_of,
    workspace_coders_for,
)
from core.modules import page_modules
from narratives.models import Code
from narratives.selectors import code_tree
from sources.selectors import source_with_access

ANNOTATIONS_API = "/api/annotations/"


def code_json(code: Code) -> dict[str, Any]:
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
    source, access = source_with_access(request.user, source_id)
    assignment = assignment_of(request.user, source)
    following = assignment_after(request.user, assignment) if assignment else None
    codes = code_tree(source.project, include_retired=True)
    page = {
        "source": {"id": source.pk, "title": source.title, "text": source.text},
        "project": {"id": source.project_id, "blind": source.project.blind},
        "me": {"id": request.user.pk, "username": request.user.get_username()},
        "lead": access.may_lead,
        "codes": [code_json(code) for code in codes],
        "coders": [
            {"id": coder.pk, "username": coder.username}
            for coder in workspace_coders_for(request.user, source, access)
        ],
        "assignment": ({"id": assignment.pk, "status": assignment.status} if assignment else None),
        # The page arrives with the annotations the server holds, so opening a source costs no
        # second round trip; every change still goes through the API.
        "annotations": annotation_columns_on_source(request.user, source, access),
        "urls": {
            "annotations": ANNOTATIONS_API,
            "complete": f"/api/assignments/{assignment.pk}/complete/" if assignment else None,
            "reopen": f"/api/assignments/{assignment.pk}/reopen/" if assignment else None,
            "next": reverse("workspace", args=[following.source_id]) if following else None,
            "home": reverse("home"),
        },
    }
    # Read-only for coders, and in a blind project only once the lead has released it.
    gold = annotations_on_source_visible_to(request.user, source, access, layer=Layer.GOLD)
    context = {
        "source": source,
        "assignment": assignment,
        "gold": gold.select_related("code").order_by("start", "end", "code__name"),
        "following": following,
        "page": page,
        "modules": page_modules("workspace"),
    }
    return render(request, "annotations/workspace.html", context)


urlpatterns: list[URLPattern] = [
    path("sources/<int:source_id>/code/", source_workspace, name="workspace"),
]
