"""What a run covers: its sources S, coders C and codes K, resolved inside one project.

The defaults (docs/agreement.md): S = sources that at least two coders (of C, when C is given) have
coded; C = coders who have coded a source in S; K = codes that are not retired or that some
annotation in S uses. A coder has coded a source when the assignment is done.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from annotations.models import Annotation, Assignment, AssignmentStatus
from narratives.models import Code
from narratives.selectors import depth_first
from sources.models import Project, Source

LEVELS = ("leaf", "top")
MAX_BOOTSTRAP = 10_000


@dataclass(frozen=True)
class RunScope:
    sources: list[int]
    coders: list[int]
    codes: list[int]


def _unknown(requested: set[int], found: Iterable[int], what: str) -> str | None:
    missing = sorted(requested - set(found))
    if not missing:
        return None
    listed = ", ".join(str(pk) for pk in missing)
    return f"No {what} with id {listed} in this project."


def _done(project: Project) -> Any:
    return Assignment.objects.filter(source__project=project, status=AssignmentStatus.DONE)


def _check_ids(
    project: Project, sources: set[int] | None, coders: set[int] | None, codes: set[int] | None
) -> dict[str, str]:
    errors: dict[str, str | None] = {}
    if sources is not None:
        in_sources = Source.objects.filter(project=project, pk__in=sources)
        errors["sources"] = _unknown(sources, in_sources.values_list("pk", flat=True), "source")
    if coders is not None:
        in_project = Q(memberships__project=project) | Q(assignments__source__project=project)
        users = get_user_model().objects.filter(in_project, pk__in=coders)
        errors["coders"] = _unknown(coders, users.values_list("pk", flat=True), "coder")
        if not errors["coders"] and len(coders) < 2:
            errors["coders"] = "Agreement needs at least two coders."
    if codes is not None:
        in_codes = Code.objects.filter(codebook__project=project, pk__in=codes)
        errors["codes"] = _unknown(codes, in_codes.values_list("pk", flat=True), "code")
        if not errors["codes"] and not codes:
            errors["codes"] = "Choose at least one code."
    return {field: message for field, message in errors.items() if message}


def _default_sources(project: Project, coders: set[int] | None) -> list[int]:
    done = _done(project)
    if coders is not None:
        done = done.filter(coder_id__in=coders)
    rows = done.values("source_id").annotate(n=Count("coder_id", distinct=True)).filter(n__gte=2)
    return sorted(row["source_id"] for row in rows)


def _default_coders(project: Project, sources: list[int]) -> list[int]:
    coders = _done(project).filter(source_id__in=sources).values_list("coder_id", flat=True)
    return sorted(set(coders))


def _default_codes(project: Project, sources: list[int]) -> list[int]:
    used = Annotation.objects.filter(source_id__in=sources).values("code_id")
    codes = Code.objects.filter(codebook__project=project).filter(Q(retired=False) | Q(pk__in=used))
    return sorted(codes.values_list("pk", flat=True))


def run_scope_resolve(
    *,
    project: Project,
    sources: Iterable[int] | None,
    coders: Iterable[int] | None,
    codes: Iterable[int] | None,
) -> RunScope:
    """Check every given id inside `project` and fill in the defaults for the rest.

    Raises ValidationError with a message per field (`sources`, `coders`, `codes`) naming the
    ids that are not in the project, or saying why the run would be empty.
    """
    wanted_sources = None if sources is None else set(sources)
    wanted_coders = None if coders is None else set(coders)
    wanted_codes = None if codes is None else set(codes)
    errors = _check_ids(project, wanted_sources, wanted_coders, wanted_codes)
    if errors:
        raise ValidationError(errors)
    if wanted_sources is None:
        source_ids = _default_sources(project, wanted_coders)
        if not source_ids:
            raise ValidationError(
                {
                    "sources": "No source has been coded by two of these coders yet "
                    "(a coder has coded a source when the assignment is marked done)."
                }
            )
    else:
        source_ids = sorted(wanted_sources)
        if not source_ids:
            raise ValidationError({"sources": "Choose at least one source."})
    coder_ids = (
        _default_coders(project, source_ids) if wanted_coders is None else sorted(wanted_coders)
    )
    if len(coder_ids) < 2:
        raise ValidationError(
            {"coders": "Fewer than two coders have coded these sources; agreement needs two."}
        )
    code_ids = _default_codes(project, source_ids) if wanted_codes is None else sorted(wanted_codes)
    if not code_ids:
        raise ValidationError({"codes": "The codebook has no code to compare."})
    return RunScope(sources=source_ids, coders=coder_ids, codes=code_ids)


def codebook_snapshot(project: Project) -> list[dict[str, Any]]:
    """Every code of the project's codebook as it stands now, retired ones included, in tree
    order (depth first; siblings by order, then name)."""
    fields = (
        "id",
        "parent_id",
        "name",
        "definition",
        "inclusion",
        "exclusion",
        "example",
        "colour",
        "order",
        "retired",
    )
    codes = Code.objects.filter(codebook__project=project).order_by("order", "name", "pk")
    return depth_first([dict(row) for row in codes.values(*fields)])


def top_level_of(snapshot: list[dict[str, Any]]) -> dict[int, int]:
    """Map every code id of a codebook snapshot to its top-level ancestor's id."""
    parent = {code["id"]: code["parent_id"] for code in snapshot}
    top: dict[int, int] = {}
    for code_id in parent:
        node, seen = code_id, set()
        while parent.get(node) is not None and node not in seen:
            seen.add(node)
            node = parent[node]
        top[code_id] = node
    return top
