"""Writes for assignments and annotations."""

import uuid
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from annotations.models import (
    Annotation,
    Assignment,
    AssignmentPlan,
    AssignmentStatus,
    Layer,
    passage_errors,
)
from annotations.sampling import Plan, plan_for
from annotations.sql import PassageFacts, passage_facts, record_creation
from core.db import insert
from narratives.models import Code
from narratives.selectors import codebook_version_number
from sources.models import Membership, Project, Role, Source


def no_such_code(code_id: int) -> ValidationError:
    message = f"No code with id {code_id} in this project; another project's codes are not used."
    return ValidationError({"code": message})


def retired_code(name: str | None) -> ValidationError:
    return ValidationError({"code": f"The code {name!r} is retired; choose another."})


def _check_code(
    code_id: int, *, found: bool, retired: bool, name: str | None, current: int | None = None
) -> None:
    """The code rule of create and update alike: a code of the source's project's codebook that
    is not retired, except the one a passage already has."""
    if not found:
        raise no_such_code(code_id)
    if retired and code_id != current:
        raise retired_code(name)


def _code_of_project(project_id: int, code: Code | int, *, current: int) -> Code:
    code_id = code.pk if isinstance(code, Code) else code
    found = (
        Code.objects.select_related("codebook")
        .filter(pk=code_id, codebook__project_id=project_id)
        .first()
    )
    if found is None:
        raise no_such_code(code_id)
    _check_code(code_id, found=True, retired=found.retired, name=found.name, current=current)
    return found


class AnnotationConflict(Exception):
    """The request disagrees with what the server holds; `current` is the server's state
    (None when the annotation was deleted)."""

    def __init__(self, message: str, current: Annotation | None):
        super().__init__(message)
        self.current = current


@transaction.atomic
def assignment_create(*, source: Source, coder: User) -> Assignment:
    assignment, _ = Assignment.objects.get_or_create(source=source, coder=coder)
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment) -> None:
    """Withdraw an assignment; the coder's annotations on the source are kept."""
    assignment.delete()


@transaction.atomic
def assignment_set_status(*, assignment: Assignment, status: str) -> Assignment:
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    now = timezone.now()
    if status != AssignmentStatus.ASSIGNED and assignment.started_at is None:
        assignment.started_at = now
    assignment.completed_at = now if status == AssignmentStatus.DONE else None
    assignment.status = status
    assignment.full_clean()
    assignment.save()
    return assignment


def _same_content(annotation: Annotation, fields: dict[str, Any], quote: str | None) -> bool:
    if quote is not None and annotation.quote != quote:
        return False
    return all(getattr(annotation, name) == value for name, value in fields.items())


