"""Writes for projects, memberships and sources."""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from core.errors import StillReferenced
from sources.models import (
    Membership,
    Project,
    Role,
    Source,
    normalize_text,
    text_sha256,
    unstorable,
)


@transaction.atomic
def project_create(
    *, name: str, description: str = "", blind: bool = True, lead: User | None = None
) -> Project:
    project = Project(name=name, description=description, blind=blind)
    project.full_clean()
    project.save()
    if lead is not None:
        membership_set(project=project, user=lead, role=Role.LEAD)
    return project


@transaction.atomic
def project_update(*, project: Project, **fields: Any) -> Project:
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def membership_add(*, project: Project, user: User, role: str) -> Membership:
    """Add `user` to `project`; refused if they are a member already (change the role instead)."""
    if Membership.objects.filter(project=project, user=user).exists():
        raise ValidationError({"user": f"{user.username} is already a member of this project."})
    membership = Membership(project=project, user=user, role=role)
    membership.full_clean()
    membership.save()
    return membership


def _keep_a_lead(membership: Membership) -> None:
    """A project must always have a lead who can manage it; staff alone do not count.

    The caller holds the project's row lock: two leads demoting each other at once each lock
    only their own membership, so each would see the other still lead and both would succeed."""
    other_leads = Membership.objects.filter(project_id=membership.project_id, role=Role.LEAD)
    if not other_leads.exclude(pk=membership.pk).exists():
        raise ValidationError(
            {"role": "This is the project's only lead; make someone else lead first."}
        )


def _lock_project(project_id: int) -> None:
    """Serialise membership changes of one project, so the lead check sees the others' result."""
    list(Project.objects.select_for_update().filter(pk=project_id).values_list("pk"))


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    _lock_project(membership.project_id)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.LEAD and role != Role.LEAD:
        _keep_a_lead(membership)
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Remove a member; their annotations stay (and stay visible to the leads)."""
    _lock_project(membership.project_id)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.LEAD:
        _keep_a_lead(membership)
    membership.delete()


@transaction.atomic
def membership_set(*, project: Project, user: User, role: str) -> Membership:
    membership, _ = Membership.objects.select_for_update().get_or_create(
        project=project, user=user, defaults={"role": role}
    )
    if membership.role != role:
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def source_create(*, project: Project, title: str, text: str, **fields: Any) -> Source:
    """Create a source; raises ValidationError if the project already has this exact text."""
    source = Source(project=project, title=title.strip(), **fields)
    source.set_text(text)
    if not source.text.strip():
        raise ValidationError({"text": "The text is empty."})
    duplicate = Source.objects.filter(project=project, sha256=source.sha256).first()
    if duplicate is not None:
        raise ValidationError(
            {
                "text": f"This project already has this text: source {duplicate.pk}, "
                f"{duplicate.title!r}."
            }
        )
    source.full_clean()
    source.save()
    return source


@transaction.atomic
def source_update(*, source: Source, **fields: Any) -> Source:
    """Change a source's metadata (or its text, until annotations point into it)."""
    source = Source.objects.select_for_update().get(pk=source.pk)
    text = fields.pop("text", None)
    for name, value in fields.items():
        setattr(source, name, value)
    if text is not None:
        source.set_text(text)
    source.full_clean()
    source.save()
    return source


@transaction.atomic
def source_delete(*, source: Source) -> None:
    """Delete a source that was never coded.

    Once a passage has been coded on it (`text_locked`) it is refused, even after every passage
    was deleted: the history keeps deleted passages, which point into this text and may be
    restored."""
    source = Source.objects.select_for_update().get(pk=source.pk)
    if source.text_locked:
        raise StillReferenced(
            "Passages have been coded on this source; the history keeps them (also the deleted "
            "ones, which can be restored), so the source cannot be deleted."
        )
    source.delete()


def source_find_duplicate(*, project: Project, text: str) -> Source | None:
    return Source.objects.filter(project=project, sha256=text_sha256(normalize_text(text))).first()


def decode_utf8(raw: bytes) -> str:
    """UTF-8 bytes (a byte-order mark allowed) as text, not yet normalised.

    Raises ValueError naming the first bad byte and its offset, or a NUL character.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "re-save the file as UTF-8"
        ) from None
    if problem := unstorable(text):
        raise ValueError(problem)
    return text


def decode_text(raw: bytes) -> tuple[str, str]:
    """`(title, text)` of an uploaded UTF-8 text; the title is its first non-empty line.

    Raises ValueError with a message a person can act on.
    """
    text = normalize_text(decode_utf8(raw))
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not title:
        raise ValueError("the file is empty")
    return title[:500], text


def source_integrity_check(*, source_id: int) -> dict[str, Any]:
    """Recompute a source's hash: the stored text must be exactly the text that was imported."""
    text, digest = Source.objects.values_list("text", "sha256").get(pk=source_id)
    return {
        "source": source_id,
        "ok": digest == text_sha256(text) and text == normalize_text(text),
        "length": len(text),
    }
