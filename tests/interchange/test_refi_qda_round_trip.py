"""A REFI-QDA project exported here and imported into a new, empty project comes back whole: the
same texts, codebook, coders and annotations, down to the code point."""

from typing import Any

import pytest

from annotations.models import Annotation
from interchange.formats.incoming import Options, Upload
from interchange.services import import_upload
from narratives.models import Code
from sources.models import Membership, Source
from tests.factories import MembershipFactory, ProjectFactory
from tests.interchange.conftest import body

pytestmark = pytest.mark.django_db


def _path(code: Code) -> tuple[str, ...]:
    return (*_path(code.parent), code.name) if code.parent else (code.name,)


def _sources(project: Any) -> set[tuple[str, str, str, str, str, str]]:
    return set(
        Source.objects.filter(project=project).values_list(
            "sha256", "title", "kind", "outlet", "url", "language"
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
