"""Helpers the API views share."""

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
)
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response


def paginated(view: GenericAPIView, items: QuerySet | list, serializer: Any, **context: Any):
    """One page of `items` rendered by `serializer`, with `count`, `next` and `previous`."""
    page = view.paginate_queryset(items)
    data = serializer(page, many=True, context={**view.get_serializer_context(), **context}).data
    return view.get_paginated_response(data)


def acting_user(request: Any) -> User:
    """The authenticated user of a request that the permission classes have let through."""
    user = request.user
    assert isinstance(user, User), "the view's permission classes admit only logged-in users"
    return user


def created(data: Any, location: str, **headers: str) -> Response:
    return Response(data, status=201, headers={"Location": location, **headers})


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
@authentication_classes([])
def not_found(request: Request, path: str) -> Response:
    """Any other path under /api/: a 404 in the API's error format, not an HTML page."""
    raise NotFound(f"There is no API endpoint /api/{path}.")
