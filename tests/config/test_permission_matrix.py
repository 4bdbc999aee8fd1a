"""Every API endpoint, method and role, enumerated from the URL resolver.

A new endpoint without a row here fails `test_every_endpoint_has_a_row`. Each row says what the
admin, the project's lead, one of its coders, a coder of another project and an anonymous client
get. Every response is also searched for markers of objects that role must never see (another
coder's passages in a blind project, unassigned sources, another project), and every list must
count exactly what it shows.
"""

import json
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from agreement.models import AgreementRunStatus, CalibrationRound
from agreement.services.start import agreement_run_start
from annotations.models import Annotation, Assignment, AssignmentStatus
from interchange.export_services import export_start
from interchange.models import ImportJob
from narratives.services import code_update, codebook_version_publish
from sources.models import Membership, Role
from tests.conftest import client_for
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

pytestmark = pytest.mark.django_db

ROLES = ["admin", "lead", "coder", "other", "anonymous"]
METHODS = ["get", "post", "put", "patch", "delete"]
TEXT = "Officials blamed a neighbour within hours, before any investigation had begun."

# Text that only some roles may ever receive, planted in the objects they must not see.
PEER = "peer_secret_coder"
PEER_MEMO = "PEER_MEMO_SECRET"
UNASSIGNED = "UNASSIGNED_SOURCE_SECRET"
PROJECT_A = "PROJECT_A_SECRET"
CODER_MEMO = "CODER_MEMO_SECRET"
OTHER = "OTHER_PROJECT_SECRET"
GOLD_MEMO = "GOLD_MEMO_UNRELEASED"
FORBIDDEN = {
    "admin": [],
    "lead": [OTHER],
    "coder": [PEER, PEER_MEMO, UNASSIGNED, OTHER, GOLD_MEMO],
    "other": [PROJECT_A, CODER_MEMO, PEER, PEER_MEMO, UNASSIGNED, GOLD_MEMO],
    "anonymous": [PROJECT_A, CODER_MEMO, PEER, PEER_MEMO, UNASSIGNED, OTHER, GOLD_MEMO],
}

OPEN = (200, 200, 200, 200, 200)
MEMBERS_READ = (200, 200, 200, 404, 401)
LEADS_READ = (200, 200, 403, 404, 401)
LEADS_WRITE_GET = (200, 200, 403, 404, 401)
ANY_USER = (200, 200, 200, 200, 401)

