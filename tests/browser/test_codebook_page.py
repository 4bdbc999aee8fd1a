"""The lead's codebook page: drag to move and reorder, edit, retire, merge and split; and the
versions page's publish and difference."""

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Annotation
from narratives.models import Code, CodebookVersion
from tests.browser.conftest import TEXT
from tests.factories import AnnotationFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def coded(world):
    for coder, quote in [
        ("alice", "Opening line"),
        ("bob", "Opening line"),
        ("bob", "plain words"),
    ]:
        start = TEXT.index(quote)
        AnnotationFactory(
            source=world["source"],
            coder=world[coder],
            code=world["codes"]["Threat"],
            start=start,
            end=start + len(quote),
        )
    return world


@pytest.fixture
def codebook(page: Page, live_server, log_in, coded):
    log_in(coded["lead"])
    page.goto(f"{live_server.url}/projects/{coded['project'].pk}/codebook/")
    expect(page.locator(".cb-node")).to_have_count(3)
    return page


def node(page: Page, name: str):
    return page.locator(".cb-node", has=page.get_by_role("button", name=name, exact=True))


def drop(page: Page, moving: str, target: str, where: str) -> None:
    box = node(page, target).bounding_box()
    y = {"before": 0.1, "inside": 0.5, "after": 0.9}[where] * box["height"]
    node(page, moving).locator(".cb-handle").drag_to(
        node(page, target), target_position={"x": box["width"] / 2, "y": y}
    )


def names_in_tree(page: Page) -> list[str]:
    return page.locator(".cb-name").all_inner_texts()


def test_dragging_a_code_into_another_makes_it_a_sub_code(codebook, coded):
    drop(codebook, "Blame", "Threat", "inside")
    expect(codebook.locator("#cb-status")).to_contain_text("Moved Blame to Threat / Blame")
    blame = Code.objects.get(pk=coded["codes"]["Blame"].pk)
    assert blame.parent_id == coded["codes"]["Threat"].pk
    nested = codebook.locator("li[data-id] li[data-id] .cb-name")
    expect(nested).to_have_text(["Blame"])


def test_dragging_a_code_before_another_reorders_the_siblings(codebook, coded):
    drop(codebook, "Blame", "Threat", "before")
    expect(codebook.locator("#cb-status")).to_contain_text("Moved Blame")
    assert names_in_tree(codebook) == ["Blame", "Threat", "Memory"]
    top = Code.objects.filter(parent=None).order_by("order").values_list("name", flat=True)
    assert list(top) == ["Blame", "Threat", "Memory"]


def test_editing_a_codes_definition_and_shortcut_saves_them(codebook, coded):
    codebook.get_by_role("button", name="Memory", exact=True).click()
    codebook.get_by_label("Definition").fill("Appeals to a remembered wrong.")
    codebook.get_by_label("Shortcut").fill("t")
    codebook.locator("#code-save").click()
    expect(codebook.locator("[data-field=shortcut]")).to_contain_text("taken by another code")
    codebook.get_by_label("Shortcut").fill("m")
    codebook.locator("#code-save").click()
    expect(codebook.locator("#cb-status")).to_contain_text("Saved Memory")
    memory = Code.objects.get(name="Memory")
    assert (memory.definition, memory.shortcut) == ("Appeals to a remembered wrong.", "m")


def test_adding_and_retiring_a_code(codebook, coded):
    codebook.locator("#add-code").click()
    codebook.get_by_label("Name", exact=True).fill("Denial")
    codebook.locator("#code-save").click()
    expect(codebook.locator("#cb-status")).to_contain_text("Saved Denial")
    codebook.locator("#code-retire").click()
    expect(codebook.locator("#cb-status")).to_contain_text("Retired Denial")
    assert Code.objects.get(name="Denial").retired
    expect(node(codebook, "Denial").locator(".badge")).to_have_text("retired")


def test_merging_from_the_page_moves_every_passage(codebook, coded):
    codebook.get_by_role("button", name="Threat", exact=True).click()
    codebook.locator("#code-merge").click()
    expect(codebook.locator("#merge-count")).to_have_text("3 passages")
    codebook.locator("#merge-into").select_option(label="Memory")
    codebook.locator("#merge-confirm").click()
    expect(codebook.locator("#cb-status")).to_contain_text("3 passages moved")
    assert set(Annotation.objects.values_list("code__name", flat=True)) == {"Memory"}
    assert Code.objects.get(name="Threat").retired


def test_splitting_from_the_page_moves_the_filtered_chosen_passages(codebook, coded):
    codebook.get_by_role("button", name="Threat", exact=True).click()
    codebook.locator("#code-split").click()
    expect(codebook.locator("#split-passages li")).to_have_count(3)
    codebook.locator("#split-filter").fill("opening bob")
    expect(codebook.locator("#split-passages li:visible")).to_have_count(1)
    codebook.locator("#split-all").click()
    expect(codebook.locator("#split-chosen")).to_have_text("1")
    codebook.locator("#split-new-name").fill("Threat, vague")
    codebook.locator("#split-confirm").click()
    expect(codebook.locator("#cb-status")).to_contain_text("Moved 1 passages of Threat")
    moved = Annotation.objects.get(code__name="Threat, vague")
    assert (moved.coder.username, moved.quote) == ("bob", "Opening line")
    assert Annotation.objects.filter(code__name="Threat").count() == 2


def test_publishing_versions_and_seeing_the_rename_between_them(page, live_server, log_in, coded):
    log_in(coded["lead"])
    versions = f"{live_server.url}/projects/{coded['project'].pk}/codebook/versions/"
    page.goto(versions)
    page.locator("#publish-note").fill("Pilot codebook")
    page.locator("#publish").click()
    expect(page.locator("#versions tbody tr")).to_have_count(1)
    page.goto(f"{live_server.url}/projects/{coded['project'].pk}/codebook/")
    page.get_by_role("button", name="Memory", exact=True).click()
    page.get_by_label("Name", exact=True).fill("Remembered wrong")
    page.locator("#code-save").click()
    expect(page.locator("#cb-status")).to_contain_text("Saved")
    page.goto(versions)
    expect(page.locator("#diff")).to_contain_text("Memory → Remembered wrong")
    page.locator("#publish").click()
    expect(page.locator("#versions tbody tr")).to_have_count(2)
    page.locator("#publish").click()
    expect(page.locator("[data-field=note]")).to_contain_text("Nothing changed since version 2")
    assert CodebookVersion.objects.count() == 2
    page.goto(versions + "?old=1&new=2")
    expect(page.locator("#diff-summary")).to_contain_text("1 change.")
