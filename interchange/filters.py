"""The filters an export accepts, checked against the project before anything is read."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime

from annotations.models import Layer
from narratives.models import Code
from sources.models import Project

# Query parameters that are options of a kind rather than filters.
OPTIONS = ("exact", "version")
LISTS = ("source", "coder", "code")
DATES = ("updated_since", "updated_until")
# Which passages go out: the coders' (what a reliability or coding dataset expects), the gold
# standard, or both.
LAYERS = (Layer.CODER.value, Layer.GOLD.value, "all")
SINGLE = ("layer",)


@dataclass(frozen=True)
class ExportFilters:
    """Source ids, coder usernames and code ids (`code_tree`: each with its descendants), and
    a window on annotations' `updated` time (from `updated_since` inclusive to `updated_until`
    exclusive; a bare date given as `updated_until` includes its whole day). Empty means no
    restriction. `layer` is `coder`, `gold` or `all`. `given` holds the parameters as the user
    wrote them, and always the layer."""

    sources: tuple[int, ...] = ()
    coders: tuple[str, ...] = ()
    codes: tuple[int, ...] = ()
    code_tree: tuple[int, ...] = ()
    updated_since: datetime | None = None
    updated_until: datetime | None = None
    layer: str = Layer.CODER.value
    given: dict[str, list[str]] = field(default_factory=dict, compare=False)

    def annotations_q(self, prefix: str = "") -> Q:
        q = Q()
        if self.layer != "all":
            q &= Q(**{f"{prefix}layer": self.layer})
        if self.sources:
            q &= Q(**{f"{prefix}source_id__in": self.sources})
        if self.coders:
            q &= Q(**{f"{prefix}coder__username__in": self.coders})
        if self.code_tree:
            q &= Q(**{f"{prefix}code_id__in": self.code_tree})
        if self.updated_since:
            q &= Q(**{f"{prefix}updated_at__gte": self.updated_since})
        if self.updated_until:
            q &= Q(**{f"{prefix}updated_at__lt": self.updated_until})
        return q


def _ids(values: Sequence[str], name: str, errors: dict[str, list[str]]) -> list[int]:
    bad = [value for value in values if not value.strip().isdigit()]
    if bad:
        errors[name] = [f"Expected numeric ids, got {', '.join(map(repr, bad[:5]))}."]
        return []
    return [int(value) for value in values]


def _moment(value: str, *, end: bool) -> datetime | None:
    """An ISO date or date-time; a bare date covers its whole day (UTC)."""
    moment = parse_datetime(value)
    if moment is not None:
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    day = parse_date(value)
    if day is None:
        return None
    midnight = datetime.combine(day, time(), tzinfo=UTC)
    return midnight + timedelta(days=1) if end else midnight


def _outside(given: list[int], known: set[int]) -> list[int]:
    return [pk for pk in given if pk not in known]


def export_filters_parse(project: Project, params: Mapping[str, Sequence[str]]) -> ExportFilters:
    """Check `params` (name -> values, as in a query string) against `project`.

    Raises ValidationError naming each bad parameter: unknown names, malformed values, ids or
    usernames outside the project, a window that ends before it starts.
    """
    errors: dict[str, list[str]] = {}
    for name in params:
        if name not in (*LISTS, *DATES, *SINGLE, *OPTIONS):
            allowed = ", ".join((*LISTS, *DATES, *SINGLE, *OPTIONS))
            errors[name] = [f"Unknown parameter {name!r}; the filters are {allowed}."]
    sources = _ids(params.get("source", []), "source", errors)
    codes = _ids(params.get("code", []), "code", errors)
    coders = [value.strip() for value in params.get("coder", [])]
    known_sources = set(project.sources.filter(pk__in=sources).values_list("pk", flat=True))
    if missing := _outside(sources, known_sources):
        errors["source"] = [f"No source with id {pk} in this project." for pk in missing]
    tree = _code_tree(project, codes)
    if missing := _outside(codes, set(tree)):
        errors["code"] = [f"No code with id {pk} in this project's codebook." for pk in missing]
    known_coders = set(
        project.members.filter(username__in=coders).values_list("username", flat=True)
    ) | set(
        project.sources.filter(annotations__coder__username__in=coders).values_list(
            "annotations__coder__username", flat=True
        )
    )
    if missing_coders := [name for name in coders if name not in known_coders]:
        errors["coder"] = [f"No coder {name!r} in this project." for name in missing_coders]
    window: dict[str, datetime | None] = {}
    for name in DATES:
        values = params.get(name, [])
        if len(values) > 1:
            errors[name] = ["Give this at most once."]
        moment = _moment(values[0].strip(), end=name == "updated_until") if values else None
        if values and moment is None:
            errors[name] = [f"Expected an ISO date such as 2024-03-22, got {values[0]!r}."]
        window[name] = moment
    layer = _layer(params.get("layer", []), errors)
    since, until = window["updated_since"], window["updated_until"]
    if since and until and until <= since:
        errors["updated_until"] = ["The window ends before it starts."]
    if errors:
        raise ValidationError(errors)
    return ExportFilters(
        sources=tuple(dict.fromkeys(sources)),
        coders=tuple(dict.fromkeys(coders)),
        codes=tuple(dict.fromkeys(codes)),
        code_tree=tuple(sorted(tree)) if codes else (),
        updated_since=since,
        updated_until=until,
        layer=layer,
        given={
            **{
                name: [value.strip() for value in params[name]]
                for name in (*LISTS, *DATES)
                if params.get(name)
            },
            "layer": [layer],
        },
    )


def _layer(values: Sequence[str], errors: dict[str, list[str]]) -> str:
    if len(values) > 1:
        errors["layer"] = ["Give this at most once."]
        return Layer.CODER.value
    layer = values[0].strip().lower() if values else Layer.CODER.value
    if layer not in LAYERS:
        errors["layer"] = [f"Expected one of {', '.join(LAYERS)}, got {values[0]!r}."]
    return layer


def _code_tree(project: Project, roots: list[int]) -> set[int]:
    """`roots` (those in the project's codebook) and all their descendants."""
    if not roots:
        return set()
    parents = dict(Code.objects.filter(codebook__project=project).values_list("pk", "parent_id"))
    found = {pk for pk in roots if pk in parents}
    grew = True
    while grew:
        children = {pk for pk, parent in parents.items() if parent in found} - found
        found |= children
        grew = bool(children)
    return found
