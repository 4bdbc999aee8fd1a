"""Suite-wide fixtures.

In CI (`REQUIRE_SERVICES=1`, set by .ci/run) the suite refuses to run unless it is pointed at
PostgreSQL and Redis and Chromium is installed, so nothing real can be skipped silently.

`world` is a small world for API tests: one project with a lead, two coders and an outsider (a
coder of another project), plus an admin, each with an API client authenticated by token.
"""

import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from celery._state import _set_task_join_will_block
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from config.celery import app as celery_app
from sources.models import Role
from tests.chromium import CHROMIUM
from tests.factories import (
    AnnotationFactory,
    AssignmentFactory,
    CodebookFactory,
    CodeFactory,
    MembershipFactory,
    SourceFactory,
    UserFactory,
)

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
    # An eager task sets Celery's process-wide "a join would block" flag while it runs and puts
    # back what it found; two eager tasks at once in a live server's threads can leave it set,
    # and every later `.get()` in this process would then refuse.
    _set_task_join_will_block(False)
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


TEXT = "Moscow, 22 March: officials blamed Kyiv within hours, before any investigation."


@dataclass
class World:
    project: Any
    source: Any
    unassigned: Any
    code: Any
    lead: Any
    alice: Any
    bob: Any
    outsider: Any
    admin: Any
    other_project: Any
    other_source: Any
    other_code: Any
    alice_note: Any
    bob_note: Any
    outsider_note: Any


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db) -> World:
    source = SourceFactory(text=TEXT, title="Statement")
    project = source.project
    unassigned = SourceFactory(project=project, title="Unassigned")
    code = CodeFactory(codebook=CodebookFactory(project=project), name="Blame")
    lead = MembershipFactory(project=project, role=Role.LEAD, user__username="lena").user
    alice = MembershipFactory(project=project, user__username="alice").user
    bob = MembershipFactory(project=project, user__username="bob").user
    other_source = SourceFactory(title="Elsewhere")
    other_code = CodeFactory(codebook=CodebookFactory(project=other_source.project))
    outsider = MembershipFactory(project=other_source.project, user__username="oscar").user
    for coder in (alice, bob):
        AssignmentFactory(source=source, coder=coder)
    AssignmentFactory(source=other_source, coder=outsider)
    return World(
        project=project,
        source=source,
        unassigned=unassigned,
        code=code,
        lead=lead,
        alice=alice,
        bob=bob,
        outsider=outsider,
        admin=UserFactory(username="root", is_staff=True),
        other_project=other_source.project,
        other_source=other_source,
        other_code=other_code,
        alice_note=AnnotationFactory(source=source, code=code, coder=alice, start=0, end=6),
        bob_note=AnnotationFactory(source=source, code=code, coder=bob, start=8, end=16),
        outsider_note=AnnotationFactory(
            source=other_source, code=other_code, coder=outsider, start=0, end=6
        ),
    )


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def as_user():
    return client_for


def page_client_for(user=None) -> Client:
    """A browser-like client for the server-rendered pages, logged in as `user` (if any)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
