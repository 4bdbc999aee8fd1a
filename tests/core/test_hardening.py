import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from sources.models import Source

pytestmark = pytest.mark.django_db

REPO_ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def sources_url(world):
    return f"/api/projects/{world.project.pk}/sources/"


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,x"],
)
def test_a_script_url_is_refused_for_a_source(world, as_user, url):
    response = as_user(world.lead).post(
        sources_url(world), {"title": "T", "text": "Some text.", "url": url}, format="json"
    )
    assert response.status_code == 400 and "url" in response.json()["fields"]
    assert not Source.objects.filter(title="T").exists()


def test_hostile_metadata_comes_back_as_inert_json(world, as_user):
    payload = {"title": HOSTILE, "text": HOSTILE, "author": HOSTILE, "metadata": {"x": HOSTILE}}
    response = as_user(world.lead).post(sources_url(world), payload, format="json")
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["metadata"] == {"x": HOSTILE}


def test_names_and_descriptions_are_escaped_on_pages(world, client):
    world.project.name = HOSTILE
    world.project.description = '<a href="javascript:alert(3)">click</a>'
    world.project.save()
    client.force_login(world.lead)
    html = client.get("/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert 'href="javascript:' not in html


def test_a_request_over_the_upload_limit_is_413_naming_the_limit(world, as_user, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    payload = {"title": "Big", "text": "x" * 2000}
    response = as_user(world.lead).post(sources_url(world), payload, format="json")
    assert response.status_code == 413
    assert "the limit is 1000 bytes" in response.json()["message"]
    assert "UPLOAD_MAX_BYTES" in response.json()["message"]


def test_a_file_over_the_upload_limit_is_413(world, as_user, settings, tmp_path):
    settings.UPLOAD_MAX_BYTES = 1000
    path = tmp_path / "big.txt"
    path.write_text("Title\n" + "x" * 5000)
    with path.open("rb") as upload:
        response = as_user(world.lead).post(sources_url(world), {"file": upload})
    assert response.status_code == 413 and not Source.objects.filter(title="Title").exists()


def test_only_text_files_are_accepted(world, as_user, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4")
    with path.open("rb") as upload:
        response = as_user(world.lead).post(sources_url(world), {"file": upload})
    assert response.status_code == 400 and ".txt" in response.json()["fields"]["file"][0]


def token_attempt(as_user, password):
    return as_user(None).post(
        "/api/auth/token/", {"username": "alice", "password": password}, format="json"
    )


def test_the_token_endpoint_locks_out_after_repeated_failures(world, as_user, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    world.alice.set_password("right-password-1")
    world.alice.save()
    statuses = [token_attempt(as_user, "wrong").status_code for _ in range(3)]
    assert statuses == [400, 400, 400]
    locked = token_attempt(as_user, "right-password-1")
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    assert locked.json()["code"] == "throttled"


def test_a_successful_token_login_resets_the_failure_count(world, as_user, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    world.alice.set_password("right-password-1")
    world.alice.save()
    token_attempt(as_user, "wrong")
    token_attempt(as_user, "wrong")
    assert token_attempt(as_user, "right-password-1").status_code == 200
    token_attempt(as_user, "wrong")
    assert token_attempt(as_user, "wrong").status_code == 400


def test_the_login_page_locks_out_after_repeated_failures(world, client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    world.alice.set_password("right-password-1")
    world.alice.save()
    for _ in range(3):
        assert client.post("/login/", {"username": "alice", "password": "x"}).status_code == 200
    locked = client.post("/login/", {"username": "alice", "password": "right-password-1"})
    assert locked.status_code == 429 and "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_account_can_still_log_in_from_the_same_address(world, client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    world.bob.set_password("bobs-password-1")
    world.bob.save()
    for _ in range(3):
        client.post("/login/", {"username": "alice", "password": "x"})
    assert (
        client.post("/login/", {"username": "bob", "password": "bobs-password-1"}).status_code
        == 302
    )


def test_pages_send_security_headers_and_a_strict_script_policy(world, client):
    response = client.get("/login/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def test_the_pages_have_no_inline_scripts(world, client):
    """CSP forbids inline scripts, so a page that had one would silently break."""
    pages = ["/login/", "/api/docs/"]
    client.force_login(world.lead)
    pages += ["/", f"/projects/{world.project.pk}/sources/{world.source.pk}/history/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not INLINE_SCRIPT.search(response.content.decode()), url
        assert re.search(r"\bon[a-z]+=", response.content.decode()) is None, url


def test_production_settings_from_the_environment_pass_the_deploy_check(tmp_path):
    # Only what a deployment would have: not, e.g., the flag browser tests set for Playwright.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "coder.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://coder.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_no_template_has_an_inline_script_or_event_handler():
    """Every page's scripts must come from static files for `script-src 'self'` to hold."""
    templates = [
        path
        for path in REPO_ROOT.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and "node_modules" not in path.parts
    ]
    assert templates
    for path in templates:
        html = path.read_text()
        assert not INLINE_SCRIPT.search(html), path
        assert re.search(r"\son[a-z]+\s*=", html) is None, path
