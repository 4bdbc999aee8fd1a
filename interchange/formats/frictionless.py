"""`package`: a Frictionless Data Package (zip), the form a lead deposits with a paper.

Every table has a Table Schema with types, a primary key and foreign keys; its CSVs are exact
(no formula guard), since a data package is opened with a data tool. README.md says what each
file holds; codebook.md is the codebook for people.
"""

import json
from collections.abc import Iterator
from typing import Any

from interchange.formats.agreement_rows import COLUMNS as AGREEMENT_COLUMNS
from interchange.formats.agreement_rows import (
    GOLD_COLUMNS,
    POOLED,
    agreement_rows,
    gold_agreement_rows,
)
from interchange.formats.annotation_table import csv_bytes
from interchange.formats.outgoing import Snapshot, counted, iso, iso_date
from interchange.formats.zipstream import ZipStream

EXTENSION, MEDIA_TYPE = "zip", "application/zip"

STR, INT, DT, DAY, BOOL, NUM = "string", "integer", "datetime", "date", "boolean", "number"
TABLES: dict[str, dict[str, Any]] = {
    "annotations": {
        "fields": [
            ("id", STR, "The annotation's id (UUID)"),
            ("source_id", INT, "The coded source (sources.csv)"),
            ("coder", STR, "Username of the coder (coders.csv)"),
            ("code_id", INT, "The applied code (codes.csv)"),
            ("start", INT, "First code point of the passage in the source's text, from 0"),
            ("end", INT, "Code point after the passage's last (end exclusive)"),
            ("quote", STR, "The passage: text[start:end]"),
            ("memo", STR, "The coder's note"),
            ("created", DT, "When the annotation was made (UTC)"),
            ("updated", DT, "When it was last changed (UTC)"),
            ("version", INT, "How many times it was saved"),
            ("layer", STR, "coder: a coder's passage; gold: the adjudicated gold standard"),
            ("adjudicated_by", STR, "Gold only: the lead who last decided it (coders.csv)"),
            ("adjudicated_at", DT, "Gold only: when (UTC)"),
        ],
        "primaryKey": ["id"],
        "foreignKeys": [
            ("source_id", "sources", "id"),
            ("coder", "coders", "username"),
            ("code_id", "codes", "id"),
            ("adjudicated_by", "coders", "username"),
        ],
    },
    "sources": {
        "fields": [
            ("id", INT, "The source's id"),
            ("title", STR, ""),
            ("kind", STR, "research_report, news_article, social_media_post, ..."),
            ("outlet", STR, ""),
            ("author", STR, ""),
            ("url", STR, "Where the source was found"),
            ("published", DAY, ""),
            ("language", STR, "BCP 47 tag"),
            ("sha256", STR, "SHA-256 of the UTF-8 text"),
            ("created", DT, "When it was added (UTC)"),
            ("text", STR, "The full text the offsets count in (NFC)"),
        ],
        "primaryKey": ["id"],
        "foreignKeys": [],
    },
    "codes": {
        "fields": [
            ("id", INT, "The code's id"),
            ("parent_id", INT, "The parent code, empty at the top level"),
            ("name", STR, ""),
            ("path", STR, "Names from the top, joined by ' > '"),
            ("definition", STR, ""),
            ("inclusion", STR, "Inclusion criteria"),
            ("exclusion", STR, "Exclusion criteria"),
            ("example", STR, ""),
            ("colour", STR, "#rrggbb"),
            ("shortcut", STR, "Key in the coding screen"),
            ("retired", BOOL, "No longer offered to coders"),
        ],
        "primaryKey": ["id"],
        "foreignKeys": [("parent_id", "codes", "id")],
    },
    "coders": {
        "fields": [
            ("username", STR, ""),
            ("name", STR, "Full name, if given"),
            ("role", STR, "lead or coder; empty for a former member"),
        ],
        "primaryKey": ["username"],
        "foreignKeys": [],
    },
    "assignments": {
        "fields": [
            ("source_id", INT, "The source (sources.csv)"),
            ("coder", STR, "The coder (coders.csv)"),
            ("status", STR, "assigned, in_progress or done"),
            ("created", DT, ""),
            ("completed", DT, "When the coder marked it done"),
        ],
        "primaryKey": ["source_id", "coder"],
        "foreignKeys": [("source_id", "sources", "id"), ("coder", "coders", "username")],
    },
    "agreement": {
        "fields": [
            ("run_id", INT, "The agreement run"),
            ("code_id", INT, "The code (its id when the run was computed)"),
            ("code", STR, "The code's name then"),
            ("measure", STR, "doc_alpha, char_alpha, unitized_alpha or fleiss_kappa"),
            ("value", NUM, "Empty when undefined"),
            ("ci_low", NUM, "Lower end of the 95% bootstrap interval"),
            ("ci_high", NUM, "Upper end"),
            ("note", STR, "Why a value is undefined, if it is"),
        ],
        "primaryKey": ["run_id", "code_id", "measure"],
        "foreignKeys": [],
    },
    "gold_agreement": {
        "fields": [
            ("run_id", INT, "The coder-vs-gold agreement run"),
            ("coder", STR, "The coder compared with the gold standard"),
            ("code_id", INT, f"The code (its id when the run was computed); empty: {POOLED}"),
            ("code", STR, f"The code's name then, or '{POOLED}'"),
            (
                "measure",
                STR,
                "cohen_kappa, percent_agreement, span_f1_exact, span_f1_overlap or char_alpha",
            ),
            ("value", NUM, "Empty when undefined"),
            ("note", STR, "Why a value is undefined, if it is"),
        ],
        # No primary key: the pooled rows have no code id, and key fields may not be empty.
        "primaryKey": [],
        "foreignKeys": [],
    },
}


