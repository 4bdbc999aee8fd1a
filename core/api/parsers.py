"""Parsers that refuse a request body over `UPLOAD_MAX_BYTES` before reading it into memory.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE is only checked on `request.body`, which DRF's parsers
bypass, so the API enforces its own limit here with a 413 that names it.
"""

from typing import Any

from django.conf import settings
from rest_framework import exceptions, parsers, status


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def _refuse(size: int) -> RequestTooLarge:
    limit = settings.UPLOAD_MAX_BYTES
    return RequestTooLarge(
        f"The request is {size} bytes; the limit is {limit} bytes "
        f"({limit // 1024} KiB, setting UPLOAD_MAX_BYTES)."
    )


def _check_declared_length(parser_context: dict[str, Any] | None) -> None:
    request = (parser_context or {}).get("request")
    if request is None:
        return
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > settings.UPLOAD_MAX_BYTES:
        raise _refuse(declared)


class LimitedJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):  # type: ignore[no-untyped-def]
        _check_declared_length(parser_context)
        return super().parse(stream, media_type, parser_context)


class LimitedMultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):  # type: ignore[no-untyped-def]
        _check_declared_length(parser_context)
        return super().parse(stream, media_type, parser_context)
