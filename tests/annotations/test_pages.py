import json
import re

import pytest
from django.urls import reverse

from annotations.models import AssignmentStatus
from sources.models import normalize_text
from tests.conftest import page_client_for
from tests.factories import AssignmentFactory, SourceFactory

pytestmark = pytest.mark.django_db


def page_data(response) -> dict:
    match = re.search(
        r'<script id="workspace-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the page carries its data as a json_script block"
    return json.loads(match.group(1))


def test_the_login_page_renders_and_anonymous_visitors_are_sent_to_it(study):
    assert page_client_for().get(reverse("login")).status_code == 200
    for url in [
        reverse("home"),
        reverse("project_overview", args=[study["project"].pk]),
        reverse("workspace", args=[study["sources"][0].pk]),
    ]:
        response = page_client_for().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_home_page_lists_a_coders_own_assignments_with_progress(study):
    response = page_client_for(study["alice"]).get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 / 3 done" in html
    for title in ["Alpha report", "Beta post", "Gamma article"]:
        assert title in html
    assert "Outside text" not in html
    assert "Other study" not in html


def test_the_home_page_filters_by_status_title_and_project(study):
    alice = page_client_for(study["alice"])
    done = alice.get(reverse("home"), {"status": "done"}).content.decode()
    assert "Alpha report" in done and "Beta post" not in done
    by_title = alice.get(reverse("home"), {"q": "gamma"}).content.decode()
    assert "Gamma article" in by_title and "Alpha report" not in by_title
    other = alice.get(reverse("home"), {"project": study["project"].pk + 1000}).content.decode()
    assert "Alpha report" not in other
    nonsense = alice.get(reverse("home"), {"status": "<bogus>", "project": "x"})
    assert nonsense.status_code == 200
    assert "Alpha report" in nonsense.content.decode()


def test_the_lead_sees_the_overview_link_and_a_coder_does_not(study):
    overview = reverse("project_overview", args=[study["project"].pk])
    assert overview in page_client_for(study["lead"]).get(reverse("home")).content.decode()
    assert overview not in page_client_for(study["alice"]).get(reverse("home")).content.decode()


def test_the_project_overview_shows_each_coders_progress_to_the_lead_only(study):
    url = reverse("project_overview", args=[study["project"].pk])
    response = page_client_for(study["lead"]).get(url)
    assert response.status_code == 200
    coders = {row.username: row for row in response.context["coders"]}
    assert set(coders) == {"alice", "bob"}
    assert (coders["alice"].progress.done, coders["alice"].progress.total) == (1, 3)
    assert (coders["bob"].progress.done, coders["bob"].progress.total) == (0, 1)
    assert coders["alice"].annotations == coders["bob"].annotations == 1
    assert [source.title for source, _, _ in response.context["sources"]] == [
        "Alpha report",
        "Beta post",
        "Gamma article",
    ]
    assert page_client_for(study["alice"]).get(url).status_code == 403
    assert page_client_for(study["outsider"]).get(url).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("lead", 200), ("alice", 200), ("bob", 404), ("outsider", 404)]
)
def test_the_workspace_opens_only_for_the_lead_and_assigned_coders(study, who, status):
    url = reverse("workspace", args=[study["sources"][1].pk])
    assert page_client_for(study[who]).get(url).status_code == status


def test_in_a_blind_project_the_page_offers_a_coder_only_their_own_layer(study):
    url = reverse("workspace", args=[study["sources"][0].pk])
    coder_page = page_data(page_client_for(study["alice"]).get(url))
    assert [c["username"] for c in coder_page["coders"]] == ["alice"]
    lead_page = page_data(page_client_for(study["lead"]).get(url))
    assert {c["username"] for c in lead_page["coders"]} == {"alice", "bob"}
    assert lead_page["lead"] is True and coder_page["lead"] is False


def test_the_page_carries_the_passages_its_viewer_may_see_as_columns(study):
    url = reverse("workspace", args=[study["sources"][0].pk])
    coder_page = page_data(page_client_for(study["alice"]).get(url))["annotations"]
    lead_page = page_data(page_client_for(study["lead"]).get(url))["annotations"]
    assert coder_page["coder"] == ["alice"]
    assert sorted(lead_page["coder"]) == ["alice", "bob"]
    api = page_client_for(study["lead"]).get(
        "/api/annotations/", {"source": study["sources"][0].pk}
    )
    by_id = {a["id"]: a for a in api.json()["results"]}
    fields = ["id", "code", "coder", "start", "end", "memo", "version"]
    assert sorted(lead_page) == sorted(fields)
    for i, annotation_id in enumerate(lead_page["id"]):
        assert {f: lead_page[f][i] for f in fields} == {f: by_id[annotation_id][f] for f in fields}
    empty = reverse("workspace", args=[study["sources"][2].pk])
    assert page_data(page_client_for(study["alice"]).get(empty))["annotations"]["id"] == []


def test_the_workspace_points_to_the_next_open_source_in_the_queue(study):
    alice = page_client_for(study["alice"])
    first = page_data(alice.get(reverse("workspace", args=[study["sources"][0].pk])))
    assert first["urls"]["next"] == reverse("workspace", args=[study["sources"][1].pk])
    assert first["assignment"]["status"] == AssignmentStatus.DONE
    last = page_data(alice.get(reverse("workspace", args=[study["sources"][2].pk])))
    assert last["urls"]["next"] == reverse("workspace", args=[study["sources"][1].pk])


def test_source_text_and_titles_are_data_never_markup(study):
    hostile = normalize_text('<script>alert("x")</script><img src=x onerror=alert(1)> </script>')
    source = SourceFactory(project=study["project"], title="<b>bold</b> title", text=hostile)
    AssignmentFactory(source=source, coder=study["alice"])
    response = page_client_for(study["alice"]).get(reverse("workspace", args=[source.pk]))
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt; title" in html
    assert page_data(response)["source"]["text"] == hostile


def test_pages_carry_no_inline_script_so_a_strict_csp_holds(study):
    url = reverse("workspace", args=[study["sources"][0].pk])
    html = page_client_for(study["alice"]).get(url).content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the workspace loads its module"
    for tag in scripts:
        assert 'type="application/json"' in tag or " src=" in tag
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"
