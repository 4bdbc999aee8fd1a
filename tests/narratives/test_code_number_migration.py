"""Codes that existed before numbers were stored are numbered in the order the coding page
showed them: depth first, siblings by order then name, retired codes included."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("narratives", "0001_initial")]
AFTER = [("narratives", "0002_code_number_stable")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # Projects as the database has them: the sources app does not depend on narratives, so its
    # later migrations stay applied while narratives steps back.
    sources = executor.loader.graph.leaf_nodes("sources")
    return executor.loader.project_state(targets + sources).apps


def test_existing_codes_are_numbered_in_the_order_the_page_showed_them():
    apps = migrate(BEFORE)
    try:
        project = apps.get_model("sources", "Project").objects.create(name="Old")
        codebook = apps.get_model("narratives", "Codebook").objects.create(project=project)
        Code = apps.get_model("narratives", "Code")
        second = Code.objects.create(codebook=codebook, name="B second", order=1)
        first = Code.objects.create(codebook=codebook, name="A first", order=1)
        Code.objects.create(codebook=codebook, name="Child", parent=first, order=0, retired=True)
        Code.objects.create(codebook=codebook, name="Zero", order=0)
        assert second.pk < first.pk
        apps = migrate(AFTER)
        numbered = apps.get_model("narratives", "Code").objects.filter(codebook_id=codebook.pk)
        assert dict(numbered.values_list("name", "number")) == {
            "Zero": 1,
            "A first": 2,
            "Child": 3,
            "B second": 4,
        }
        codebook = apps.get_model("narratives", "Codebook").objects.get(pk=codebook.pk)
        assert codebook.numbers_given == 4
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
