"""Parsers that refuse a request body over `UPLOAD_MAX_BYTES` before reading it into memory,
and JSON that could not be stored or sent back (see `core.input`) before any view sees it.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE is only checked on `request.body`, which DRF's parsers
bypass, so the API enforces its own limit here with a 413 that names it.
"""

import json
from typing import Any

from django.conf import settings
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.settings import api_settings

from core.input import MAX_DEPTH, TooDeep, json_field_problems, json_problem


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def too_large(size: int) -> RequestTooLarge:
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
        raise too_large(declared)


TOO_DEEP = f"JSON nested deeper than {MAX_DEPTH} levels is not accepted."


def _refuse_unstorable(data: Any) -> None:
    try:
        problems = json_field_problems(data)
    except TooDeep as exc:
        raise exceptions.ParseError(str(exc)) from None
    if problems:
        raise exceptions.ValidationError(
            {
                field or api_settings.NON_FIELD_ERRORS_KEY: [f"Not accepted: {problem}."]
                for field, problem in problems.items()
            }
        )


class LimitedJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):  # type: ignore[no-untyped-def]
        _check_declared_length(parser_context)
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(TOO_DEEP) from None
        _refuse_unstorable(data)
        return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def json_from_text(text: str) -> Any:
    """JSON sent as text in a form field, held to what a JSON body is; a ValidationError names
    the problem for that field."""
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise serializers.ValidationError(TOO_DEEP) from None
    except ValueError:
        raise serializers.ValidationError("Not valid JSON (NaN and Infinity are not).") from None
    return checked_json(value)


def checked_json(value: Any) -> Any:
    """`value` (parsed JSON of one field) if it can be stored and sent back; otherwise a
    ValidationError names the problem for that field."""
    try:
        problem = json_problem(value)
    except TooDeep as exc:
        raise serializers.ValidationError(str(exc)) from None
    if problem is not None:
        raise serializers.ValidationError(f"Not accepted: {problem}.")
    return value


class LimitedMultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):  # type: ignore[no-untyped-def]
        _check_declared_length(parser_context)
        return super().parse(stream, media_type, parser_context)
