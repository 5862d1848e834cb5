import datetime
import io
import json
import zipfile

import pytest
from django.urls import reverse

from opstap.clients.models import Client, JournalNote
from opstap.core.models import AuditEntry
from opstap.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    IncomeRightFactory,
    JournalNoteFactory,
)
from opstap.privacy.models import RetentionPolicy
from opstap.privacy.selectors import retention_candidates
from opstap.privacy.tasks import retention_anonymise, retention_apply

pytestmark = pytest.mark.django_db


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


def test_head_exports_everything_about_a_client(client, carol, alice, client_record):
    JournalNoteFactory(client=client_record, author=alice, subject="Intake", text="Wants to cook")
    IncomeRightFactory(client=client_record)
    client.force_login(carol)
    response = client.get(reverse("privacy:client-export", kwargs={"pk": client_record.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = _zip(response)
    names = set(archive.namelist())
    assert {"manifest.json", "clients.client.json", "clients.journalnote.json"} <= names
    assert {"clients.incomeright.json", "clients.careteammember.json"} <= names
    person = json.loads(archive.read("clients.client.json"))[0]["fields"]
    assert person["insz"] == "85073003328"
    notes = json.loads(archive.read("clients.journalnote.json"))
    assert notes[0]["fields"]["text"] == "Wants to cook"
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["records"]["clients.journalnote"] == 1
    # The export itself is audited.
    assert AuditEntry.objects.filter(action="privacy.exported", client_id=client_record.pk).exists()


def test_export_includes_who_saw_the_dossier(client, carol, alice, client_record):
    client.force_login(alice)
    client.get(reverse("clients:detail", kwargs={"pk": client_record.pk}))
    client.force_login(carol)
    archive = _zip(client.get(reverse("privacy:client-export", kwargs={"pk": client_record.pk})))
    audit = json.loads(archive.read("core.auditentry.json"))
    assert any(row["fields"]["action"] == "client.viewed" for row in audit)


def test_admin_exports_any_dossier_of_the_centre(client, adam, client_record):
    client.force_login(adam)
    response = client.get(reverse("privacy:client-export", kwargs={"pk": client_record.pk}))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["alice", "dave", "maria", "pete", "oscar"])
def test_others_cannot_export(request, client, client_record, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("privacy:client-export", kwargs={"pk": client_record.pk}))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="privacy.exported").exists()


def test_export_contains_the_balance_and_gpmi_pdfs_when_there_are_some(
    client, carol, client_record
):
    from opstap.privacy.registry import CONTRIBUTORS

    assert {"balance-synthesis", "gpmi-contract"} <= set(CONTRIBUTORS)


# Retention ----------------------------------------------------------------------------------


def _old_client(centre, office, **kwargs):
    old = ClientFactory(centre=centre, office=office, **kwargs)
    Client.objects.filter(pk=old.pk).update(
        created_at=datetime.datetime(2005, 1, 1, tzinfo=datetime.UTC)
    )
    return Client.objects.get(pk=old.pk)


def test_closed_dossiers_past_the_period_are_candidates(centre, office, alice, client_record):
    old = _old_client(centre, office, insz="90010100131")
    right = IncomeRightFactory(client=old)
    right.start_date, right.end_date = datetime.date(2006, 1, 1), datetime.date(2008, 1, 1)
    right.save()
    CareTeamMemberFactory(
        client=old,
        user=alice,
        start_date=datetime.date(2006, 1, 1),
        end_date=datetime.date(2009, 1, 1),
    )
    recent_right = _old_client(centre, office)
    IncomeRightFactory(client=recent_right, start_date=datetime.date(2006, 1, 1), end_date=None)
    assert list(retention_candidates(centre)) == [old]
    # A longer period keeps it.
    RetentionPolicy.objects.update_or_create(centre=centre, defaults={"years": 30})
    assert list(retention_candidates(centre)) == []


def test_anonymisation_blanks_identity_and_texts_keeps_codes_and_dates(centre, office, alice):
    old = _old_client(
        centre,
        office,
        first_name="Jan",
        last_name="Peeters",
        insz="90010100131",
        phone="0470 12 34 56",
        email="jan@example.be",
        address="Kerkstraat 1",
        birth_date=datetime.date(1990, 1, 1),
        gender="m",
    )
    JournalNoteFactory(
        client=old,
        author=alice,
        subject="Visit",
        text="Talked about debts",
        occurred_on=datetime.date(2006, 5, 1),
    )
    assert retention_apply(centre) == 1
    old.refresh_from_db()
    assert (old.first_name, old.insz, old.phone, old.email, old.address) == ("", "", "", "", "")
    assert "Peeters" not in old.last_name and old.ref in old.last_name
    assert old.birth_date == datetime.date(1990, 1, 1) and old.gender == "m"
    note = JournalNote.objects.get(client=old)
    assert (note.subject, note.text) == ("", "")
    assert note.occurred_on == datetime.date(2006, 5, 1)
    assert AuditEntry.objects.filter(action="privacy.anonymised", client_id=old.pk).count() == 1
    # Once is enough: the next run finds nothing.
    assert retention_apply(centre) == 0


def test_daily_task_respects_a_disabled_policy(centre, office):
    _old_client(centre, office)
    RetentionPolicy.objects.update_or_create(centre=centre, defaults={"enabled": False})
    assert retention_anonymise.func() == 0
    RetentionPolicy.objects.filter(centre=centre).update(enabled=True)
    assert retention_anonymise.func() == 1


def test_retention_task_is_scheduled_daily():
    from opstap.core.scheduling import registered

    assert any(path.endswith("retention_anonymise") for path in registered())


def test_dry_run_page_lists_candidates_and_saves_the_policy(client, adam, centre, office):
    old = _old_client(centre, office, last_name="Oldman")
    client.force_login(adam)
    page = client.get(reverse("privacy:retention"))
    assert page.status_code == 200
    assert "Oldman" in page.content.decode()
    response = client.post(reverse("privacy:retention"), {"years": "25", "enabled": "on"})
    assert response.status_code == 302
    assert RetentionPolicy.objects.get(centre=centre).years == 25
    entry = AuditEntry.objects.get(action="privacy.retention.updated")
    assert entry.changes == {"years": [10, 25]}
    old.refresh_from_db()
    assert old.last_name == "Oldman"  # the page never anonymises by itself


def test_retention_page_refuses_bad_input_and_non_admins(client, adam, alice, carol):
    client.force_login(adam)
    response = client.post(reverse("privacy:retention"), {"years": "0"})
    assert response.status_code == 200
    assert response.context["form"].errors["years"]
    for user in (alice, carol):
        client.force_login(user)
        assert client.get(reverse("privacy:retention")).status_code == 404


def test_anonymisation_takes_the_names_out_of_the_audit_log(centre, office, alice):
    from opstap.clients.services import client_update
    from opstap.core.audit import log_action

    old = _old_client(centre, office, first_name="Jan", last_name="Peeters", insz="90010100131")
    log_action(actor=alice, action="client.viewed", obj=old, client_id=old.pk)
    # A rectification: the earlier name must go too.
    client_update(actor=alice, client=old, last_name="Peeters-Claes", address="Kerkstraat 1")
    note = JournalNoteFactory(
        client=old,
        author=alice,
        subject="Visit",
        text="Jan was there",
        occurred_on=datetime.date(2006, 5, 1),
    )
    log_action(
        actor=alice,
        action="journal.updated",
        obj=note,
        client_id=old.pk,
        changes={"text": ["Jan was there", "Jan Peeters-Claes came"], "kind": ["call", "visit"]},
    )
    before = {
        e.pk: (e.at, e.actor_id, e.action) for e in AuditEntry.objects.filter(client_id=old.pk)
    }

    assert retention_apply(centre) == 1

    entries = list(AuditEntry.objects.filter(client_id=old.pk))
    text = " ".join(f"{e.object_repr} {e.changes}" for e in entries)
    for identity in ("Jan", "Peeters", "Claes", "Kerkstraat", "90010100131"):
        assert identity not in text
    old.refresh_from_db()
    assert old.ref in text
    # Who did what and when is untouched; codes in the changes are kept.
    for entry in entries:
        if entry.pk in before:
            assert (entry.at, entry.actor_id, entry.action) == before[entry.pk]
    journal = next(e for e in entries if e.action == "journal.updated")
    assert journal.changes["kind"] == ["call", "visit"]
    assert journal.changes["text"] == ["", ""]
    # Still immutable afterwards, outside the anonymisation.
    from django.db import connection, transaction
    from django.db.utils import DatabaseError

    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEntry.objects.filter(pk=journal.pk).update(object_repr="rewritten")
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEntry.objects.filter(pk=journal.pk).update(action="other", object_repr="x")


def test_anonymisation_leaves_no_name_in_the_figures_kept_for_every_process(centre, office):
    from opstap.core.models import KeptFigure
    from opstap.core.stored import stored

    old = _old_client(centre, office, first_name="Jan", last_name="Peeters", insz="90010100131")

    def names():  # a kept figure that would show names (no report does today)
        return list(Client.objects.filter(centre=centre).values_list("last_name", flat=True))

    assert stored(centre.pk, "names", names) == ["Peeters"]
    assert any(b"Peeters" in bytes(kept.entry) for kept in KeptFigure.objects.all())

    assert retention_apply(centre) == 1

    assert not any(b"Peeters" in bytes(kept.entry) for kept in KeptFigure.objects.all())
    assert stored(centre.pk, "names", names) == [f"({old.ref})"]
