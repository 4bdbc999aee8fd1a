"""Writes for codebooks and codes."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from narratives.models import Code, Codebook
from sources.models import Project


def codebook_for(project: Project) -> Codebook:
    codebook, _ = Codebook.objects.get_or_create(project=project)
    return codebook


def _check_names(code: Code) -> None:
    """The unique constraints, checked first so the message names the clash in plain words."""
    codes = Code.objects.filter(codebook_id=code.codebook_id).exclude(pk=code.pk)
    errors = {}
    if codes.filter(parent_id=code.parent_id, name=code.name).exists():
        where = f"under {code.parent.name!r}" if code.parent is not None else "at the top level"
        errors["name"] = f"There is already a code named {code.name!r} {where}."
    if code.shortcut and codes.filter(shortcut=code.shortcut).exists():
        errors["shortcut"] = f"The shortcut {code.shortcut!r} is taken by another code."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def code_create(*, project: Project, name: str, parent: Code | None = None, **fields: Any) -> Code:
    code = Code(codebook=codebook_for(project), parent=parent, name=name.strip(), **fields)
    return _code_save(code)


@transaction.atomic
def code_update(*, code: Code, **fields: Any) -> Code:
    """Change a code. A new parent is checked against the tree as it is once the codebook is
    locked: locking only the code let two requests making two codes each other's parent both
    pass the check on the tree before the other's change (a cycle) or deadlock."""
    Codebook.objects.select_for_update().filter(pk=code.codebook_id).first()
    code = Code.objects.select_for_update().get(pk=code.pk)
    if fields.get("parent") is not None:
        fields["parent"] = Code.objects.get(pk=fields["parent"].pk)
    for name, value in fields.items():
        setattr(code, name, value.strip() if name == "name" else value)
    return _code_save(code)


def _code_save(code: Code) -> Code:
    # Name clashes first, with a message naming the sibling, before the generic constraint error.
    code.full_clean(validate_constraints=False)
    _check_names(code)
    code.validate_constraints()
    code.save()
    return code


@transaction.atomic
def code_delete(*, code: Code) -> None:
    """Delete an unused code; one with annotations or child codes raises ProtectedError
    (retire it instead, which keeps it on existing annotations)."""
    code.delete()
