"""The lead's export page in a real browser: from the project overview to a background export's
progress bar and download link."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_a_lead_previews_and_follows_a_background_export(
    page: Page, live_server, log_in, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_DIRECT_MAX_ANNOTATIONS = -1  # every export goes to the background
    log_in(world["lead"])
    page.goto(f"{live_server.url}/projects/{world['project'].pk}/")
    page.get_by_role("link", name="Export coded data").click()
    page.get_by_label("alice").check()
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#export-preview")).to_contain_text("0 annotations in 2 sources")
    page.locator("input[name=kind][value=qdc]").check()
    page.get_by_role("button", name="Export").click()
    expect(page.locator("#export-progress")).to_be_visible()
    download_link = page.locator("#export-download")
    expect(download_link).to_be_visible()
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.endswith(".qdc")
    expect(page.locator("table")).to_contain_text("coder: alice")
