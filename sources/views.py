from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sources.models import Membership
from sources.selectors import projects_visible_to


@login_required
def home(request: HttpRequest) -> HttpResponse:
    assert request.user.is_authenticated
    roles = dict(Membership.objects.filter(user=request.user).values_list("project_id", "role"))
    projects = [
        {"project": project, "role": roles.get(project.pk, "admin")}
        for project in projects_visible_to(request.user).order_by("name")
    ]
    return render(request, "sources/home.html", {"projects": projects})
