"""Reads for agreement runs: one run as its project's leads may see it, and what a run may be
computed over."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from agreement.models import AgreementRun
from annotations.models import AssignmentStatus
from core.errors import NotFound
from narratives.selectors import code_tree
from sources.models import Project, Source
from sources.selectors import AnyUser, project_for


def agreement_run_for(user: AnyUser, run_id: int) -> AgreementRun:
    """A run of a project `user` leads (staff: any). Agreement figures describe every coder's
    work, so coders never see them, in blind projects or open ones: NotFound for non-members and
    for runs that do not exist, NotAllowed for coders of the run's project."""
    run = AgreementRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound("No such agreement run.")
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
