"""A retried create answers as the first one did while it is the same passage, whatever changed
around it since; a different passage under the same id never does; a conditional change never
goes through on a stale version."""

import uuid

import pytest

from annotations.models import Annotation, Assignment

pytestmark = pytest.mark.django_db


def first_create(world, as_user):
    payload = {
        "id": str(uuid.uuid4()),
        "source": world.source.pk,
        "code": world.code.pk,
        "start": 17,
        "end": 26,
        "quote": world.source.text[17:26],
    }
    assert as_user(world.alice).post("/api/annotations/", payload, format="json").status_code == 201
    return payload


def test_a_retry_after_the_code_was_retired_answers_200_with_the_stored_passage(world, as_user):
    payload = first_create(world, as_user)
    world.code.retired = True
    world.code.save()
    response = as_user(world.alice).post("/api/annotations/", payload, format="json")
    assert response.status_code == 200
    assert response.json()["id"] == payload["id"]


def test_a_retry_after_the_assignment_was_withdrawn_answers_200(world, as_user):
    payload = first_create(world, as_user)
    Assignment.objects.filter(source=world.source, coder=world.alice).delete()
    response = as_user(world.alice).post("/api/annotations/", payload, format="json")
    assert response.status_code == 200
    assert Annotation.objects.filter(pk=payload["id"]).count() == 1


def test_without_the_assignment_another_passage_is_still_refused(world, as_user):
    payload = first_create(world, as_user)
    Assignment.objects.filter(source=world.source, coder=world.alice).delete()
    other = {**payload, "start": 0, "end": 6, "quote": world.source.text[0:6]}
    assert as_user(world.alice).post("/api/annotations/", other, format="json").status_code == 400
    fresh = {**other, "id": str(uuid.uuid4())}
    assert as_user(world.alice).post("/api/annotations/", fresh, format="json").status_code == 400


def test_another_coder_cannot_retry_someone_elses_id_without_access(world, as_user):
    payload = first_create(world, as_user)
    response = as_user(world.outsider).post("/api/annotations/", payload, format="json")
    assert response.status_code == 400


def test_a_retry_with_another_quote_for_an_existing_id_is_409(world, as_user):
    payload = first_create(world, as_user)
    retry = {**payload, "quote": "something else"}
    response = as_user(world.alice).post("/api/annotations/", retry, format="json")
    assert response.status_code == 409


def test_if_match_star_does_not_override_a_stale_version_in_the_body(world, as_user):
    note = world.alice_note
    client = as_user(world.alice)
    url = f"/api/annotations/{note.pk}/"
    assert client.patch(url, {"version": 1, "memo": "first"}, format="json").status_code == 200
    stale = client.patch(url, {"version": 1, "memo": "late"}, format="json", HTTP_IF_MATCH="*")
    assert stale.status_code == 409
    note.refresh_from_db()
    assert note.memo == "first"
    current = client.patch(url, {"version": 2, "memo": "now"}, format="json", HTTP_IF_MATCH="*")
    assert current.status_code == 200
