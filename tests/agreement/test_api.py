import csv
import io

import pytest
from rest_framework.test import APIClient

from agreement.models import AgreementRun
from agreement.services.start import agreement_run_start
from narratives.models import Code
from sources.models import Source
from tests.agreement.naive import nominal_alpha, presence_matrices


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def start_url(project):
    return f"/api/projects/{project.pk}/agreement-runs/"


def test_a_lead_starts_a_run_polls_it_and_reads_results_in_the_issues_shape(
    demo, users, django_capture_on_commit_callbacks
):
    client = client_for(users["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(start_url(demo), {"bootstrap": 200}, format="json")
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["url"].endswith(f"/api/agreement-runs/{body['id']}/")
    assert response["Location"] == body["url"]
    polled = client.get(body["url"]).json()
    assert polled["status"] == "done"
    assert {"id", "status", "progress", "error", "params", "results"} <= set(polled)
    assert polled["progress"] == 1.0 and polled["error"] == ""
    results = polled["results"]
    assert {
        "coders",
        "sources",
        "excluded_sources",
        "overall",
        "per_code",
        "pairs",
    } <= set(results)
    assert results["coders"] == ["coder1", "coder2"]
    code = Code.objects.get(codebook__project=demo, name="Threat amplification")
    doc, char = presence_matrices(results["sources"], polled["params"]["coders"], code.pk)
    figures = results["per_code"][str(code.pk)]
    assert figures["name"] == "Threat amplification"
    assert figures["char_alpha"]["value"] == pytest.approx(nominal_alpha(char), abs=1e-12)
    low, high = figures["char_alpha"]["ci"]
    assert low <= high
    assert set(figures["char_alpha"]["p_below"]) == {"0.667", "0.8"}
    assert figures["doc_alpha"]["value"] is None or figures["doc_alpha"]["value"] == (
        pytest.approx(nominal_alpha(doc), abs=1e-12)
    )


def test_a_run_with_chosen_sources_coders_codes_and_level_keeps_them(
    demo, users, django_user_model
):
    sources = sorted(Source.objects.filter(project=demo).values_list("pk", flat=True))[:3]
    coders = sorted(
        users["coder"]
        .__class__.objects.filter(username__in=["coder1", "coder2"])
        .values_list("pk", flat=True)
    )
    codes = sorted(Code.objects.filter(codebook__project=demo).values_list("pk", flat=True))[:2]
    payload = {"sources": sources, "coders": coders, "codes": codes, "level": "top", "bootstrap": 0}
    response = client_for(users["lead"]).post(start_url(demo), payload, format="json")
    assert response.status_code == 202
    params = AgreementRun.objects.get(pk=response.json()["id"]).params
    assert {key: params[key] for key in payload} == payload


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"sources": [999_999]}, "sources"),
        ({"sources": ["x"]}, "sources"),
        ({"coders": [1]}, "coders"),
        ({"codes": [999_999]}, "codes"),
        ({"level": "middle"}, "level"),
        ({"bootstrap": -1}, "bootstrap"),
        ({"bootstrap": "many"}, "bootstrap"),
    ],
)
def test_bad_input_gets_a_400_naming_the_field_and_starts_nothing(demo, users, payload, field):
    response = client_for(users["lead"]).post(start_url(demo), payload, format="json")
    assert response.status_code == 400
    assert field in str(response.json())
    assert not AgreementRun.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 202), ("lead", 202), ("coder", 403), ("stranger", 404), (None, 401)],
)
def test_only_leads_and_admins_may_start_a_run(demo, users, who, status):
    user = users[who] if who else None
    response = client_for(user).post(start_url(demo), {"bootstrap": 0}, format="json")
    assert response.status_code == status or (user is None and response.status_code == 403)
    assert AgreementRun.objects.exists() == (status == 202)


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("lead", 200), ("coder", 403), ("stranger", 404), (None, 401)],
)
@pytest.mark.parametrize("suffix", ["", "report.csv", "report.html"])
def test_only_leads_and_admins_may_read_a_run_and_its_reports(
    finished_run, users, who, status, suffix
):
    user = users[who] if who else None
    response = client_for(user).get(f"/api/agreement-runs/{finished_run.pk}/{suffix}")
    assert response.status_code == status or (user is None and response.status_code == 403)


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("lead", 200), ("coder", 403), ("stranger", 404), (None, 401)],
)
def test_only_leads_and_admins_may_list_a_projects_runs(finished_run, users, who, status):
    user = users[who] if who else None
    response = client_for(user).get(start_url(finished_run.project))
    assert response.status_code == status or (user is None and response.status_code == 403)


def test_coders_of_an_open_project_still_cannot_see_agreement_results(finished_run, users):
    project = finished_run.project
    project.blind = False
    project.save()
    response = client_for(users["coder"]).get(f"/api/agreement-runs/{finished_run.pk}/")
    assert response.status_code == 403


def test_a_run_that_does_not_exist_is_a_404(users):
    assert client_for(users["admin"]).get("/api/agreement-runs/424242/").status_code == 404


def test_the_history_lists_runs_newest_first_with_params_and_codebook_but_no_results(
    finished_run, users
):
    newer = agreement_run_start(project=finished_run.project, user=users["admin"], bootstrap=0)
    body = client_for(users["lead"]).get(start_url(finished_run.project)).json()
    assert body["count"] == 2
    assert [run["id"] for run in body["results"]] == [newer.pk, finished_run.pk]
    listed = body["results"][1]
    assert "results" not in listed
    assert listed["params"] == finished_run.params
    assert listed["codebook_snapshot"] == finished_run.codebook_snapshot
    assert listed["created_by"] == "lead"


