"""Merge, split, move, rename and retire keep every passage and write the history."""

import pytest
from django.core.exceptions import ValidationError

from annotations.code_operations import code_merge, code_split
from annotations.models import Annotation
from narratives.models import Code, CodeOperation, CodeOperationKind
from narratives.services import code_move, code_rename, code_retire, code_update


def passages(source):
    """Every passage as (coder, start, end, quote), the facts no code operation may change."""
    rows = Annotation.objects.filter(source=source).order_by("coder", "start", "end")
    return sorted(rows.values_list("coder__username", "start", "end", "quote"))


def test_merging_moves_every_passage_to_the_target_and_retires_the_code(book):
    before = passages(book.source)
    moved = code_merge(code=book.blame, into=book.haste, by=book.lead)
    assert moved == 4
    assert passages(book.source) == before
    assert not Annotation.objects.filter(code=book.blame).exists()
    assert Annotation.objects.filter(code=book.haste).count() == 6
    assert Code.objects.get(pk=book.blame.pk).retired


def test_a_merge_writes_a_history_row_per_passage_with_the_lead_and_the_reason(book):
    code_merge(code=book.blame, into=book.haste, by=book.lead)
    moved = [p for p in book.passages if p.code_id == book.blame.pk]
    for passage in moved:
        last = Annotation.history.filter(id=passage.pk).latest("history_date")
        assert last.history_type == "~"
        assert last.code_id == book.haste.pk
        assert last.version == passage.version + 1
        assert last.history_user_id == book.lead.pk
        assert last.history_change_reason == "merged Frames / Blame into Frames / Haste"
    retired = Code.history.filter(id=book.blame.pk).latest("history_date")
    assert retired.retired and retired.history_user_id == book.lead.pk
    operation = CodeOperation.objects.get(kind=CodeOperationKind.MERGE)
    assert (operation.code, operation.into, operation.details) == (
        book.blame,
        book.haste,
        {"passages": 4},
    )


@pytest.mark.parametrize("target", ["itself", "retired", "other project"])
def test_a_merge_into_an_unusable_code_is_refused_and_changes_nothing(book, target):
    into = {
        "itself": book.blame,
        "retired": code_retire(code=book.haste),
        "other project": Code.objects.create(
            codebook=type(book.blame.codebook).objects.create(
                project=type(book.project).objects.create(name="Other")
            ),
            name="Elsewhere",
            number=1,
        ),
    }[target]
    before = passages(book.source), Annotation.history.count()
    with pytest.raises(ValidationError) as refused:
        code_merge(code=book.blame, into=into, by=book.lead)
    assert "into" in refused.value.message_dict
    assert (passages(book.source), Annotation.history.count()) == before
    assert not Code.objects.get(pk=book.blame.pk).retired


def test_a_code_with_sub_codes_is_not_merged(book):
    with pytest.raises(ValidationError, match="sub-codes"):
        code_merge(code=book.frames, into=book.haste, by=book.lead)
    assert not Code.objects.get(pk=book.frames.pk).retired


def test_splitting_moves_only_the_chosen_passages_to_an_existing_code(book):
    chosen = [p.pk for p in book.passages if p.code_id == book.blame.pk and p.start == 36]
    before = passages(book.source)
    into, moved = code_split(code=book.blame, annotation_ids=chosen, into=book.haste, by=book.lead)
    assert (into, moved) == (book.haste, 2)
    assert passages(book.source) == before
    assert set(
        Annotation.objects.filter(code=book.haste, start=36).values_list("pk", flat=True)
    ) == set(chosen)
    assert Annotation.objects.filter(code=book.blame).count() == 2
    assert not Code.objects.get(pk=book.blame.pk).retired
    last = Annotation.history.filter(id=chosen[0]).latest("history_date")
    assert last.history_change_reason == "split from Frames / Blame into Frames / Haste"


def test_splitting_to_a_new_code_creates_it_beside_the_split_code(book):
    chosen = [book.passages[0].pk]
    into, moved = code_split(
        code=book.blame,
        annotation_ids=chosen,
        new_code={"name": "Blame of a neighbour", "definition": "Names a neighbour."},
        by=book.lead,
    )
    assert moved == 1
    assert into.parent == book.frames and into.definition == "Names a neighbour."
    assert Annotation.objects.get(pk=chosen[0]).code == into
    kinds = list(CodeOperation.objects.values_list("kind", flat=True))
    assert kinds == [CodeOperationKind.CREATE, CodeOperationKind.SPLIT]


def test_a_split_naming_a_passage_of_another_code_moves_nothing(book):
    stray = next(p for p in book.passages if p.code_id == book.haste.pk)
    with pytest.raises(ValidationError, match=str(stray.pk)):
        code_split(
            code=book.blame,
            annotation_ids=[book.passages[0].pk, stray.pk],
            new_code={"name": "Never made"},
            by=book.lead,
        )
    assert Annotation.objects.filter(code=book.blame).count() == 4
    assert not Code.objects.filter(name="Never made").exists()


def test_moving_a_code_reorders_its_new_siblings_and_keeps_its_passages(book):
    before = passages(book.source)
    code_move(code=book.haste, parent=None, order=0, by=book.lead)
    top = Code.objects.filter(codebook=book.blame.codebook, parent=None).order_by("order")
    assert [(c.name, c.order) for c in top] == [("Haste", 0), ("Frames", 1)]
    assert passages(book.source) == before
    assert Annotation.objects.filter(code=book.haste).count() == 2
    operation = CodeOperation.objects.get(kind=CodeOperationKind.MOVE)
    assert operation.details == {"old_parent": "Frames", "new_parent": None}


def test_moving_within_the_same_parent_puts_the_code_at_the_place_asked(book):
    code_move(code=book.haste, parent=book.frames, order=0, by=book.lead)
    children = Code.objects.filter(parent=book.frames).order_by("order")
    assert [(c.name, c.order) for c in children] == [("Haste", 0), ("Blame", 1)]


def test_a_code_cannot_move_under_its_own_descendant(book):
    with pytest.raises(ValidationError, match="own ancestor"):
        code_move(code=book.frames, parent=book.blame, order=0, by=book.lead)
    assert Code.objects.get(pk=book.frames.pk).parent is None


def test_renaming_keeps_passages_and_notes_the_old_and_new_name(book):
    code_rename(code=book.blame, name="Attribution", by=book.lead)
    assert Annotation.objects.filter(code__name="Attribution").count() == 4
    operation = CodeOperation.objects.get(kind=CodeOperationKind.RENAME)
    assert operation.details == {"old": "Blame", "new": "Attribution"}
    assert Code.history.filter(id=book.blame.pk).latest("history_date").history_user == book.lead


def test_retiring_a_code_retires_its_sub_codes_and_keeps_every_passage(book):
    before = passages(book.source)
    code_retire(code=book.frames, by=book.lead)
    assert set(Code.objects.filter(retired=True).values_list("name", flat=True)) == {
        "Frames",
        "Blame",
        "Haste",
    }
    assert passages(book.source) == before
    retired = CodeOperation.objects.filter(kind=CodeOperationKind.RETIRE)
    assert retired.count() == 3


def test_bringing_a_retired_code_back_is_noted(book):
    code_retire(code=book.haste, by=book.lead)
    code_update(code=book.haste, retired=False, by=book.lead)
    kinds = list(CodeOperation.objects.values_list("kind", flat=True))
    assert kinds == [CodeOperationKind.RETIRE, CodeOperationKind.RESTORE]
