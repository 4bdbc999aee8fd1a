"""Run an agreement job: claim the run, compute, store; safe to deliver twice or to restart.

A run is claimed by stamping `started_at` in one locked read-modify-write; that stamp is the
attempt's token. Every later write of the attempt (progress, results) is a conditional UPDATE on
it, so when a run is handed to another worker (its first worker died, or a broker redelivered
the job) the newer attempt owns the row and an older one stops at its next write.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from agreement.math import span_agreement
from agreement.math.disagreement import sources_most_disagreed
from agreement.math.gold import coder_vs_gold
from agreement.models import AgreementRun, AgreementRunStatus
from agreement.services.reading import GOLD, run_input_read, with_gold
from agreement.services.results import results_wrap
from core.db import job_claim

FINISHED = (AgreementRunStatus.DONE, AgreementRunStatus.FAILED)
# Shares of the progress bar: reading the database, the pure computation, ranking sources.
READING, COMPUTING = 0.25, 0.7
# Smallest progress step written: keeps the UPDATEs few on long runs.
STEP = 0.01


class RunSuperseded(Exception):
    """Another attempt has claimed the run since this one started."""


@dataclass
class Attempt:
    run_id: int
    token: datetime
    project_id: int
    params: dict[str, Any]
    snapshot: list[dict[str, Any]]
    written: float = 0.0
    aside: Any = None

    def _mine(self) -> Any:
        return AgreementRun.objects.filter(
            pk=self.run_id, status=AgreementRunStatus.RUNNING, started_at=self.token
        )

    def progress(self, share: float) -> None:
        share = min(max(share, 0.0), 1.0)
        if share - self.written < STEP and share < 1.0:
            return
        if not self._progress_write(share):
            raise RunSuperseded(self.run_id)
        self.written = share

    def _progress_write(self, share: float) -> bool:
        if self.aside is None:
            return bool(self._mine().update(progress=share))
        quote = connection.ops.quote_name
        with self.aside.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(AgreementRun._meta.db_table)} SET progress = %s "
                "WHERE id = %s AND status = %s AND started_at = %s",
                [share, self.run_id, AgreementRunStatus.RUNNING, self.token],
            )
            return cursor.rowcount > 0

    @contextmanager
    def consistent_read(self) -> Iterator[None]:
        """One REPEATABLE READ transaction on PostgreSQL around the read, so its queries all see
        the same committed state and the run's stored parameters reproduce its figures. The
        progress is written meanwhile on a connection of its own, so others see it at once.

        SQLite has no such level (and its read transaction would hold off those writes); a
        caller already in a transaction keeps its own."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            yield
            return
        self.aside = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                yield
        finally:
            self.aside.close()
            self.aside = None

    def stage(self, first: float, width: float) -> Callable[[float], None]:
        return lambda share: self.progress(first + width * share)

    def finish(self, results: dict[str, Any]) -> bool:
        return bool(
            self._mine().update(
                status=AgreementRunStatus.DONE,
                progress=1.0,
                results=results,
                finished_at=timezone.now(),
            )
        )


def _claim(run_id: int) -> Attempt | None:
    run = job_claim(
        AgreementRun, run_id, finished=FINISHED,
        status=AgreementRunStatus.RUNNING, progress=0.0, error="",
    )  # fmt: skip
    if run is None:
        return None
    assert run.started_at is not None
    return Attempt(run.pk, run.started_at, run.project_id, run.params, run.codebook_snapshot)


def agreement_run_execute(*, run_id: int) -> bool:
    """Compute a queued or interrupted run and store its results; True if this call did.

    A run already done or failed, or deleted, is left alone (a redelivered job computes
    nothing). A run left `running` by a worker that died is claimed again and computed from the
    start. The results' shape is described in agreement.services.results.
    """
    attempt = _claim(run_id)
    if attempt is None:
        return False
    timings: dict[str, float] = {}
    try:
        clock = time.perf_counter()
        with attempt.consistent_read():
            data = run_input_read(
                project_id=attempt.project_id,
                params=attempt.params,
                snapshot=attempt.snapshot,
                progress=attempt.stage(0.0, READING),
            )
        timings["read_seconds"] = time.perf_counter() - clock
        clock = time.perf_counter()
        figures = span_agreement(
            data.sources,
            data.coders,
            data.codes,
            seed=attempt.params["seed"],
            bootstrap=attempt.params["bootstrap"],
            progress=attempt.stage(READING, COMPUTING),
        )
        timings["compute_seconds"] = time.perf_counter() - clock
        clock = time.perf_counter()
        disputed = sources_most_disagreed(data.sources, data.coders, data.codes)
        timings["rank_seconds"] = time.perf_counter() - clock
        if attempt.params.get("gold"):
            clock = time.perf_counter()
            sources = with_gold(
                project_id=attempt.project_id,
                params=attempt.params,
                snapshot=attempt.snapshot,
                sources=data.sources,
            )
            figures["gold"] = coder_vs_gold(sources, data.coders, data.codes, gold=GOLD)
            timings["gold_seconds"] = time.perf_counter() - clock
    except RunSuperseded:
        return False
    results = results_wrap(
        figures,
        disputed=disputed,
        params=attempt.params,
        snapshot=attempt.snapshot,
        annotations=data.annotations,
        timings=timings,
    )
    return attempt.finish(results)


def agreement_run_fail(*, run_id: int, error: str) -> None:
    """Mark an unfinished run failed with a message for the lead."""
    AgreementRun.objects.exclude(status__in=FINISHED).filter(pk=run_id).update(
        status=AgreementRunStatus.FAILED, error=error, finished_at=timezone.now()
    )


def agreement_runs_unfinished() -> list[int]:
    """Ids of runs queued or running, oldest first: a starting worker queues them again, since
    a broker may have lost the job of a worker that was killed (see agreement.tasks)."""
    unfinished = AgreementRun.objects.exclude(status__in=FINISHED).order_by("created_at")
    return list(unfinished.values_list("pk", flat=True))
