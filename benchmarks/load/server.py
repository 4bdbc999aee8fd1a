"""A throwaway PostgreSQL database and a gunicorn server for the load benchmark."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

REPO_ROOT = Path(__file__).resolve().parents[2]


def bench_database_url(base_url: str) -> tuple[str, str]:
    """(url of a database of its own beside the one in DATABASE_URL, its name)."""
    parts = urlsplit(base_url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit(
            "The load benchmark measures gunicorn against PostgreSQL: set DATABASE_URL to a "
            "PostgreSQL server whose role may create databases, e.g. "
            "DATABASE_URL=postgres://user:pass@127.0.0.1:5432/narrative "
            f"(got {parts.scheme or 'nothing'}; SQLite is not a meaningful target)."
        )
    name = parts.path.lstrip("/") + "_loadbench"
    return urlunsplit(parts._replace(path="/" + name)), name


def recreate_database(base_url: str, name: str) -> None:
    admin_url = urlunsplit(urlsplit(base_url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def server_pids(database_url: str) -> list[int]:
    """Every PostgreSQL server process: backends and background workers (WAL writer, ...)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        return [pid for (pid,) in conn.execute("SELECT pid FROM pg_stat_activity")]


def drop_database(base_url: str, name: str) -> None:
    admin_url = urlunsplit(urlsplit(base_url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url: str, settings: str = "config.settings") -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
    }


def migrate(database_url: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=REPO_ROOT,
        env=server_env(database_url),
        check=True,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """`gunicorn config.wsgi` with two workers, started and stopped by this process; its
    settings add the bare-insert reference route (benchmarks/load/bare.py)."""

    def __init__(self, database_url: str, workers: int = 2, threads: int = 1):
        self.port = free_port()
        self.log = open(REPO_ROOT / "var" / "loadbench-gunicorn.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync" if threads == 1 else "gthread",
                "--threads",
                str(threads),
                "--backlog",
                "256",
            ],
            cwd=REPO_ROOT,
            env=server_env(database_url, "benchmarks.load.settings"),
            stdout=self.log,
            stderr=self.log,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        self.wait_until_up()

    def wait_until_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + "/health/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        sys.exit(f"gunicorn did not answer within {timeout} s; see {self.log.name}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def pids(self) -> list[int]:
        return [self.process.pid, *self.worker_pids()]

    def kill_one_worker(self) -> int:
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
