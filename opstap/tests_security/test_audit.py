"""The audit log: immutable in the application and (on PostgreSQL) in the database itself."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from opstap.clients.services import client_update
from opstap.core.audit import log_action
from opstap.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_application_refuses_to_change_or_delete_an_entry(alice, client_record):
    entry = log_action(actor=alice, action="client.viewed", obj=client_record)
    entry.action = "client.nothing"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "client.viewed"


def test_the_database_refuses_to_change_or_delete_an_entry(alice, client_record):
    """On PostgreSQL a trigger (core migration 0002) refuses even raw SQL."""
    entry = log_action(actor=alice, action="client.viewed", obj=client_record)
    if connection.vendor != "postgresql":
        # Without the trigger the application's refusal is what stands (tested above too).
        with pytest.raises(PermissionError):
            AuditEntry.objects.get(pk=entry.pk).delete()
        return
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="client.nothing")
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "client.viewed"


def test_rectification_is_logged_with_old_and_new_values(alice, client_record):
    client_update(actor=alice, client=client_record, phone="0470 00 00 01")
    entry = AuditEntry.objects.get(action="client.updated", client_id=client_record.pk)
    assert entry.changes["phone"][1] == "0470 00 00 01"
    assert entry.actor == alice


def test_who_saw_this_dossier(client, alice, carol, dave, client_record):
    client.force_login(alice)
    client.get(reverse("clients:detail", kwargs={"pk": client_record.pk}))
    client.force_login(carol)
    response = client.get(reverse("clients:access-log", kwargs={"pk": client_record.pk}))
    assert response.status_code == 200
    assert "Alice" in response.content.decode()
    client.force_login(dave)
    assert (
        client.get(reverse("clients:access-log", kwargs={"pk": client_record.pk})).status_code
        == 404
    )


def test_audit_csv_neutralises_formulas(client, adam, centre):
    log_action(actor=adam, action="=cmd|' /C calc'!A0", centre=centre)
    client.force_login(adam)
    response = client.get(reverse("accounts:admin-audit"), {"format": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
