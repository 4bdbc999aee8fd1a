import pytest
from playwright.sync_api import expect

from annotations.models import Annotation, AssignmentStatus
from tests.browser.helpers import wait_saved

pytestmark = pytest.mark.browser


def test_a_coder_codes_navigates_deletes_and_finishes_with_the_keyboard_only(world, open_workspace):
    page = open_workspace(world["alice"], world["source"])
    page.locator("#text").focus()
    for _ in range(7):
        page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#picker")).to_be_visible()
    page.keyboard.press("t")
    wait_saved(page)
    first = Annotation.objects.get()
    assert first.quote == "Opening"

    page.locator("#text").focus()
    page.keyboard.press("Control+Shift+ArrowRight")
    page.keyboard.press("Enter")
    expect(page.locator("#picker-filter")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    wait_saved(page)
    second = Annotation.objects.exclude(pk=first.pk).get()
    assert second.start >= first.end
    assert second.code == world["codes"]["Memory"]

    page.keyboard.press("]")
    expect(page.locator("#details .passage-card.focused")).to_contain_text("Threat")
    page.keyboard.press("]")
    expect(page.locator("#details .passage-card.focused")).to_contain_text("Memory")
    page.keyboard.press("Delete")
    wait_saved(page)
    assert list(Annotation.objects.all()) == [first]

    page.keyboard.press("Alt+Shift+D")
    expect(page.locator("#assignment-status")).to_have_text("Done")
    world["assignments"]["alice"].refresh_from_db()
    assert world["assignments"]["alice"].status == AssignmentStatus.DONE
