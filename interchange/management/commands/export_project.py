"""Export a project to a file from the command line, with a progress bar.

    manage.py export_project PROJECT --kind csv --output coded.csv [--source ID ...]
        [--coder NAME ...] [--code ID ...] [--updated-since DATE] [--updated-until DATE]
        [--layer coder|gold|all] [--exact] [--codebook-version N]

PROJECT is a project id or its exact name. The file is written to a temporary name beside
OUTPUT and renamed when complete, so an interrupted export never leaves a partial OUTPUT.
"""

import os
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from core.errors import NotFound
from interchange.export_services import export_request_parse
from interchange.filters import LAYERS
from interchange.formats import EXPORTERS
from interchange.snapshot import export_snapshot
from sources.selectors import project_named


class Command(BaseCommand):
    help = "Export a project's coded data to a file (every kind of the export page)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="Project id or exact name")
        parser.add_argument("--kind", required=True, choices=list(EXPORTERS))
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--source", action="append", default=[], help="Source id (repeatable)")
        parser.add_argument("--coder", action="append", default=[], help="Username (repeatable)")
        parser.add_argument("--code", action="append", default=[], help="Code id (repeatable)")
        parser.add_argument("--updated-since", dest="updated_since")
        parser.add_argument("--updated-until", dest="updated_until")
        parser.add_argument(
            "--layer",
            choices=LAYERS,
            help="The coders' passages (the default), the gold standard, or both",
        )
        parser.add_argument("--exact", action="store_true", help="csv, wide: no formula guard")
        parser.add_argument(
            "--codebook-version", dest="codebook_version", help="codebook: a published version"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            project = project_named(options["project"])
        except NotFound as error:
            raise CommandError(str(error)) from error
        params = {
            name: options[name] if isinstance(options[name], list) else [options[name]]
            for name in ("source", "coder", "code", "updated_since", "updated_until", "layer")
            if options[name]
        }
        try:
            kind_options, filters = export_request_parse(
                project,
                options["kind"],
                {"exact": options["exact"], "version": options["codebook_version"]},
                params,
            )
        except ValidationError as error:
            raise CommandError(
                "; ".join(
                    f"{field}: {' '.join(messages)}"
                    for field, messages in error.message_dict.items()
                )
            ) from error
        output: Path = options["output"]
        partial = output.with_name(f".{output.name}.partial")
        with export_snapshot(
            project=project, filters=filters, codebook_version=kind_options.get("version")
        ) as snapshot:
            with tqdm(total=snapshot.annotation_count, unit="annotation", disable=None) as bar:
                snapshot.progress = lambda rows: bar.update(max(rows - bar.n, 0))
                try:
                    with partial.open("wb") as file:
                        for chunk in EXPORTERS[options["kind"]].write(snapshot, kind_options):
                            file.write(chunk)
                except BaseException:
                    partial.unlink(missing_ok=True)
                    raise
            rows = snapshot.annotation_count
        os.replace(partial, output)
        self.stdout.write(f"Wrote {rows} annotations to {output} ({output.stat().st_size} bytes).")
