"""`manage.py import_sources` takes every kind, with a progress bar; one bad file imports
nothing."""

import json

import pytest
from django.core.management import CommandError, call_command

from annotations.models import Annotation
from narratives.models import Code
from sources.models import Source
from tests.interchange.conftest import FIXTURES
from tests.interchange.files import docx_bytes, pdf_bytes, xlsx_bytes, zip_bytes

pytestmark = pytest.mark.django_db


def every_kind() -> dict[str, bytes]:
    """One small file of every kind the importers read, for the command and the API tests."""
    return {
        "a.txt": b"Plain note\nbody",
        "b.html": b"<html><body><article><p>"
        + b"Article text. " * 20
        + b"</p></article></body></html>",
        "c.docx": docx_bytes(["Word body."]),
        "d.pdf": pdf_bytes(["PDF body"]),
        "e.csv": b"text\nCSV row\n",
        "f.xlsx": xlsx_bytes([["text"], ["XLSX row"]]),
        "g.jsonl": json.dumps({"text": "JSONL row", "label": [[0, 5, "Thing"]]}).encode(),
        "result.json": (FIXTURES / "telegram-result.json").read_bytes(),
        "h.zip": zip_bytes(
            {"x/alice/doc.txt": b"brat text", "x/alice/doc.ann": b"T1\tPER 0 4\tbrat\n"}
        ),
        "i.qdc": b'<CodeBook><Codes><Code guid="1" name="Qdc code"/></Codes></CodeBook>',
    }


@pytest.fixture
def folder(tmp_path):
    for name, data in every_kind().items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


def test_every_kind_comes_in_through_the_command(project, folder, capsys):
    call_command("import_sources", str(folder), project=project.name)
    out, err = capsys.readouterr()
    assert "Imported 11 source(s) into Crocus study; 0 duplicate(s) skipped." in out
    assert "10/10" in err  # the progress bar
    assert Source.objects.filter(project=project).count() == 11
    assert Annotation.objects.count() == 2
    assert {"Thing", "PER", "Qdc code"} <= set(Code.objects.values_list("name", flat=True))
    assert "inactive accounts created" in out and "alice" in out


def test_one_bad_file_imports_nothing_and_is_named(project, folder):
    (folder / "z.pdf").write_bytes(b"%PDF-1.4 broken")
    with pytest.raises(CommandError) as error:
        call_command("import_sources", str(folder), project=project.name)
    assert "Nothing was imported; 1 file(s) failed" in str(error.value)
    assert "z.pdf" in str(error.value)
    assert not Source.objects.exists() and not Code.objects.exists()


def test_a_kind_and_a_mapping_can_be_given(project, tmp_path):
    path = tmp_path / "posts.data"
    path.write_bytes(b"head,body\nA,B\n")
    with pytest.raises(CommandError, match="not a format"):
        call_command("import_sources", str(path), project=project.name)
    path = tmp_path / "posts.csv"
    path.write_bytes(b"head,body\nA,B\n")
    call_command("import_sources", str(path), project=project.name, mapping='{"text": "head"}')
    assert Source.objects.get().text == "A"
