import pytest

from opstap.balance.models import InstrumentTemplate
from opstap.core.models import AuditEntry
from opstap.core.services import centre_create
from opstap.network.models import SupportOffer
from opstap.trajectories.models import TrajectoryType

pytestmark = pytest.mark.django_db


def test_new_centre_gets_every_default_catalogue():
    centre = centre_create(code="nieuw", name="OCMW Nieuw")
    assert TrajectoryType.objects.filter(centre=centre).count() == 8
    assert SupportOffer.objects.filter(centre=centre).exists()
    assert InstrumentTemplate.objects.filter(centre=centre).exists()
    assert AuditEntry.objects.filter(action="centre.created", centre=centre).exists()
