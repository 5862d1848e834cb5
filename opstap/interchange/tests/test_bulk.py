"""bulk.insert: the import's writer (COPY on PostgreSQL, bulk_create elsewhere) stores what
bulk_create would, and every object knows its pk afterwards."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from opstap.activation.models import MonthlyHours, Placement, Track
from opstap.clients.models import Client
from opstap.core.models import AuditEntry
from opstap.factories import ClientFactory
from opstap.interchange import bulk
from opstap.network.models import Organisation

pytestmark = pytest.mark.django_db


def test_insert_gives_pks_sets_stamps_and_stores_every_value(centre, office):
    before = timezone.now()
    new = [
        Client(
            centre=centre,
            office=office if i % 2 else None,
            ref=f"B{i:03d}",
            last_name=f"Peeters-{i}",
            first_name="Éloïse" if i == 0 else "Jan",
            birth_date=datetime.date(1990, 1, 1) + datetime.timedelta(days=i),
            gender="F",
            language="fr" if i == 0 else "nl",
        )
        for i in range(30)
    ]
    result = bulk.insert(Client, new, batch_size=7)
    assert [c.pk for c in result] == [c.pk for c in new] and all(c.pk for c in new)
    assert len({c.pk for c in new}) == 30
    assert all(not c._state.adding for c in new)
    stored = {c.pk: c for c in Client.objects.filter(ref__startswith="B")}
    assert set(stored) == {c.pk for c in new}
    first = stored[new[0].pk]
    assert (first.first_name, first.language, first.office_id) == ("Éloïse", "fr", None)
    assert stored[new[1].pk].office_id == office.pk
    assert stored[new[29].pk].birth_date == datetime.date(1990, 1, 30)
    assert first.created_at >= before and first.updated_at >= before
    # The sequence moved on: the next ordinary save does not collide.
    assert ClientFactory(centre=centre).pk > max(stored)


def test_insert_writes_json_decimals_and_choices(centre, alice, client_record):
    org = bulk.insert(
        Organisation,
        [Organisation(centre=centre, name="vzw Bulk", kbo="", sector="social_economy")],
    )[0]
    placement = bulk.insert(
        Placement,
        [
            Placement(
                centre=centre,
                ref="P-BULK",
                client=client_record,
                organisation=org,
                kind="volunteering",
                track=Track.OPSTAP,  # a TextChoices member, written as its value
                start=datetime.date(2026, 1, 5),
            )
        ],
    )[0]
    bulk.insert(
        MonthlyHours,
        [
            MonthlyHours(
                placement=placement,
                month=datetime.date(2026, 1, 1),
                hours=Decimal("12.5"),
                transport_eur=Decimal("3.40"),
            )
        ],
    )
    assert Placement.objects.get(pk=placement.pk).track == "opstap"
    hours = MonthlyHours.objects.get(placement=placement)
    assert (hours.hours, hours.transport_eur) == (Decimal("12.5"), Decimal("3.40"))
    entry = bulk.insert(
        AuditEntry,
        [
            AuditEntry(
                centre=centre,
                actor=alice,
                action="test.bulk",
                changes={"naam": ["oud", "nieuw"], "aantal": 2, "leeg": None},
            )
        ],
    )[0]
    assert AuditEntry.objects.get(pk=entry.pk).changes == {
        "naam": ["oud", "nieuw"],
        "aantal": 2,
        "leeg": None,
    }


def test_insert_of_nothing_writes_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk.insert(Client, []) == []


def test_insert_of_a_model_with_its_own_key_goes_through_bulk_create():
    from django.contrib.sessions.models import Session

    expires = timezone.now() + datetime.timedelta(hours=1)
    bulk.insert(
        Session, [Session(session_key="bulk-own-key", session_data="", expire_date=expires)]
    )
    assert Session.objects.get(pk="bulk-own-key").expire_date == expires


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


@pytest.mark.parametrize(
    "model, values",
    [
        (Client, {"ref": "C1", "last_name": "Peeters", "birth_date": datetime.date(1990, 1, 1)}),
        (Client, {"ref": "C2", "office_id": None, "language": "fr", "insz": ""}),
        (Organisation, {"name": "vzw Bouw", "sector": "social_economy"}),
        (MonthlyHours, {"placement_id": 7, "month": datetime.date(2026, 1, 1)}),
        (AuditEntry, {"action": "test.build"}),  # a JSON field's default: a new dict each time
    ],
)
def test_build_makes_what_init_makes(centre, model, values):
    if "centre" in {f.name for f in model._meta.concrete_fields}:
        values = {"centre": centre, **values}
    built, made = bulk.build(model, **values), model(**values)
    assert type(built) is model and _fields(built) == _fields(made)
    assert built._state.adding and built._state.db is None and built.pk is None
    if "centre" in values:
        # The object given for a foreign key is kept, as __init__ keeps it: no query to read it.
        assert built.centre is centre and built.centre_id == centre.pk


def test_build_gives_each_instance_its_own_default(centre):
    first, second = (bulk.build(AuditEntry, centre=centre, action="x") for _ in range(2))
    assert first.changes == {} and first.changes is not second.changes


def test_build_takes_a_key_by_its_id_or_none(centre, office):
    client = bulk.build(Client, centre_id=centre.pk, office=None, ref="C3")
    assert (client.centre_id, client.office_id, client.office) == (centre.pk, None, None)
    assert bulk.build(Client, centre=centre, office=office).office_id == office.pk


def test_build_refuses_an_unknown_argument_as_init_does(centre):
    with pytest.raises(TypeError, match="nickname"):
        Client(centre=centre, nickname="x")
    with pytest.raises(TypeError, match="nickname"):
        bulk.build(Client, centre=centre, nickname="x")


def test_build_leaves_a_model_with_init_receivers_to_init(centre):
    from django.db.models.signals import post_init

    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=Organisation)
    try:
        org = bulk.build(Organisation, centre=centre, name="vzw Signaal")
    finally:
        post_init.disconnect(receiver, sender=Organisation)
    assert seen == [org]


def test_built_objects_are_inserted_like_made_ones(centre, office):
    new = [
        bulk.build(
            Client,
            centre=centre,
            office=office,
            ref=f"D{i}",
            last_name="Claes",
            first_name="An",
            birth_date=datetime.date(1985, 5, i + 1),
        )
        for i in range(3)
    ]
    bulk.insert(Client, new)
    stored = Client.objects.get(pk=new[2].pk)
    assert (stored.ref, stored.office_id, stored.birth_date) == (
        "D2",
        office.pk,
        datetime.date(1985, 5, 3),
    )


def _client(centre, ref, **values):
    return Client(
        centre=centre,
        ref=ref,
        last_name="Janssens",
        first_name="Eva",
        birth_date=datetime.date(1988, 8, 8),
        **values,
    )


def _placement_with_a_new_organisation(centre, ref):
    """A placement given an organisation that is not saved yet."""
    org = Organisation(centre=centre, name=f"vzw {ref}", kbo="", sector="social_economy")
    placement = Placement(
        centre=centre,
        ref=ref,
        client=ClientFactory(centre=centre),
        organisation=org,
        kind="volunteering",
        track=Track.OPSTAP,
        start=datetime.date(2026, 2, 2),
    )
    return org, placement


def test_create_takes_a_key_saved_after_it_was_given(centre):
    """As bulk_create: a foreign key given by an object that was saved afterwards."""
    org, placement = _placement_with_a_new_organisation(centre, "P-LATER")
    bulk.create(Organisation, [org])
    bulk.create(Placement, [placement])
    assert Placement.objects.get(pk=placement.pk).organisation_id == org.pk


def test_create_refuses_an_unsaved_related_object(centre):
    _org, placement = _placement_with_a_new_organisation(centre, "P-NEVER")
    with pytest.raises(ValueError, match="unsaved related object"):
        bulk.create(Placement, [placement])
    assert not Placement.objects.filter(ref="P-NEVER").exists()


def test_create_keeps_a_managers_own_bulk_create_and_given_keys(centre):
    from opstap.clients.models import IncomeRight

    client = ClientFactory(centre=centre)
    right = IncomeRight(client=client, kind="leefloon", start_date=datetime.date(2026, 1, 1))
    bulk.create(IncomeRight, [right])  # its manager gives each right its client's centre
    assert IncomeRight.objects.get(pk=right.pk).centre_id == centre.pk
    given = _client(centre, "GIVEN")
    given.pk = Client.objects.order_by("-pk").values_list("pk", flat=True).first() + 100
    bulk.create(Client, [given])
    assert Client.objects.get(ref="GIVEN").pk == given.pk


def test_update_writes_the_fields_of_every_row_and_nothing_else(centre, office):
    rows = bulk.create(Client, [_client(centre, f"U{i}", office=office) for i in range(7)])
    untouched = bulk.create(Client, [_client(centre, "UNTOUCHED")])[0]
    when = timezone.now() - datetime.timedelta(days=400)
    for i, client in enumerate(rows):
        client.ref = f"2025/U{i}"
        client.created_at = when + datetime.timedelta(hours=i)
        client.office = None if i % 2 else office
        client.last_name = "not written"  # not among the fields
    assert bulk.update(Client, rows, ["ref", "created_at", "office"], batch_size=3) == 7
    stored = {c.pk: c for c in Client.objects.filter(pk__in=[c.pk for c in rows])}
    for i, client in enumerate(rows):
        got = stored[client.pk]
        assert (got.ref, got.created_at) == (f"2025/U{i}", when + datetime.timedelta(hours=i))
        assert got.office_id == (None if i % 2 else office.pk)
        assert got.last_name == "Janssens"
    assert Client.objects.get(pk=untouched.pk).ref == "UNTOUCHED"


def test_update_of_nothing_and_of_the_key(centre, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk.update(Client, [], ["ref"]) == 0
    client = bulk.create(Client, [_client(centre, "KEY")])[0]
    with pytest.raises(ValueError):  # as bulk_update refuses it
        bulk.update(Client, [client], ["id"])
