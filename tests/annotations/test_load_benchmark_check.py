"""The load benchmark's own parts: its check must notice a lost, a changed, a resurrected and
an unknown (duplicated) annotation; it refuses SQLite; its bare-insert reference writes a row;
its CPU accounting leaves out a killed worker."""

import uuid

import pytest
from django.db import connection
from rest_framework.test import APIClient

from benchmarks.load import cpu
from benchmarks.load.coders import Ledger
from benchmarks.load.server import bench_database_url
from benchmarks.load_annotations import verify
from tests.factories import AnnotationFactory, UserFactory

pytestmark = pytest.mark.django_db


def state(annotation, **changes):
    fields = {
        "source": annotation.source_id,
        "code": annotation.code_id,
        "start": annotation.start,
        "end": annotation.end,
        "memo": annotation.memo,
        "version": annotation.version,
    }
    return {**fields, **changes}


def test_the_check_passes_when_the_database_matches_every_acknowledged_write():
    kept = AnnotationFactory(coder=UserFactory(username="bench-coder-0"))
    ledger = Ledger(state={str(kept.pk): state(kept), str(uuid.uuid4()): None})
    checks = verify([ledger])
    assert checks["lost"] == checks["duplicated"] == checks["resurrected after delete"] == 0


def test_the_check_counts_lost_changed_resurrected_and_unknown_rows():
    coder = UserFactory(username="bench-coder-1")
    changed = AnnotationFactory(coder=coder)
    resurrected = AnnotationFactory(coder=coder, source=changed.source, code=changed.code)
    AnnotationFactory(coder=coder, source=changed.source, code=changed.code)  # never acknowledged
    ledger = Ledger(
        state={
            str(uuid.uuid4()): state(changed),
            str(changed.pk): state(changed, memo="acknowledged edit", version=2),
            str(resurrected.pk): None,
        }
    )
    checks = verify([ledger])
    assert checks["lost"] == 2
    assert checks["resurrected after delete"] == 1
    assert checks["duplicated"] == 1


def test_the_benchmark_refuses_sqlite():
    with pytest.raises(SystemExit, match="SQLite is not a meaningful target"):
        bench_database_url("sqlite:///var/narrative-coder.sqlite3")


@pytest.mark.django_db(transaction=True)
def test_the_bare_insert_reference_writes_the_row_it_answers_with(settings):
    from benchmarks.load.bare import BareRow

    settings.ROOT_URLCONF = "benchmarks.load.bare"
    with connection.schema_editor() as editor:
        editor.create_model(BareRow)
    try:
        body = {"source": 3, "code": 1, "start": 5, "end": 9, "memo": "m"}
        response = APIClient().post("/bench/bare-insert/", body, format="json")
        assert response.status_code == 201
        row = BareRow.objects.get()
        assert response.json() == {"id": row.pk, **body}
        assert APIClient().get("/health/").status_code == 200
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(BareRow)


def test_cpu_accounting_counts_a_new_process_whole_and_leaves_out_a_vanished_one():
    before = cpu.Snapshot(client=1.0, web={10: 2.0, 11: 5.0}, database={20: 1.0})
    after = cpu.Snapshot(client=1.5, web={10: 2.5, 12: 0.25}, database={20: 1.5, 21: 0.5})
    assert cpu.spent(before, after) == {"client": 0.5, "web": 0.75, "database": 1.0}
