"""An export reads one snapshot: a coder saving while the file is written changes nothing in it."""

import threading

import pytest
from django.db import connection

from annotations.models import Annotation
from interchange.export_services import export_stream
from tests.interchange.conftest import expected_annotations
from tests.interchange.test_export_kinds import csv_rows

pytestmark = pytest.mark.django_db(transaction=True)


def _save_meanwhile(note_id, new_memo: str) -> None:
    def work() -> None:
        try:
            note = Annotation.objects.get(pk=note_id)
            note.memo = new_memo
            note.save()
            moved = Annotation.objects.exclude(pk=note_id).first()
            moved.delete()
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_writes_during_an_export_do_not_reach_its_file(world, kind):
    before = expected_annotations(world.project)
    note = Annotation.objects.filter(source__project=world.project).order_by("pk").first()
    _, chunks = export_stream(
        project=world.project, user=world.lead, kind=kind, params={"exact": ["1"]}
    )
    first = next(chunks)  # the snapshot is open from here on
    _save_meanwhile(note.pk, "changed during the export")
    data = first + b"".join(chunks)
    assert expected_annotations(world.project) != before
    if kind == "csv":
        rows = csv_rows(data)
        assert len(rows) == len(before)
        assert "changed during the export" not in {row["memo"] for row in rows}
    else:
        assert b"changed during the export" not in data
        assert data.count(b'"quote"') == len(before)