def annotation_create(
    *,
    coder: User,
    source_id: int,
    code_id: int,
    start: int,
    end: int,
    quote: str | None = None,
    memo: str = "",
    id: uuid.UUID | None = None,
    check_access: bool = False,
    facts: PassageFacts | None = None,
    layer: str = Layer.CODER,
    derived_from: list[uuid.UUID] | None = None,
) -> tuple[Annotation, bool]:
    """Record a coded passage; returns `(annotation, created)`. The one create path: it reads the
    passage's facts in one statement, checks permission, validates and writes.

    With `check_access` the coder must be allowed to annotate the source (`sources.access`):
    requests check it; the demo loader and imports write for the coders they name. Creating is
    idempotent on the client-chosen id: the same id with the same content returns the stored
    annotation (`created` False); the same id with other content, or by another coder, raises
    AnnotationConflict, and so does the id of a deleted annotation (a late retry must not bring
    it back; an admin restores it with `annotation_restore`). `quote`, when given, must equal
    the text at the offsets. `facts`, if the caller has read them for this passage already.

    A `gold` passage may be written only by a lead of the project (PermissionDenied otherwise);
    `coder` is then its adjudicator, and `derived_from` names coders' passages on the same
    source it was settled from.
    """
    annotation_id = id or uuid.uuid4()
    if facts is None:
        facts = passage_facts(
            coder,
            source_id=source_id,
            code_id=code_id,
            annotation_id=annotation_id,
            start=start,
            end=end,
        )
    assigned = facts is not None and facts.assignment_status is not None
    if check_access and (facts is None or not facts.access(coder).may_annotate(assigned=assigned)):
        retried = (
            None
            if facts is None
            else _retried(coder, facts, code_id, quote, memo, layer, derived_from or [])
        )
        if retried is None:
            raise ValidationError({"source": f"No source with id {source_id} is assigned to you."})
        return retried, False
    if facts is None:
        raise ValidationError({"source": f"No source with id {source_id}."})
    asked = (facts.source_id, facts.annotation_id, facts.start, facts.end)
    assert asked == (source_id, annotation_id, start, end), "facts about another passage"
    gold_from = _derived_from(coder, facts, layer, derived_from or [])
    content = _content(coder, facts, code_id, memo, layer, gold_from)
    # A retry is answered before the code is checked: the code may have been retired since the
    # passage was stored, and a retry refused then would make the client drop a stored passage.
    existing = _stored_under(facts)
    if existing is not None:
        return _existing_or_conflict(existing, content, quote), False
    if facts.assignment_status == AssignmentStatus.DONE:
        raise AnnotationConflict("You marked this source done; reopen it to add passages.", None)
    _check_code(
        code_id, found=facts.code_id == code_id, retired=facts.code_retired, name=facts.code_name
    )
    annotation = Annotation(
        id=annotation_id,
        coder=coder,
        quote=facts.text_there if quote is None else quote,
        codebook_version=facts.codebook_version,
        **{name: value for name, value in content.items() if name != "coder_id"},
    )
    if layer == Layer.GOLD:
        annotation.adjudicated_by = coder
        annotation.adjudicated_at = timezone.now()
    _full_clean(annotation, facts)
    try:
        with transaction.atomic():
            _mark_coding_started(facts=facts, coder=coder)
            # The rows save() and simple-history's post_save handler would write, without their
            # signal, save and query-building machinery (1.5 ms of CPU per create).
            insert(annotation)
            record_creation(annotation)
    except IntegrityError:
        # A concurrent retry of the same request won the insert.
        existing = Annotation.objects.select_related("coder").filter(pk=annotation_id).first()
        if existing is None:
            raise
        return _existing_or_conflict(existing, content, quote), False
    return annotation, True


def _content(
    coder: User, facts: PassageFacts, code_id: int, memo: str, layer: str, derived_from: list[str]
) -> dict[str, Any]:
    """The stored columns a create decides, by field name: what a retry must repeat."""
    return {
        "source_id": facts.source_id,
        "code_id": code_id,
        "coder_id": coder.pk,
        "start": facts.start,
        "end": facts.end,
        "memo": memo,
        "layer": layer,
        "derived_from": derived_from,
    }


def _stored_under(facts: PassageFacts) -> Annotation | None:
    """The annotation already stored under the id; AnnotationConflict if it was deleted.

    The history knows every id ever used: it tells new, existing and deleted apart."""
    if facts.last_event == "-":
        raise AnnotationConflict("This id belongs to a deleted annotation.", None)
    if facts.last_event is None:
        return None
    return Annotation.objects.select_related("coder").filter(pk=facts.annotation_id).first()


def _retried(
    coder: User,
    facts: PassageFacts,
    code_id: int,
    quote: str | None,
    memo: str,
    layer: str,
    derived_from: list[uuid.UUID],
) -> Annotation | None:
    """The stored annotation if this create repeats one `coder` made (same id and content), or
    None. A coder who may no longer annotate the source (the assignment was withdrawn since)
    still gets such a retry answered with the stored passage: it is kept, and a client told
    otherwise would drop it from its save queue and code it again."""
    if facts.last_event not in ("+", "~"):
        return None
    existing = _stored_under(facts)
    content = _content(coder, facts, code_id, memo, layer, _id_strings(derived_from))
    if existing is None or not _same_content(existing, content, quote):
        return None
    return existing


def _derived_from(user: User, facts: PassageFacts, layer: str, ids: list[uuid.UUID]) -> list[str]:
    """The ids a gold passage was settled from, checked to be coders' passages on its source."""
    if layer == Layer.CODER:
        if ids:
            raise ValidationError({"derived_from": "Only a gold passage is derived from others."})
        return []
    if not facts.access(user).may_lead:
        raise PermissionDenied("Only a lead of the project may write the gold standard.")
    wanted = _id_strings(ids)
    found = Annotation.objects.filter(pk__in=wanted, source_id=facts.source_id, layer=Layer.CODER)
    missing = sorted(set(wanted) - {str(pk) for pk in found.values_list("pk", flat=True)})
    if missing:
        raise ValidationError(
            {"derived_from": f"Not coders' passages on this source: {', '.join(missing)}."}
        )
    return wanted


