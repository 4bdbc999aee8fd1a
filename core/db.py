"""A cursor for the statements nearly every API request runs, planned once per connection,
a single-row insert through it, a block for bulk writes that keeps out of that planning, and
the claim of a background job's row."""

import contextlib
import functools
from collections.abc import Collection, Iterator
from typing import Any, TypeVar

import psycopg
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model
from django.utils import timezone

JobT = TypeVar("JobT", bound=Model)


def prepared_cursor() -> CursorWrapper:
    """Django's cursor, except that on PostgreSQL its parameters are bound on the server, so
    psycopg prepares a statement after its fifth run on a connection (`prepare_threshold` in
    the settings) and PostgreSQL stops parsing and planning it. For the token and passage-facts
    reads that was 0.45 of the 1.5 ms of PostgreSQL CPU per annotation create.

    Django's own queries keep client-side binding: bound on the server a statement takes at
    most 65,535 parameters, and Django 5.2 does not keep large deletes or `IN` lists under it."""
    cursor = connection.cursor()
    if connection.vendor == "postgresql" and connection.connection is not None:
        cursor.cursor = psycopg.Cursor(connection.connection)
    return cursor


@functools.cache
def _insert_sql(model: type[Model]) -> tuple[str, list[Field]]:
    quote = connection.ops.quote_name
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(quote(str(field.column)) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})", fields


def insert(instance: Model) -> None:
    """Insert the row `bulk_create([instance])` would for an instance whose primary key is set
    (fields' `pre_save` fills `auto_now` dates as there), as one prepared statement: Django's
    insert compiler cost more CPU than the database spent on the row. No signals are sent."""
    sql, fields = _insert_sql(type(instance))
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with prepared_cursor() as cursor:
        cursor.execute(sql, values)


@contextlib.contextmanager
def unprepared() -> Iterator[None]:
    """Statements run inside are left out of psycopg's preparation bookkeeping. psycopg keeps
    the text of the last 100 distinct statements it counts, client-side bound ones included,
    and a bulk insert's text holds every value it inserts: a large import kept a megabyte per
    chunk alive on the connection, for as long as the connection lived."""
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor != "postgresql" or raw is None:
        yield
        return
    threshold = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = threshold


def job_claim(
    model: type[JobT], pk: int, *, finished: Collection[str], **fields: Any
) -> JobT | None:
    """Take a background job's row for this attempt: locked, given `fields` and a new
    `started_at` (the attempt's token, which later writes are conditional on), unless the job
    is gone or its status is `finished`, when None. A redelivered task thus does nothing, and
    an interrupted one starts again."""
    with transaction.atomic():
        job = model._default_manager.select_for_update().filter(pk=pk).first()
        if job is None or job.serializable_value("status") in finished:
            return None
        fields["started_at"] = timezone.now()
        for name, value in fields.items():
            setattr(job, name, value)
        job.save(update_fields=list(fields))
    return job
