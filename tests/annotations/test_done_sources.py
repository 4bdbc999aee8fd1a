"""A source its coder has marked done takes no new passages from them until they reopen it:
the create answers 409 with the reason, and reopening is one request."""

import uuid

import pytest

from annotations.models import Annotation, Assignment, AssignmentStatus

pytestmark = pytest.mark.django_db


def passage(world):
    return {"id": str(uuid.uuid4()), "source": world.source.pk, "code": world.code.pk}


def alices_assignment(world):
    return Assignment.objects.get(source=world.source, coder=world.alice)


def test_a_coder_cannot_add_a_passage_to_a_source_they_marked_done(world, as_user):
    client = as_user(world.alice)
    assignment = alices_assignment(world)
    assert client.post(f"/api/assignments/{assignment.pk}/complete/").status_code == 200
    response = client.post("/api/annotations/", {**passage(world), "start": 17, "end": 26})
    assert response.status_code == 409
    assert "reopen" in response.json()["message"]
    assert not Annotation.objects.filter(start=17).exists()
    assert alices_assignment(world).status == AssignmentStatus.DONE


def test_after_reopening_the_coder_adds_passages_again(world, as_user):
    client = as_user(world.alice)
    assignment = alices_assignment(world)
    client.post(f"/api/assignments/{assignment.pk}/complete/")
    reopened = client.post(f"/api/assignments/{assignment.pk}/reopen/")
    assert reopened.status_code == 200 and reopened.json()["status"] == "in_progress"
    assert reopened.json()["completed_at"] is None
    response = client.post("/api/annotations/", {**passage(world), "start": 17, "end": 26})
    assert response.status_code == 201


def test_a_retry_of_a_passage_saved_before_marking_done_still_answers_200(world, as_user):
    client = as_user(world.alice)
    payload = {**passage(world), "start": 17, "end": 26}
    assert client.post("/api/annotations/", payload).status_code == 201
    client.post(f"/api/assignments/{alices_assignment(world).pk}/complete/")
    assert client.post("/api/annotations/", payload).status_code == 200


def test_only_the_assigned_coder_or_a_lead_reopens(world, as_user):
    assignment = alices_assignment(world)
    url = f"/api/assignments/{assignment.pk}/reopen/"
    assert as_user(world.outsider).post(url).status_code == 404
    assert as_user(None).post(url).status_code == 401
    assert as_user(world.lead).post(url).status_code == 200
