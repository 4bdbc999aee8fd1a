from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sources.models import Project
from sources.services import ImportFailed, sources_import_text_files


class Command(BaseCommand):
    help = (
        "Import every .txt file of a folder as a source of a project: UTF-8 only, title from the "
        "first line, texts already in the project skipped; one bad file imports nothing."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("folder", type=Path)
        parser.add_argument("--project", required=True, help="project name or id")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        folder: Path = options["folder"]
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder")
        key = options["project"]
        named = list(Project.objects.filter(name=key)[:2])
        if len(named) > 1:
            raise CommandError(f"Several projects are named {key!r}; give its id instead")
        project = named[0] if named else None
        if project is None and key.isdigit():
            project = Project.objects.filter(pk=int(key)).first()
        if project is None:
            raise CommandError(f"No project named or numbered {key!r}")
        paths = sorted(folder.glob("*.txt"))
        if not paths:
            raise CommandError(f"No .txt files in {folder}")
        try:
            with tqdm(total=len(paths), unit="file", file=self.stderr) as bar:
                report = sources_import_text_files(project=project, paths=paths, progress=bar)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Imported {len(report.created)} source(s) into {project.name}; "
            f"{len(report.duplicates)} duplicate(s) skipped."
        )
        for path in report.duplicates:
            self.stdout.write(f"  duplicate: {path.name}")
