"""Reads of assignments and annotations, scoped to what the user may see (see sources.selectors).

Coders see their own assignments and annotations; in a project that is not blind they also see
other coders' annotations on the sources assigned to them. Leads see everything in their
projects, staff everything.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import Lag

from annotations.models import (
    Annotation,
    Assignment,
    AssignmentStatus,
    CandidateRejection,
    Layer,
)
from core.errors import NotAllowed, NotFound
from sources.access import Access, AnyUser, access_for
from sources.models import Project, Role, Source
from sources.selectors import projects_led_by


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
    """Every layer. Gold passages are seen by leads, and by coders on their assigned sources
    once the project is open or a lead has released the gold standard."""
    if not user.is_authenticated:
        return Annotation.objects.none()
    if user.is_staff:
        return Annotation.objects.all()
    assigned = Q(source__assignments__coder=user, source__project__memberships__user=user)
    own = Q(layer=Layer.CODER, coder=user, source__project__memberships__user=user)
    led = Q(source__project__in=projects_led_by(user))
    open_project_peers = Q(layer=Layer.CODER, source__project__blind=False) & assigned
    released_gold = (
        Q(layer=Layer.GOLD)
        & (Q(source__project__blind=False) | Q(source__project__gold_released=True))
        & assigned
    )
    return Annotation.objects.filter(own | led | open_project_peers | released_gold).distinct()


def annotation_for(user: AnyUser, annotation_id: uuid.UUID, *, change: bool = False) -> Annotation:
    """The annotation if the user may see it (NotFound otherwise); with `change=True`, only if
    they may also change it (NotAllowed otherwise)."""
    visible = annotations_visible_to(user).select_related("coder", "source")
    annotation = visible.filter(pk=annotation_id).first()
    if annotation is None:
        raise NotFound("No such annotation.")
    access = access_for(user, annotation.source.project_id)
    if change and annotation.layer == Layer.GOLD and not access.may_lead:
        raise NotAllowed("Only a lead may change the gold standard.")
    if change and not access.may_change_annotation(annotation.coder_id):
        raise NotAllowed("Only its coder or a lead may change this.")
    return annotation


def annotations_on_source_visible_to(
    user: AnyUser, source: Source, access: Access | None = None, *, layer: str = Layer.CODER
) -> QuerySet[Annotation]:
    """`annotations_visible_to(user)` on one source and layer, as a filter without joins: an
    annotation page loads thousands. All of them for staff and the project's leads; for a member
    assigned to the source, every coder's while the project is not blind (else their own), and
    the gold ones once the project is open or its gold standard released. `access` is the
    user's to the source's project, if the caller has it already."""
    access = access or access_for(user, source.project_id)
    annotations = Annotation.objects.filter(source=source, layer=layer)
    if not access.member:
        return Annotation.objects.none()
    if access.may_lead:
        return annotations
    assigned = Assignment.objects.filter(source=source, coder_id=user.pk).exists()
    project = source.project
    if layer == Layer.GOLD:
        released = not project.blind or project.gold_released
        return annotations if assigned and released else Annotation.objects.none()
    if assigned and access.may_see_others_work(blind=project.blind):
        return annotations
    return annotations.filter(coder_id=user.pk)


# The fields an annotation page needs, as the API names them (`coder` by username), and their
# columns; not `quote`, which is the text at the offsets.
PAGE_FIELDS = {
    "id": "id",
    "code": "code_id",
    "coder": "coder__username",
    "start": "start",
    "end": "end",
    "memo": "memo",
    "version": "version",
}


def annotation_columns_on_source(
    user: AnyUser, source: Source, access: Access | None = None
) -> dict[str, list[Any]]:
    """What `annotations_on_source_visible_to` holds, in text order, as one list per field of
    PAGE_FIELDS: a densely coded page carries thousands, and columns are the compact form."""
    rows = (
        annotations_on_source_visible_to(user, source, access)
        .order_by("start", "end", "id")
        .values_list(*PAGE_FIELDS.values())
    )
    columns = list(zip(*rows, strict=True)) or [()] * len(PAGE_FIELDS)
    page = {field: list(column) for field, column in zip(PAGE_FIELDS, columns, strict=True)}
    page["id"] = [str(annotation_id) for annotation_id in page["id"]]
    return page


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


def assignment_queue_for(
    user: AnyUser, *, project_id: int | None = None, status: str | None = None
) -> QuerySet[Assignment]:
    """The user's own assignments (their coding queue) in projects they still belong to, in
    queue order: project name, then source."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    queue = (
        assignments_visible_to(user)
        .filter(coder=user)
        .select_related("source__project")
        .order_by("source__project__name", "source_id")
    )
    if project_id is not None:
        queue = queue.filter(source__project_id=project_id)
    if status:
        queue = queue.filter(status=status)
    return queue


