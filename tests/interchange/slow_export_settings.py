"""A worker that pauses after each chunk of an export file, so a test can kill it mid-file."""

from config.settings import *  # noqa: F403

EXPORT_CHUNK_PAUSE_SECONDS = 0.5
