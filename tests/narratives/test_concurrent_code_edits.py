"""Two leads setting two codes as each other's parent at the same moment, each request on its own
thread and database connection: one wins, the other is told why, and the codebook stays a
tree. On PostgreSQL this deadlocked (each request held its code's row and waited for the
other's) and answered 500."""

import threading

import pytest
from django.db import connection

from narratives.models import Code
from sources.models import Role
from tests.conftest import client_for
from tests.factories import CodebookFactory, CodeFactory, MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 3


def patch_together(requests: list[tuple[str, dict]], client_of) -> list[int]:
    """Send the PATCHes at the same moment, one thread (and connection) each."""
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = [0] * len(requests)

    def send(index: int, url: str, body: dict) -> None:
        client = client_of()
        client.raise_request_exception = False
        try:
            barrier.wait(timeout=30)
            statuses[index] = client.patch(url, body, format="json").status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=(index, url, body))
        for index, (url, body) in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def has_cycle(codes: list[Code]) -> bool:
    parents = {code.pk: code.parent_id for code in codes}
    for start in parents:
        seen, node = set(), start
        while node is not None:
            if node in seen:
                return True
            seen.add(node)
            node = parents[node]
    return False


def test_codes_made_each_others_parent_at_once_stay_a_tree():
    project = ProjectFactory()
    lead = MembershipFactory(project=project, role=Role.LEAD).user
    codebook = CodebookFactory(project=project)
    url = f"/api/projects/{project.pk}/codes/"
    client_for(lead)  # its token, created before the threads look it up
    for round_ in range(ROUNDS):
        first = CodeFactory(codebook=codebook, name=f"First {round_}")
        second = CodeFactory(codebook=codebook, name=f"Second {round_}")
        statuses = patch_together(
            [
                (f"{url}{first.pk}/", {"parent": second.pk}),
                (f"{url}{second.pk}/", {"parent": first.pk}),
            ],
            lambda: client_for(lead),
        )
        assert sorted(statuses) == [200, 400], statuses
        assert not has_cycle(list(Code.objects.filter(codebook=codebook)))