# (route, method): (url, body or None, expected status for each of ROLES)
ROWS: dict[tuple[str, str], tuple[str, Any, tuple[int, ...]]] = {
    ("api/auth/token/", "post"): (
        "/api/auth/token/",
        {"username": "coder_alice", "password": "pw-for-tests-1"},
        OPEN,
    ),
    ("api/auth/token/", "delete"): ("/api/auth/token/", None, (204, 204, 204, 204, 401)),
    ("api/schema/", "get"): ("/api/schema/", None, OPEN),
    ("api/docs/", "get"): ("/api/docs/", None, OPEN),
    ("api/projects/", "get"): ("/api/projects/", None, ANY_USER),
    ("api/projects/", "post"): ("/api/projects/", {"name": "Fresh"}, (201, 403, 403, 403, 401)),
    ("api/projects/<int:project_id>/", "get"): ("/api/projects/{project}/", None, MEMBERS_READ),
    ("api/projects/<int:project_id>/", "patch"): (
        "/api/projects/{project}/",
        {"description": "Changed"},
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/members/", "get"): (
        "/api/projects/{project}/members/",
        None,
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/members/", "post"): (
        "/api/projects/{project}/members/",
        {"user": "spare_user", "role": "coder"},
        (201, 201, 403, 404, 401),
    ),
    ("api/projects/<int:project_id>/members/<int:member_id>/", "get"): (
        "/api/projects/{project}/members/{coder_membership}/",
        None,
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/members/<int:member_id>/", "patch"): (
        "/api/projects/{project}/members/{coder_membership}/",
        {"role": "lead"},
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/members/<int:member_id>/", "delete"): (
        "/api/projects/{project}/members/{coder_membership}/",
        None,
        (204, 204, 403, 404, 401),
    ),
    ("api/projects/<int:project_id>/codes/", "get"): (
        "/api/projects/{project}/codes/",
        None,
        MEMBERS_READ,
    ),
    ("api/projects/<int:project_id>/codes/", "post"): (
        "/api/projects/{project}/codes/",
        {"name": "New code", "parent": "{code}"},
        (201, 201, 403, 404, 401),
    ),
    ("api/projects/<int:project_id>/codes/<int:code_id>/", "get"): (
        "/api/projects/{project}/codes/{unused_code}/",
        None,
        MEMBERS_READ,
    ),
    ("api/projects/<int:project_id>/codes/<int:code_id>/", "patch"): (
        "/api/projects/{project}/codes/{unused_code}/",
        {"definition": "Sharper."},
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/codes/<int:code_id>/", "delete"): (
        "/api/projects/{project}/codes/{unused_code}/",
        None,
        (204, 204, 403, 404, 401),
    ),
    ("api/projects/<int:project_id>/codes/<int:code_id>/move/", "post"): (
        "/api/projects/{project}/codes/{unused_code}/move/",
        {"parent": None, "order": 0},
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/codes/<int:code_id>/merge/", "post"): (
        "/api/projects/{project}/codes/{unused_code}/merge/",
        {"into": "{code}"},
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/codes/<int:code_id>/split/", "post"): (
        "/api/projects/{project}/codes/{code}/split/",
        {"annotations": ["{coder_note}"], "into": {"name": "Blame, narrowly"}},
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/codebook/versions/", "get"): (
        "/api/projects/{project}/codebook/versions/",
        None,
        MEMBERS_READ,
    ),
    ("api/projects/<int:project_id>/codebook/versions/", "post"): (
        "/api/projects/{project}/codebook/versions/",
        {"note": "Sharper definitions"},
        (201, 201, 403, 404, 401),
    ),
    ("api/projects/<int:project_id>/codebook/versions/<int:number>/", "get"): (
        "/api/projects/{project}/codebook/versions/1/",
        None,
        MEMBERS_READ,
    ),
    ("api/projects/<int:project_id>/codebook/diff/", "get"): (
        "/api/projects/{project}/codebook/diff/?old=1",
        None,
        MEMBERS_READ,
    ),
    ("api/projects/<int:project_id>/rounds/", "get"): (
        "/api/projects/{project}/rounds/",
        None,
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/rounds/", "post"): (
        "/api/projects/{project}/rounds/",
        {"name": "Second round", "sources": ["{source}"], "coders": ["coder_alice", PEER]},
        (201, 201, 403, 404, 401),
    ),
    ("api/projects/<int:project_id>/rounds/<int:round_id>/", "get"): (
        "/api/projects/{project}/rounds/{round}/",
        None,
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/sources/", "get"): (
        "/api/projects/{project}/sources/",
        None,
        MEMBERS_READ,
    ),
    ("api/projects/<int:project_id>/sources/", "post"): (
        "/api/projects/{project}/sources/",
        {"title": "Another", "text": "A different text."},
        (201, 201, 403, 404, 401),
    ),
    ("api/projects/<int:project_id>/sources/<int:source_id>/", "get"): (
        "/api/projects/{project}/sources/{source}/",
        None,
        MEMBERS_READ,
    ),
    ("api/projects/<int:project_id>/sources/<int:source_id>/", "patch"): (
        "/api/projects/{project}/sources/{source}/",
        {"outlet": "Agency"},
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/sources/<int:source_id>/", "delete"): (
        "/api/projects/{project}/sources/{unassigned}/",
        None,
        (204, 204, 404, 404, 401),
    ),
    ("api/projects/<int:project_id>/sources/<int:source_id>/history/", "get"): (
        "/api/projects/{project}/sources/{source}/history/",
        None,
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/sources/<int:source_id>/adjudication/", "get"): (
        "/api/projects/{project}/sources/{source}/adjudication/",
        None,
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/sources/<int:source_id>/adjudication/", "post"): (
        "/api/projects/{project}/sources/{source}/adjudication/",
        {},
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/sources/<int:source_id>/adjudication/", "delete"): (
        "/api/projects/{project}/sources/{source}/adjudication/",
        None,
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/sources/<int:source_id>/rejections/", "get"): (
        "/api/projects/{project}/sources/{source}/rejections/",
        None,
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/sources/<int:source_id>/rejections/", "post"): (
        "/api/projects/{project}/sources/{source}/rejections/",
        {"annotation": "{coder_note}"},
        (201, 201, 403, 404, 401),
    ),
    (
        "api/projects/<int:project_id>/sources/<int:source_id>/rejections/<uuid:annotation_id>/",
        "delete",
    ): (
        "/api/projects/{project}/sources/{source}/rejections/{coder_note}/",
        None,
        (204, 204, 403, 404, 401),
    ),
    ("api/projects/<int:project_id>/assignments/", "get"): (
        "/api/projects/{project}/assignments/",
        None,
        MEMBERS_READ,
    ),
    ("api/projects/<int:project_id>/assignments/", "post"): (
        "/api/projects/{project}/assignments/",
        {"source": "{unassigned}", "coder": "coder_alice"},
        (201, 201, 403, 404, 401),
    ),
    ("api/projects/<int:project_id>/assignments/<int:assignment_id>/", "get"): (
        "/api/projects/{project}/assignments/{coder_assignment}/",
        None,
        MEMBERS_READ,
    ),
    ("api/projects/<int:project_id>/assignments/<int:assignment_id>/", "delete"): (
        "/api/projects/{project}/assignments/{coder_assignment}/",
        None,
        (204, 204, 403, 404, 401),
    ),
    ("api/assignments/", "get"): ("/api/assignments/", None, ANY_USER),
    ("api/assignments/<int:assignment_id>/", "get"): (
        "/api/assignments/{coder_assignment}/",
        None,
        MEMBERS_READ,
    ),
    ("api/assignments/<int:assignment_id>/complete/", "post"): (
        "/api/assignments/{coder_assignment}/complete/",
        {},
        MEMBERS_READ,
    ),
    ("api/assignments/<int:assignment_id>/reopen/", "post"): (
        "/api/assignments/{coder_assignment}/reopen/",
        {},
        MEMBERS_READ,
    ),
    ("api/annotations/", "get"): ("/api/annotations/", None, ANY_USER),
    ("api/annotations/", "post"): (
        "/api/annotations/",
        {"source": "{source}", "code": "{code}", "start": 10, "end": 16},
        # The coder has marked the source done (for the agreement figures): reopen first.
        (201, 201, 409, 400, 401),
    ),
    ("api/annotations/<uuid:annotation_id>/", "get"): (
        "/api/annotations/{coder_note}/",
        None,
        MEMBERS_READ,
    ),
    ("api/annotations/<uuid:annotation_id>/", "patch"): (
        "/api/annotations/{coder_note}/",
        {"version": 1, "memo": "Revised"},
        MEMBERS_READ,
    ),
    ("api/annotations/<uuid:annotation_id>/", "delete"): (
        "/api/annotations/{coder_note}/?version=1",
        None,
        (204, 204, 204, 404, 401),
    ),
    ("api/annotations/<uuid:annotation_id>/restore/", "post"): (
        "/api/annotations/{deleted_note}/restore/",
        {},
        (201, 403, 403, 403, 401),
    ),
    ("api/projects/<int:project_id>/agreement-runs/", "get"): (
        "/api/projects/{project}/agreement-runs/",
        None,
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/agreement-runs/", "post"): (
        "/api/projects/{project}/agreement-runs/",
        {"bootstrap": 0},
        (202, 202, 403, 404, 401),
    ),
    ("api/agreement-runs/<int:run_id>/", "get"): ("/api/agreement-runs/{run}/", None, LEADS_READ),
    ("api/agreement-runs/<int:run_id>/report.csv", "get"): (
        "/api/agreement-runs/{run}/report.csv",
        None,
        LEADS_READ,
    ),
    ("api/agreement-runs/<int:run_id>/report.html", "get"): (
        "/api/agreement-runs/{run}/report.html",
        None,
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/export/<str:kind>/", "get"): (
        "/api/projects/{project}/export/jsonl/",
        None,
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/exports/", "get"): (
        "/api/projects/{project}/exports/",
        None,
        LEADS_READ,
    ),
    ("api/projects/<int:project_id>/exports/", "post"): (
        "/api/projects/{project}/exports/",
        {"kind": "csv"},
        (202, 202, 403, 404, 401),
    ),
    ("api/exports/<int:export_id>/", "get"): ("/api/exports/{export}/", None, LEADS_READ),
    ("api/exports/<int:export_id>/download/", "get"): (
        "/api/exports/{export}/download/",
        None,
        LEADS_READ,
    ),
    # JSON is refused (415) where a file must be uploaded; tests/interchange upload real files.
    ("api/projects/<int:project_id>/imports/", "post"): (
        "/api/projects/{project}/imports/",
        {},
        (415, 415, 403, 404, 401),
    ),
    ("api/projects/<int:project_id>/imports/preview/", "post"): (
        "/api/projects/{project}/imports/preview/",
        {},
        (415, 415, 403, 404, 401),
    ),
    ("api/imports/<int:import_id>/", "get"): ("/api/imports/{import_job}/", None, LEADS_READ),
}
# Any other path under /api/ answers a JSON 404, whoever asks.
ROWS.update(
    {
        (r"api/^(?P<path>[\s\S]*)$", method): ("/api/no-such-thing/", None, (404,) * 5)
        for method in METHODS
    }
)


