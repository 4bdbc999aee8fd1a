"""CPU time by part of the system (load client, gunicorn, PostgreSQL), read from /proc: on a
machine this size every part competes for the same cores, so CPU per request explains the
rates."""

import os
import resource
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _process_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _client_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Snapshot:
    client: float
    web: dict[int, float]
    database: dict[int, float]


def snapshot(web_pids: list[int], database_pids: list[int]) -> Snapshot:
    return Snapshot(
        _client_seconds(),
        {pid: _process_seconds(pid) for pid in web_pids},
        {pid: _process_seconds(pid) for pid in database_pids},
    )


def spent(before: Snapshot, after: Snapshot) -> dict[str, float]:
    """Seconds of CPU per part between two snapshots; a process that appeared in between counts
    whole, one that vanished (a killed worker) is left out."""

    def delta(earlier: dict[int, float], later: dict[int, float]) -> float:
        return sum(seconds - earlier.get(pid, 0.0) for pid, seconds in later.items())

    return {
        "client": after.client - before.client,
        "web": delta(before.web, after.web),
        "database": delta(before.database, after.database),
    }
