from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from agreement.models import AgreementRun, CalibrationRound
from agreement.services.scope import LEVELS, MAX_BOOTSTRAP, codebook_snapshot, run_scope_resolve
from agreement.tasks import agreement_run_job
from annotations.models import Adjudication
from sources.models import Project

# One fixed seed: the same data and parameters give the same intervals, run after run.
DEFAULT_SEED = 20240322


def _check_options(level: str, bootstrap: int, seed: int) -> None:
    errors = {}
    if level not in LEVELS:
        errors["level"] = f"Level must be one of {', '.join(LEVELS)}, not {level!r}."
    if not 0 <= bootstrap <= MAX_BOOTSTRAP:
        errors["bootstrap"] = (
            f"Bootstrap replicates must be between 0 (off) and {MAX_BOOTSTRAP}, not {bootstrap}."
        )
    if not 0 <= seed < 2**63:
        errors["seed"] = "The seed must be a non-negative 64-bit integer."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_run_start(
    *,
    project: Project,
    user: User,
    sources: Iterable[int] | None = None,
    coders: Iterable[int] | None = None,
    codes: Iterable[int] | None = None,
    level: str = "leaf",
    bootstrap: int = 1000,
    seed: int = DEFAULT_SEED,
    gold: bool = False,
    calibration: CalibrationRound | None = None,
) -> AgreementRun:
    """Record a queued agreement run over `project` and queue its job once this commits.

    `sources`, `coders` (user ids) and `codes` are ids inside the project; None takes
    the default for that set (see agreement.services.scope). `level` is "leaf" (codes
    as applied) or "top" (every span rolled up to its top-level ancestor; a chosen code then
    stands for its top-level code's whole subtree). `bootstrap` is the number of cluster
    bootstrap replicates, 0 for none. `gold` adds each coder against the gold standard of the
    run's adjudicated sources (at least one is needed). A `calibration` round gives the run
    its sources and coders wherever these are not named. Raises ValidationError with a message
    per field; nothing is written then. The resolved sets, the seed and a snapshot of the
    codebook are stored with the run, so its report says exactly what it was computed on.
    """
    _check_options(level, bootstrap, seed)
    if calibration is not None:
        if calibration.project_id != project.pk:
            raise ValidationError({"round": "This round belongs to another project."})
        if sources is None:
            sources = list(calibration.sources.values_list("pk", flat=True))
        if coders is None:
            coders = list(calibration.coders.values_list("pk", flat=True))
    defaulted = [
        name
        for name, given in (("sources", sources), ("coders", coders), ("codes", codes))
        if given is None
    ]
    scope = run_scope_resolve(project=project, sources=sources, coders=coders, codes=codes)
    if gold and not Adjudication.objects.filter(source_id__in=scope.sources).exists():
        raise ValidationError(
            {"gold": "No source of this run is adjudicated yet: settle and mark one first."}
        )
    params = {
        "sources": scope.sources,
        "coders": scope.coders,
        "codes": scope.codes,
        "level": level,
        "bootstrap": bootstrap,
        "seed": seed,
        "gold": gold,
        "round": None if calibration is None else calibration.pk,
        "defaulted": defaulted,
    }
    run = AgreementRun(
        project=project,
        created_by=user,
        params=params,
        codebook_snapshot=codebook_snapshot(project),
    )
    run.full_clean()
    run.save()
    transaction.on_commit(lambda: agreement_run_job.delay(run.pk))
    return run
