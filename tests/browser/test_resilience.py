"""Nothing is lost when the network or the server goes away in the middle of coding."""

import pytest
from playwright.sync_api import Page, Route, expect

from annotations.models import Annotation
from tests.browser.conftest import TEXT
from tests.browser.helpers import coded_texts, drag_select, wait_saved

pytestmark = pytest.mark.browser

API = "**/api/annotations/**"


def span_of(quote: str) -> tuple[int, int]:
    start = TEXT.index(quote)
    return start, start + len(quote)


def lose_first_answer(page: Page, method: str) -> dict[str, int]:
    """The first `method` request to the API reaches the server, which applies it, but its
    answer never arrives; the returned count says how many answers were lost."""
    lost = {"answers": 0}

    def handle(route: Route) -> None:
        if route.request.method == method and not lost["answers"]:
            lost["answers"] += 1
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(API, handle)
    return lost


def reopen(page: Page) -> None:
    page.reload()
    page.wait_for_selector("#workspace[data-ready='1']", state="attached", timeout=20000)


def test_changes_made_while_the_network_is_down_are_kept_across_a_reload_and_saved_later(
    world, open_workspace
):
    page = open_workspace(world["alice"], world["source"])
    drag_select(page, *span_of("Opening line"))
    page.keyboard.press("t")
    wait_saved(page)

    page.route(API, lambda route: route.abort("internetdisconnected"))
    drag_select(page, *span_of("plain words"))
    page.keyboard.press("h")
    page.locator("#annotation-list button").first.click()
    page.locator("#details textarea").fill("memo written offline")
    page.locator("#details button", has_text="Save memo").click()
    expect(page.locator("#save-status")).to_contain_text("unsaved")
    expect(page.locator("#save-status")).to_have_class("save-status unsaved")
    expect(page.locator("#annotation-list .unsaved")).to_have_count(2)
    assert Annotation.objects.count() == 1

    # A reload during the outage: the queue survives in localStorage. Let the page's load
    # through, then cut the connection again before its queued changes can be sent.
    page.unroute(API)
    page.route(
        API,
        lambda route: (
            route.continue_() if route.request.method == "GET" else route.abort("connectionreset")
        ),
    )
    reopen(page)
    assert coded_texts(page) == ["Opening line", "plain words"]
    expect(page.locator("#save-status")).to_contain_text("unsaved")
    assert Annotation.objects.count() == 1

    page.unroute(API)
    wait_saved(page)
    assert sorted((a.quote, a.memo) for a in Annotation.objects.all()) == [
        ("Opening line", "memo written offline"),
        ("plain words", ""),
    ]
    reopen(page)
    assert coded_texts(page) == ["Opening line", "plain words"]


def test_server_errors_are_retried_until_the_server_is_back(world, open_workspace):
    page = open_workspace(world["alice"], world["source"])
    failures = {"left": 3}

    def flaky(route: Route) -> None:
        if route.request.method != "GET" and failures["left"]:
            failures["left"] -= 1
            route.fulfill(status=503, body="down for maintenance")
        else:
            route.continue_()

    page.route(API, flaky)
    drag_select(page, *span_of("emoji inside"))
    page.keyboard.press("t")
    expect(page.locator("#save-status")).to_contain_text("server answered 503")
    wait_saved(page)
    assert failures["left"] == 0
    assert Annotation.objects.get().quote == "emoji inside"


def test_a_create_whose_answer_was_lost_is_retried_without_a_duplicate(world, open_workspace):
    page = open_workspace(world["alice"], world["source"])
    lost = lose_first_answer(page, "POST")
    drag_select(page, *span_of("plain words"))
    page.keyboard.press("t")
    wait_saved(page)
    assert lost["answers"] == 1
    assert Annotation.objects.count() == 1


def test_deleting_then_losing_the_answer_still_ends_deleted(world, open_workspace):
    page = open_workspace(world["alice"], world["source"])
    drag_select(page, *span_of("plain words"))
    page.keyboard.press("t")
    wait_saved(page)
    lost = lose_first_answer(page, "DELETE")
    page.locator("#text .seg.coded").first.click()
    page.locator("#details button", has_text="Delete passage").click()
    wait_saved(page)
    assert lost["answers"] == 1
    assert not Annotation.objects.exists()


def test_a_memo_edit_whose_answer_was_lost_is_not_reported_as_a_conflict(world, open_workspace):
    page = open_workspace(world["alice"], world["source"])
    drag_select(page, *span_of("plain words"))
    page.keyboard.press("t")
    wait_saved(page)
    # Applied on the server (version 2); the retry then names the stale version 1.
    lost = lose_first_answer(page, "PATCH")
    page.locator("#text .seg.coded").first.click()
    page.locator("#details textarea").fill("kept once")
    page.locator("#details button", has_text="Save memo").click()
    wait_saved(page)
    expect(page.locator("#save-status")).not_to_contain_text("refused")
    assert lost["answers"] == 1
    annotation = Annotation.objects.get()
    assert (annotation.memo, annotation.version) == ("kept once", 2)
