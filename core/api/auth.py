"""`/api/auth/token/`: POST exchanges a username and password for a token for scripts; DELETE
revokes the caller's token."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from core.api.authentication import token_expired
from core.api.errors import documented
from core.api.serializers import StrictInputSerializer
from core.api.views import acting_user
from core.client_address import client_address
from core.login_throttle import login_retry_after


class TokenRateThrottle(ScopedRateThrottle):
    """`AUTH_TOKEN_RATE` per client address, read by the project's one rule."""

    def get_ident(self, request: Request) -> str:
        return client_address(request)


class TokenInput(StrictInputSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")


class TokenView(APIView):
    throttle_scope = "auth-token"

    def _logging_in(self) -> bool:
        # The schema generator asks for authenticators before it has a request.
        return getattr(self.request, "method", None) == "POST"

    def get_authenticators(self):  # type: ignore[no-untyped-def]
        # Logging in is anonymous: a stale session cookie must not demand a CSRF token.
        return [] if self._logging_in() else super().get_authenticators()

    def get_permissions(self):  # type: ignore[no-untyped-def]
        return [AllowAny()] if self._logging_in() else super().get_permissions()

    def get_throttles(self) -> list[BaseThrottle]:
        return [TokenRateThrottle()] if self._logging_in() else []

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenInput,
        responses=documented({200: TokenOutput}, 400, 413, 429, authenticated=False),
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        wait = login_retry_after(username=username, address=client_address(request))
        if wait:
            raise exceptions.Throttled(wait, "Too many failed logins; try again later.")
        # The authentication backend counts the attempt, as on every other way in.
        user = authenticate(
            request._request, username=username, password=data.validated_data["password"]
        )
        if user is None:
            raise exceptions.ValidationError(
                {"non_field_errors": ["Unable to log in with this username and password."]}
            )
        token, _ = Token.objects.get_or_create(user=user)
        if token_expired(token.created):
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key})

    @extend_schema(
        operation_id="auth_token_destroy",
        request=None,
        responses=documented({204: None}),
        description="Revoke your token (the one sent, or the session user's): it stops working "
        "at once. Logging out of the browser does not revoke it.",
    )
    def delete(self, request: Request) -> Response:
        Token.objects.filter(user=acting_user(request)).delete()
        return Response(status=204)
