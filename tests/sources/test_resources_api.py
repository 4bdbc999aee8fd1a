import pytest
from django.contrib.auth.models import Permission

from annotations.models import Assignment, AssignmentStatus
from sources.models import Membership, Project, Source
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_token_is_issued_for_a_username_and_password(world, as_user):
    world.alice.set_password("pw-for-tests-1")
    world.alice.save()
    response = as_user(None).post(
        "/api/auth/token/", {"username": "alice", "password": "pw-for-tests-1"}, format="json"
    )
    assert response.status_code == 200
    client = as_user(None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/projects/").json()["count"] == 1


def test_a_wrong_password_is_a_400_in_the_common_error_shape(world, as_user):
    response = as_user(None).post(
        "/api/auth/token/", {"username": "alice", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "code": "invalid",
        "message": "Some fields are invalid; nothing was saved.",
        "fields": {"non_field_errors": ["Unable to log in with this username and password."]},
    }


def test_anonymous_requests_are_told_to_authenticate(world, as_user):
    response = as_user(None).get("/api/projects/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_staff_create_projects_and_become_their_lead(world, as_user):
    response = as_user(world.admin).post(
        "/api/projects/", {"name": "New study", "blind": False}, format="json"
    )
    assert response.status_code == 201
    project = Project.objects.get(pk=response.json()["id"])
    assert not project.blind and project.memberships.get().user == world.admin


def test_a_user_with_the_add_project_permission_creates_projects(world, as_user):
    world.alice.user_permissions.add(Permission.objects.get(codename="add_project"))
    response = as_user(world.alice).post("/api/projects/", {"name": "Mine"}, format="json")
    assert response.status_code == 201 and response.json()["role"] == "lead"


def test_a_coder_cannot_create_projects(world, as_user):
    response = as_user(world.alice).post("/api/projects/", {"name": "Mine"}, format="json")
    assert response.status_code == 403 and not Project.objects.filter(name="Mine").exists()


def test_a_non_member_gets_404_for_a_project(world, as_user):
    assert as_user(world.outsider).get(f"/api/projects/{world.project.pk}/").status_code == 404
    response = as_user(world.outsider).get(f"/api/projects/{world.project.pk}/sources/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_lead_adds_a_member_by_username(world, as_user):
    newcomer = UserFactory(username="nina")
    url = f"/api/projects/{world.project.pk}/members/"
    response = as_user(world.lead).post(url, {"user": "nina", "role": "coder"}, format="json")
    assert response.status_code == 201 and response.json()["user"] == "nina"
    assert Membership.objects.filter(project=world.project, user=newcomer).exists()
    again = as_user(world.lead).post(url, {"user": "nina", "role": "coder"}, format="json")
    assert again.status_code == 400 and "already a member" in again.json()["fields"]["user"][0]
    unknown = as_user(world.lead).post(url, {"user": "ghost", "role": "coder"}, format="json")
    assert "No user named 'ghost'" in unknown.json()["fields"]["user"][0]


def test_the_only_lead_cannot_be_demoted_or_removed(world, as_user):
    membership = Membership.objects.get(project=world.project, user=world.lead)
    url = f"/api/projects/{world.project.pk}/members/{membership.pk}/"
    assert as_user(world.lead).patch(url, {"role": "coder"}, format="json").status_code == 400
    assert as_user(world.lead).delete(url).status_code == 400
    membership.refresh_from_db()
    assert membership.role == "lead"


def test_a_coder_cannot_manage_members(world, as_user):
    url = f"/api/projects/{world.project.pk}/members/"
    assert as_user(world.alice).get(url).status_code == 403
    assert (
        as_user(world.alice).post(url, {"user": "bob", "role": "lead"}, format="json").status_code
        == 403
    )


def test_the_lead_adds_a_source_as_json_and_reads_its_text(world, as_user):
    url = f"/api/projects/{world.project.pk}/sources/"
    payload = {"title": "Report", "text": "Cafe\u0301 text.", "kind": "news_article"}
    response = as_user(world.lead).post(url, payload, format="json")
    assert response.status_code == 201
    detail = as_user(world.lead).get(f"{url}{response.json()['id']}/").json()
    assert detail["text"] == "Café text." and detail["kind"] == "news_article"


def test_the_lead_uploads_a_text_file(world, as_user, tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(b"Headline here\r\nBody of the report.\r\n")
    url = f"/api/projects/{world.project.pk}/sources/"
    with path.open("rb") as upload:
        response = as_user(world.lead).post(url, {"file": upload, "outlet": "Agency"})
    assert response.status_code == 201, response.json()
    source = Source.objects.get(pk=response.json()["id"])
    assert source.title == "Headline here" and source.text == "Headline here\nBody of the report.\n"


def test_a_file_that_is_not_utf8_is_a_clear_400(world, as_user, tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\xe9".encode("latin-1"))
    with path.open("rb") as upload:
        response = as_user(world.lead).post(
            f"/api/projects/{world.project.pk}/sources/", {"file": upload}
        )
    assert response.status_code == 400
    assert "not valid UTF-8 (byte 0xe9" in response.json()["fields"]["file"][0]


def test_a_duplicate_text_is_refused_naming_the_existing_source(world, as_user):
    url = f"/api/projects/{world.project.pk}/sources/"
    response = as_user(world.lead).post(
        url, {"title": "Again", "text": world.source.text}, format="json"
    )
    assert response.status_code == 400
    assert f"source {world.source.pk}" in response.json()["fields"]["text"][0]


def test_the_text_of_an_annotated_source_cannot_change(world, as_user):
    world.source.text_locked = True
    world.source.save()
    url = f"/api/projects/{world.project.pk}/sources/{world.source.pk}/"
    response = as_user(world.lead).patch(url, {"text": "new"}, format="json")
    assert (
        response.status_code == 400 and "no longer change" in response.json()["fields"]["text"][0]
    )
    assert as_user(world.lead).patch(url, {"outlet": "TASS"}, format="json").status_code == 200


def test_a_coder_sees_only_assigned_sources(world, as_user):
    url = f"/api/projects/{world.project.pk}/sources/"
    titles = [row["title"] for row in as_user(world.alice).get(url).json()["results"]]
    assert titles == ["Statement"]
    assert as_user(world.alice).get(f"{url}{world.unassigned.pk}/").status_code == 404


def test_the_lead_assigns_a_source_to_a_member_once(world, as_user):
    url = f"/api/projects/{world.project.pk}/assignments/"
    payload = {"source": world.unassigned.pk, "coder": "alice"}
    first = as_user(world.lead).post(url, payload, format="json")
    again = as_user(world.lead).post(url, payload, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]


def test_assigning_outside_the_project_is_refused(world, as_user):
    url = f"/api/projects/{world.project.pk}/assignments/"
    foreign_source = {"source": world.other_source.pk, "coder": "alice"}
    stranger = {"source": world.unassigned.pk, "coder": "oscar"}
    response = as_user(world.lead).post(url, foreign_source, format="json")
    assert response.status_code == 400 and "source" in response.json()["fields"]
    response = as_user(world.lead).post(url, stranger, format="json")
    assert "not a member" in response.json()["fields"]["coder"][0]


def test_a_coder_completes_their_assignment(world, as_user):
    assignment = Assignment.objects.get(coder=world.alice)
    response = as_user(world.alice).post(f"/api/assignments/{assignment.pk}/complete/")
    assert response.status_code == 200 and response.json()["status"] == AssignmentStatus.DONE
    bobs = Assignment.objects.get(coder=world.bob)
    assert as_user(world.alice).post(f"/api/assignments/{bobs.pk}/complete/").status_code == 404


def test_a_coder_lists_only_own_assignments(world, as_user):
    rows = as_user(world.alice).get("/api/assignments/").json()["results"]
    assert {row["coder"] for row in rows} == {"alice"}
    assert as_user(world.alice).get("/api/assignments/?status=bogus").status_code == 400


def test_errors_about_list_items_are_flat_messages_naming_the_item(world, as_user):
    response = as_user(world.lead).post(
        f"/api/projects/{world.project.pk}/agreement-runs/", {"codes": [1, "x"]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["codes"] == ["item 1: A valid integer is required."]
