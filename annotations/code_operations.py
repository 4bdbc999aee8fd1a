"""Code operations that move passages between codes: merge and split. Each is one transaction;
every moved passage gets a new version and a history row naming the operation, so a coder's
open page sees the change as a conflict instead of overwriting it."""

import uuid
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from annotations.models import Annotation
from narratives.models import Code, CodeOperationKind
from narratives.selectors import codebook_version_number
from narratives.services import code_create, codebook_lock, operation_record


def _recode(annotations: list[Annotation], into: Code, *, by: User | None, reason: str) -> int:
    version = codebook_version_number(into.codebook_id)
    now = timezone.now()
    for annotation in annotations:
        annotation.code = into
        annotation.version += 1
        annotation.codebook_version = version
        annotation.updated_at = now
    bulk_update_with_history(
        annotations,
        Annotation,
        ["code", "version", "codebook_version", "updated_at"],
        batch_size=1000,
        default_user=by,
        default_change_reason=reason,
        default_date=now,
    )
    return len(annotations)


def _check_target(code: Code, into: Code) -> None:
    if into.codebook_id != code.codebook_id:
        raise ValidationError({"into": "This code belongs to another project's codebook."})
    if into.pk == code.pk:
        raise ValidationError({"into": "Choose a code other than the one its passages leave."})
    if into.retired:
        raise ValidationError(
            {"into": f"The code {into.path!r} is retired; bring it back or choose another."}
        )


def _locked(code: Code) -> Code:
    return Code.objects.select_for_update().get(pk=code.pk)


@transaction.atomic
def code_merge(*, code: Code, into: Code, by: User | None = None) -> int:
    """Merge `code` into `into`: every passage coded `code` (any coder, any layer) is coded
    `into` instead, offsets and quotes unchanged, and `code` is retired. A code with sub-codes
    is refused: they would lose their parent's meaning; move or merge them first. Returns the
    number of passages moved."""
    codebook_lock(code.codebook_id)
    code, into = _locked(code), _locked(into)
    _check_target(code, into)
    if Code.objects.filter(parent=code).exists():
        raise ValidationError(
            {"into": f"{code.path!r} has sub-codes; move or merge them before merging it."}
        )
    passages = list(Annotation.objects.select_for_update().filter(code=code).order_by("pk"))
    moved = _recode(passages, into, by=by, reason=f"merged {code.path} into {into.path}")
    if not code.retired:
        code.retired = True
        code._change_reason = f"merged into {into.path}"  # type: ignore[attr-defined]
        if by is not None:
            code._history_user = by  # type: ignore[attr-defined]
        code.save(update_fields=["retired"])
    operation_record(code=code, kind=CodeOperationKind.MERGE, into=into, by=by, passages=moved)
    return moved


@transaction.atomic
def code_split(
    *,
    code: Code,
    annotation_ids: list[uuid.UUID],
    into: Code | None = None,
    new_code: dict[str, Any] | None = None,
    by: User | None = None,
) -> tuple[Code, int]:
    """Move the chosen passages of `code` to `into`, or to a new code made from `new_code`
    (the fields of `code_create`; under `code`'s parent unless it names one). Every id must be
    a passage coded `code`, else nothing moves. Returns the target code and the count moved."""
    if (into is None) == (new_code is None):
        raise ValidationError({"into": "Name either an existing code or a new one."})
    wanted = set(annotation_ids)
    if not wanted:
        raise ValidationError({"annotations": "Choose at least one passage to move."})
    codebook_lock(code.codebook_id)
    code = _locked(code)
    passages = list(
        Annotation.objects.select_for_update().filter(pk__in=wanted, code=code).order_by("pk")
    )
    strays = sorted(str(pk) for pk in wanted - {passage.pk for passage in passages})
    if strays:
        raise ValidationError(
            {"annotations": f"Not passages coded {code.path!r}: {', '.join(strays)}."}
        )
    if new_code is not None:
        fields = {"parent": code.parent, **new_code}
        into = code_create(project=code.codebook.project, by=by, **fields)
    assert into is not None
    into = _locked(into)
    _check_target(code, into)
    moved = _recode(passages, into, by=by, reason=f"split from {code.path} into {into.path}")
    operation_record(code=code, kind=CodeOperationKind.SPLIT, into=into, by=by, passages=moved)
    return into, moved
