import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from core.errors import NotFound
from interchange.formats import IMPORTERS
from interchange.formats.incoming import Options, Upload
from interchange.services import FileReport, import_upload
from sources.models import Project
from sources.selectors import project_named


class Failed(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Import files (or every file of a folder) as sources of a project: plain text, HTML, "
        "Word, PDF, CSV/XLSX/JSONL tables, Telegram exports, brat zips, REFI-QDA projects and "
        "codebooks. Texts already in the project are skipped; one bad file imports nothing."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders")
        parser.add_argument("--project", required=True, help="project name or id")
        parser.add_argument("--kind", choices=sorted(IMPORTERS), help="skip format detection")
        parser.add_argument("--mapping", help='tables: JSON, e.g. {"text": "body"}')
        parser.add_argument("--coder", default="", help="username for doccano or brat spans")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        project = self._project(options["project"])
        files = self._files(options["paths"])
        try:
            mapping = json.loads(options["mapping"]) if options["mapping"] else None
        except ValueError as exc:
            raise CommandError(f"--mapping is not valid JSON ({exc})") from None
        read_options = Options(mapping=mapping, coder=options["coder"])
        try:
            reports = self._import(project, files, options["kind"], read_options)
        except Failed as exc:
            raise CommandError(str(exc)) from None
        created = sum(report.sources_created for report in reports)
        duplicates = sum(report.duplicates_skipped for report in reports)
        self.stdout.write(
            f"Imported {created} source(s) into {project.name}; {duplicates} duplicate(s) skipped."
        )
        for report in reports:
            self._describe(report)

    def _import(
        self, project: Project, files: list[Path], kind: str | None, options: Options
    ) -> list[FileReport]:
        reports = []
        with transaction.atomic(), tqdm(total=len(files), unit="file", file=self.stderr) as bar:
            rows = tqdm(unit="source", file=self.stderr, leave=False)

            def progress(done: int, total: int) -> None:
                rows.total = total
                rows.n = done
                rows.refresh()

            for path in files:
                upload = Upload(name=path.name, data=path.read_bytes())
                reports.append(
                    import_upload(
                        project=project,
                        upload=upload,
                        kind=kind,
                        options=options,
                        progress=progress,
                    )
                )
                bar.update(1)
            rows.close()
            failed = [report for report in reports if report.status == "failed"]
            if failed:
                lines = "\n".join(f"  {report.name}: {report.error}" for report in failed)
                transaction.set_rollback(True)
                raise Failed(f"Nothing was imported; {len(failed)} file(s) failed:\n{lines}")
        return reports

    def _describe(self, report: FileReport) -> None:
        self.stdout.write(
            f"  {report.name}: {report.sources_created} created, "
            f"{report.duplicates_skipped} duplicate(s), {report.annotations_created} "
            f"annotation(s), {report.codes_created} code(s)"
        )
        if report.users_created:
            self.stdout.write(
                "    inactive accounts created (staff: activate them): "
                + ", ".join(report.users_created)
            )
        for warning in report.warnings:
            self.stdout.write(f"    warning: {warning}")

    def _project(self, key: str) -> Project:
        try:
            return project_named(key)
        except NotFound as error:
            raise CommandError(str(error)) from error

    def _files(self, paths: list[Path]) -> list[Path]:
        files: list[Path] = []
        for path in paths:
            if path.is_dir():
                files.extend(
                    sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
                )
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{path} is neither a file nor a folder")
        if not files:
            raise CommandError("No files to import")
        return files
