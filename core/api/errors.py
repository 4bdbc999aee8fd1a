"""One JSON shape for every API error, produced by a single DRF exception handler.

    {"status": 400, "code": "invalid", "message": "...", "fields": {"start": ["..."]}}

`fields` maps a request field to the messages about it (`non_field_errors` for the request as a
whole) and is empty when no field is to blame. A 409 also carries `current`: the server's state
of the object, so a client can reconcile without another request.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, OperationalError
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from core.api.parsers import too_large
from core.errors import NotFound, StillReferenced

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY
# PostgreSQL's deadlock_detected and serialization_failure: a race, not a fault.
RETRYABLE_SQLSTATES = {"40P01", "40001"}
logger = logging.getLogger("django.request")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The request conflicts with the current state of the resource."

    def __init__(self, message: str, current: Any = None):
        super().__init__(message)
        self.current = current


def _field_messages(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(key): _messages(value) for key, value in detail.items()}
    return {NON_FIELD: _messages(detail)}


def _messages(detail: Any, where: str = "") -> list[str]:
    """A flat list of messages; those about an item of a list or a nested field name it
    ("item 2: …", "tags: …") so the client still knows what to fix."""
    if isinstance(detail, dict):
        return [
            message
            for key, value in detail.items()
            for message in _messages(value, f"{where}{_label(key)}: ")
        ]
    if isinstance(detail, list):
        return [message for item in detail for message in _messages(item, where)]
    return [f"{where}{detail}"]


def _label(key: Any) -> str:
    return f"item {key}" if isinstance(key, int) or str(key).isdigit() else str(key)


def _from_django_validation(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail: Any = {
            (NON_FIELD if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    else:
        detail = {NON_FIELD: exc.messages}
    return exceptions.ValidationError(detail)


def _translate(exc: Exception, request: Any) -> Exception:
    if isinstance(exc, RequestDataTooBig):
        # Django read the body (DRF does for JSON) before the API's own parsers could refuse it.
        return too_large(int(request.META.get("CONTENT_LENGTH") or 0))
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError(str(exc))
    if isinstance(exc, OperationalError) and _sqlstate(exc) in RETRYABLE_SQLSTATES:
        return Conflict("A concurrent change conflicts with this request; reload and retry.")
    if isinstance(exc, Http404 | NotFound):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, DjangoValidationError):
        return _from_django_validation(exc)
    if isinstance(exc, StillReferenced):
        return Conflict(str(exc))
    if isinstance(exc, ProtectedError):
        return Conflict(
            f"Still in use by {len(exc.protected_objects)} other record(s); "
            "retire or reassign them first."
        )
    if isinstance(exc, IntegrityError):
        # Only a race with a concurrent request gets past the services' own checks.
        return Conflict("A concurrent change conflicts with this request; reload and retry.")
    return exc


def _sqlstate(exc: Exception) -> str | None:
    return getattr(exc.__cause__, "sqlstate", None)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _translate(exc, context.get("request"))
    if not isinstance(exc, exceptions.APIException):
        return None
    body: dict[str, Any] = {"status": exc.status_code, "code": "error", "message": "", "fields": {}}
    if isinstance(exc, exceptions.ValidationError):
        body["code"] = "invalid"
        request = context.get("request")
        reading = request is not None and request.method in ("GET", "HEAD", "OPTIONS")
        body["message"] = (
            "Some query parameters are invalid."
            if reading
            else "Some fields are invalid; nothing was saved."
        )
        body["fields"] = _field_messages(exc.detail)
    else:
        codes = exc.get_codes()
        body["code"] = codes if isinstance(codes, str) else exc.default_code
        body["message"] = str(exc.detail)
    if isinstance(exc, Conflict):
        body["current"] = exc.current
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        headers["Retry-After"] = f"{int(exc.wait)}"  # type: ignore[attr-defined]
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


class ApiServerErrorMiddleware:
    """An unexpected exception under /api/, in a view or while rendering its answer, becomes a
    500 in the API's error shape instead of Django's HTML page; it is still logged in full."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith("/api/") or isinstance(exception, Http404 | NotFound):
            return None
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exception,
            extra={"status_code": 500, "request": request},
        )
        body = {
            "status": 500,
            "code": "server_error",
            "message": "The server failed while answering this request; the error is logged "
            "for the administrators. Reload before you retry.",
            "fields": {},
        }
        return JsonResponse(body, status=500)


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField(help_text="Machine-readable reason, e.g. `invalid`, `not_found`.")
    message = serializers.CharField(help_text="What went wrong, for a person.")
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per request field (`non_field_errors` for the whole request).",
    )


class ConflictSerializer(ErrorSerializer):
    current = serializers.JSONField(
        allow_null=True, help_text="The server's current state of the object, when visible."
    )


DESCRIPTIONS = {
    400: "Invalid input; `fields` says which fields and why. Nothing was written.",
    401: "Not logged in (send a session cookie or `Authorization: Token …`).",
    403: "Logged in, but your role in this project does not allow this.",
    404: "No such object, or not visible to you (for a list: no such page).",
    409: "Conflicts with the current state; `current` holds it.",
    413: "The request body is larger than the upload limit.",
    415: "The body's media type is not accepted here (e.g. JSON where a file upload is needed).",
    429: "Too many attempts; wait `Retry-After` seconds.",
}


def documented(ok: dict[int, Any], *errors: int, authenticated: bool = True) -> dict[int, Any]:
    """Responses for `extend_schema`: the successes, the listed error codes, and 401 and 403
    unless the endpoint is open to anyone."""
    responses: dict[int, Any] = dict(ok)
    for code in sorted({*errors, *((401, 403) if authenticated else ())}):
        serializer = ConflictSerializer if code == 409 else ErrorSerializer
        responses[code] = OpenApiResponse(serializer, description=DESCRIPTIONS[code])
    return responses
