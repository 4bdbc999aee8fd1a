"""Background exports through real Celery workers, one of them killed mid-file."""

import json

import pytest

from interchange.models import ExportJob, ExportStatus
from tests.agreement.test_worker import Worker, own_queue, wait_for
from tests.interchange.conftest import body

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
__all__ = ["own_queue"]


def test_a_killed_worker_leaves_no_file_and_the_next_one_finishes(
    world, own_queue, tmp_path, settings, monkeypatch
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    slow = Worker(own_queue, tmp_path / "slow.log", "tests.interchange.slow_export_settings")
    workers = [slow]
    try:
        client = world.client()
        response = client.post(
            f"/api/projects/{world.project.pk}/exports/", {"kind": "jsonl"}, format="json"
        )
        assert response.status_code == 202
        job = ExportJob.objects.get(pk=response.json()["id"])
        wait_for(lambda: ExportJob.objects.filter(pk=job.pk, status="running").exists(), every=0.02)
        # A chunk or two into the file: five sources, half a second each.
        wait_for(lambda: 0 < ExportJob.objects.get(pk=job.pk).progress < 1, every=0.02)
        slow.kill()
        job.refresh_from_db()
        assert job.status == ExportStatus.RUNNING and not job.file
        assert not [path for path in media.rglob("*") if path.is_file()]
        assert client.get(f"/api/exports/{job.pk}/download/").status_code == 409

        workers.append(Worker(own_queue, tmp_path / "next.log", "config.settings"))
        wait_for(lambda: ExportJob.objects.get(pk=job.pk).status in ("done", "failed"))
        job.refresh_from_db()
        assert job.status == ExportStatus.DONE, job.error
        download = client.get(f"/api/exports/{job.pk}/download/")
        lines = body(download).decode().splitlines()
        assert len(lines) == len(world.sources)
        assert all(json.loads(line)["text"] for line in lines)
    finally:
        for worker in workers:
            worker.stop()
