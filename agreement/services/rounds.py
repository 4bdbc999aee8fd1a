"""Calibration rounds: a set of sources coded by a set of coders under one codebook version."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from agreement.models import CalibrationRound
from annotations.services import assignment_create
from narratives.selectors import codebook_version_number
from narratives.services import codebook_for
from sources.models import Project, Role, Source


@transaction.atomic
def calibration_round_create(
    *,
    project: Project,
    name: str,
    sources: Iterable[Source],
    coders: Iterable[User],
    by: User | None,
) -> CalibrationRound:
    """Make a round and assign each of its sources to each of its coders (assignments that
    exist already are kept as they are). Sources and coders must be the project's; at least
    one source and two coders, since a round is there to measure agreement."""
    # One round made at a time per project, so the name check below holds for a double submit.
    Project.objects.select_for_update().get(pk=project.pk)
    sources, coders = list(sources), list(coders)
    errors = {}
    if not name.strip():
        errors["name"] = "Name the round."
    elif CalibrationRound.objects.filter(project=project, name=name.strip()).exists():
        errors["name"] = f"There is already a round named {name.strip()!r}."
    if not sources:
        errors["sources"] = "Choose at least one source."
    if len(coders) < 2:
        errors["coders"] = "Choose at least two coders: a round measures their agreement."
    strays = [s.pk for s in sources if s.project_id != project.pk]
    if strays:
        errors["sources"] = f"Not sources of this project: {strays}."
    members = set(project.memberships.filter(role=Role.CODER).values_list("user_id", flat=True))
    outsiders = sorted(c.username for c in coders if c.pk not in members)
    if outsiders:
        errors["coders"] = f"Not coders of this project: {', '.join(outsiders)}."
    if errors:
        raise ValidationError(errors)
    calibration = CalibrationRound.objects.create(
        project=project,
        name=name.strip(),
        codebook_version=codebook_version_number(codebook_for(project).pk),
        created_by=by,
    )
    calibration.sources.set(sources)
    calibration.coders.set(coders)
    for source in sources:
        for coder in coders:
            assignment_create(source=source, coder=coder)
    return calibration
