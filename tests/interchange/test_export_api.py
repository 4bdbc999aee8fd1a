"""Who may export, the filters, the record of every export, and background exports."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from interchange import export_services
from interchange.export_services import export_execute, exports_expire
from interchange.formats import EXPORTERS, Exporter
from interchange.models import ExportJob, ExportStatus
from tests.interchange.conftest import body, expected_annotations
from tests.interchange.test_export_kinds import csv_rows


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_leads_and_staff_export_coders_get_403_and_outsiders_404(world):
    assert world.get("csv").status_code == 200
    assert world.get("csv", world.admin).status_code == 200
    assert world.get("csv", world.coders["coder_ann"]).status_code == 403
    assert world.get("csv", world.outsider).status_code == 404
    assert ExportJob.objects.filter(project=world.project).count() == 2


def test_every_export_is_recorded_with_who_what_and_the_filters(world):
    response = world.get("jsonl", coder="coder_bo")
    body(response)
    job = ExportJob.objects.get()
    assert (job.created_by, job.kind, job.mode, job.status) == (
        world.lead,
        "jsonl",
        "direct",
        "done",
    )
    assert job.filters == {"coder": ["coder_bo"], "layer": ["coder"]}
    assert job.rows == 4 and job.size and job.snapshot_at


def test_filters_combine_and_codes_take_their_descendants(world):
    source = world.sources["emoji"].pk
    rows = csv_rows(body(world.get("csv", exact="1", source=source, code=world.codes["blame"].pk)))
    assert {(row["coder"], row["code"]) for row in rows} == {
        ("coder_ann", "Blame"),
        ("coder_bo", "Blame"),
        ("coder_ann", "Ukraine"),
    }
    rows = csv_rows(body(world.get("csv", coder=["coder_bo"], source=[source])))
    assert len(rows) == 1


def test_the_updated_window_selects_by_the_last_change(world):
    old = world.sources["arabic"].annotations.all()
    old.update(updated_at=timezone.now() - timedelta(days=10))
    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    rows = csv_rows(body(world.get("csv", updated_since=since)))
    assert len(rows) == len(expected_annotations(world.project)) - 2
    until = (timezone.now() - timedelta(days=5)).date().isoformat()
    assert len(csv_rows(body(world.get("csv", updated_until=until)))) == 2


@pytest.mark.parametrize(
    "params,field",
    [
        ({"sort": "x"}, "sort"),
        ({"source": "abc"}, "source"),
        ({"code": "999999"}, "code"),
        ({"coder": "nobody"}, "coder"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"exact": "maybe"}, "exact"),
    ],
)
def test_bad_filters_get_400_and_record_nothing(world, params, field):
    response = world.get("csv", **params)
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not ExportJob.objects.exists()


def test_a_source_of_another_project_is_refused(world):
    from tests.factories import SourceFactory

    stranger = SourceFactory()
    response = world.get("csv", source=stranger.pk)
    assert response.status_code == 400 and "source" in response.json()["fields"]


def test_an_unknown_kind_is_404(world):
    assert world.get("pdf").status_code == 404


def test_a_background_export_runs_and_downloads(world, django_capture_on_commit_callbacks):
    client = world.client()
    url = f"/api/projects/{world.project.pk}/exports/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"kind": "csv", "filters": {"coder": ["coder_ann"]}}, format="json"
        )
    assert response.status_code == 202, response.content
    status = client.get(f"/api/exports/{response.json()['id']}/").json()
    assert status["status"] == "done" and status["rows"] == 6 and status["progress"] == 1
    assert status["download"].endswith("/download/")
    download = client.get(status["download"])
    assert download.status_code == 200
    assert "filename*=UTF-8''" in download["Content-Disposition"]
    rows = csv_rows(b"".join(download.streaming_content))
    assert {row["coder"] for row in rows} == {"coder_ann"}
    listed = client.get(url).json()
    assert listed["count"] == 1 and listed["results"][0]["filters"] == {
        "coder": ["coder_ann"],
        "layer": ["coder"],
    }


def test_background_export_refuses_bad_input(world):
    client = world.client()
    url = f"/api/projects/{world.project.pk}/exports/"
    assert client.post(url, {"kind": "doc"}, format="json").status_code == 400
    bad = client.post(url, {"kind": "csv", "filters": {"code": ["0"]}}, format="json")
    assert bad.status_code == 400
    assert not ExportJob.objects.exists()


def test_expired_exports_lose_their_file_and_answer_410(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = export_services.export_start(
            project=world.project, user=world.lead, kind="qdc", params={}
        )
    job.refresh_from_db()
    name = job.file.name
    assert default_storage.exists(name)
    assert exports_expire(now=job.expires_at + timedelta(seconds=1)) == 1
    assert not default_storage.exists(name)
    response = world.client().get(f"/api/exports/{job.pk}/download/")
    assert response.status_code == 410


def test_a_worker_dying_mid_file_leaves_nothing_to_download(world, monkeypatch, tmp_path):
    def dies_halfway(snapshot, options):
        yield b"first half,"
        raise SystemExit("worker killed")

    monkeypatch.setitem(EXPORTERS, "csv", Exporter(dies_halfway, "csv", "text/csv", "dying"))
    job = ExportJob.objects.create(
        project=world.project, created_by=world.lead, kind="csv", mode="background"
    )
    with pytest.raises(SystemExit):
        export_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.RUNNING and not job.file
    assert not list(tmp_path.rglob("*.csv"))
    response = world.client().get(f"/api/exports/{job.pk}/download/")
    assert response.status_code == 409
    # The next worker to start claims it again and finishes it.
    monkeypatch.undo()
    assert export_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and default_storage.exists(job.file.name)
    assert io.BytesIO(default_storage.open(job.file.name).read()).read().startswith(b"\xef\xbb\xbf")
