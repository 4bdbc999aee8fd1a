"""Writes for adjudication beyond single gold passages: a source declared adjudicated, and
coders' passages a lead rejected as candidates for its gold standard."""

import uuid

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from annotations.models import Adjudication, Annotation, CandidateRejection, Layer
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


@transaction.atomic
def candidate_reject(
    *, source: Source, annotation_id: uuid.UUID, by: User | None
) -> tuple[CandidateRejection, bool]:
    """Reject the coder's passage `annotation_id` of `source` as a gold candidate; returns
    `(rejection, created)`. Idempotent: rejecting it again returns the first rejection, so a
    retried request changes nothing. A gold passage, or a passage of another source (or none),
    raises ValidationError on `annotation`. The caller checks that `by` leads the project."""
    passage = (
        Annotation.objects.filter(pk=annotation_id, source=source)
        .values_list("layer", flat=True)
        .first()
    )
    if passage is None:
        raise ValidationError({"annotation": f"No passage {annotation_id} on this source."})
    if passage == Layer.GOLD:
        raise ValidationError(
            {"annotation": "A gold passage is not a candidate; delete it to take it out of gold."}
        )
    return CandidateRejection.objects.get_or_create(
        annotation_id=annotation_id, defaults={"source": source, "by": by}
    )


@transaction.atomic
def candidate_reopen(*, source: Source, annotation_id: uuid.UUID) -> bool:
    """Withdraw the rejection of passage `annotation_id` on `source`; returns whether there was
    one. Idempotent: a passage that is not rejected (or unknown) is left as it is."""
    deleted, _ = CandidateRejection.objects.filter(
        source=source, annotation_id=annotation_id
    ).delete()
    return deleted > 0
