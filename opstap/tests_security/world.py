"""A small real centre for the authorization matrix: demo data, personas and one of each object.

The demo generator fills a centre with every kind of record (dossiers, balances, GPMI contracts,
placements, modules, referrals...). The personas are added on top of it:

care            social worker on the care team of every client the objects below belong to
head            head of service of the care worker's team
colleague       social worker of another team of the same centre
partner_own     partner contact of the organisation of the placement and referral below
partner_other   partner contact of another organisation of the same centre
management      management (figures only)
admin           administrator of the centre
outsider        social worker of another centre
outsider_admin  administrator of another centre
anonymous       nobody logged in
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver

from opstap.accounts.models import User
from opstap.activation.models import MonthlyHours, Placement
from opstap.api.services import token_create
from opstap.balance.models import Balance, CentreBarrier, InstrumentTemplate
from opstap.clients.models import Appointment, CareTeamMember, Client, IncomeRight
from opstap.core.models import Office
from opstap.courses.models import Enrolment, Session
from opstap.demo.generator import generate_centre
from opstap.factories import CareTeamMemberFactory, CentreFactory, TeamFactory, UserFactory
from opstap.gpmi.models import Gpmi, GpmiStep, GpmiThirdParty, GpmiVersion, LifeDomain, Sanction
from opstap.gpmi.services import content_of
from opstap.interchange.models import ImportRun
from opstap.network.models import Organisation, PartnerContact, Place, Referral, SupportOffer
from opstap.trajectories.models import Trajectory, TrajectoryType

PERSONAS = (
    "care",
    "head",
    "colleague",
    "partner_own",
    "partner_other",
    "management",
    "admin",
    "outsider",
    "outsider_admin",
    "anonymous",
)
# Personas of another centre: for them every object of this centre is missing (404).
OTHER_CENTRE = {"outsider", "outsider_admin"}


@dataclass
class World:
    users: dict[str, Any]
    obj: dict[str, Any] = field(default_factory=dict)


def _first(qs, what: str):
    found = qs.first()
    assert found is not None, f"the demo data has no {what}: the matrix needs one to test with"
    return found


def build_world() -> World:
    ctx = generate_centre("matrix", "OCMW Matrix", clients=40, seed=7, demo=False)
    centre = ctx.centre
    team = TeamFactory(centre=centre, name="Matrix care team")
    other_team = TeamFactory(centre=centre, name="Matrix other team")
    elsewhere = CentreFactory(code="elsewhere", name="OCMW Elders")

    with_steps = Gpmi.objects.filter(centre=centre, goals__steps__isnull=False).order_by("pk")
    gpmi = with_steps.filter(versions__isnull=False).first() or _first(
        with_steps, "GPMI with goals and steps"
    )
    step = _first(GpmiStep.objects.filter(goal__gpmi=gpmi).order_by("pk"), "GPMI step")
    placement = _first(
        Placement.objects.filter(centre=centre, hours__isnull=False).order_by("pk"),
        "placement with monthly hours",
    )
    org = placement.organisation
    # The partner contact of `org` must see this referral: one sent to its organisation.
    referral = Referral.objects.filter(centre=centre, organisation=org).order_by("pk").first()
    if referral is None:
        referral = Referral.objects.create(
            centre=centre,
            client=placement.client,
            organisation=org,
            reason="Work experience",
            referred_by=placement.created_by or User.objects.filter(centre=centre).first(),
        )
    enrolment = _first(
        Enrolment.objects.filter(edition__centre=centre).order_by("pk"), "module enrolment"
    )
    edition = enrolment.edition
    balance = _first(Balance.objects.filter(centre=centre).order_by("pk"), "balance")
    trajectory = _first(Trajectory.objects.filter(centre=centre).order_by("pk"), "trajectory")
    client = gpmi.client
    right = _first(IncomeRight.objects.filter(client=client), "income right of the GPMI client")

    users = {
        "care": UserFactory(
            username="m_care", centre=centre, role_list=["social_worker"], team_list=[team]
        ),
        "head": UserFactory(username="m_head", centre=centre, role_list=["head"], team_list=[team]),
        "colleague": UserFactory(
            username="m_colleague",
            centre=centre,
            role_list=["social_worker"],
            team_list=[other_team],
        ),
        "partner_own": UserFactory(username="m_partner_own", centre=centre, role_list=["partner"]),
        "partner_other": UserFactory(
            username="m_partner_other", centre=centre, role_list=["partner"]
        ),
        "management": UserFactory(username="m_management", centre=centre, role_list=["management"]),
        "admin": UserFactory(username="m_admin", centre=centre, role_list=["admin"]),
        "outsider": UserFactory(
            username="m_outsider", centre=elsewhere, role_list=["social_worker"]
        ),
        "outsider_admin": UserFactory(
            username="m_outsider_admin", centre=elsewhere, role_list=["admin"]
        ),
        "anonymous": None,
    }
    PartnerContact.objects.create(user=users["partner_own"], organisation=org)
    lonely = (
        Organisation.objects.filter(centre=centre)
        .exclude(pk=org.pk)
        .exclude(pk=referral.organisation_id)
    )
    PartnerContact.objects.create(
        user=users["partner_other"], organisation=_first(lonely, "second organisation")
    )

    clients = {
        client.pk,
        balance.client_id,
        trajectory.client_id,
        referral.client_id,
        placement.client_id,
        enrolment.client_id,
    }
    for pk in clients:
        CareTeamMemberFactory(client_id=pk, user=users["care"], role="case_manager")
    member = CareTeamMember.objects.filter(client=client, user=users["care"]).get()
    appointment = Appointment.objects.create(
        client=client,
        worker=users["care"],
        starts_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3),
        subject="Intake",
    )
    hours = MonthlyHours.objects.filter(placement=placement).order_by("-month").first()

    template = _first(InstrumentTemplate.objects.filter(centre=centre), "balance instrument")
    section = _first(template.sections.all(), "instrument section")
    question = _first(section.questions.all(), "instrument question")
    third_party = GpmiThirdParty.objects.filter(gpmi=gpmi).first() or GpmiThirdParty.objects.create(
        gpmi=gpmi, name="VDAB"
    )
    sanction = Sanction.objects.filter(client=client).first()
    if sanction is None:
        sanction = Sanction.objects.create(
            centre=centre,
            client=client,
            gpmi=gpmi,
            breach="No-show at two appointments",
            warning_on=datetime.date.today(),
        )
    users_obj = users["colleague"]
    world = World(users=users)
    world.obj = {
        "centre": centre,
        "client": client,
        "right": right,
        "member": member,
        "appointment": appointment,
        "balance": balance,
        "template": template,
        "section": section,
        "question": question,
        "barrier": CentreBarrier.objects.filter(centre=centre).first()
        or CentreBarrier.objects.create(centre=centre, label_nl="Mobiliteit"),
        "trajectory": trajectory,
        "ttype": _first(TrajectoryType.objects.filter(centre=centre), "trajectory type"),
        "organisation": org,
        "place": Place.objects.filter(organisation=org).first()
        or _first(Place.objects.filter(organisation__centre=centre), "place"),
        "offer": _first(SupportOffer.objects.filter(centre=centre), "support offer"),
        "referral": referral,
        "gpmi": gpmi,
        "gpmi_version": gpmi.versions.order_by("number").first()
        or GpmiVersion.objects.create(
            gpmi=gpmi,
            number=1,
            content=content_of(gpmi),
            reason="Other goals",
            amended_on=datetime.date.today(),
        ),
        "goal": step.goal,
        "step": step,
        "third_party": third_party,
        "sanction": sanction,
        "domain": _first(LifeDomain.objects.filter(centre=centre), "life domain"),
        "placement": placement,
        "hours": hours,
        "module": edition.module,
        "edition": edition,
        "session": _first(Session.objects.filter(edition=edition), "module session"),
        "enrolment": enrolment,
        "run": ImportRun.objects.create(centre=centre, actor=users["admin"], filename="x.zip"),
        "user": users_obj,
        "office": _first(Office.objects.filter(centre=centre), "office"),
        "team": other_team,
        "token": token_create(actor=users["care"], name="matrix", days=30)[0],
        "report": "activation-status",
        "app_label": "core",
        "content_type_id": ContentType.objects.get_for_model(Client).pk,
    }
    return world


def cared_for_insz(world: World) -> list[str]:
    """The INSZ numbers of every client the care persona looks after."""
    members = CareTeamMember.objects.filter(user=world.users["care"])
    return [
        insz
        for insz in Client.objects.filter(pk__in=members.values("client_id")).values_list(
            "insz", flat=True
        )
        if insz
    ]


def url_patterns():
    """Every named URL pattern as (full name, route, pattern), walking includes recursively."""

    def walk(resolver, prefix, namespace):
        for item in resolver.url_patterns:
            if isinstance(item, URLResolver):
                ns = namespace
                if item.namespace:
                    ns = f"{namespace}:{item.namespace}" if namespace else item.namespace
                yield from walk(item, prefix + str(item.pattern), ns)
            elif isinstance(item, URLPattern):
                name = f"{namespace}:{item.name}" if namespace else (item.name or "")
                yield name, prefix + str(item.pattern), item

    return list(walk(get_resolver(), "", ""))
