"""A project keeps a lead when two leads demote or remove each other at the same moment.

On PostgreSQL the two changes run in two threads, each on its own connection, and are held at
the point between the check and the write until both have reached it (or one is kept waiting,
which is the fix). SQLite takes one writer at a time for the whole database, so there the two
changes run one after the other and the test holds the same invariant.
"""

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from sources import services
from sources.models import Membership, Role
from tests.factories import MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def two_leads():
    project = ProjectFactory()
    return [MembershipFactory(project=project, role=Role.LEAD) for _ in range(2)]


def run_at_once(monkeypatch, changes):
    """Run each change; on PostgreSQL in its own thread and connection, all held after the lead
    check until every one has passed it or a short wait has run out."""
    outcomes: list[str] = []
    if connection.vendor != "postgresql":
        for change in changes:
            try:
                change()
                outcomes.append("done")
            except ValidationError:
                outcomes.append("refused")
        return outcomes
    barrier = threading.Barrier(len(changes))
    checked = services._keep_a_lead

    def check_then_wait(membership):
        checked(membership)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)

    monkeypatch.setattr(services, "_keep_a_lead", check_then_wait)

    def run(change):
        try:
            change()
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(change,)) for change in changes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_leads_demoting_each_other_at_once_leave_one_lead(monkeypatch):
    first, second = two_leads()
    outcomes = run_at_once(
        monkeypatch,
        [
            lambda: services.membership_change_role(membership=first, role=Role.CODER),
            lambda: services.membership_change_role(membership=second, role=Role.CODER),
        ],
    )
    assert sorted(outcomes) == ["done", "refused"]
    leads = Membership.objects.filter(project=first.project, role=Role.LEAD)
    assert leads.count() == 1


def test_two_leads_removing_each_other_at_once_leave_one_lead(monkeypatch):
    first, second = two_leads()
    outcomes = run_at_once(
        monkeypatch,
        [
            lambda: services.membership_remove(membership=first),
            lambda: services.membership_remove(membership=second),
        ],
    )
    assert sorted(outcomes) == ["done", "refused"]
    assert Membership.objects.filter(project=first.project, role=Role.LEAD).count() == 1