def test_reports_of_an_unfinished_run_are_a_409_with_its_status(demo, users):
    run = agreement_run_start(project=demo, user=users["lead"])
    response = client_for(users["lead"]).get(f"/api/agreement-runs/{run.pk}/report.csv")
    assert response.status_code == 409
    assert response.json()["current"] == {"id": run.pk, "status": "queued", "progress": 0.0}


def test_a_client_may_ask_for_the_reports_by_their_media_type(finished_run, users):
    client = client_for(users["lead"])
    url = f"/api/agreement-runs/{finished_run.pk}/report"
    assert client.get(f"{url}.csv", HTTP_ACCEPT="text/csv").status_code == 200
    assert client.get(f"{url}.html", HTTP_ACCEPT="text/html").status_code == 200


def test_a_bad_id_in_a_list_is_named_by_its_position(demo, users):
    payload = {"codes": [1, "x"]}
    response = client_for(users["lead"]).post(start_url(demo), payload, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"codes": ["item 1: A valid integer is required."]}


def test_an_unknown_field_in_a_start_request_is_refused(demo, users):
    payload = {"bootstrap": 0, "sorces": [1]}
    response = client_for(users["lead"]).post(start_url(demo), payload, format="json")
    assert response.status_code == 400
    assert "sorces" in response.json()["fields"]


def test_the_csv_report_has_one_line_per_figure_with_its_interval_and_definitions(
    finished_run, users
):
    response = client_for(users["lead"]).get(f"/api/agreement-runs/{finished_run.pk}/report.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    results = finished_run.results
    overall = next(r for r in rows if r["scope"] == "overall" and r["measure"] == "char_alpha")
    assert float(overall["value"]) == results["overall"]["char_alpha"]["value"]
    assert float(overall["ci_low"]) == results["overall"]["char_alpha"]["ci"][0]
    code_id, entry = next(iter(results["per_code"].items()))
    line = next(
        r
        for r in rows
        if r["scope"] == "code" and r["code_id"] == code_id and r["measure"] == "doc_alpha"
    )
    assert line["code"] == entry["name"]
    assert {r["measure"] for r in rows if r["scope"] == "definition"} >= {
        "doc_alpha",
        "char_alpha",
        "unitized_alpha",
        "cohen_kappa",
    }
    assert any(r["scope"] == "pair" and r["coder_a"] == "coder1" for r in rows)
    seed = next(r for r in rows if r["scope"] == "run" and r["measure"] == "bootstrap_seed")
    assert int(seed["value"]) == finished_run.params["seed"]


def test_a_code_name_that_looks_like_a_formula_is_defused_in_the_csv(finished_run, users):
    code_id = next(iter(finished_run.results["per_code"]))
    finished_run.results["per_code"][code_id]["name"] = '=HYPERLINK("x")'
    finished_run.save()
    response = client_for(users["lead"]).get(f"/api/agreement-runs/{finished_run.pk}/report.csv")
    assert "'=HYPERLINK" in response.content.decode()


def test_the_html_report_stands_alone_with_figures_definitions_and_references(finished_run, users):
    response = client_for(users["lead"]).get(f"/api/agreement-runs/{finished_run.pk}/report.html")
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "<script" not in html and "<link" not in html
    assert html.count("<svg") == 2 and "<style>" in html
    assert "Krippendorff, K. (2011)" in html and "docs/agreement.md" in html
    assert "State-actor blame" in html and "coder1" in html


def test_code_names_are_escaped_in_the_html_report(finished_run, users):
    code_id = next(iter(finished_run.results["per_code"]))
    finished_run.results["per_code"][code_id]["name"] = "<img src=x onerror=alert(1)>"
    finished_run.save()
    html = (
        client_for(users["lead"])
        .get(f"/api/agreement-runs/{finished_run.pk}/report.html")
        .content.decode()
    )
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_the_schema_documents_the_agreement_endpoints_and_the_results_shape(users):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert "post" in paths["/api/projects/{project_id}/agreement-runs/"]
    assert "get" in paths["/api/agreement-runs/{run_id}/"]
    assert "/api/agreement-runs/{run_id}/report.csv" in paths
    components = schema["components"]["schemas"]
    assert set(components["ResultsOutput"]["properties"]) >= {
        "coders",
        "sources",
        "excluded_sources",
        "overall",
        "per_code",
        "pairs",
    }
    assert set(components["MeasureOutput"]["properties"]) == {"value", "ci", "p_below", "note"}
    body = paths["/api/projects/{project_id}/agreement-runs/"]["post"]["requestBody"]
    request = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(components[request]["properties"]) == {
        "sources",
        "coders",
        "codes",
        "level",
        "bootstrap",
        "gold",
        "round",
    }


def test_every_text_cell_of_the_csv_is_defused_the_run_parameters_included(
    finished_run, users, demo
):
    formula = '=HYPERLINK("http://example.org/x","click")'
    demo.name = formula
    demo.save()
    results = finished_run.results
    results["coders"] = ["-" + name for name in results["coders"]]
    for entry in results["definitions"]:
        results["definitions"][entry] = "+" + results["definitions"][entry]
    finished_run.save()
    response = client_for(users["lead"]).get(f"/api/agreement-runs/{finished_run.pk}/report.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    project = next(row for row in rows if row[0] == "run" and row[5] == "project")
    assert project[6] == "'" + formula
    coders = next(row for row in rows if row[0] == "run" and row[5] == "coders")
    assert coders[6].startswith("'-")
    assert all(row[12].startswith("'+") for row in rows if row[0] == "definition")
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@")]
    values = [row[6] for row in rows[1:] if row[0] not in ("run", "definition") and row[6]]
    assert all(float(value) == float(value) for value in values)
