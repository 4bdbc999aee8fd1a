"""Filters for the logging configuration."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404


class ExpectedRefusalFilter(logging.Filter):
    """A 403 or 404 raised on purpose (PermissionDenied, Http404) is logged as its one line,
    without the traceback Django attaches: it is a refusal, not a fault, and tracebacks for
    every one bury the errors that matter."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied | Http404):
            record.exc_info = None
            record.exc_text = None
        return True
