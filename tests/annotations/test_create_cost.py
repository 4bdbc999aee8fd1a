"""The create path is the API's busiest: its query count is held here so it cannot creep up."""

import json
import uuid

import pytest
from rest_framework.renderers import JSONRenderer

from annotations.api.annotations import AnnotationOut, annotation_body
from annotations.models import Annotation

pytestmark = pytest.mark.django_db


def create(client, world, start):
    payload = {"id": str(uuid.uuid4()), "source": world.source.pk, "code": world.code.pk}
    payload.update(start=start, end=start + 5)
    response = client.post("/api/annotations/", payload, format="json")
    assert response.status_code == 201, response.json()
    return response


def rendered(data):
    return json.loads(JSONRenderer().render(data))


def test_a_coders_first_passage_on_a_source_costs_at_most_eight_queries(
    world, as_user, django_assert_max_num_queries
):
    client = as_user(world.alice)
    # Token; one statement for the source, role, assignment, code, text and the id's history;
    # insert, history insert; text lock and assignment start; the transaction's begin and end.
    with django_assert_max_num_queries(8):
        create(client, world, 17)


def test_a_later_passage_costs_at_most_six_queries(world, as_user, django_assert_max_num_queries):
    client = as_user(world.alice)
    create(client, world, 17)
    # The source is locked and the assignment started: no updates for them.
    with django_assert_max_num_queries(6):
        create(client, world, 30)


def test_the_create_answer_is_what_the_documented_serializer_renders(world, as_user):
    data = create(as_user(world.alice), world, 17).json()
    stored = Annotation.objects.get(pk=data["id"])
    assert data == rendered(AnnotationOut(stored).data)


def test_the_answer_body_matches_the_serializer_for_a_stored_passage(world):
    note = Annotation.objects.select_related("coder").get(pk=world.alice_note.pk)
    assert rendered(annotation_body(note)) == rendered(AnnotationOut(note).data)
