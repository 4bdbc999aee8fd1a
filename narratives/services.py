"""Writes for codebooks and codes."""

from typing import Any

from django.db import transaction

from narratives.models import Code, Codebook
from sources.models import Project


def codebook_for(project: Project) -> Codebook:
    codebook, _ = Codebook.objects.get_or_create(project=project)
    return codebook


@transaction.atomic
def code_create(*, project: Project, name: str, parent: Code | None = None, **fields: Any) -> Code:
    code = Code(codebook=codebook_for(project), parent=parent, name=name.strip(), **fields)
    code.full_clean()
    code.save()
    return code


@transaction.atomic
def code_update(*, code: Code, **fields: Any) -> Code:
    for name, value in fields.items():
        setattr(code, name, value)
    code.full_clean()
    code.save()
    return code
