"""The lead's setup pages: Sources, Members, Assignments (server side; the browser test drives
them for real)."""

import pytest

from annotations.models import Assignment, AssignmentPlan
from sources.models import Membership, Role
from tests.conftest import page_client_for
from tests.factories import (
    AnnotationFactory,
    AssignmentFactory,
    MembershipFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(project):
    return project.members.get(username="lead")


@pytest.fixture
def study(project):
    coders = [MembershipFactory(project=project, user__username=f"c{n}").user for n in range(3)]
    sources = [SourceFactory(project=project) for _ in range(20)]
    return {"coders": coders, "sources": sources}


@pytest.mark.parametrize("name", ["sources", "members", "assignments"])
def test_only_leads_open_the_setup_pages(project, lead, name):
    coder = MembershipFactory(project=project).user
    outsider = MembershipFactory().user
    url = f"/projects/{project.pk}/{name}/"
    assert page_client_for(lead).get(url).status_code == 200
    assert page_client_for(coder).get(url).status_code == 403
    assert page_client_for(outsider).get(url).status_code == 404
    assert page_client_for(None).get(url).status_code == 302


def test_the_overview_links_the_setup_pages(project, lead):
    page = page_client_for(lead).get(f"/projects/{project.pk}/").content.decode()
    for name in ("sources", "members", "assignments"):
        assert f'href="/projects/{project.pk}/{name}/"' in page


def test_the_sources_page_escapes_titles_and_offers_delete_only_while_unannotated(project, lead):
    plain = SourceFactory(project=project, title="<script>alert(1)</script>")
    coded = SourceFactory(project=project, title="Coded")
    AnnotationFactory(source=coded)
    page = page_client_for(lead).get(f"/projects/{project.pk}/sources/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    row = page.split(f'data-id="{plain.pk}"')[1].split("</tr>")[0]
    assert "Delete" in row
    row = page.split(f'data-id="{coded.pk}"')[1].split("</tr>")[0]
    assert "Delete" not in row


def test_members_are_added_by_username_changed_and_removed_keeping_a_lead(project, lead):
    UserFactory(username="newcoder")
    client = page_client_for(lead)
    url = f"/projects/{project.pk}/members/change/"
    client.post(url, {"action": "add", "username": "newcoder", "role": "coder"})
    membership = Membership.objects.get(project=project, user__username="newcoder")
    client.post(url, {"action": "role", "member": membership.pk, "role": "lead"})
    membership.refresh_from_db()
    assert membership.role == Role.LEAD
    client.post(url, {"action": "remove", "member": membership.pk})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    only_lead = Membership.objects.get(project=project, user=lead)
    response = client.post(url, {"action": "remove", "member": only_lead.pk}, follow=True)
    assert "only lead" in response.content.decode()
    response = client.post(url, {"action": "add", "username": "nobody"}, follow=True)
    assert "No user named" in response.content.decode()
    assert Membership.objects.filter(pk=only_lead.pk).exists()


def test_a_reliability_sample_is_previewed_with_loads_then_applied_with_its_seed(
    project, lead, study
):
    client = page_client_for(lead)
    url = f"/projects/{project.pk}/assignments/"
    params = {"strategy": "reliability", "share": "20", "seed": "77"}
    preview = client.get(url, params).content.decode()
    assert "This adds <strong>" in preview and "seed <strong" in preview and ">77<" in preview
    assert 'id="loads"' in preview and not Assignment.objects.exists()
    client.post(f"{url}apply/", params)
    plan = AssignmentPlan.objects.get()
    assert (plan.seed, plan.params, len(plan.overlap)) == (77, {"share": 0.2}, 4)
    assert Assignment.objects.count() == 16 + 4 * 3
    for source in plan.overlap:
        assert Assignment.objects.filter(source_id=source).count() == 3


def test_without_a_seed_one_is_drawn_shown_and_stored(project, lead, study):
    client = page_client_for(lead)
    url = f"/projects/{project.pk}/assignments/"
    client.post(f"{url}apply/", {"strategy": "k", "k": "2"})
    plan = AssignmentPlan.objects.get()
    assert plan.seed >= 0 and Assignment.objects.count() == 40
    assert f"seed {plan.seed}" in client.get(url).content.decode()


def test_an_impossible_plan_is_refused_on_the_page(project, lead, study):
    response = page_client_for(lead).post(
        f"/projects/{project.pk}/assignments/apply/", {"strategy": "k", "k": "9"}, follow=True
    )
    assert "between 1 and the number of coders" in response.content.decode()
    assert not Assignment.objects.exists()


def test_an_assignment_is_reassigned_or_unassigned_until_the_coder_starts(project, lead, study):
    first, second, _ = study["coders"]
    assignment = AssignmentFactory(source=study["sources"][0], coder=first)
    client = page_client_for(lead)
    url = f"/projects/{project.pk}/assignments/change/"
    client.post(url, {"assignment": assignment.pk, "action": "reassign", "coder": second.pk})
    assignment.refresh_from_db()
    assert assignment.coder == second
    started = AssignmentFactory(source=study["sources"][1], coder=first, status="in_progress")
    response = client.post(
        url, {"assignment": started.pk, "action": "reassign", "coder": second.pk}, follow=True
    )
    assert "has started" in response.content.decode()
    client.post(url, {"assignment": assignment.pk, "action": "unassign"})
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
