"""Fixtures for import and export: a project to import into, and a multilingual project to
export (astral emoji, Arabic, combining marks before and after NFC, text that arrived with CRLF,
and cells a spreadsheet would run as formulas)."""

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from annotations.models import Annotation, AssignmentStatus, Layer
from interchange.formats.incoming import Options, Upload
from interchange.services import FileReport, import_upload
from sources.models import Role, normalize_text, text_sha256
from tests.factories import (
    AnnotationFactory,
    AssignmentFactory,
    CodebookFactory,
    CodeFactory,
    MembershipFactory,
    ProjectFactory,
    SourceFactory,
    UserFactory,
)

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


TEXTS = {
    "emoji": "Flags 🇷🇺 and faces 😀😡 around the claim 💥 that Kyiv ordered it.",
    "arabic": "أعلن تنظيم الدولة الإسلامية مسؤوليته عن هجوم كروكوس في موسكو.",
    "decomposed": "Cafe\u0301 owner says the cafe\u0301 was empty; ре\u0301зко.",
    "precomposed": "Café owner says the café was full; ре́зко.",
    "crlf": "Line one\r\nLine two says =SUM(A1)\r\n+7 callers\r\n",
}
# (source key, substring to code, coder, code key, memo)
PASSAGES = [
    ("emoji", "😀😡", "coder_ann", "blame", "@mention in memo"),
    ("emoji", "🇷🇺 and", "coder_bo", "blame", ""),
    ("emoji", "Kyiv ordered it", "coder_ann", "child", '=HYPERLINK("x")'),
    ("arabic", "تنظيم الدولة", "coder_ann", "claim", "ملاحظة"),
    ("arabic", "كروكوس في موسكو", "coder_bo", "child", "-minus"),
    ("decomposed", "café", "coder_ann", "claim", "e + U+0301\r\nnormalised"),
    ("precomposed", "ре́зко", "coder_bo", "blame", ""),
    ("crlf", "one\r\nLine", "coder_ann", "blame", "\ttab first"),
    ("crlf", "=SUM(A1)", "coder_bo", "child", "+plus"),
    ("crlf", "+7 callers\r\n", "coder_ann", "claim", "'already quoted"),
]


@dataclass
class ExportWorld:
    project: Any
    lead: Any
    coders: dict[str, Any]
    sources: dict[str, Any]
    codes: dict[str, Any]
    outsider: Any
    admin: Any

    def client(self, user: Any = None) -> APIClient:
        client = APIClient()
        client.force_authenticate(user or self.lead)
        return client

    def get(self, kind: str, user: Any = None, **params: Any) -> Any:
        return self.client(user).get(f"/api/projects/{self.project.pk}/export/{kind}/", params)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def unzip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def expected_annotations(project: Any) -> set[tuple[int, str, int, int, int, str]]:
    return {
        (note.source_id, note.coder.username, note.code_id, note.start, note.end, note.quote)
        for note in Annotation.objects.filter(source__project=project).select_related("coder")
    }


@pytest.fixture
def world(db) -> ExportWorld:
    project = ProjectFactory(name="Crocus → narratives: «2024»", blind=True)
    lead = MembershipFactory(project=project, role=Role.LEAD, user__username="lead_lena").user
    coders = {
        name: MembershipFactory(project=project, user__username=name, user__first_name=first).user
        for name, first in (("coder_ann", "Ann"), ("coder_bo", "Бо"))
    }
    book = CodebookFactory(project=project)
    blame = CodeFactory(
        codebook=book, name="Blame", colour="#e15759", shortcut="b", definition="Who is blamed",
        inclusion="Named actor", exclusion="Vague", example="«Kyiv did it»",
    )  # fmt: skip
    codes = {
        "blame": blame,
        "child": CodeFactory(codebook=book, name="Ukraine", parent=blame, colour="#4e79a7"),
        "claim": CodeFactory(codebook=book, name="=Claim", colour="#59a14f", order=2),
        "retired": CodeFactory(codebook=book, name="Old", retired=True, order=3),
    }
    sources = {}
    for index, (key, raw) in enumerate(TEXTS.items()):
        text = normalize_text(raw)
        sources[key] = SourceFactory(
            project=project,
            title=f"+{key} «title»" if key == "crlf" else f"{key} source",
            text=text,
            sha256=text_sha256(text),
            kind="social_media_post",
            outlet="Telegram" if index % 2 else "",
            language={"arabic": "ar", "decomposed": "fr"}.get(key, "en"),
            url=f"https://example.org/{key}",
        )
    for key, source in sources.items():
        for coder in coders.values():
            AssignmentFactory(source=source, coder=coder, status=AssignmentStatus.DONE)
        del key
    for key, piece, coder, code, memo in PASSAGES:
        text = sources[key].text
        piece = normalize_text(piece)
        start = text.index(piece)
        AnnotationFactory(
            source=sources[key], coder=coders[coder], code=codes[code], start=start,
            end=start + len(piece), quote=piece, memo=memo,
        )  # fmt: skip
    outsider = MembershipFactory(user__username="outsider_oz").user
    admin = UserFactory(username="staff_sam", is_staff=True)
    return ExportWorld(project, lead, coders, sources, codes, outsider, admin)


DECIDED = datetime(2024, 4, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def gold(world: ExportWorld) -> ExportWorld:
    """Two gold passages: one settled from a coder's passage by the lead who drew it, one
    drawn by the lead and last decided by a second lead."""
    judge = MembershipFactory(project=world.project, role=Role.LEAD, user__username="lead_max").user
    settled = Annotation.objects.filter(coder=world.coders["coder_ann"]).order_by("start").first()
    assert settled is not None
    AnnotationFactory(
        source=settled.source, coder=world.lead, code=settled.code, start=settled.start,
        end=settled.end, layer=Layer.GOLD, adjudicated_by=world.lead, adjudicated_at=DECIDED,
        derived_from=[str(settled.pk)],
    )  # fmt: skip
    source = world.sources["arabic"]
    AnnotationFactory(
        source=source, coder=world.lead, code=world.codes["claim"], start=0, end=5,
        layer=Layer.GOLD, adjudicated_by=judge, adjudicated_at=DECIDED,
    )  # fmt: skip
    return world
