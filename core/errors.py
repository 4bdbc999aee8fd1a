"""The errors the domain raises when a user may not see or do something.

Selectors and services raise these rather than HTTP exceptions; the API's exception handler and
`DomainErrorMiddleware` (for pages) turn them into 404 and 403 responses.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse


class NotFound(Exception):
    """No such object, or one the user may not learn exists."""


class NotAllowed(PermissionDenied):
    """The user may see the object but not do this to it."""


class StillReferenced(Exception):
    """A row cannot be deleted because other records, the history included, point into it; the
    message says which and what to do instead."""


class DomainErrorMiddleware:
    """Pages answer NotFound as Django answers Http404 (NotAllowed already is a
    PermissionDenied, which Django answers with 403)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, NotFound):
            raise Http404(str(exception)) from exception
