"""Load benchmark: simulated coders against gunicorn + PostgreSQL, nothing lost or duplicated.

    DATABASE_URL=postgres://user:pass@127.0.0.1:5432/narrative \
        .venv/bin/python benchmarks/load_annotations.py

Creates its own database `<name>_loadbench` beside the one in DATABASE_URL (dropped afterwards),
starts `gunicorn config.wsgi` with two sync workers, the worker class the Dockerfile deploys
(`--threads N`: gthread workers with N threads each), and runs phases of `--seconds` each:
`/health/` as the floor, a bare DRF insert as the issue's reference point (served by the
benchmark's server only: benchmarks/load/bare.py), then annotation creates (10% sent twice with
the same UUID), then a mix of creates, updates and deletes, at 8 and at 32 concurrent coders,
and finally the mix at 8 with one gunicorn worker killed (SIGKILL) a third of the way in. For
each phase it also prints the CPU spent per request by the load client, gunicorn and
PostgreSQL. Afterwards it checks the database against every acknowledged write: zero lost,
zero duplicated.
"""

import argparse
import os
import sys
import time
from pathlib import Path
from statistics import quantiles
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import environ

from benchmarks.load import cpu
from benchmarks.load.coders import Coder, Ledger, SimulatedCoder, Timings
from benchmarks.load.server import (
    REPO_ROOT,
    Gunicorn,
    bench_database_url,
    drop_database,
    migrate,
    recreate_database,
    server_pids,
)

CODERS = 32
SOURCES = 8


def seed() -> list[Coder]:
    """A blind project with a lead, 32 coders each assigned every source, and three codes."""
    from rest_framework.authtoken.models import Token

    from annotations.models import Assignment
    from narratives.services import code_create
    from sources.models import Role
    from sources.services import membership_set, project_create, source_create
    from tests.factories import UserFactory

    lead = UserFactory(username="bench-lead")
    project = project_create(name="Load benchmark", lead=lead)
    codes = [code_create(project=project, name=f"Code {n}").pk for n in range(3)]
    sources = [
        source_create(
            project=project,
            title=f"Source {n}",
            text=f"Source {n}. " + "A sentence of the benchmark corpus, with words. " * 40,
        )
        for n in range(SOURCES)
    ]
    coders = []
    for n in range(CODERS):
        user = UserFactory(username=f"bench-coder-{n}")
        membership_set(project=project, user=user, role=Role.CODER)
        Assignment.objects.bulk_create(Assignment(source=s, coder=user) for s in sources)
        token = Token.objects.create(user=user).key
        coders.append(Coder(token, [(s.pk, len(s.text)) for s in sources], codes))
    return coders


def create_bare_table() -> None:
    from django.db import connection

    from benchmarks.load.bare import BareRow

    with connection.schema_editor() as editor:
        editor.create_model(BareRow)


