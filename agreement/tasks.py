import logging
from typing import Any

from celery import shared_task
from celery.signals import worker_ready

from agreement.services.execute import (
    agreement_run_execute,
    agreement_run_fail,
    agreement_runs_unfinished,
)

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def agreement_run_job(run_id: int) -> bool:
    try:
        return agreement_run_execute(run_id=run_id)
    except Exception as error:
        agreement_run_fail(run_id=run_id, error=f"{type(error).__name__}: {error}")
        raise


@worker_ready.connect
def agreement_runs_resume(**_: Any) -> None:
    # A broker may lose the job of a worker killed outright (the SQLite transport never hands
    # it out again; Redis only after its visibility timeout), so a starting worker queues every
    # unfinished run again. A run that is still being computed elsewhere is then computed once
    # more by whoever claims it last; one that is done by then is skipped.
    for run_id in agreement_runs_unfinished():
        logger.info("Queueing unfinished agreement run %s again", run_id)
        agreement_run_job.delay(run_id)