def _schema(name: str) -> dict[str, Any]:
    table = TABLES[name]
    fields = []
    for name, kind, description in table["fields"]:
        field: dict[str, Any] = {"name": name, "type": kind}
        if description:
            field["description"] = description
        if kind == BOOL:
            field["trueValues"], field["falseValues"] = ["true"], ["false"]
        fields.append(field)
    return {
        "fields": fields,
        **({"primaryKey": table["primaryKey"]} if table["primaryKey"] else {}),
        "foreignKeys": [
            {
                "fields": column,
                # Table Schema names the resource itself by an empty string.
                "reference": {"resource": "" if target == name else target, "fields": key},
            }
            for column, target, key in table["foreignKeys"]
        ],
    }


def descriptor(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "profile": "tabular-data-package",
        "name": "narrative-coder-export",
        "title": f"{snapshot.project_name}: coded data",
        "created": iso(snapshot.taken_at),
        "description": (
            f"Exported from {snapshot.software}; snapshot taken {iso(snapshot.taken_at)}. "
            "Offsets are Unicode code points, end exclusive. See README.md."
        ),
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(name),
            }
            for name in TABLES
        ],
    }


def _header(name: str) -> list[str]:
    return [field[0] for field in TABLES[name]["fields"]]


def _annotations(snapshot: Snapshot) -> Iterator[list[Any]]:
    for note in counted(snapshot.annotations(), snapshot):
        yield [
            note.id, note.source_id, note.coder, note.code_id, note.start, note.end, note.quote,
            note.memo, iso(note.created), iso(note.updated), note.version, note.layer,
            note.adjudicated_by, iso(note.adjudicated_at),
        ]  # fmt: skip


def _sources(snapshot: Snapshot) -> Iterator[list[Any]]:
    for source in snapshot.sources():
        yield [
            source.id, source.title, source.kind, source.outlet, source.author, source.url,
            iso_date(source.published), source.language, source.sha256, iso(source.created),
            source.text,
        ]  # fmt: skip


def _codes(snapshot: Snapshot) -> Iterator[list[Any]]:
    for code in snapshot.codes:
        yield [
            code.id, code.parent_id, code.name, code.path, code.definition, code.inclusion,
            code.exclusion, code.example, code.colour, code.shortcut,
            "true" if code.retired else "false",
        ]  # fmt: skip


def _coders(snapshot: Snapshot) -> Iterator[list[Any]]:
    for coder in snapshot.coders:
        yield [coder.username, coder.full_name, coder.role]


def _assignments(snapshot: Snapshot) -> Iterator[list[Any]]:
    for row in snapshot.assignments():
        yield [row.source_id, row.coder, row.status, iso(row.created), iso(row.completed)]


