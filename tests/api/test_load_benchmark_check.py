"""The load benchmark's own check: it must notice a lost, a changed, a resurrected and an
unknown (duplicated) annotation, and refuse to run against SQLite."""

import uuid

import pytest

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
