"""Reads of projects and sources, always scoped to what the user may see."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from sources.models import Membership, Project


def projects_visible_to(user: User | AnonymousUser) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_staff:
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user).distinct()


def project_role(user: User | AnonymousUser, project: Project) -> str | None:
    """`lead`, `coder`, or None; staff count as lead in every project."""
    if user.is_staff:
        return "lead"
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(project=project, user=user).values_list("role", flat=True).first()
    )
