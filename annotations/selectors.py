"""Reads of assignments and annotations, scoped to what the user may see (see sources.selectors).

Coders see their own assignments and annotations; in a project that is not blind they also see
other coders' annotations on the sources assigned to them. Leads see everything in their
projects, staff everything.
"""

import functools
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import Lag
from django.http import Http404

from annotations.models import AgreementRun, Annotation, Assignment, AssignmentStatus
from config.db import prepared_cursor
from narratives.models import Code, Codebook
from narratives.selectors import code_tree
from sources.models import Membership, Project, Role, Source
from sources.selectors import AnyUser, project_for, project_role, projects_led_by


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


def annotations_on_source_visible_to(user: AnyUser, source: Source) -> QuerySet[Annotation]:
    """`annotations_visible_to(user)` on one source, as a filter without joins: an annotation page
    loads thousands. All of them for staff and the project's leads, and for a member assigned to
    the source while the project is not blind; otherwise a member's own."""
    annotations = Annotation.objects.filter(source=source)
    role = project_role(user, source.project)
    if role is None:
        return Annotation.objects.none()
    if role == Role.LEAD:
        return annotations
    assigned = Assignment.objects.filter(source=source, coder_id=user.pk).exists()
    return (
        annotations
        if assigned and not source.project.blind
        else annotations.filter(coder_id=user.pk)
    )


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


def annotation_columns_on_source(user: AnyUser, source: Source) -> dict[str, list[Any]]:
    """What `annotations_on_source_visible_to` holds, in text order, as one list per field of
    PAGE_FIELDS: a densely coded page carries thousands, and columns are the compact form."""
    rows = (
        annotations_on_source_visible_to(user, source)
        .order_by("start", "end", "id")
        .values_list(*PAGE_FIELDS.values())
    )
    columns = list(zip(*rows, strict=True)) or [()] * len(PAGE_FIELDS)
    page = {field: list(column) for field, column in zip(PAGE_FIELDS, columns, strict=True)}
    page["id"] = [str(annotation_id) for annotation_id in page["id"]]
    return page


@dataclass(frozen=True)
class PassageFacts:
    """What creating one passage needs to know, read in one query by `passage_facts`."""

    source_id: int
    project_id: int
    text_locked: bool
    text_sha256: str  # of the text the facts were read from
    text_length: int  # code points
    text_there: str  # the text from `start` to `end`, cut short at its end
    viewer_role: str | None  # the user's role in the source's project
    assignment_status: str | None  # the user's assignment to the source
    code_id: int | None  # None unless the code is in the source's project
    code_name: str | None
    code_retired: bool
    last_event: str | None  # the annotation id's latest history type: "+", "~", "-" or None
    annotation_id: uuid.UUID
    start: int
    end: int

    def may_annotate(self, user: AnyUser) -> bool:
        """A lead of the project (or staff), or a member assigned to the source."""
        if user.is_staff or self.viewer_role == Role.LEAD:
            return True
        return self.viewer_role is not None and self.assignment_status is not None


@functools.cache
def _passage_facts_sql() -> str:
    # Read on every annotation create: one statement instead of five ORM queries, which cost
    # more to build in Python than to run. Valid on PostgreSQL and SQLite alike; both count
    # LENGTH and SUBSTR in characters (code points), as offsets are.
    tables = {
        "source": Source._meta.db_table,
        "membership": Membership._meta.db_table,
        "assignment": Assignment._meta.db_table,
        "codebook": Codebook._meta.db_table,
        "code": Code._meta.db_table,
        "history": Annotation.history.model._meta.db_table,
    }
    return """
        SELECT s.project_id, s.text_locked, s.sha256, LENGTH(s.text), SUBSTR(s.text, %s, %s),
            (SELECT m.role FROM "{membership}" m
                WHERE m.project_id = s.project_id AND m.user_id = %s),
            (SELECT a.status FROM "{assignment}" a WHERE a.source_id = s.id AND a.coder_id = %s),
            c.id, c.name, c.retired,
            (SELECT h.history_type FROM "{history}" h WHERE h.id = %s
                ORDER BY h.history_date DESC, h.history_id DESC LIMIT 1)
        FROM "{source}" s
        LEFT JOIN "{codebook}" b ON b.project_id = s.project_id
        LEFT JOIN "{code}" c ON c.codebook_id = b.id AND c.id = %s
        WHERE s.id = %s
    """.format(**tables)


MAX_ID = 2**63 - 1
MAX_OFFSET = 2**31 - 1


def passage_facts(
    user: User, *, source_id: int, code_id: int, annotation_id: uuid.UUID, start: int, end: int
) -> PassageFacts | None:
    """Everything about a proposed passage `[start, end)` by `user` that its create checks:
    the source (None if there is none with this id), the user's role and assignment there, the
    code if it is in the source's project, the text at the offsets and the id's history. Says
    nothing about permission itself: see `PassageFacts.may_annotate`."""
    if not 0 < source_id <= MAX_ID:
        return None
    params = [
        min(start + 1, MAX_OFFSET),
        max(end - start, 0),
        user.pk,
        user.pk,
        Annotation._meta.pk.get_db_prep_value(annotation_id, connection),  # type: ignore[union-attr]
        code_id if 0 < code_id <= MAX_ID else 0,
        source_id,
    ]
    with prepared_cursor() as cursor:
        cursor.execute(_passage_facts_sql(), params)
        row = cursor.fetchone()
    if row is None:
        return None
    project_id, locked, sha256, length, there, role, status, code, name, retired, last_event = row
    return PassageFacts(
        source_id=source_id,
        project_id=project_id,
        text_locked=bool(locked),
        text_sha256=sha256,
        text_length=length,
        text_there=there,
        viewer_role=role,
        assignment_status=status,
        code_id=code,
        code_name=name,
        code_retired=bool(retired),
        last_event=last_event,
        annotation_id=annotation_id,
        start=start,
        end=end,
    )


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
    }


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


def coder_progress_for(user: AnyUser, project_id: int) -> list[CoderProgress]:
    """Every coder's progress in a project the user leads (PermissionDenied / 404 otherwise)."""
    project = project_for(user, project_id, lead=True)
    assignments = Assignment.objects.filter(source__project=project).order_by()
    by_coder = _progress(assignments, "coder_id")
    counts = dict(
        Annotation.objects.filter(source__project=project)
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


def source_progress_for(user: AnyUser, project_id: int) -> list[tuple[Source, Progress, int]]:
    """Each source of a project the user leads, with its assignments' progress and its number
    of annotations (PermissionDenied / 404 otherwise)."""
    project = project_for(user, project_id, lead=True)
    by_source = _progress(
        Assignment.objects.filter(source__project=project).order_by(), "source_id"
    )
    sources = project.sources.annotate(n_annotations=Count("annotations")).order_by("id")
    return [
        (source, by_source.get(source.pk, Progress(0, 0, 0)), source.n_annotations)
        for source in sources
    ]


def workspace_coders_for(user: AnyUser, source: Source) -> list[User]:
    """Whose annotations the user may overlay on `source`: every coder of the source (assigned,
    or with passages on it) for a lead or in an open project, only the user in a blind one."""
    role = project_role(user, source.project)
    if role != Role.LEAD and source.project.blind:
        return [user] if isinstance(user, User) else []
    assigned = Q(assignments__source=source)
    annotated = Q(annotations__source=source)
    return list(
        get_user_model().objects.filter(assigned | annotated).distinct().order_by("username")
    )
