import pytest

from annotations.demo.loader import demo_load
from sources.models import Role
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The demo hashes five passwords per test; the production hasher makes that seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    project, _ = demo_load()
    return project


@pytest.fixture
def users(demo, django_user_model):
    """The demo's admin, lead and coder, and a coder of another project."""
    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, role=Role.CODER)
    return {
        "admin": django_user_model.objects.get(username="admin"),
        "lead": django_user_model.objects.get(username="lead"),
        "coder": django_user_model.objects.get(username="coder1"),
        "stranger": stranger,
    }
