"""The whole loop on the demo project, in the browser as its lead, with a real worker: a run
scoped to a first round, the most disputed source reviewed and adjudicated, the codebook revised
and published as version 2, a second round, and the alpha-per-round chart showing both rounds."""

import time

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from agreement.models import AgreementRunStatus
from agreement.services.rounds import calibration_round_create
from annotations.demo.loader import demo_load
from annotations.models import Adjudication, Annotation, Layer
from narratives.models import CodebookVersion

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"demo-{username}-pass")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def run_round(page: Page, base: str, project, calibration) -> None:
    page.goto(f"{base}/projects/{project.pk}/agreement/")
    before = project.agreement_runs.order_by("-pk").values_list("pk", flat=True).first() or 0
    page.select_option("#run-round", value=str(calibration.pk))
    page.fill("#run-bootstrap", "50")
    page.click("#run-start")
    deadline = time.monotonic() + 120
    while True:
        run = project.agreement_runs.filter(pk__gt=before).first()
        if run is not None and run.status == AgreementRunStatus.DONE:
            break
        assert time.monotonic() < deadline, "the run did not finish"
        assert run is None or run.status != AgreementRunStatus.FAILED, run.error
        time.sleep(0.5)
    page.wait_for_url(f"**run={run.pk}")
    page.wait_for_selector(".agreement-results")
    page.reload()


def test_run_review_adjudicate_revise_publish_and_compare_rounds(
    browser_page: Page, live_server, celery_worker_process
):
    page = browser_page
    project, _ = demo_load()
    base = live_server.url
    lead = get_user_model().objects.get(username="lead")
    coders = list(get_user_model().objects.filter(username__startswith="coder"))
    sources = list(project.sources.all())
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, base, "lead")

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
