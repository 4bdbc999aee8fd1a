"""The lead's disagreement review: every coder's passages in lanes on one source, and the gold
standard settled from them. The page writes gold passages through the annotations API with the
workspace's save queue; this view only renders, and the queue of sources left to adjudicate
leads from one source to the next."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse

from annotations.models import Adjudication
from annotations.selectors import (
    annotation_columns_on_source,
    gold_on_source,
    sources_to_adjudicate,
    workspace_coders_for,
)
from annotations.views.workspace import ANNOTATIONS_API, _code_json
from narratives.selectors import code_tree
from sources.selectors import project_for, source_for


@login_required
def source_review(request: HttpRequest, source_id: int) -> HttpResponse:
    source = source_for(request.user, source_id)
    project = project_for(request.user, source.project_id, lead=True)
    queue = [pk for pk in sources_to_adjudicate(project) if pk != source.pk]
    codes = code_tree(project, include_retired=True)
    declared = Adjudication.objects.filter(source=source).select_related("by").first()
    page = {
        "source": {"id": source.pk, "title": source.title, "text": source.text},
        "me": request.user.get_username(),
        "codes": [_code_json(code, number) for number, code in enumerate(codes, start=1)],
        "coders": [coder.username for coder in workspace_coders_for(request.user, source)],
        "passages": annotation_columns_on_source(request.user, source),
        "gold": gold_on_source(source),
        "adjudicated": declared is not None,
        "urls": {
            "annotations": ANNOTATIONS_API,
            "adjudication": f"/api/projects/{project.pk}/sources/{source.pk}/adjudication/",
            "next": reverse("review", args=[queue[0]]) if queue else None,
        },
    }
    context = {"source": source, "project": project, "page": page, "left": len(queue)}
    return render(request, "annotations/review.html", context)


@login_required
def next_to_adjudicate(request: HttpRequest, project_id: int) -> HttpResponse:
    """The first source of the adjudication queue, or the project overview once it is empty."""
    project = project_for(request.user, project_id, lead=True)
    queue = sources_to_adjudicate(project)
    if queue:
        return redirect("review", queue[0])
    return redirect(reverse("project_overview", args=[project.pk]) + "?adjudicated=all")


urlpatterns: list[URLPattern] = [
    path("sources/<int:source_id>/review/", source_review, name="review"),
    path("projects/<int:project_id>/adjudicate/", next_to_adjudicate, name="adjudicate-next"),
]
