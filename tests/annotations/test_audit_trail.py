import pytest

from annotations.models import Annotation, Assignment
from narratives.models import Code
from sources.models import Membership, Source
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def history_url(world):
    return f"/api/projects/{world.project.pk}/sources/{world.source.pk}/history/"


def test_token_authenticated_writes_record_who_made_them(world, as_user):
    lead = as_user(world.lead)
    project = world.project.pk
    UserFactory(username="nina")
    lead.post(f"/api/projects/{project}/members/", {"user": "nina", "role": "coder"}, format="json")
    lead.post(f"/api/projects/{project}/codes/", {"name": "New"}, format="json")
    lead.post(
        f"/api/projects/{project}/sources/", {"title": "T", "text": "New text."}, format="json"
    )
    lead.post(
        f"/api/projects/{project}/assignments/",
        {"source": world.unassigned.pk, "coder": "alice"},
        format="json",
    )
    for model in (Membership, Code, Source, Assignment):
        assert model.history.latest().history_user == world.lead, model.__name__
    alice = as_user(world.alice)
    note = world.alice_note
    alice.patch(f"/api/annotations/{note.pk}/", {"version": 1, "memo": "m"}, format="json")
    alice.delete(f"/api/annotations/{note.pk}/?version=2")
    records = Annotation.history.filter(id=note.pk).order_by("history_date")
    assert [(r.history_type, r.history_user) for r in records][1:] == [
        ("~", world.alice),
        ("-", world.alice),
    ]


def test_session_authenticated_writes_record_who_made_them(world, client):
    client.force_login(world.alice)
    client.patch(
        f"/api/annotations/{world.alice_note.pk}/",
        {"version": 1, "memo": "via the page"},
        content_type="application/json",
    )
    assert Annotation.history.filter(id=world.alice_note.pk).latest().history_user == world.alice


def test_the_source_history_shows_before_and_after_and_keeps_deletions(world, as_user):
    alice = as_user(world.alice)
    url = f"/api/annotations/{world.alice_note.pk}/"
    alice.patch(url, {"version": 1, "start": 8, "end": 16}, format="json")
    alice.delete(url + "?version=2")
    rows = as_user(world.lead).get(history_url(world)).json()["results"]
    mine = [row for row in rows if row["annotation"] == str(world.alice_note.pk)]
    assert [row["action"] for row in mine] == ["deleted", "changed", "created"]
    changed = mine[1]
    assert changed["by"] == "alice"
    assert (changed["before"]["start"], changed["after"]["start"]) == (0, 8)
    assert changed["after"]["quote"] == "22 March" and mine[2]["before"] is None


def test_only_leads_see_a_source_history(world, as_user):
    assert as_user(world.admin).get(history_url(world)).status_code == 200
    assert as_user(world.alice).get(history_url(world)).status_code == 403
    assert as_user(world.outsider).get(history_url(world)).status_code == 404
    assert as_user(None).get(history_url(world)).status_code == 401


def test_the_lead_history_page_lists_changes_escaped(world, as_user, client):
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    as_user(world.alice).patch(
        f"/api/annotations/{world.alice_note.pk}/", {"version": 1, "memo": hostile}, format="json"
    )
    page_url = f"/projects/{world.project.pk}/sources/{world.source.pk}/history/"
    client.force_login(world.lead)
    page = client.get(page_url)
    html = page.content.decode()
    assert page.status_code == 200 and "changed" in html and "alice" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html


@pytest.mark.parametrize("who,status", [("alice", 403), ("outsider", 404)])
def test_the_history_page_is_for_leads_only(world, client, who, status):
    client.force_login(getattr(world, who))
    page_url = f"/projects/{world.project.pk}/sources/{world.source.pk}/history/"
    assert client.get(page_url).status_code == status


def test_the_history_page_sends_anonymous_visitors_to_log_in(world, client):
    page_url = f"/projects/{world.project.pk}/sources/{world.source.pk}/history/"
    response = client.get(page_url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_restored_passage_shows_in_the_history_as_restored(world, as_user):
    note = world.alice_note
    as_user(world.alice).delete(f"/api/annotations/{note.pk}/?version=1")
    as_user(world.admin).post(f"/api/annotations/{note.pk}/restore/")
    latest = as_user(world.lead).get(history_url(world)).json()["results"][0]
    assert (latest["action"], latest["reason"], latest["by"]) == ("created", "restored", "root")
