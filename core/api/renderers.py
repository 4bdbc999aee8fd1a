"""The API's renderers: JSON, and the file types a client may ask a download route for."""

import json
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


class DownloadRenderer(renderers.BaseRenderer):
    """Lets a client ask for a file's type; errors are still JSON in the API's format."""

    charset: str | None = "utf-8"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if isinstance(data, str):
            return data.encode()
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class CsvRenderer(DownloadRenderer):
    media_type, format = "text/csv", "csv"


class HtmlRenderer(DownloadRenderer):
    media_type, format = "text/html", "html"


class AnyFileRenderer(DownloadRenderer):
    media_type, format, charset = "*/*", "file", None
