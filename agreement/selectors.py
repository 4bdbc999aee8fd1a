"""Reads for agreement runs: one run as its project's leads may see it, and what a run may be
computed over."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from agreement.models import AgreementRun, AgreementRunStatus, CalibrationRound
from annotations.models import Adjudication, Annotation, AssignmentStatus, Layer
from core.errors import NotFound
from narratives.selectors import code_tree
from sources.models import Project, Role, Source
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
    with how many sources they completed (coders, and anyone assigned or with passages in the
    project), codes in tree order."""
    done = Q(assignments__status=AssignmentStatus.DONE)
    sources = (
        Source.objects.filter(project=project)
        .annotate(coded_by=Count("assignments", filter=done))
        .filter(coded_by__gte=1)
        .order_by("pk")
        .values("pk", "title", "coded_by")
    )
    # The project's coders and anyone with work in it; a lead who codes nothing is no coder.
    in_project = (
        Q(memberships__project=project, memberships__role=Role.CODER)
        | Q(assignments__source__project=project)
        | Q(annotations__source__project=project)
    )
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
        "rounds": [
            dict(row)
            for row in project.calibration_rounds.order_by("created_at", "pk").values(
                "pk", "name", "codebook_version"
            )
        ],
    }


def sources_to_adjudicate(project: Project) -> list[int]:
    """Ids of the sources at least two coders have coded and no lead has declared adjudicated,
    those the latest finished agreement run found most disputed first, then by id."""
    adjudicated = Adjudication.objects.filter(source__project=project).values("source_id")
    coded = (
        Annotation.objects.filter(source__project=project, layer=Layer.CODER)
        .exclude(source_id__in=adjudicated)
        .order_by()
        .values("source_id")
        .annotate(coders=Count("coder_id", distinct=True))
        .filter(coders__gte=2)
        .values_list("source_id", flat=True)
    )
    latest = (
        AgreementRun.objects.filter(project=project, status=AgreementRunStatus.DONE)
        .order_by("-created_at", "-pk")
        .values_list("results__most_disagreement", flat=True)
        .first()
    )
    rank = {row["source"]: place for place, row in enumerate(latest or [])}
    return sorted(coded, key=lambda pk: (rank.get(pk, len(rank)), pk))


def latest_run_per_round(project: Project) -> list[tuple[CalibrationRound, AgreementRun]]:
    """Each round of the project in the order made, with its latest finished run (rounds
    without one are left out)."""
    runs = AgreementRun.objects.filter(project=project, status=AgreementRunStatus.DONE)
    found = []
    for calibration in project.calibration_rounds.order_by("created_at", "pk"):
        run = runs.filter(params__round=calibration.pk).order_by("-created_at", "-pk").first()
        if run is not None:
            found.append((calibration, run))
    return found
