from pathlib import Path

import pytest
from playwright.sync_api import expect

from agreement.models import AgreementRun, AgreementRunStatus
from annotations.demo.loader import demo_load

ARTIFACTS = Path(__file__).resolve().parents[2] / "var"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


def log_in(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"demo-{username}-pass")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_a_lead_runs_agreement_in_the_browser_and_downloads_both_reports(
    live_server, browser_page, celery_worker_process
):
    project, _ = demo_load()
    page = browser_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server.url, "lead")
    page.goto(f"{live_server.url}/projects/{project.pk}/agreement/")
    page.fill("#run-bootstrap", "300")
    page.click("#run-start")

    page.wait_for_selector("#agreement-progress:not([hidden])")
    page.wait_for_selector(".agreement-results")
    assert page.eval_on_selector("#progress-bar", "bar => bar.value") == 1
    assert "done" in page.inner_text("#progress-text")
    run = AgreementRun.objects.get()
    assert run.status == AgreementRunStatus.DONE
    assert page.url.endswith(f"?run={run.pk}")

    rows = page.locator(".agreement-table tbody tr")
    assert rows.count() == len(run.results["per_code"]) + 1
    assert page.locator(".agreement-table td.band-firm, .agreement-table td.band-low").count()
    assert page.locator("svg.alpha-chart g.mark circle").count() >= 2
    assert page.locator("svg.alpha-chart line.reference").count() == 2
    assert page.locator("svg.kappa-heatmap rect").count() == 4
    heat = page.locator("svg.kappa-heatmap text").all_text_contents()
    kappa = next(
        pair["cohen_kappa"]["value"] for pair in run.results["pairs"] if pair["code"] is None
    )
    assert f"{kappa:.3f}" in heat
    first = run.results["most_disagreement"][0]["source"]
    link = page.locator(".disputed a").first.get_attribute("href")
    assert link == f"/sources/{first}/code/?coders=all"

    with page.expect_download() as csv_download:
        page.click("#download-csv")
    csv_text = Path(csv_download.value.path()).read_text(encoding="utf-8")
    assert csv_text.startswith("scope,code_id,code,coder_a,coder_b,measure,value")
    with page.expect_download() as html_download:
        page.click("#download-html")
    report = Path(html_download.value.path()).read_text(encoding="utf-8")
    assert report.count("<svg") == 2 and "Definitions used" in report

    page.screenshot(path=str(ARTIFACTS / "agreement-page.png"), full_page=True)
    expect(page.locator("#run-history tbody tr")).to_have_count(1)
    page.reload()
    assert page.locator("#run-history tbody tr").count() == 1
    assert page.locator(".agreement-results").count() == 1
    assert errors == []


def test_the_page_shows_field_errors_from_the_api(live_server, browser_page, celery_worker_process):
    project, _ = demo_load()
    page = browser_page
    log_in(page, live_server.url, "lead")
    page.goto(f"{live_server.url}/projects/{project.pk}/agreement/")
    page.check("input[name=coders] >> nth=0")
    page.click("#run-start")
    page.wait_for_selector(".error[data-field=coders]:has-text('at least 2')")
    assert not AgreementRun.objects.exists()
