import datetime

import pytest

from opstap.factories import ClientFactory, IncomeRightFactory
from opstap.trajectories.catalogue import ensure_default_catalogue
from opstap.trajectories.models import Trajectory, TrajectoryType

D = datetime.date


class Builder:
    """Small hand-made datasets: clients, income rights and trajectories by type code."""

    def __init__(self, centre):
        self.centre = centre
        ensure_default_catalogue(centre)
        self.types = {t.code: t for t in TrajectoryType.objects.filter(centre=centre)}
        self.count = 0

    def client(self, ref, *rights):
        person = ClientFactory(centre=self.centre, ref=ref)
        for start, end in rights:
            IncomeRightFactory(client=person, start_date=start, end_date=end)
        return person

    def trajectory(self, person, code, start, end=None):
        self.count += 1
        return Trajectory.objects.create(
            centre=self.centre,
            ref=f"R{self.count:04d}",
            client=person,
            type=self.types[code],
            start_date=start,
            end_date=end,
        )


@pytest.fixture
def build(centre):
    return Builder(centre)
