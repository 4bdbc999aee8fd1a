"""A REFI-QDA project exported here and imported into a new, empty project comes back whole: the
same texts, codebook, coders and annotations, down to the code point."""

from datetime import date
from typing import Any

import pytest

from annotations.models import Annotation
from interchange.formats.incoming import Options, Upload
from interchange.formats.refi_qda import described
from interchange.services import import_upload
from narratives.models import Code
from sources.models import Membership, Source
from tests.factories import MembershipFactory, ProjectFactory
from tests.interchange.conftest import body

pytestmark = pytest.mark.django_db


def _path(code: Code) -> tuple[str, ...]:
    return (*_path(code.parent), code.name) if code.parent else (code.name,)


def _sources(project: Any) -> set[tuple[Any, ...]]:
    return set(
        Source.objects.filter(project=project).values_list(
            "sha256", "title", "kind", "outlet", "author", "url", "published", "language"
        )
    )


def _codebook(project: Any) -> dict[tuple[str, ...], tuple[str, ...]]:
    codes = Code.objects.filter(codebook__project=project).select_related("parent__parent")
    return {
        _path(code): (
            code.colour,
            code.definition,
            code.inclusion,
            code.exclusion,
            code.example,
            str(code.retired),
        )
        for code in codes
    }


def _annotations(project: Any) -> set[tuple[str, str, tuple[str, ...], int, int, str, str]]:
    notes = Annotation.objects.filter(source__project=project).select_related(
        "source", "coder", "code__parent__parent"
    )
    return {
        (
            note.source.sha256,
            note.coder.username,
            _path(note.code),
            note.start,
            note.end,
            note.quote,
            note.memo,
        )
        for note in notes
    }


def _coders(project: Any) -> set[str]:
    members = Membership.objects.filter(project=project, role="coder")
    return set(members.values_list("user__username", flat=True))


@pytest.fixture
def round_trip(world):
    """The world's project exported as qdpx through the API, then imported into a new project
    through the import service; the new project and the file's report."""
    arabic = Source.objects.filter(pk=world.sources["arabic"].pk)
    arabic.update(author="وكالة أعماق", published=date(2024, 3, 23))
    Source.objects.filter(pk=world.sources["emoji"].pk).update(title="Channel/emoji post.txt")
    data = body(world.get("qdpx"))
    target = ProjectFactory(name="Re-imported")
    MembershipFactory(project=target, role="lead", user=world.lead)
    upload = Upload(name="crocus.qdpx", data=data)
    report = import_upload(project=target, upload=upload, options=Options(), user=world.lead)
    assert report.status == "imported", report.error
    return target, report


def test_the_sources_come_back_with_the_same_hashes_titles_and_metadata(world, round_trip):
    target, report = round_trip
    assert report.sources_created == len(world.sources) and not report.duplicates_skipped
    assert _sources(target) == _sources(world.project)
    crlf = Source.objects.get(project=target, sha256=world.sources["crlf"].sha256)
    assert crlf.text == world.sources["crlf"].text and "\r" not in crlf.text


def test_the_codebook_comes_back_with_its_tree_colours_and_descriptions(world, round_trip):
    target, report = round_trip
    assert report.codes_created == len(world.codes)
    assert _codebook(target) == _codebook(world.project)


def test_the_coders_come_back_as_the_same_accounts(world, round_trip):
    target, report = round_trip
    assert report.users_created == []
    assert _coders(target) == _coders(world.project) == {"coder_ann", "coder_bo"}


def test_every_annotation_comes_back_at_the_same_offsets_with_its_code_and_memo(world, round_trip):
    target, report = round_trip
    assert (
        report.annotations_created
        == Annotation.objects.filter(source__project=world.project).count()
    )
    assert _annotations(target) == _annotations(world.project)
    for note in Annotation.objects.filter(source__project=target).select_related("source"):
        assert note.source.text[note.start : note.end] == note.quote


def test_a_codebook_exported_as_qdc_comes_back_whole(world):
    target = ProjectFactory(name="Codebook only")
    upload = Upload(name="codebook.qdc", data=body(world.get("qdc")))
    report = import_upload(project=target, upload=upload, options=Options())
    assert report.status == "imported", report.error
    assert _codebook(target) == _codebook(world.project)


QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Elsewhere">
  <Users><User guid="AAAAAAAA-0000-0000-0000-000000000001" name="Jane van Doe" id="jdoe"/></Users>
  <CodeBook><Codes>
    <Code guid="C0000000-0000-0000-0000-000000000001" name="Blame" isCodable="true">
      <Description>Inclusion is broad: anything.

Example: none</Description>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="B0000000-0000-0000-0000-000000000001" name="kind" typeOfVariable="Text"/>
    <Variable guid="B0000000-0000-0000-0000-000000000002" name="URL" typeOfVariable="Text"/>
    <Variable guid="B0000000-0000-0000-0000-000000000003" name="Published" typeOfVariable="Date"/>
    <Variable guid="B0000000-0000-0000-0000-000000000004" name="Gender" typeOfVariable="Text"/>
  </Variables>
  <Sources>
    <TextSource guid="5E000000-0000-0000-0000-000000000001" name="Interview 1">
      <PlainTextContent>Interview text.</PlainTextContent>
      <PlainTextSelection guid="51000000-0000-0000-0000-000000000001" startPosition="0"
          endPosition="9" creatingUser="AAAAAAAA-0000-0000-0000-000000000001">
        <Coding guid="C1000000-0000-0000-0000-000000000001">
          <CodeRef targetGUID="C0000000-0000-0000-0000-000000000001"/>
        </Coding>
      </PlainTextSelection>
      <VariableValue><VariableRef targetGUID="B0000000-0000-0000-0000-000000000001"/>
        <TextValue>Interview</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="B0000000-0000-0000-0000-000000000002"/>
        <TextValue>n/a</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="B0000000-0000-0000-0000-000000000003"/>
        <DateValue>2024-03-22</DateValue></VariableValue>
      <VariableValue><VariableRef targetGUID="B0000000-0000-0000-0000-000000000004"/>
        <TextValue>f</TextValue></VariableValue>
    </TextSource>
  </Sources>
</Project>"""


def test_another_tools_user_id_is_the_username_and_its_name_the_persons_name(project, load):
    report = load("elsewhere.qde", QDE.encode())
    assert report.status == "imported", report.error
    assert report.users_created == ["jdoe"]
    jane = Annotation.objects.get().coder
    assert (jane.username, jane.first_name, jane.last_name) == ("jdoe", "Jane", "van Doe")


def test_another_tools_variables_fill_the_fields_they_fit_and_the_rest_go_to_metadata(
    project, load
):
    assert load("elsewhere.qde", QDE.encode()).status == "imported"
    source = Source.objects.get()
    assert (source.kind, source.url, str(source.published)) == ("other", "", "2024-03-22")
    assert source.metadata == {
        "refi_qda_guid": "5e000000-0000-0000-0000-000000000001",
        "kind": "Interview",
        "URL": "n/a",
        "Gender": "f",
    }


def test_another_tools_free_text_description_stays_the_definition(project, load):
    assert load("elsewhere.qde", QDE.encode()).status == "imported"
    code = Code.objects.get()
    assert code.definition == "Inclusion is broad: anything.\n\nExample: none"
    assert (code.inclusion, code.example, code.retired) == ("", "", False)


@pytest.mark.parametrize(
    ("description", "fields"),
    [
        (
            "Definition: a\n\nmore of a\n\nExample: b",
            {"definition": "a\n\nmore of a", "example": "b"},
        ),
        ("Exclusion: c\n\n(retired)", {"exclusion": "c", "retired": True}),
        ("(retired)", {"retired": True}),
        ("Example: b\n\nDefinition: a", {"definition": "Example: b\n\nDefinition: a"}),
        ("  Said (retired)  ", {"definition": "Said (retired)"}),
    ],
)
def test_a_description_is_taken_apart_only_where_this_writer_labelled_it(description, fields):
    empty = {"definition": "", "inclusion": "", "exclusion": "", "example": "", "retired": False}
    assert {**empty, **described(description)} == {**empty, **fields}
