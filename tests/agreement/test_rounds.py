"""Calibration rounds: made by leads, they assign their sources, record the codebook version
in force, and scope agreement runs."""

import pytest

from agreement.models import AgreementRunStatus, CalibrationRound
from agreement.services.rounds import calibration_round_create
from agreement.services.start import agreement_run_start
from annotations.models import Assignment, AssignmentStatus
from narratives.services import codebook_version_publish
from sources.models import Role
from tests.conftest import client_for
from tests.factories import (
    AnnotationFactory,
    CodeFactory,
    MembershipFactory,
    ProjectFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(db):
    project = ProjectFactory()
    code = CodeFactory(codebook__project=project, name="Blame")
    lead = MembershipFactory(project=project, role=Role.LEAD, user__username="lena").user
    coders = [
        MembershipFactory(project=project, user__username=name).user
        for name in ("alice", "bob", "carol")
    ]
    sources = [SourceFactory(project=project, text=f"Source {n}: abcdefghij") for n in range(3)]
    return {"project": project, "code": code, "lead": lead, "coders": coders, "sources": sources}


def url(study):
    return f"/api/projects/{study['project'].pk}/rounds/"


def test_a_lead_makes_a_round_that_assigns_its_sources(study):
    codebook_version_publish(project=study["project"], note="v1", by=study["lead"])
    body = {
        "name": "Pilot",
        "sources": [s.pk for s in study["sources"][:2]],
        "coders": ["alice", "bob"],
    }
    response = client_for(study["lead"]).post(url(study), body, format="json")
    assert response.status_code == 201, response.json()
    made = response.json()
    assert (made["codebook_version"], made["coders"]) == (1, ["alice", "bob"])
    pairs = set(Assignment.objects.values_list("source_id", "coder__username"))
    assert pairs == {(s.pk, c) for s in study["sources"][:2] for c in ("alice", "bob")}
    assert client_for(study["lead"]).get(response["Location"]).json()["name"] == "Pilot"


@pytest.mark.parametrize(
    "change,field",
    [
        ({"coders": ["alice"]}, "coders"),
        ({"coders": ["alice", "lena"]}, "coders"),
        ({"sources": []}, "sources"),
        ({"name": "Taken"}, "name"),
    ],
)
def test_a_bad_round_is_refused_and_assigns_nothing(study, change, field):
    CalibrationRound.objects.create(project=study["project"], name="Taken")
    body = {"name": "Round", "sources": [study["sources"][0].pk], "coders": ["alice", "bob"]}
    response = client_for(study["lead"]).post(url(study), {**body, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Assignment.objects.exists()


def test_a_source_of_another_project_is_refused(study):
    elsewhere = SourceFactory()
    body = {"name": "Round", "sources": [elsewhere.pk], "coders": ["alice", "bob"]}
    response = client_for(study["lead"]).post(url(study), body, format="json")
    assert response.status_code == 400
    assert "sources" in response.json()["fields"]


def test_coders_may_not_see_or_make_rounds(study):
    client = client_for(study["coders"][0])
    assert client.get(url(study)).status_code == 403
    assert client.post(url(study), {"name": "X"}, format="json").status_code == 403


def test_a_run_scoped_to_a_round_covers_its_sources_and_coders(
    study, django_capture_on_commit_callbacks
):
    first, second, _ = study["sources"]
    alice, bob, _ = study["coders"]
    calibration = calibration_round_create(
        project=study["project"],
        name="Pilot",
        sources=[first, second],
        coders=[alice, bob],
        by=None,
    )
    Assignment.objects.update(status=AssignmentStatus.DONE)
    for source in study["sources"]:
        for coder in study["coders"]:
            Assignment.objects.get_or_create(
                source=source, coder=coder, defaults={"status": AssignmentStatus.DONE}
            )
            AnnotationFactory(source=source, coder=coder, code=study["code"], start=0, end=4)
    with django_capture_on_commit_callbacks(execute=True):
        run = agreement_run_start(
            project=study["project"], user=study["lead"], bootstrap=0, calibration=calibration
        )
    run.refresh_from_db()
    assert run.status == AgreementRunStatus.DONE, run.error
    assert run.params["sources"] == [first.pk, second.pk]
    assert run.params["coders"] == sorted([alice.pk, bob.pk])
    assert run.params["round"] == calibration.pk
    assert run.results["coders"] == ["alice", "bob"]


def test_the_agreement_page_charts_alpha_per_code_across_rounds(
    study, django_capture_on_commit_callbacks, client
):
    alice, bob, _ = study["coders"]
    for n, source in enumerate(study["sources"][:2]):
        calibration = calibration_round_create(
            project=study["project"],
            name=f"Round {n + 1}",
            sources=[source],
            coders=[alice, bob],
            by=None,
        )
        Assignment.objects.filter(source=source).update(status=AssignmentStatus.DONE)
        for coder, end in ((alice, 4), (bob, 4 + n)):
            AnnotationFactory(source=source, coder=coder, code=study["code"], start=0, end=end)
        with django_capture_on_commit_callbacks(execute=True):
            agreement_run_start(
                project=study["project"], user=study["lead"], bootstrap=0, calibration=calibration
            )
    client.force_login(study["lead"])
    page = client.get(f"/projects/{study['project'].pk}/agreement/").content.decode()
    chart = page[page.index('id="rounds"') :]
    assert "Round 1 · Blame" in chart and "Round 2 · Blame" in chart
    assert chart.index("Round 1 · Blame") < chart.index("Round 2 · Blame")
