"""A full agreement run on PostgreSQL: 10,000 sources x ~5,000 characters x 3 coders x ~20 spans.

About 600,000 annotations over 4 codes, bootstrap 1000. The data go into a database of their
own beside DATABASE_URL's (`<name>_agreement_bench`, created on first use and reused), loaded
with COPY. Then, each in a fresh process so peak RSS means something:
  (1) the service: agreement_run_start + agreement_run_execute, with the split between reading,
      computing (of which bootstrapping) and ranking the sources by disagreement;
  (2) a real Celery worker: queue the run, poll until done (end to end), and the worker's peak
      RSS (VmHWM).
Baselines measured in the same run: the floor for reading (binary COPY of the five integer
columns into numpy) and a per-character numpy char_alpha of one code (one array cell per
character per coder). Goal: under 20 s end to end and under 1 GiB RSS. No assertions.

Usage: DATABASE_URL=postgres://... [REDIS_URL=redis://...] \
       python benchmarks/agreement_full_run.py [--sources N] [--fresh] [--skip-worker]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VOCABULARY = (
    "the attack was claimed by a channel that promised more operations while state media "
    "blamed foreign services and analysts compared the night to earlier sieges in the region"
)
WORDS = VOCABULARY.split()
CODES, CODERS, SPANS, LENGTH, BOOTSTRAP = 4, 3, 20, 5000, 1000
PROJECT = "Agreement benchmark ({sources} sources)"


def bench_database_url(base: str, name: str | None) -> str:
    parts = urlsplit(base)
    database = name or parts.path.lstrip("/") + "_agreement_bench"
    return urlunsplit(parts._replace(path="/" + database))


def ensure_database(url: str, fresh: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def texts(rng: np.random.Generator, count: int) -> list[str]:
    words = np.array(WORDS)
    out = []
    for index in range(count):
        chosen = words[rng.integers(0, len(words), size=LENGTH // 5)]
        text = f"Source {index}. " + " ".join(chosen.tolist())
        out.append(text[:LENGTH])
    return out


def coder_spans(rng: np.random.Generator, length: int) -> list[list[tuple[int, int, int]]]:
    """Each coder's (start, end, code): shared "true" passages with jittered boundaries, a
    few dropped or recoded, a few extra."""
    starts = rng.integers(0, length - 320, size=SPANS)
    ends = starts + rng.integers(20, 300, size=SPANS)
    codes = rng.integers(0, CODES, size=SPANS)
    per_coder = []
    for _ in range(CODERS):
        spans = []
        for start, end, code in zip(starts.tolist(), ends.tolist(), codes.tolist(), strict=True):
            if rng.random() < 0.1:
                continue
            s = max(0, start + int(rng.integers(-12, 13)))
            e = min(length, max(s + 1, end + int(rng.integers(-12, 13))))
            c = int(rng.integers(0, CODES)) if rng.random() < 0.08 else code
            spans.append((s, e, c))
        for _ in range(int(rng.integers(0, 4))):
            s = int(rng.integers(0, length - 100))
            spans.append((s, s + int(rng.integers(10, 100)), int(rng.integers(0, CODES))))
        per_coder.append(spans)
    return per_coder


def generate(sources: int) -> int:
    """Create the benchmark project (if missing); returns its id."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from annotations.models import Annotation
    from narratives.services import code_create
    from sources.models import Project, Role
    from sources.services import membership_set, project_create

    name = PROJECT.format(sources=sources)
    project = Project.objects.filter(name=name).first()
    if project is not None and Annotation.objects.filter(source__project=project).exists():
        return project.pk
    clock = time.perf_counter()
    users = get_user_model().objects
    lead, _ = users.get_or_create(username="bench-lead")
    coders = [users.get_or_create(username=f"bench-coder{i}")[0] for i in range(CODERS)]
    project = project or project_create(name=name, description="benchmark", lead=lead)
    for coder in coders:
        membership_set(project=project, user=coder, role=Role.CODER)
    codes = [code_create(project=project, name=f"Narrative {k}").pk for k in range(CODES)]
    rng = np.random.default_rng(2026)
    now = timezone.now()
    all_texts = texts(rng, sources)
    with connection.cursor() as cursor:
        columns = "project_id, title, text, sha256, text_locked, kind, outlet, author, url, "
        columns += "language, metadata, imported_from, created_at"
        with cursor.copy(f"COPY sources_source ({columns}) FROM STDIN") as copy:
            for index, text in enumerate(all_texts):
                digest = hashlib.sha256(text.encode()).hexdigest()
                row = (project.pk, f"Source {index}", text, digest, True, "other")
                copy.write_row((*row, "", "", "", "en", "{}", "benchmark", now))
        cursor.execute(
            "SELECT id FROM sources_source WHERE project_id = %s ORDER BY id", [project.pk]
        )
        source_ids = [row[0] for row in cursor.fetchall()]
        assignment_columns = "source_id, coder_id, status, created_at, started_at, completed_at, "
        assignment_columns += "updated_at"
        with cursor.copy(f"COPY annotations_assignment ({assignment_columns}) FROM STDIN") as copy:
            for source_id in source_ids:
                for coder in coders:
                    copy.write_row((source_id, coder.pk, "done", now, now, now, now))
        annotation_columns = 'id, source_id, code_id, coder_id, start, "end", quote, memo, '
        annotation_columns += "version, created_at, updated_at"
        count = 0
        with cursor.copy(f"COPY annotations_annotation ({annotation_columns}) FROM STDIN") as copy:
            for source_id, text in zip(source_ids, all_texts, strict=True):
                for coder, spans in zip(coders, coder_spans(rng, len(text)), strict=True):
                    for start, end, code in spans:
                        quote = text[start:end]
                        row = (uuid.uuid4(), source_id, codes[code], coder.pk, start, end, quote)
                        copy.write_row((*row, "", 1, now, now))
                        count += 1
        cursor.execute("ANALYZE")
    print(
        f"generated {sources} sources, {count} annotations in {time.perf_counter() - clock:.1f} s"
    )
    return project.pk


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_service(project_id: int) -> dict:
    """Runs in a fresh process: one run through the services, then compute without bootstrap."""
    from agreement.math import span_agreement
    from agreement.models import AgreementRun
    from agreement.services.reading import run_input_read
    from agreement.services.start import agreement_run_start
    from config.celery import app
    from sources.models import Project

    # The job runs in this process as soon as the start's transaction commits; the broker
    # client is loaded first, as a worker has it loaded before its first job.
    app.conf.task_always_eager = True
    with app.producer_or_acquire():
        pass
    project = Project.objects.get(pk=project_id)
    lead = project.memberships.get(role="lead").user
    before = peak_rss_mib()
    clock = time.perf_counter()
    run = agreement_run_start(project=project, user=lead, bootstrap=BOOTSTRAP)
    total = time.perf_counter() - clock
    peak = peak_rss_mib()
    run = AgreementRun.objects.get(pk=run.pk)
    started = total - sum(run.results["timings"].values())
    data = run_input_read(
        project_id=project.pk, params=run.params, snapshot=run.codebook_snapshot, progress=id
    )
    # The bootstrap's share: the pure computation with and without it, median of three each.
    with_b, without_b = [], []
    for _ in range(3):
        for replicates, times in ((BOOTSTRAP, with_b), (0, without_b)):
            clock = time.perf_counter()
            span_agreement(data.sources, data.coders, data.codes, seed=1, bootstrap=replicates)
            times.append(time.perf_counter() - clock)
    return {
        "status": run.status,
        "annotations": run.results["annotations"],
        "start_seconds": started,
        "total_seconds": total,
        **run.results["timings"],
        "compute_median_seconds": statistics.median(with_b),
        "compute_without_bootstrap_seconds": statistics.median(without_b),
        "peak_rss_mib": peak,
        "rss_before_mib": before,
        "overall_char_alpha": run.results["overall"]["char_alpha"]["value"],
        "overall_doc_alpha": run.results["overall"]["doc_alpha"]["value"],
    }


