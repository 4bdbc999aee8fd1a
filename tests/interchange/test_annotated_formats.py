"""Corpora annotated elsewhere: brat standoff and REFI-QDA projects and codebooks."""

import pytest
from django.contrib.auth.models import User

from annotations.models import Annotation, Assignment
from narratives.models import Code
from sources.models import Membership, Source
from tests.interchange.files import zip_bytes

pytestmark = pytest.mark.django_db


def brat_zip(shared_dir) -> bytes:
    folder = shared_dir / "standards" / "span-fixtures" / "brat-conll2002-4coders"
    return zip_bytes(
        {
            str(path.relative_to(folder.parent)): path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        }
    )


def test_the_four_coder_brat_fixture_keeps_every_spans_offsets(project, load, shared_dir):
    report = load("brat.zip", brat_zip(shared_dir))
    assert report.status == "imported", report.error
    assert report.sources_created == 2
    assert sorted(report.users_created) == ["Lisa", "Maria", "Max", "Peter"]
    assert report.annotations_created == 464
    assert sorted(Code.objects.values_list("name", flat=True)) == ["LOC", "MISC", "ORG", "PER"]
    folder = shared_dir / "standards" / "span-fixtures" / "brat-conll2002-4coders"
    for ann in folder.rglob("*.ann"):
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        source = Source.objects.get(sha256__isnull=False, text=text)
        coder = ann.parent.name
        for line in ann.read_text(encoding="utf-8").splitlines():
            _, span, surface = line.split("\t")
            label, start, end = span.split()
            stored = Annotation.objects.get(
                source=source, coder__username=coder, code__name=label, start=start, end=end
            )
            assert source.text[int(start) : int(end)] == surface == stored.quote
    assert Assignment.objects.filter(status="done").count() == 8
    assert Source.history.filter(history_type="+").count() == 2
    assert Annotation.history.filter(history_type="+").count() == 464
    assert Assignment.history.filter(history_type="+", status="done").count() == 8
    assert not User.objects.get(username="Lisa").is_active
    assert not User.objects.get(username="Lisa").has_usable_password()
    assert Membership.objects.filter(project=project, role="coder").count() == 4


def test_a_brat_span_whose_text_does_not_match_writes_nothing(project, load):
    data = zip_bytes(
        {
            "ann/alice/good.txt": b"Good text here.",
            "ann/alice/good.ann": b"T1\tPER 0 4\tGood\n",
            "ann/alice/bad.txt": b"Other text.",
            "ann/alice/bad.ann": b"T1\tPER 0 4\tGood\n",
        }
    )
    report = load("brat.zip", data)
    assert report.status == "failed" and "bad.ann, line 1" in report.error
    assert not Source.objects.exists() and not User.objects.filter(username="alice").exists()


def test_the_atlas_ti_example_brings_its_users_and_codebook(project, load, shared_dir):
    example = shared_dir / "standards" / "refi-qda" / "examples" / "atlasti-standard-project.qde"
    report = load(example.name, example.read_bytes())
    assert report.status == "imported", report.error
    assert sorted(report.users_created) == ["ATLAS.ti", "Friedrich_Markgraf", "Sebastian_Petrausch"]
    markgraf = User.objects.get(username="Friedrich_Markgraf")
    assert (markgraf.first_name, markgraf.last_name, markgraf.is_active) == (
        "Friedrich",
        "Markgraf",
        False,
    )
    coke = Code.objects.get(name="Coke")
    assert (coke.colour, coke.definition) == ("#966450", "the breakfast of champions")
    assert report.codes_created == Code.objects.count() >= 14
    assert any("text file" in warning for warning in report.warnings)


QDE = """\ufeff<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Lenient">
  <Users><User guid="{AAAAAAAA-0000-0000-0000-000000000001}" name="alice"/></Users>
  <CodeBook><Codes>
    <Code guid="c0000000-0000-0000-0000-000000000001" name="Blame" isCodable="true" color="#1F77B4">
      <Description>Who is blamed</Description>
      <Code guid="C0000000-0000-0000-0000-000000000002" name="Foreign" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{5E000000-0000-0000-0000-000000000001}" name="post.txt"
                plainTextPath="internal://5e000000-0000-0000-0000-000000000001.txt">
      <PlainTextSelection guid="51000000-0000-0000-0000-000000000001" startPosition="{start}"
          endPosition="{end}" creatingUser="aaaaaaaa-0000-0000-0000-000000000001">
        <Description>memo with ü</Description>
        <Coding guid="c1000000-0000-0000-0000-000000000001"
                creatingUser="AAAAAAAA-0000-0000-0000-000000000001">
          <CodeRef targetGUID="{{C0000000-0000-0000-0000-000000000002}}"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"""


def test_a_qdpx_is_read_leniently_and_offsets_survive_bom_crlf_and_emoji(project, load):
    text = "\ufeffLine one 😀\r\nالعربية q\u0323\u0307 Kyiv blamed\r\n"
    # The byte-order mark encodes the file; positions count the text after it, CRs included.
    start = text.removeprefix("\ufeff").index("Kyiv")
    qde = QDE.replace("{start}", str(start)).replace("{end}", str(start + 4))
    qde = qde.replace("{{", "{").replace("}}", "}")
    data = zip_bytes(
        {
            "project.qde": qde.encode("utf-8"),
            "Sources/5E000000-0000-0000-0000-000000000001.txt": text.encode("utf-8"),
        }
    )
    report = load("study.qdpx", data)
    assert report.status == "imported", report.error
    source = Source.objects.get()
    assert source.title == "post"
    assert source.text == "Line one 😀\nالعربية q\u0323\u0307 Kyiv blamed\n"
    annotation = Annotation.objects.get()
    assert annotation.quote == "Kyiv" == source.text[annotation.start : annotation.end]
    assert (annotation.code.path, annotation.coder.username, annotation.memo) == (
        "Blame / Foreign",
        "alice",
        "memo with ü",
    )
    assert Code.objects.get(name="Blame").colour == "#1f77b4"


def test_a_qdc_codebook_brings_the_code_tree(project, load):
    qdc = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
  <Code guid="1" name="Threat" isCodable="true">
    <Code guid="2" name="Revenge" isCodable="true"/>
  </Code>
</Codes></CodeBook>"""
    report = load("codes.qdc", qdc)
    assert report.status == "imported", report.error
    assert sorted(code.path for code in Code.objects.all()) == ["Threat", "Threat / Revenge"]
    assert not Source.objects.exists()


def test_a_selection_outside_its_source_writes_nothing(project, load):
    qde = QDE.replace("{start}", "0").replace("{end}", "999").replace("{{", "{").replace("}}", "}")
    data = zip_bytes(
        {"project.qde": qde.encode(), "sources/5e000000-0000-0000-0000-000000000001.txt": b"short"}
    )
    report = load("study.qdpx", data)
    assert report.status == "failed" and "outside its source" in report.error
    assert not Source.objects.exists() and not Code.objects.exists()
