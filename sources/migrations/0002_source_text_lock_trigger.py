"""Refuse, in the database itself, any change to a source text that annotations point into.

`Source.clean()` gives the friendly message; this catches what bypasses models
(`QuerySet.update()`, raw SQL, a future bug). Unlocking is refused too.
"""

from django.db import migrations

MESSAGE = "source text is locked: annotations point into it"

POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION sources_source_text_lock() RETURNS trigger AS $$
BEGIN
    IF OLD.text_locked AND (NEW.text IS DISTINCT FROM OLD.text OR NOT NEW.text_locked) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER sources_source_text_lock BEFORE UPDATE ON sources_source
    FOR EACH ROW EXECUTE FUNCTION sources_source_text_lock();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS sources_source_text_lock ON sources_source;
DROP FUNCTION IF EXISTS sources_source_text_lock();
"""
SQLITE_CREATE = f"""
CREATE TRIGGER sources_source_text_lock BEFORE UPDATE ON sources_source
FOR EACH ROW WHEN OLD.text_locked AND (NEW.text IS NOT OLD.text OR NOT NEW.text_locked)
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS sources_source_text_lock;"


def create(apps, schema_editor):
    sql = POSTGRES_CREATE if schema_editor.connection.vendor == "postgresql" else SQLITE_CREATE
    schema_editor.execute(sql)


def drop(apps, schema_editor):
    sql = POSTGRES_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("sources", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