def assignment_of(user: AnyUser, source: Source) -> Assignment | None:
    """The user's own assignment for `source`, if any."""
    return assignment_queue_for(user).filter(source=source).first()


def assignment_after(user: AnyUser, assignment: Assignment) -> Assignment | None:
    """The next source in the user's queue of the same project that is not done yet, wrapping
    around to the first one; None when everything else is done."""
    open_ = assignment_queue_for(user, project_id=assignment.source.project_id).exclude(
        Q(status=AssignmentStatus.DONE) | Q(pk=assignment.pk)
    )
    return open_.filter(source_id__gt=assignment.source_id).first() or open_.first()


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    in_progress: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _progress(assignments: QuerySet[Assignment], key: str) -> dict[Any, Progress]:
    rows = assignments.values(key).annotate(
        total=Count("id"),
        done=Count("id", filter=Q(status=AssignmentStatus.DONE)),
        in_progress=Count("id", filter=Q(status=AssignmentStatus.IN_PROGRESS)),
    )
    return {row[key]: Progress(row["total"], row["done"], row["in_progress"]) for row in rows}


def queue_progress_for(user: AnyUser) -> dict[int, Progress]:
    """The user's own progress per project id."""
    return _progress(assignment_queue_for(user).order_by(), "source__project_id")


@dataclass(frozen=True)
class CoderProgress:
    username: str
    full_name: str
    progress: Progress
    annotations: int


def coder_progress_for(project: Project) -> list[CoderProgress]:
    """Every coder's progress in `project`: for its leads, so the caller has resolved it with
    `project_for(user, id, lead=True)`."""
    assignments = Assignment.objects.filter(source__project=project).order_by()
    by_coder = _progress(assignments, "coder_id")
    counts = dict(
        Annotation.objects.filter(source__project=project, layer=Layer.CODER)
        .order_by()
        .values("coder_id")
        .annotate(n=Count("id"))
        .values_list("coder_id", "n")
    )
    coders = get_user_model().objects.filter(
        Q(pk__in=by_coder) | Q(memberships__project=project, memberships__role=Role.CODER)
    )
    return [
        CoderProgress(
            username=coder.username,
            full_name=coder.get_full_name(),
            progress=by_coder.get(coder.pk, Progress(0, 0, 0)),
            annotations=counts.get(coder.pk, 0),
        )
        for coder in coders.distinct().order_by("username")
    ]


def source_progress_for(project: Project) -> list[tuple[Source, Progress, int]]:
    """Each source of `project` with its assignments' progress and its number of annotations:
    for its leads, as `coder_progress_for`."""
    by_source = _progress(
        Assignment.objects.filter(source__project=project).order_by(), "source_id"
    )
    coded = Q(annotations__layer=Layer.CODER)
    sources = project.sources.annotate(n_annotations=Count("annotations", filter=coded))
    sources = sources.order_by("id")
    return [
        (source, by_source.get(source.pk, Progress(0, 0, 0)), source.n_annotations)
        for source in sources
    ]


def workspace_coders_for(user: AnyUser, source: Source, access: Access) -> list[User]:
    """Whose annotations the user may overlay on `source`: every coder of the source (assigned,
    or with passages on it) for a lead or in an open project, only the user in a blind one."""
    if not access.may_see_others_work(blind=source.project.blind):
        return [user] if isinstance(user, User) else []
    assigned = Q(assignments__source=source)
    annotated = Q(annotations__source=source, annotations__layer=Layer.CODER)
    return list(
        get_user_model().objects.filter(assigned | annotated).distinct().order_by("username")
    )


# The fields of a gold passage the review page needs, as the API names them.
GOLD_FIELDS = {**PAGE_FIELDS, "derived_from": "derived_from"}


def gold_on_source(source: Source) -> list[dict[str, Any]]:
    """The gold passages of `source` in text order, as the review page shows them."""
    rows = (
        Annotation.objects.filter(source=source, layer=Layer.GOLD)
        .order_by("start", "end", "id")
        .values_list(*GOLD_FIELDS.values())
    )
    return [{**dict(zip(GOLD_FIELDS, row, strict=True)), "id": str(row[0])} for row in rows]


def rejections_on_source(source: Source) -> list[str]:
    """Ids of the coders' passages on `source` that a lead rejected as gold candidates."""
    rejected = CandidateRejection.objects.filter(source=source).order_by("at", "pk")
    return [
        str(annotation_id) for annotation_id in rejected.values_list("annotation_id", flat=True)
    ]
