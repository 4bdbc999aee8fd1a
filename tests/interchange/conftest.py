from pathlib import Path

import pytest

from interchange.formats.incoming import Options, Upload
from interchange.services import FileReport, import_upload
from tests.factories import MembershipFactory, ProjectFactory

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def project(db):
    project = ProjectFactory(name="Crocus study")
    MembershipFactory(project=project, role="lead", user__username="lead")
    return project


@pytest.fixture
def load(project):
    """Import one file into `project` through the import service; the file's report."""

    def load(name: str, data: bytes, kind: str | None = None, **options) -> FileReport:
        upload = Upload(name=name, data=data)
        return import_upload(project=project, upload=upload, kind=kind, options=Options(**options))

    return load
