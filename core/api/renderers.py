"""The API's JSON renderer."""

from typing import Any

from rest_framework import renderers


class _EscapingJSONRenderer(renderers.JSONRenderer):
    ensure_ascii = True


class JSONRenderer(renderers.JSONRenderer):
    """DRF's renderer (UTF-8, compact), except that text UTF-8 cannot encode (a lone surrogate
    stored before input was checked) goes out as a `\\uXXXX` escape, as JSON allows, instead of
    failing the response, after its changes committed, and every later read of that row."""

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return _EscapingJSONRenderer().render(data, accepted_media_type, renderer_context)
