"""Load the demo project; running it again changes nothing."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from annotations.demo import content
from annotations.models import Annotation, AssignmentStatus
from annotations.services import annotation_create, assignment_create, assignment_set_status
from narratives.models import Code
from narratives.services import code_create
from sources.models import Project, Source, normalize_text, text_sha256
from sources.services import membership_set, project_create, source_create


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    role: str


@transaction.atomic
def demo_load() -> tuple[Project, list[Login]]:
    users = {}
    for username, password, role, full_name in content.USERS:
        first, last = full_name.split(" ", 1)
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": role is None,
                "is_superuser": role is None,
            },
        )
        if created:
            user.set_password(password)
            user.save()
        users[username] = user

    project = Project.objects.filter(name=content.PROJECT["name"]).first()
    if project is None:
        project = project_create(
            name=content.PROJECT["name"],
            description=content.PROJECT["description"],
            lead=users["lead"],
        )
    for username, _, role, _ in content.USERS:
        if role is not None:
            membership_set(project=project, user=users[username], role=role)

    codes = {}
    for order, spec in enumerate(content.CODES):
        code = Code.objects.filter(codebook__project=project, name=spec["name"]).first()
        codes[spec["name"]] = code or code_create(project=project, order=order, **spec)  # type: ignore[arg-type]

    sources = []
    for spec in content.SOURCES:
        text = normalize_text(spec["text"])
        source = Source.objects.filter(project=project, sha256=text_sha256(text)).first()
        if source is None:
            fields = {**spec, "published": datetime.date.fromisoformat(spec["published"])}
            source = source_create(project=project, imported_from="demo", **fields)  # type: ignore[arg-type]
        sources.append(source)

    coders = [name for name, _, role, _ in content.USERS if role == "coder"]
    for coder in coders:
        for source in sources:
            assignment_create(source=source, coder=users[coder])

    for coder, index, code_name, quote, memo in content.ANNOTATIONS:
        source = sources[index]
        start = source.text.index(quote)
        already = Annotation.objects.filter(
            source=source, coder=users[coder], code=codes[code_name], start=start
        ).exists()
        if not already:
            annotation_create(
                coder=users[coder],
                source_id=source.pk,
                code_id=codes[code_name].pk,
                start=start,
                end=start + len(quote),
                quote=quote,
                memo=memo,
            )

    for coder, indexes in content.DONE.items():
        for index in indexes:
            assignment = assignment_create(source=sources[index], coder=users[coder])
            if assignment.status != AssignmentStatus.DONE:
                assignment_set_status(assignment=assignment, status=AssignmentStatus.DONE)

    logins = [Login(name, password, role or "admin") for name, password, role, _ in content.USERS]
    return project, logins
