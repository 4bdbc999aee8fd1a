import pytest

from annotations.models import AssignmentStatus
from sources.models import Role
from tests.factories import (
    AnnotationFactory,
    AssignmentFactory,
    CodeFactory,
    MembershipFactory,
    ProjectFactory,
    SourceFactory,
)


@pytest.fixture
def study(db):
    """A blind project with a lead, two coders, three sources, and an unrelated project."""
    project = ProjectFactory(name="Study", blind=True)
    lead = MembershipFactory(project=project, role=Role.LEAD, user__username="lead").user
    alice = MembershipFactory(project=project, user__username="alice").user
    bob = MembershipFactory(project=project, user__username="bob").user
    code = CodeFactory(codebook__project=project, name="Threat", shortcut="t")
    sources = [
        SourceFactory(project=project, title=title)
        for title in ["Alpha report", "Beta post", "Gamma article"]
    ]
    assignments = {
        "alice": [
            AssignmentFactory(source=sources[0], coder=alice, status=AssignmentStatus.DONE),
            AssignmentFactory(source=sources[1], coder=alice, status=AssignmentStatus.IN_PROGRESS),
            AssignmentFactory(source=sources[2], coder=alice),
        ],
        "bob": [AssignmentFactory(source=sources[0], coder=bob)],
    }
    AnnotationFactory(source=sources[0], coder=alice, code=code)
    AnnotationFactory(source=sources[0], coder=bob, code=code)
    other = ProjectFactory(name="Other study")
    outsider = MembershipFactory(project=other, user__username="outsider").user
    AssignmentFactory(source=SourceFactory(project=other, title="Outside text"), coder=outsider)
    return {
        "project": project,
        "lead": lead,
        "alice": alice,
        "bob": bob,
        "outsider": outsider,
        "code": code,
        "sources": sources,
        "assignments": assignments,
    }
