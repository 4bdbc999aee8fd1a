import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from interchange.models import ExportJob
from tests.factories import ProjectFactory


@pytest.fixture
def browser_client(world) -> Client:
    client = Client()
    client.force_login(world.lead)
    return client


def test_the_project_overview_links_the_export_page(world, browser_client):
    page = browser_client.get(f"/projects/{world.project.pk}/").content.decode()
    assert f"/projects/{world.project.pk}/export/" in page


def test_the_page_previews_what_will_go_out(world, browser_client):
    url = f"/projects/{world.project.pk}/export/"
    page = browser_client.get(url, {"kind": "csv", "coder": "coder_bo"}).content.decode()
    assert "<strong>4</strong> annotations in <strong>5</strong> sources" in page
    bad = browser_client.get(url, {"kind": "csv", "code": "999999"}).content.decode()
    assert "No code with id 999999" in bad


def test_a_small_export_downloads_at_once_and_is_listed(world, browser_client):
    url = f"/projects/{world.project.pk}/export/"
    response = browser_client.post(url, {"kind": "jsonl", "coder": "coder_ann"})
    assert response.status_code == 302 and "/export/jsonl/?coder=coder_ann" in response["Location"]
    download = browser_client.get(response["Location"])
    b"".join(download.streaming_content)
    page = browser_client.get(url).content.decode()
    assert "coder: coder_ann" in page and "downloaded at once" in page


def test_a_large_export_runs_in_the_background(
    world, browser_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.EXPORT_DIRECT_MAX_ANNOTATIONS = 3
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        response = browser_client.post(f"/projects/{world.project.pk}/export/", {"kind": "xlsx"})
    job = ExportJob.objects.get()
    assert response["Location"].endswith(f"?job={job.pk}")
    assert job.mode == "background"
    page = browser_client.get(response["Location"]).content.decode()
    assert 'id="export-progress"' in page and f"/api/exports/{job.pk}/download/" in page


def test_coders_cannot_open_the_export_page(world):
    client = Client()
    client.force_login(world.coders["coder_ann"])
    assert client.get(f"/projects/{world.project.pk}/export/").status_code == 403


def test_the_command_writes_the_file_with_filters(world, tmp_path):
    output = tmp_path / "out.csv"
    call_command(
        "export_project", str(world.project.pk), kind="csv", output=output, coder=["coder_bo"],
        exact=True, stdout=io.StringIO(),
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(output.read_text("utf-8-sig"), newline="")))
    assert len(rows) == 4 and {row["coder"] for row in rows} == {"coder_bo"}
    assert not list(tmp_path.glob(".*partial"))


def test_the_command_refuses_bad_filters(world, tmp_path):
    with pytest.raises(CommandError, match="code"):
        call_command(
            "export_project", world.project.name, kind="csv", output=tmp_path / "x", code=["0"]
        )
    assert not list(tmp_path.iterdir())


def test_the_command_refuses_a_name_several_projects_share(world, tmp_path):
    ProjectFactory(name=world.project.name)
    with pytest.raises(CommandError, match="Several projects are named"):
        call_command("export_project", world.project.name, kind="csv", output=tmp_path / "x")
    assert not list(tmp_path.iterdir())
