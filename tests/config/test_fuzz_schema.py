"""Property-based fuzzing of the whole API against its own OpenAPI schema (schemathesis).

Every operation gets generated requests, authenticated as a lead with a token; path ids of the
lead's real project and source are swapped in so requests reach past the 404s. Each response
must not be a 5xx and must match the schema: a documented status code, content type and body.
Bounded and derandomised so it stays quick and repeatable in CI.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import client_for

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def load_schema():
    # A JSON round trip turns the generator's lazy strings and tuples into plain data.
    document = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()


@pytest.fixture
def keep_test_connection():
    """The WSGI handler closes the connection after each response, as in production; the test
    database lives in this connection's transaction, so keep it open (as Django's test client
    does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def lead_token(world, keep_test_connection):
    token = client_for(world.lead)._credentials["HTTP_AUTHORIZATION"]
    return {"token": token, "project": world.project.pk, "source": world.source.pk}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_fails_and_always_matches_its_schema(case, lead_token):
    parameters = case.path_parameters or {}
    if "project_id" in parameters:
        parameters["project_id"] = lead_token["project"]
    if "source_id" in parameters:
        parameters["source_id"] = lead_token["source"]
    case.call_and_validate(headers={"Authorization": lead_token["token"]}, checks=CHECKS)
