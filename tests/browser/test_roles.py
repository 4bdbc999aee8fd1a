import pytest
from playwright.sync_api import Page, expect

from annotations.models import AssignmentStatus
from tests.browser.conftest import TEXT
from tests.browser.helpers import coded_texts
from tests.factories import AnnotationFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def two_coders_coded(world):
    for coder, quote in [("alice", "Opening line"), ("bob", "plain words")]:
        start = TEXT.index(quote)
        AnnotationFactory(
            source=world["source"],
            coder=world[coder],
            code=world["codes"]["Threat"],
            start=start,
            end=start + len(quote),
        )
    return world


def test_a_coder_never_sees_another_coders_passages_in_a_blind_project(
    two_coders_coded, open_workspace
):
    page = open_workspace(two_coders_coded["alice"], two_coders_coded["source"])
    assert coded_texts(page) == ["Opening line"]
    expect(page.locator("#annotation-list li")).to_have_count(1)
    expect(page.locator("#layers")).to_be_hidden()
    assert "plain words" not in page.locator("#annotation-list").inner_text()


def test_the_lead_overlays_each_coder_as_a_layer_and_can_hide_one(two_coders_coded, open_workspace):
    page = open_workspace(two_coders_coded["lead"], two_coders_coded["source"])
    expect(page.locator("#layers")).to_be_visible()
    assert coded_texts(page) == ["Opening line", "plain words"]
    labels = page.locator("#text .seg[data-label]").evaluate_all(
        "els => els.map(e => e.dataset.label)"
    )
    assert labels == ["A1", "B1"]  # coder letter and code number: not colour alone
    page.locator("#layers label", has_text="bob").locator("input").uncheck()
    assert coded_texts(page) == ["Opening line"]


def test_in_an_open_project_a_coder_sees_peers_read_only(two_coders_coded, open_workspace):
    project = two_coders_coded["project"]
    project.blind = False
    project.save()
    page = open_workspace(two_coders_coded["alice"], two_coders_coded["source"])
    assert coded_texts(page) == ["Opening line", "plain words"]
    page.locator("#text .seg.coded", has_text="plain words").click()
    expect(page.locator("#details")).to_contain_text("by bob")
    expect(page.locator("#details textarea")).to_have_count(0)


def test_mark_done_completes_the_assignment_and_offers_the_next_source(world, open_workspace):
    page = open_workspace(world["alice"], world["source"])
    page.locator("#mark-done").click()
    expect(page.locator("#assignment-status")).to_have_text("Done")
    world["assignments"]["alice"].refresh_from_db()
    assert world["assignments"]["alice"].status == AssignmentStatus.DONE
    page.locator("#next-source").click()
    expect(page.locator("h1")).to_have_text("Second source")


def test_logging_in_through_the_form_leads_to_the_assignments(world, page: Page, live_server):
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Your assignments")
    expect(page.locator("main")).to_contain_text("Mixed scripts")
    expect(page.locator("main")).to_contain_text("0 / 2 done")
    page.locator("button", has_text="Log out").click()
    expect(page.locator("h1")).to_have_text("Log in")
