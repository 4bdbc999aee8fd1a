"""How tests and benchmarks start Debian's Chromium through Playwright.

Playwright's own browser download is not possible where this runs; the flags keep a headless
Chromium from reaching for the network (updates, sync) and let it run as root in a container.
"""

import shutil

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
