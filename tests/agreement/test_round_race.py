"""Two leads making a round of the same name at the same moment: one round is made, the other
request is refused with the form's message (not a database error).

On PostgreSQL each request runs in its own thread and connection, held just after the name
check until both have passed it or a short wait has run out (which is what the project lock
makes the second one do). SQLite takes one writer at a time, so there they run in turn.
"""

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from agreement.models import CalibrationRound
from agreement.services import rounds
from sources.models import Role
from tests.factories import MembershipFactory, ProjectFactory, SourceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_double_submitted_round_is_made_once(monkeypatch):
    project = ProjectFactory()
    lead = MembershipFactory(project=project, role=Role.LEAD).user
    coders = [MembershipFactory(project=project).user for _ in range(2)]
    sources = [SourceFactory(project=project)]
    outcomes: list[str] = []

    def make() -> None:
        try:
            rounds.calibration_round_create(
                project=project, name="Pilot", sources=sources, coders=coders, by=lead
            )
            outcomes.append("made")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    if connection.vendor != "postgresql":
        make()
        make()
    else:
        barrier = threading.Barrier(2)
        checked = rounds.codebook_for

        def held(project):
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=2)
            return checked(project)

        monkeypatch.setattr(rounds, "codebook_for", held)
        threads = [threading.Thread(target=make) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(outcomes) == ["There is already a round named 'Pilot'.", "made"]
    assert CalibrationRound.objects.filter(project=project).count() == 1
