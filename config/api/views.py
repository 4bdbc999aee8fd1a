"""Helpers the API views share."""

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from rest_framework.generics import GenericAPIView
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
