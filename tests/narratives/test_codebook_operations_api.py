"""The codebook's operations and versions over the API: leads only, validated, nothing written
on a refusal."""

import pytest

from annotations.models import Annotation
from narratives.models import Code, CodebookVersion
from tests.factories import CodeFactory

pytestmark = pytest.mark.django_db


def url(world, tail):
    return f"/api/projects/{world.project.pk}/{tail}"


def test_a_lead_merges_a_code_and_gets_the_count_moved(world, as_user):
    spare = CodeFactory(codebook=world.code.codebook, name="Accusation")
    response = as_user(world.lead).post(
        url(world, f"codes/{world.code.pk}/merge/"), {"into": spare.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["passages"], body["code"]["retired"], body["into"]["id"]) == (2, True, spare.pk)
    assert set(Annotation.objects.values_list("code", flat=True)) == {
        spare.pk,
        world.other_code.pk,
    }


def test_a_merge_into_another_projects_code_is_a_400_like_a_missing_code(world, as_user):
    response = as_user(world.lead).post(
        url(world, f"codes/{world.code.pk}/merge/"), {"into": world.other_code.pk}, format="json"
    )
    assert response.status_code == 400
    assert "No code with id" in response.json()["fields"]["into"][0]
    assert not Code.objects.get(pk=world.code.pk).retired


def test_a_coder_may_not_merge_split_or_move(world, as_user):
    client = as_user(world.alice)
    for tail, body in [
        ("merge/", {"into": world.code.pk}),
        ("split/", {"annotations": [str(world.alice_note.pk)], "into": {"name": "X"}}),
        ("move/", {"parent": None, "order": 0}),
    ]:
        response = client.post(url(world, f"codes/{world.code.pk}/{tail}"), body, format="json")
        assert response.status_code == 403, tail


def test_a_lead_splits_chosen_passages_to_a_new_code(world, as_user):
    response = as_user(world.lead).post(
        url(world, f"codes/{world.code.pk}/split/"),
        {"annotations": [str(world.bob_note.pk)], "into": {"name": "Blame, hedged"}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    into = response.json()["into"]
    assert into["name"] == "Blame, hedged"
    assert Annotation.objects.get(pk=world.bob_note.pk).code_id == into["id"]
    assert Annotation.objects.get(pk=world.alice_note.pk).code_id == world.code.pk


def test_a_split_with_a_passage_of_another_code_writes_nothing(world, as_user):
    response = as_user(world.lead).post(
        url(world, f"codes/{world.code.pk}/split/"),
        {"annotations": [str(world.outsider_note.pk)], "into": {"name": "Never"}},
        format="json",
    )
    assert response.status_code == 400
    assert str(world.outsider_note.pk) in response.json()["fields"]["annotations"][0]
    assert not Code.objects.filter(name="Never").exists()


def test_a_split_into_a_new_code_with_a_bad_colour_names_the_field(world, as_user):
    response = as_user(world.lead).post(
        url(world, f"codes/{world.code.pk}/split/"),
        {"annotations": [str(world.bob_note.pk)], "into": {"name": "X", "colour": "red"}},
        format="json",
    )
    assert response.status_code == 400
    assert "colour" in str(response.json()["fields"])


def test_a_lead_moves_a_code_under_another(world, as_user):
    child = CodeFactory(codebook=world.code.codebook, name="Denial")
    response = as_user(world.lead).post(
        url(world, f"codes/{child.pk}/move/"), {"parent": world.code.pk, "order": 0}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["parent"], response.json()["depth"]) == (world.code.pk, 1)


def test_publishing_versions_and_reading_the_diff(world, as_user):
    client = as_user(world.lead)
    first = client.post(url(world, "codebook/versions/"), {"note": "Pilot"}, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["number"] == 1
    assert first["Location"].endswith("/codebook/versions/1/")
    client.patch(url(world, f"codes/{world.code.pk}/"), {"name": "Attribution"}, format="json")
    again = client.post(url(world, "codebook/versions/"), {"note": "Renamed"}, format="json")
    assert again.json()["number"] == 2
    listed = as_user(world.alice).get(url(world, "codebook/versions/")).json()
    assert [row["number"] for row in listed["results"]] == [2, 1]
    diff = as_user(world.alice).get(url(world, "codebook/diff/?old=1&new=2")).json()
    assert diff["renamed"] == [{"code": world.code.pk, "from": "Blame", "to": "Attribution"}]
    detail = client.get(url(world, "codebook/versions/1/")).json()
    assert [code["name"] for code in detail["snapshot"]] == ["Blame"]


def test_publishing_nothing_new_is_a_400_and_makes_no_version(world, as_user):
    client = as_user(world.lead)
    client.post(url(world, "codebook/versions/"), {"note": ""}, format="json")
    response = client.post(url(world, "codebook/versions/"), {"note": ""}, format="json")
    assert response.status_code == 400
    assert CodebookVersion.objects.count() == 1


def test_a_diff_naming_a_version_that_does_not_exist_is_a_404(world, as_user):
    response = as_user(world.lead).get(url(world, "codebook/diff/?old=3"))
    assert response.status_code == 404
