"""The lead's setup pages: members and assignments. Plain forms posting back to the page; every
write goes through a service, and a refusal is shown on the page instead of written."""

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST

from annotations import services
from annotations.models import Assignment, AssignmentStrategy
from core.api.views import acting_user
from sources import services as sources_services
from sources.models import Membership, Project, Role
from sources.selectors import project_for


def _refusal(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@login_required
def members(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request.user, project_id, lead=True)
    rows = project.memberships.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "annotations/setup_members.html",
        {"project": project, "memberships": rows, "roles": Role.choices},
    )


@login_required
@require_POST
def member_change(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request.user, project_id, lead=True)
    action = request.POST.get("action")
    try:
        if action == "add":
            username = request.POST.get("username", "").strip()
            user = User.objects.filter(username=username).first()
            if user is None:
                raise ValidationError(f"No user named {username!r}; staff create accounts.")
            sources_services.membership_add(
                project=project, user=user, role=request.POST.get("role", Role.CODER)
            )
            messages.success(request, f"{username} added.")
        else:
            membership = get_object_or_404(project.memberships, pk=request.POST.get("member"))
            if action == "role":
                sources_services.membership_change_role(
                    membership=membership, role=request.POST.get("role", "")
                )
            elif action == "remove":
                sources_services.membership_remove(membership=membership)
    except ValidationError as error:
        _refusal(request, error)
    return redirect("setup_members", project.pk)


def _number(value: str | None, kind: type) -> Any:
    try:
        return kind(value) if value not in (None, "") else None
    except ValueError:
        raise ValidationError(f"{value!r} is not a number.") from None


def _plan_params(data: Any) -> dict[str, Any]:
    strategy = data.get("strategy", "")
    if strategy not in AssignmentStrategy.values:
        raise ValidationError("Choose how to assign.")
    params: dict[str, Any] = {"strategy": strategy}
    params["seed"] = _number(data.get("seed"), int)
    if params["seed"] is None:
        params["seed"] = secrets.randbelow(10**9)
    if strategy == AssignmentStrategy.K_CODERS:
        params["k"] = _number(data.get("k"), int)
    if strategy == AssignmentStrategy.RELIABILITY:
        share = _number(data.get("share"), float)
        params["share"] = share / 100 if share is not None else None
        params["count"] = _number(data.get("count"), int)
    return params


def _grid(project: Project) -> dict[str, Any]:
    coders = [
        membership.user
        for membership in Membership.objects.filter(project=project, role=Role.CODER)
        .select_related("user")
        .order_by("user__username")
    ]
    cells = {
        (a.source_id, a.coder_id): a
        for a in Assignment.objects.filter(source__project=project).order_by()
    }
    sources = project.sources.defer("text").order_by("id")
    rows = [
        (source, [(coder, cells.get((source.pk, coder.pk))) for coder in coders])
        for source in sources
    ]
    return {"coders": coders, "rows": rows}


@login_required
def assignments(request: HttpRequest, project_id: int) -> HttpResponse:
    """The sources x coders grid; `?strategy=...` previews a bulk action with each coder's load."""
    project = project_for(request.user, project_id, lead=True)
    context: dict[str, Any] = {"project": project, **_grid(project)}
    context["strategies"] = AssignmentStrategy.choices
    context["plans"] = project.assignment_plans.all()[:5]
    if request.GET.get("strategy"):
        try:
            params = _plan_params(request.GET)
            plan, loads = services.assignment_plan_preview(project=project, **params)
            names = {coder.pk: coder.username for coder in context["coders"]}
            context["preview"] = {
                "params": params,
                "share_percent": params["share"] * 100 if params.get("share") is not None else "",
                "added": len(plan.pairs),
                "overlap": len(plan.overlap),
                "loads": [
                    (names[c], before, added, before + added)
                    for c, (before, added) in loads.items()
                ],
            }
        except ValidationError as error:
            _refusal(request, error)
    return render(request, "annotations/setup_assignments.html", context)


@login_required
@require_POST
def assignments_apply(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request.user, project_id, lead=True)
    try:
        record = services.assignment_plan_apply(
            project=project, user=acting_user(request), **_plan_params(request.POST)
        )
        messages.success(
            request, f"{record.assignments_created} assignment(s) added (seed {record.seed})."
        )
    except ValidationError as error:
        _refusal(request, error)
    return redirect("setup_assignments", project.pk)


@login_required
@require_POST
def assignment_change(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request.user, project_id, lead=True)
    assignment = get_object_or_404(
        Assignment, pk=request.POST.get("assignment"), source__project=project
    )
    try:
        if request.POST.get("action") == "unassign":
            services.assignment_delete(assignment=assignment)
        else:
            coder = get_object_or_404(User, pk=request.POST.get("coder"))
            services.assignment_reassign(assignment=assignment, coder=coder)
    except ValidationError as error:
        _refusal(request, error)
    return redirect("setup_assignments", project.pk)


@login_required
@require_POST
def assignment_add(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request.user, project_id, lead=True)
    source = get_object_or_404(project.sources, pk=request.POST.get("source"))
    coder = get_object_or_404(
        User,
        pk=request.POST.get("coder"),
        memberships__project=project,
        memberships__role=Role.CODER,
    )
    services.assignment_create(source=source, coder=coder)
    return redirect("setup_assignments", project.pk)


urlpatterns: list[URLPattern] = [
    path("projects/<int:project_id>/members/", members, name="setup_members"),
    path("projects/<int:project_id>/members/change/", member_change, name="setup_member_change"),
    path("projects/<int:project_id>/assignments/", assignments, name="setup_assignments"),
    path(
        "projects/<int:project_id>/assignments/apply/",
        assignments_apply,
        name="setup_assignments_apply",
    ),
    path(
        "projects/<int:project_id>/assignments/change/",
        assignment_change,
        name="setup_assignment_change",
    ),
    path("projects/<int:project_id>/assignments/add/", assignment_add, name="setup_assignment_add"),
]
