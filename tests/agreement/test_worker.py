"""Agreement runs through real Celery worker processes, including one killed mid-run."""

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from rest_framework.test import APIClient

from agreement.models import AgreementRun, AgreementRunStatus
from agreement.services.execute import agreement_run_execute
from annotations.demo.loader import demo_load
from config.celery import app as celery_app
from tests.conftest import REPO_ROOT, database_url_for_tests

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(condition, timeout=90, every=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"gave up after {timeout} s")


def same_results(run_a, run_b):
    strip = lambda results: {k: v for k, v in results.items() if k != "timings"}  # noqa: E731
    return strip(run_a.results) == strip(run_b.results)


def uninterrupted_copy(run):
    copy = AgreementRun.objects.create(
        project=run.project, params=run.params, codebook_snapshot=run.codebook_snapshot
    )
    assert agreement_run_execute(run_id=copy.pk)
    copy.refresh_from_db()
    return copy


def test_a_run_started_over_the_api_is_computed_by_a_real_worker(celery_worker_process):
    project, _ = demo_load()
    client = APIClient()
    client.force_authenticate(project.memberships.get(role="lead").user)
    response = client.post(
        f"/api/projects/{project.pk}/agreement-runs/", {"bootstrap": 500}, format="json"
    )
    assert response.status_code == 202
    url = response.json()["url"]
    seen = []

    def finished():
        body = client.get(url).json()
        seen.append(body["progress"])
        return body if body["status"] in ("done", "failed") else None

    body = wait_for(finished)
    assert body["status"] == "done", body["error"]
    assert seen == sorted(seen) and body["progress"] == 1.0
    run = AgreementRun.objects.get(pk=body["id"])
    assert same_results(run, uninterrupted_copy(run))
    assert celery_worker_process.poll() is None


class Worker:
    """A `celery worker` subprocess on its own queue against the test database."""

    def __init__(self, queue, log, settings_module):
        env = {
            **os.environ,
            "DATABASE_URL": database_url_for_tests(),
            "CELERY_QUEUE": queue,
            "DJANGO_SETTINGS_MODULE": settings_module,
        }
        command = [
            sys.executable,
            *("-m", "celery", "-A", "config", "worker", "--pool=solo", "--queues", queue),
            *("--without-gossip", "--without-mingle", "--loglevel=INFO"),
        ]
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=out, stderr=out)
        wait_for(lambda: " ready." in log.read_text() or self.process.poll() is not None)
        assert self.process.poll() is None, log.read_text()

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def own_queue():
    queue = f"tests-kill-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    yield queue
    celery_app.conf.task_default_queue = previous


def test_a_run_whose_worker_is_killed_mid_run_completes_on_the_next_worker(
    study, own_queue, tmp_path
):
    project, lead = study
    slow = Worker(own_queue, tmp_path / "slow.log", "tests.agreement.slow_worker_settings")
    workers = [slow]
    try:
        client = APIClient()
        client.force_authenticate(lead)
        response = client.post(
            f"/api/projects/{project.pk}/agreement-runs/", {"bootstrap": 200}, format="json"
        )
        assert response.status_code == 202
        run = AgreementRun.objects.get(pk=response.json()["id"])

        def mid_run():
            run.refresh_from_db()
            return run.status == AgreementRunStatus.RUNNING and 0 < run.progress < 0.2

        wait_for(mid_run, every=0.02)
        first_attempt = run.started_at
        slow.kill()
        time.sleep(1)
        run.refresh_from_db()
        assert run.status == AgreementRunStatus.RUNNING and run.results is None

        workers.append(Worker(own_queue, tmp_path / "next.log", "config.settings"))

        def done():
            run.refresh_from_db()
            return run.status in (AgreementRunStatus.DONE, AgreementRunStatus.FAILED)

        wait_for(done)
        assert run.status == AgreementRunStatus.DONE, run.error
        assert run.started_at > first_attempt
        assert same_results(run, uninterrupted_copy(run))
    finally:
        for worker in workers:
            worker.stop()
