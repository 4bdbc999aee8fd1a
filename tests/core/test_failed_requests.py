"""Input that used to answer 5xx, or to answer 500 after writing: a 400 (or 409, 413) in the
documented error shape instead, and nothing written."""

import json

import pytest
from rest_framework.test import APIClient

from annotations.models import Annotation
from core.api.renderers import JSONRenderer
from sources.models import Source

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"status", "code", "message", "fields"}


def sources_url(world):
    return f"/api/projects/{world.project.pk}/sources/"


def raw_json(client, method, url, body):
    """`body` is sent as written, so it can hold escapes json.dumps would never produce."""
    return getattr(client, method)(url, body, content_type="application/json")


def error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) >= ERROR_KEYS and body["status"] == status
    return body


@pytest.mark.parametrize(
    "metadata,field",
    [
        ('{"note": "\\ud800"}', "metadata"),
        ('{"\\udfff": "x"}', "metadata"),
        ('{"tags": ["ok", {"deep": "a\\udc00b"}]}', "metadata"),
        ('{"note": "a\\u0000b"}', "metadata"),
        ('{"\\u0000": "x"}', "metadata"),
    ],
)
def test_a_surrogate_or_nul_in_metadata_is_a_400_naming_the_field(world, as_user, metadata, field):
    body = f'{{"title": "Probe", "text": "Some text.", "metadata": {metadata}}}'
    response = raw_json(as_user(world.lead), "post", sources_url(world), body)
    assert field in error(response, 400)["fields"]
    assert not Source.objects.filter(title="Probe").exists()
    assert as_user(world.lead).get(sources_url(world)).status_code == 200


@pytest.mark.parametrize("title", ['"a\\ud800"', '"a\\u0000"'])
def test_a_surrogate_or_nul_in_a_text_field_is_a_400_naming_it(world, as_user, title):
    body = f'{{"title": {title}, "text": "Some text."}}'
    response = raw_json(as_user(world.lead), "post", sources_url(world), body)
    assert "title" in error(response, 400)["fields"]


def test_a_patch_with_a_surrogate_saves_nothing(world, as_user):
    url = f"{sources_url(world)}{world.source.pk}/"
    body = '{"title": "New title", "metadata": {"x": "\\ud83d"}}'
    response = raw_json(as_user(world.lead), "patch", url, body)
    assert "metadata" in error(response, 400)["fields"]
    assert Source.objects.get(pk=world.source.pk).title == "Statement"


def test_a_surrogate_key_at_the_top_level_is_named_without_breaking_the_answer(world, as_user):
    response = raw_json(as_user(world.lead), "post", sources_url(world), '{"\\ud800": 1}')
    fields = error(response, 400)["fields"]
    assert list(fields) == ["\\ud800"]


@pytest.mark.parametrize("metadata", ['{"x": "\\ud800"}', '{"x": NaN}', '{"x": "\\u0000"}'])
def test_a_multipart_upload_checks_its_metadata_the_same_way(world, as_user, tmp_path, metadata):
    path = tmp_path / "probe.txt"
    path.write_text("Probe\nBody text.")
    with path.open("rb") as upload:
        response = as_user(world.lead).post(
            sources_url(world), {"file": upload, "metadata": metadata}
        )
    assert "metadata" in error(response, 400)["fields"]
    assert not Source.objects.filter(title="Probe").exists()


def test_text_utf8_cannot_encode_is_rendered_escaped_rather_than_failing():
    """A surrogate stored before input was checked (SQLite kept them; PostgreSQL refuses them)
    must not make every later answer that includes the row a 500."""
    rendered = JSONRenderer().render({"x": "\ud800", "y": "Кремль"})
    assert json.loads(rendered) == {"x": "\ud800", "y": "Кремль"}
    assert JSONRenderer().render({"y": "Кремль"}) == '{"y":"Кремль"}'.encode()


DEEP = "[" * 50_000 + "]" * 50_000


def test_deeply_nested_json_is_a_400_also_for_an_anonymous_login():
    response = raw_json(APIClient(), "post", "/api/auth/token/", DEEP)
    assert "nested" in error(response, 400)["message"]


def test_json_nested_past_the_limit_is_a_400(world, as_user):
    metadata = "[" * 40 + "]" * 40
    body = f'{{"title": "Probe", "text": "Some text.", "metadata": {{"x": {metadata}}}}}'
    response = raw_json(as_user(world.lead), "post", sources_url(world), body)
    assert "nested" in error(response, 400)["message"]
    assert not Source.objects.filter(title="Probe").exists()


@pytest.mark.parametrize(
    "query",
    [
        "/api/annotations/?source=99999999999999999999",
        "/api/annotations/?project=99999999999999999999",
        "/api/annotations/?code=99999999999999999999",
        "/api/assignments/?source=99999999999999999999",
        "/api/assignments/?project=99999999999999999999",
        "/api/annotations/?project=%C2%B2",
        "/api/assignments/?project=%C2%B2",
        "/api/annotations/?coder=%00",
    ],
)
def test_out_of_range_and_non_ascii_numbers_in_filters_are_a_400(world, as_user, query):
    error(as_user(world.lead).get(query), 400)


@pytest.mark.parametrize("tag", ['"²"', '"١"', '"9999999999999999999999"', '"' + "9" * 5000 + '"'])
def test_an_if_match_that_is_no_ascii_version_is_a_400(world, as_user, tag):
    url = f"/api/annotations/{world.alice_note.pk}/"
    response = as_user(world.alice).patch(url, {"memo": "x"}, format="json", HTTP_IF_MATCH=tag)
    assert "If-Match" in error(response, 400)["fields"]
    assert Annotation.objects.get(pk=world.alice_note.pk).memo == ""


@pytest.mark.parametrize("project", ["%C2%B2", "99999999999999999999", "%00"])
def test_the_home_page_ignores_a_project_filter_that_is_no_id(world, client, project):
    client.force_login(world.lead)
    assert client.get(f"/?project={project}").status_code == 200


def test_the_home_page_search_ignores_a_nul(world, client):
    client.force_login(world.lead)
    assert client.get("/?q=a%00b").status_code == 200


def test_an_unexpected_api_error_is_a_500_in_the_error_shape(world, as_user, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr("sources.api.projects.projects_visible_to", broken)
    client = as_user(world.lead)
    client.raise_request_exception = False
    body = error(client.get("/api/projects/"), 500)
    assert "simulated" not in body["message"]


def test_a_json_body_over_the_upload_limit_is_a_413_in_json(world, as_user, settings):
    settings.UPLOAD_MAX_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    payload = {"title": "Big", "text": "x" * 2000}
    response = as_user(world.lead).post(sources_url(world), payload, format="json")
    assert "UPLOAD_MAX_BYTES" in error(response, 413)["message"]
    anonymous = APIClient().post(
        "/api/auth/token/", {"username": "x" * 2000, "password": "y"}, format="json"
    )
    error(anonymous, 413)
    assert not Source.objects.filter(title="Big").exists()


def test_a_form_body_over_the_upload_limit_is_a_413_in_json(world, as_user, settings):
    settings.UPLOAD_MAX_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"title": "Big", "text": "x" * 2000})
    response = as_user(world.lead).post(
        sources_url(world), {"title": "Big", "metadata": body}, format="multipart"
    )
    error(response, 413)
