import json
import re

import pytest

from agreement.services.start import agreement_run_start


def page_url(project):
    return f"/projects/{project.pk}/agreement/"


@pytest.mark.parametrize(
    ("who", "status"), [("admin", 200), ("lead", 200), ("coder", 403), ("stranger", 404)]
)
def test_only_leads_and_admins_open_the_agreement_page(client, demo, users, who, status):
    client.force_login(users[who])
    assert client.get(page_url(demo)).status_code == status


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, demo):
    response = client.get(page_url(demo))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("who", "status"), [("admin", 200), ("lead", 200), ("coder", 403), ("stranger", 404)]
)
def test_only_leads_and_admins_fetch_the_results_fragment(client, finished_run, users, who, status):
    client.force_login(users[who])
    url = f"/projects/{finished_run.project_id}/agreement/runs/{finished_run.pk}/results/"
    assert client.get(url).status_code == status


def test_the_results_fragment_of_an_unfinished_run_is_a_409(client, demo, users):
    run = agreement_run_start(project=demo, user=users["lead"])
    client.force_login(users["lead"])
    url = f"/projects/{demo.pk}/agreement/runs/{run.pk}/results/"
    assert client.get(url).status_code == 409


def test_the_page_offers_every_choice_and_passes_its_urls_without_inline_script(
    client, demo, users
):
    client.force_login(users["lead"])
    html = client.get(page_url(demo)).content.decode()
    assert 'name="sources"' in html and "coder1" in html and "Historical memory" in html
    config = json.loads(
        re.search(r'<script id="agreement-config" type="application/json">(.*?)</script>', html)[1]
    )
    assert config["start"] == f"/api/projects/{demo.pk}/agreement-runs/"
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert inline == []


def test_the_page_shows_the_latest_run_with_table_figures_and_history(client, finished_run, users):
    client.force_login(users["lead"])
    html = client.get(page_url(finished_run.project)).content.decode()
    assert "Results of run" in html and html.count("<svg") == 2
    assert 'class="grid agreement-table"' in html and "band-" in html
    assert f'href="?run={finished_run.pk}"' in html
    assert f"/api/agreement-runs/{finished_run.pk}/report.csv" in html
    first = finished_run.results["most_disagreement"][0]["source"]
    assert f'href="/sources/{first}/code/?coders=all"' in html


def test_a_failed_run_shows_its_error(client, demo, users):
    run = agreement_run_start(project=demo, user=users["lead"])
    run.status, run.error = "failed", "ValueError: <broken>"
    run.save()
    client.force_login(users["lead"])
    html = client.get(page_url(demo) + f"?run={run.pk}").content.decode()
    assert "ValueError: &lt;broken&gt;" in html