def read_floor(project_id: int) -> float:
    """Seconds to fetch the five integer columns by binary COPY into a numpy array."""
    from django.db import connection

    clock = time.perf_counter()
    with connection.cursor() as cursor:
        query = (
            'COPY (SELECT a.source_id::int8, a.coder_id::int8, a.start::int8, a."end"::int8, '
            "a.code_id::int8 FROM annotations_annotation a "
            "JOIN sources_source s ON s.id = a.source_id "
            f"WHERE s.project_id = {int(project_id)}) TO STDOUT (FORMAT binary)"
        )
        with cursor.copy(query) as copy:
            raw = b"".join(bytes(block) for block in copy)
    # 19-byte header, then per row: field count (int16) and five (length int32, int64) pairs.
    row = np.dtype([("fields", ">i2"), *[(f"{i}", [("n", ">i4"), ("v", ">i8")]) for i in range(5)]])
    rows = np.frombuffer(raw[19:-2], dtype=row)
    np.column_stack([rows[str(i)]["v"].astype(np.int64) for i in range(5)])
    return time.perf_counter() - clock


def per_character_floor(project_id: int) -> dict:
    """char_alpha of one code with one int8 cell per character per coder (the naive layout)."""
    from django.db.models.functions import Length

    from annotations.models import Annotation
    from sources.models import Source

    lengths = dict(
        Source.objects.filter(project_id=project_id)
        .annotate(n=Length("text"))
        .values_list("pk", "n")
    )
    ids = sorted(lengths)
    offsets = dict(zip(ids, np.cumsum([0] + [lengths[i] for i in ids[:-1]]).tolist(), strict=True))
    total = sum(lengths.values())
    code = Annotation.objects.filter(source__project_id=project_id).values_list("code_id").first()
    rows = np.array(
        list(
            Annotation.objects.filter(source__project_id=project_id, code_id=code[0])
            .values_list("coder_id", "source_id", "start", "end")
            .iterator(chunk_size=50_000)
        ),
        dtype=np.int64,
    )
    coders = np.unique(rows[:, 0])
    base = np.array([offsets[s] for s in rows[:, 1].tolist()])
    clock = time.perf_counter()
    covered = np.zeros((len(coders), total), dtype=np.int8)
    for index, coder in enumerate(coders):
        mine = rows[:, 0] == coder
        starts = np.bincount(base[mine] + rows[mine, 2], minlength=total + 1)
        ends = np.bincount(base[mine] + rows[mine, 3], minlength=total + 1)
        covered[index] = np.cumsum(starts - ends)[:-1] > 0
    ones = covered.sum(axis=0, dtype=np.int64)
    m = len(coders)
    disagreeing = (ones * (m - ones)).sum() / (m - 1)
    n1, n0 = int(ones.sum()), m * total - int(ones.sum())
    alpha = 1 - (n0 + n1 - 1) * disagreeing / (n0 * n1)
    return {"seconds": time.perf_counter() - clock, "units": total, "alpha": float(alpha)}


