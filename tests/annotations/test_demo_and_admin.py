import pytest
from django.core.management import CommandError, call_command

from annotations.models import Annotation, Assignment
from narratives.models import Code
from narratives.services import code_create
from sources.models import Membership, Project, Source

pytestmark = pytest.mark.django_db

MODELS = [Project, Membership, Source, Code, Assignment, Annotation]


def snapshot():
    counts = {model.__name__: model.objects.count() for model in MODELS}
    history = {model.__name__: model.history.count() for model in MODELS}
    return counts, history


def test_the_demo_loader_is_idempotent(capsys):
    call_command("load_demo", allow_production=True)
    first = snapshot()
    output = capsys.readouterr().out
    assert "lead" in output and "demo-lead-pass" in output
    call_command("load_demo", allow_production=True)
    assert snapshot() == first
    counts = first[0]
    assert counts["Code"] == 4 and counts["Source"] >= 4 and counts["Annotation"] >= 10
    assert set(Annotation.objects.values_list("coder__username", flat=True)) == {"coder1", "coder2"}


def test_demo_annotations_quote_their_source_exactly():
    call_command("load_demo", allow_production=True)
    for annotation in Annotation.objects.select_related("source"):
        assert annotation.source.text[annotation.start : annotation.end] == annotation.quote


def test_the_demo_loader_refuses_production_without_the_flag():
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")
    assert not Project.objects.exists()


def test_the_lead_sees_the_demo_project_after_login(client):
    call_command("load_demo", allow_production=True)
    response = client.post("/login/", {"username": "lead", "password": "demo-lead-pass"})
    assert response.status_code == 302
    home = client.get("/")
    assert "Crocus City Hall narratives (demo)" in home.content.decode()


def test_an_outsider_sees_no_project(client, django_user_model):
    call_command("load_demo", allow_production=True)
    django_user_model.objects.create_user("outsider", password="pw-for-tests-1")
    client.login(username="outsider", password="pw-for-tests-1")
    assert "Crocus" not in client.get("/").content.decode()


def test_the_admin_edits_a_code_and_sees_the_tree(client):
    call_command("load_demo", allow_production=True)
    client.login(username="admin", password="demo-admin-pass")
    parent = Code.objects.get(name="State-actor blame")
    child = code_create(project=parent.codebook.project, parent=parent, name="Blame on Ukraine")
    listing = client.get("/admin/narratives/code/").content.decode()
    assert "↳ Blame on Ukraine" in listing and "background:#1f77b4" in listing
    form = {
        "codebook": child.codebook_id,
        "parent": parent.pk,
        "name": "Blame on Ukraine",
        "definition": "Responsibility attributed to Ukraine's state or services.",
        "inclusion": "",
        "exclusion": "",
        "example": "",
        "colour": "#17becf",
        "shortcut": "u",
        "order": 1,
    }
    response = client.post(f"/admin/narratives/code/{child.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    child.refresh_from_db()
    assert child.colour == "#17becf" and child.definition.startswith("Responsibility")
    assert child.history.count() >= 1


def test_the_admin_refuses_a_sibling_with_the_same_name(client):
    call_command("load_demo", allow_production=True)
    client.login(username="admin", password="demo-admin-pass")
    existing = Code.objects.get(name="Historical memory")
    form = {
        "codebook": existing.codebook_id,
        "name": "Historical memory",
        "colour": "#000000",
        "order": 9,
    }
    response = client.post("/admin/narratives/code/add/", form)
    assert response.status_code == 200
    assert Code.objects.filter(name="Historical memory").count() == 1
