"""Agreement figures in the `package` and `codebook` exports: the inter-coder columns come from
the latest finished run that is not a coder-vs-gold run, and the package's gold_agreement.csv
from the latest finished coder-vs-gold run, whichever was made last."""

import csv
import json

import pytest

from agreement.services.start import agreement_run_start
from annotations.models import Adjudication
from tests.interchange.conftest import ExportWorld, body, unzip

GOLD_COLUMNS = ["run_id", "coder", "code_id", "code", "measure", "value", "note"]


def run(world: ExportWorld, capture, *, gold: bool):
    with capture(execute=True):
        made = agreement_run_start(project=world.project, user=world.lead, bootstrap=0, gold=gold)
    made.refresh_from_db()
    assert made.status == "done", made.error
    return made


@pytest.fixture
def adjudicated(gold):
    for key in ("emoji", "arabic"):
        Adjudication.objects.create(source=gold.sources[key], by=gold.lead)
    return gold


def package(world: ExportWorld, tmp_path):
    from frictionless import validate

    unzip(body(world.get("package"))).extractall(tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldNumber", "type", "note"])
    with (tmp_path / "agreement.csv").open(newline="", encoding="utf-8") as file:
        agreement = list(csv.DictReader(file))
    with (tmp_path / "gold_agreement.csv").open(newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        assert reader.fieldnames == GOLD_COLUMNS
        gold_rows = list(reader)
    return agreement, gold_rows, (tmp_path / "README.md").read_text()


@pytest.mark.parametrize("gold_last", [True, False])
def test_each_table_takes_the_latest_run_of_its_own_kind(
    adjudicated, tmp_path, django_capture_on_commit_callbacks, gold_last
):
    order = [False, True] if gold_last else [True, False]
    runs = {kind: run(adjudicated, django_capture_on_commit_callbacks, gold=kind) for kind in order}
    agreement, gold_rows, readme = package(adjudicated, tmp_path)
    assert agreement and {row["run_id"] for row in agreement} == {str(runs[False].pk)}
    assert gold_rows and {row["run_id"] for row in gold_rows} == {str(runs[True].pk)}
    assert {row["coder"] for row in gold_rows} == {"coder_ann", "coder_bo"}
    assert f"coder-vs-gold run (run {runs[True].pk}" in readme
    html = body(adjudicated.get("codebook")).decode()
    assert f"agreement from run {runs[False].pk}," in html


def test_gold_rows_carry_the_runs_figures_per_coder_and_code_and_pooled(
    adjudicated, tmp_path, django_capture_on_commit_callbacks
):
    gold_run = run(adjudicated, django_capture_on_commit_callbacks, gold=True)
    _, gold_rows, _ = package(adjudicated, tmp_path)
    stored = gold_run.results["gold"]
    assert len(gold_rows) == len(stored) * 5
    by_key = {(row["coder"], row["code_id"], row["measure"]): row for row in gold_rows}
    for entry in stored:
        code = "" if entry["code"] is None else str(entry["code"])
        for measure in ("cohen_kappa", "percent_agreement", "span_f1_exact", "char_alpha"):
            row = by_key[(entry["coder"], code, measure)]
            figure = entry[measure]
            if figure["value"] is None:
                assert (row["value"], row["note"]) == ("", figure["note"])
            else:
                assert float(row["value"]) == pytest.approx(figure["value"], abs=1e-12)
        expected = "all codes" if code == "" else gold_run.results["per_code"][code]["name"]
        assert by_key[(entry["coder"], code, "char_alpha")]["code"] == expected


def test_a_project_without_a_gold_run_has_only_the_header_and_no_run_is_used_for_gold(
    adjudicated, tmp_path, django_capture_on_commit_callbacks
):
    plain = run(adjudicated, django_capture_on_commit_callbacks, gold=False)
    agreement, gold_rows, readme = package(adjudicated, tmp_path)
    assert {row["run_id"] for row in agreement} == {str(plain.pk)}
    assert gold_rows == []
    assert "no finished coder-vs-gold run yet" in readme


def test_a_gold_run_alone_gives_no_inter_coder_columns(
    adjudicated, tmp_path, django_capture_on_commit_callbacks
):
    run(adjudicated, django_capture_on_commit_callbacks, gold=True)
    agreement, gold_rows, _ = package(adjudicated, tmp_path)
    assert agreement == [] and gold_rows
    assert "no finished agreement run yet" in body(adjudicated.get("codebook")).decode()


def test_the_descriptor_describes_gold_agreement(adjudicated, tmp_path):
    package(adjudicated, tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    resource = next(r for r in descriptor["resources"] if r["name"] == "gold_agreement")
    assert resource["path"] == "gold_agreement.csv"
    assert [field["name"] for field in resource["schema"]["fields"]] == GOLD_COLUMNS
