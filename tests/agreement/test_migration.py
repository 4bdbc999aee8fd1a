"""The agreement runs move from `annotations` to `agreement` without losing a row: the schema as it
was before the move is rebuilt, filled, and migrated forward."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agreement.models import AgreementRun

BEFORE = [("annotations", "0001_initial"), ("agreement", None)]


def _old_models():
    """Migrate back to the schema before the move and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in dict(BEFORE)]
    return executor.loader.project_state([*others, BEFORE[0]]).apps


@pytest.mark.django_db(transaction=True)
def test_agreement_runs_keep_their_rows_through_the_move():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _old_models()
        user = old.get_model("auth", "User").objects.create(username="lead")
        project = old.get_model("sources", "Project").objects.create(name="Study")
        old_run = old.get_model("annotations", "AgreementRun")
        done = old_run.objects.create(
            project=project,
            created_by=user,
            params={"level": "leaf", "bootstrap": 0},
            codebook_snapshot=[{"id": 1, "name": "Threat"}],
            status="done",
            progress=1.0,
            results={"overall": {"doc_alpha": {"value": 0.75}}},
        )
        failed = old_run.objects.create(project=project, status="failed", error="Boom")
    finally:
        MigrationExecutor(connection).migrate(latest)

    runs = {run.pk: run for run in AgreementRun.objects.select_related("project", "created_by")}
    assert set(runs) == {done.pk, failed.pk}
    moved = runs[done.pk]
    assert moved.project.name == "Study"
    assert moved.created_by.username == "lead"
    assert moved.params == {"level": "leaf", "bootstrap": 0}
    assert moved.codebook_snapshot == [{"id": 1, "name": "Threat"}]
    assert moved.results == {"overall": {"doc_alpha": {"value": 0.75}}}
    assert (moved.status, moved.progress) == ("done", 1.0)
    assert runs[failed.pk].error == "Boom"
    # New runs continue the old ids rather than colliding with them.
    later = AgreementRun.objects.create(project=moved.project)
    assert later.pk > max(runs)
    assert AgreementRun._meta.db_table == "agreement_agreementrun"
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "annotations_agreementrun" not in tables
