import pytest

from agreement.models import AgreementRun, AgreementRunStatus
from agreement.services.execute import _claim, agreement_run_execute
from agreement.services.start import agreement_run_start
from agreement.tasks import agreement_run_job, agreement_runs_resume
from annotations.models import Annotation, AssignmentStatus
from annotations.services import annotation_update, assignment_create, assignment_set_status
from narratives.models import Code
from narratives.services import code_create
from sources.models import Source
from tests.agreement.naive import nominal_alpha, presence_matrices

MEASURE = {"value", "ci", "p_below", "note"}


def computed(project, user, **options):
    run = agreement_run_start(project=project, user=user, **options)
    assert agreement_run_execute(run_id=run.pk) is True
    run.refresh_from_db()
    return run


def assert_measure(measure, *, bootstrapped):
    assert set(measure) == MEASURE
    assert measure["value"] is None or isinstance(measure["value"], float)
    if bootstrapped and measure["value"] is not None:
        low, high = measure["ci"]
        assert low <= high
        assert set(measure["p_below"]) == {"0.667", "0.8"}


def test_a_run_stores_results_in_the_issues_shape(demo, users):
    run = computed(demo, users["lead"])
    results = run.results
    assert run.status == AgreementRunStatus.DONE and run.progress == 1.0 and run.error == ""
    assert run.started_at <= run.finished_at
    assert results["coders"] == ["coder1", "coder2"]
    assert results["sources"] == run.params["sources"]
    assert results["excluded_sources"] == []
    assert set(results["overall"]) == {"doc_alpha", "char_alpha", "unitized_alpha"}
    for name in ("doc_alpha", "char_alpha"):
        assert_measure(results["overall"][name], bootstrapped=True)
    assert_measure(results["overall"]["unitized_alpha"], bootstrapped=False)
    codes = Code.objects.filter(codebook__project=demo)
    assert set(results["per_code"]) == {str(code.pk) for code in codes}
    for code in codes:
        entry = results["per_code"][str(code.pk)]
        assert entry["name"] == code.name
        assert set(entry) == {"name", "doc_alpha", "char_alpha", "unitized_alpha", "fleiss_kappa"}
        for name in ("doc_alpha", "char_alpha"):
            assert_measure(entry[name], bootstrapped=True)
    assert len(results["pairs"]) == 1 + codes.count()
    for pair in results["pairs"]:
        assert pair["coders"] == ["coder1", "coder2"]
        assert pair["code"] is None or str(pair["code"]) in results["per_code"]
        for name in ("cohen_kappa", "percent_agreement", "span_f1_exact", "span_f1_overlap"):
            assert set(pair[name]) == MEASURE


def test_doc_and_char_alpha_of_one_code_match_a_per_character_computation(demo, users):
    run = computed(demo, users["lead"], bootstrap=0)
    code = Code.objects.get(codebook__project=demo, name="State-actor blame")
    doc, char = presence_matrices(run.params["sources"], run.params["coders"], code.pk)
    figures = run.results["per_code"][str(code.pk)]
    assert figures["doc_alpha"]["value"] == pytest.approx(nominal_alpha(doc), abs=1e-12)
    assert figures["char_alpha"]["value"] == pytest.approx(nominal_alpha(char), abs=1e-12)
    assert figures["char_alpha"]["ci"] is None


def test_pooled_char_alpha_matches_a_per_character_computation_over_every_code(demo, users):
    run = computed(demo, users["lead"], bootstrap=0)
    pooled = [[] for _ in run.params["coders"]]
    for code_id in run.params["codes"]:
        _, char = presence_matrices(run.params["sources"], run.params["coders"], code_id)
        for row, values in zip(pooled, char, strict=True):
            row.extend(values)
    value = run.results["overall"]["char_alpha"]["value"]
    assert value == pytest.approx(nominal_alpha(pooled), abs=1e-12)


def test_the_sources_with_most_disagreement_come_first_with_their_share_of_differing_units(
    demo, users
):
    run = computed(demo, users["lead"], bootstrap=0)
    ranked = run.results["most_disagreement"]
    shares = [row["char_disagreement"] for row in ranked]
    assert shares == sorted(shares, reverse=True) and shares[0] > 0
    top = ranked[0]
    source = Source.objects.get(pk=top["source"])
    assert top["title"] == source.title and top["coders"] == 2
    differing = units = 0
    for code_id in run.params["codes"]:
        _, (a, b) = presence_matrices([source.pk], run.params["coders"], code_id)
        differing += sum(x != y for x, y in zip(a, b, strict=True))
        units += len(a)
    assert top["char_disagreement"] == pytest.approx(differing / units)


def test_the_same_data_and_seed_give_the_same_intervals(demo, users):
    first = computed(demo, users["lead"], bootstrap=200)
    second = computed(demo, users["lead"], bootstrap=200)
    assert first.results["overall"] == second.results["overall"]
    assert first.results["per_code"] == second.results["per_code"]


