"""`POST /api/auth/token/`: a token for scripts, in exchange for a username and password."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.api.errors import documented
from core.api.serializers import StrictInputSerializer
from core.login_throttle import client_address, login_failed, login_retry_after, login_succeeded


class TokenInput(StrictInputSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")


class TokenView(APIView):
    # No session authentication here: a stale session cookie must not demand a CSRF token.
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth-token"

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
        address = client_address(request._request)
        wait = login_retry_after(username=username, address=address)
        if wait:
            raise exceptions.Throttled(wait, "Too many failed logins; try again later.")
        user = authenticate(
            request._request, username=username, password=data.validated_data["password"]
        )
        if user is None:
            login_failed(username=username, address=address)
            raise exceptions.ValidationError(
                {"non_field_errors": ["Unable to log in with this username and password."]}
            )
        login_succeeded(username=username, address=address)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
