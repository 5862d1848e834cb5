"""The database's record of which tables of which centre were written (opstap.core.changes)."""

import datetime

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opstap.clients.models import IncomeRight, JournalNote
from opstap.core.changes import (
    FOLD_AT,
    UNTRACKED,
    expected_triggers,
    install_triggers,
    installed_triggers,
    tracked_tables,
    versions,
)
from opstap.core.models import DataChange
from opstap.core.tasks import fold_data_changes
from opstap.factories import (
    ClientFactory,
    IncomeRightFactory,
    JournalNoteFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

RIGHTS = "clients_incomeright"
NOTES = "clients_journalnote"


def test_every_table_of_the_project_is_watched():
    opstap = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_config.name.startswith("opstap.")
    }
    assert opstap - UNTRACKED == set(tracked_tables())
    assert installed_triggers() == expected_triggers()


def test_a_rebuilt_table_gets_its_triggers_back():
    table, names = next(iter(expected_triggers().items()))
    with connection.cursor() as cursor:
        for name in names:
            if connection.vendor == "postgresql":
                cursor.execute(f'DROP TRIGGER {name} ON "{table}"')
            else:
                cursor.execute(f"DROP TRIGGER {name}")
    assert table not in installed_triggers()
    assert install_triggers() == 1
    assert installed_triggers() == expected_triggers()
    assert install_triggers() == 0


def test_a_write_gives_its_tables_value_a_new_one_for_that_centre_only(centre, other_centre):
    person = ClientFactory(centre=centre)
    elsewhere = ClientFactory(centre=other_centre)
    IncomeRightFactory(client=elsewhere)
    seen = []

    def value():
        seen.append(versions(centre.pk).get(RIGHTS))
        return seen[-1]

    others = versions(other_centre.pk)
    right = IncomeRightFactory(client=person)  # ORM insert
    value()
    right.end_date = right.start_date + datetime.timedelta(days=30)
    right.save()  # ORM update
    value()
    IncomeRight.objects.bulk_create(
        [IncomeRight(client=person, start_date=datetime.date(2020, 1, 1))]
    )
    value()
    IncomeRight.objects.filter(client=person).update(end_date=datetime.date(2030, 1, 1))
    value()
    IncomeRight.objects.filter(client=person).delete()
    value()
    with connection.cursor() as cursor:  # plain SQL, as an import's COPY or a fix by hand
        cursor.execute(
            "INSERT INTO clients_incomeright (client_id, centre_id, kind, start_date, created_at)"
            " VALUES (%s, %s, %s, %s, %s)",
            [person.pk, centre.pk, "leefloon", datetime.date(2021, 1, 1), timezone.now()],
        )
    value()
    assert None not in seen
    assert len(set(seen)) == len(seen), seen  # every statement: a new value
    assert versions(other_centre.pk) == others


def test_a_row_finds_its_centre_through_its_record(centre, other_centre):
    person = ClientFactory(centre=centre)
    before, others = versions(centre.pk).get(NOTES), versions(other_centre.pk).get(NOTES)
    JournalNoteFactory(client=person)
    after = versions(centre.pk).get(NOTES)
    assert after is not None and after != before
    JournalNote.objects.filter(client=person).update(text="Ander gesprek")
    assert versions(centre.pk).get(NOTES) not in {before, after}
    assert versions(other_centre.pk).get(NOTES) == others


def test_a_row_without_a_centre_changes_every_centre(centre, other_centre):
    before = (
        versions(centre.pk).get("accounts_user"),
        versions(other_centre.pk).get("accounts_user"),
    )
    UserFactory(centre=None, username="national")
    after = (
        versions(centre.pk).get("accounts_user"),
        versions(other_centre.pk).get("accounts_user"),
    )
    assert after[0] != before[0] and after[1] != before[1]


def test_a_write_rolled_back_leaves_the_value(centre):
    person = ClientFactory(centre=centre)
    IncomeRightFactory(client=person)
    before = versions(centre.pk)[RIGHTS]

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        IncomeRightFactory(client=person)
        assert versions(centre.pk)[RIGHTS] != before  # the writer sees its own
        raise Undo
    assert versions(centre.pk)[RIGHTS] == before


def test_reads_change_nothing(centre, client, maria):
    person = ClientFactory(centre=centre)
    IncomeRightFactory(client=person)
    client.force_login(maria)
    pages = ["/", "/reports/", "/reports/activation-status/", "/reports/module-reach/"]
    for page in pages:  # the first visit seeds the centre's catalogues
        assert client.get(page).status_code == 200
    before = versions(centre.pk)
    for page in pages:
        assert client.get(page).status_code == 200
    assert versions(centre.pk) == before


def test_many_writes_are_folded_when_read_and_the_value_changes(centre):
    person = ClientFactory(centre=centre)
    for n in range(FOLD_AT + 1):
        JournalNoteFactory(client=person, subject=f"Gesprek {n}")
    assert DataChange.objects.filter(centre_id=centre.pk, table_name=NOTES).count() == FOLD_AT + 1
    with CaptureQueriesContext(connection) as queries:
        folded = versions(centre.pk)
    assert DataChange.objects.filter(centre_id=centre.pk, table_name=NOTES).count() == 1
    assert folded[NOTES][0] == 1
    assert len(queries) > 1  # read, folded, read again
    with CaptureQueriesContext(connection) as queries:
        assert versions(centre.pk) == folded
    assert len(queries) == 1


def test_the_nightly_fold_leaves_one_row_per_table_and_centre(centre, other_centre):
    for place in (centre, other_centre):
        person = ClientFactory(centre=place)
        IncomeRightFactory(client=person)
        IncomeRightFactory(client=person)
    before = versions(centre.pk)
    assert fold_data_changes.func() > 0
    rows = DataChange.objects.values_list("centre_id", "table_name")
    assert len(rows) == len(set(rows))
    after = versions(centre.pk)
    assert after.keys() == before.keys()
    assert all(after[table] != before[table] for table in before if before[table][0] > 1)
