"""A worker that reads annotations five at a time and pauses between chunks, so a test can
kill it while a run is `running`."""

from config.settings import *  # noqa: F403

AGREEMENT_READ_CHUNK_SIZE = 5
AGREEMENT_READ_PAUSE_SECONDS = 0.25
