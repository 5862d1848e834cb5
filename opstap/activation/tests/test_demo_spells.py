import datetime
import random

from opstap.activation.demo_data import _Builder
from opstap.network.models import Organisation


def test_generated_spells_never_end_before_they_start():
    """Many spells, mutations included: every placement ends on or after its start."""
    today = datetime.date(2026, 11, 23)
    builder = _Builder(centre=None, rng=random.Random(7), today=today)
    for _ in range(3000):
        start = today - datetime.timedelta(days=builder.rng.randint(61, 2000))
        builder.spell(
            client=None,
            orgs=[Organisation(pk=1, name="vzw Test")],
            places={},
            kind="volunteering",
            track="opstap",
            start=start,
        )
    assert builder.links  # mutations were generated
    for placement in builder.placements:
        assert placement.end is None or placement.end >= placement.start, (
            placement.start,
            placement.end,
        )
