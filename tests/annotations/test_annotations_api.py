import uuid

import pytest

from annotations.models import Annotation
from tests.factories import CodeFactory

pytestmark = pytest.mark.django_db


def body(world, **overrides):
    return {"source": world.source.pk, "code": world.code.pk, "start": 17, "end": 26, **overrides}


def test_a_coder_creates_a_passage_on_an_assigned_source(world, as_user):
    key = str(uuid.uuid4())
    response = as_user(world.alice).post("/api/annotations/", body(world, id=key), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["id"] == key and data["coder"] == "alice" and data["version"] == 1
    assert data["quote"] == world.source.text[17:26]
    assert response["ETag"] == '"1"' and response["Location"] == f"/api/annotations/{key}/"


def test_a_retried_create_answers_200_with_the_same_passage(world, as_user):
    client = as_user(world.alice)
    payload = body(world, id=str(uuid.uuid4()), memo="why")
    first = client.post("/api/annotations/", payload, format="json")
    again = client.post("/api/annotations/", payload, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Annotation.objects.filter(pk=payload["id"]).count() == 1


def test_the_same_id_with_other_content_is_409_with_the_current_state(world, as_user):
    client = as_user(world.alice)
    payload = body(world, id=str(uuid.uuid4()))
    client.post("/api/annotations/", payload, format="json")
    response = client.post("/api/annotations/", {**payload, "end": 27}, format="json")
    assert response.status_code == 409
    error = response.json()
    assert error["code"] == "conflict" and error["current"]["end"] == 26


def test_a_conflict_never_shows_another_coders_passage_in_a_blind_project(world, as_user):
    payload = body(world, id=str(world.alice_note.pk), start=0, end=6)
    response = as_user(world.bob).post("/api/annotations/", payload, format="json")
    assert response.status_code == 409
    assert response.json()["current"] is None


def test_a_deleted_id_is_not_brought_back_by_a_late_retry(world, as_user):
    client = as_user(world.alice)
    note = world.alice_note
    assert client.delete(f"/api/annotations/{note.pk}/?version=1").status_code == 204
    retry = {
        "id": str(note.pk),
        "source": note.source_id,
        "code": note.code_id,
        "start": 0,
        "end": 6,
    }
    response = client.post("/api/annotations/", retry, format="json")
    assert response.status_code == 409 and not Annotation.objects.filter(pk=note.pk).exists()


def test_bad_offsets_are_a_400_naming_the_field_and_nothing_is_written(world, as_user):
    before = Annotation.objects.count()
    response = as_user(world.alice).post(
        "/api/annotations/", body(world, start=5, end=500), format="json"
    )
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid" and "past the end of the text" in error["fields"]["end"][0]
    assert Annotation.objects.count() == before


def test_a_quote_that_differs_from_the_text_is_refused(world, as_user):
    response = as_user(world.alice).post(
        "/api/annotations/", body(world, quote="something else"), format="json"
    )
    assert response.status_code == 400 and "quote" in response.json()["fields"]


def test_a_code_of_another_project_is_refused(world, as_user):
    response = as_user(world.alice).post(
        "/api/annotations/", body(world, code=world.other_code.pk), format="json"
    )
    assert response.status_code == 400
    assert "No code with id" in response.json()["fields"]["code"][0]


def test_a_retired_code_is_refused_for_new_passages(world, as_user):
    retired = CodeFactory(codebook=world.code.codebook, retired=True)
    response = as_user(world.alice).post(
        "/api/annotations/", body(world, code=retired.pk), format="json"
    )
    assert response.status_code == 400 and "retired" in response.json()["fields"]["code"][0]


def test_a_coder_cannot_annotate_a_source_not_assigned_to_them(world, as_user):
    response = as_user(world.alice).post(
        "/api/annotations/", body(world, source=world.unassigned.pk, start=0, end=6), format="json"
    )
    assert response.status_code == 400 and "source" in response.json()["fields"]


def test_a_lead_may_annotate_any_source_of_the_project(world, as_user):
    response = as_user(world.lead).post(
        "/api/annotations/", body(world, source=world.unassigned.pk, start=0, end=6), format="json"
    )
    assert response.status_code == 201 and response.json()["coder"] == "lena"


def test_a_coder_of_another_project_cannot_annotate_here(world, as_user):
    response = as_user(world.outsider).post("/api/annotations/", body(world), format="json")
    assert response.status_code == 400
    assert Annotation.objects.filter(coder=world.outsider).count() == 1


def test_unknown_fields_are_refused_not_ignored(world, as_user):
    response = as_user(world.alice).post(
        "/api/annotations/", body(world, colour="red"), format="json"
    )
    assert response.status_code == 400 and "colour" in response.json()["fields"]


def test_an_update_with_the_current_version_bumps_it(world, as_user):
    response = as_user(world.alice).patch(
        f"/api/annotations/{world.alice_note.pk}/", {"version": 1, "memo": "first"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2 and response["ETag"] == '"2"'


def test_a_stale_update_is_409_with_the_current_state(world, as_user):
    client = as_user(world.alice)
    url = f"/api/annotations/{world.alice_note.pk}/"
    client.patch(url, {"memo": "first"}, format="json", HTTP_IF_MATCH='"1"')
    response = client.patch(url, {"memo": "second"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 409
    assert response.json()["current"]["memo"] == "first"
    world.alice_note.refresh_from_db()
    assert world.alice_note.memo == "first" and world.alice_note.version == 2


def test_an_update_without_a_version_is_refused(world, as_user):
    response = as_user(world.alice).patch(
        f"/api/annotations/{world.alice_note.pk}/", {"memo": "x"}, format="json"
    )
    assert response.status_code == 400 and "version" in response.json()["fields"]


def test_moving_a_passage_recomputes_its_quote(world, as_user):
    response = as_user(world.alice).patch(
        f"/api/annotations/{world.alice_note.pk}/",
        {"version": 1, "start": 8, "end": 16},
        format="json",
    )
    assert response.json()["quote"] == "22 March"


def test_a_stale_delete_is_409_and_keeps_the_passage(world, as_user):
    client = as_user(world.alice)
    url = f"/api/annotations/{world.alice_note.pk}/"
    client.patch(url, {"version": 1, "memo": "changed"}, format="json")
    response = client.delete(url, HTTP_IF_MATCH='"1"')
    assert response.status_code == 409 and response.json()["current"]["version"] == 2
    assert Annotation.objects.filter(pk=world.alice_note.pk).exists()


def test_a_coder_cannot_change_a_peers_passage_even_when_visible(world, as_user):
    world.project.blind = False
    world.project.save()
    url = f"/api/annotations/{world.bob_note.pk}/"
    assert as_user(world.alice).get(url).status_code == 200
    assert (
        as_user(world.alice).patch(url, {"version": 1, "memo": "x"}, format="json").status_code
        == 403
    )
    assert as_user(world.alice).delete(url + "?version=1").status_code == 403


def test_a_coder_sees_only_own_passages_in_a_blind_project(world, as_user):
    response = as_user(world.alice).get(f"/api/annotations/?source={world.source.pk}")
    assert [row["id"] for row in response.json()["results"]] == [str(world.alice_note.pk)]
    assert response.json()["count"] == 1
    assert as_user(world.alice).get(f"/api/annotations/{world.bob_note.pk}/").status_code == 404


def test_the_list_filters_by_source_coder_and_code(world, as_user):
    client = as_user(world.lead)
    by_coder = client.get("/api/annotations/?coder=bob").json()
    assert [row["coder"] for row in by_coder["results"]] == ["bob"]
    by_code = client.get(f"/api/annotations/?code={world.code.pk}&page_size=1000").json()
    assert by_code["count"] == 2
    assert client.get("/api/annotations/?source=abc").status_code == 400


def test_page_size_is_capped(world, as_user):
    response = as_user(world.lead).get("/api/annotations/?page_size=100000")
    assert response.status_code == 200 and response.json()["count"] == 2


def test_the_admin_restores_a_deleted_passage_and_others_may_not(world, as_user):
    note = world.alice_note
    as_user(world.alice).delete(f"/api/annotations/{note.pk}/?version=1")
    assert as_user(world.lead).post(f"/api/annotations/{note.pk}/restore/").status_code == 403
    response = as_user(world.admin).post(f"/api/annotations/{note.pk}/restore/")
    assert response.status_code == 201
    restored = Annotation.objects.get(pk=note.pk)
    assert (restored.start, restored.end, restored.version) == (0, 6, 2)
    assert restored.created_at == note.created_at
    again = as_user(world.admin).post(f"/api/annotations/{note.pk}/restore/")
    assert again.status_code == 409
    unknown = as_user(world.admin).post(f"/api/annotations/{uuid.uuid4()}/restore/")
    assert unknown.status_code == 404
