"""Reads of projects and sources, always scoped to what the user may see.

Who may do what is decided in `sources.access`; the selectors of every app scope what they
return with it, so the API and the pages can never disagree. They raise `core.errors.NotFound`
and `NotAllowed`, which the API and the pages answer with 404 and 403.
"""

from django.db.models import QuerySet

from core.errors import NotFound
from sources.access import Access, AnyUser, access_for
from sources.models import Project, Role, Source


def projects_visible_to(user: AnyUser) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_staff:
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user).distinct()


def project_with_access(
    user: AnyUser, project_id: int, *, lead: bool = False
) -> tuple[Project, Access]:
    """The project and the user's access to it, if they are a member (a lead, with `lead=True`).

    Non-members get NotFound, never NotAllowed, so a project's existence is not revealed;
    members without the role get NotAllowed.
    """
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        raise NotFound("No such project.")
    access = access_for(user, project_id)
    if lead:
        access.require_lead()
    else:
        access.require_member()
    return project, access


def project_for(user: AnyUser, project_id: int, *, lead: bool = False) -> Project:
    """`project_with_access` without the access."""
    return project_with_access(user, project_id, lead=lead)[0]


def project_named(key: str) -> Project:
    """The project a command line names: its exact name or its id. Names need not be unique,
    so a name several projects share is refused (NotFound, saying so) rather than guessed."""
    named = list(Project.objects.filter(name=key)[:2])
    if len(named) > 1:
        raise NotFound(f"Several projects are named {key!r}; give its id instead")
    if named:
        return named[0]
    project = Project.objects.filter(pk=int(key)).first() if key.isdigit() else None
    if project is None:
        raise NotFound(f"No project named or numbered {key!r}")
    return project


def projects_led_by(user: AnyUser) -> QuerySet[Project]:
    if user.is_staff:
        return Project.objects.all()
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(memberships__user=user, memberships__role=Role.LEAD)


def sources_visible_to(user: AnyUser) -> QuerySet[Source]:
    """Leads see every source of their projects; coders only the sources assigned to them."""
    if not user.is_authenticated:
        return Source.objects.none()
    if user.is_staff:
        return Source.objects.all()
    led = Source.objects.filter(project__in=projects_led_by(user))
    assigned = Source.objects.filter(assignments__coder=user, project__memberships__user=user)
    return (led | assigned).distinct()


def source_with_access(user: AnyUser, source_id: int) -> tuple[Source, Access]:
    """`source_for` with the user's access to the source's project."""
    source = source_for(user, source_id)
    return source, access_for(user, source.project_id)


def source_for(user: AnyUser, source_id: int) -> Source:
    """The source if the user may see it; NotFound otherwise, so its existence is not revealed."""
    source = sources_visible_to(user).select_related("project").filter(pk=source_id).first()
    if source is None:
        raise NotFound("No such source.")
    return source
