import pytest

from annotations.demo.loader import demo_load
from sources.models import Role
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def demo(db):
    project, _ = demo_load()
    return project


@pytest.fixture
def users(demo, django_user_model):
    """The demo's admin, lead and coder, and a coder of another project."""
    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, role=Role.CODER)
    return {
        "admin": django_user_model.objects.get(username="admin"),
        "lead": django_user_model.objects.get(username="lead"),
        "coder": django_user_model.objects.get(username="coder1"),
        "stranger": stranger,
    }


@pytest.fixture
def finished_run(demo, users, django_capture_on_commit_callbacks):
    """A done run over the demo project with a small bootstrap."""
    from agreement.services.start import agreement_run_start

    with django_capture_on_commit_callbacks(execute=True):
        run = agreement_run_start(project=demo, user=users["lead"], bootstrap=100)
    run.refresh_from_db()
    return run


@pytest.fixture
def browser_page(monkeypatch):
    """A Chromium page through Playwright; Django's ORM may still be used from the test."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    from tests.chromium import CHROMIUM, CHROMIUM_ARGS

    # Playwright's sync API runs an event loop in this thread, which Django takes for async code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(60_000)
        yield page
        context.close()
        browser.close()
        # ORM calls made while Playwright's loop runs get a connection of their own (Django's
        # connections are context-local); close it, or the test database cannot be dropped.
        connections.close_all()


@pytest.fixture
def study(db, django_user_model):
    """A made-up project: 12 sources of ~600 characters, two coders who finished all of them
    with ~10 spans each over 3 codes (about 240 annotations), deterministic."""
    import random

    from annotations.models import Annotation, Assignment, AssignmentStatus
    from tests.factories import CodebookFactory, CodeFactory, ProjectFactory, SourceFactory

    rng = random.Random(5)
    project = ProjectFactory()
    codebook = CodebookFactory(project=project)
    codes = [CodeFactory(codebook=codebook) for _ in range(3)]
    lead = UserFactory()
    MembershipFactory(project=project, user=lead, role=Role.LEAD)
    coders = [UserFactory() for _ in range(2)]
    annotations = []
    for index in range(12):
        words = " ".join(rng.choice(["alpha", "beta", "gamma", "delta"]) for _ in range(110))
        source = SourceFactory(project=project, text=f"{index}: {words}")
        for coder in coders:
            Assignment.objects.create(source=source, coder=coder, status=AssignmentStatus.DONE)
            for _ in range(10):
                start = rng.randrange(0, len(source.text) - 40)
                end = start + rng.randrange(5, 40)
                annotations.append(
                    Annotation(
                        source=source,
                        coder=coder,
                        code=rng.choice(codes),
                        start=start,
                        end=end,
                        quote=source.text[start:end],
                    )
                )
    Annotation.objects.bulk_create(annotations)
    return project, lead
