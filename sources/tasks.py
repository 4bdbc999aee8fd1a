from typing import Any

from celery import shared_task

from sources.services import source_integrity_check


@shared_task
def source_verify(source_id: int) -> dict[str, Any]:
    return source_integrity_check(source_id=source_id)