def codebook_markdown(snapshot: Snapshot) -> str:
    lines = [f"# Codebook: {snapshot.project_name}", ""]
    for code in snapshot.codes:
        depth = len(code.names) - 1
        retired = " (retired)" if code.retired else ""
        lines.append(f"{'#' * min(depth + 2, 6)} {code.name}{retired}")
        lines.append("")
        lines.append(f"- id: {code.id}; path: {code.path}; colour: {code.colour}")
        for label, value in (
            ("Definition", code.definition),
            ("Inclusion", code.inclusion),
            ("Exclusion", code.exclusion),
            ("Example", code.example),
        ):
            if value:
                lines.append(f"- {label}: {value}")
        lines.append("")
    return "\n".join(lines)


def readme(snapshot: Snapshot) -> str:
    filters = (
        "; ".join(f"{name} = {', '.join(values)}" for name, values in snapshot.filters.items())
        or "none (the whole project)"
    )
    run = snapshot.agreement
    agreement = (
        f"the latest finished agreement run that is not a coder-vs-gold run (run "
        f"{run['run_id']}, finished {iso(run['finished'])})"
        if run
        else "no finished agreement run yet: the file holds only its header"
    )
    gold_run = snapshot.gold_agreement
    gold = (
        f"the latest finished coder-vs-gold run (run {gold_run['run_id']}, finished "
        f"{iso(gold_run['finished'])})"
        if gold_run
        else "no finished coder-vs-gold run yet: the file holds only its header"
    )
    return f"""# {snapshot.project_name}: coded data

Exported from {snapshot.software}. Every file was read from one consistent snapshot of the
database, taken {iso(snapshot.taken_at)} (UTC).

Filters: {filters}.

## Files

- `datapackage.json`: the Frictionless Data Package descriptor, with a Table Schema per table
  (types, primary and foreign keys). Check it with `frictionless validate datapackage.json`.
- `annotations.csv`: one row per coded passage: source, coder, code, offsets, quote, memo, dates,
  and its layer: `coder` for a coder's passage, `gold` for the adjudicated gold standard (with
  the adjudicating lead in `adjudicated_by`).
- `sources.csv`: the sources with their metadata and full texts.
- `codes.csv`: the codebook, one row per code, `parent_id` giving the tree.
- `coders.csv`: the coders (and leads) by username.
- `assignments.csv`: which coder was asked to code which source, and whether they finished.
- `agreement.csv`: per code, the inter-coder agreement figures with 95% intervals of
  {agreement}.
- `gold_agreement.csv`: each coder against the gold standard (adjudicated sources only), per
  code and pooled over all codes (`code_id` empty): Cohen's kappa and percent agreement over
  characters, span F1 with exact and with overlapping boundaries, and character-level alpha;
  from {gold}. These figures have no bootstrap interval.
- `codebook.md`: the codebook for people.

## Offsets

`start` and `end` count Unicode code points (not bytes, not UTF-16 units) of the source's text
as stored (NFC), from 0, end exclusive: in Python `text[start:end] == quote`. In R use
`substr(text, start + 1, end)`; in JavaScript convert from code points first.

## Opening the tables

The CSVs are UTF-8, quoted as RFC 4180 (line breaks inside cells kept), and hold exactly what
was stored: no cell is altered to stop spreadsheets running it as a formula. Open them with a
data tool (pandas `read_csv`, R `readr::read_csv`, frictionless), not by double-clicking in a
spreadsheet.
"""


def write(snapshot: Snapshot, options: dict[str, Any]) -> Iterator[bytes]:
    archive = ZipStream(snapshot.taken_at)
    meta = json.dumps(descriptor(snapshot), ensure_ascii=False, indent=2)
    yield from archive.entry("datapackage.json", [meta.encode()])
    tables = {
        "annotations": _annotations,
        "sources": _sources,
        "codes": _codes,
        "coders": _coders,
        "assignments": _assignments,
    }
    for name, rows in tables.items():
        yield from archive.entry(f"{name}.csv", csv_bytes(_header(name), rows(snapshot), bom=False))
    agreement = agreement_rows(snapshot.agreement)
    yield from archive.entry("agreement.csv", csv_bytes(AGREEMENT_COLUMNS, agreement, bom=False))
    gold = gold_agreement_rows(snapshot.gold_agreement)
    yield from archive.entry("gold_agreement.csv", csv_bytes(GOLD_COLUMNS, gold, bom=False))
    yield from archive.entry("codebook.md", [codebook_markdown(snapshot).encode()])
    yield from archive.entry("README.md", [readme(snapshot).encode()])
    yield from archive.close()
