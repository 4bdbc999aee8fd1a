"""A run's annotation count is the number of spans it used: those on its own sources, by coders
who have finished them, with its codes; and it reads its data in one consistent snapshot."""

import pytest
from django.db import connection

from agreement.models import AgreementRun
from agreement.services import reading
from agreement.services.execute import agreement_run_execute
from agreement.services.start import agreement_run_start
from annotations.models import Annotation, Assignment, AssignmentStatus

pytestmark = pytest.mark.django_db


def run_over(project, lead, **options):
    run = agreement_run_start(project=project, user=lead, bootstrap=0, **options)
    assert agreement_run_execute(run_id=run.pk) is True
    run.refresh_from_db()
    return run


def used_spans(run):
    assignments = Assignment.objects.filter(
        source_id__in=run.params["sources"],
        coder_id__in=run.params["coders"],
        status=AssignmentStatus.DONE,
    )
    done = set(assignments.values_list("source_id", "coder_id"))
    rows = Annotation.objects.filter(
        source_id__in=run.params["sources"], code_id__in=run.params["codes"]
    ).values_list("source_id", "coder_id")
    return sum(1 for row in rows if row in done)


def test_a_run_over_one_source_counts_only_that_sources_annotations(study):
    project, lead = study
    first = project.sources.order_by("pk").first()
    run = run_over(project, lead, sources=[first.pk])
    assert run.results["annotations"] == used_spans(run) == 20


def test_annotations_of_coders_not_done_with_a_source_are_not_counted(study):
    project, lead = study
    first, second = project.sources.order_by("pk")[:2]
    Assignment.objects.filter(source=second).first().delete()
    run = run_over(project, lead, sources=[first.pk, second.pk])
    assert run.results["annotations"] == used_spans(run) == 30


@pytest.mark.django_db(transaction=True)
def test_the_run_reads_in_one_repeatable_read_transaction_on_postgresql(study, monkeypatch):
    project, lead = study
    seen = []
    read = reading.run_input_read

    def spy(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute(
                "SHOW transaction_isolation" if connection.vendor == "postgresql" else "SELECT 1"
            )
            seen.append((connection.in_atomic_block, cursor.fetchone()[0]))
        return read(**kwargs)

    monkeypatch.setattr("agreement.services.execute.run_input_read", spy)
    # Committed at once, the run's job runs in this process as soon as it is queued.
    run = agreement_run_start(project=project, user=lead, bootstrap=0)
    assert AgreementRun.objects.get(pk=run.pk).status == "done"
    if connection.vendor == "postgresql":
        assert seen == [(True, "repeatable read")]
