"""Writes for codebooks and codes: edits and moves, each recorded as a CodeOperation for the next
version's change note, and publishing versions. Merging and splitting codes move passages, so
they live with the passages (annotations.code_operations)."""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max

from narratives.models import Code, Codebook, CodebookVersion, CodeOperation, CodeOperationKind
from narratives.selectors import DEFINITION_FIELDS, codebook_snapshot
from sources.models import Project


def codebook_for(project: Project) -> Codebook:
    codebook, _ = Codebook.objects.get_or_create(project=project)
    return codebook


def code_clashes(code: Code) -> dict[str, str]:
    """The unique constraints `code` would break, by field, in plain words naming the clash;
    checked before the constraints themselves (here and in the admin's form)."""
    codes = Code.objects.filter(codebook_id=code.codebook_id).exclude(pk=code.pk)
    errors = {}
    if codes.filter(parent_id=code.parent_id, name=code.name).exists():
        where = f"under {code.parent.name!r}" if code.parent is not None else "at the top level"
        errors["name"] = f"There is already a code named {code.name!r} {where}."
    holder = codes.filter(shortcut=code.shortcut).first() if code.shortcut else None
    if holder is not None:
        errors["shortcut"] = f"The shortcut {code.shortcut!r} is taken by another code: {holder}."
    return errors


def _check_names(code: Code) -> None:
    if errors := code_clashes(code):
        raise ValidationError(errors)


def operation_record(
    *, code: Code, kind: str, by: User | None, into: Code | None = None, **details: Any
) -> CodeOperation:
    """Note a change to `code` for the change note of the codebook's next version."""
    return CodeOperation.objects.create(
        codebook_id=code.codebook_id, code=code, kind=kind, into=into, by=by, details=details
    )


@transaction.atomic
def code_number_next(codebook: Codebook) -> int:
    """The number a new code of `codebook` gets: one more than any given before, never reused.

    The counter's row lock serialises concurrent creations until the caller's commit."""
    Codebook.objects.filter(pk=codebook.pk).update(numbers_given=F("numbers_given") + 1)
    return Codebook.objects.values_list("numbers_given", flat=True).get(pk=codebook.pk)


@transaction.atomic
def code_create(
    *,
    project: Project,
    name: str,
    parent: Code | None = None,
    by: User | None = None,
    **fields: Any,
) -> Code:
    codebook = codebook_for(project)
    code = Code(codebook=codebook, parent=parent, name=name.strip(), **fields)
    code.number = code_number_next(codebook)
    if "order" not in fields:
        code.order = _next_order(code.codebook_id, parent)
    _code_save(code, by=by)
    operation_record(code=code, kind=CodeOperationKind.CREATE, by=by, name=code.name)
    return code


def codebook_lock(codebook_id: int) -> None:
    """Lock the codebook row: every change to its tree takes this lock first, so changes to
    it run one after another and always lock in the same order."""
    Codebook.objects.select_for_update().filter(pk=codebook_id).first()


def _next_order(codebook_id: int, parent: Code | None) -> int:
    siblings = Code.objects.filter(codebook_id=codebook_id, parent=parent)
    highest = siblings.aggregate(highest=Max("order"))["highest"]
    return 0 if highest is None else highest + 1


@transaction.atomic
def code_update(*, code: Code, by: User | None = None, **fields: Any) -> Code:
    """Change any of a code's fields; a change of name, definition fields, place or retirement
    is noted for the next version (retiring a code retires its sub-codes with it, as pickers
    hide a retired code's subtree). A new parent is checked against the tree as it is once the
    codebook is locked: locking only the code let two requests making two codes each other's
    parent both pass the check on the tree before the other's change (a cycle) or deadlock."""
    codebook_lock(code.codebook_id)
    code = Code.objects.select_for_update().get(pk=code.pk)
    if fields.get("parent") is not None:
        fields["parent"] = Code.objects.get(pk=fields["parent"].pk)
    before = {name: getattr(code, name) for name in fields}
    before_parent = code.parent
    for name, value in fields.items():
        setattr(code, name, value.strip() if name == "name" else value)
    _code_save(code, by=by)
    changed = {name for name, value in before.items() if getattr(code, name) != value}
    if "name" in changed:
        operation_record(
            code=code, kind=CodeOperationKind.RENAME, by=by, old=before["name"], new=code.name
        )
    if changed & set(DEFINITION_FIELDS):
        redefined = sorted(changed & set(DEFINITION_FIELDS))
        operation_record(code=code, kind=CodeOperationKind.REDEFINE, by=by, fields=redefined)
    if changed & {"parent", "order"}:
        operation_record(
            code=code,
            kind=CodeOperationKind.MOVE,
            by=by,
            old_parent=None if before_parent is None else before_parent.path,
            new_parent=None if code.parent is None else code.parent.path,
        )
    if "retired" in changed:
        if code.retired:
            _retire_subtree(code, by=by)
            operation_record(code=code, kind=CodeOperationKind.RETIRE, by=by)
        else:
            operation_record(code=code, kind=CodeOperationKind.RESTORE, by=by)
    return code


