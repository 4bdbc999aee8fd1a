"""The whole loop on the demo project, in the browser as its lead: a run scoped to a first
round, the most disputed source reviewed and adjudicated, the codebook revised and published as
version 2, a second round, and the alpha-per-round chart showing both rounds."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from agreement.models import AgreementRunStatus
from agreement.services.rounds import calibration_round_create
from annotations.demo.loader import demo_load
from annotations.models import Adjudication, Annotation, Layer
from narratives.models import CodebookVersion

pytestmark = pytest.mark.browser


def run_round(page: Page, base: str, project, calibration) -> None:
    page.goto(f"{base}/projects/{project.pk}/agreement/")
    page.select_option("#run-round", value=str(calibration.pk))
    page.fill("#run-bootstrap", "50")
    page.click("#run-start")
    # The page shows the new run's results once it is done, and its address names it.
    page.wait_for_url(lambda url: f"run={latest_run_id(project)}" in url)
    page.wait_for_selector(".agreement-results")
    page.reload()


def latest_run_id(project) -> int | None:
    run = project.agreement_runs.filter(status=AgreementRunStatus.DONE).order_by("-pk").first()
    return None if run is None else run.pk


def test_run_review_adjudicate_revise_publish_and_compare_rounds(
    page: Page, live_server, log_in, transactional_db
):
    project, _ = demo_load()
    base = live_server.url
    lead = get_user_model().objects.get(username="lead")
    coders = list(get_user_model().objects.filter(username__startswith="coder"))
    sources = list(project.sources.all())
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(lead)

    page.goto(f"{base}/projects/{project.pk}/codebook/versions/")
    page.fill("#publish-note", "The codebook the pilot was coded with")
    page.click("#publish")
    expect(page.locator("#versions tbody tr")).to_have_count(1)
    pilot = calibration_round_create(
        project=project, name="Pilot", sources=sources, coders=coders, by=lead
    )
    run_round(page, base, project, pilot)

    page.locator(".disputed a.review-link").first.click()
    page.wait_for_selector("#review[data-ready='1']", state="attached")
    expect(page.locator("#unit-position")).to_contain_text("1 of")
    page.keyboard.press("a")
    expect(page.locator("#review")).to_have_attribute("data-unsaved", "0")
    expect(page.locator("#save-status")).to_have_text("All changes saved")
    page.click("#mark-adjudicated")
    expect(page.locator("#review")).to_have_attribute("data-adjudicated", "1")
    assert Annotation.objects.filter(layer=Layer.GOLD).count() == 1
    assert Adjudication.objects.count() == 1

    page.goto(f"{base}/projects/{project.pk}/codebook/")
    page.locator(".cb-name").first.click()
    page.get_by_label("Definition").fill("Sharpened after the pilot's disagreements.")
    page.click("#code-save")
    expect(page.locator("#cb-status")).to_contain_text("Saved")
    page.goto(f"{base}/projects/{project.pk}/codebook/versions/")
    expect(page.locator("#diff")).to_contain_text("definition")
    page.fill("#publish-note", "Version 2: sharper definitions")
    page.click("#publish")
    expect(page.locator("#versions tbody tr")).to_have_count(2)
    assert CodebookVersion.objects.get(number=2).note == "Version 2: sharper definitions"

    second = calibration_round_create(
        project=project, name="Second round", sources=sources, coders=coders, by=lead
    )
    assert second.codebook_version == 2
    run_round(page, base, project, second)
    chart = page.locator("#rounds svg.alpha-chart")
    expect(chart).to_be_visible()
    labels = chart.locator("text.row-label").all_text_contents()
    assert any("Pilot" in label for label in labels)
    assert any("Second round" in label for label in labels), labels
    assert errors == []
