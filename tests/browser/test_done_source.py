"""On a source marked done, applying a code asks whether to reopen it; the answer decides."""

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation, AssignmentStatus
from tests.browser.conftest import TEXT
from tests.browser.helpers import drag_select, wait_saved

pytestmark = pytest.mark.browser


def done_source(world, open_workspace):
    assignment = world["assignments"]["alice"]
    assignment.status = AssignmentStatus.DONE
    assignment.save()
    page = open_workspace(world["alice"], world["source"])
    expect(page.locator("#assignment-status")).to_have_text("Done")
    start = TEXT.index("about the attack")
    drag_select(page, start, start + len("about the attack"))
    return page, assignment


def test_accepting_the_question_reopens_the_source_and_saves_the_passage(world, open_workspace):
    page, assignment = done_source(world, open_workspace)
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.locator("#picker-list [data-code-id]", has_text="Memory").click()
    # The passage is queued once the source is reopened, in the same step as this text.
    expect(page.locator("#assignment-status")).to_have_text("In progress")
    expect(page.locator("#annotation-list .passage")).to_have_count(1)
    wait_saved(page)
    expect(page.locator("#mark-done")).to_be_enabled()
    assert asked and "marked this source done" in asked[0]
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.IN_PROGRESS
    assert Annotation.objects.get().quote == "about the attack"


def test_declining_keeps_the_source_done_and_adds_nothing(world, open_workspace):
    page, assignment = done_source(world, open_workspace)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("#picker-list [data-code-id]", has_text="Memory").click()
    expect(page.locator("#picker")).to_be_hidden()
    expect(page.locator("#assignment-status")).to_have_text("Done")
    wait_saved(page)
    assert not Annotation.objects.exists()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DONE


def test_a_passage_with_a_retired_code_is_labelled_retired(world, open_workspace):
    memory = world["codes"]["Memory"]
    start = TEXT.index("about the attack")
    Annotation.objects.create(
        source=world["source"],
        coder=world["alice"],
        code=memory,
        start=start,
        end=start + len("about the attack"),
        quote="about the attack",
    )
    memory.retired = True
    memory.save()
    page = open_workspace(world["alice"], world["source"])
    page.keyboard.press("]")
    card = page.locator(".passage-card")
    expect(card.locator(".retired")).to_have_text("retired")
    expect(card.locator(".code-choice select option:checked")).to_contain_text("(retired)")
