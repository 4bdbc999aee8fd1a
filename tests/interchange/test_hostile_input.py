"""Hostile and malformed input: a clear error, nothing written."""

import io
import zipfile

import pytest
from django.contrib.auth.models import User

from narratives.models import Code
from sources.models import Source
from tests.interchange.files import zip_bytes

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE Project [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;">
<Users><User guid="1" name="&lol9;"/></Users></Project>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="x">
<Users><User guid="1" name="&secret;"/></Users></Project>"""


def nothing_written() -> bool:
    return not (
        Source.objects.exists()
        or Code.objects.exists()
        or User.objects.filter(is_active=False).exists()
    )


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_xml_entities_are_refused(project, load, payload):
    report = load("project.qde", payload)
    assert report.status == "failed"
    assert "declares XML entities or external references" in report.error
    assert nothing_written()


def test_xml_entities_inside_a_qdpx_are_refused_too(project, load):
    report = load("study.qdpx", zip_bytes({"project.qde": XXE}))
    assert report.status == "failed" and "refused for safety" in report.error
    assert nothing_written()


@pytest.mark.parametrize(
    "entry", ["../evil.ann", "/etc/evil.ann", "a/../../evil.ann", "C:/evil.ann"]
)
def test_a_zip_entry_leaving_the_archive_is_refused(project, load, entry):
    report = load("brat.zip", zip_bytes({"a/x.txt": b"text", entry: b"T1\tPER 0 1\tt\n"}))
    assert report.status == "failed" and "absolute or parent path" in report.error
    assert nothing_written()


def bomb(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("result.json", b"\0" * size)
    return out.getvalue()


def test_a_zip_bomb_is_refused_by_its_ratio(project, load):
    report = load("export.zip", bomb(20 * 1024 * 1024), kind="telegram")
    assert report.status == "failed" and "possible zip bomb" in report.error
    assert nothing_written()


def test_an_archive_larger_than_the_setting_is_refused(project, load, settings):
    settings.IMPORT_ZIP_MAX_BYTES = 1000
    data = zip_bytes({"ChatExport/result.json": b'{"messages": []}' + b" " * 2000})
    report = load("export.zip", data, kind="telegram")
    assert report.status == "failed" and "IMPORT_ZIP_MAX_BYTES" in report.error
    assert nothing_written()


def test_a_damaged_zip_is_named(project, load):
    report = load("study.qdpx", b"PK\x03\x04 damaged")
    assert report.status == "failed" and "not a readable zip archive" in report.error


def test_malformed_xml_is_named(project, load):
    report = load("codes.qdc", b"<CodeBook><Codes>")
    assert report.status == "failed" and "not well-formed XML" in report.error


def test_a_failure_late_in_a_file_leaves_no_earlier_row_behind(project, load):
    rows = b'{"text": "first row"}\n{"text": "second", "label": [[5, 1, "X"]]}\n'
    report = load("spans.jsonl", rows)
    assert report.status == "failed" and "outside the text" in report.error
    assert nothing_written()
