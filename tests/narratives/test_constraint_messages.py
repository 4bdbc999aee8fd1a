"""A constraint a person can run into is explained in words: on the admin's form field where
there is one, never as "Constraint … is violated"."""

import pytest
from django.apps import apps
from django.test import Client

from narratives.services import code_create
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def code_form(project, **fields):
    return {
        "codebook": project.codebook.pk,
        "name": "New",
        "colour": "#17becf",
        "order": 0,
        "definition": "",
        "inclusion": "",
        "exclusion": "",
        "example": "",
        "shortcut": "",
        **fields,
    }


def test_a_duplicate_shortcut_in_the_admin_is_an_error_on_the_field(admin_client):
    project = ProjectFactory()
    code_create(project=project, name="Existing", shortcut="b")
    response = admin_client.post("/admin/narratives/code/add/", code_form(project, shortcut="b"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {"shortcut": ["The shortcut 'b' is taken by another code: Existing."]}
    assert "is violated" not in response.content.decode()


def test_a_duplicate_name_in_the_admin_is_an_error_on_the_name(admin_client):
    project = ProjectFactory()
    code_create(project=project, name="Existing")
    response = admin_client.post("/admin/narratives/code/add/", code_form(project, name="Existing"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["name"] and "already a code named" in errors["name"][0]


def test_every_constraint_of_our_models_has_a_message_in_words():
    ours = {"sources", "narratives", "annotations"}
    for model in apps.get_models():
        if model._meta.app_label not in ours:
            continue
        for constraint in model._meta.constraints:
            message = constraint.get_violation_error_message()
            assert "is violated" not in message, f"{model.__name__}.{constraint.name}: {message}"
