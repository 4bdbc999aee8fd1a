"""The statements every API request runs are prepared once per PostgreSQL connection; Django's
own queries stay unprepared, bound on the client."""

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from config.api.authentication import TokenAuthentication

pytestmark = pytest.mark.django_db


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_token_reads_are_prepared_after_their_fifth_run_and_still_answer_right(world, as_user):
    token = Token.objects.create(user=world.bob)
    for _ in range(6):
        user, found = TokenAuthentication().authenticate_credentials(token.key)
        assert (user, user.username, found.key) == (world.bob, "bob", token.key)
        assert as_user(world.alice).get("/api/annotations/").status_code == 200
    if connection.vendor == "postgresql":
        statements = prepared_statements()
        assert [s for s in statements if "authtoken_token" in s], statements
        assert not [s for s in statements if "annotations_annotation" in s], statements
