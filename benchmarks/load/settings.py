"""The app's settings, plus the bare-insert reference route (benchmarks/load/bare.py)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.load.bare"
