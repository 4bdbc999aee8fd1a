"""What one role must not learn about others: a blind coder about their peers' progress, a lead
about projects they cannot see, anyone about a token after they revoked it."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sources.models import Project, Source
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def sources_url(world):
    return f"/api/projects/{world.project.pk}/sources/"


@pytest.fixture
def started(world):
    """Bob has coded the source, so its text is locked."""
    Source.objects.filter(pk=world.source.pk).update(text_locked=True)
    return world


def test_a_coder_does_not_see_whether_others_have_started_on_a_source(started, as_user):
    client = as_user(started.alice)
    listed = client.get(sources_url(started)).json()["results"]
    detail = client.get(f"{sources_url(started)}{started.source.pk}/").json()
    assert [row["text_locked"] for row in listed] == [None]
    assert detail["text_locked"] is None


def test_a_lead_still_sees_which_sources_are_locked(started, as_user):
    client = as_user(started.lead)
    listed = {row["id"]: row for row in client.get(sources_url(started)).json()["results"]}
    assert listed[started.source.pk]["text_locked"] is True
    detail = client.get(f"{sources_url(started)}{started.source.pk}/").json()
    assert detail["text_locked"] is True


def test_a_project_may_take_the_name_of_a_project_the_lead_cannot_see(world, as_user):
    hidden = ProjectFactory(name="Hidden elsewhere")
    response = as_user(world.lead).patch(
        f"/api/projects/{world.project.pk}/", {"name": "Hidden elsewhere"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert Project.objects.filter(name="Hidden elsewhere").count() == 2
    assert hidden.name == "Hidden elsewhere"


def test_a_new_project_may_take_a_name_that_exists_elsewhere(world, as_user):
    world.outsider.is_staff = True
    world.outsider.save()
    response = as_user(world.outsider).post(
        "/api/projects/", {"name": world.project.name}, format="json"
    )
    assert response.status_code == 201


def test_the_import_command_refuses_an_ambiguous_project_name(world, tmp_path):
    ProjectFactory(name=world.project.name)
    (tmp_path / "a.txt").write_text("Title\nBody.")
    with pytest.raises(CommandError, match="give its id"):
        call_command("import_sources", str(tmp_path), project=world.project.name)


def test_a_token_can_be_revoked_and_then_no_longer_works(world, as_user):
    client = as_user(world.alice)
    assert client.get("/api/annotations/").status_code == 200
    assert client.delete("/api/auth/token/").status_code == 204
    assert not Token.objects.filter(user=world.alice).exists()
    response = client.get("/api/annotations/")
    assert response.status_code == 401 and response.json()["message"] == "Invalid token."


def test_revoking_needs_a_login(world):
    assert APIClient().delete("/api/auth/token/").status_code == 401


def test_revoking_with_a_session_revokes_the_users_token(world, as_user):
    as_user(world.alice)
    client = APIClient(enforce_csrf_checks=False)
    client.force_login(world.alice)
    assert client.delete("/api/auth/token/").status_code == 204
    assert not Token.objects.filter(user=world.alice).exists()


def test_an_expired_token_is_refused(world, as_user, settings):
    settings.AUTH_TOKEN_LIFETIME = 3600
    client = as_user(world.alice)
    created = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=3601)
    Token.objects.filter(user=world.alice).update(created=created)
    response = client.get("/api/annotations/")
    assert response.status_code == 401
    assert "expired" in response.json()["message"]


def test_a_token_within_its_lifetime_works(world, as_user, settings):
    settings.AUTH_TOKEN_LIFETIME = 3600
    client = as_user(world.alice)
    created = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=3500)
    Token.objects.filter(user=world.alice).update(created=created)
    assert client.get("/api/annotations/").status_code == 200


def test_asking_again_after_expiry_gives_a_new_token(world, settings):
    settings.AUTH_TOKEN_LIFETIME = 3600
    world.alice.set_password("right-password-1")
    world.alice.save()
    old = Token.objects.create(user=world.alice)
    created = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=3601)
    Token.objects.filter(pk=old.pk).update(created=created)
    response = APIClient().post(
        "/api/auth/token/", {"username": "alice", "password": "right-password-1"}, format="json"
    )
    assert response.status_code == 200 and response.json()["token"] != old.key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/annotations/").status_code == 200
