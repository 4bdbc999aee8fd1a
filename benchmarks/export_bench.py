"""Export benchmark: `csv`, `xlsx`, `jsonl` and `qdpx` of a large project on PostgreSQL, through
the real code path, against two baselines measured in the same run.

    DATABASE_URL=postgres://user:pass@127.0.0.1:5432/narrative \
        .venv/bin/python benchmarks/export_bench.py --annotations 1000000

Builds a project in a database of its own beside the one in DATABASE_URL (`<name>_exportbench`,
dropped afterwards unless --keep): one source per 100 annotations (or --sources N), 3 coders,
4 codes, generated in SQL. Each measurement runs in a fresh process, so its peak RSS is its own:
- floor: PostgreSQL `COPY (SELECT …) TO STDOUT WITH CSV` of the same joined columns, read
  through psycopg's `copy()` (no code paths, no formula guard);
- pandas: `read_sql` of the same query, then `to_csv`;
- each kind through `interchange` (snapshot + writer) into a discarded stream; for `csv`
  also the Python path (the SQLite path) and, for the Python path, the reading alone; for
  `xlsx` also its Python path and its COPY alone (reading, without the zip).
Prints rows per second, peak RSS and ratios to the floor.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from benchmarks.load.server import REPO_ROOT, drop_database, migrate, recreate_database

# The floor: the `csv` kind's 22 columns, joined the same way, as PostgreSQL stores them (no
# code paths, no formula guard, no date formatting). FLOOR9 is the 9-column reference.
FLOOR_SQL = """
    SELECT pr.name, s.id, s.title, s.kind, s.outlet, s.author, s.url, s.published, s.language,
        s.sha256, u.username, a.code_id, c.name, c.name AS path, a.start, a."end", a.quote,
        a.memo, a.created_at, a.updated_at, a.version, a.id
    FROM annotations_annotation a
    JOIN sources_source s ON s.id = a.source_id
    JOIN sources_project pr ON pr.id = s.project_id
    JOIN auth_user u ON u.id = a.coder_id
    JOIN narratives_code c ON c.id = a.code_id
    WHERE s.project_id = {project}
    ORDER BY a.source_id, a.start, a."end", a.id
"""
FLOOR9_SQL = """
    SELECT s.id, s.title, u.username, a.code_id, c.name, a.start, a."end", a.quote, a.memo
    FROM annotations_annotation a
    JOIN sources_source s ON s.id = a.source_id
    JOIN auth_user u ON u.id = a.coder_id
    JOIN narratives_code c ON c.id = a.code_id
    WHERE s.project_id = {project}
    ORDER BY a.source_id, a.start, a."end", a.id
