"""Runs with `gold: true`: each coder against the gold standard of the adjudicated sources,
through the service, the job and the API, with values computed by hand (see
tests/agreement/math/test_gold.py for the arithmetic)."""

import pytest
from django.core.exceptions import ValidationError

from agreement.models import AgreementRunStatus
from agreement.services.start import agreement_run_start
from annotations.gold import source_adjudicated_set
from annotations.models import AssignmentStatus
from sources.models import Role
from tests.conftest import client_for
from tests.factories import (
    AnnotationFactory,
    AssignmentFactory,
    CodeFactory,
    MembershipFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def adjudicated(db):
    source = SourceFactory(text="abcdefghij")
    project = source.project
    code = CodeFactory(codebook__project=project, name="A")
    lead = MembershipFactory(project=project, role=Role.LEAD, user__username="lena").user
    for name, (start, end) in {"alice": (0, 4), "bob": (2, 6)}.items():
        coder = MembershipFactory(project=project, user__username=name).user
        AssignmentFactory(source=source, coder=coder, status=AssignmentStatus.DONE)
        AnnotationFactory(source=source, code=code, coder=coder, start=start, end=end)
    AnnotationFactory(
        source=source,
        code=code,
        coder=lead,
        start=2,
        end=6,
        gold=True,
    )
    return {"project": project, "source": source, "code": code, "lead": lead}


def run_gold(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = agreement_run_start(
            project=world["project"], user=world["lead"], bootstrap=0, gold=True
        )
    run.refresh_from_db()
    assert run.status == AgreementRunStatus.DONE, run.error
    return run


def test_a_gold_run_compares_each_coder_with_gold(adjudicated, django_capture_on_commit_callbacks):
    source_adjudicated_set(source=adjudicated["source"], by=adjudicated["lead"], done=True)
    run = run_gold(adjudicated, django_capture_on_commit_callbacks)
    rows = {(row["coder"], row["code"]): row for row in run.results["gold"]}
    code = adjudicated["code"].pk
    assert set(rows) == {("alice", None), ("alice", code), ("bob", None), ("bob", code)}
    alice = rows["alice", code]
    assert alice["cohen_kappa"]["value"] == pytest.approx(1 / 6)
    assert alice["char_alpha"]["value"] == pytest.approx(5 / 24)
    assert (alice["span_f1_exact"]["value"], alice["span_f1_overlap"]["value"]) == (0.0, 1.0)
    assert rows["bob", code]["char_alpha"]["value"] == pytest.approx(1.0)
    # Gold is never one of the coders of the run's own figures.
    assert run.results["coders"] == ["alice", "bob"]
    assert run.params["gold"] is True


def test_gold_of_a_source_not_declared_adjudicated_is_refused(adjudicated):
    with pytest.raises(ValidationError, match="adjudicated"):
        agreement_run_start(project=adjudicated["project"], user=adjudicated["lead"], gold=True)


def test_the_api_takes_gold_true(adjudicated, django_capture_on_commit_callbacks):
    source_adjudicated_set(source=adjudicated["source"], by=adjudicated["lead"], done=True)
    client = client_for(adjudicated["lead"])
    url = f"/api/projects/{adjudicated['project'].pk}/agreement-runs/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"gold": True, "bootstrap": 0}, format="json")
    assert response.status_code == 202, response.json()
    run = client.get(response["Location"]).json()
    assert run["status"] == "done"
    assert {row["coder"] for row in run["results"]["gold"]} == {"alice", "bob"}


def test_the_csv_and_html_reports_carry_the_gold_figures(
    adjudicated, django_capture_on_commit_callbacks
):
    source_adjudicated_set(source=adjudicated["source"], by=adjudicated["lead"], done=True)
    run = run_gold(adjudicated, django_capture_on_commit_callbacks)
    client = client_for(adjudicated["lead"])
    csv_text = client.get(f"/api/agreement-runs/{run.pk}/report.csv").content.decode()
    gold_lines = [line for line in csv_text.splitlines() if line.startswith("gold,")]
    # Two coders x (pooled + one code) x five measures.
    assert len(gold_lines) == 20
    alpha = next(line for line in gold_lines if ",alice,gold,char_alpha," in line)
    assert "0.208" in alpha
    html = client.get(f"/api/agreement-runs/{run.pk}/report.html").content.decode()
    assert "Each coder against the gold standard" in html
    assert "alice × gold" in html
