"""A cursor for the statements nearly every API request runs, planned once per connection,
a single-row insert through it, and a block for bulk writes that keeps out of that planning."""

import contextlib
import functools
from collections.abc import Iterator

import psycopg
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model


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
