import logging
from typing import Any

from celery import shared_task
from celery.signals import worker_ready

from interchange.export_services import export_execute, export_fail, exports_unfinished
from interchange.jobs import import_job_execute, import_job_fail, import_jobs_unfinished

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def import_job_task(job_id: int) -> bool:
    try:
        return import_job_execute(job_id=job_id)
    except Exception as error:
        import_job_fail(job_id=job_id, error=f"{type(error).__name__}: {error}")
        raise


@worker_ready.connect
def import_jobs_resume(**_: Any) -> None:
    for job_id in import_jobs_unfinished():
        logger.info("Queueing unfinished import %s again", job_id)
        import_job_task.delay(job_id)


@shared_task(acks_late=True)
def export_job(job_id: int) -> bool:
    try:
        return export_execute(job_id=job_id)
    except Exception as error:
        export_fail(job_id=job_id, error=f"{type(error).__name__}: {error}")
        raise


@worker_ready.connect
def exports_resume(**_: Any) -> None:
    # As for agreement runs: a broker may lose the job of a worker killed outright, so a
    # starting worker queues every unfinished export again; the last claim wins.
    for job_id in exports_unfinished():
        logger.info("Queueing unfinished export %s again", job_id)
        export_job.delay(job_id)
