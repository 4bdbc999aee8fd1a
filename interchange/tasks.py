from celery import shared_task

from interchange.jobs import import_job_execute, import_job_fail


@shared_task(acks_late=True)
def import_job_task(job_id: int) -> bool:
    try:
        return import_job_execute(job_id=job_id)
    except Exception as error:
        import_job_fail(job_id=job_id, error=f"{type(error).__name__}: {error}")
        raise
