"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API keeps an event loop running in the test thread, and Django refuses
database access beside a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set. Both are confined
to this package: the loop (pytest-playwright's `playwright` and `browser`, narrowed to package
scope) stops after its last test, and the variable is unset again, so it can neither leak into
later database tests nor into `manage.py check --deploy` run by other tests. The live server
needs committed data, hence `transactional_db`.
"""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from annotations.models import AssignmentStatus
from sources.models import Role, normalize_text
from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.factories import (
    AssignmentFactory,
    CodeFactory,
    MembershipFactory,
    ProjectFactory,
    SourceFactory,
)

# Astral emoji, an Arabic (right-to-left) line, combining marks that NFC keeps decomposed
# (q + dot below + dot above, in canonical order, has no precomposed form), a blank line.
TEXT = normalize_text(
    "Opening line about the attack 😀 with an emoji inside.\n"
    "مرحبا بالعالم، هذا نص عربي للاختبار.\n"
    "Marks: q\u0323\u0307 stay combined after NFC, then plain words.\n"
    "\n"
    "Last paragraph after a blank line, with 🇺🇦 a flag and more words."
)


# The machine running the suite may be busy: wait longer than Playwright's 5 s for the page.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="package", autouse=True)
def _database_beside_playwrights_event_loop():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="package")
def playwright():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser_context_args() -> dict:
    return {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="package")
def browser(playwright: Playwright, browser_type_launch_args) -> Browser:
    browser = playwright.chromium.launch(**browser_type_launch_args)
    yield browser
    browser.close()


@pytest.fixture
def world(transactional_db):
    project = ProjectFactory(name="Blind study", blind=True)
    source = SourceFactory(project=project, title="Mixed scripts", text=TEXT)
    lead = MembershipFactory(project=project, role=Role.LEAD, user__username="lead").user
    alice = MembershipFactory(project=project, user__username="alice").user
    bob = MembershipFactory(project=project, user__username="bob").user
    codebook_codes = {
        name: CodeFactory(
            codebook__project=project, name=name, colour=colour, shortcut=key, order=order
        )
        for order, (name, colour, key) in enumerate(
            [("Threat", "#d62728", "t"), ("Memory", "#8c564b", "h"), ("Blame", "#1f77b4", "")]
        )
    }
    second = SourceFactory(project=project, title="Second source")
    assignments = {
        coder.username: AssignmentFactory(source=source, coder=coder) for coder in (alice, bob)
    }
    AssignmentFactory(source=second, coder=alice, status=AssignmentStatus.ASSIGNED)
    return {
        "project": project,
        "source": source,
        "second": second,
        "lead": lead,
        "alice": alice,
        "bob": bob,
        "codes": codebook_codes,
        "assignments": assignments,
    }


@pytest.fixture
def log_in(context: BrowserContext, live_server):
    """Give the browser a session for `user` (the login form itself is tested separately)."""

    def log_in(user) -> None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )

    return log_in


@pytest.fixture
def open_workspace(page: Page, live_server, log_in):
    def open_workspace(user, source) -> Page:
        log_in(user)
        page.goto(f"{live_server.url}/sources/{source.pk}/code/")
        page.wait_for_selector("#workspace[data-ready='1']", state="attached")
        return page

    return open_workspace
