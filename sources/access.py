"""Who may do what in a project, decided in one place.

`access_for` reads a user's standing in one project once (their role there; staff count as
leads everywhere) and the `Access` it returns answers the questions every layer asks: may they
lead, annotate a source, change a passage, see other coders' work. Selectors scope what they
return with it and raise `core.errors.NotFound` or `NotAllowed`; the API and the pages turn those
into 404 and 403. A project the user is not a member of is NotFound, never NotAllowed, so its
existence is not revealed.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User

from core.errors import NotAllowed, NotFound
from sources.models import Membership, Role

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class Access:
    user_id: int | None
    project_id: int
    role: str | None  # Role.LEAD or Role.CODER; None for a non-member
    staff: bool = False

    @property
    def member(self) -> bool:
        return self.role is not None

    @property
    def may_lead(self) -> bool:
        """Manage members, codebook, sources and assignments; see everyone's work; run agreement."""
        return self.role == Role.LEAD

    def may_annotate(self, *, assigned: bool) -> bool:
        """Code passages in a source: the project's leads on any of its sources, other members on
        the sources assigned to them."""
        return self.may_lead or (self.member and assigned)

    def may_change_annotation(self, coder_id: int) -> bool:
        """Change or delete a passage: its own coder, or a lead."""
        return self.may_lead or (self.member and coder_id == self.user_id)

    def may_see_others_work(self, *, blind: bool) -> bool:
        """See other coders' passages: leads always; coders only in a project that is not blind
        (and there only on sources assigned to them, which the selectors add)."""
        return self.may_lead or (self.member and not blind)

    @property
    def shown_role(self) -> str:
        """The role as the API shows it: `admin` for staff, else `lead`, `coder` or empty."""
        return "admin" if self.staff else self.role or ""

    def require_member(self) -> "Access":
        if not self.member:
            raise NotFound("No such project.")
        return self

    def require_lead(self) -> "Access":
        if not self.require_member().may_lead:
            raise NotAllowed("Only the project's lead researcher may do this.")
        return self


def access_with_role(user: AnyUser, project_id: int, role: str | None) -> Access:
    """The access of a user whose membership role in the project the caller has read: staff
    lead in every project, anonymous users are nobody's members."""
    if user.is_staff:
        return Access(user_id=user.pk, project_id=project_id, role=Role.LEAD, staff=True)
    if not user.is_authenticated:
        return Access(user_id=None, project_id=project_id, role=None)
    return Access(user_id=user.pk, project_id=project_id, role=role)


def access_for(user: AnyUser, project_id: int) -> Access:
    """The user's access to the project with this id (one query; none for staff and anonymous
    users). Whether the project exists is the caller's to check."""
    if user.is_staff or not user.is_authenticated:
        return access_with_role(user, project_id, None)
    role = (
        Membership.objects.filter(project_id=project_id, user=user)
        .values_list("role", flat=True)
        .first()
    )
    return access_with_role(user, project_id, role)


def may_create_projects(user: AnyUser) -> bool:
    """Staff, and users given the add-project permission (they lead the projects they create)."""
    return user.is_staff or user.has_perm("sources.add_project")


def may_restore_annotations(user: AnyUser) -> bool:
    """Bringing back a deleted passage repairs the record, which is for administrators."""
    return user.is_staff


class Accesses:
    """The user's access to each of their projects, read in one query: for pages and lists that
    show many projects at once."""

    def __init__(self, user: AnyUser):
        self.user = user
        self.roles: dict[int, str] = (
            dict(Membership.objects.filter(user=user).values_list("project_id", "role"))
            if user.is_authenticated and not user.is_staff
            else {}
        )

    def __getitem__(self, project_id: int) -> Access:
        return access_with_role(self.user, project_id, self.roles.get(project_id))
