"""Static files as production serves them."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFiles(CompressedManifestStaticFilesStorage):
    """Content-hashed, compressed files that browsers may cache for good.

    The imports between JavaScript modules are rewritten to the hashed names too: otherwise a
    page would preload the hashed modules and then import the unhashed ones, fetching every
    module twice and revalidating it on each visit.
    """

    support_js_module_import_aggregation = True
