"""Importing a Telegram channel export: the real import service against a bare bulk_create.

Generates a Telegram Desktop `result.json` of N messages (default 100,000; texts of 200-1,000
characters, some with formatting entities, some media without text), then, each in a fresh
process so peak RSS (VmHWM) means something:
  (1) the service: `interchange.services.import_upload` into a new project, as the page, the
      API's job and `manage.py import_sources` run it (read, flatten, normalise, dedupe, validate,
      write sources with their history rows, in one transaction);
  (2) the baseline: the same export loaded with json.loads and the same sources written with a
      bare `Source.objects.bulk_create` (no validation, no deduplication, no history);
  (3) the service on an export of 10,000 messages.
The data go into a database of their own beside DATABASE_URL's (`<name>_import_bench`, migrated
on first use); every run uses new projects; the children run with DEBUG off, as in production.
Goal: (1) at least half the rate of (2), peak RSS under 500 MiB, and (3) under 10 s. Prints
figures; asserts nothing. Two runs on a shared 2-core machine (2026-12-01): (1) 2,942 and 4,107
rows/s, peak RSS 213 and 212 MiB; (2) 4,287 and 4,295 rows/s, 631 MiB; (3) 4.9 and 3.8 s.

Usage: DATABASE_URL=postgres://... python benchmarks/import_telegram.py [--messages N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VOCABULARY = (
    "the attack was claimed by a channel that promised more operations while state media "
    "blamed foreign services and analysts compared the night to earlier sieges in the region "
    "عملية موسكو заявление канал"
)


def generate(path: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    words = VOCABULARY.split(" ")
    messages = []
    for number in range(1, count + 1):
        body = " ".join(rng.choice(words) for _ in range(rng.randint(30, 150)))
        message: dict = {
            "id": number,
            "type": "message",
            "date": f"2024-03-{22 + number % 7:02d}T{number % 24:02d}:00:00",
            "from": "Bench channel",
            "from_id": "channel42",
            "views": rng.randint(100, 100000),
        }
        if number % 50 == 0:
            message["photo"], message["text"] = "photos/p.jpg", ""
        elif number % 3 == 0:
            message["text"] = [{"type": "bold", "text": "Update:"}, f" {body} #{number}"]
        else:
            message["text"] = f"{body} #{number}"
        if number % 10 == 0:
            message["forwarded_from"] = "Other channel"
        messages.append(message)
    export = {"name": "Bench channel", "type": "public_channel", "id": 42, "messages": messages}
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")


def bench_database(base: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=parts.path + "_import_bench"))


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    name = parts.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def peak_rss_mib() -> float:
    """This process's peak RSS. Not ru_maxrss: Linux keeps it across execve, so a child would
    report the parent's peak (the generated export) as its own."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, path: Path) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from interchange.formats.incoming import Upload
    from interchange.formats.telegram import flatten
    from interchange.services import import_upload
    from sources.models import Project, Source, SourceKind, text_sha256

    data = path.read_bytes()
    project = Project.objects.create(name=f"Import bench {mode} {uuid.uuid4().hex[:8]}")
    started = time.perf_counter()
    if mode == "service":
        report = import_upload(project=project, upload=Upload("result.json", data))
        assert report.status == "imported", report.error
        rows = report.sources_created
    else:
        del data
        export = json.loads(path.read_bytes())
        sources = []
        for message in export["messages"]:
            text = flatten(message.get("text"))
            if message.get("type") == "message" and text.strip():
                sources.append(
                    Source(
                        project=project,
                        title=text[:120],
                        text=text,
                        sha256=text_sha256(text),
                        kind=SourceKind.SOCIAL_MEDIA_POST,
                        metadata={"message_id": message["id"]},
                    )
                )
        Source.objects.bulk_create(sources, batch_size=2000)
        rows = len(sources)
    seconds = time.perf_counter() - started
    return {"mode": mode, "rows": rows, "seconds": seconds, "peak_rss_mib": peak_rss_mib()}


def run_child(mode: str, path: Path, url: str) -> dict:
    command = [sys.executable, __file__, "--child", mode, "--file", str(path)]
    # As in production: DEBUG would keep the SQL of the last 9,000 queries, every inserted text.
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false"}
    output = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--child", choices=["service", "bare"])
    parser.add_argument("--file", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.file)))
        return
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    url = bench_database(base)
    ensure_database(url)
    with tempfile.TemporaryDirectory() as folder:
        path, small = Path(folder) / "result.json", Path(folder) / "small.json"
        generate(path, args.messages)
        generate(small, 10_000)
        size = path.stat().st_size / 2**20
        print(f"Telegram export: {args.messages} messages, {size:.1f} MiB")
        results = [
            run_child("service", path, url),
            run_child("bare", path, url),
            run_child("service", small, url),
        ]
    for result in results:
        rate = result["rows"] / result["seconds"]
        print(
            f"{result['mode']:8} {result['rows']:7d} sources  {result['seconds']:7.2f} s  "
            f"{rate:8.0f} rows/s  peak RSS {result['peak_rss_mib']:.0f} MiB"
        )
    service, bare = results[0], results[1]
    ratio = (service["rows"] / service["seconds"]) / (bare["rows"] / bare["seconds"])
    print(f"service / bare rate: {ratio:.2f} (goal >= 0.5)")


if __name__ == "__main__":
    main()
