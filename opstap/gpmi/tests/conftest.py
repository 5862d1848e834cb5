import datetime

import pytest

from opstap.factories import ClientFactory, IncomeRightFactory
from opstap.gpmi import services
from opstap.gpmi.models import Gpmi, GpmiEvaluation, GpmiGoal, GpmiStatus, LifeDomain

D = datetime.date


@pytest.fixture
def domains(centre):
    services.ensure_default_life_domains(centre)
    return {d.code: d for d in LifeDomain.objects.filter(centre=centre)}


class Builder:
    """Hand-made data for the deadline rules: clients, rights, contracts, evaluations."""

    def __init__(self, centre):
        self.centre = centre
        services.ensure_default_life_domains(centre)
        self.domain = LifeDomain.objects.get(centre=centre, code="work")
        self.count = 0

    def client(self, ref, *rights, kind="leefloon"):
        person = ClientFactory(centre=self.centre, ref=ref)
        for start, end in rights:
            IncomeRightFactory(client=person, start_date=start, end_date=end, kind=kind)
        return person

    def contract(self, person, *, signed_on=None, start=None, end=None, status=None, **extra):
        self.count += 1
        if status is None:
            status = GpmiStatus.ACTIVE if signed_on else GpmiStatus.DRAFT
        gpmi = Gpmi.objects.create(
            centre=self.centre,
            client=person,
            ref=f"G{self.count:04d}",
            signed_on=signed_on,
            start_date=start,
            end_date=end,
            status=status,
            drafted_on=signed_on or start,
            **extra,
        )
        GpmiGoal.objects.create(
            centre=self.centre,
            gpmi=gpmi,
            ref=f"GG{self.count:04d}",
            domain=self.domain,
            text="Werk",
        )
        return gpmi

    def exemption(self, person, exempted_on=None):
        self.count += 1
        return Gpmi.objects.create(
            centre=self.centre,
            client=person,
            ref=f"X{self.count:04d}",
            status=GpmiStatus.EXEMPTED,
            exemption_ground="health",
            exemption_reason="Opname",
            exempted_on=exempted_on,
        )

    def evaluation(self, gpmi, day, in_person=True):
        self.count += 1
        return GpmiEvaluation.objects.create(
            centre=self.centre, gpmi=gpmi, ref=f"E{self.count:04d}", date=day, in_person=in_person
        )


@pytest.fixture
def build(centre):
    return Builder(centre)
