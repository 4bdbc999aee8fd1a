"""Rejected gold candidates: a lead rejects a coder's passage on a source and can withdraw the
rejection; both are idempotent, recorded in the history, and refused for gold passages and for
passages of other sources."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from annotations.gold import candidate_reject, candidate_reopen
from annotations.models import Annotation, CandidateRejection
from annotations.selectors import rejections_on_source
from tests.factories import AnnotationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def url(world, annotation=None):
    base = f"/api/projects/{world.project.pk}/sources/{world.source.pk}/rejections/"
    return base + (f"{annotation}/" if annotation else "")


def reject(client, world, annotation):
    return client.post(url(world), {"annotation": str(annotation)}, format="json")


def test_a_lead_rejects_a_passage_once_however_often_asked(world, as_user):
    client = as_user(world.lead)
    first = reject(client, world, world.alice_note.pk)
    assert first.status_code == 201, first.json()
    assert first.json()["annotation"] == str(world.alice_note.pk)
    assert first.json()["by"] == "lena"
    again = reject(client, world, world.alice_note.pk)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert CandidateRejection.objects.get().annotation == world.alice_note
    listed = client.get(url(world)).json()
    assert [row["annotation"] for row in listed["results"]] == [str(world.alice_note.pk)]


def test_withdrawing_a_rejection_is_idempotent(world, as_user):
    client = as_user(world.lead)
    reject(client, world, world.alice_note.pk)
    assert client.delete(url(world, world.alice_note.pk)).status_code == 204
    assert not CandidateRejection.objects.exists()
    assert client.delete(url(world, world.alice_note.pk)).status_code == 204
    assert client.delete(url(world, uuid.uuid4())).status_code == 204


@pytest.mark.parametrize("who", ["alice", "outsider", None])
def test_only_a_lead_of_the_project_rejects(world, as_user, who):
    client = as_user(getattr(world, who) if who else None)
    expected = {"alice": 403, "outsider": 404, None: 401}[who]
    assert reject(client, world, world.bob_note.pk).status_code == expected
    assert client.get(url(world)).status_code == expected
    assert not CandidateRejection.objects.exists()
    CandidateRejection.objects.create(source=world.source, annotation=world.bob_note)
    assert client.delete(url(world, world.bob_note.pk)).status_code == expected
    assert CandidateRejection.objects.count() == 1


def gold_passage(world) -> Annotation:
    return AnnotationFactory(
        source=world.source,
        code=world.code,
        coder=world.lead,
        gold=True,
    )


@pytest.mark.parametrize(
    "passage",
    [
        gold_passage,
        lambda world: world.outsider_note,
        lambda world: AnnotationFactory(source=SourceFactory(project=world.project)),
        lambda world: uuid.uuid4(),
    ],
    ids=["gold", "other-project", "other-source", "unknown"],
)
def test_only_a_coders_passage_of_this_source_can_be_rejected(world, as_user, passage):
    target = passage(world)
    response = reject(as_user(world.lead), world, getattr(target, "pk", target))
    assert response.status_code == 400, response.json()
    assert list(response.json()["fields"]) == ["annotation"]
    assert not CandidateRejection.objects.exists()


def test_a_malformed_or_unknown_field_is_refused(world, as_user):
    client = as_user(world.lead)
    assert client.post(url(world), {"annotation": "nope"}, format="json").status_code == 400
    extra = {"annotation": str(world.alice_note.pk), "reason": "x"}
    assert client.post(url(world), extra, format="json").status_code == 400
    assert not CandidateRejection.objects.exists()


def test_the_services_record_who_and_keep_the_history(world):
    rejection, created = candidate_reject(
        source=world.source, annotation_id=world.bob_note.pk, by=world.lead
    )
    assert created and (rejection.by, rejection.source) == (world.lead, world.source)
    again, created = candidate_reject(
        source=world.source, annotation_id=world.bob_note.pk, by=world.bob
    )
    assert (again, again.by, created) == (rejection, world.lead, False)
    assert rejections_on_source(world.source) == [str(world.bob_note.pk)]
    assert candidate_reopen(source=world.source, annotation_id=world.bob_note.pk) is True
    assert candidate_reopen(source=world.source, annotation_id=world.bob_note.pk) is False
    assert rejections_on_source(world.source) == []
    history = CandidateRejection.history.filter(source_id=world.source.pk)
    assert sorted(history.values_list("history_type", flat=True)) == ["+", "-"]


def test_a_passage_of_another_source_is_refused_by_the_service(world):
    with pytest.raises(ValidationError):
        candidate_reject(source=world.source, annotation_id=world.outsider_note.pk, by=None)


def test_deleting_the_passage_takes_its_rejection_with_it(world):
    candidate_reject(source=world.source, annotation_id=world.bob_note.pk, by=world.lead)
    world.bob_note.delete()
    assert not CandidateRejection.objects.exists()
