"""`POST /api/projects/<id>/imports/` and `GET /api/imports/<id>/`, and the schema's file type."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from interchange.models import ImportJob
from sources.models import Role, Source
from tests.factories import MembershipFactory, UserFactory
from tests.interchange.conftest import FIXTURES
from tests.interchange.test_command import every_kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(project):
    coder = MembershipFactory(project=project, role=Role.CODER).user
    outsider = MembershipFactory(role=Role.LEAD).user
    return {"lead": project.members.get(username="lead"), "coder": coder, "outsider": outsider}


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def upload(client, project, name, data, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            f"/api/projects/{project.pk}/imports/",
            {"file": SimpleUploadedFile(name, data), **fields},
            format="multipart",
        )


def test_a_lead_imports_a_file_and_follows_the_job_to_its_report(
    project, people, django_capture_on_commit_callbacks
):
    client = client_for(people["lead"])
    data = (FIXTURES / "telegram-result.json").read_bytes()
    response = upload(client, project, "result.json", data, django_capture_on_commit_callbacks)
    assert response.status_code == 202, response.json()
    assert response["Location"] == f"/api/imports/{response.json()['id']}/"
    body = client.get(response["Location"]).json()
    assert (body["status"], body["progress"], body["error"]) == ("done", 1.0, "")
    (report,) = body["report"]["files"]
    assert report["name"] == "result.json" and report["sources_created"] == 3
    assert Source.objects.filter(project=project).count() == 3
    assert not ImportJob.objects.get().files.exists()


def test_a_mapping_arrives_as_json_text_in_the_form(
    project, people, django_capture_on_commit_callbacks
):
    client = client_for(people["lead"])
    data = b"headline,body\nA title,A body\n"
    mapping = json.dumps({"text": "headline", "title": "body"})
    response = upload(
        client, project, "t.csv", data, django_capture_on_commit_callbacks, mapping=mapping
    )
    assert response.status_code == 202
    assert Source.objects.get().text == "A title"


def test_a_failed_file_is_reported_and_writes_nothing(
    project, people, django_capture_on_commit_callbacks
):
    client = client_for(people["lead"])
    response = upload(client, project, "bad.txt", b"\xff\xfe", django_capture_on_commit_callbacks)
    body = client.get(response["Location"]).json()
    assert body["status"] == "failed" and "not valid UTF-8" in body["error"]
    assert body["report"]["files"][0]["status"] == "failed"
    assert not Source.objects.exists()


def test_a_bad_mapping_or_kind_is_a_400(project, people):
    client = client_for(people["lead"])
    url = f"/api/projects/{project.pk}/imports/"
    response = client.post(
        url, {"file": SimpleUploadedFile("t.csv", b"a\n"), "mapping": "{nope"}, format="multipart"
    )
    assert response.status_code == 400 and "mapping" in response.json()["fields"]
    response = client.post(
        url, {"file": SimpleUploadedFile("t.csv", b"a\n"), "kind": "exe"}, format="multipart"
    )
    assert response.status_code == 400 and "kind" in response.json()["fields"]
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(("who", "code"), [("coder", 403), ("outsider", 404), (None, 401)])
def test_only_the_projects_leads_may_import_or_read_an_import(project, people, who, code):
    job = ImportJob.objects.create(project=project)
    client = client_for(people.get(who))
    response = client.post(
        f"/api/projects/{project.pk}/imports/",
        {"file": SimpleUploadedFile("a.txt", b"x")},
        format="multipart",
    )
    assert response.status_code == code
    assert client.get(f"/api/imports/{job.pk}/").status_code == code
    assert ImportJob.objects.count() == 1


def test_a_table_preview_proposes_a_mapping(project, people):
    client = client_for(people["lead"])
    response = client.post(
        f"/api/projects/{project.pk}/imports/preview/",
        {"file": SimpleUploadedFile("t.csv", b"Title,Message,extra\nA,B,C\n")},
        format="multipart",
    )
    assert response.status_code == 200
    assert response.json()["mapping"] == {"text": "Message", "title": "Title"}
    assert response.json()["rows"] == [{"Title": "A", "Message": "B", "extra": "C"}]


def test_an_upload_over_the_import_limit_is_a_413(project, people, settings):
    settings.IMPORT_MAX_BYTES = 100
    client = client_for(people["lead"])
    response = client.post(
        f"/api/projects/{project.pk}/imports/",
        {"file": SimpleUploadedFile("a.txt", b"x" * 500)},
        format="multipart",
    )
    assert response.status_code == 413 and "IMPORT_MAX_BYTES" in response.json()["message"]


def test_the_schema_types_uploaded_files_as_binary(people):
    schema = client_for(UserFactory()).get("/api/schema/?format=json")
    schema = json.loads(schema.content)
    for path in ("/api/projects/{project_id}/imports/", "/api/projects/{project_id}/sources/"):
        body = schema["paths"][path]["post"]["requestBody"]["content"]["multipart/form-data"]
        ref = body["schema"]["$ref"].rsplit("/", 1)[-1]
        assert schema["components"]["schemas"][ref]["properties"]["file"] == {
            "type": "string",
            "format": "binary",
            "description": schema["components"]["schemas"][ref]["properties"]["file"][
                "description"
            ],
        }


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_import(celery_worker_process, project, people):
    import time

    client = client_for(people["lead"])
    data = (FIXTURES / "telegram-result.json").read_bytes()
    response = client.post(
        f"/api/projects/{project.pk}/imports/",
        {"file": SimpleUploadedFile("result.json", data)},
        format="multipart",
    )
    assert response.status_code == 202
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        body = client.get(response["Location"]).json()
        if body["status"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert body["status"] == "done", body
    assert Source.objects.filter(project=project).count() == 3


def test_a_starting_worker_requeues_lost_and_dead_jobs_only(project, settings):
    from datetime import timedelta

    from django.utils import timezone

    from interchange.jobs import import_jobs_unfinished

    settings.CELERY_TASK_TIME_LIMIT = 60
    queued = ImportJob.objects.create(project=project)
    long_ago = timezone.now() - timedelta(seconds=120)
    dead = ImportJob.objects.create(project=project, status="running", started_at=long_ago)
    ImportJob.objects.create(project=project, status="running", started_at=timezone.now())
    ImportJob.objects.create(project=project, status="done")
    assert sorted(import_jobs_unfinished()) == sorted([queued.pk, dead.pk])
    dead.refresh_from_db()
    assert dead.status == "queued"


EXPECTED_SOURCES = {"result.json": 3, "i.qdc": 0}


@pytest.mark.parametrize("name", sorted(every_kind()))
def test_every_kind_comes_in_through_the_api(
    project, people, django_capture_on_commit_callbacks, name
):
    client = client_for(people["lead"])
    data = every_kind()[name]
    response = upload(client, project, name, data, django_capture_on_commit_callbacks)
    assert response.status_code == 202
    body = client.get(response["Location"]).json()
    assert body["status"] == "done", body
    (report,) = body["report"]["files"]
    assert report["sources_created"] == EXPECTED_SOURCES.get(name, 1)
    assert Source.objects.filter(project=project).count() == report["sources_created"]
