"""factory_boy factories and test helpers shared by every app's tests."""

import datetime
import re
from collections import Counter
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from opstap.accounts.models import User
from opstap.activation.models import Placement, Status
from opstap.clients.models import CareTeamMember, Client, IncomeRight, JournalNote
from opstap.core.models import Centre, Office, Team

TEST_PASSWORD = "correct horse battery staple"


class CentreFactory(DjangoModelFactory):
    class Meta:
        model = Centre
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"centre{n}")
    name = factory.LazyAttribute(lambda o: f"OCMW {o.code.title()}")


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Wijkcentrum {n}")


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    centre = factory.SubFactory(CentreFactory)
    language = "nl"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or TEST_PASSWORD)

    @factory.post_generation
    def role_list(self, create, extracted, **kwargs):
        self.set_roles(extracted or ["social_worker"])
        if create:
            self.save()

    @factory.post_generation
    def team_list(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.set(extracted)


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = Client

    centre = factory.SubFactory(CentreFactory)
    ref = factory.Sequence(lambda n: f"C{n:05d}")
    last_name = factory.Faker("last_name", locale="nl_BE")
    first_name = factory.Faker("first_name", locale="nl_BE")
    birth_date = factory.Faker(
        "date_between", start_date=datetime.date(1960, 1, 1), end_date=datetime.date(2005, 12, 31)
    )
    gender = "F"
    language = "nl"


class CareTeamMemberFactory(DjangoModelFactory):
    class Meta:
        model = CareTeamMember

    client = factory.SubFactory(ClientFactory)
    user = factory.SubFactory(UserFactory)
    role = "reference"
    start_date = datetime.date(2020, 1, 1)


class IncomeRightFactory(DjangoModelFactory):
    class Meta:
        model = IncomeRight

    client = factory.SubFactory(ClientFactory)
    kind = "leefloon"
    start_date = datetime.date(2024, 1, 1)


class JournalNoteFactory(DjangoModelFactory):
    class Meta:
        model = JournalNote

    client = factory.SubFactory(ClientFactory)
    author = factory.SubFactory(UserFactory)
    subject = "Gesprek"
    text = "Verloop van het gesprek."


def make_placement(
    client,
    organisation,
    *,
    ref,
    start,
    end=None,
    kind="volunteering",
    track="finaliteit",
    end_reason="",
    status=None,
    **extra,
):
    return Placement.objects.create(
        centre_id=client.centre_id,
        client=client,
        organisation=organisation,
        ref=ref,
        kind=kind,
        track=track,
        start=start,
        end=end,
        end_reason=end_reason,
        status=status or (Status.ENDED if end else Status.ACTIVE),
        weekly_hours=extra.pop("weekly_hours", Decimal("8")),
        **extra,
    )


def table_reads(queries) -> Counter:
    """How many SELECTs of captured queries (CaptureQueriesContext) read each table."""
    return Counter(
        match.group(1)
        for match in (re.match(r'SELECT .*? FROM "(\w+)"', q["sql"], re.S) for q in queries)
        if match
    )
