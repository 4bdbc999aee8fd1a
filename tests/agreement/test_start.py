import pytest
from django.core.exceptions import ValidationError

from agreement.models import AgreementRun, AgreementRunStatus
from agreement.services.start import agreement_run_start
from annotations.models import AssignmentStatus
from annotations.services import assignment_create, assignment_set_status
from narratives.models import Code
from narratives.services import code_create, code_update
from sources.models import Source
from tests.factories import AnnotationFactory, ProjectFactory, SourceFactory, UserFactory


def ids(queryset):
    return sorted(queryset.values_list("pk", flat=True))


def test_the_defaults_are_sources_two_coders_finished_their_coders_and_the_live_codes(
    demo, users, django_user_model
):
    run = agreement_run_start(project=demo, user=users["lead"])
    coded_by_both = ids(Source.objects.filter(project=demo, assignments__coder__username="coder2"))
    coder_ids = ids(django_user_model.objects.filter(username__in=["coder1", "coder2"]))
    assert run.params["sources"] == [
        pk
        for pk in coded_by_both
        if Source.objects.get(pk=pk).assignments.filter(status=AssignmentStatus.DONE).count() == 2
    ]
    assert len(run.params["sources"]) == 4
    assert run.params["coders"] == coder_ids
    assert run.params["codes"] == ids(Code.objects.filter(codebook__project=demo))
    assert run.params["defaulted"] == ["sources", "coders", "codes"]
    assert run.params["level"] == "leaf" and run.params["bootstrap"] == 1000
    assert isinstance(run.params["seed"], int)
    assert run.status == AgreementRunStatus.QUEUED and run.created_by == users["lead"]


def test_a_coder_who_finished_one_source_joins_the_defaults_and_brings_it_in(
    demo, users, django_user_model
):
    coder3 = django_user_model.objects.get(username="coder3")
    unfinished = Source.objects.filter(project=demo).order_by("pk").last()
    for username in ("coder1", "coder3"):
        coder = django_user_model.objects.get(username=username)
        assignment = assignment_create(source=unfinished, coder=coder)
        assignment_set_status(assignment=assignment, status=AssignmentStatus.DONE)
    run = agreement_run_start(project=demo, user=users["lead"])
    assert unfinished.pk in run.params["sources"]
    assert coder3.pk in run.params["coders"] and len(run.params["coders"]) == 3


def test_default_codes_leave_out_retired_codes_nobody_used_but_keep_used_ones(demo, users):
    used = Code.objects.get(codebook__project=demo, name="Historical memory")
    code_update(code=used, retired=True)
    unused = code_create(project=demo, name="Retired and unused", retired=True)
    run = agreement_run_start(project=demo, user=users["lead"])
    assert used.pk in run.params["codes"]
    assert unused.pk not in run.params["codes"]


def test_the_run_keeps_a_snapshot_of_the_codebook_with_parents_and_definitions(demo, users):
    parent = Code.objects.get(codebook__project=demo, name="State-actor blame")
    child = code_create(project=demo, name="Blame on Ukraine", parent=parent, definition="Kyiv.")
    run = agreement_run_start(project=demo, user=users["lead"])
    code_update(code=child, name="Renamed later")
    snapshot = {code["id"]: code for code in run.codebook_snapshot}
    assert snapshot[child.pk]["name"] == "Blame on Ukraine"
    assert snapshot[child.pk]["parent_id"] == parent.pk
    assert snapshot[child.pk]["definition"] == "Kyiv."
    assert snapshot[parent.pk]["definition"] == parent.definition


def test_explicit_sets_are_stored_as_given_sorted_and_without_duplicates(
    demo, users, django_user_model
):
    sources = ids(Source.objects.filter(project=demo))[:2]
    coders = [users["coder"].pk, django_user_model.objects.get(username="coder2").pk]
    code = Code.objects.filter(codebook__project=demo).first()
    run = agreement_run_start(
        project=demo,
        user=users["lead"],
        sources=[sources[1], sources[0], sources[1]],
        coders=coders[::-1],
        codes=[code.pk],
        level="top",
        bootstrap=0,
    )
    assert run.params["sources"] == sources
    assert run.params["coders"] == sorted(coders)
    assert run.params["codes"] == [code.pk]
    assert run.params["defaulted"] == []
    assert run.params["level"] == "top" and run.params["bootstrap"] == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sources", "foreign", "No source with id"),
        ("coders", "foreign", "No coder with id"),
        ("codes", "foreign", "No code with id"),
        ("coders", "one", "at least two coders"),
        ("codes", [], "at least one code"),
        ("sources", [], "at least one source"),
        ("level", "middle", "Level must be one of leaf, top"),
        ("bootstrap", -1, "between 0 (off) and 10000"),
        ("bootstrap", 10_001, "between 0 (off) and 10000"),
    ],
)
def test_bad_input_is_refused_per_field_and_nothing_is_written(demo, users, field, value, message):
    other = ProjectFactory()
    foreign = {
        "sources": [SourceFactory(project=other).pk],
        "coders": [UserFactory().pk, users["coder"].pk],
        "codes": [AnnotationFactory(source__project=other).code_id],
    }
    if value == "foreign":
        value = foreign[field]
    elif value == "one":
        value = [users["coder"].pk]
    with pytest.raises(ValidationError) as raised:
        agreement_run_start(project=demo, user=users["lead"], **{field: value})
    assert list(raised.value.message_dict) == [field]
    assert message in raised.value.message_dict[field][0]
    assert not AgreementRun.objects.exists()


def test_a_project_where_no_source_was_coded_twice_cannot_start_a_run(users):
    project = ProjectFactory()
    with pytest.raises(ValidationError) as raised:
        agreement_run_start(project=project, user=users["lead"])
    assert "No source has been coded by two" in raised.value.message_dict["sources"][0]
    assert not AgreementRun.objects.exists()


def test_the_job_is_queued_only_when_the_transaction_commits(
    demo, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        run = agreement_run_start(project=demo, user=users["lead"])
        assert run.status == AgreementRunStatus.QUEUED
    assert len(callbacks) == 1
