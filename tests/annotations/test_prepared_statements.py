"""The statements every API request runs are prepared once per PostgreSQL connection; Django's
own queries stay unprepared, bound on the client."""

import itertools
import re

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from annotations.models import Annotation
from annotations.sql import creation_record_sql, passage_facts_sql
from core.api.authentication import TokenAuthentication, _token_user_sql
from core.db import _insert_sql

pytestmark = pytest.mark.django_db


def as_sent(sql: str) -> str:
    """The statement as psycopg sends it, with numbered placeholders."""
    numbers = itertools.count(1)
    return re.sub("%s", lambda _: f"${next(numbers)}", sql)


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
        statements = set(prepared_statements())
        assert as_sent(_token_user_sql()[0]) in statements
        # Earlier tests on this connection may have had the create path's statements prepared,
        # but never one of Django's own.
        ours = [_token_user_sql()[0], passage_facts_sql(), _insert_sql(Annotation)[0]]
        assert statements <= {as_sent(sql) for sql in [*ours, creation_record_sql()]}
