"""Suite-wide fixtures.

In CI (`REQUIRE_SERVICES=1`, set by .ci/run) the suite refuses to run unless it is pointed at
PostgreSQL and Redis and Chromium is installed, so nothing real can be skipped silently.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from tests.chromium import CHROMIUM

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [
        f"database vendor: {connection.vendor} ({settings.DATABASES['default']['ENGINE']})",
        f"celery broker: {celery_app.conf.broker_url.split(':', 1)[0]}",
        f"chromium: {CHROMIUM if Path(CHROMIUM).exists() else 'not installed'}",
    ]


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("REQUIRE_SERVICES") != "1":
        return
    problems = []
    if connection.vendor != "postgresql":
        problems.append(f"database is {connection.vendor}, not postgresql")
    if not celery_app.conf.broker_url.startswith("redis"):
        problems.append(f"broker is {celery_app.conf.broker_url}, not redis")
    if not Path(CHROMIUM).exists():
        problems.append("chromium is not installed")
    if problems:
        pytest.exit("REQUIRE_SERVICES=1 but " + "; ".join(problems), returncode=3)


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared/ is not beside the checkout")
    return SHARED


@pytest.fixture(autouse=True)
def _celery_eager_unless_worker(request: pytest.FixtureRequest):
    """Unit tests run tasks in-process; tests marked `worker` go through the real broker."""
    eager = request.node.get_closest_marker("worker") is None
    celery_app.conf.task_always_eager = eager
    celery_app.conf.task_eager_propagates = eager
    yield
    celery_app.conf.task_always_eager = False


def database_url_for_tests() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "", safe="")
    password = quote(db["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real `celery worker` process on its own queue, reading the test database."""
    queue = f"tests-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        database_url = database_url_for_tests()
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_QUEUE": queue}
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--queues",
        queue,
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
    ]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=out, stderr=out)
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    time.sleep(0.5)
    if process.poll() is not None:
        pytest.fail(f"celery worker exited at start:\n{log.read_text()}")
    yield process
    celery_app.conf.task_default_queue = previous_queue
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
