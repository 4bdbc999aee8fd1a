"""Deleted passages stay restorable: what the history points into is either kept (the source)
or its loss is reported as a 409 with the reason (the code), never a 500; staff read the
history either way."""

import pytest

from annotations.models import Annotation
from sources.models import Source

pytestmark = pytest.mark.django_db


def delete_passage(world, as_user, note):
    response = as_user(world.lead).delete(f"/api/annotations/{note.pk}/?version={note.version}")
    assert response.status_code == 204


def history_url(world):
    return f"/api/projects/{world.project.pk}/sources/{world.source.pk}/history/"


def test_a_source_whose_deleted_passages_are_in_history_cannot_be_deleted(world, as_user):
    source = world.unassigned
    passage = {"source": source.pk, "code": world.code.pk, "start": 0, "end": 6}
    created = as_user(world.lead).post("/api/annotations/", passage, format="json").json()
    deleted = as_user(world.lead).delete(f"/api/annotations/{created['id']}/?version=1")
    assert deleted.status_code == 204
    response = as_user(world.lead).delete(f"/api/projects/{world.project.pk}/sources/{source.pk}/")
    assert response.status_code == 409
    assert "history" in response.json()["message"]
    assert Source.objects.filter(pk=source.pk).exists()
    restored = as_user(world.admin).post(f"/api/annotations/{created['id']}/restore/")
    assert restored.status_code == 201
    history = f"/api/projects/{world.project.pk}/sources/{source.pk}/history/"
    assert as_user(world.admin).get(history).json()["count"] == 3


def test_a_source_never_coded_can_still_be_deleted(world, as_user):
    response = as_user(world.lead).delete(
        f"/api/projects/{world.project.pk}/sources/{world.unassigned.pk}/"
    )
    assert response.status_code == 204


def test_restoring_a_passage_whose_code_was_deleted_is_409_naming_the_code(world, as_user, client):
    for note in (world.alice_note, world.bob_note):
        delete_passage(world, as_user, note)
    deleted = as_user(world.lead).delete(f"/api/projects/{world.project.pk}/codes/{world.code.pk}/")
    assert deleted.status_code == 204
    response = as_user(world.admin).post(f"/api/annotations/{world.alice_note.pk}/restore/")
    assert response.status_code == 409
    assert "Blame" in response.json()["message"] and "deleted" in response.json()["message"]
    assert not Annotation.objects.filter(pk=world.alice_note.pk).exists()
    history = as_user(world.admin).get(history_url(world))
    assert history.status_code == 200
    assert {row["code_name"] for row in history.json()["results"]} == {None}
    client.force_login(world.admin)
    page = client.get(f"/projects/{world.project.pk}/sources/{world.source.pk}/history/")
    assert page.status_code == 200