def run_phase(
    server: Gunicorn,
    database_url: str,
    coders: list[Coder],
    mix: str,
    concurrency: int,
    seconds: float,
    kill: bool,
) -> tuple[list[SimulatedCoder], float, dict[str, float]]:
    before = cpu.snapshot(server.pids(), server_pids(database_url))
    deadline = time.monotonic() + seconds
    base = ("127.0.0.1", server.port)
    threads = [
        SimulatedCoder(base, coders[n % len(coders)], mix, deadline, seed=hash((mix, n)))
        for n in range(concurrency)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    if kill:
        time.sleep(seconds / 3)
        print(f"    killed gunicorn worker {server.kill_one_worker()} with SIGKILL", flush=True)
    for thread in threads:
        thread.join()
    elapsed = min(time.monotonic(), deadline) - started
    after = cpu.snapshot(server.pids(), server_pids(database_url))
    return threads, elapsed, cpu.spent(before, after)


def summarise(
    threads: list[SimulatedCoder], elapsed: float, seconds: dict[str, float]
) -> dict[str, dict[str, float]]:
    merged = Timings()
    for thread in threads:
        for op, samples in thread.timings.samples.items():
            merged.samples.setdefault(op, []).extend(samples)
        merged.retries += thread.timings.retries
    summary = {}
    for op, samples in merged.samples.items():
        cuts = quantiles(samples, n=100, method="inclusive") if len(samples) > 1 else samples * 99
        summary[op] = {
            "n": len(samples),
            "rps": len(samples) / elapsed,
            "p50": cuts[49] * 1000,
            "p99": cuts[98] * 1000,
        }
    summary["retries"] = {"n": merged.retries}
    requests = sum(len(samples) for samples in merged.samples.values())
    summary["cpu"] = {part: 1000 * spent / max(requests, 1) for part, spent in seconds.items()}
    return summary


def verify(ledgers: list[Ledger]) -> dict[str, int]:
    """Compare the database with every acknowledged write."""
    from annotations.models import Annotation

    acked: dict[str, Any] = {}
    pending: dict[str, list[Any]] = {}
    unexpected = []
    for ledger in ledgers:
        acked.update(ledger.state)
        pending.update(ledger.pending)
        unexpected.extend(ledger.unexpected)
    fields = ["id", "source_id", "code_id", "start", "end", "memo", "version"]
    rows = {
        str(row.pop("id")): {
            "source": row.pop("source_id"),
            "code": row.pop("code_id"),
            **row,
        }
        for row in Annotation.objects.filter(coder__username__startswith="bench-coder-").values(
            *fields
        )
    }
    lost = changed = resurrected = 0
    for key, state in acked.items():
        if key in pending:
            continue
        if state is None:
            resurrected += key in rows
        elif key not in rows:
            lost += 1
        elif rows[key] != state:
            changed += 1
    undecided = sum(rows.get(key) not in states for key, states in pending.items())
    known = set(acked) | set(pending)
    duplicated = sum(key not in known for key in rows)
    for line in unexpected[:5]:
        print("    unexpected answer:", line)
    return {
        "acknowledged writes": len(acked),
        "rows checked": len(rows),
        "pending (unacknowledged) writes": len(pending),
        "lost": lost + changed,
        "resurrected after delete": resurrected,
        "duplicated": duplicated,
        "pending in neither state": undecided,
        "unexpected answers": len(unexpected),
    }


def report_phase(name: str, summary: dict[str, dict[str, float]]) -> None:
    for op in ("health", "bare", "create", "update", "delete"):
        if op in summary:
            s = summary[op]
            print(
                f"  {name:<22} {op:<7} {s['n']:>7} req {s['rps']:>8.1f} req/s"
                f"  p50 {s['p50']:6.1f} ms  p99 {s['p99']:6.1f} ms"
            )
    if summary["retries"]["n"]:
        print(f"  {name:<22} retries after lost answers: {summary['retries']['n']}")
    parts = summary["cpu"]
    print(
        f"  {name:<22} CPU per request: client {parts['client']:.2f} ms, gunicorn "
        f"{parts['web']:.2f} ms, PostgreSQL {parts['database']:.2f} ms, "
        f"total {sum(parts.values()):.2f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (1: sync workers)"
    )
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args()

    environ.Env.read_env(REPO_ROOT / ".env")
    base_url = os.environ.get("DATABASE_URL", "")
    database_url, name = bench_database_url(base_url)
    print(f"database {name}: creating and migrating", flush=True)
    recreate_database(base_url, name)
    migrate(database_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    coders = seed()
    create_bare_table()
    connection.close()
    server = Gunicorn(database_url, threads=args.threads)
    kind = "sync" if args.threads == 1 else f"gthread, {args.threads} threads each"
    print(f"gunicorn at {server.base}, 2 workers ({kind}); {args.seconds:.0f} s per phase")
    ledgers: list[Ledger] = []
    # The floor, the bare insert and the create runs alternate in halves, so a change in the
    # machine's other load during the run weighs on all alike.
    half = args.seconds / 2
    phases = [
        (f"{mix} x{concurrency}", mix, concurrency, half, False)
        for concurrency in (8, 32)
        for _ in range(2)
        for mix in ("health", "bare", "create")
    ]
    phases += [
        ("mixed x8", "mixed", 8, args.seconds, False),
        ("mixed x32", "mixed", 32, args.seconds, False),
        ("mixed x8 worker killed", "mixed", 8, args.seconds, True),
    ]
    runs: dict[str, tuple[list[SimulatedCoder], float, dict[str, float]]] = {}
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    try:
        for label, mix, concurrency, seconds, kill in phases:
            print(f"  running {label} for {seconds:.0f} s", flush=True)
            threads, elapsed, seconds_cpu = run_phase(
                server, database_url, coders, mix, concurrency, seconds, kill
            )
            earlier_threads, earlier_elapsed, earlier_cpu = runs.get(label, ([], 0.0, {}))
            runs[label] = (
                earlier_threads + threads,
                earlier_elapsed + elapsed,
                {part: earlier_cpu.get(part, 0.0) + s for part, s in seconds_cpu.items()},
            )
            ledgers.extend(thread.ledger for thread in threads)
    finally:
        server.stop()
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    results = {label: summarise(*run) for label, run in runs.items()}
    print("\nResults")
    for label, summary in results.items():
        report_phase(label, summary)
    for concurrency in (8, 32):
        floor = results[f"health x{concurrency}"]["health"]
        bare = results[f"bare x{concurrency}"]["bare"]
        create = results[f"create x{concurrency}"]["create"]
        print(
            f"  create/floor at {concurrency:>2} concurrent: {create['rps'] / floor['rps']:.0%} "
            f"of the req/s ({create['rps']:.0f} vs {floor['rps']:.0f}); "
            f"create p99 {create['p99']:.1f} ms"
        )
        print(
            f"  bare insert/floor at {concurrency:>2} concurrent: "
            f"{bare['rps'] / floor['rps']:.0%} ({bare['rps']:.0f} req/s, p99 "
            f"{bare['p99']:.1f} ms); create/bare insert: {create['rps'] / bare['rps']:.0%}"
        )
    checks = verify(ledgers)
    connection.close()
    print("\nDatabase against acknowledged writes")
    for key, value in checks.items():
        print(f"  {key:<32} {value}")
    if not args.keep_database:
        drop_database(base_url, name)
    bad = checks["lost"] + checks["duplicated"] + checks["resurrected after delete"]
    bad += checks["pending in neither state"]
    print("\nOK: nothing lost or duplicated." if not bad else "\nFAILED: see above.")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
