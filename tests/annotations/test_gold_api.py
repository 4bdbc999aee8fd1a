"""The gold layer: only leads write it; it is a layer of its own, never mixed into the coders'
passages; coders see it on their sources in an open project, and in a blind one only once a
lead releases it."""

import uuid

import pytest

from annotations.models import Adjudication, Annotation, Layer

pytestmark = pytest.mark.django_db


def gold(world, client, **extra):
    body = {"source": world.source.pk, "code": world.code.pk, "start": 0, "end": 6}
    body.update(layer="gold", id=str(uuid.uuid4()), **extra)
    return client.post("/api/annotations/", body, format="json")


@pytest.fixture
def settled(world, as_user):
    response = gold(world, as_user(world.lead), derived_from=[str(world.alice_note.pk)])
    assert response.status_code == 201, response.json()
    return response.json()


def listed(client, world, layer=None):
    query = f"?source={world.source.pk}" + (f"&layer={layer}" if layer else "")
    response = client.get("/api/annotations/" + query)
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_a_lead_writes_gold_that_records_who_when_and_where_from(world, settled):
    assert settled["layer"] == "gold"
    assert (settled["coder"], settled["adjudicated_by"]) == ("lena", "lena")
    assert settled["adjudicated_at"] is not None
    assert settled["derived_from"] == [str(world.alice_note.pk)]
    stored = Annotation.objects.get(pk=settled["id"])
    assert (stored.layer, stored.adjudicated_by) == (Layer.GOLD, world.lead)


def test_a_coder_may_not_write_gold_and_nothing_is_written(world, as_user):
    response = gold(world, as_user(world.alice))
    assert response.status_code == 403
    assert not Annotation.objects.filter(layer=Layer.GOLD).exists()


def test_gold_derived_from_a_passage_of_another_source_is_refused(world, as_user):
    response = gold(world, as_user(world.lead), derived_from=[str(world.outsider_note.pk)])
    assert response.status_code == 400
    assert "derived_from" in response.json()["fields"]
    assert not Annotation.objects.filter(layer=Layer.GOLD).exists()


def test_a_coders_passage_cannot_claim_to_be_derived(world, as_user):
    body = {"source": world.source.pk, "code": world.code.pk, "start": 0, "end": 6}
    body["derived_from"] = [str(world.bob_note.pk)]
    response = as_user(world.alice).post("/api/annotations/", body, format="json")
    assert response.status_code == 400
    assert "derived_from" in response.json()["fields"]


def test_gold_is_its_own_layer_in_the_list(world, as_user, settled):
    client = as_user(world.lead)
    assert [row["id"] for row in listed(client, world, "gold")] == [settled["id"]]
    assert settled["id"] not in {row["id"] for row in listed(client, world)}
    assert {row["layer"] for row in listed(client, world, "coder")} == {"coder"}


@pytest.mark.parametrize(
    "blind,released,sees",
    [(True, False, False), (True, True, True), (False, False, True), (False, True, True)],
)
def test_which_coders_see_gold(world, as_user, settled, blind, released, sees):
    world.project.blind, world.project.gold_released = blind, released
    world.project.save()
    for coder in (world.alice, world.bob):
        rows = listed(as_user(coder), world, "gold")
        assert [row["id"] for row in rows] == ([settled["id"]] if sees else [])
        detail = as_user(coder).get(f"/api/annotations/{settled['id']}/")
        assert detail.status_code == (200 if sees else 404)
    # A coder of another project and an anonymous client never see it.
    assert as_user(world.outsider).get("/api/annotations/?layer=gold").json()["results"] == []
    assert as_user(None).get("/api/annotations/?layer=gold").status_code == 401


def test_a_coder_without_the_source_never_sees_its_released_gold(world, as_user, settled):
    world.project.gold_released = True
    world.project.save()
    outsider_in_project = world.alice.__class__.objects.create(username="carol")
    world.project.memberships.create(user=outsider_in_project)
    assert as_user(outsider_in_project).get("/api/annotations/?layer=gold").json()["count"] == 0


def test_a_coder_who_sees_released_gold_may_not_change_it(world, as_user, settled):
    world.project.gold_released = True
    world.project.save()
    response = as_user(world.alice).patch(
        f"/api/annotations/{settled['id']}/", {"version": 1, "memo": "Mine"}, format="json"
    )
    assert response.status_code == 403
    assert Annotation.objects.get(pk=settled["id"]).memo == ""


def test_another_lead_editing_gold_becomes_its_adjudicator(world, as_user, settled):
    world.project.memberships.filter(user=world.bob).update(role="lead")
    response = as_user(world.bob).patch(
        f"/api/annotations/{settled['id']}/", {"version": 1, "end": 7}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["adjudicated_by"] == "bob"
    assert response.json()["coder"] == "lena"


def test_a_lead_releases_gold_through_the_project(world, as_user):
    response = as_user(world.lead).patch(
        f"/api/projects/{world.project.pk}/", {"gold_released": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["gold_released"] is True
    refused = as_user(world.alice).patch(
        f"/api/projects/{world.project.pk}/", {"gold_released": False}, format="json"
    )
    assert refused.status_code == 403


def test_a_lead_marks_a_source_adjudicated_and_reopens_it(world, as_user, settled):
    url = f"/api/projects/{world.project.pk}/sources/{world.source.pk}/adjudication/"
    client = as_user(world.lead)
    assert client.get(url).json()["adjudicated"] is False
    marked = client.post(url).json()
    assert (marked["adjudicated"], marked["by"], marked["gold"], marked["coded"]) == (
        True,
        "lena",
        1,
        2,
    )
    assert Adjudication.objects.get(source=world.source).by == world.lead
    assert client.delete(url).json()["adjudicated"] is False
    assert as_user(world.alice).post(url).status_code == 403
    assert Annotation.objects.filter(layer=Layer.GOLD).count() == 1
