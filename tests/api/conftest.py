"""A small world for API tests: one project with a lead, two coders and an outsider (a coder of
another project), plus an admin, each with an API client authenticated by token."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sources.models import Role
from tests.factories import (
    AnnotationFactory,
    AssignmentFactory,
    CodebookFactory,
    CodeFactory,
    MembershipFactory,
    SourceFactory,
    UserFactory,
)

TEXT = "Moscow, 22 March: officials blamed Kyiv within hours, before any investigation."


@dataclass
class World:
    project: Any
    source: Any
    unassigned: Any
    code: Any
    lead: Any
    alice: Any
    bob: Any
    outsider: Any
    admin: Any
    other_project: Any
    other_source: Any
    other_code: Any
    alice_note: Any
    bob_note: Any
    outsider_note: Any


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db) -> World:
    source = SourceFactory(text=TEXT, title="Statement")
    project = source.project
    unassigned = SourceFactory(project=project, title="Unassigned")
    code = CodeFactory(codebook=CodebookFactory(project=project), name="Blame")
    lead = MembershipFactory(project=project, role=Role.LEAD, user__username="lena").user
    alice = MembershipFactory(project=project, user__username="alice").user
    bob = MembershipFactory(project=project, user__username="bob").user
    other_source = SourceFactory(title="Elsewhere")
    other_code = CodeFactory(codebook=CodebookFactory(project=other_source.project))
    outsider = MembershipFactory(project=other_source.project, user__username="oscar").user
    for coder in (alice, bob):
        AssignmentFactory(source=source, coder=coder)
    AssignmentFactory(source=other_source, coder=outsider)
    return World(
        project=project,
        source=source,
        unassigned=unassigned,
        code=code,
        lead=lead,
        alice=alice,
        bob=bob,
        outsider=outsider,
        admin=UserFactory(username="root", is_staff=True),
        other_project=other_source.project,
        other_source=other_source,
        other_code=other_code,
        alice_note=AnnotationFactory(source=source, code=code, coder=alice, start=0, end=6),
        bob_note=AnnotationFactory(source=source, code=code, coder=bob, start=8, end=16),
        outsider_note=AnnotationFactory(
            source=other_source, code=other_code, coder=outsider, start=0, end=6
        ),
    )


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def as_user():
    return client_for
