"""Reads of assignments and annotations, scoped to what the user may see (see sources.selectors).

Coders see their own assignments and annotations; in a project that is not blind they also see
other coders' annotations on the sources assigned to them. Leads see everything in their
projects, staff everything.
"""

from django.db.models import Q, QuerySet

from annotations.models import Annotation, Assignment
from sources.selectors import AnyUser, projects_led_by


def assignments_visible_to(user: AnyUser) -> QuerySet[Assignment]:
    if not user.is_authenticated:
        return Assignment.objects.none()
    if user.is_staff:
        return Assignment.objects.all()
    return Assignment.objects.filter(
        Q(source__project__in=projects_led_by(user))
        | Q(coder=user, source__project__memberships__user=user)
    ).distinct()


def annotations_visible_to(user: AnyUser) -> QuerySet[Annotation]:
    if not user.is_authenticated:
        return Annotation.objects.none()
    if user.is_staff:
        return Annotation.objects.all()
    own = Q(coder=user, source__project__memberships__user=user)
    led = Q(source__project__in=projects_led_by(user))
    open_project_peers = Q(
        source__project__blind=False,
        source__assignments__coder=user,
        source__project__memberships__user=user,
    )
    return Annotation.objects.filter(own | led | open_project_peers).distinct()
