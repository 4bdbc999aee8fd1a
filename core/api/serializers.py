"""Base classes for the API's input serializers."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.input import ID_MAX


class StrictInputSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a misspelt field is an error, not silently dropped."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Unknown field; this endpoint does not accept it."] for name in unknown}
                )
        return super().to_internal_value(data)


class IdField(serializers.IntegerField):
    """An object's id: at least 1 and at most what a bigint holds, so an out-of-range number is
    a 400 rather than a database error."""

    def __init__(self, **kwargs: Any):
        super().__init__(min_value=1, max_value=ID_MAX, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class InProjectField(serializers.PrimaryKeyRelatedField):
    """A related id resolved only among the objects of the request's project.

    The view puts the project in the serializer context; an id from any other project is
    answered exactly like an id that does not exist.
    """

    def __init__(self, *, scope: Callable[[Any], QuerySet], noun: str, **kwargs: Any):
        self.scope = scope
        self.noun = noun
        kwargs.setdefault(
            "error_messages",
            {"does_not_exist": f"No {noun} with id {{pk_value}} in this project."},
        )
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return self.scope(self.context["project"])


class UsernameField(serializers.SlugRelatedField):
    """A user named by username, as the public API names users everywhere."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault(
            "error_messages",
            {"does_not_exist": "No user named {value!r}.", "invalid": "Enter a username."},
        )
        super().__init__(slug_field="username", queryset=User.objects.all(), **kwargs)


@extend_schema_field({"type": "string", "format": "binary"})
class UploadField(serializers.FileField):
    """A file sent as multipart form data; typed as binary so the API docs offer a file picker."""
