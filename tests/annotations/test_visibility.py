import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from annotations.selectors import (
    annotations_on_source_visible_to,
    annotations_visible_to,
    assignments_visible_to,
)
from core.errors import NotFound
from sources.models import Role
from sources.selectors import project_for, sources_visible_to
from tests.factories import (
    AnnotationFactory,
    AssignmentFactory,
    MembershipFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    source = SourceFactory()
    project = source.project
    other_source = SourceFactory(project=project)
    lead = MembershipFactory(project=project, role=Role.LEAD).user
    alice = MembershipFactory(project=project).user
    bob = MembershipFactory(project=project).user
    outsider = MembershipFactory().user
    for coder in (alice, bob):
        AssignmentFactory(source=source, coder=coder)
    a = AnnotationFactory(source=source, coder=alice)
    b = AnnotationFactory(source=source, coder=bob, code=a.code)
    return {
        "project": project,
        "source": source,
        "other_source": other_source,
        "lead": lead,
        "alice": alice,
        "bob": bob,
        "outsider": outsider,
        "a": a,
        "b": b,
    }


def test_a_coder_sees_only_own_annotations_in_a_blind_project(world):
    assert list(annotations_visible_to(world["alice"])) == [world["a"]]


def test_a_coder_sees_peers_on_assigned_sources_when_not_blind(world):
    world["project"].blind = False
    world["project"].save()
    assert set(annotations_visible_to(world["alice"])) == {world["a"], world["b"]}


def test_the_lead_sees_every_annotation_and_source(world):
    assert set(annotations_visible_to(world["lead"])) == {world["a"], world["b"]}
    assert set(sources_visible_to(world["lead"])) == {world["source"], world["other_source"]}


def test_a_coder_sees_only_assigned_sources_and_own_assignments(world):
    assert list(sources_visible_to(world["alice"])) == [world["source"]]
    assert {a.coder for a in assignments_visible_to(world["alice"])} == {world["alice"]}


def test_an_outsider_sees_nothing_and_gets_404(world):
    outsider = world["outsider"]
    assert not annotations_visible_to(outsider).exists()
    assert not sources_visible_to(outsider).exists()
    with pytest.raises(NotFound):
        project_for(outsider, world["project"].pk)


def test_a_coder_is_refused_lead_actions(world):
    assert project_for(world["alice"], world["project"].pk) == world["project"]
    with pytest.raises(PermissionDenied):
        project_for(world["alice"], world["project"].pk, lead=True)


def test_a_removed_member_loses_sight_of_own_work(world):
    world["project"].memberships.filter(user=world["alice"]).delete()
    assert not annotations_visible_to(world["alice"]).exists()
    assert not sources_visible_to(world["alice"]).exists()


def test_staff_see_everything(world):
    admin = UserFactory(is_staff=True)
    assert annotations_visible_to(admin).count() == 2


@pytest.mark.parametrize("blind", [True, False])
@pytest.mark.parametrize("who", ["lead", "alice", "bob", "outsider", "staff", "anonymous", "carol"])
def test_one_sources_annotations_are_those_the_general_rule_shows(world, who, blind):
    world["project"].blind = blind
    world["project"].save()
    # carol is a member of the project who is not assigned to the source.
    world["carol"] = MembershipFactory(project=world["project"]).user
    AnnotationFactory(source=world["source"], coder=world["carol"], code=world["a"].code)
    AnnotationFactory(source=world["other_source"], coder=world["alice"], code=world["a"].code)
    world["staff"] = UserFactory(is_staff=True)
    world["anonymous"] = AnonymousUser()
    user, source = world[who], world["source"]
    expected = set(annotations_visible_to(user).filter(source=source))
    assert set(annotations_on_source_visible_to(user, source)) == expected
