"""Reads of export records, scoped to what the user may see."""

from django.db.models import QuerySet

from core.errors import NotFound
from interchange.models import ExportJob
from sources.selectors import AnyUser, project_for, projects_visible_to


def exports_of(project_id: int, user: AnyUser) -> QuerySet[ExportJob]:
    project = project_for(user, project_id, lead=True)
    return project.export_jobs.select_related("created_by")


def export_job_for(user: AnyUser, job_id: int) -> ExportJob:
    """The export if the user leads its project; 404 for non-members, 403 for coders."""
    job = (
        ExportJob.objects.filter(pk=job_id, project__in=projects_visible_to(user))
        .select_related("project", "created_by")
        .first()
    )
    if job is None:
        raise NotFound("No such export.")
    project_for(user, job.project_id, lead=True)
    return job