def api_routes() -> set[tuple[str, str]]:
    """(route, method) for every view under /api/, read from the URL resolver."""
    found: set[tuple[str, str]] = set()

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/"):
                view = getattr(pattern.callback, "cls", None) or pattern.callback.view_class
                found.update((route, method) for method in METHODS if hasattr(view, method))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_endpoint_has_a_row():
    assert api_routes() == set(ROWS)


@pytest.fixture
def matrix_world(settings, django_capture_on_commit_callbacks, tmp_path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    project = ProjectFactory(name=PROJECT_A, blind=True)
    source = SourceFactory(project=project, text=TEXT, title="Statement")
    unassigned = SourceFactory(project=project, title=UNASSIGNED)
    code = CodeFactory(codebook=CodebookFactory(project=project), name="Blame")
    unused = CodeFactory(codebook=code.codebook, name="Spare code")
    lead = MembershipFactory(project=project, role=Role.LEAD, user__username="lead_lena").user
    coder = MembershipFactory(project=project, user__username="coder_alice").user
    peer = MembershipFactory(project=project, user__username=PEER).user
    UserFactory(username="spare_user")
    other_source = SourceFactory(project=ProjectFactory(name=OTHER), title=OTHER)
    other_code = CodeFactory(codebook=CodebookFactory(project=other_source.project), name=OTHER)
    outsider = MembershipFactory(project=other_source.project, user__username="other_oscar").user
    coder_assignment = AssignmentFactory(source=source, coder=coder, status=AssignmentStatus.DONE)
    AssignmentFactory(source=source, coder=peer, status=AssignmentStatus.DONE)
    AssignmentFactory(source=other_source, coder=outsider)
    coder_note = AnnotationFactory(source=source, code=code, coder=coder, memo=CODER_MEMO)
    AnnotationFactory(source=source, code=code, coder=peer, start=20, end=26, memo=PEER_MEMO)
    AnnotationFactory(source=other_source, code=other_code, coder=outsider, memo=OTHER)
    AnnotationFactory(
        source=source,
        code=code,
        coder=lead,
        start=20,
        end=26,
        memo=GOLD_MEMO,
        gold=True,
    )
    deleted = AnnotationFactory(source=source, code=code, coder=coder, start=30, end=36)
    deleted_id = deleted.pk
    deleted.delete()
    # A finished agreement run, whose figures name both coders: only leads may see them.
    with django_capture_on_commit_callbacks(execute=True):
        run = agreement_run_start(project=project, user=lead, bootstrap=0)
    run.refresh_from_db()
    assert run.status == AgreementRunStatus.DONE, run.error
    with django_capture_on_commit_callbacks(execute=True):
        export = export_start(project=project, user=lead, kind="jsonl", params={})
    calibration = CalibrationRound.objects.create(project=project, name="Pilot")
    # Version 1, then an edit, so that publishing version 2 has something to say.
    codebook_version_publish(project=project, note="First", by=lead)
    code_update(code=unused, definition="Anything else.", by=lead)
    users = {
        "admin": UserFactory(username="staff_admin", is_staff=True),
        "lead": lead,
        "coder": coder,
        "other": outsider,
        "anonymous": None,
    }
    ids = {
        "project": project.pk,
        "source": source.pk,
        "unassigned": unassigned.pk,
        "code": code.pk,
        "unused_code": unused.pk,
        "coder_membership": Membership.objects.get(project=project, user=coder).pk,
        "coder_assignment": coder_assignment.pk,
        "coder_note": coder_note.pk,
        "deleted_note": deleted_id,
        "run": run.pk,
        "export": export.pk,
        "round": calibration.pk,
        "import_job": ImportJob.objects.create(project=project).pk,
    }
    return {"users": users, "ids": ids}


def fill(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


CASES = [(route, method, role) for (route, method) in sorted(ROWS) for role in ROLES]


@pytest.mark.parametrize("route,method,role", CASES)
def test_the_role_gets_the_expected_status_and_nothing_forbidden(matrix_world, route, method, role):
    url, body, expected = ROWS[route, method]
    ids = matrix_world["ids"]
    client = client_for(matrix_world["users"][role])
    url = url.format(**ids)
    # Export files take filters, not pages: an unknown parameter there is a 400.
    if method == "get" and url.startswith("/api/") and "schema" not in url and "/export" not in url:
        url += ("&" if "?" in url else "?") + "page_size=1000"
    response = getattr(client, method)(url, fill(body, ids), format="json")
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == expected[ROLES.index(role)], raw[:500]
    content = raw.decode()
    leaked = [marker for marker in FORBIDDEN[role] if marker in content]
    assert not leaked, f"{role} received {leaked} from {method.upper()} {url}"
    if response.get("Content-Type", "").startswith("application/json") and response.content:
        data = json.loads(content)
        if isinstance(data, dict) and {"count", "next", "results"} <= set(data):
            assert data["count"] == len(data["results"])


def test_a_coder_in_a_blind_project_never_sees_a_peers_passage(matrix_world):
    client = client_for(matrix_world["users"]["coder"])
    rows = client.get("/api/annotations/?page_size=1000").json()["results"]
    assert {row["coder"] for row in rows} == {"coder_alice"}
    assert Annotation.objects.exclude(coder__username="coder_alice").exists()
    assert Assignment.objects.exclude(coder__username="coder_alice").exists()
