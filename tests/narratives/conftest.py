"""A project with a small codebook and passages by two coders, for the code operations."""

from dataclasses import dataclass
from typing import Any

import pytest

from sources.models import Role
from tests.factories import (
    AnnotationFactory,
    AssignmentFactory,
    CodebookFactory,
    CodeFactory,
    MembershipFactory,
    SourceFactory,
)

TEXT = "Officials blamed a neighbour within hours, before any investigation had begun."


@dataclass
class Book:
    project: Any
    source: Any
    lead: Any
    alice: Any
    bob: Any
    blame: Any
    haste: Any
    frames: Any
    passages: list[Any]


@pytest.fixture
def book(db) -> Book:
    source = SourceFactory(text=TEXT, title="Statement")
    project = source.project
    codebook = CodebookFactory(project=project)
    frames = CodeFactory(codebook=codebook, name="Frames", order=0)
    blame = CodeFactory(codebook=codebook, name="Blame", parent=frames, order=0)
    haste = CodeFactory(codebook=codebook, name="Haste", parent=frames, order=1)
    lead = MembershipFactory(project=project, role=Role.LEAD, user__username="lena").user
    alice = MembershipFactory(project=project, user__username="alice").user
    bob = MembershipFactory(project=project, user__username="bob").user
    passages = []
    for coder in (alice, bob):
        AssignmentFactory(source=source, coder=coder)
        passages += [
            AnnotationFactory(source=source, code=blame, coder=coder, start=10, end=16),
            AnnotationFactory(source=source, code=blame, coder=coder, start=36, end=41),
            AnnotationFactory(source=source, code=haste, coder=coder, start=29, end=41),
        ]
    return Book(project, source, lead, alice, bob, blame, haste, frames, passages)