"""
SAMPLE = (
    "Officials in Moscow blamed Kyiv within hours of the Crocus City Hall attack, before any "
    "investigation had begun; Islamic State's Amaq agency claimed it the same evening. "
)


def build(url: str, annotations: int, sources: int) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            """INSERT INTO sources_project (name, description, blind, created_at, gold_released)
            VALUES ('Bench', '', true, now(), false)"""
        )
        project = conn.execute("SELECT id FROM sources_project WHERE name = 'Bench'").fetchone()[0]
        conn.execute(
            "INSERT INTO narratives_codebook (project_id, updated_at, numbers_given)"
            " VALUES (%s, now(), 4)",
            [project],
        )
        book = conn.execute(
            "SELECT id FROM narratives_codebook WHERE project_id = %s", [project]
        ).fetchone()[0]
        for index, name in enumerate(["Blame", "Claim", "Victims", "Conspiracy"]):
            conn.execute(
                """INSERT INTO narratives_code (codebook_id, name, definition, inclusion,
                exclusion, example, colour, shortcut, "order", retired, number)
                VALUES (%s, %s, '', '', '', '', '#4e79a7', '', %s, false, %s)""",
                [book, name, index, index + 1],
            )
        for index in range(3):
            conn.execute(
                """INSERT INTO auth_user (username, password, is_superuser, first_name, last_name,
                email, is_staff, is_active, date_joined)
                VALUES (%s, '!', false, '', '', '', false, true, now())""",
                [f"bench_coder{index}"],
            )
        text = SAMPLE * 12
        conn.execute(
            """INSERT INTO sources_source (project_id, title, text, sha256, text_locked, kind,
            outlet, author, url, published, language, metadata, imported_from, created_at)
            SELECT %s, 'Source ' || g, %s || g, md5(g::text) || md5(g::text), true,
                'news_article', 'Outlet', '', '', NULL, 'en', '{}', '', now()
            FROM generate_series(1, %s) g""",
            [project, text, sources],
        )
        first_source = conn.execute(
            "SELECT min(id) FROM sources_source WHERE project_id = %s", [project]
        ).fetchone()[0]
        codes = [row[0] for row in conn.execute(
            'SELECT id FROM narratives_code WHERE codebook_id = %s ORDER BY "order"', [book]
        )]  # fmt: skip
        coders = [row[0] for row in conn.execute(
            "SELECT id FROM auth_user WHERE username LIKE 'bench_coder%%' ORDER BY username"
        )]  # fmt: skip
        # Source ids are consecutive (inserted above in one statement), so no join is needed.
        conn.execute(
            """
            INSERT INTO annotations_annotation (id, source_id, code_id, coder_id, start, "end",
                quote, memo, version, created_at, updated_at, layer, derived_from)
            SELECT gen_random_uuid(), %(first)s + g %% %(sources)s, (%(codes)s)[g %% 4 + 1],
                (%(coders)s)[g %% 3 + 1], (g * 37) %% 2000, (g * 37) %% 2000 + 40,
                substr(%(text)s, (g * 37) %% 2000 + 1, 40),
                CASE WHEN g %% 7 = 0 THEN '=memo ' || g ELSE '' END, 1, now(), now(),
                'coder', '[]'
            FROM generate_series(0, %(count)s - 1) g
            """,
            {
                "first": first_source,
                "sources": sources,
                "codes": codes,
                "coders": coders,
                "text": text,
                "count": annotations,
            },
        )
        conn.execute("ANALYZE")
    return project


def child(kind: str, project: int, url: str) -> None:
    """One measurement in this process; prints a JSON line."""
    size = rows = 0
    split: dict[str, float] = {}
    # Imports and Django's start-up are not part of a measurement; each process imports only
    # what its measurement needs, so its peak RSS is its own.
    if kind == "pandas":
        import pandas
        import sqlalchemy
    elif kind not in ("floor", "floor9"):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from interchange.filters import ExportFilters
        from interchange.formats import EXPORTERS
        from interchange.snapshot import export_snapshot
        from sources.models import Project

    started = time.perf_counter()
    if kind in ("floor", "floor9"):
        query = (FLOOR_SQL if kind == "floor" else FLOOR9_SQL).format(project=project)
        with (
            psycopg.connect(url) as conn,
            conn.cursor() as cursor,
            cursor.copy(f"COPY ({query}) TO STDOUT WITH CSV") as copy,
        ):
            for data in copy:
                size += len(data)
        rows = -1
    elif kind == "pandas":
        engine = sqlalchemy.create_engine(url.replace("postgres://", "postgresql+psycopg://"))
        frame = pandas.read_sql(FLOOR_SQL.format(project=project), engine)
        split["read"] = time.perf_counter() - started
        size = len(frame.to_csv(index=False).encode())
        rows = len(frame)
    else:
        name, _, variant = kind.partition(":")
        with export_snapshot(
            project=Project.objects.get(pk=project), filters=ExportFilters()
        ) as snap:
            rows = snap.annotation_count
            if variant == "read" and name == "xlsx":
                from interchange.formats import xlsx

                for line in snap.copy_table(xlsx.SQL_CELLS):
                    size += len(line)
            elif variant == "read":
                for _ in snap.annotations():
                    size += 1
            else:
                options = {"python": variant == "python"}
                for chunk in EXPORTERS[name].write(snap, options):
                    size += len(chunk)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "kind": kind,
                "seconds": seconds,
                "bytes": size,
                "rows": rows,
                "rss_mib": peak,
                **split,
            }
        )
    )


def measure(kind: str, project: int, url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false", "SECURE_SSL_REDIRECT": "false"}
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--project", str(project)],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--annotations", type=int, default=1_000_000)
    parser.add_argument(
        "--kinds",
        default="floor,floor9,pandas,csv,csv:python,csv:read,xlsx,xlsx:read,xlsx:python,jsonl,qdpx",
    )
    parser.add_argument(
        "--sources", type=int, help="how many sources (default: one per 100 annotations)"
    )
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--child")
    parser.add_argument("--project", type=int)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.project, os.environ["DATABASE_URL"])
        return
    base = os.environ["DATABASE_URL"]
    name = base.rsplit("/", 1)[1] + "_exportbench"
    url = base.rsplit("/", 1)[0] + "/" + name
    recreate_database(base, name)
    try:
        migrate(url)
        clock = time.perf_counter()
        sources = args.sources or max(args.annotations // 100, 1)
        project = build(url, args.annotations, sources)
        print(
            f"built {args.annotations:,} annotations on {sources:,} sources"
            f" in {time.perf_counter() - clock:.0f} s"
        )
        results = {}
        for kind in args.kinds.split(","):
            result = measure(kind, project, url)
            results[kind] = result
            rate = args.annotations / result["seconds"]
            floor = results.get("floor")
            ratio = f"{rate / (args.annotations / floor['seconds']):.2f} of floor" if floor else ""
            extra = f" (read {result['read']:.1f} s)" if "read" in result else ""
            print(
                f"{kind:12} {result['seconds']:7.1f} s {rate:10,.0f} rows/s"
                f" {result['rss_mib']:7.0f} MiB {result['bytes'] / 2**20:8.0f} MiB out"
                f"  {ratio}{extra}",
                flush=True,
            )
        if "csv:python" in results and "csv:read" in results:
            reading = results["csv:read"]["seconds"]
            writing = results["csv:python"]["seconds"] - reading
            print(f"csv python path: reading {reading:.1f} s, writing {writing:.1f} s")
        if "xlsx" in results and "xlsx:read" in results:
            reading = results["xlsx:read"]["seconds"]
            writing = results["xlsx"]["seconds"] - reading
            print(f"xlsx: reading (COPY) {reading:.1f} s, writing (zip) {writing:.1f} s")
    finally:
        if not args.keep:
            drop_database(base, name)


if __name__ == "__main__":
    main()
