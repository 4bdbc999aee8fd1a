"""Publishing codebook versions, the version each passage records, and diffs between versions."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from annotations.code_operations import code_merge, code_split
from annotations.models import Annotation
from annotations.services import annotation_create, annotation_update
from narratives.models import CodebookVersion
from narratives.selectors import codebook_versions_diff
from narratives.services import (
    code_create,
    code_move,
    code_rename,
    code_retire,
    code_update,
    codebook_version_publish,
)


def publish(book, note="", by=None):
    return codebook_version_publish(project=book.project, note=note, by=by or book.lead)


def test_versions_are_numbered_from_one_and_hold_the_codebook_as_it_was(book):
    first = publish(book, "First draft")
    code_rename(code=book.blame, name="Attribution", by=book.lead)
    second = publish(book, "Sharper names")
    assert (first.number, second.number) == (1, 2)
    assert {code["path"] for code in first.snapshot} == {
        "Frames",
        "Frames / Blame",
        "Frames / Haste",
    }
    assert "Frames / Attribution" in {code["path"] for code in second.snapshot}
    assert first.created_by == book.lead and first.note == "First draft"


def test_publishing_an_unchanged_codebook_is_refused(book):
    publish(book)
    with pytest.raises(ValidationError, match="Nothing changed since version 1"):
        publish(book)
    assert CodebookVersion.objects.count() == 1


def test_a_passage_records_the_version_in_force_when_made_and_when_changed(book):
    made_before = annotation_create(
        coder=book.alice, source_id=book.source.pk, code_id=book.blame.pk, start=0, end=9
    )[0]
    assert made_before.codebook_version is None
    assert publish(book).number == 1
    made = annotation_create(
        coder=book.alice,
        source_id=book.source.pk,
        code_id=book.blame.pk,
        start=0,
        end=9,
        id=uuid.uuid4(),
    )[0]
    assert Annotation.objects.get(pk=made.pk).codebook_version == 1
    history = Annotation.history.filter(id=made.pk).get()
    assert history.codebook_version == 1
    code_update(code=book.blame, definition="Says who is at fault.", by=book.lead)
    second = publish(book)
    changed = annotation_update(annotation=made_before, memo="Checked.")
    assert changed.codebook_version == second.number == 2
    assert Annotation.objects.get(pk=made.pk).codebook_version == 1


def test_passages_moved_by_a_merge_record_the_version_in_force(book):
    first = publish(book)
    code_merge(code=book.blame, into=book.haste, by=book.lead)
    moved = Annotation.objects.filter(pk__in=[p.pk for p in book.passages if p.code == book.blame])
    assert {passage.codebook_version for passage in moved} == {first.number}
    untouched = Annotation.objects.filter(
        pk__in=[p.pk for p in book.passages if p.code == book.haste]
    )
    assert {passage.codebook_version for passage in untouched} == {None}


def test_the_diff_names_every_kind_of_change_between_two_versions(book):
    extra = code_create(project=book.project, name="Denial", by=book.lead)
    first = publish(book, "v1")
    code_rename(code=book.frames, name="Framing", by=book.lead)
    code_update(code=book.haste, exclusion="Not mere speed of reporting.", by=book.lead)
    code_move(code=extra, parent=book.frames, order=5, by=book.lead)
    split_to, _ = code_split(
        code=book.blame,
        annotation_ids=[book.passages[0].pk],
        new_code={"name": "Blame of a neighbour"},
        by=book.lead,
    )
    publish(book, "v2")
    code_merge(code=book.blame, into=book.haste, by=book.lead)
    retired = code_create(project=book.project, name="Spare", by=book.lead)
    third = publish(book, "v3")
    code_retire(code=retired, by=book.lead)
    third_to_now = codebook_versions_diff(book.blame.codebook, third, None)
    assert third_to_now["retired"] == [{"code": retired.pk, "path": "Spare"}]

    diff = codebook_versions_diff(book.blame.codebook, first, third)
    assert diff["added"] == [
        {"code": split_to.pk, "path": "Framing / Blame of a neighbour"},
        {"code": retired.pk, "path": "Spare"},
    ]
    assert diff["renamed"] == [{"code": book.frames.pk, "from": "Frames", "to": "Framing"}]
    assert diff["redefined"] == [
        {"code": book.haste.pk, "path": "Framing / Haste", "fields": ["exclusion"]}
    ]
    moved = {entry["code"]: (entry["from"], entry["to"]) for entry in diff["moved"]}
    assert moved[extra.pk] == ("Denial", "Framing / Denial")
    assert [(e["code"], e["into"], e["passages"]) for e in diff["split"]] == [
        (book.blame.pk, split_to.pk, 1)
    ]
    assert [(e["code"], e["into"], e["passages"]) for e in diff["merged"]] == [
        (book.blame.pk, book.haste.pk, 3)
    ]
    # A merged code is retired by the merge: it is listed as merged, not again as retired.
    assert diff["retired"] == []


def test_the_diff_from_nothing_lists_every_code_as_added(book):
    first = publish(book)
    diff = codebook_versions_diff(book.blame.codebook, None, first)
    assert len(diff["added"]) == 3
    assert all(not entries for key, entries in diff.items() if key != "added")
