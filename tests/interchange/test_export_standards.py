"""The standards files: REFI-QDA against its XSDs and the rules its XSD leaves to prose, W3C Web
Annotation against the must-level assertions, the data package against frictionless."""

import glob
import json
from pathlib import Path

from lxml import etree

from tests.interchange.conftest import body, expected_annotations, unzip

QDA = "{urn:QDA-XML:project:1.0}"


def test_qdpx_is_valid_and_exact(world, shared_dir, tmp_path):
    archive = unzip(body(world.get("qdpx")))
    schema = etree.XMLSchema(file=str(shared_dir / "standards/refi-qda/Project.xsd"))
    root = etree.fromstring(archive.read("project.qde"))
    schema.assertValid(root)
    guids = [element.get("guid") for element in root.iter() if element.get("guid")]
    assert len(guids) == len(set(guids))
    for attribute in ("targetGUID", "creatingUser", "modifyingUser"):
        for element in root.iter():
            if element.get(attribute):
                assert element.get(attribute) in guids, (attribute, element.tag)
    users = {user.get("guid"): user.get("id") for user in root.iter(f"{QDA}User")}
    codes = {code.get("guid"): code.get("name") for code in root.iter(f"{QDA}Code")}
    assert len(codes) == 4
    blame = next(code for code in root.iter(f"{QDA}Code") if code.get("name") == "Blame")
    assert blame.get("color") == "#e15759"
    assert "Inclusion: Named actor" in blame.findtext(f"{QDA}Description")
    found = set()
    names = set(archive.namelist())
    for source in root.iter(f"{QDA}TextSource"):
        path = source.get("plainTextPath")
        assert (path is None) != (source.find(f"{QDA}PlainTextContent") is None)
        name = "sources/" + path.removeprefix("internal://")
        assert name in names
        text = archive.read(name).decode("utf-8")
        source_id = next(s.pk for s in world.sources.values() if s.text == text)
        for selection in source.iter(f"{QDA}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert 0 <= start <= end <= len(text)
            assert selection.get("name") == text[start:end]
            code = codes[selection.find(f"{QDA}Coding/{QDA}CodeRef").get("targetGUID")]
            code_id = next(c.pk for c in world.codes.values() if c.name == code)
            found.add(
                (
                    source_id,
                    users[selection.get("creatingUser")],
                    code_id,
                    start,
                    end,
                    text[start:end],
                )
            )
        assert source.find(f"{QDA}VariableValue") is not None
    assert found == expected_annotations(world.project)


def test_qdpx_guids_are_stable_across_exports(world):
    first = etree.fromstring(unzip(body(world.get("qdpx"))).read("project.qde"))
    second = etree.fromstring(unzip(body(world.get("qdpx"))).read("project.qde"))
    assert [e.get("guid") for e in first.iter()] == [e.get("guid") for e in second.iter()]


def test_qdc_is_valid(world, shared_dir):
    schema = etree.XMLSchema(file=str(shared_dir / "standards/refi-qda/Codebook.xsd"))
    root = etree.fromstring(body(world.get("qdc")))
    schema.assertValid(root)
    assert len(list(root.iter("{urn:QDA-XML:codebook:1.0}Code"))) == 4


def _must_failures(shared: Path, annotation: dict) -> list[str]:
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    base = shared / "standards/web-annotation"
    registry = Registry().with_resources(
        (document["id"], Resource.from_contents(document, default_specification=DRAFT4))
        for document in (
            json.loads(Path(p).read_text()) for p in glob.glob(f"{base}/definitions/*.json")
        )
    )
    failures = []
    for assertion in json.loads((base / "annotations/annotationMusts.test").read_text())[
        "assertions"
    ]:
        schema = json.loads((base / assertion).read_text())
        valid = Draft4Validator(
            schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
        ).is_valid(annotation)
        if valid != (schema.get("expectedResult", "valid") == "valid"):
            failures.append(f"{assertion}: {schema.get('errorMessage')}")
    return failures


def test_w3c_items_pass_the_must_assertions_and_are_exact(world, shared_dir):
    collection = json.loads(body(world.get("w3c")))
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    items = collection["first"]["items"]
    assert collection["total"] == len(items)
    texts = {f"{s.title}": s.text for s in world.sources.values()}
    del texts
    found = set()
    by_urn = {}
    for item in items:
        assert not _must_failures(shared_dir, {"@context": collection["@context"], **item})
        assert item["id"].startswith("urn:uuid:") and item["motivation"] == "classifying"
        position, quote = item["target"]["selector"]
        assert len(quote["prefix"]) <= 32 and len(quote["suffix"]) <= 32
        by_urn.setdefault(item["target"]["source"]["id"], []).append((item, position, quote))
    for urn, entries in by_urn.items():
        for item, position, quote in entries:
            source = next(
                s
                for s in world.sources.values()
                if s.text[position["start"] : position["end"]] == quote["exact"]
                and s.text[: position["start"]].endswith(quote["prefix"])
                and s.text[position["end"] :].startswith(quote["suffix"])
            )
            code = next(
                c
                for c in world.codes.values()
                if str(c) == item["body"][0]["value"].replace(" > ", " / ")
            )
            found.add(
                (
                    source.pk,
                    item["creator"]["nickname"],
                    code.pk,
                    position["start"],
                    position["end"],
                    quote["exact"],
                )
            )
        del urn
    assert found == expected_annotations(world.project)


def test_package_passes_frictionless_validate(world, tmp_path):
    from frictionless import Package, validate

    unzip(body(world.get("package"))).extractall(tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldNumber", "type", "note"])
    package = Package(str(tmp_path / "datapackage.json"))
    notes = package.get_resource("annotations").read_rows()
    sources = {row["id"]: row["text"] for row in package.get_resource("sources").read_rows()}
    found = set()
    for row in notes:
        assert row["quote"] == sources[row["source_id"]][row["start"] : row["end"]]
        found.add(
            (row["source_id"], row["coder"], row["code_id"], row["start"], row["end"], row["quote"])
        )
    assert found == expected_annotations(world.project)
    readme = (tmp_path / "README.md").read_text()
    assert "code points" in readme and "snapshot" in readme


def test_package_and_codebook_carry_the_latest_agreement_run(
    world, tmp_path, django_capture_on_commit_callbacks
):
    from frictionless import validate

    from agreement.services.start import agreement_run_start

    with django_capture_on_commit_callbacks(execute=True):
        run = agreement_run_start(project=world.project, user=world.lead, bootstrap=20)
    run.refresh_from_db()
    assert run.status == "done", run.error
    unzip(body(world.get("package"))).extractall(tmp_path)
    assert validate(str(tmp_path / "datapackage.json")).valid
    rows = (tmp_path / "agreement.csv").read_text().splitlines()
    assert rows[0] == "run_id,code_id,code,measure,value,ci_low,ci_high,note"
    assert len(rows) > 1 and all(row.startswith(f"{run.pk},") for row in rows[1:])
    html = body(world.get("codebook")).decode()
    assert f"agreement from run {run.pk}" in html and "unitized_alpha" in html
