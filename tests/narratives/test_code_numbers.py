"""Each code keeps the number (and so the underline pattern) it was given when it was created:
reordering, retiring or adding codes never changes the marks on existing passages."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from narratives.models import Code
from narratives.services import code_create, code_update
from sources.models import Role
from tests.factories import AssignmentFactory, MembershipFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def page_codes(user, source) -> dict[str, int]:
    client = Client()
    client.force_login(user)
    html = client.get(reverse("workspace", args=[source.pk])).content.decode()
    data = re.search(
        r'<script id="workspace-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert data
    return {code["name"]: code["number"] for code in json.loads(data.group(1))["codes"]}


@pytest.fixture
def coding():
    source = SourceFactory()
    coder = MembershipFactory(project=source.project).user
    AssignmentFactory(source=source, coder=coder)
    return source, coder


def test_reordering_and_retiring_keep_every_codes_number(coding):
    source, coder = coding
    project = source.project
    first = code_create(project=project, name="First", order=0)
    second = code_create(project=project, name="Second", order=1)
    code_create(project=project, name="Child", parent=first, order=0)
    code_create(project=project, name="Third", order=2)
    before = page_codes(coder, source)
    assert before == {"First": 1, "Child": 3, "Second": 2, "Third": 4}
    code_update(code=second, order=9)
    code_update(code=first, order=5, retired=True)
    assert page_codes(coder, source) == before
    code_create(project=project, name="Fourth", order=0)
    assert page_codes(coder, source) == {**before, "Fourth": 5}


def test_numbers_are_per_project_and_shown_by_the_api(coding):
    source, _ = coding
    lead = MembershipFactory(project=source.project, role=Role.LEAD).user
    code_create(project=SourceFactory().project, name="Elsewhere")
    code = code_create(project=source.project, name="Here")
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(lead)
    listed = client.get(f"/api/projects/{source.project.pk}/codes/").json()["results"]
    assert [(row["name"], row["number"]) for row in listed] == [("Here", 1)]
    assert code.number == 1


def test_a_code_added_in_the_admin_takes_the_next_number(coding):
    source, _ = coding
    code_create(project=source.project, name="Existing")
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    form = {
        "codebook": source.project.codebook.pk,
        "name": "Added in admin",
        "colour": "#17becf",
        "order": 0,
        "definition": "",
        "inclusion": "",
        "exclusion": "",
        "example": "",
        "shortcut": "",
    }
    response = client.post("/admin/narratives/code/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Code.objects.get(name="Added in admin").number == 2
