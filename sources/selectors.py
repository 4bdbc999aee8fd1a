"""Reads of projects and sources, always scoped to what the user may see.

This module and `annotations.selectors` are the one permission layer: the API and the pages both
ask them what a user may see, so the two can never disagree.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from sources.models import Membership, Project, Role, Source

AnyUser = User | AnonymousUser


def projects_visible_to(user: AnyUser) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_staff:
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user).distinct()


def project_role(user: AnyUser, project: Project) -> str | None:
    """`lead`, `coder`, or None; staff count as lead in every project."""
    if user.is_staff:
        return Role.LEAD
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(project=project, user=user).values_list("role", flat=True).first()
    )


def project_for(user: AnyUser, project_id: int, *, lead: bool = False) -> Project:
    """The project if `user` is a member (a lead, with `lead=True`).

    Non-members get 404, never 403, so a project's existence is not revealed; members without
    the role get PermissionDenied.
    """
    project = Project.objects.filter(pk=project_id).first()
    role = project_role(user, project) if project is not None else None
    if project is None or role is None:
        raise Http404("No such project.")
    if lead and role != Role.LEAD:
        raise PermissionDenied("Only the project's lead researcher may do this.")
    return project


def projects_led_by(user: AnyUser) -> QuerySet[Project]:
    if user.is_staff:
        return Project.objects.all()
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(memberships__user=user, memberships__role=Role.LEAD)


def sources_visible_to(user: AnyUser) -> QuerySet[Source]:
    """Leads see every source of their projects; coders only the sources assigned to them."""
    if not user.is_authenticated:
        return Source.objects.none()
    if user.is_staff:
        return Source.objects.all()
    led = Source.objects.filter(project__in=projects_led_by(user))
    assigned = Source.objects.filter(assignments__coder=user, project__memberships__user=user)
    return (led | assigned).distinct()


def source_for(user: AnyUser, source_id: int) -> Source:
    """The source if the user may see it; 404 otherwise, so its existence is not revealed."""
    source = sources_visible_to(user).select_related("project").filter(pk=source_id).first()
    if source is None:
        raise Http404("No such source.")
    return source
