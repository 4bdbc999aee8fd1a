"""`Authorization: Token <key>`, answered as DRF's TokenAuthentication answers it."""

import functools

from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from core.db import prepared_cursor


@functools.cache
def _token_user_sql() -> tuple[str, list[str]]:
    # Columns named, not `u.*`: a prepared statement fails if its result's columns change.
    columns = [field.column for field in User._meta.concrete_fields]
    sql = (
        "SELECT " + ", ".join(f'u."{column}"' for column in columns) + " "
        f'FROM "{User._meta.db_table}" u '
        f'JOIN "{Token._meta.db_table}" t ON t.user_id = u.id WHERE t.key = %s'
    )
    return sql, [field.attname for field in User._meta.concrete_fields]


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication with the token and its user read by one hand-written,
    prepared statement. Every API request authenticates first, and building DRF's ORM query with
    its join cost twice as much as running it (0.65 against 0.3 ms of CPU here)."""

    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        sql, attnames = _token_user_sql()
        with prepared_cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = User.from_db(DEFAULT_DB_ALIAS, attnames, row)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        # As DRF's answer, but with the token's `created` deferred: read if ever asked for.
        token = Token.from_db(DEFAULT_DB_ALIAS, ["key", "user_id"], [key, user.pk])
        token.user = user
        return user, token
