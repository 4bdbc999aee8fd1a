"""The whole loop on the demo project, in the browser as its lead and its coders, with a real
worker: a first round made on the rounds page and its run, the most disputed source reviewed and
adjudicated, the codebook revised and published as version 2, a second round made on the page
and coded by two coders in the coding page, its run, and the alpha-per-round chart showing both
rounds. On the way, a coder of this blind project sees the gold standard only once the lead
has released it."""

import time

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from agreement.models import AgreementRunStatus, CalibrationRound
from annotations.demo.loader import demo_load
from annotations.models import Adjudication, Annotation, Assignment, AssignmentStatus, Layer
from narratives.models import CodebookVersion
from tests.browser.helpers import drag_select, wait_saved

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]

ARABIC = "منشور: هجوم موسكو"
BLAME = "يلوم أوكرانيا والغرب"


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"demo-{username}-pass")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def make_round(page: Page, base: str, project, name: str, coders: list[str]) -> CalibrationRound:
    """Submit the rounds page's form, its sources already ticked, with exactly `coders`."""
    page.fill("#round-name", name)
    for label in page.locator("#round-coders label").all():
        label.locator("input").set_checked(label.inner_text().strip() in coders)
    page.click("#round-create")
    expect(page.locator(".messages")).to_contain_text(f"Round '{name}' made")
    made = CalibrationRound.objects.get(project=project, name=name)
    expect(page.locator(f"#rounds-list tr[data-round='{made.pk}']")).to_contain_text(
        ", ".join(coders)
    )
    return made


def start_run(page: Page, project, calibration) -> None:
    """Start a run on the agreement page with `calibration` chosen and wait until it is done."""
    before = project.agreement_runs.order_by("-pk").values_list("pk", flat=True).first() or 0
    expect(page.locator("#run-round")).to_have_value(str(calibration.pk))
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
    assert run.params["round"] == calibration.pk
    page.wait_for_url(f"**run={run.pk}")
    page.wait_for_selector(".agreement-results")
    page.reload()


def open_round_runs(page: Page, base: str, project, calibration) -> None:
    page.goto(f"{base}/projects/{project.pk}/rounds/")
    page.locator(f"#rounds-list tr[data-round='{calibration.pk}'] a.round-runs").click()
    page.wait_for_url(f"**/agreement/?round={calibration.pk}")


def code_in_the_browser(page: Page, base: str, username: str, source) -> None:
    """As `username`: open `source` from the work list, apply State-actor blame to a passage by
    its shortcut and mark the source done."""
    log_in(page, base, username)
    page.get_by_role("link", name=source.title, exact=True).click()
    page.wait_for_selector("#workspace[data-ready='1']", state="attached")
    start = source.text.index(BLAME)
    drag_select(page, start, start + len(BLAME))
    page.keyboard.press("s")
    wait_saved(page)
    page.click("#mark-done")
    expect(page.locator("#assignment-status")).to_have_text("Done")
    made = Annotation.objects.get(source=source, coder__username=username)
    assert (made.start, made.end, made.quote, made.code.shortcut) == (
        start,
        start + len(BLAME),
        BLAME,
        "s",
    )


def gold_panel(page: Page, base: str, source):
    page.goto(f"{base}/sources/{source.pk}/code/")
    page.wait_for_selector("#workspace[data-ready='1']", state="attached")
    return page.locator("#gold")


def test_two_rounds_coded_run_adjudicated_revised_and_compared_by_lead_and_coders(
    browser_page: Page, live_server, celery_worker_process
):
    page = browser_page
    project, _ = demo_load()
    base = live_server.url
    arabic = project.sources.get(title=ARABIC)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, base, "lead")

    page.goto(f"{base}/projects/{project.pk}/codebook/versions/")
    page.fill("#publish-note", "The codebook the pilot was coded with")
    page.click("#publish")
    expect(page.locator("#versions tbody tr")).to_have_count(1)

    page.goto(f"{base}/projects/{project.pk}/")
    page.get_by_role("link", name="Calibration rounds").click()
    page.wait_for_selector("#round-form[data-ready='1']")
    page.click("#select-shown")
    page.get_by_label(ARABIC, exact=True).uncheck()
    expect(page.locator("#source-count")).to_contain_text("4 selected")
    pilot = make_round(page, base, project, "Pilot", ["coder1", "coder2"])
    assert pilot.codebook_version == 1
    assert arabic not in pilot.sources.all() and pilot.sources.count() == 4
    open_round_runs(page, base, project, pilot)
    start_run(page, project, pilot)

    page.locator(".disputed a.review-link").first.click()
    page.wait_for_selector("#review[data-ready='1']", state="attached")
    expect(page.locator("#unit-position")).to_contain_text("1 of")
    page.keyboard.press("a")
    expect(page.locator("#review")).to_have_attribute("data-unsaved", "0")
    expect(page.locator("#save-status")).to_have_text("All changes saved")
    page.click("#mark-adjudicated")
    expect(page.locator("#review")).to_have_attribute("data-adjudicated", "1")
    gold = Annotation.objects.get(layer=Layer.GOLD)
    adjudicated = Adjudication.objects.get().source

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

    page.goto(f"{base}/projects/{project.pk}/rounds/")
    page.wait_for_selector("#round-form[data-ready='1']")
    page.fill("#source-filter", "موسكو")
    expect(page.locator("#source-count")).to_contain_text("1 of 5 shown")
    page.click("#select-shown")
    second = make_round(page, base, project, "Second round", ["coder1", "coder3"])
    assert second.codebook_version == 2
    assert list(second.sources.all()) == [arabic]
    assert Assignment.objects.filter(source=arabic, coder__username="coder3").exists()

    log_in(page, base, "coder1")
    expect(gold_panel(page, base, adjudicated)).to_have_count(0)
    for username in ("coder1", "coder3"):
        code_in_the_browser(page, base, username, arabic)
    done = Assignment.objects.filter(source=arabic, status=AssignmentStatus.DONE)
    assert sorted(done.values_list("coder__username", flat=True)) == ["coder1", "coder3"]

    log_in(page, base, "lead")
    page.goto(f"{base}/projects/{project.pk}/")
    page.click("#gold-release button")
    expect(page.locator(".messages")).to_contain_text("Coders now see the gold standard")
    open_round_runs(page, base, project, second)
    start_run(page, project, second)
    chart = page.locator("#rounds svg.alpha-chart")
    expect(chart).to_be_visible()
    labels = chart.locator("text.row-label").all_text_contents()
    assert any("Pilot" in label for label in labels), labels
    assert any("Second round" in label for label in labels), labels
    latest = project.agreement_runs.order_by("-pk").first()
    assert latest.results["coders"] == ["coder1", "coder3"]

    log_in(page, base, "coder1")
    panel = gold_panel(page, base, adjudicated)
    expect(panel).to_contain_text(gold.quote)
    expect(panel).to_contain_text(gold.code.name)
    assert errors == []
    assert get_user_model().objects.get(username="coder1").calibration_rounds.count() == 2
