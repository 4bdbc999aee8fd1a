"""The JavaScript modules of a page, listed from the files on disk."""

import functools
from pathlib import Path

from django.contrib.staticfiles import finders


@functools.cache
def page_modules(page: str) -> list[str]:
    """Static paths of every module in `js/<page>/`, `main.js` (the entry point) first.

    Pages preload them all at once, so the browser need not discover the import graph one level
    at a time; a module added to the folder is preloaded without naming it anywhere else.
    """
    folder = finders.find(f"js/{page}")
    if not isinstance(folder, str) or not Path(folder).is_dir():
        raise LookupError(f"No static folder js/{page}/.")
    names = sorted(path.name for path in Path(folder).glob("*.js"))
    return [f"js/{page}/{name}" for name in sorted(names, key=lambda name: name != "main.js")]
