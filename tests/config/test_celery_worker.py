import pytest

from sources.services import source_create
from sources.tasks import source_verify
from tests.factories import ProjectFactory


def test_a_task_runs_in_process_for_unit_tests(db):
    source = source_create(project=ProjectFactory(), title="T", text="Eager text.")
    assert source_verify.delay(source.pk).get(timeout=5)["ok"] is True


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_travels_through_the_broker_to_a_real_worker(celery_worker_process):
    source = source_create(project=ProjectFactory(), title="T", text="Worker text 🇷🇺.")
    result = source_verify.delay(source.pk)
    assert result.get(timeout=60) == {"source": source.pk, "ok": True, "length": 15}
    assert celery_worker_process.poll() is None