def _id_strings(ids: list[uuid.UUID]) -> list[str]:
    """Passage ids as stored in `derived_from`: strings, sorted, each once."""
    return sorted({str(pk) for pk in ids})


def _full_clean(annotation: Annotation, facts: PassageFacts) -> None:
    """`annotation.full_clean()`, but its clean() would read the whole source text: the facts
    hold the part of it that matters."""
    errors: dict[str, Any] = passage_errors(
        start=annotation.start,
        end=annotation.end,
        quote=annotation.quote,
        text_length=facts.text_length,
        text_there=facts.text_there,
    )
    try:
        annotation.clean_fields(exclude=["source", "code", "coder"])
    except ValidationError as invalid:
        errors = invalid.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _mark_coding_started(*, facts: PassageFacts, coder: User) -> None:
    """Lock the source's text and start the coder's assignment, on their first passage.

    Until it is locked the text may change after the facts were read: it is locked only if it
    is still the text the offsets were checked against (the row lock then holds off any edit
    until the passage is committed, and the lock refuses it after)."""
    if not facts.text_locked:
        same_text = Source.objects.filter(pk=facts.source_id, sha256=facts.text_sha256)
        locked_now = same_text.filter(text_locked=False).update(text_locked=True)
        if not locked_now and not same_text.exists():
            raise ValidationError(
                {
                    "source": "The source's text changed while this passage was being saved; "
                    "reload the source and code the passage again."
                }
            )
    if facts.assignment_status == AssignmentStatus.ASSIGNED:
        Assignment.objects.filter(
            source_id=facts.source_id, coder=coder, status=AssignmentStatus.ASSIGNED
        ).update(status=AssignmentStatus.IN_PROGRESS, started_at=timezone.now())


def _existing_or_conflict(
    existing: Annotation, content: dict[str, Any], quote: str | None
) -> Annotation:
    if not _same_content(existing, content, quote):
        raise AnnotationConflict(
            "An annotation with this id already exists with different content.", existing
        )
    return existing