def measure_worker(project_id: int, database_url: str) -> dict:
    """Queue a run for a real worker process and poll until it is done."""
    from agreement.services.start import agreement_run_start
    from config.celery import app
    from sources.models import Project

    queue = f"bench-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_QUEUE": queue}
    log = ROOT / "var" / "agreement-bench-worker.log"
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"]
    command += ["--queues", queue, "--without-gossip", "--without-mingle", "--loglevel=INFO"]
    with log.open("w") as out:
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        while " ready." not in log.read_text():
            if worker.poll() is not None:
                raise SystemExit(f"the worker exited:\n{log.read_text()}")
            time.sleep(0.1)
        idle = _vm(worker.pid, "VmRSS")
        project = Project.objects.get(pk=project_id)
        lead = project.memberships.get(role="lead").user
        with app.producer_or_acquire():
            pass
        clock = time.perf_counter()
        run = agreement_run_start(project=project, user=lead, bootstrap=BOOTSTRAP)
        while True:
            run.refresh_from_db(fields=["status"])
            if run.status in ("done", "failed"):
                break
            time.sleep(0.1)
        seconds = time.perf_counter() - clock
        run.refresh_from_db()
        return {
            "status": run.status,
            "error": run.error,
            "end_to_end_seconds": seconds,
            "job_seconds": (run.finished_at - run.started_at).total_seconds(),
            "worker_idle_rss_mib": idle,
            "worker_peak_rss_mib": _vm(worker.pid, "VmHWM"),
        }
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def _vm(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(mode: str, project_id: int, url: str) -> dict:
    command = [sys.executable, __file__, "--child", mode, "--project", str(project_id)]
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(service: dict, worker: dict | None, floors: dict) -> None:
    print(f"\nannotations read: {service['annotations']:,}; bootstrap B = {BOOTSTRAP}")
    bootstrap = service["compute_median_seconds"] - service["compute_without_bootstrap_seconds"]
    print("service (agreement_run_start + agreement_run_execute, fresh process):")
    print(f"  end to end          {service['total_seconds']:7.2f} s   (goal < 20 s)")
    print(f"    defaults, claim, store {service['start_seconds']:4.2f} s")
    print(f"    reading           {service['read_seconds']:7.2f} s")
    print(f"    computing         {service['compute_seconds']:7.2f} s")
    print(f"      of which bootstrapping {bootstrap:5.2f} s (median of 3, with B vs without)")
    print(f"    ranking sources   {service['rank_seconds']:7.2f} s")
    print(f"  peak RSS            {service['peak_rss_mib']:7.0f} MiB (goal < 1024 MiB)")
    alphas = service["overall_doc_alpha"], service["overall_char_alpha"]
    print("  overall doc alpha {:.3f}, char alpha {:.3f}".format(*alphas))
    if worker:
        print("real Celery worker (queue -> done, polled):")
        print(f"  end to end          {worker['end_to_end_seconds']:7.2f} s   ({worker['status']})")
        print(f"    in the job (claimed to stored) {worker['job_seconds']:5.2f} s")
        print(
            f"  worker RSS          {worker['worker_idle_rss_mib']:7.0f} MiB idle, "
            f"{worker['worker_peak_rss_mib']:.0f} MiB peak"
        )
    print("baselines measured in this run:")
    print(
        f"  read floor (binary COPY into numpy)      {floors['read']:6.2f} s; "
        f"reading / floor = {service['read_seconds'] / floors['read']:.1f}x"
    )
    char = floors["per_character"]
    ours = service["compute_without_bootstrap_seconds"]
    print(
        f"  per-character numpy char_alpha, 1 code   {char['seconds']:6.2f} s over "
        f"{char['units']:,} characters (alpha {char['alpha']:.3f})"
    )
    print(
        f"  ours, every figure of 4 codes, no bootstrap {ours:6.2f} s "
        f"= {ours / char['seconds']:.1f}x the one-code per-character floor"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=10_000)
    parser.add_argument("--database", help="benchmark database name")
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the data")
    parser.add_argument("--skip-worker", action="store_true")
    parser.add_argument("--child", choices=["service", "floors"], help=argparse.SUPPRESS)
    parser.add_argument("--project", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if args.child:
        setup_django(base)
        result = (
            measure_service(args.project)
            if args.child == "service"
            else {
                "read": read_floor(args.project),
                "per_character": per_character_floor(args.project),
            }
        )
        print(json.dumps(result))
        return
    if not base.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "This benchmark needs PostgreSQL: set DATABASE_URL=postgres://user:pass@host:port/db "
            "(SQLite is not what production runs on, and COPY is PostgreSQL's)."
        )
    url = bench_database_url(base, args.database)
    ensure_database(url, args.fresh)
    setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    project_id = generate(args.sources)
    floors = child("floors", project_id, url)
    service = child("service", project_id, url)
    worker = None if args.skip_worker else measure_worker(project_id, url)
    report(service, worker, floors)


if __name__ == "__main__":
    main()
