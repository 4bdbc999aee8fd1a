"""Writes for adjudication beyond single gold passages: a source declared adjudicated."""

from django.contrib.auth.models import User
from django.db import transaction

from annotations.models import Adjudication
from sources.models import Source


@transaction.atomic
def source_adjudicated_set(*, source: Source, by: User | None, done: bool) -> Adjudication | None:
    """Declare the gold standard of `source` complete (`done`), or reopen it. Declaring again
    records the later lead and time. Returns the declaration, None once reopened."""
    if not done:
        Adjudication.objects.filter(source=source).delete()
        return None
    adjudication, _ = Adjudication.objects.update_or_create(source=source, defaults={"by": by})
    return adjudication