def test_a_source_not_every_coder_finished_is_listed_as_excluded_from_unitized_alpha(
    demo, users, django_user_model
):
    source = Source.objects.filter(project=demo).order_by("pk").last()
    for username in ("coder1", "coder3"):
        coder = django_user_model.objects.get(username=username)
        assignment = assignment_create(source=source, coder=coder)
        assignment_set_status(assignment=assignment, status=AssignmentStatus.DONE)
    run = computed(demo, users["lead"], bootstrap=0)
    assert run.results["coders"] == ["coder1", "coder2", "coder3"]
    assert source.pk in run.results["sources"]
    assert run.results["excluded_sources"] == run.params["sources"]


def test_level_top_rolls_every_span_up_to_its_top_level_code(demo, users):
    parent = Code.objects.get(codebook__project=demo, name="State-actor blame")
    leaf_run = computed(demo, users["lead"], bootstrap=0)
    child = code_create(project=demo, name="Blame on Ukraine", parent=parent)
    annotation = Annotation.objects.filter(code=parent, coder__username="coder2").first()
    annotation_update(annotation=annotation, code=child)
    top_run = computed(demo, users["lead"], bootstrap=0, level="top")
    changed_leaf_run = computed(demo, users["lead"], bootstrap=0)
    assert str(child.pk) not in top_run.results["per_code"]
    assert str(child.pk) in changed_leaf_run.results["per_code"]
    assert top_run.results["level"] == "top"
    assert top_run.results["per_code"] == leaf_run.results["per_code"]
    assert top_run.results["overall"] == leaf_run.results["overall"]


def test_at_level_top_a_chosen_child_code_stands_for_its_top_level_code(demo, users):
    parent = Code.objects.get(codebook__project=demo, name="State-actor blame")
    child = code_create(project=demo, name="Blame on Ukraine", parent=parent)
    run = computed(demo, users["lead"], bootstrap=0, level="top", codes=[child.pk])
    assert list(run.results["per_code"]) == [str(parent.pk)]
    assert run.results["per_code"][str(parent.pk)]["doc_alpha"]["value"] is not None


def test_a_delivered_again_finished_run_computes_nothing(demo, users):
    run = computed(demo, users["lead"], bootstrap=0)
    assert agreement_run_execute(run_id=run.pk) is False
    again = AgreementRun.objects.get(pk=run.pk)
    assert (again.finished_at, again.results) == (run.finished_at, run.results)


def test_a_run_left_running_by_a_dead_worker_is_claimed_again_and_completes(demo, users):
    run = agreement_run_start(project=demo, user=users["lead"], bootstrap=0)
    dead = _claim(run.pk)
    dead.progress(0.4)
    assert AgreementRun.objects.get(pk=run.pk).progress == 0.4
    assert agreement_run_execute(run_id=run.pk) is True
    run.refresh_from_db()
    assert run.status == AgreementRunStatus.DONE and run.results["coders"]
    assert dead.finish({"stale": True}) is False
    assert "stale" not in AgreementRun.objects.get(pk=run.pk).results


def test_an_attempt_whose_run_was_claimed_again_stops_at_its_next_progress_write(demo, users):
    from agreement.services.execute import RunSuperseded

    run = agreement_run_start(project=demo, user=users["lead"])
    old = _claim(run.pk)
    _claim(run.pk)
    with pytest.raises(RunSuperseded):
        old.progress(0.5)


def test_the_task_records_the_error_of_a_run_that_fails(demo, users):
    run = agreement_run_start(project=demo, user=users["lead"])
    AgreementRun.objects.filter(pk=run.pk).update(params={**run.params, "seed": -5})
    with pytest.raises(ValueError):
        agreement_run_job.delay(run.pk)
    run.refresh_from_db()
    assert run.status == AgreementRunStatus.FAILED
    assert run.error.startswith("ValueError:") and run.finished_at is not None
    assert agreement_run_execute(run_id=run.pk) is False


def test_a_starting_worker_queues_unfinished_runs_again_and_they_complete(demo, users):
    abandoned = agreement_run_start(project=demo, user=users["lead"], bootstrap=0)
    _claim(abandoned.pk)
    never_sent = agreement_run_start(project=demo, user=users["lead"], bootstrap=0)
    finished = computed(demo, users["lead"], bootstrap=0)
    agreement_runs_resume()
    for run in (abandoned, never_sent):
        run.refresh_from_db()
        assert run.status == AgreementRunStatus.DONE
    assert AgreementRun.objects.get(pk=finished.pk).finished_at == finished.finished_at


def test_a_deleted_run_is_ignored_by_its_job(demo, users):
    run = agreement_run_start(project=demo, user=users["lead"])
    AgreementRun.objects.filter(pk=run.pk).delete()
    assert agreement_run_job.delay(run.pk).get() is False
