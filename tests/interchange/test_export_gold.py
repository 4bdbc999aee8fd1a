"""Gold passages in exports: the coders' layer by default, `layer=gold` or `all` on request,
told apart by a `layer` column with the adjudicator beside it; the codebook at a published
version."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from lxml import etree

from annotations.models import Annotation, Layer
from interchange.models import ExportJob
from narratives.services import code_rename, codebook_version_publish
from tests.interchange.conftest import body, unzip
from tests.interchange.test_export_kinds import assert_copy_gives_the_python_paths_bytes, csv_rows
from tests.interchange.test_export_standards import _must_failures


def _ids(layer: str) -> set[str]:
    notes = Annotation.objects.all() if layer == "all" else Annotation.objects.filter(layer=layer)
    return {str(pk) for pk in notes.values_list("pk", flat=True)}


def _layer_params(layer: str | None) -> dict[str, str]:
    return {} if layer is None else {"layer": layer}


@pytest.mark.parametrize("layer", [None, "coder", "gold", "all"])
def test_csv_holds_the_chosen_layer_with_the_adjudicator(gold, layer):
    rows = csv_rows(body(gold.get("csv", exact="1", **_layer_params(layer))))
    assert {row["annotation_id"] for row in rows} == _ids(layer or "coder")
    texts = {source.pk: source.text for source in gold.sources.values()}
    for row in rows:
        assert row["quote"] == texts[int(row["source_id"])][int(row["start"]) : int(row["end"])]
        if row["layer"] == "gold":
            assert row["coder"] == "lead_lena"
            assert row["adjudicated_by"] in {"lead_lena", "lead_max"}
            assert row["adjudicated_at"] == "2024-04-02T09:30:00.000000Z"
        else:
            assert row["layer"] == "coder"
            assert row["adjudicated_by"] == row["adjudicated_at"] == ""


@pytest.mark.parametrize("layer", ["coder", "gold", "all"])
def test_csv_copy_gives_the_python_paths_bytes_for_every_layer(gold, layer):
    assert_copy_gives_the_python_paths_bytes(gold.project, {"layer": [layer]})


@pytest.mark.parametrize("layer", [None, "gold", "all"])
def test_jsonl_annotations_carry_their_layer(gold, layer):
    lines = [
        json.loads(line) for line in body(gold.get("jsonl", **_layer_params(layer))).splitlines()
    ]
    notes = [(line, note) for line in lines for note in line["annotations"]]
    assert {note["id"] for _, note in notes} == _ids(layer or "coder")
    for line, note in notes:
        assert note["quote"] == line["text"][note["start"] : note["end"]]
        assert note["layer"] in ("coder", "gold")
        assert (note["adjudicated_by"] is None) == (note["layer"] == "coder")
    derived = [note for _, note in notes if note["derived_from"]]
    assert len(derived) == (0 if layer is None else 1)


@pytest.mark.parametrize("layer", [None, "gold", "all"])
def test_xlsx_has_the_layer_and_adjudicator_columns(gold, layer):
    book = openpyxl.load_workbook(io.BytesIO(body(gold.get("xlsx", **_layer_params(layer)))))
    sheet = book["annotations"]
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)]
    assert {row["annotation_id"] for row in rows} == _ids(layer or "coder")
    for row in rows:
        assert row["layer"] in ("coder", "gold")
        assert (row["adjudicated_by"] is None) == (row["layer"] == "coder")
    readme = {row[0]: row[1] for row in book["README"].iter_rows(2, values_only=True)}
    assert f"layer={layer or 'coder'}" in readme["filters"]


def test_package_with_both_layers_passes_frictionless_validate(gold, tmp_path):
    from frictionless import Package, validate

    unzip(body(gold.get("package", layer="all"))).extractall(tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldNumber", "type", "note"])
    package = Package(str(tmp_path / "datapackage.json"))
    schema = package.get_resource("annotations").schema
    assert {"layer", "adjudicated_by", "adjudicated_at"} <= set(schema.field_names)
    rows = package.get_resource("annotations").read_rows()
    assert {row["id"] for row in rows} == _ids("all")
    gold_rows = [row for row in rows if row["layer"] == "gold"]
    assert {row["adjudicated_by"] for row in gold_rows} == {"lead_lena", "lead_max"}
    assert all(row["adjudicated_by"] is None for row in rows if row["layer"] == "coder")
    assert "layer = all" in (tmp_path / "README.md").read_text()


def test_package_by_default_leaves_gold_out(gold, tmp_path):
    unzip(body(gold.get("package"))).extractall(tmp_path)
    with (tmp_path / "annotations.csv").open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert {row["id"] for row in rows} == _ids("coder")
    assert {row["layer"] for row in rows} == {"coder"}


def test_w3c_gold_items_are_the_adjudicators_and_pass_the_must_assertions(gold, shared_dir):
    collection = json.loads(body(gold.get("w3c", layer="gold")))
    items = collection["first"]["items"]
    assert {item["id"].removeprefix("urn:uuid:") for item in items} == _ids("gold")
    for item in items:
        assert not _must_failures(shared_dir, {"@context": collection["@context"], **item})
        assert item["motivation"] == "classifying"
        assert item["body"][0]["purpose"] == "classifying"
    assert {item["creator"]["nickname"] for item in items} == {"lead_lena", "lead_max"}
    default = json.loads(body(gold.get("w3c")))["first"]["items"]
    assert {item["id"].removeprefix("urn:uuid:") for item in default} == _ids("coder")


def test_qdpx_gold_codings_are_the_adjudicators(gold):
    archive = unzip(body(gold.get("qdpx", layer="all")))
    root = etree.fromstring(archive.read("project.qde"))
    ns = {"q": root.nsmap[None]}
    users = {user.get("id"): user.get("guid") for user in root.iterfind(".//q:User", ns)}
    judged = Annotation.objects.get(adjudicated_by__username="lead_max")
    selection = root.find(f".//q:PlainTextSelection[@guid='{judged.pk}']", ns)
    assert selection is not None
    assert selection.get("creatingUser") == users["lead_lena"]
    assert selection.find("q:Coding", ns).get("creatingUser") == users["lead_max"]
    assert len(root.findall(".//q:PlainTextSelection", ns)) == len(_ids("all"))


@pytest.mark.parametrize("value", [["golden"], ["gold", "all"], [""]])
def test_a_bad_layer_is_refused(gold, value):
    response = gold.client().get(f"/api/projects/{gold.project.pk}/export/csv/", {"layer": value})
    assert response.status_code == 400
    assert "layer" in json.dumps(response.json())
    assert not ExportJob.objects.exists()


def test_background_export_keeps_the_layer(gold, django_capture_on_commit_callbacks):
    client = gold.client()
    url = f"/api/projects/{gold.project.pk}/exports/"
    refused = client.post(url, {"kind": "csv", "filters": {"layer": ["both"]}}, format="json")
    assert refused.status_code == 400 and not ExportJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url, {"kind": "csv", "filters": {"layer": ["gold"]}}, format="json")
    assert started.status_code == 202
    job = ExportJob.objects.get()
    assert job.filters == {"layer": ["gold"]} and job.status == "done"
    download = client.get(f"/api/exports/{job.pk}/download/")
    rows = csv_rows(b"".join(download.streaming_content))
    assert {row["annotation_id"] for row in rows} == _ids("gold")


def test_command_takes_the_layer(gold, tmp_path):
    output = tmp_path / "gold.jsonl"
    call_command(
        "export_project", str(gold.project.pk), "--kind", "jsonl", "--output", str(output),
        "--layer", "gold", stdout=io.StringIO(),
    )  # fmt: skip
    notes = [
        note for line in output.read_text().splitlines() for note in json.loads(line)["annotations"]
    ]
    assert {note["id"] for note in notes} == _ids("gold")


def test_page_counts_the_chosen_layer(gold, client):
    client.force_login(gold.lead)
    page = client.get(f"/projects/{gold.project.pk}/export/", {"kind": "csv", "layer": "gold"})
    assert page.status_code == 200
    assert page.context["preview"]["annotations"] == len(_ids("gold"))
    default = client.get(f"/projects/{gold.project.pk}/export/", {"kind": "csv"})
    assert default.context["preview"]["annotations"] == len(_ids("coder"))
    bad = client.get(f"/projects/{gold.project.pk}/export/", {"kind": "csv", "layer": "x"})
    assert bad.context["errors"]["layer"]


def test_codebook_export_renders_a_published_version(world):
    codebook_version_publish(project=world.project, note="first", by=world.lead)
    code_rename(code=world.codes["blame"], name="Attribution", by=world.lead)
    current = body(world.get("codebook")).decode()
    first = body(world.get("codebook", version="1")).decode()
    assert "Attribution" in current and "Blame" not in current
    assert "Blame &gt; Ukraine" in first and "Attribution" not in first
    assert "Version 1" in first
    for params in ({"version": "2"}, {"version": "one"}, {"version": "0"}):
        response = world.get("codebook", **params)
        assert response.status_code == 400
        assert "version" in json.dumps(response.json())
    assert world.get("csv", version="1").status_code == 400


def test_wide_gives_the_gold_standard_its_own_rows(gold):
    default = csv_rows(body(gold.get("wide", exact="1")))
    assert {row["layer"] for row in default} == {"coder"}
    both = csv_rows(body(gold.get("wide", exact="1", layer="all")))
    gold_rows = [row for row in both if row["layer"] == "gold"]
    assert len(both) == len(default) + len(gold_rows)
    arabic = str(gold.sources["arabic"].pk)
    row = next(row for row in gold_rows if row["source_id"] == arabic)
    claims = Annotation.objects.filter(
        layer=Layer.GOLD, source=gold.sources["arabic"], code=gold.codes["claim"]
    ).count()
    assert row["coder"] == "lead_lena" and row["count: =Claim"] == str(claims) != "0"
    only = csv_rows(body(gold.get("wide", exact="1", layer="gold")))
    assert only == gold_rows


def test_a_coder_filter_keeps_the_adjudicators_of_the_passages_in_scope(gold, tmp_path):
    from frictionless import validate

    collection = json.loads(body(gold.get("w3c", layer="gold", coder="lead_lena")))
    creators = {item["creator"]["nickname"] for item in collection["first"]["items"]}
    assert creators == {"lead_lena", "lead_max"}
    unzip(body(gold.get("package", layer="gold", coder="lead_lena"))).extractall(tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldNumber", "type", "note"])
    assert "lead_max" in (tmp_path / "coders.csv").read_text()
