import datetime

import pytest
from django.utils import timezone

from opstap.clients.models import Appointment
from opstap.factories import CareTeamMemberFactory, ClientFactory, IncomeRightFactory
from opstap.gpmi import services as gpmi_services
from opstap.gpmi.models import Gpmi, GpmiGoal, GpmiStatus, GpmiStep, LifeDomain


def add_caseload(centre, worker, n, *, office=None, prefix="K"):
    """n dossiers with `worker` as reference worker."""
    clients = []
    for i in range(n):
        person = ClientFactory(centre=centre, office=office, ref=f"{prefix}{worker.pk}-{i}")
        CareTeamMemberFactory(client=person, user=worker, role="reference")
        clients.append(person)
    return clients


def appointment_today(client, worker, subject="Intake talk"):
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    return Appointment.objects.create(client=client, worker=worker, starts_at=noon, subject=subject)


def running_gpmi_with_step(client, *, step_due, text="Register at VDAB"):
    gpmi_services.ensure_default_life_domains(client.centre)
    domain = LifeDomain.objects.filter(centre=client.centre).first()
    gpmi = Gpmi.objects.create(
        centre=client.centre,
        client=client,
        signed_on=datetime.date.today() - datetime.timedelta(days=30),
        start_date=datetime.date.today() - datetime.timedelta(days=30),
        status=GpmiStatus.ACTIVE,
    )
    goal = GpmiGoal.objects.create(centre=client.centre, gpmi=gpmi, domain=domain, text="Work")
    GpmiStep.objects.create(centre=client.centre, goal=goal, text=text, due_date=step_due)
    return gpmi


def old_leefloon(client, months=5):
    return IncomeRightFactory(
        client=client, start_date=datetime.date.today() - datetime.timedelta(days=31 * months)
    )


@pytest.fixture
def alice_day(client_record, alice):
    """Alice's client with an appointment today, a step overdue and a running right."""
    appointment_today(client_record, alice)
    running_gpmi_with_step(
        client_record, step_due=datetime.date.today() - datetime.timedelta(days=2)
    )
    return client_record