@transaction.atomic
def annotation_update(
    *,
    annotation: Annotation,
    expected_version: int | None = None,
    by: User | None = None,
    **fields: Any,
) -> Annotation:
    """Change code, offsets or memo; a stale `expected_version` raises AnnotationConflict.
    A gold passage changed `by` a lead names them as its adjudicator from now on."""
    locked = (
        # Lock only the annotation: locking its source would serialise every coder's edits.
        Annotation.objects.select_for_update(of=("self",))
        .select_related("source", "code__codebook")
        .get(pk=annotation.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise AnnotationConflict(
            f"This annotation was changed elsewhere (now version {locked.version}).", locked
        )
    if "code" in fields:
        project_id = locked.source.project_id
        fields["code"] = _code_of_project(project_id, fields["code"], current=locked.code_id)
    for name, value in fields.items():
        setattr(locked, name, value)
    if ("start" in fields or "end" in fields) and "quote" not in fields:
        locked.quote = locked.source.text[locked.start : locked.end]
    locked.version += 1
    locked.codebook_version = codebook_version_number(locked.code.codebook_id)
    if locked.layer == Layer.GOLD and by is not None:
        locked.adjudicated_by = by
        locked.adjudicated_at = timezone.now()
    # As in annotation_create: the related objects are loaded, clean() checks the rest.
    locked.full_clean(
        exclude=["source", "code", "coder"], validate_unique=False, validate_constraints=False
    )
    locked.save()
    return locked


@transaction.atomic
def annotation_delete(*, annotation: Annotation, expected_version: int | None = None) -> None:
    locked = Annotation.objects.select_for_update().get(pk=annotation.pk)
    if expected_version is not None and locked.version != expected_version:
        raise AnnotationConflict(
            f"This annotation was changed elsewhere (now version {locked.version}).", locked
        )
    locked.delete()


def _restore_blocker(last: Any) -> str | None:
    """What the deleted passage pointed into and is gone since, in words; None if nothing.

    Sources that were ever coded cannot be deleted, but a code without live passages can, and
    so can a user: the passage cannot come back without them."""
    if not Source.objects.filter(pk=last.source_id).exists():
        return f"its source ({last.source_id}) was deleted"
    if not Code.objects.filter(pk=last.code_id).exists():
        named = Code.history.filter(id=last.code_id).order_by("-history_date").first()
        name = repr(named.name) if named is not None else str(last.code_id)
        return f"its code {name} was deleted since"
    if not User.objects.filter(pk=last.coder_id).exists():
        return "its coder's account was deleted"
    return None


@transaction.atomic
def annotation_restore(*, annotation_id: uuid.UUID) -> Annotation:
    """Bring back a deleted annotation exactly as it was when deleted, at the next version.

    Raises Annotation.DoesNotExist if the id never existed and AnnotationConflict if it exists.
    """
    existing = Annotation.objects.filter(pk=annotation_id).first()
    if existing is not None:
        raise AnnotationConflict("This annotation is not deleted.", existing)
    last = Annotation.history.filter(id=annotation_id).order_by("-history_date").first()
    if last is None:
        raise Annotation.DoesNotExist(f"No annotation {annotation_id} ever existed.")
    if problem := _restore_blocker(last):
        raise AnnotationConflict(f"This annotation cannot be restored: {problem}.", None)
    annotation = last.instance
    annotation.version = last.version + 1
    annotation._change_reason = "restored"  # type: ignore[attr-defined]
    annotation.full_clean(validate_unique=False, validate_constraints=False)
    annotation.save(force_insert=True)
    # auto_now_add stamped the restore time; the passage was created when it was first created.
    Annotation.objects.filter(pk=annotation.pk).update(created_at=last.created_at)
    annotation.created_at = last.created_at
    return annotation


def _plan_inputs(project: Project) -> tuple[list[int], list[int], list[tuple[int, int]]]:
    sources = list(Source.objects.filter(project=project).values_list("pk", flat=True))
    coders = list(
        Membership.objects.filter(project=project, role=Role.CODER).values_list(
            "user_id", flat=True
        )
    )
    existing = list(
        Assignment.objects.filter(source__project=project).values_list("source_id", "coder_id")
    )
    return sources, coders, existing


def assignment_plan_preview(
    *, project: Project, strategy: str, seed: int, **params: Any
) -> tuple[Plan, dict[int, tuple[int, int]]]:
    """The assignments a bulk action would add, and each coder's (existing, added) load.

    Raises ValidationError for an impossible plan (no coders, k too large, a share outside 0-1).
    """
    sources, coders, existing = _plan_inputs(project)
    if not coders:
        raise ValidationError({"strategy": "The project has no coders yet; add them first."})
    try:
        plan = plan_for(strategy, sources, coders, existing=existing, seed=seed, **params)
    except ValueError as exc:
        raise ValidationError({"strategy": str(exc)}) from None
    return plan, plan.load(coders, existing)


@transaction.atomic
def assignment_plan_apply(
    *, project: Project, user: User, strategy: str, seed: int, **params: Any
) -> AssignmentPlan:
    """Add the plan's assignments and record the plan with its seed, all or nothing."""
    Project.objects.select_for_update().get(pk=project.pk)  # one bulk action at a time
    plan, _ = assignment_plan_preview(project=project, strategy=strategy, seed=seed, **params)
    bulk_create_with_history(
        [Assignment(source_id=s, coder_id=c) for s, c in plan.pairs], Assignment, batch_size=1000
    )
    record = AssignmentPlan(
        project=project,
        created_by=user,
        strategy=strategy,
        params={key: value for key, value in params.items() if value is not None},
        seed=seed,
        overlap=plan.overlap,
        assignments_created=len(plan.pairs),
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def assignment_reassign(*, assignment: Assignment, coder: User) -> Assignment:
    """Give a not-yet-started assignment to another coder of the project."""
    assignment = (
        Assignment.objects.select_for_update().select_related("source").get(pk=assignment.pk)
    )
    if assignment.status != AssignmentStatus.ASSIGNED:
        raise ValidationError({"coder": "The coder has started this source; it stays theirs."})
    project_id = assignment.source.project_id
    if not Membership.objects.filter(project_id=project_id, user=coder, role=Role.CODER).exists():
        raise ValidationError({"coder": f"{coder.username} is not a coder of this project."})
    if Assignment.objects.filter(source_id=assignment.source_id, coder=coder).exists():
        raise ValidationError({"coder": f"{coder.username} already has this source."})
    assignment.coder = coder
    assignment.save(update_fields=["coder", "updated_at"])
    return assignment
