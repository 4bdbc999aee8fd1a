"""Reads of assignments and annotations, scoped to what the user may see (see sources.selectors).

Coders see their own assignments and annotations; in a project that is not blind they also see
other coders' annotations on the sources assigned to them. Leads see everything in their
projects, staff everything.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import Lag
from django.http import Http404

from annotations.models import AgreementRun, Annotation, Assignment, AssignmentStatus
from narratives.selectors import code_tree
from sources.models import Project, Role, Source
from sources.selectors import AnyUser, project_for, projects_led_by


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


def source_to_annotate(user: AnyUser, source_id: int) -> Source | None:
    """The source if `user` may code it: a lead of its project (or staff), or a member who is
    assigned to it. One query, since every annotation create asks."""
    if not user.is_authenticated:
        return None
    sources = Source.objects.filter(pk=source_id)
    if not user.is_staff:
        sources = sources.filter(
            Q(project__memberships__user=user)
            & (Q(project__memberships__role=Role.LEAD) | Q(assignments__coder=user))
        )
    return sources.first()


HISTORY_FIELDS = ["code_id", "start", "end", "quote", "memo", "version"]


def annotation_history_for_source(source: Source) -> QuerySet:
    """Every recorded change to the annotations of `source`, newest first, deleted ones included.

    Each record is the state after the change (for a deletion, the state that was deleted), with
    the previous state of the same annotation as `before_<field>` (None for a creation).
    """
    previous = {
        f"before_{name}": Window(
            Lag(name), partition_by=[F("id")], order_by=[F("history_date"), F("history_id")]
        )
        for name in HISTORY_FIELDS
    }
    return (
        Annotation.history.filter(source_id=source.pk)
        .select_related("history_user", "coder", "code")
        .annotate(**previous)
        .order_by("-history_date", "-history_id")
    )


def agreement_run_for(user: AnyUser, run_id: int) -> AgreementRun:
    """A run of a project `user` leads (staff: any). Agreement figures describe every coder's
    work, so coders never see them, in blind projects or open ones: 404 for non-members and for
    runs that do not exist, PermissionDenied for coders of the run's project."""
    run = AgreementRun.objects.filter(pk=run_id).first()
    if run is None:
        raise Http404("No such agreement run.")
    project_for(user, run.project_id, lead=True)
    return run


def agreement_choices(project: Project) -> dict[str, list[dict[str, Any]]]:
    """What a lead may choose for a run: sources with how many coders completed them, coders
    with how many sources they completed (members and anyone assigned), codes in tree order."""
    done = Q(assignments__status=AssignmentStatus.DONE)
    sources = (
        Source.objects.filter(project=project)
        .annotate(coded_by=Count("assignments", filter=done))
        .filter(coded_by__gte=1)
        .order_by("pk")
        .values("pk", "title", "coded_by")
    )
    in_project = Q(memberships__project=project) | Q(assignments__source__project=project)
    coders = (
        get_user_model()
        .objects.filter(in_project)
        .distinct()
        .annotate(
            coded=Count(
                "assignments",
                filter=Q(
                    assignments__source__project=project,
                    assignments__status=AssignmentStatus.DONE,
                ),
                distinct=True,
            )
        )
        .order_by("username")
        .values("pk", "username", "coded")
    )
    codes = [
        {"pk": code.pk, "name": code.name, "depth": code.tree_depth, "retired": code.retired}  # type: ignore[attr-defined]
        for code in code_tree(project, include_retired=True)
    ]
    return {
        "sources": [dict(row) for row in sources],
        "coders": [dict(row) for row in coders],
        "codes": codes,
    }
