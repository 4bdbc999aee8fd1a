import pytest

from narratives.models import Code

pytestmark = pytest.mark.django_db


def test_the_lead_builds_the_codebook_as_a_tree(world, as_user):
    url = f"/api/projects/{world.project.pk}/codes/"
    client = as_user(world.lead)
    child = client.post(url, {"name": "Blame on Kyiv", "parent": world.code.pk}, format="json")
    assert child.status_code == 201 and child.json()["depth"] == 1
    listing = client.get(url).json()["results"]
    assert [row["name"] for row in listing] == ["Blame", "Blame on Kyiv"]
    clash = client.post(url, {"name": "Blame"}, format="json")
    assert clash.status_code == 400
    assert "already a code named 'Blame' at the top level" in clash.json()["fields"]["name"][0]


def test_a_parent_code_of_another_project_is_refused(world, as_user):
    url = f"/api/projects/{world.project.pk}/codes/"
    response = as_user(world.lead).post(
        url, {"name": "X", "parent": world.other_code.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["parent"] == [
        f"No code with id {world.other_code.pk} in this project."
    ]


def test_a_used_code_cannot_be_deleted_only_retired(world, as_user):
    url = f"/api/projects/{world.project.pk}/codes/{world.code.pk}/"
    assert as_user(world.lead).delete(url).status_code == 409
    retired = as_user(world.lead).patch(url, {"retired": True}, format="json")
    assert retired.status_code == 200 and Code.objects.get(pk=world.code.pk).retired


def test_coders_read_the_codebook_but_cannot_change_it(world, as_user):
    url = f"/api/projects/{world.project.pk}/codes/"
    assert as_user(world.alice).get(url).json()["count"] == 1
    assert as_user(world.alice).post(url, {"name": "Mine"}, format="json").status_code == 403
