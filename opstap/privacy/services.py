"""GDPR: the subject-access export of one client, and anonymisation after the retention period."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from opstap.clients.models import Client, JournalNote
from opstap.core.audit import log_action, redact_client_entries
from opstap.core.models import AuditEntry
from opstap.core.stored import forget_centre

from .registry import contributors

# Records that only describe the system, not the client, and would make the export noisy.
SKIP_MODELS = {"core.notification"}


def _related_querysets(model: type[models.Model], pks: list) -> list[tuple[str, models.QuerySet]]:
    """Every model with a foreign key (or one-to-one) to `model`, filtered to `pks`."""
    found = []
    for rel in model._meta.related_objects:
        if rel.many_to_many or not rel.field.concrete:
            continue
        related = rel.related_model
        if related._meta.label_lower in SKIP_MODELS:
            continue
        qs = related._default_manager.filter(**{f"{rel.field.name}__in": pks}).order_by("pk")
        found.append((related._meta.label_lower, qs))
    return found


def client_records(client: Client) -> dict[str, list[dict]]:
    """Every stored record that refers to the client: two levels of reverse relations."""
    records: dict[str, list[dict]] = {
        "clients.client": serializers.serialize("python", [client]),
        "core.auditentry": serializers.serialize(
            "python", AuditEntry.objects.filter(client_id=client.pk).order_by("at", "pk")
        ),
    }
    for label, qs in _related_querysets(Client, [client.pk]):
        rows = list(qs)
        if not rows:
            continue
        records.setdefault(label, []).extend(serializers.serialize("python", rows))
        for child_label, child_qs in _related_querysets(type(rows[0]), [r.pk for r in rows]):
            children = serializers.serialize("python", child_qs)
            if children:
                known = {row["pk"] for row in records.get(child_label, [])}
                records.setdefault(child_label, []).extend(
                    row for row in children if row["pk"] not in known
                )
    for contributor in contributors():
        if contributor.records:
            for label, rows in contributor.records(client).items():
                records.setdefault(label, []).extend(rows)
    return records


@transaction.atomic
def client_export(*, actor, client: Client) -> bytes:
    """A ZIP of everything about the client (JSON per kind of record, and the documents)."""
    buffer = io.BytesIO()
    records = client_records(client)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        manifest = {
            "client": client.ref,
            "centre": client.centre.code,
            "exported_at": timezone.now().isoformat(),
            "records": {label: len(rows) for label, rows in sorted(records.items())},
            "files": [],
        }
        for label, rows in sorted(records.items()):
            archive.writestr(f"{label}.json", json.dumps(rows, cls=DjangoJSONEncoder, indent=2))
        for contributor in contributors():
            for name, data in contributor.files(client) if contributor.files else []:
                archive.writestr(f"documents/{name}", data)
                manifest["files"].append(f"documents/{name}")
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    log_action(
        actor=actor,
        action="privacy.exported",
        obj=client,
        client_id=client.pk,
        changes={"records": [None, sum(len(rows) for rows in records.values())]},
    )
    return buffer.getvalue()


def _first_of_year(day: datetime.date | None) -> datetime.date | None:
    return day.replace(month=1, day=1) if day else day


@transaction.atomic
def client_anonymise(*, actor, client: Client) -> None:
    """Blank what identifies the client; keep codes and dates that the statistics count.

    The audit entries about the client keep who did what and when, without the names.
    """
    names = _past_identities(client)
    client.first_name = ""
    client.last_name = f"({client.ref})"
    client.insz = ""
    client.phone = ""
    client.email = ""
    client.address = ""
    client.birth_date = _first_of_year(client.birth_date)  # age bands still work
    client.save()
    forget_centre(client.centre_id)  # no figure kept for every process outlives it
    JournalNote.objects.filter(client=client).update(subject="", text="")
    # Every free text of every record about the client: notes, reasons, evaluations...
    for _label, qs in _related_querysets(Client, [client.pk]):
        texts = {
            f.name: ""
            for f in qs.model._meta.concrete_fields
            if isinstance(f, models.TextField) and not f.null
        }
        if texts:
            qs.update(**texts)
    redact_client_entries(client_id=client.pk, names=names, replacement=client.last_name)
    log_action(actor=actor, action="privacy.anonymised", obj=client, client_id=client.pk)


def _past_identities(client: Client) -> list[str]:
    """The client's names and INSZ as they are now and as rectifications recorded them."""
    names = [client.first_name, client.last_name, client.insz, str(client)]
    names += [f"{client.first_name} {client.last_name}", f"{client.last_name} {client.first_name}"]
    rectified = AuditEntry.objects.filter(
        client_id=client.pk, object_type=Client._meta.label_lower
    ).values_list("changes", flat=True)
    for changes in rectified:
        for key in ("first_name", "last_name", "insz"):
            for value in (changes or {}).get(key) or []:
                if isinstance(value, str):
                    names.append(value)
    return names
