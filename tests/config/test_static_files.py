import re

from django.core.management import call_command
from django.test import override_settings

PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.storage.HashedStaticFiles"},
}


def test_collected_modules_import_each_other_by_their_hashed_names(tmp_path):
    """Browsers cache hashed files for good: an import of an unhashed name would fetch every
    module again beside its preloaded hashed copy."""
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STATIC):
        call_command("collectstatic", interactive=False, verbosity=0)
    modules = tmp_path / "js" / "workspace"
    hashed = sorted(modules.glob("main.*.js"))
    assert len(hashed) == 1
    imports = re.findall(r'from "\./([^"]+)"', hashed[0].read_text())
    assert len(imports) >= 5
    for name in imports:
        assert re.fullmatch(r"\w+\.[0-9a-f]{12}\.js", name), name
        assert (modules / name).is_file()
