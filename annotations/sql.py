"""The annotation-create path's hand-written SQL, in one place.

An annotation create runs two statements written here instead of the ORM's queries: one read of
everything the create checks (`passage_facts`) and the history row simple-history would write
(`record_creation`); the row itself goes in through `core.db.insert`. The ORM's query building
cost more CPU than the database spent on the rows. Every table and column name comes from the
models and goes through `connection.ops.quote_name`. tests/annotations/test_annotation_create.py
and test_audit_trail.py hold them equal to the ORM and simple-history, and
test_prepared_statements.py holds them to the statements PostgreSQL prepares.
"""

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

from annotations.models import Annotation, Assignment
from core.db import prepared_cursor
from narratives.models import Code, Codebook, CodebookVersion
from sources.access import Access, access_with_role
from sources.models import Membership, Source


@dataclass(frozen=True)
class PassageFacts:
    """What creating one passage needs to know, read in one query by `passage_facts`."""

    source_id: int
    project_id: int
    text_locked: bool
    text_sha256: str  # of the text the facts were read from
    text_length: int  # code points
    text_there: str  # the text from `start` to `end`, cut short at its end
    viewer_role: str | None  # the user's role in the source's project
    assignment_status: str | None  # the user's assignment to the source
    code_id: int | None  # None unless the code is in the source's project
    code_name: str | None
    code_retired: bool
    last_event: str | None  # the annotation id's latest history type: "+", "~", "-" or None
    codebook_version: int | None  # number of the latest published version of the codebook
    annotation_id: uuid.UUID
    start: int
    end: int

    def access(self, user: User) -> Access:
        """The user's access to the source's project, from the role read with the facts."""
        return access_with_role(user, self.project_id, self.viewer_role)


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field), f"{name} is a relation's other end, not a column"
    return connection.ops.quote_name(str(field.column))


def _columns(alias: str, model: type[Model]) -> Callable[[str], str]:
    """Names of `model`'s columns, qualified by its alias in a statement."""
    return lambda field: f"{alias}.{_column(model, field)}"


@functools.cache
def passage_facts_sql() -> str:
    # Valid on PostgreSQL and SQLite alike; both count LENGTH and SUBSTR in characters (code
    # points), as offsets are.
    s, m, a = _columns("s", Source), _columns("m", Membership), _columns("a", Assignment)
    b, c, h = _columns("b", Codebook), _columns("c", Code), _columns("h", Annotation.history.model)
    v = _columns("v", CodebookVersion)
    history = Annotation.history.model
    return f"""
        SELECT {s("project")}, {s("text_locked")}, {s("sha256")}, LENGTH({s("text")}),
            SUBSTR({s("text")}, %s, %s),
            (SELECT {m("role")} FROM {_table(Membership)} m
                WHERE {m("project")} = {s("project")} AND {m("user")} = %s),
            (SELECT {a("status")} FROM {_table(Assignment)} a
                WHERE {a("source")} = {s("id")} AND {a("coder")} = %s),
            {c("id")}, {c("name")}, {c("retired")},
            (SELECT {h("history_type")} FROM {_table(history)} h WHERE {h("id")} = %s
                ORDER BY {h("history_date")} DESC, {h("history_id")} DESC LIMIT 1),
            (SELECT MAX({v("number")}) FROM {_table(CodebookVersion)} v
                WHERE {v("codebook")} = {b("id")})
        FROM {_table(Source)} s
        LEFT JOIN {_table(Codebook)} b ON {b("project")} = {s("project")}
        LEFT JOIN {_table(Code)} c ON {c("codebook")} = {b("id")} AND {c("id")} = %s
        WHERE {s("id")} = %s
    """


MAX_ID = 2**63 - 1
MAX_OFFSET = 2**31 - 1


def passage_facts(
    user: User, *, source_id: int, code_id: int, annotation_id: uuid.UUID, start: int, end: int
) -> PassageFacts | None:
    """Everything about a proposed passage `[start, end)` by `user` that its create checks:
    the source (None if there is none with this id), the user's role and assignment there, the
    code if it is in the source's project, the text at the offsets and the id's history."""
    if not 0 < source_id <= MAX_ID:
        return None
    params = [
        min(start + 1, MAX_OFFSET),
        max(end - start, 0),
        user.pk,
        user.pk,
        Annotation._meta.pk.get_db_prep_value(annotation_id, connection),  # type: ignore[union-attr]
        code_id if 0 < code_id <= MAX_ID else 0,
        source_id,
    ]
    with prepared_cursor() as cursor:
        cursor.execute(passage_facts_sql(), params)
        row = cursor.fetchone()
    if row is None:
        return None
    (
        project_id,
        locked,
        sha256,
        length,
        there,
        role,
        status,
        code,
        name,
        retired,
        last_event,
        version,
    ) = row
    return PassageFacts(
        source_id=source_id,
        project_id=project_id,
        text_locked=bool(locked),
        text_sha256=sha256,
        text_length=length,
        text_there=there,
        viewer_role=role,
        assignment_status=status,
        code_id=code,
        code_name=name,
        code_retired=bool(retired),
        last_event=last_event,
        codebook_version=version,
        annotation_id=annotation_id,
        start=start,
        end=end,
    )


@functools.cache
def creation_record_sql() -> str:
    history = Annotation.history.model
    quote = connection.ops.quote_name
    added = [
        history._meta.get_field(name)
        for name in ("history_date", "history_user", "history_change_reason", "history_type")
    ]
    tracked = ", ".join(quote(str(field.column)) for field in history.tracked_fields)
    columns = ", ".join(quote(str(field.column)) for field in added)
    return (
        f"INSERT INTO {_table(history)} ({tracked}, {columns}) "
        f"SELECT {tracked}, %s, %s, %s, '+' FROM {_table(Annotation)} "
        f"WHERE {quote(str(Annotation._meta.pk.column))} = %s"  # type: ignore[union-attr]
    )


def record_creation(annotation: Annotation) -> None:
    """The history row simple-history's `bulk_history_create` writes for a new annotation (its
    user from the request, an empty reason), copied by the database from the stored row."""
    history = Annotation.history.model
    user = history.get_default_history_user(annotation)
    params = [
        history._meta.get_field("history_date").get_db_prep_value(timezone.now(), connection),
        None if user is None else user.pk,
        "",
        Annotation._meta.pk.get_db_prep_value(annotation.pk, connection),  # type: ignore[union-attr]
    ]
    with prepared_cursor() as cursor:
        cursor.execute(creation_record_sql(), params)