def _retire_subtree(code: Code, *, by: User | None) -> None:
    for child in Code.objects.filter(parent=code, retired=False):
        code_update(code=child, by=by, retired=True)


def code_rename(*, code: Code, name: str, by: User | None = None) -> Code:
    return code_update(code=code, by=by, name=name)


def code_retire(*, code: Code, by: User | None = None) -> Code:
    """Hide a code (and its sub-codes) from pickers; its passages keep it, in data and exports."""
    return code_update(code=code, by=by, retired=True)


@transaction.atomic
def code_move(*, code: Code, parent: Code | None, order: int, by: User | None = None) -> Code:
    """Put `code` under `parent` (None: the top level) at position `order` among its new
    siblings (0 first; past the end puts it last), renumbering the siblings 0, 1, 2, ..."""
    if parent is not None and parent.codebook_id != code.codebook_id:
        raise ValidationError({"parent": "The parent code belongs to another codebook."})
    codebook_lock(code.codebook_id)
    siblings = list(
        Code.objects.select_for_update()
        .filter(codebook_id=code.codebook_id, parent=parent)
        .exclude(pk=code.pk)
        .order_by("order", "name", "pk")
    )
    position = min(order, len(siblings))
    code = code_update(code=code, by=by, parent=parent, order=position)
    siblings.insert(position, code)
    for index, sibling in enumerate(siblings):
        if sibling.order != index and sibling.pk != code.pk:
            # Renumbering is part of the move: saved with history, but not noted as moves.
            sibling.order = index
            _history_user(sibling, by)
            sibling.save(update_fields=["order"])
    return code


def _history_user(code: Code, by: User | None) -> None:
    if by is not None:
        code._history_user = by  # type: ignore[attr-defined]


def _code_save(code: Code, *, by: User | None = None) -> Code:
    # Name clashes first, with a message naming the sibling, before the generic constraint error.
    code.full_clean(validate_constraints=False)
    _check_names(code)
    code.validate_constraints()
    _history_user(code, by)
    code.save()
    return code


@transaction.atomic
def code_delete(*, code: Code) -> None:
    """Delete an unused code; one with annotations or child codes raises ProtectedError
    (retire it instead, which keeps it on existing annotations)."""
    CodeOperation.objects.filter(code=code, version__isnull=True).delete()
    code.delete()


@transaction.atomic
def codebook_version_publish(*, project: Project, note: str, by: User | None) -> CodebookVersion:
    """Publish the codebook as it stands as the next version (1 for the first), with the
    operations noted since the previous one. Passages made or changed from now on record it.
    Publishing an unchanged codebook is refused: the version would say nothing new."""
    codebook = Codebook.objects.select_for_update().get(pk=codebook_for(project).pk)
    latest = codebook.versions.order_by("-number").first()
    snapshot = codebook_snapshot(codebook)
    pending = codebook.operations.filter(version__isnull=True)
    if latest is not None and latest.snapshot == snapshot and not pending.exists():
        raise ValidationError(
            {"note": f"Nothing changed since version {latest.number}; there is nothing to publish."}
        )
    if not snapshot:
        raise ValidationError({"note": "The codebook has no code yet."})
    version = CodebookVersion(
        codebook=codebook,
        number=1 if latest is None else latest.number + 1,
        note=note.strip(),
        snapshot=snapshot,
        created_by=by,
    )
    version.full_clean()
    version.save()
    pending.update(version=version)
    return version
