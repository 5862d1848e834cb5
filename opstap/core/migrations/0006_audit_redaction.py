from django.db import migrations

# Anonymisation after the retention period must reach the audit log too: an entry's object
# description and the values in its changes may carry the client's name. The trigger of 0002
# now lets exactly that through, and only inside a transaction that asked for it with
# `SET LOCAL opstap.audit_redaction = 'on'` (opstap.core.audit.redact_client_entries). Who did
# what, when, to which object and from where can still never change, and nothing is deleted.
FORWARD = """
CREATE OR REPLACE FUNCTION core_auditentry_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND coalesce(current_setting('opstap.audit_redaction', true), '') = 'on'
       AND NEW.id = OLD.id
       AND NEW.at = OLD.at
       AND NEW.action = OLD.action
       AND NEW.object_type = OLD.object_type
       AND NEW.object_id = OLD.object_id
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.centre_id IS NOT DISTINCT FROM OLD.centre_id
       AND NEW.client_id IS NOT DISTINCT FROM OLD.client_id
       AND NEW.ip IS NOT DISTINCT FROM OLD.ip
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
"""
BACKWARD = """
CREATE OR REPLACE FUNCTION core_auditentry_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_remove_centre_require_2fa_for_admins")]

    operations = [migrations.RunPython(forward, backward)]
